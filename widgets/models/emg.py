"""Motor-unit action potentials (MUAPs) and fasciculation potentials, as electrodes see them.

A motor unit's action potential (MUAP) is the summed electrical signal of all its muscle
fibres. A concentric needle close to the unit records a sharp potential of a few hundred
microvolts to a few millivolts lasting about 5-15 ms in normal limb muscles (Daube & Rubin
2009, Muscle Nerve 39:244, doi:10.1002/mus.21180).
A surface electrode is farther away: the tissue in between low-pass filters the potential,
so it is smaller (tens to a few hundred microvolts; McNeil et al. 2005, Clin Neurophysiol
116:1342, report mean surface MUAP sizes of 26-69 uV in tibialis anterior) and longer.

A fasciculation potential (FP) is the discharge of a whole motor unit, so it has the same
shape as that unit's MUAP; what marks it is the timing: it fires on its own, at rest, at
irregular (here Poisson) intervals, instead of in the orderly, regular ~8-35 Hz trains of
voluntary recruitment (Fuglevand et al. 1993, see :mod:`widgets.models.motor_units`).

Shape model (ours, stated): a MUAP with p phases is the (p - 1)-th derivative of a Gaussian,
h(x) = He_{p-1}(x) exp(-x^2/2), which has exactly p phases (p - 1 baseline crossings). It is
scaled so that its peak-to-peak amplitude is ``amplitude_mV`` and its duration (the span
over which |h| exceeds 2 % of its peak) is ``duration_ms``. The surface version is the same
potential smoothed by a Gaussian tissue filter (which, for a derivative of a Gaussian, gives
the same derivative of a wider Gaussian) and attenuated. Unit amplitudes in a pool, the
geometry of the electrode and the noise levels are illustrative choices, tuned so that the
results fall inside the published ranges above; they are not fitted to one muscle.

Instability, complexity and jitter (``phases``, ``amplitude_cv``, ``duration_jitter_ms`` of
:func:`fasciculation_train`) are parameters so that a denervation model can reuse this one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numba import njit
from numpy.polynomial import hermite_e

from widgets.models.motor_units import EXCITATION, FuglevandPool
from widgets.models.validation import (
    AnyOf,
    Array,
    Choice,
    Dependent,
    Function,
    Instance,
    Integer,
    Optional,
    ValidRange,
    require_array_finite,
    require_range,
    result_type,
    validated,
)

ELECTRODES = ("needle", "surface")

# ---------------------------------------------------------------- published ranges
#: Normal concentric-needle MUAP peak-to-peak amplitude in limb muscles (approximate range
#: as summarised by Daube & Rubin 2009; varies with muscle and age).
NEEDLE_MUAP_AMPLITUDE_NORMAL_MV = ValidRange(0.2, 3.0, "mV")
#: Normal concentric-needle MUAP duration in limb muscles (Daube & Rubin 2009).
NEEDLE_MUAP_DURATION_NORMAL_MS = ValidRange(5.0, 15.0, "ms")
#: Surface MUAP size: tens to a few hundred microvolts (McNeil et al. 2005: means 26-69 uV).
SURFACE_MUAP_AMPLITUDE_NORMAL_MV = ValidRange(0.01, 0.3, "mV")
#: Normal MUAPs have up to 4 phases; more is "polyphasic" (Daube & Rubin 2009).
NORMAL_MAX_PHASES = 4

# ---------------------------------------------------------------- model ranges
MUAP_AMPLITUDE_MV = ValidRange(0.001, 20.0, "mV", 1.0)
MUAP_DURATION_MS = ValidRange(1.0, 60.0, "ms", 10.0)
PHASES = ValidRange(1, 10, "phases", 3)
FS_HZ = ValidRange(1000.0, 50_000.0, "Hz", 10_000.0)
RECORDING_DURATION_S = ValidRange(0.01, 60.0, "s", 2.0)
#: Total fasciculation-potential rate in the recording.
FP_RATE_HZ = ValidRange(0.0, 20.0, "Hz", 0.5)
#: FP rate range offered in the EMG panel.
FP_RATE_TEACHING_HZ = ValidRange(0.1, 5.0, "Hz", 0.5)
NOISE_UV = ValidRange(0.0, 500.0, "uV", 10.0)
FP_UNITS = ValidRange(1, 50, "units", 3)
AMPLITUDE_CV = ValidRange(0.0, 1.0, "", 0.0)
DURATION_JITTER_MS = ValidRange(0.0, 10.0, "ms", 0.0)
SEED_RANGE = ValidRange(0, 2**32 - 1, "", 0)
#: Sample times accepted by the waveform functions (ms).
T_RANGE_MS = ValidRange(-1e9, 1e9, "ms")
CENTRE_RANGE_MS = ValidRange(-1e9, 1e9, "ms", 0.0)
_SEED = Integer(SEED_RANGE, strict=True)
_ELECTRODE = Choice(ELECTRODES)

#: Fraction of the peak that defines the start and end of the generated potential.
DURATION_FRACTION = 0.02
#: Gaussian SD of the tissue low-pass filter between muscle and skin (illustrative).
TISSUE_SMOOTHING_MS = 1.5
#: Surface peak-to-peak as a fraction of the needle's (illustrative).
SURFACE_GAIN = 0.1
#: Baseline noise, RMS (illustrative instrument + tissue noise).
DEFAULT_NOISE_UV = {"needle": 10.0, "surface": 3.0}


def _check_electrode(electrode: str) -> str:
    if electrode not in ELECTRODES:
        raise ValueError(f"electrode must be one of {ELECTRODES}, got {electrode!r}")
    return electrode


def _check_int(name: str, value, valid: ValidRange) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        if not (isinstance(value, (float, np.floating)) and float(value).is_integer()):
            raise ValueError(f"{name} must be an integer in {valid.describe()}, got {value!r}")
    require_range(name, value, valid)
    return int(value)


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


@lru_cache(maxsize=16)
def _shape_constants(phases: int) -> tuple[float, float, float]:
    """(half-span in x where |h| >= 2 % of peak, max |h|, peak-to-peak of h) for p phases."""
    x = np.linspace(-12.0, 12.0, 48001)
    h = _hermite_shape(x, phases)
    peak = np.max(np.abs(h))
    above = np.nonzero(np.abs(h) >= DURATION_FRACTION * peak)[0]
    half_span = 0.5 * (x[above[-1]] - x[above[0]])
    return float(half_span), float(peak), float(h.max() - h.min())


def _hermite_shape(x: np.ndarray, phases: int) -> np.ndarray:
    coef = np.zeros(phases)
    coef[-1] = 1.0
    h = hermite_e.hermeval(x, coef) * np.exp(-0.5 * x * x)
    # sign: make the largest phase negative (upward in the EMG display convention)
    return -h if phases % 2 == 1 else h


def _sigma_ms(duration_ms: float, phases: int) -> float:
    half_span, _, _ = _shape_constants(phases)
    return duration_ms / (2.0 * half_span)


@validated(duration_ms=MUAP_DURATION_MS, phases=Integer(PHASES))
def surface_duration_ms(duration_ms: float, phases: int = 3) -> float:
    """Duration of the surface version of a needle MUAP of ``duration_ms`` (tissue filter)."""
    require_range("duration_ms", duration_ms, MUAP_DURATION_MS)
    p = _check_int("phases", phases, PHASES)
    s = _sigma_ms(duration_ms, p)
    return duration_ms * math.sqrt(s * s + TISSUE_SMOOTHING_MS**2) / s


@validated(t_ms=Array(T_RANGE_MS, ndim=None), amplitude_mV=MUAP_AMPLITUDE_MV,
           duration_ms=MUAP_DURATION_MS, phases=Integer(PHASES), electrode=_ELECTRODE,
           centre_ms=CENTRE_RANGE_MS)
def muap_waveform(t_ms, amplitude_mV: float = 1.0, duration_ms: float = 10.0,
                  phases: int = 3, electrode: str = "needle", *,
                  centre_ms: float = 0.0) -> np.ndarray:
    """One MUAP (mV) sampled at ``t_ms``, centred at ``centre_ms``.

    ``amplitude_mV`` and ``duration_ms`` describe the unit as a concentric needle near it
    records it (peak-to-peak; 2 %-of-peak span). With ``electrode="surface"`` the same unit is
    seen through tissue: smoothed (Gaussian, SD ``TISSUE_SMOOTHING_MS``) and scaled to
    ``SURFACE_GAIN`` times the needle's peak-to-peak amplitude.
    """
    require_range("amplitude_mV", amplitude_mV, MUAP_AMPLITUDE_MV)
    require_range("duration_ms", duration_ms, MUAP_DURATION_MS)
    p = _check_int("phases", phases, PHASES)
    _check_electrode(electrode)
    require_range("centre_ms", centre_ms, CENTRE_RANGE_MS)
    t = require_array_finite("t_ms", t_ms)
    gain = SURFACE_GAIN if electrode == "surface" else 1.0
    return _waveform(t - centre_ms, gain * amplitude_mV, duration_ms, p, electrode)


def _waveform(t, recorded_p2p_mV, duration_ms, phases, electrode):
    """Shape with the electrode's width, scaled to the *recorded* peak-to-peak amplitude."""
    sigma = _sigma_ms(duration_ms, phases)
    if electrode == "surface":
        sigma = math.sqrt(sigma * sigma + TISSUE_SMOOTHING_MS**2)
    _, _, p2p = _shape_constants(phases)
    return recorded_p2p_mV / p2p * _hermite_shape(t / sigma, phases)


def _template(fs_hz, recorded_p2p_mV, duration_ms, phases, electrode):
    """Waveform sampled at fs, starting where the potential leaves the baseline."""
    d = surface_duration_ms(duration_ms, phases) if electrode == "surface" else duration_ms
    n = int(math.ceil(1.1 * d * fs_hz / 1000.0)) + 1
    t = np.arange(n) * 1000.0 / fs_hz - 0.55 * d
    return _waveform(t, recorded_p2p_mV, duration_ms, phases, electrode)


# ================================================================ recordings
@result_type(example=lambda: fasciculation_train(1.0, 0.5))
@dataclass(frozen=True)
class EmgRecording:
    """A simulated EMG: time (ms), signal (mV), and the discharges that made it."""

    t_ms: np.ndarray
    signal_mV: np.ndarray
    event_times_ms: np.ndarray   # discharge times (MUAP onset), ms
    unit_ids: np.ndarray         # which unit discharged, one per event
    electrode: str
    fs_hz: float


@result_type(example=lambda: pool_muaps(FuglevandPool(30)))
@dataclass(frozen=True)
class UnitMuaps:
    """Each unit's MUAP as one electrode records it (illustrative geometry, seeded)."""

    amplitude_mV: np.ndarray     # peak-to-peak as recorded (after distance and tissue)
    duration_ms: np.ndarray      # needle-equivalent duration (surface: see surface_duration_ms)
    phases: np.ndarray
    electrode: str
    near_electrode: np.ndarray   # needle inside the unit's territory (surface: all True)


#: Needle amplitude of the smallest unit with the tip inside its territory (illustrative).
NEEDLE_BASE_AMPLITUDE_MV = 0.3
#: Amplitude grows as (P_i / P_1)^0.45 with twitch size (illustrative; 0.3 -> ~2.3 mV).
NEEDLE_SIZE_EXPONENT = 0.45


@validated(pool=Instance(FuglevandPool), electrode=_ELECTRODE, seed=_SEED)
def pool_muaps(pool: FuglevandPool, electrode: str = "needle", seed: int = 0) -> UnitMuaps:
    """MUAP amplitude, duration and phases of every unit of ``pool`` for one electrode.

    Illustrative volume conductor: unit territories (radius 3 mm) are scattered over a 10 mm
    radius cross-section; the needle sits in the first-recruited unit (as an examiner would
    place it) and sees units whose territory it is in at full size (x 0.7-1), others decaying
    with distance (space constant 0.5 mm). The surface electrode sees every unit, attenuated
    with depth (space constant 10 mm) and by ``SURFACE_GAIN``. Durations 8-12 ms from the
    smallest to the largest unit; about 10 % of units have 4 phases.
    """
    if not isinstance(pool, FuglevandPool):
        raise ValueError("pool must be a FuglevandPool")
    _check_electrode(electrode)
    rng = np.random.default_rng(_check_seed(seed))
    n = pool.n_units
    rel = pool.peak_twitch / pool.peak_twitch[0]
    size = NEEDLE_BASE_AMPLITUDE_MV * rel**NEEDLE_SIZE_EXPONENT
    radius_mm, territory_mm = 10.0, 3.0
    d = radius_mm * np.sqrt(rng.random(n))       # territory centre to needle, mm
    d[0] = 0.0
    inside = rng.uniform(0.7, 1.0, n)
    outside = np.exp(-np.clip(d - territory_mm, 0.0, None) / 0.5)
    depth = rng.uniform(0.0, radius_mm, n)
    phases = np.where(rng.random(n) < 0.1, 4, 3)
    duration = 8.0 + 4.0 * np.arange(n) / max(1, n - 1)
    if electrode == "needle":
        amp = size * np.where(d <= territory_mm, inside, inside * outside)
    else:
        amp = SURFACE_GAIN * size * np.exp(-depth / 10.0)
    near = d <= territory_mm if electrode == "needle" else np.ones(n, dtype=bool)
    return UnitMuaps(amplitude_mV=amp, duration_ms=duration, phases=phases, electrode=electrode,
                     near_electrode=near)


@validated(t_ms=Array(T_RANGE_MS, ndim=None),
           muaps=Instance(UnitMuaps, "from pool_muaps()"),
           unit=Dependent(lambda a: Integer(ValidRange(0, a["muaps"].amplitude_mV.size - 1,
                                                       "unit")),
                          "an integer in [0, number of units - 1]"))
def unit_muap_waveform(t_ms, muaps: UnitMuaps, unit: int) -> np.ndarray:
    """The MUAP of one unit of :func:`pool_muaps` as its electrode records it (mV)."""
    if not isinstance(muaps, UnitMuaps):
        raise ValueError("muaps must be a UnitMuaps result of pool_muaps")
    n = muaps.amplitude_mV.size
    if isinstance(unit, bool) or int(unit) != unit or not 0 <= unit < n:
        raise ValueError(f"unit must be an integer in [0, {n - 1}], got {unit!r}")
    t = require_array_finite("t_ms", t_ms)
    return _waveform(t, float(muaps.amplitude_mV[unit]), float(muaps.duration_ms[unit]),
                     int(muaps.phases[unit]), muaps.electrode)


@njit(cache=True)
def _add_events(signal, starts, templates, lengths, which, gains):  # pragma: no cover
    n = signal.size
    for k in range(starts.size):
        s = starts[k]
        u = which[k]
        g = gains[k]
        for j in range(lengths[u]):
            idx = s + j
            if idx >= n:
                break
            if idx >= 0:
                signal[idx] += g * templates[u, j]


def _noise(rng, n, noise_uV, electrode):
    level = DEFAULT_NOISE_UV[electrode] if noise_uV is None else noise_uV
    require_range("noise_uV", level, NOISE_UV)
    return rng.normal(0.0, level / 1000.0, n) if level > 0 else np.zeros(n)


@validated(pool=Instance(FuglevandPool),
           excitation=AnyOf(EXCITATION, Function(returns=EXCITATION)),
           duration_s=RECORDING_DURATION_S, fs_hz=FS_HZ, electrode=_ELECTRODE, seed=_SEED,
           noise_uV=Optional(NOISE_UV))
def voluntary_emg(pool: FuglevandPool, excitation, duration_s: float = 1.0,
                  fs_hz: float = 10_000.0, electrode: str = "needle", seed: int = 0,
                  noise_uV: float | None = None) -> EmgRecording:
    """EMG during a voluntary contraction: the pool's orderly spike trains x each unit's MUAP.

    Spike trains come from ``pool.simulate_force`` (Fuglevand 1993 recruitment and rate
    coding, ISI CV 0.2); each discharge adds the unit's MUAP (:func:`pool_muaps`) at the
    discharge time; Gaussian baseline noise (RMS ``noise_uV``; default per electrode).
    ``excitation``: a constant or a function of t_ms, in the pool's excitation units.
    """
    if not isinstance(pool, FuglevandPool):
        raise ValueError("pool must be a FuglevandPool")
    require_range("duration_s", duration_s, RECORDING_DURATION_S)
    require_range("fs_hz", fs_hz, FS_HZ)
    _check_electrode(electrode)
    seed = _check_seed(seed)
    if not callable(excitation):
        require_range("excitation", excitation, EXCITATION)
    sim = pool.simulate_force(excitation, duration_s * 1000.0, dt_ms=1.0, seed=seed)
    muaps = pool_muaps(pool, electrode, seed)
    rng = np.random.default_rng([seed, 1])
    n = int(round(duration_s * fs_hz))
    t = np.arange(n) * 1000.0 / fs_hz
    signal = _noise(rng, n, noise_uV, electrode)
    times = np.concatenate(sim.spike_times_ms) if sim.n_spikes else np.zeros(0)
    ids = np.concatenate([np.full(s.size, i, dtype=np.int64)
                          for i, s in enumerate(sim.spike_times_ms)]) if sim.n_spikes \
        else np.zeros(0, dtype=np.int64)
    order = np.argsort(times, kind="stable")
    times, ids = times[order], ids[order]
    used = np.unique(ids)
    if used.size:
        temps = [_template(fs_hz, 1.0, muaps.duration_ms[u], int(muaps.phases[u]), electrode)
                 for u in used]
        width = max(x.size for x in temps)
        table = np.zeros((pool.n_units, width))
        lengths = np.zeros(pool.n_units, dtype=np.int64)
        for u, x in zip(used, temps, strict=True):
            table[u, :x.size] = x
            lengths[u] = x.size
        starts = np.floor(times * fs_hz / 1000.0).astype(np.int64)
        _add_events(signal, starts, table, lengths, ids, muaps.amplitude_mV[ids])
    return EmgRecording(t_ms=t, signal_mV=signal, event_times_ms=times, unit_ids=ids,
                        electrode=electrode, fs_hz=float(fs_hz))


@validated(rate_hz=FP_RATE_HZ, duration_s=RECORDING_DURATION_S, fs_hz=FS_HZ,
           electrode=_ELECTRODE, seed=_SEED, noise_uV=Optional(NOISE_UV),
           n_units=Integer(FP_UNITS), amplitude_mV=MUAP_AMPLITUDE_MV,
           duration_ms=MUAP_DURATION_MS, phases=Integer(PHASES), amplitude_cv=AMPLITUDE_CV,
           duration_jitter_ms=DURATION_JITTER_MS)
def fasciculation_train(rate_hz: float, duration_s: float = 2.0, fs_hz: float = 10_000.0,
                        electrode: str = "needle", seed: int = 0,
                        noise_uV: float | None = None, *, n_units: int = 3,
                        amplitude_mV: float = 1.0, duration_ms: float = 10.0,
                        phases: int = 3, amplitude_cv: float = 0.0,
                        duration_jitter_ms: float = 0.0) -> EmgRecording:
    """Spontaneous fasciculation potentials at rest: whole-unit discharges at random times.

    Discharges form a Poisson process of total rate ``rate_hz``; each is assigned at random
    to one of ``n_units`` units, whose needle MUAPs have amplitudes and durations scattered
    (x 0.6-1.4 and x 0.8-1.2) around ``amplitude_mV`` and ``duration_ms``, with ``phases``
    phases. A stable (normal) unit repeats the same shape at each discharge; instability
    (e.g. immature reinnervation) is modelled as discharge-to-discharge amplitude variability
    (``amplitude_cv``) and shape variability (``duration_jitter_ms``, SD of the duration).
    """
    require_range("rate_hz", rate_hz, FP_RATE_HZ)
    require_range("duration_s", duration_s, RECORDING_DURATION_S)
    require_range("fs_hz", fs_hz, FS_HZ)
    _check_electrode(electrode)
    seed = _check_seed(seed)
    n_u = _check_int("n_units", n_units, FP_UNITS)
    require_range("amplitude_mV", amplitude_mV, MUAP_AMPLITUDE_MV)
    require_range("duration_ms", duration_ms, MUAP_DURATION_MS)
    p = _check_int("phases", phases, PHASES)
    require_range("amplitude_cv", amplitude_cv, AMPLITUDE_CV)
    require_range("duration_jitter_ms", duration_jitter_ms, DURATION_JITTER_MS)
    rng = np.random.default_rng(seed)
    gain = SURFACE_GAIN if electrode == "surface" else 1.0
    unit_amp = gain * amplitude_mV * rng.uniform(0.6, 1.4, n_u)
    unit_dur = np.clip(duration_ms * rng.uniform(0.8, 1.2, n_u), MUAP_DURATION_MS.low,
                       MUAP_DURATION_MS.high)
    duration_ms_total = duration_s * 1000.0
    times = []
    if rate_hz > 0:
        t_next = rng.exponential(1000.0 / rate_hz)
        while t_next < duration_ms_total:
            times.append(t_next)
            t_next += rng.exponential(1000.0 / rate_hz)
    times = np.asarray(times, dtype=float)
    ids = rng.integers(0, n_u, times.size).astype(np.int64)
    z_amp = rng.standard_normal(times.size)
    z_dur = rng.standard_normal(times.size)
    n = int(round(duration_s * fs_hz))
    t = np.arange(n) * 1000.0 / fs_hz
    signal = _noise(np.random.default_rng([seed, 1]), n, noise_uV, electrode)
    for k in range(times.size):
        u = ids[k]
        amp = max(0.0, unit_amp[u] * (1.0 + amplitude_cv * z_amp[k]))
        dur = float(np.clip(unit_dur[u] + duration_jitter_ms * z_dur[k],
                            MUAP_DURATION_MS.low, MUAP_DURATION_MS.high))
        if amp <= 0.0:
            continue  # blocked discharge
        w = _template(fs_hz, amp, dur, p, electrode)
        s = int(math.floor(times[k] * fs_hz / 1000.0))
        e = min(n, s + w.size)
        signal[s:e] += w[:e - s]
    return EmgRecording(t_ms=t, signal_mV=signal, event_times_ms=times, unit_ids=ids,
                        electrode=electrode, fs_hz=float(fs_hz))
