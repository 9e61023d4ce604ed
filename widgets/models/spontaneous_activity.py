"""The patterns a needle EMG shows and plays: voluntary recruitment and spontaneous activity.

Each pattern is generated from the course's own models, seeded, at the published firing
statistics and waveform sizes named below, and returned as a needle recording
(:class:`PatternRecording`). The sound of each (:mod:`widgets.figures.sound`) is this signal
played through an EMG amplifier, as electromyographers listen to it.

Sources of the targets (each checked against the source text; see ``PATTERNS[...].targets``):

* Voluntary recruitment: the Fuglevand et al. (1993) pool of :mod:`widgets.models.motor_units`
  (recruitment at 8 Hz, regular trains with interval CV 0.2, more units and faster firing as
  effort rises) seen by the needle of :func:`widgets.models.emg.pool_muaps`.
* Fasciculation potentials: whole-unit discharges at rest, irregular (Daube & Rubin 2009;
  de Carvalho et al. 2017). Surface recordings of first dorsal interosseous gave mean FP
  frequencies of 0.28 Hz in benign fasciculation syndrome and a median of 0.29 Hz in ALS
  (de Carvalho & Swash 2016): the rate does not separate them. Benign FPs have normal MUAP
  shapes; in chronic denervation they are larger, longer, polyphasic and unstable
  (de Carvalho & Swash 1998; Liu et al. 2021), here from :mod:`widgets.models.denervation`.
* Fibrillation potentials and positive sharp waves (StatPearls, Davalos & Kushlaf 2023):
  single denervated muscle fibres, regular, 0.5-15 Hz, slowing gradually; spikes bi- or
  triphasic with an initial positive phase, 1-5 ms, 20-200 uV; positive sharp waves an initial
  sharp positive deflection and a long negative phase, 10-30 ms.
* Myokymic discharges: bursts of one motor unit's potentials, recurring rhythmically or
  semirhythmically, usually several times per second (Gutmann 1991).
* Neuromyotonic discharges: doublets, multiplets and longer bursts of one unit at a high
  intraburst frequency, 30-300 Hz (Maddison 2006); bursts above 150 Hz lasting 0.5-2 s, whose
  amplitude wanes (Bednarik & Kadanka 2001).
* Cramp discharges: many units at once; in electrically elicited cramps of abductor hallucis
  units fired at 14.5 +- 5.1 pulses/s (minimum 6.0, maximum 25.0) with an interspike-interval
  CV of 44.6 +- 9.7 %, more irregular than voluntary firing (Minetto et al. 2009).
* Complex repetitive discharges: a time-locked group of muscle fibres driven ephaptically by
  a pacemaker fibre, so the complex repeats with very low interval variability and stops
  abruptly (Trontelj & Stalberg 1983); uniform shape, 100 uV to 1 mV, abrupt onset and
  cessation (AANEM glossary), 5-150 Hz, most often 30-40 Hz (Washington University
  Neuromuscular Disease Center).
* Myotonic discharges: single muscle fibres firing at 20-80 Hz, spikes under 5 ms or positive
  waves of 5-20 ms; amplitude and frequency must both wax and wane (AANEM glossary).
* End-plate noise: at the end-plate zone of normal muscle, miniature end-plate potentials
  (local, non-propagating, from spontaneous acetylcholine release; Partanen et al. 2022) with
  end-plate spikes, which fire irregularly and start with a negative deflection (StatPearls).

Modelling choices (ours, stated): the needle is a point in the volume conductor of
:func:`widgets.models.emg.pool_muaps`; waveforms are the course's stylised Hermite MUAP shapes
(:func:`widgets.models.emg.muap_waveform`), a difference of two alpha functions for positive
waves and a negative-only bump for miniature end-plate potentials; amplitudes, durations and
rates not given by the sources (for example the intraburst rate of myokymia, the burst length
of a cramp, the sizes of end-plate potentials) are illustrative values chosen inside the
published descriptions. Positive voltage is plotted up (clinical displays plot negative up).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from widgets.models import denervation as dn
from widgets.models import emg
from widgets.models.motor_units import FuglevandPool
from widgets.models.validation import (
    Array,
    Choice,
    Instance,
    Integer,
    Optional,
    Require,
    ValidRange,
    require_range,
    result_type,
    validated,
)

#: Sampling rate of the generated recordings: the audio rate, so no resampling is needed.
DEFAULT_FS_HZ = 22_050.0
FS_HZ = ValidRange(4_000.0, 50_000.0, "Hz", DEFAULT_FS_HZ)
DURATION_S = ValidRange(0.5, 120.0, "s", 5.0)
SEED = ValidRange(0, 2**32 - 1, "", 0)
#: Durations of one positive sharp wave accepted by :func:`positive_wave`.
PSW_DURATION_MS = ValidRange(1.0, 100.0, "ms", 16.0)
#: Baseline noise of the needle amplifier (illustrative, RMS).
NOISE_UV = 4.0


@result_type()
@dataclass(frozen=True)
class Pattern:
    """One EMG pattern: what generates it, the published statistics it is built to, its sound."""

    key: str
    label: str
    generator: str
    targets: dict          # cited numbers: name -> (low, high, unit) or a phrase
    sources: tuple         # keys in book/references.bib
    sound: str             # what to listen for, in words
    looks: str             # what the trace shows, in words
    clip_s: float = 5.0    # length of the clip the book plays


@result_type(example=lambda: simulate("fibrillation", 1.0))
@dataclass(frozen=True)
class PatternRecording:
    """A generated needle recording of one pattern (same fields as an :class:`EmgRecording`)."""

    pattern: str
    t_ms: np.ndarray
    signal_mV: np.ndarray
    event_times_ms: np.ndarray      # discharge times of every generator, ms
    unit_ids: np.ndarray            # which generator (unit or fibre) fired, one per event
    fs_hz: float
    electrode: str = "needle"
    bursts_ms: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))  # (start, end)

    @property
    def duration_s(self) -> float:
        return self.signal_mV.size / self.fs_hz


PATTERNS: dict[str, Pattern] = {
    "voluntary": Pattern(
        "voluntary", "voluntary recruitment",
        "motor units recruited by the brain, smallest first (Fuglevand pool)",
        {"first-unit rate at recruitment": (8.0, 8.0, "Hz"),
         "interval CV of a voluntary unit": (0.2, 0.2, ""),
         "peak rates": (25.0, 35.0, "Hz")},
        ("fuglevand1993", "daube2009"),
        "A slow, regular ticking of one unit that speeds up; then more and more units join "
        "until the separate ticks merge into a loud, rough roar, like heavy rain.",
        "At first one small potential repeating regularly; as effort rises, more and larger "
        "units fire until the baseline disappears under overlapping potentials (the "
        "interference pattern)."),
    "fasciculation": Pattern(
        "fasciculation", "fasciculation potentials (benign)",
        "a whole motor unit firing on its own (motor axon or motor neuron)",
        {"FP frequency (first dorsal interosseous, surface)": (0.28, 0.29, "Hz"),
         "regularity": "irregular (random intervals)",
         "shape": "a normal MUAP: 0.2-3 mV, 5-15 ms, up to 4 phases"},
        ("decarvalho2016", "daube2009", "decarvalho2017"),
        "Silence, then an isolated dull pop or thump, then silence again for a second or "
        "several; no rhythm at all.",
        "A flat baseline with an occasional single motor-unit potential of normal size and "
        "shape at random times.", clip_s=10.0),
    "fasciculation_denervated": Pattern(
        "fasciculation_denervated", "fasciculation potentials in chronic denervation",
        "an enlarged, reinnervated motor unit firing on its own (denervation model)",
        {"FP frequency (first dorsal interosseous, surface)": (0.28, 0.29, "Hz"),
         "shape": "larger, longer, polyphasic, changing from one discharge to the next"},
        ("decarvalho2016", "decarvalho1998", "liu2021"),
        "The same irregular pops as benign fasciculations, but louder, longer and crackly, "
        "and not quite the same each time.",
        "Isolated potentials at random times that are bigger and longer than normal, with "
        "many phases, and whose shape changes between discharges.", clip_s=10.0),
    "fibrillation": Pattern(
        "fibrillation", "fibrillation potentials",
        "single muscle fibres that have lost their nerve",
        {"rate": (0.5, 15.0, "Hz"), "regularity": "regular, may slow gradually",
         "duration": (1.0, 5.0, "ms"), "amplitude": (0.02, 0.2, "mV"),
         "first phase": "positive"},
        ("davalos2023",),
        "Soft, sharp, high-pitched clicks, each fibre ticking like a small clock, several "
        "clocks at once: often likened to rain on a roof.",
        "Tiny, brief spikes (tens of microvolts, a few milliseconds) repeating at steady "
        "intervals, each fibre at its own rate."),
    "positive_sharp_wave": Pattern(
        "positive_sharp_wave", "positive sharp waves",
        "single denervated muscle fibres, recorded where the needle blocks the impulse",
        {"rate": (0.5, 15.0, "Hz"), "regularity": "regular",
         "duration": (10.0, 30.0, "ms"), "shape": "sharp positive then long negative phase"},
        ("davalos2023",),
        "Regular, duller clicks or ticks, lower in pitch than fibrillation spikes.",
        "A sharp positive deflection followed by a slow, shallow negative phase, repeating "
        "regularly."),
    "myokymia": Pattern(
        "myokymia", "myokymic discharges",
        "one motor axon firing in bursts (a hyperexcitable nerve)",
        {"burst recurrence": "rhythmic or semirhythmic, usually several per second",
         "burst content": "repeated potentials of one motor unit"},
        ("gutmann1991", "gutmann2004"),
        "Short groups of identical thumps repeating in a steady beat, like soldiers "
        "marching.",
        "Groups of two or more identical motor-unit potentials, the groups separated by "
        "silence and recurring a few times per second."),
    "neuromyotonia": Pattern(
        "neuromyotonia", "neuromyotonic discharges",
        "one motor axon firing at very high rates (peripheral nerve hyperexcitability)",
        {"intraburst frequency": (150.0, 300.0, "Hz"), "burst length": (0.5, 2.0, "s"),
         "amplitude": "wanes during the burst"},
        ("maddison2006", "bednarik2001"),
        "A high-pitched ping or whine that starts suddenly, fades in loudness and stops.",
        "Bursts of one unit's potentials packed hundreds per second, their amplitude "
        "decreasing through the burst, with silence between bursts."),
    "cramp": Pattern(
        "cramp", "cramp discharge",
        "many motor units driven together (motor neurons and nerve terminals)",
        {"unit rate": (6.0, 25.0, "Hz"), "mean unit rate": (14.5, 14.5, "Hz"),
         "interval CV": (0.35, 0.54, "")},
        ("minetto2009", "minetto2013"),
        "A sudden, loud, irregular crackling roar from many units that starts abruptly and "
        "stops seconds later.",
        "Silence, then dense activity of many units of different sizes firing irregularly for "
        "seconds, then silence."),
    "crd": Pattern(
        "crd", "complex repetitive discharge",
        "a group of muscle fibres driving each other (ephaptic), a pacemaker fibre leading",
        {"rate": (5.0, 150.0, "Hz"), "regularity": "nearly constant intervals",
         "amplitude": (0.1, 1.0, "mV"), "onset": "abrupt start and stop, uniform shape"},
        ("trontelj1983", "aanem2015", "wustl_crd"),
        "A machine-like buzz or drone at a constant pitch, like an idling motorboat, that "
        "switches on and off abruptly.",
        "The same complex, many-peaked potential repeating at perfectly even intervals, "
        "starting and stopping abruptly."),
    "myotonia": Pattern(
        "myotonia", "myotonic discharge",
        "single muscle fibres with an unstable membrane (chloride or sodium channel disorders)",
        {"rate": (20.0, 80.0, "Hz"),
         "waveform": "spikes under 5 ms or positive waves of 5-20 ms",
         "modulation": "amplitude and frequency both wax and wane"},
        ("aanem2015",),
        "A revving sound whose pitch and loudness rise and fall, often fading away at the end: "
        "likened to a dive bomber or a motorcycle.",
        "A run of positive waves whose rate and size increase and then decrease."),
    "endplate": Pattern(
        "endplate", "end-plate noise and spikes",
        "the normal neuromuscular junction under the needle tip",
        {"end-plate spikes": "irregular firing, initial negative deflection",
         "end-plate noise": "miniature end-plate potentials, local and non-propagating"},
        ("davalos2023", "partanen2022"),
        "A continuous low hiss, like a seashell held to the ear, with irregular crackling "
        "spikes over it.",
        "A fuzzy, slightly negative baseline (many tiny end-plate potentials) with brief "
        "spikes at irregular times that begin with a negative deflection."),
}

#: The patterns in teaching order.
PATTERN_KEYS = tuple(PATTERNS)


# ---------------------------------------------------------------- validation
@validated(pattern=Choice(PATTERNS))
def check_pattern(pattern: str) -> Pattern:
    """The :class:`Pattern` named ``pattern``, or ValueError listing the valid names."""
    if not isinstance(pattern, str) or pattern not in PATTERNS:
        raise ValueError(f"pattern must be one of {list(PATTERNS)}, got {pattern!r}")
    return PATTERNS[pattern]


def _check_common(duration_s, fs_hz, seed):
    d = require_range("duration_s", duration_s, DURATION_S)
    fs = require_range("fs_hz", fs_hz, FS_HZ)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer in {SEED.describe()}, got {seed!r}")
    s = int(require_range("seed", seed, SEED))
    return d, fs, s


# ---------------------------------------------------------------- waveforms
def _spike(t_ms, amplitude_mV, duration_ms, phases, initial_sign):
    """A Hermite MUAP shape whose first phase has sign ``initial_sign`` (+1 or -1)."""
    w = emg.muap_waveform(t_ms, amplitude_mV, duration_ms, phases, "needle")
    a = np.abs(w)
    first = w[np.argmax(a > 0.05 * a.max())]
    return w if np.sign(first) == initial_sign else -w


@validated(t_ms=Array(emg.T_RANGE_MS, ndim=None), amplitude_mV=emg.MUAP_AMPLITUDE_MV,
           duration_ms=PSW_DURATION_MS)
def positive_wave(t_ms, amplitude_mV: float, duration_ms: float) -> np.ndarray:
    """Positive sharp wave: a sharp positive peak then a long, shallow negative phase (mV).

    Difference of two alpha functions with zero net area: the positive one peaks 0.7 ms after
    onset; the negative one has a time constant ``duration_ms / 8`` (so the wave returns
    within 2 % of its peak about ``duration_ms`` after onset). ``amplitude_mV`` is the
    positive peak; the onset is at t = 0.
    """
    tau1, tau2 = 0.7, duration_ms / 8.0

    def shape(t):
        x1 = np.clip(t, 0.0, None) / tau1
        x2 = np.clip(t, 0.0, None) / tau2
        return x1 * np.exp(1.0 - x1) - (tau1 / tau2) * x2 * np.exp(1.0 - x2)

    # the positive peak, from a fine grid (not the samples asked for, which may miss it or
    # lie wholly before the onset or in the negative tail)
    peak = float(shape(np.linspace(0.0, 4.0 * tau1, 4001)).max())
    return amplitude_mV * shape(np.asarray(t_ms, dtype=float)) / peak


def _add(signal, fs_hz, times_ms, waveform, start_ms):
    """Add ``waveform`` (sampled at fs, starting ``start_ms`` relative to each time)."""
    n = signal.size
    for t in np.atleast_1d(times_ms):
        i0 = int(round((t + start_ms) * fs_hz / 1000.0))
        lo, hi = max(i0, 0), min(i0 + waveform.size, n)
        if hi > lo:
            signal[lo:hi] += waveform[lo - i0:hi - i0]


def _grid(fs_hz, span_ms, start_ms=0.0):
    n = int(math.ceil(span_ms * fs_hz / 1000.0))
    return start_ms + np.arange(n) * 1000.0 / fs_hz


def _regular_train(rng, start_ms, end_ms, rate_hz, cv, slowing=0.0):
    """Event times at ``rate_hz`` with Gaussian interval jitter ``cv``; rate falls by
    ``slowing`` (fraction) over the train."""
    out, t = [], start_ms
    span = max(end_ms - start_ms, 1e-9)
    while True:
        r = rate_hz * (1.0 - slowing * (t - start_ms) / span)
        t += (1000.0 / r) * max(0.2, 1.0 + cv * rng.standard_normal())
        if t >= end_ms:
            return np.asarray(out)
        out.append(t)


def _gamma_train(rng, start_ms, end_ms, rate_hz, cv):
    shape = 1.0 / (cv * cv)
    out, t = [], start_ms + rng.uniform(0.0, 1000.0 / rate_hz)
    while t < end_ms:
        out.append(t)
        t += rng.gamma(shape, (1000.0 / rate_hz) / shape)
    return np.asarray(out)


def _poisson(rng, start_ms, end_ms, rate_hz):
    n = rng.poisson(rate_hz * (end_ms - start_ms) / 1000.0)
    return np.sort(rng.uniform(start_ms, end_ms, n))


# ---------------------------------------------------------------- the patterns
def _needle_units(seed):
    """The Fuglevand pool and its needle MUAPs; indices of the units near the needle."""
    pool = FuglevandPool()
    muaps = emg.pool_muaps(pool, "needle", seed=0)
    near = np.nonzero(muaps.near_electrode)[0]
    return pool, muaps, near


def _unit_waveform(muaps, unit, fs_hz):
    d = float(muaps.duration_ms[unit])
    t = _grid(fs_hz, 1.2 * d, -0.6 * d)
    return emg.unit_muap_waveform(t, muaps, unit), -0.6 * d


def _voluntary(rng, dur_ms, fs_hz, seed):
    pool = FuglevandPool()
    # hold just above the first unit's threshold (RTE_1 = 30**(1/120) = 1.029) for the first
    # fifth, so one unit fires alone at its recruitment rate; then an exponential ramp to the
    # last unit's threshold (RR = 30), which recruits units at a steady pace
    e0, e1, hold = 1.05, 30.0, 0.2 * dur_ms

    def ramp(t_ms):
        x = np.clip((np.asarray(t_ms, dtype=float) - hold) / (dur_ms - hold), 0.0, 1.0)
        return e0 * (e1 / e0) ** x

    rec = emg.voluntary_emg(pool, ramp, dur_ms / 1000.0, fs_hz, "needle", seed,
                            noise_uV=NOISE_UV)
    return rec.signal_mV, rec.event_times_ms, rec.unit_ids, np.zeros((0, 2))


#: de Carvalho & Swash (2016): FP frequency in first dorsal interosseous (BFS 0.28 Hz,
#: ALS median 0.29 Hz); the model fires at this total rate in either condition.
FP_RATE_HZ = 0.29


def _fasciculation(rng, dur_ms, fs_hz, seed, sig):
    _, muaps, near = _needle_units(seed)
    units = near[np.argsort(muaps.amplitude_mV[near])[-2:]]   # the two largest near units
    times = _poisson(rng, 50.0, dur_ms - 30.0, FP_RATE_HZ)
    ids = rng.integers(0, units.size, times.size)
    for k, t in enumerate(times):
        w, start = _unit_waveform(muaps, int(units[ids[k]]), fs_hz)
        _add(sig, fs_hz, [t], w, start)
    return times, units[ids].astype(np.int64)


#: Chronic denervation in the course's denervation model: 70 % of units lost.
DENERVATION_FRACTION_LOST = 0.7


def _fasciculation_denervated(rng, dur_ms, fs_hz, seed, sig):
    pool = dn.reinnervate(DENERVATION_FRACTION_LOST, seed=seed)
    times = _poisson(rng, 50.0, dur_ms - 40.0, FP_RATE_HZ)
    n = max(int(times.size), 1)
    fps = dn.fasciculation_potentials(pool, min(n, int(dn.N_DISCHARGES.high)), seed=seed)
    t_src = fps.t_ms
    grid = _grid(fs_hz, t_src[-1] - t_src[0], t_src[0])
    for k, t in enumerate(times):
        w = np.interp(grid, t_src, fps.v_mV[k % fps.v_mV.shape[0]])
        _add(sig, fs_hz, [t], w, float(t_src[0]))
    return times, np.full(times.size, fps.unit_index, dtype=np.int64)


def _fibrillation(rng, dur_ms, fs_hz, seed, sig):
    # three fibres: (rate Hz, amplitude mV, duration ms), inside 0.5-15 Hz, 20-200 uV, 1-5 ms
    fibres = ((2.6, 0.06, 2.2), (5.1, 0.11, 2.6), (8.3, 0.2, 3.0))
    times, ids = [], []
    for i, (rate, amp, d) in enumerate(fibres):
        tr = _regular_train(rng, rng.uniform(0, 1000.0 / rate), dur_ms - 10.0, rate, 0.02,
                            slowing=0.1)
        t = _grid(fs_hz, 1.6 * d, -0.8 * d)
        _add(sig, fs_hz, tr, _spike(t, amp, d, 3 if i == 1 else 2, +1), -0.8 * d)
        times.append(tr)
        ids.append(np.full(tr.size, i))
    return np.concatenate(times), np.concatenate(ids).astype(np.int64)


def _positive_sharp_waves(rng, dur_ms, fs_hz, seed, sig):
    fibres = ((3.2, 0.12, 16.0), (6.5, 0.22, 20.0))
    times, ids = [], []
    for i, (rate, amp, d) in enumerate(fibres):
        tr = _regular_train(rng, rng.uniform(0, 1000.0 / rate), dur_ms - 40.0, rate, 0.02,
                            slowing=0.05)
        _add(sig, fs_hz, tr, positive_wave(_grid(fs_hz, 1.6 * d), amp, d), 0.0)
        times.append(tr)
        ids.append(np.full(tr.size, i))
    return np.concatenate(times), np.concatenate(ids).astype(np.int64)


#: Illustrative myokymia: 2-6 discharges per burst at 30 Hz, bursts every 0.4 s (CV 0.1).
MYOKYMIA_INTRABURST_HZ = 30.0
MYOKYMIA_BURST_INTERVAL_MS = 400.0


def _myokymia(rng, dur_ms, fs_hz, seed, sig):
    _, muaps, near = _needle_units(seed)
    unit = int(near[np.argmax(muaps.amplitude_mV[near])])
    w, start = _unit_waveform(muaps, unit, fs_hz)
    starts = _regular_train(rng, 100.0 - MYOKYMIA_BURST_INTERVAL_MS, dur_ms - 250.0,
                            1000.0 / MYOKYMIA_BURST_INTERVAL_MS, 0.1)
    starts = starts[starts >= 100.0]
    times, bursts = [], []
    for s in starts:
        k = int(rng.integers(2, 7))
        isi = (1000.0 / MYOKYMIA_INTRABURST_HZ) * (1.0 + 0.05 * rng.standard_normal(k - 1))
        tt = s + np.concatenate([[0.0], np.cumsum(isi)])
        times.append(tt)
        bursts.append((tt[0], tt[-1]))
    times = np.concatenate(times) if times else np.zeros(0)
    _add(sig, fs_hz, times, w, start)
    return times, np.full(times.size, unit, dtype=np.int64), np.asarray(bursts)


def _neuromyotonia(rng, dur_ms, fs_hz, seed, sig):
    # a partial-unit spike (brief, so that potentials 4-6 ms apart stay separate)
    d = 3.5
    t = _grid(fs_hz, 1.2 * d, -0.6 * d)
    base = _spike(t, 0.8, d, 3, -1)
    times, bursts, amps = [], [], []
    s = 300.0 + rng.uniform(0.0, 300.0)
    while True:
        length = rng.uniform(0.7, 1.6) * 1000.0
        if s + length > dur_ms - 100.0:
            break
        f0, f1 = rng.uniform(220.0, 260.0), rng.uniform(160.0, 190.0)   # Hz, slowing
        tt, x = [s], s
        while x < s + length:
            frac = (x - s) / length
            x += 1000.0 / (f0 + (f1 - f0) * frac) * (1.0 + 0.03 * rng.standard_normal())
            tt.append(x)
        tt = np.asarray(tt[:-1])
        a = np.exp(-1.2 * (tt - s) / length)         # waning: to 30 % by the end
        for ti, ai in zip(tt, a, strict=True):
            _add(sig, fs_hz, [ti], ai * base, -0.6 * d)
        times.append(tt)
        amps.append(a)
        bursts.append((tt[0], tt[-1]))
        s = tt[-1] + rng.uniform(600.0, 1500.0)
    times = np.concatenate(times) if times else np.zeros(0)
    return times, np.zeros(times.size, dtype=np.int64), np.asarray(bursts)


#: Minetto et al. (2009): cramp discharge rates of individual units.
CRAMP_RATE_HZ = (14.5, 5.1, 6.0, 25.0)   # mean, SD, minimum, maximum
CRAMP_ISI_CV = 0.446


def _cramp(rng, dur_ms, fs_hz, seed, sig):
    _, muaps, near = _needle_units(seed)
    order = np.argsort(muaps.amplitude_mV)[::-1]
    lead = int(near[np.argmax(muaps.amplitude_mV[near])])          # the unit at the tip
    others = [int(u) for u in order if u != lead][:14]
    on, off = 0.15 * dur_ms, 0.85 * dur_ms
    times, ids = [], []
    mean, sd, lo, hi = CRAMP_RATE_HZ
    for j, u in enumerate([lead] + others):
        rate = float(np.clip(rng.normal(mean, sd), lo, hi))
        u_on = on + (0.0 if j == 0 else rng.uniform(0.0, 300.0))
        u_off = off - (0.0 if j == 0 else rng.uniform(0.0, 300.0))
        tr = _gamma_train(rng, u_on, u_off, rate, CRAMP_ISI_CV)
        tr = tr[np.concatenate([[True], np.diff(tr) > 4.0])] if tr.size else tr
        w, start = _unit_waveform(muaps, u, fs_hz)
        gain = 1.0 if j == 0 else min(1.0, 0.35 * muaps.amplitude_mV[lead]
                                      / max(muaps.amplitude_mV[u], 1e-9))
        _add(sig, fs_hz, tr, gain * w, start)
        times.append(tr)
        ids.append(np.full(tr.size, u))
    return (np.concatenate(times), np.concatenate(ids).astype(np.int64),
            np.array([[on, off]]))


#: Illustrative complex repetitive discharge at 35 Hz (inside 5-150 Hz, most often 30-40 Hz).
CRD_RATE_HZ = 35.0


def _crd(rng, dur_ms, fs_hz, seed, sig):
    # one complex: six fibre spikes at fixed latencies (time-locked, ephaptic chain)
    lat = np.array([0.0, 1.3, 2.1, 3.6, 4.4, 6.2])
    amp = np.array([0.35, 0.22, 0.5, 0.18, 0.3, 0.15])
    t = _grid(fs_hz, 12.0, -1.5)
    complex_w = np.zeros_like(t)
    for la, a in zip(lat, amp, strict=True):
        complex_w += _spike(t - la, a, 2.0, 2, +1)
    on, off = 0.12 * dur_ms, 0.86 * dur_ms
    tr = _regular_train(rng, on - 1000.0 / CRD_RATE_HZ, off, CRD_RATE_HZ, 0.002)
    _add(sig, fs_hz, tr, complex_w, -1.5)
    return tr, np.zeros(tr.size, dtype=np.int64), np.array([[tr[0], tr[-1]]])


def _myotonic_envelope(x):
    """0 -> 1 over the first 30 % of the discharge, then slowly back to 0 (wax, then wane)."""
    x = np.clip(np.asarray(x, dtype=float), 0.0, 1.0)
    return np.where(x < 0.3, x / 0.3, 1.0 - (x - 0.3) / 0.7)


def _myotonia(rng, dur_ms, fs_hz, seed, sig):
    # positive waves of 7 ms (inside 5-20 ms); rate waxes 25 -> 75 Hz, then wanes to 25 Hz,
    # amplitude with it (AANEM: both must wax and wane)
    d = 7.0
    wave = positive_wave(_grid(fs_hz, 1.5 * d), 1.0, d)
    times, bursts = [], []
    s = 0.08 * dur_ms
    length = 0.8 * dur_ms
    t_next = s
    while t_next < s + length:
        times.append(t_next)
        rate = 25.0 + 50.0 * _myotonic_envelope((t_next - s) / length)
        t_next += 1000.0 / rate * (1.0 + 0.01 * rng.standard_normal())
    times = np.asarray(times)
    amp = 0.08 + 0.22 * _myotonic_envelope((times - s) / length)
    for ti, ai in zip(times, amp, strict=True):
        _add(sig, fs_hz, [ti], ai * wave, 0.0)
    bursts.append((times[0], times[-1]))
    return times, np.zeros(times.size, dtype=np.int64), np.asarray(bursts)


#: Illustrative end-plate activity: miniature potentials (negative, 15 uV, 1.5 ms) at
#: 300/s at random, and end-plate spikes (120 uV, 3 ms, initial negative) at random at 12/s.
MEPP_RATE_HZ, MEPP_UV, EPS_RATE_HZ, EPS_UV = 300.0, 15.0, 12.0, 120.0


def _endplate(rng, dur_ms, fs_hz, seed, sig):
    t = _grid(fs_hz, 4.0)
    mepp = -(MEPP_UV / 1000.0) * (t / 0.5) * np.exp(1.0 - t / 0.5)   # monophasic negative
    _add(sig, fs_hz, _poisson(rng, 0.0, dur_ms, MEPP_RATE_HZ), mepp, 0.0)
    d = 3.0
    ts = _grid(fs_hz, 1.4 * d, -0.7 * d)
    spike = _spike(ts, EPS_UV / 1000.0, d, 2, -1)
    eps = _poisson(rng, 20.0, dur_ms - 10.0, EPS_RATE_HZ)
    eps = eps[np.concatenate([[True], np.diff(eps) > 6.0])] if eps.size else eps
    amps = rng.uniform(0.7, 1.3, eps.size)
    for ti, a in zip(eps, amps, strict=True):
        _add(sig, fs_hz, [ti], a * spike, -0.7 * d)
    return eps, np.zeros(eps.size, dtype=np.int64)


_GENERATORS = {
    "fasciculation": _fasciculation, "fasciculation_denervated": _fasciculation_denervated,
    "fibrillation": _fibrillation, "positive_sharp_wave": _positive_sharp_waves,
    "myokymia": _myokymia, "neuromyotonia": _neuromyotonia, "cramp": _cramp, "crd": _crd,
    "myotonia": _myotonia, "endplate": _endplate,
}


@validated(pattern=Choice(PATTERNS), duration_s=Optional(DURATION_S), fs_hz=FS_HZ,
           seed=Integer(SEED, strict=True),
           requires=[Require(("pattern", "duration_s"),
                             lambda a: a["pattern"] != "voluntary" or a["duration_s"] is None
                             or a["duration_s"] <= emg.RECORDING_DURATION_S.high,
                             f"duration_s of the voluntary pattern must be in [{DURATION_S.low:g}, "
                             f"{emg.RECORDING_DURATION_S.high:g}] s (the EMG model's longest "
                             "recording)")])
def simulate(pattern: str, duration_s: float | None = None, fs_hz: float = DEFAULT_FS_HZ,
             seed: int = 0) -> PatternRecording:
    """A seeded needle recording of ``pattern`` (one of :data:`PATTERN_KEYS`).

    ``duration_s`` defaults to the pattern's book clip length (at most 60 s for
    "voluntary", which uses :func:`widgets.models.emg.voluntary_emg`); ``fs_hz`` is the
    sampling rate. Bad input raises ValueError naming the parameter and its valid values.
    """
    p = check_pattern(pattern)
    dur, fs, s = _check_common(p.clip_s if duration_s is None else duration_s, fs_hz, seed)
    dur_ms = dur * 1000.0
    rng = np.random.default_rng([s, PATTERN_KEYS.index(pattern)])
    n = int(round(dur * fs))
    bursts = np.zeros((0, 2))
    if pattern == "voluntary":
        sig, times, ids, bursts = _voluntary(rng, dur_ms, fs, s)
    else:
        sig = rng.normal(0.0, NOISE_UV / 1000.0, n)
        out = _GENERATORS[pattern](rng, dur_ms, fs, s, sig)
        times, ids = out[0], out[1]
        if len(out) > 2:
            bursts = np.asarray(out[2], dtype=float).reshape(-1, 2)
    order = np.argsort(times, kind="stable")
    return PatternRecording(pattern=pattern, t_ms=np.arange(n) * 1000.0 / fs, signal_mV=sig,
                            event_times_ms=np.asarray(times, float)[order],
                            unit_ids=np.asarray(ids, np.int64)[order], fs_hz=float(fs),
                            bursts_ms=bursts)


_FEW = "nan when the most active generator fired fewer than 5 times"


@result_type(nonfinite={"rate_hz": _FEW, "interval_cv": _FEW})
@dataclass(frozen=True)
class DischargeStatistics:
    """Firing of the most active generator (unit or fibre) in a recording."""

    n_discharges: int       # all generators
    n_generators: int
    rate_hz: float          # of the most active one while it fires (1 / mean interval,
                            # leaving out pauses longer than 3 median intervals)
    interval_cv: float      # SD / mean of all its intervals
    # rate and CV are nan when the most active generator fired fewer than 5 times


@validated(rec=Instance(PatternRecording, "from simulate()"))
def discharge_statistics(rec: PatternRecording) -> DischargeStatistics:
    """Count, rate and regularity of the discharges that made ``rec`` (for checkpoints)."""
    if not isinstance(rec, PatternRecording):
        raise ValueError("rec must be a PatternRecording from simulate()")
    ids, counts = np.unique(rec.unit_ids, return_counts=True)
    if ids.size == 0:
        return DischargeStatistics(0, 0, math.nan, math.nan)
    t = np.sort(rec.event_times_ms[rec.unit_ids == ids[np.argmax(counts)]])
    if t.size < 5:
        return DischargeStatistics(int(rec.event_times_ms.size), int(ids.size), math.nan,
                                   math.nan)
    d = np.diff(t)
    firing = d[d <= 3.0 * np.median(d)]
    return DischargeStatistics(int(rec.event_times_ms.size), int(ids.size),
                               float(1000.0 / firing.mean()), float(d.std() / d.mean()))
