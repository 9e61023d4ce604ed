"""MUAPs and fasciculation potentials against published ranges.

Published anchors: normal concentric-needle MUAPs in limb muscles are ~0.2-3 mV peak to peak
and 5-15 ms long, with up to 4 phases (Daube & Rubin 2009, Muscle Nerve 39:244); surface MUAPs
are tens to a few hundred microvolts (McNeil et al. 2005, Clin Neurophysiol 116:1342: mean
surface MUAP 26-69 uV in tibialis anterior). Durations and phases are measured here from the
sampled waveform by an independent method (threshold crossings, sign changes), not read back
from the generator's parameters. A fasciculation potential is a whole-unit discharge, so it
repeats the unit's MUAP; it occurs irregularly (Poisson: interval CV ~ 1), unlike voluntary
trains (CV ~ 0.2, Fuglevand et al. 1993).
"""

import numpy as np
import pytest

from widgets.models import emg
from widgets.models.emg import (
    fasciculation_train,
    muap_waveform,
    pool_muaps,
    surface_duration_ms,
    unit_muap_waveform,
    voluntary_emg,
)
from widgets.models.motor_units import FuglevandPool

POOL = FuglevandPool()
T = np.arange(-40.0, 40.0, 0.01)
NEEDLE_AMP = emg.NEEDLE_MUAP_AMPLITUDE_NORMAL_MV
NEEDLE_DUR = emg.NEEDLE_MUAP_DURATION_NORMAL_MS
SURFACE_AMP = emg.SURFACE_MUAP_AMPLITUDE_NORMAL_MV


def measured_duration_ms(t, w, fraction):
    """First to last sample where |w| exceeds ``fraction`` of its peak (independent)."""
    a = np.abs(w)
    idx = np.nonzero(a >= fraction * a.max())[0]
    return t[idx[-1]] - t[idx[0]]


def count_phases(w, fraction=0.02):
    """Phases = baseline crossings + 1 within the potential (independent count)."""
    a = np.abs(w)
    idx = np.nonzero(a >= fraction * a.max())[0]
    seg = w[idx[0]: idx[-1] + 1]
    seg = seg[np.abs(seg) > 1e-6 * a.max()]
    return int(np.count_nonzero(np.diff(np.sign(seg)) != 0)) + 1


def test_published_ranges_are_as_cited():
    assert (NEEDLE_AMP.low, NEEDLE_AMP.high) == (0.2, 3.0)
    assert (NEEDLE_DUR.low, NEEDLE_DUR.high) == (5.0, 15.0)
    assert emg.NORMAL_MAX_PHASES == 4


def test_default_needle_muap_inside_published_ranges():
    w = muap_waveform(T)
    assert NEEDLE_AMP.low <= np.ptp(w) <= NEEDLE_AMP.high
    for fraction in (0.02, 0.05, 0.1):
        assert NEEDLE_DUR.low <= measured_duration_ms(T, w, fraction) <= NEEDLE_DUR.high
    assert count_phases(w) == 3


@pytest.mark.parametrize("phases", [1, 2, 3, 4, 5, 7])
def test_requested_phases_are_measured(phases):
    w = muap_waveform(T, 1.0, 12.0, phases)
    assert count_phases(w) == phases
    assert np.ptp(w) == pytest.approx(1.0, rel=1e-3)
    assert measured_duration_ms(T, w, 0.02) == pytest.approx(12.0, abs=0.05)


def test_every_pool_unit_inside_published_needle_ranges():
    m = pool_muaps(POOL, "needle")
    near = m.near_electrode
    assert near[0] and 3 <= near.sum() <= 40
    amps = m.amplitude_mV[near]
    assert np.all((amps >= NEEDLE_AMP.low) & (amps <= NEEDLE_AMP.high))
    assert np.all(m.amplitude_mV[~near] < m.amplitude_mV[near].max())
    for u in range(POOL.n_units):
        w = unit_muap_waveform(T, m, u)
        d = measured_duration_ms(T, w, 0.02)
        assert NEEDLE_DUR.low <= d <= NEEDLE_DUR.high
        assert count_phases(w) <= emg.NORMAL_MAX_PHASES
    # bigger units give bigger potentials (size principle, same position)
    rel = m.amplitude_mV / np.where(near, 1.0, np.nan)
    assert np.nanargmax(rel) > np.nanargmin(rel)


def test_surface_muaps_smaller_longer_and_low_passed():
    m = pool_muaps(POOL, "surface")
    assert np.all((m.amplitude_mV >= SURFACE_AMP.low) & (m.amplitude_mV <= SURFACE_AMP.high))
    needle = muap_waveform(T, 1.0, 10.0)
    surface = muap_waveform(T, 1.0, 10.0, electrode="surface")
    assert np.ptp(surface) < 0.2 * np.ptp(needle)
    d_n = measured_duration_ms(T, needle, 0.02)
    d_s = measured_duration_ms(T, surface, 0.02)
    assert d_s > d_n
    assert d_s == pytest.approx(surface_duration_ms(10.0), abs=0.05)

    def median_frequency(w):
        spec = np.abs(np.fft.rfft(w)) ** 2
        f = np.fft.rfftfreq(w.size, d=0.01e-3)
        c = np.cumsum(spec)
        return f[np.searchsorted(c, c[-1] / 2)]

    assert median_frequency(surface) < median_frequency(needle)


def test_fasciculation_potential_repeats_the_units_muap():
    rec = fasciculation_train(1.0, 30.0, electrode="needle", seed=2, noise_uV=0.0, n_units=1)
    assert rec.event_times_ms.size > 10
    fs = rec.fs_hz
    p2p = []
    for t0 in rec.event_times_ms:
        s = int(np.floor(t0 * fs / 1000.0))
        seg = rec.signal_mV[s: s + int(0.02 * fs)]
        if seg.size == int(0.02 * fs):
            p2p.append(np.ptp(seg))
    p2p = np.array(p2p)
    # stable unit: the same size every discharge, inside the normal needle range
    assert np.ptp(p2p) < 1e-9 + 0.01 * p2p.mean()
    assert NEEDLE_AMP.low <= p2p.mean() <= NEEDLE_AMP.high


def test_unstable_fasciculations_vary_from_discharge_to_discharge():
    rec = fasciculation_train(2.0, 60.0, seed=4, noise_uV=0.0, n_units=1, amplitude_cv=0.3,
                              phases=6, duration_jitter_ms=2.0)
    fs = rec.fs_hz
    p2p = np.array([np.ptp(rec.signal_mV[int(t * fs / 1000): int(t * fs / 1000) + 300])
                    for t in rec.event_times_ms[:-1]])
    p2p = p2p[p2p > 0]
    assert 0.15 < p2p.std() / p2p.mean() < 0.45


def test_fasciculations_are_irregular_voluntary_trains_regular():
    rec = fasciculation_train(2.0, 60.0, seed=1)
    n = rec.event_times_ms.size
    assert abs(n - 120) < 4 * np.sqrt(120)          # Poisson count
    isi = np.diff(rec.event_times_ms)
    assert 0.8 < isi.std() / isi.mean() < 1.25      # exponential intervals, CV ~ 1
    vol = voluntary_emg(POOL, 10.0, 5.0, seed=1)
    t0 = vol.event_times_ms[vol.unit_ids == 0]
    isi_v = np.diff(t0)
    assert 0.15 < isi_v.std() / isi_v.mean() < 0.25  # Fuglevand CV 0.2
    assert 8.0 <= 1000.0 / isi_v.mean() <= 35.0


def test_voluntary_emg_grows_with_excitation_and_is_silent_at_rest():
    quiet = voluntary_emg(POOL, 0.0, 1.0, noise_uV=0.0)
    assert quiet.event_times_ms.size == 0 and np.all(quiet.signal_mV == 0.0)
    low = voluntary_emg(POOL, 5.0, 1.0)
    high = voluntary_emg(POOL, 40.0, 1.0)
    assert high.event_times_ms.size > 3 * low.event_times_ms.size
    assert np.std(high.signal_mV) > np.std(low.signal_mV)
    assert np.all(np.isfinite(high.signal_mV))


def test_surface_recording_smaller_than_needle():
    n = voluntary_emg(POOL, 10.0, 1.0, electrode="needle", noise_uV=0.0)
    s = voluntary_emg(POOL, 10.0, 1.0, electrode="surface", noise_uV=0.0)
    assert np.ptp(s.signal_mV) < np.ptp(n.signal_mV)


def test_deterministic_with_seed():
    a = fasciculation_train(1.0, 5.0, seed=3)
    b = fasciculation_train(1.0, 5.0, seed=3)
    c = fasciculation_train(1.0, 5.0, seed=4)
    assert np.array_equal(a.signal_mV, b.signal_mV)
    assert not np.array_equal(a.signal_mV, c.signal_mV)
    v1 = voluntary_emg(POOL, 12.0, 1.0, seed=7)
    v2 = voluntary_emg(POOL, 12.0, 1.0, seed=7)
    assert np.array_equal(v1.signal_mV, v2.signal_mV)


@pytest.mark.parametrize("call", [
    lambda: muap_waveform(T, 0.0),
    lambda: muap_waveform(T, 1.0, 0.5),
    lambda: muap_waveform(T, 1.0, 10.0, 0),
    lambda: muap_waveform(T, 1.0, 10.0, 11),
    lambda: muap_waveform(T, 1.0, 10.0, 2.5),
    lambda: muap_waveform(T, 1.0, 10.0, True),
    lambda: muap_waveform(T, 1.0, 10.0, 3, "wire"),
    lambda: muap_waveform(np.array([np.nan])),
    lambda: muap_waveform(T, centre_ms=float("inf")),
    lambda: surface_duration_ms(100.0),
    lambda: fasciculation_train(-1.0),
    lambda: fasciculation_train(30.0),
    lambda: fasciculation_train(1.0, 0.0),
    lambda: fasciculation_train(1.0, fs_hz=100.0),
    lambda: fasciculation_train(1.0, electrode="cup"),
    lambda: fasciculation_train(1.0, seed=-1),
    lambda: fasciculation_train(1.0, seed=1.5),
    lambda: fasciculation_train(1.0, noise_uV=-1.0),
    lambda: fasciculation_train(1.0, n_units=0),
    lambda: fasciculation_train(1.0, amplitude_mV=100.0),
    lambda: fasciculation_train(1.0, duration_ms=0.1),
    lambda: fasciculation_train(1.0, phases=20),
    lambda: fasciculation_train(1.0, amplitude_cv=2.0),
    lambda: fasciculation_train(1.0, duration_jitter_ms=-1.0),
    lambda: voluntary_emg("pool", 10.0),
    lambda: voluntary_emg(POOL, -1.0),
    lambda: voluntary_emg(POOL, 10.0, 100.0),
    lambda: voluntary_emg(POOL, 10.0, electrode="x"),
    lambda: voluntary_emg(POOL, 10.0, fs_hz=1e6),
    lambda: pool_muaps("pool"),
    lambda: pool_muaps(POOL, "x"),
    lambda: unit_muap_waveform(T, "m", 0),
    lambda: unit_muap_waveform(T, pool_muaps(POOL), 500),
])
def test_rejects_bad_inputs(call):
    with pytest.raises(ValueError):
        call()


def test_error_names_parameter_and_range():
    with pytest.raises(ValueError, match=r"duration_ms must be in \[1, 60\] ms"):
        muap_waveform(T, 1.0, 100.0)
