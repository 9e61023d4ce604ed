"""The motor-unit pool: recruitment, rate coding, twitches and force.

Fuglevand AJ, Winter DA, Patla AE (1993). Models of recruitment and rate coding organization
in motor-unit pools. J Neurophysiol 70:2470-2488. doi:10.1152/jn.1993.70.6.2470

The rules, as in the paper (unit index i = 1..n, the "excitation" E is in the paper's
arbitrary units, in which the last unit is recruited at E = RR):

- recruitment threshold excitation  RTE_i = exp(a i),  a = ln(RR) / n      (RR = 30)
- firing rate  FR_i(E) = g_e (E - RTE_i) + MFR  for E >= RTE_i, capped at PFR_i, else 0
  (MFR = 8 Hz, g_e = 1 Hz per unit excitation)
- peak firing rate  PFR_i = PFR_1 - PFRD * RTE_i / RTE_n        (35 Hz down to 25 Hz)
- peak twitch force  P_i = exp(b i),  b = ln(RP) / n              (RP = 100)
- contraction time  T_i = T_L (1 / P_i)^(1 / c),  c = log_RT(RP)  (T_L = 90 ms, RT = 3)
- twitch (impulse response)  f_i(t) = P_i t / T_i exp(1 - t / T_i)
- force-rate gain: with the normalised instantaneous rate r = T_i / ISI,
  g = 1 for r <= 0.4, otherwise g = [S(r) / r] / [S(0.4) / 0.4],  S(r) = 1 - exp(-2 r^3);
  each spike's twitch is scaled by g (this makes force saturate at high rates)
- discharge times  t_j = t_{j-1} + mu + sigma Z,  mu = 1 / FR_i,  sigma = 0.2 mu  (Z ~ N(0, 1))

Because the paper writes RTE_i = exp(a i) (not exp(a (i - 1))), the first unit's threshold
is RR^(1/n) (1.03 for n = 120), not exactly 1; likewise P_1 = RP^(1/n) = 1.04. Force is
in the paper's arbitrary units, in which a twitch of the smallest unit is about 1.

Departures from the paper (stated, not hidden): units already recruited at t = 0 start
with a random phase (instead of all firing together at t = 0); the Gaussian Z is clipped to
+-3.9 so that an interval can never be negative; spikes of a unit that drops below its
threshold stop at once. The paper's gain function is known to leave the fastest units short
of full fusion at their peak rates (e.g. the last unit reaches r = 0.75 only); that is a
property of the published model, kept here.

Calf-muscle numbers (for the lessons; cited constants, not used by the pool):
Vandervoort & McComas 1983 (Eur J Appl Physiol 51:435) measured whole-muscle twitch
contraction times of 156.5 +- 14.7 ms (soleus), 113.7 +- 19.6 ms (medial gastrocnemius) and
100.0 +- 10.8 ms (lateral gastrocnemius). Garnett et al. 1979 (J Physiol 287:33) classified
human medial gastrocnemius units into S, FR and FF types. The motor-unit count (~580) and
innervation ratio (~1900 fibres per unit) of medial gastrocnemius are the values usually
quoted from Feinstein et al. 1955 (Acta Anat 23:127); they are labelled approximate because
the original table could not be checked here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numba import njit

from widgets.models.validation import (
    ANY_FINITE,
    AnyOf,
    Array,
    Dependent,
    Flag,
    Function,
    Integer,
    Optional,
    Require,
    ValidRange,
    input_type,
    require_array,
    require_array_finite,
    require_range,
    result_type,
    validated,
)

# ---------------------------------------------------------------- paper parameters
#: Number of units in the pool (Fuglevand 1993 used 120).
N_UNITS = ValidRange(2, 2000, "units", 120)
#: Range of recruitment thresholds RR (fold), paper: 30.
RECRUITMENT_RANGE = ValidRange(1.5, 100.0, "fold", 30.0)
#: Range of peak twitch forces RP (fold), paper: 100.
FORCE_RANGE = ValidRange(1.5, 1000.0, "fold", 100.0)
#: Range of contraction times RT (fold), paper: 3.
CONTRACTION_TIME_RANGE = ValidRange(1.0, 10.0, "fold", 3.0)
#: Longest contraction time T_L (first, smallest unit), paper: 90 ms.
LONGEST_CONTRACTION_TIME_MS = ValidRange(10.0, 250.0, "ms", 90.0)
#: Minimum (recruitment) firing rate MFR, paper: 8 Hz.
MIN_FIRING_RATE_HZ = ValidRange(1.0, 30.0, "Hz", 8.0)
#: Peak firing rate of the first unit PFR_1, paper: 35 Hz.
PEAK_FIRING_RATE_HZ = ValidRange(5.0, 100.0, "Hz", 35.0)
#: Difference in peak rate between first and last unit PFRD, paper: 10 Hz.
PEAK_RATE_DIFFERENCE_HZ = ValidRange(0.0, 60.0, "Hz", 10.0)
#: Excitatory drive-firing rate gain g_e, paper: 1 Hz per unit of excitation.
EXCITATION_GAIN_HZ = ValidRange(0.1, 10.0, "Hz per unit excitation", 1.0)
#: Coefficient of variation of interspike intervals, paper: 0.2.
ISI_CV = ValidRange(0.0, 0.25, "", 0.2)

# ---------------------------------------------------------------- inputs
#: Excitation accepted by the model (paper's units; saturates above ~47 in the default pool).
EXCITATION = ValidRange(0.0, 200.0, "a.u.", 20.0)
#: Excitation range shown in lessons and panels: up to 30 recruitment, beyond only rate coding.
EXCITATION_TEACHING = ValidRange(0.0, 50.0, "a.u.", 20.0)
#: Constant firing rate of one unit (summation / tetanus demonstrations).
UNIT_RATE_HZ = ValidRange(0.1, 200.0, "Hz", 8.0)
#: Firing rates shown in the twitch-summation panel.
UNIT_RATE_TEACHING_HZ = ValidRange(1.0, 50.0, "Hz", 8.0)
#: Twitch peak force (arbitrary units).
TWITCH_PEAK = ValidRange(1e-6, 1e6, "a.u.", 1.0)
#: Contraction (time-to-peak) time of a twitch.
CONTRACTION_TIME_MS = ValidRange(1.0, 500.0, "ms", 90.0)
#: Simulation time step.
DT_MS = ValidRange(0.01, 5.0, "ms", 1.0)
#: Simulated duration.
DURATION_MS = ValidRange(1.0, 600_000.0, "ms", 1000.0)

#: Fuglevand 1993: gain is 1 below this normalised rate T/ISI.
GAIN_LINEAR_LIMIT = 0.4
#: Seeds of the pool's random discharge times.
SEED_RANGE = ValidRange(0, 2**32 - 1, "", 0)
#: Normalised rates r = T / ISI accepted by :func:`force_rate_gain` (the pool's largest is
#: 500 ms x 200 Hz = 100).
NORMALISED_RATE = ValidRange(0.0, 1000.0, "")
#: Firing rates accepted by :func:`unit_mean_force` (0 = silent).
MEAN_FORCE_RATE_HZ = ValidRange(0.0, UNIT_RATE_HZ.high, "Hz", 8.0)
#: Cost caps: samples of one force trace (8 bytes each), and time steps x units of one pool
#: simulation (about 60 million per second of computing).
MAX_SAMPLES = 10_000_000
MAX_UNIT_STEPS = 200_000_000


def _samples_cap():
    return Require(("duration_ms", "dt_ms"), lambda a: a["duration_ms"] / a["dt_ms"] <= MAX_SAMPLES,
                   f"duration_ms / dt_ms must be at most {MAX_SAMPLES:,} samples: raise dt_ms")

# ---------------------------------------------------------------- calf muscle (cited)
#: Whole-muscle twitch contraction time, mean +- SD (ms): Vandervoort & McComas 1983.
CALF_TWITCH_CONTRACTION_TIME_MS = {
    "soleus": (156.5, 14.7),
    "medial gastrocnemius": (113.7, 19.6),
    "lateral gastrocnemius": (100.0, 10.8),
}
#: APPROXIMATE (as usually quoted from Feinstein et al. 1955; original table not checked).
MEDIAL_GASTROCNEMIUS_MOTOR_UNITS_APPROX = 580
#: APPROXIMATE fibres per motor unit in medial gastrocnemius (Feinstein et al. 1955, as quoted).
MEDIAL_GASTROCNEMIUS_INNERVATION_RATIO_APPROX = 1900


# ================================================================ single-unit functions
@validated(t_ms=Array(ANY_FINITE, ndim=None), peak=TWITCH_PEAK,
           contraction_time_ms=CONTRACTION_TIME_MS)
def twitch(t_ms, peak: float = 1.0, contraction_time_ms: float = 90.0) -> np.ndarray:
    """Fuglevand's twitch: f(t) = P t/T exp(1 - t/T) for t >= 0, else 0.

    Peaks at ``peak`` when t = T (the contraction time). Units: ``peak``'s units.
    """
    require_range("peak", peak, TWITCH_PEAK)
    require_range("contraction_time_ms", contraction_time_ms, CONTRACTION_TIME_MS)
    t = require_array_finite("t_ms", t_ms)
    x = np.clip(t, 0.0, None) / contraction_time_ms
    return np.where(t >= 0.0, peak * x * np.exp(1.0 - x), 0.0)


@validated(normalised_rate=Array(NORMALISED_RATE, ndim=None))
def force_rate_gain(normalised_rate) -> np.ndarray:
    """Fuglevand 1993 twitch gain for the normalised instantaneous rate r = T / ISI.

    g = 1 for r <= 0.4; g = [S(r)/r] / [S(0.4)/0.4] with S(r) = 1 - exp(-2 r^3) above.
    """
    r = require_array_finite("normalised_rate", normalised_rate)
    if np.any(r < 0):
        raise ValueError("normalised_rate must be >= 0 (valid range [0, inf))")
    return _gain_array(r)


def _gain_array(r: np.ndarray) -> np.ndarray:
    r = np.asarray(r, dtype=float)
    norm = (1.0 - math.exp(-2.0 * GAIN_LINEAR_LIMIT**3)) / GAIN_LINEAR_LIMIT
    safe = np.where(r > GAIN_LINEAR_LIMIT, r, 1.0)
    high = (1.0 - np.exp(-2.0 * safe**3)) / safe / norm
    return np.where(r > GAIN_LINEAR_LIMIT, high, 1.0)


@validated(rate_hz=Array(MEAN_FORCE_RATE_HZ, ndim=None), peak=TWITCH_PEAK,
           contraction_time_ms=CONTRACTION_TIME_MS)
def unit_mean_force(rate_hz, peak: float = 1.0, contraction_time_ms: float = 90.0):
    """Steady mean force of one unit firing regularly at ``rate_hz``.

    The time integral of one twitch is P e T, so a regular train at rate f with gain
    g(T f) averages  F = f g(T f) P e T = P e r g(r), r = T f  (T in s). Zero rate gives 0.
    """
    require_range("peak", peak, TWITCH_PEAK)
    require_range("contraction_time_ms", contraction_time_ms, CONTRACTION_TIME_MS)
    f = require_array_finite("rate_hz", rate_hz)
    if np.any(f < 0):
        raise ValueError("rate_hz must be >= 0 (valid range [0, 200] Hz)")
    r = f * contraction_time_ms / 1000.0
    return peak * math.e * r * _gain_array(r)


@result_type(example=lambda: unit_force(20.0, 500.0))
@dataclass(frozen=True)
class UnitForce:
    """One unit firing at a constant rate: force trace and its steady-state summary."""

    t_ms: np.ndarray
    force: np.ndarray
    spike_times_ms: np.ndarray
    rate_hz: float
    peak: float
    contraction_time_ms: float
    steady_mean: float      # mean force over the last whole interspike interval(s)
    steady_max: float
    steady_min: float

    @property
    def fusion(self) -> float:
        """Degree of fusion 1 - (max - min)/max over the steady state (1 = fully fused)."""
        if self.steady_max <= 0:
            return 0.0
        return 1.0 - (self.steady_max - self.steady_min) / self.steady_max


@validated(rate_hz=UNIT_RATE_HZ, duration_ms=DURATION_MS, peak=TWITCH_PEAK,
           contraction_time_ms=CONTRACTION_TIME_MS, dt_ms=DT_MS, gain=Flag(),
           requires=[_samples_cap()])
def unit_force(rate_hz: float, duration_ms: float = 1000.0, *, peak: float = 1.0,
               contraction_time_ms: float = 90.0, dt_ms: float = 0.5,
               gain: bool = True) -> UnitForce:
    """Force of one unit stimulated at a constant rate (twitch -> unfused -> fused tetanus).

    Regular spikes at 0, 1/f, 2/f, ...; each twitch f(t) = P t/T exp(1 - t/T), scaled by
    Fuglevand's gain g(T f) from the second spike on (``gain=False`` sums plain twitches).
    At most 10 million samples (``duration_ms / dt_ms``).
    """
    require_range("rate_hz", rate_hz, UNIT_RATE_HZ)
    require_range("duration_ms", duration_ms, DURATION_MS)
    require_range("peak", peak, TWITCH_PEAK)
    require_range("contraction_time_ms", contraction_time_ms, CONTRACTION_TIME_MS)
    require_range("dt_ms", dt_ms, DT_MS)
    isi = 1000.0 / rate_hz
    n = int(round(duration_ms / dt_ms))
    t = np.arange(n + 1) * dt_ms
    spikes = np.arange(0.0, duration_ms + 1e-9, isi)
    g = np.ones(spikes.size)
    if gain and spikes.size > 1:
        g[1:] = _gain_array(np.array([contraction_time_ms / isi]))[0]
    force = _sum_twitches(t, spikes, g, peak, contraction_time_ms)
    # steady state: the last whole interspike interval(s) covering at least 1 ms
    if spikes.size >= 3:
        win = (t >= spikes[-2]) & (t < spikes[-1])
    else:
        win = t >= t[-1] - max(isi, dt_ms)
    seg = force[win] if np.any(win) else force[-1:]
    return UnitForce(t_ms=t, force=force, spike_times_ms=spikes, rate_hz=float(rate_hz),
                     peak=float(peak), contraction_time_ms=float(contraction_time_ms),
                     steady_mean=float(seg.mean()), steady_max=float(seg.max()),
                     steady_min=float(seg.min()))


def _sum_twitches(t, spikes, gains, peak, contraction_time_ms):
    """Sum of gain-scaled twitches by the exact two-state recursion (no truncation)."""
    out = np.empty(t.size)
    _twitch_train_kernel(t, spikes, gains, peak, contraction_time_ms, out)
    return out


@njit(cache=True)
def _twitch_train_kernel(t, spikes, gains, peak, T, out):  # pragma: no cover - numba
    a = 0.0  # sum g exp(-x)
    b = 0.0  # sum g x exp(-x), x = (t - s)/T
    j = 0
    ns = spikes.size
    for k in range(t.size):
        if k > 0:
            d = (t[k] - t[k - 1]) / T
            dec = math.exp(-d)
            b = dec * (b + d * a)
            a = dec * a
        while j < ns and spikes[j] <= t[k]:
            x = (t[k] - spikes[j]) / T
            ex = math.exp(-x)
            a += gains[j] * ex
            b += gains[j] * x * ex
            j += 1
        out[k] = peak * math.e * b


# ================================================================ the pool
@result_type(example=lambda: FuglevandPool(30).simulate_force(20.0, 200.0))
@dataclass(frozen=True)
class ForceSimulation:
    """A simulated contraction: excitation, summed force and every unit's spike times."""

    t_ms: np.ndarray
    excitation: np.ndarray
    force: np.ndarray                       # arbitrary units (smallest twitch ~ 1)
    spike_times_ms: tuple[np.ndarray, ...]  # one array per unit, unit 0 = first recruited

    @property
    def n_spikes(self) -> int:
        return int(sum(s.size for s in self.spike_times_ms))


def _pool_steps_cap():
    def test(a):
        n_steps = max(1, int(round(a["duration_ms"] / a["dt_ms"])))
        return n_steps <= MAX_SAMPLES and n_steps * a["self"].n_units <= MAX_UNIT_STEPS
    return Require(("duration_ms", "dt_ms"), test,
                   lambda a: f"duration_ms / dt_ms must be at most {MAX_SAMPLES:,} time steps "
                             f"and (duration_ms / dt_ms) x n_units at most {MAX_UNIT_STEPS:,} "
                             f"(about 3 s of computing); this pool has {a['self'].n_units} "
                             "units: shorten the run or raise dt_ms")


def _profile_matches(a) -> bool:
    prof = a["excitation_profile"]
    if callable(prof) or np.ndim(prof) == 0:
        return True
    return np.ndim(prof) == 1 and np.size(prof) == max(1, int(round(a["duration_ms"] / a["dt_ms"])))


@input_type(example=lambda: FuglevandPool(60))
class FuglevandPool:
    """A pool of motor units organised as in Fuglevand, Winter & Patla (1993).

    Attributes (arrays over units, index 0 = unit 1 of the paper): ``recruitment_thresholds``
    (excitation units), ``peak_firing_rates_hz``, ``peak_twitch`` (arbitrary force units),
    ``contraction_time_ms``.
    """

    @validated(n_units=Integer(N_UNITS), recruitment_range=RECRUITMENT_RANGE,
               force_range=FORCE_RANGE, contraction_time_range=CONTRACTION_TIME_RANGE,
               longest_contraction_time_ms=LONGEST_CONTRACTION_TIME_MS,
               min_firing_rate_hz=MIN_FIRING_RATE_HZ, peak_firing_rate_hz=PEAK_FIRING_RATE_HZ,
               peak_rate_difference_hz=PEAK_RATE_DIFFERENCE_HZ,
               excitation_gain_hz=EXCITATION_GAIN_HZ, isi_cv=ISI_CV, seed=Integer(SEED_RANGE),
               requires=[Require(
                   ("peak_firing_rate_hz", "peak_rate_difference_hz", "min_firing_rate_hz"),
                   lambda a: a["peak_firing_rate_hz"] - a["peak_rate_difference_hz"]
                   >= a["min_firing_rate_hz"],
                   lambda a: "peak_firing_rate_hz - peak_rate_difference_hz must be >= "
                             "min_firing_rate_hz (the last unit's peak rate cannot be below the "
                             f"minimum rate), got {a['peak_firing_rate_hz']} - "
                             f"{a['peak_rate_difference_hz']} < {a['min_firing_rate_hz']}")])
    def __init__(self, n_units: int = 120, recruitment_range: float = 30.0,
                 force_range: float = 100.0, contraction_time_range: float = 3.0, *,
                 longest_contraction_time_ms: float = 90.0, min_firing_rate_hz: float = 8.0,
                 peak_firing_rate_hz: float = 35.0, peak_rate_difference_hz: float = 10.0,
                 excitation_gain_hz: float = 1.0, isi_cv: float = 0.2, seed: int = 0):
        if isinstance(n_units, bool) or int(n_units) != n_units:
            raise ValueError(f"n_units must be an integer in {N_UNITS.describe()}")
        require_range("n_units", n_units, N_UNITS)
        require_range("recruitment_range", recruitment_range, RECRUITMENT_RANGE)
        require_range("force_range", force_range, FORCE_RANGE)
        require_range("contraction_time_range", contraction_time_range, CONTRACTION_TIME_RANGE)
        require_range("longest_contraction_time_ms", longest_contraction_time_ms,
                      LONGEST_CONTRACTION_TIME_MS)
        require_range("min_firing_rate_hz", min_firing_rate_hz, MIN_FIRING_RATE_HZ)
        require_range("peak_firing_rate_hz", peak_firing_rate_hz, PEAK_FIRING_RATE_HZ)
        require_range("peak_rate_difference_hz", peak_rate_difference_hz,
                      PEAK_RATE_DIFFERENCE_HZ)
        require_range("excitation_gain_hz", excitation_gain_hz, EXCITATION_GAIN_HZ)
        require_range("isi_cv", isi_cv, ISI_CV)
        if peak_firing_rate_hz - peak_rate_difference_hz < min_firing_rate_hz:
            raise ValueError(
                "peak_firing_rate_hz - peak_rate_difference_hz must be >= min_firing_rate_hz "
                f"(the last unit's peak rate cannot be below the minimum rate), got "
                f"{peak_firing_rate_hz} - {peak_rate_difference_hz} < {min_firing_rate_hz}")
        if isinstance(seed, bool) or int(seed) != seed or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        self.n_units = int(n_units)
        self.recruitment_range = float(recruitment_range)
        self.force_range = float(force_range)
        self.contraction_time_range = float(contraction_time_range)
        self.longest_contraction_time_ms = float(longest_contraction_time_ms)
        self.min_firing_rate_hz = float(min_firing_rate_hz)
        self.peak_firing_rate_hz = float(peak_firing_rate_hz)
        self.peak_rate_difference_hz = float(peak_rate_difference_hz)
        self.excitation_gain_hz = float(excitation_gain_hz)
        self.isi_cv = float(isi_cv)
        self.seed = int(seed)

        n = self.n_units
        i = np.arange(1, n + 1, dtype=float)
        # exp(a i) with a = ln(RR)/n, written RR**(i/n) so that RTE_n == RR exactly
        #: RTE_i = exp(a i): the last unit is recruited at excitation = RR.
        self.recruitment_thresholds = self.recruitment_range ** (i / n)
        rte_n = self.recruitment_thresholds[-1]
        #: PFR_i = PFR_1 - PFRD RTE_i / RTE_n
        self.peak_firing_rates_hz = (self.peak_firing_rate_hz
                                     - self.peak_rate_difference_hz
                                     * self.recruitment_thresholds / rte_n)
        #: P_i = exp(b i), b = ln(RP)/n, written RP**(i/n)
        self.peak_twitch = self.force_range ** (i / n)
        # T_i = T_L (1/P_i)^(1/c), c = ln(RP)/ln(RT)  ->  exponent ln(RT)/ln(RP)
        expo = math.log(self.contraction_time_range) / math.log(self.force_range)
        #: contraction (time-to-peak) time of each unit's twitch
        self.contraction_time_ms = self.longest_contraction_time_ms * self.peak_twitch ** (-expo)

    # ------------------------------------------------------------ steady state
    @property
    def max_excitation(self) -> float:
        """Excitation at which the last unit reaches its peak rate (E_max in the paper)."""
        return float(self.recruitment_thresholds[-1]
                     + (self.peak_firing_rates_hz[-1] - self.min_firing_rate_hz)
                     / self.excitation_gain_hz)

    @validated(excitation=EXCITATION)
    def firing_rates(self, excitation: float) -> np.ndarray:
        """Mean firing rate (Hz) of every unit at a constant excitation; 0 if not recruited."""
        e = require_range("excitation", excitation, EXCITATION)
        return self._rates(e)

    def _rates(self, e: float) -> np.ndarray:
        rte = self.recruitment_thresholds
        fr = self.excitation_gain_hz * (e - rte) + self.min_firing_rate_hz
        fr = np.minimum(fr, self.peak_firing_rates_hz)
        return np.where(e >= rte, fr, 0.0)

    @validated(excitation=EXCITATION)
    def n_recruited(self, excitation: float) -> int:
        """Number of units recruited at this excitation."""
        e = require_range("excitation", excitation, EXCITATION)
        return int(np.count_nonzero(e >= self.recruitment_thresholds))

    @validated(excitation=EXCITATION)
    def unit_mean_forces(self, excitation: float) -> np.ndarray:
        """Steady mean force of each unit (regular firing at its mean rate)."""
        rates = self.firing_rates(excitation)
        r = rates * self.contraction_time_ms / 1000.0
        return self.peak_twitch * math.e * r * _gain_array(r)

    @validated(excitation=EXCITATION)
    def mean_force(self, excitation: float) -> float:
        """Steady mean force of the pool (arbitrary units; smallest twitch ~ 1).

        Sum over recruited units of P_i e r_i g(r_i), r_i = T_i FR_i: the time-average of a
        regular train of gain-scaled twitches. ISI variability is ignored here.
        """
        return float(self.unit_mean_forces(excitation).sum())

    @validated()
    def max_force(self) -> float:
        """Mean force with every unit at its peak rate."""
        return self.mean_force(min(self.max_excitation, EXCITATION.high))

    @validated(unit=Dependent(lambda a: Integer(ValidRange(0, a["self"].n_units - 1, "unit")),
                              "an integer in [0, n_units - 1]"),
               rate_hz=UNIT_RATE_HZ, duration_ms=DURATION_MS, dt_ms=DT_MS,
               requires=[_samples_cap()])
    def unit_force(self, unit: int, rate_hz: float, duration_ms: float = 1000.0, *,
                   dt_ms: float = 0.5) -> UnitForce:
        """One unit of this pool (0-based index) firing regularly at ``rate_hz``."""
        if isinstance(unit, bool) or int(unit) != unit or not 0 <= unit < self.n_units:
            raise ValueError(f"unit must be an integer in [0, {self.n_units - 1}], got {unit!r}")
        return unit_force(rate_hz, duration_ms, peak=float(self.peak_twitch[unit]),
                          contraction_time_ms=float(self.contraction_time_ms[unit]),
                          dt_ms=dt_ms)

    # ------------------------------------------------------------ time course
    @validated(excitation_profile=AnyOf(EXCITATION, Function(returns=EXCITATION),
                                        Array(EXCITATION, ndim=None)),
               duration_ms=DURATION_MS, dt_ms=DT_MS, seed=Optional(Integer(SEED_RANGE)),
               requires=[_pool_steps_cap(),
                         Require(("excitation_profile", "duration_ms", "dt_ms"), _profile_matches,
                                 lambda a: "excitation_profile must have "
                                 f"{max(1, int(round(a['duration_ms'] / a['dt_ms'])))} values "
                                 "(one per time step), got shape "
                                 f"{np.shape(a['excitation_profile'])}")])
    def simulate_force(self, excitation_profile: float | np.ndarray | Callable,
                       duration_ms: float, dt_ms: float = 1.0, *,
                       seed: int | None = None) -> ForceSimulation:
        """Spike trains and force for an excitation profile (Fuglevand 1993).

        ``excitation_profile``: a constant, an array with one value per time step
        (``round(duration_ms / dt_ms)`` values), or a function of ``t_ms`` (array) returning
        the excitation. Spikes are placed in continuous time; the twitch sum is exact at the
        sample times. ``seed`` overrides the pool's seed for this run. Cost: about 60 million
        unit-steps (time steps x units) per second of computing; at most 200 million.
        """
        require_range("duration_ms", duration_ms, DURATION_MS)
        require_range("dt_ms", dt_ms, DT_MS)
        n_steps = max(1, int(round(duration_ms / dt_ms)))
        t = np.arange(n_steps) * dt_ms
        if callable(excitation_profile):
            exc = require_array("excitation_profile(t_ms)", excitation_profile(t), EXCITATION)
            if exc.shape not in ((), t.shape):
                raise ValueError(f"excitation_profile(t_ms) must return a number or one value "
                                 f"per time step ({t.size}), got shape {exc.shape}")
            exc = np.broadcast_to(exc, t.shape)
        elif np.ndim(excitation_profile) == 0:
            exc = np.full(n_steps, require_range("excitation", excitation_profile, EXCITATION))
        else:
            exc = np.asarray(excitation_profile, dtype=float)
            if exc.shape != t.shape:
                raise ValueError(f"excitation_profile must have {n_steps} values (one per "
                                 f"time step), got shape {exc.shape}")
        exc = require_array_finite("excitation_profile", exc).copy()
        if exc.min() < EXCITATION.low or exc.max() > EXCITATION.high:
            raise ValueError(f"excitation_profile must be in {EXCITATION.describe()}")
        if seed is None:
            seed = self.seed
        if isinstance(seed, bool) or int(seed) != seed or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        rng = np.random.default_rng(int(seed))
        u0 = rng.random(self.n_units)
        expected = float(np.sum(self.peak_firing_rates_hz)) * n_steps * dt_ms / 1000.0
        cap = int(1.5 * expected / max(1e-3, 1.0 - 3.9 * self.isi_cv)) + 4 * self.n_units + 16
        z = np.clip(rng.standard_normal(cap), -3.9, 3.9)
        while True:
            force, st, su, ok = _pool_kernel(
                exc, float(dt_ms), self.recruitment_thresholds, self.min_firing_rate_hz,
                self.peak_firing_rates_hz, self.excitation_gain_hz, self.peak_twitch,
                self.contraction_time_ms, self.isi_cv, z, u0, cap)
            if ok:
                break
            cap *= 2  # pathological excitation (e.g. toggling at threshold): make room
        order = np.argsort(su, kind="stable")
        counts = np.bincount(su, minlength=self.n_units)
        per_unit = tuple(np.split(st[order], np.cumsum(counts)[:-1]))
        return ForceSimulation(t_ms=t, excitation=exc, force=force, spike_times_ms=per_unit)


@njit(cache=True)
def _pool_kernel(exc, dt, rte, mfr, pfr, g_e, P, T, cv, z, u0, cap):  # pragma: no cover
    n_steps = exc.size
    n = rte.size
    force = np.zeros(n_steps)
    a = np.zeros(n)
    b = np.zeros(n)
    dec = np.exp(-dt / T)
    step = dt / T
    next_t = np.full(n, np.inf)
    prev_t = np.full(n, -np.inf)
    active = np.zeros(n, dtype=np.bool_)
    spike_t = np.empty(cap)
    spike_u = np.empty(cap, dtype=np.int64)
    ns = 0
    zi = 0
    nz = z.size
    norm = (1.0 - math.exp(-2.0 * 0.4**3)) / 0.4
    e1 = math.e
    for k in range(n_steps):
        t = k * dt
        e = exc[k]
        total = 0.0
        for i in range(n):
            if k > 0:
                ao = a[i]
                b[i] = dec[i] * (b[i] + step[i] * ao)
                a[i] = dec[i] * ao
            if e >= rte[i]:
                fr = g_e * (e - rte[i]) + mfr
                if fr > pfr[i]:
                    fr = pfr[i]
                if not active[i]:
                    active[i] = True
                    prev_t[i] = -np.inf
                    if k == 0:
                        next_t[i] = t + u0[i] * 1000.0 / fr
                    else:
                        next_t[i] = t
                while next_t[i] <= t:
                    s = next_t[i]
                    g = 1.0
                    if prev_t[i] > -np.inf:
                        r = T[i] / (s - prev_t[i])
                        if r > 0.4:
                            g = (1.0 - math.exp(-2.0 * r * r * r)) / r / norm
                    x = (t - s) / T[i]
                    ex = math.exp(-x)
                    a[i] += g * ex
                    b[i] += g * x * ex
                    if ns >= cap:
                        return force, spike_t[:ns], spike_u[:ns], False
                    spike_t[ns] = s
                    spike_u[ns] = i
                    ns += 1
                    prev_t[i] = s
                    mu = 1000.0 / fr
                    next_t[i] = s + mu * (1.0 + cv * z[zi % nz])
                    zi += 1
            else:
                active[i] = False
                next_t[i] = np.inf
            total += P[i] * e1 * b[i]
        force[k] = total
    return force, spike_t[:ns], spike_u[:ns], True
