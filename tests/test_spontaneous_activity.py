"""EMG patterns against the published statistics they are built to, measured in the signal.

Every test *detects* discharges in the generated needle signal (threshold crossings, a dead
time, amplitude clusters, gaps between bursts; see the helpers below) and measures rate,
regularity and burst structure from what it found; none reads the generator's parameters
back. Published targets, with their sources:

- voluntary: recruitment at 8 Hz with interval CV 0.2 (Fuglevand et al. 1993, J Neurophysiol
  70:2470); more units as effort rises until the baseline is hidden (interference pattern).
- fasciculation potentials: 0.28 Hz (benign) and 0.29 Hz (ALS, median) in first dorsal
  interosseous (de Carvalho & Swash 2016, Clin Neurophysiol 127:2257), at random intervals;
  normal MUAP size 0.2-3 mV, up to 4 phases (Daube & Rubin 2009, Muscle Nerve 39:244); in
  chronic denervation larger, longer, polyphasic, unstable (de Carvalho & Swash 1998).
- fibrillation potentials: regular, 0.5-15 Hz, 1-5 ms, 20-200 uV, initial positive; positive
  sharp waves 10-30 ms, initial sharp positivity (StatPearls, Davalos & Kushlaf 2023).
- myokymic discharges: bursts of one unit recurring (semi)rhythmically, usually several per
  second (Gutmann 1991, Muscle Nerve 14:1043).
- neuromyotonic discharges: >150 Hz (up to 300 Hz, Maddison 2006) for 0.5-2 s, waning
  amplitude (Bednarik & Kadanka 2001, J Neurol Neurosurg Psychiatry 70:406).
- cramp discharges: unit rates 14.5 +- 5.1 Hz (6-25 Hz), interval CV 44.6 +- 9.7 %
  (Minetto et al. 2009, J Neurophysiol 102:1890).
- complex repetitive discharges: nearly constant intervals (Trontelj & Stalberg 1983, JNNP
  46:310), uniform shape, 0.1-1 mV, abrupt onset and cessation (AANEM glossary), 5-150 Hz.
- myotonic discharges: 20-80 Hz, positive waves 5-20 ms, amplitude and frequency wax and
  wane (AANEM glossary).
- end-plate spikes: irregular, initial negative deflection (StatPearls); miniature end-plate
  potentials make a negative, noise-like baseline (Partanen et al. 2022, Sci Rep 12:4220).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from widgets.models import spontaneous_activity as sa

FS = sa.DEFAULT_FS_HZ


# ------------------------------------------------------------------ independent measurement
def detect(signal, fs_hz, threshold_mV, dead_ms, window_ms=None):
    """Discharges: peaks of |signal| above ``threshold_mV``, at least ``dead_ms`` apart.

    Returns (peak times in ms, peak-to-peak in mV, sign of the first phase, peak index), each
    measured in a window of ``window_ms`` (default ``dead_ms``) centred on the peak.
    """
    from scipy.signal import find_peaks

    window_ms = dead_ms if window_ms is None else window_ms
    x = np.asarray(signal)
    peaks, _ = find_peaks(np.abs(x), height=threshold_mV,
                          distance=max(int(dead_ms * fs_hz / 1000.0), 1))
    h = int(window_ms * fs_hz / 1000.0) // 2
    p2p, sign = [], []
    for k in peaks:
        seg = x[max(k - h, 0):k + h]
        a = np.abs(seg)
        p2p.append(float(seg.max() - seg.min()))
        sign.append(float(np.sign(seg[np.argmax(a > 0.3 * a.max())])))
    return peaks * 1000.0 / fs_hz, np.array(p2p), np.array(sign), peaks


def onsets(signal, peaks, threshold_mV, back):
    """For each peak index, the first sample within ``back`` samples before it above threshold
    (aligns repeated potentials on their start, not on whichever phase is largest)."""
    x = np.abs(np.asarray(signal))
    out = []
    for k in peaks:
        lo = max(int(k) - back, 0)
        out.append(lo + int(np.argmax(x[lo:k + 1] > threshold_mV)))
    return np.array(out)


def interval_cv(times_ms):
    d = np.diff(np.sort(times_ms))
    return float(d.std() / d.mean())


def train_cv(times_ms):
    """Interval CV of one sorted train, ignoring intervals that a collision with another
    generator's potential cut short or lengthened (outside 0.5-1.5 x the median); at least
    90 % of intervals must be kept, else the train is not one generator and CV is inf."""
    d = np.diff(np.sort(times_ms))
    keep = (d > 0.5 * np.median(d)) & (d < 1.5 * np.median(d))
    return float(d[keep].std() / d[keep].mean()) if keep.mean() >= 0.9 else math.inf


def amplitude_clusters(p2p, tol=0.15):
    """Label discharges by size: sorted log amplitudes split where they jump by > ``tol``."""
    order = np.argsort(p2p)
    la = np.log(p2p[order])
    lab = np.concatenate([[0], np.cumsum(np.diff(la) > tol)])
    out = np.empty(p2p.size, dtype=int)
    out[order] = lab
    return out


def group_bursts(times_ms, gap_ms):
    """Split discharge times into bursts wherever two discharges are more than gap_ms apart."""
    t = np.sort(times_ms)
    cut = np.flatnonzero(np.diff(t) > gap_ms) + 1
    return np.split(t, cut)


def active_fraction(signal, fs_hz, threshold_mV, window_ms=5.0):
    """Fraction of consecutive windows in which |signal| exceeds the threshold somewhere."""
    n = int(window_ms * fs_hz / 1000.0)
    m = signal.size // n
    return float(np.mean(np.abs(signal[:m * n]).reshape(m, n).max(axis=1) > threshold_mV))


def noise_floor(signal):
    """Robust RMS of the baseline (median absolute deviation / 0.6745)."""
    return float(np.median(np.abs(signal - np.median(signal))) / 0.6745)


# ------------------------------------------------------------------ the patterns
def test_voluntary_recruitment_single_unit_to_interference():
    rec = sa.simulate("voluntary", duration_s=20.0, seed=3)
    first = rec.t_ms < 4000.0                    # the hold at the first unit's threshold
    t, p2p, _, _ = detect(rec.signal_mV[first], FS, 0.06, 4.0, 6.0)
    assert np.ptp(p2p) / np.median(p2p) < 0.3, "one unit only: all potentials the same size"
    rate = 1000.0 / np.mean(np.diff(t))
    assert 6.5 <= rate <= 9.5                    # Fuglevand: recruited at 8 Hz
    assert 0.08 <= interval_cv(t) <= 0.35        # Fuglevand: CV 0.2
    last = rec.t_ms >= rec.t_ms[-1] - 2000.0
    lo = active_fraction(rec.signal_mV[first], FS, 0.025)
    hi = active_fraction(rec.signal_mV[last], FS, 0.025)
    assert lo < 0.3 and hi > 0.9, (lo, hi)       # baseline visible, then hidden
    assert rec.signal_mV[last].std() > 10 * rec.signal_mV[first].std()


@pytest.mark.parametrize("pattern", ["fasciculation", "fasciculation_denervated"])
def test_fasciculations_are_rare_and_random(pattern):
    rec = sa.simulate(pattern, duration_s=120.0, seed=2)
    t, p2p, _, _ = detect(rec.signal_mV, FS, 0.1, 60.0, 45.0)
    rate = t.size / rec.duration_s
    assert 0.15 <= rate <= 0.45                  # de Carvalho & Swash 2016: 0.28-0.29 Hz
    assert 0.7 <= interval_cv(t) <= 1.3          # random, like a Poisson process (CV 1)


def _fp_shapes(pattern, seed=2):
    rec = sa.simulate(pattern, duration_s=120.0, seed=seed)
    t, _, _, peaks = detect(rec.signal_mV, FS, 0.1, 60.0, 45.0)
    starts = onsets(rec.signal_mV, peaks, 0.05, int(0.03 * FS))
    n = int(45e-3 * FS)
    segs = np.array([rec.signal_mV[max(s - n // 4, 0): max(s - n // 4, 0) + n] for s in starts])
    out = []
    for seg in segs:
        thr = 0.02                               # 20 uV from baseline, as in the clinic
        above = np.flatnonzero(np.abs(seg) > thr)
        dur = (above[-1] - above[0]) * 1000.0 / FS
        core = seg[above[0]:above[-1] + 1]
        core = core[np.abs(core) > thr]
        phases = int(np.count_nonzero(np.diff(np.sign(core)) != 0)) + 1
        out.append((float(np.ptp(seg)), dur, phases))
    return np.array(out), segs


def test_benign_fasciculation_potentials_have_normal_motor_unit_shapes():
    shapes, _ = _fp_shapes("fasciculation")
    assert np.all((shapes[:, 0] >= 0.2) & (shapes[:, 0] <= 3.0))     # 0.2-3 mV
    assert np.all(shapes[:, 2] <= 4)                                  # up to 4 phases


def test_denervated_fasciculation_potentials_are_complex_and_unstable():
    benign, b_segs = _fp_shapes("fasciculation")
    dener, d_segs = _fp_shapes("fasciculation_denervated")
    assert np.median(dener[:, 1]) > 1.3 * np.median(benign[:, 1])   # longer
    assert np.median(dener[:, 2]) > 4                                # polyphasic
    # unstable: successive discharges of the unit differ (a stable unit repeats its shape)
    def change(segs):
        return float(np.median([np.sqrt(np.mean((segs[i] - segs[i + 1]) ** 2))
                                / np.sqrt(np.mean(segs[i] ** 2)) for i in range(len(segs) - 1)]))
    groups = amplitude_clusters(benign[:, 0], 0.1)
    same_unit = b_segs[groups == np.bincount(groups).argmax()]
    assert change(d_segs) > 2 * change(same_unit)
    assert np.ptp(dener[:, 2]) >= 1, "the number of phases changes between discharges"


@pytest.mark.parametrize("pattern, duration_ms, dead_ms, window_ms", [
    ("fibrillation", (1.0, 5.0), 2.0, 6.0), ("positive_sharp_wave", (10.0, 30.0), 25.0, 30.0)])
def test_fibre_potentials_are_regular_small_and_start_positive(pattern, duration_ms, dead_ms,
                                                               window_ms):
    rec = sa.simulate(pattern, duration_s=20.0, seed=1)
    noise = noise_floor(rec.signal_mV)
    t, p2p, sign, starts = detect(rec.signal_mV, FS, 5 * noise, dead_ms, window_ms)
    assert np.mean(sign > 0) > 0.9, "first phase positive"
    labels = amplitude_clusters(p2p)
    rates = []
    for lab in np.unique(labels):
        tt = t[labels == lab]
        if tt.size < 0.15 * t.size:   # collisions of two fibres form small, odd clusters
            continue
        rates.append(1000.0 / np.mean(np.diff(tt)))
        assert train_cv(tt) < 0.1, "each fibre fires regularly"
    assert len(rates) >= 2
    assert all(0.5 <= r <= 15.0 for r in rates)                       # 0.5-15 Hz
    # size and duration of one potential: 20-200 uV; 1-5 ms (spike) or 10-30 ms (wave)
    amp = p2p if pattern == "fibrillation" else p2p * 0.8
    assert np.all((amp >= 0.02) & (amp <= 0.25))
    # duration of the largest fibre's potential, on its spike-triggered average (which
    # lowers the noise so the return to baseline can be seen), 5 % of peak
    big = starts[labels == labels[np.argmax(p2p)]]
    before, after = int(0.003 * FS), int(0.035 * FS)
    big = big[(big > before) & (big < rec.signal_mV.size - after)]
    avg = np.mean([rec.signal_mV[k - before:k + after] for k in big], axis=0)
    above = np.flatnonzero(np.abs(avg) > 0.05 * np.abs(avg).max())
    d = (above[-1] - above[0]) * 1000.0 / FS
    assert duration_ms[0] <= d <= duration_ms[1], d


def test_fibrillation_slows_gradually():
    rec = sa.simulate("fibrillation", duration_s=30.0, seed=1)
    t, p2p, _, _ = detect(rec.signal_mV, FS, 6 * noise_floor(rec.signal_mV), 20.0, 20.0)
    labels = amplitude_clusters(p2p)
    tt = t[labels == np.bincount(labels).argmax()]
    isi = np.diff(tt)
    half = isi.size // 2
    assert isi[half:].mean() > isi[:half].mean()


def test_myokymic_discharges_are_bursts_of_one_unit_several_per_second():
    rec = sa.simulate("myokymia", duration_s=30.0, seed=4)
    t, p2p, _, _ = detect(rec.signal_mV, FS, 0.2, 15.0, 15.0)
    assert np.ptp(p2p) / np.median(p2p) < 0.1, "one unit: identical potentials"
    bursts = group_bursts(t, 100.0)
    sizes = np.array([b.size for b in bursts])
    onsets = np.array([b[0] for b in bursts])
    assert np.all(sizes >= 2)                                         # grouped
    per_s = 1000.0 / np.mean(np.diff(onsets))
    assert 1.0 <= per_s <= 10.0                                       # several per second
    assert interval_cv(onsets) < 0.3                                  # (semi)rhythmic


def test_neuromyotonic_discharges_are_fast_waning_bursts():
    rec = sa.simulate("neuromyotonia", duration_s=20.0, seed=5)
    t, p2p, _, _ = detect(rec.signal_mV, FS, 0.08, 2.0, 2.5)
    bursts = group_bursts(t, 50.0)
    long_ones = [b for b in bursts if b.size > 20]
    assert len(long_ones) >= 3
    for b in long_ones:
        rate = 1000.0 / np.mean(np.diff(b))
        assert 150.0 <= rate <= 300.0                                 # > 150 Hz
        assert 0.5 <= (b[-1] - b[0]) / 1000.0 <= 2.0                 # 0.5-2 s
        amp = p2p[np.isin(t, b)]
        assert amp[-5:].mean() < 0.7 * amp[:5].mean()                # amplitude wanes


def test_cramp_units_fire_irregularly_at_published_rates():
    rates, cvs = [], []
    for seed in range(4):
        rec = sa.simulate("cramp", duration_s=30.0, seed=seed)
        # the unit at the needle tip is the largest; detect only its discharges
        t, p2p, _, _ = detect(rec.signal_mV, FS, 0.7 * np.abs(rec.signal_mV).max() * 0.6,
                              8.0, 8.0)
        isi = np.diff(t)
        rates.append(1000.0 / isi.mean())
        cvs.append(isi.std() / isi.mean())
        # abrupt onset: silence, then full activity within half a second
        onset = t[0]
        before = rec.signal_mV[(rec.t_ms > 200) & (rec.t_ms < onset - 50)]
        assert before.std() < 0.05 * rec.signal_mV.std()
    assert all(6.0 <= r <= 25.0 for r in rates), rates                # 6-25 Hz
    assert 0.30 <= float(np.mean(cvs)) <= 0.60, cvs                   # CV 44.6 +- 9.7 %


def test_complex_repetitive_discharge_is_uniform_regular_and_abrupt():
    rec = sa.simulate("crd", duration_s=10.0, seed=0)
    t, p2p, _, peaks = detect(rec.signal_mV, FS, 0.08, 12.0, 12.0)
    starts = onsets(rec.signal_mV, peaks, 0.08, int(0.012 * FS))
    rate = 1000.0 / np.mean(np.diff(t))
    assert 5.0 <= rate <= 150.0
    assert interval_cv(t) < 0.02                                      # nearly constant
    assert np.all((p2p >= 0.1) & (p2p <= 1.0))                        # 100 uV - 1 mV
    assert p2p[0] > 0.9 * np.median(p2p) and p2p[-1] > 0.9 * np.median(p2p)  # abrupt
    n = int(0.012 * FS)
    segs = np.array([rec.signal_mV[s - n // 8: s - n // 8 + n] for s in starts[1:-1]])
    r = [np.corrcoef(segs[i], segs[i + 1])[0, 1] for i in range(len(segs) - 1)]
    assert min(r) > 0.95                                              # uniform shape


def test_myotonic_discharge_waxes_and_wanes_in_rate_and_amplitude():
    rec = sa.simulate("myotonia", duration_s=5.0, seed=0)
    t, p2p, sign, _ = detect(rec.signal_mV, FS, 0.05, 8.0, 8.0)
    inst = 1000.0 / np.diff(t)
    assert 20.0 <= inst.min() and inst.max() <= 80.0                  # 20-80 Hz
    k = int(np.argmax(inst))
    assert 0 < k < inst.size - 1
    assert inst.max() > 1.8 * inst[0] and inst.max() > 1.8 * inst[-1]  # frequency waxes, wanes
    assert p2p.max() > 1.8 * p2p[0] and p2p.max() > 1.8 * p2p[-1]      # amplitude too
    assert np.mean(sign > 0) > 0.9                                     # positive waves


def test_end_plate_spikes_are_irregular_and_start_negative():
    rec = sa.simulate("endplate", duration_s=30.0, seed=0)
    t, p2p, sign, _ = detect(rec.signal_mV, FS, 0.06, 6.0, 4.0)
    assert np.mean(sign < 0) > 0.9                                     # initial negative
    assert interval_cv(t) > 0.7                                        # irregular
    # the noise-like baseline of miniature end-plate potentials is negative-going
    quiet = np.ones(rec.signal_mV.size, dtype=bool)
    for tt in t:
        i = int(tt * FS / 1000.0)
        quiet[max(i - 200, 0):i + 200] = False
    base = rec.signal_mV[quiet]
    skew = float(np.mean((base - base.mean()) ** 3) / base.std() ** 3)
    assert skew < -0.2
    assert base.std() > 1.5 * sa.NOISE_UV / 1000.0


# ------------------------------------------------------------------ determinism, bad input
@pytest.mark.parametrize("pattern", sa.PATTERN_KEYS)
def test_every_pattern_is_seeded_and_finite(pattern):
    a = sa.simulate(pattern, duration_s=2.0, seed=7)
    b = sa.simulate(pattern, duration_s=2.0, seed=7)
    assert np.array_equal(a.signal_mV, b.signal_mV)
    assert np.all(np.isfinite(a.signal_mV))
    assert a.signal_mV.size == int(round(2.0 * FS))


@pytest.mark.parametrize("kwargs, name", [
    ({"pattern": "twitch"}, "pattern"),
    ({"pattern": "crd", "duration_s": math.nan}, "duration_s"),
    ({"pattern": "crd", "duration_s": 0.0}, "duration_s"),
    ({"pattern": "crd", "duration_s": -1.0}, "duration_s"),
    ({"pattern": "crd", "duration_s": math.inf}, "duration_s"),
    ({"pattern": "crd", "fs_hz": 0.0}, "fs_hz"),
    ({"pattern": "crd", "fs_hz": -22050.0}, "fs_hz"),
    ({"pattern": "crd", "fs_hz": math.nan}, "fs_hz"),
    ({"pattern": "crd", "seed": -1}, "seed"),
])
def test_bad_input_names_the_parameter_and_valid_values(kwargs, name):
    with pytest.raises(ValueError, match=name):
        sa.simulate(**kwargs)
    if name == "pattern":
        with pytest.raises(ValueError, match="fibrillation"):
            sa.simulate(**kwargs)
