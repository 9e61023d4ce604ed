"""Potassium in working muscle: interstitial (and plasma) K+ during and after effort.

Every action potential lets K+ out of the muscle fibre; the Na+,K+ pump takes it back.
During effort release outruns reuptake and K+ piles up in the narrow space between the
fibres (the interstitium), where the motor nerve terminals also sit. Reviewed by
Sejersted & Sjøgaard (2000), Physiol Rev 80:1411.

Interstitial K+ (microdialysis, human vastus lateralis, one-legged knee extension)
-----------------------------------------------------------------------------
- Juel et al. (2000), Am J Physiol Regul Integr Comp Physiol 278:R400 (abstract):
  4.19 ± 0.09 mM at rest; 6.17 ± 0.19, 7.48 ± 1.18 and 9.04 ± 0.74 mM at 10, 30 and 50 W;
  single probes above 10 mM.
- Pedersen, Mohr, Nordsborg, Nielsen & Bangsbo (2001), Med Sci Sports Exerc 33:S263
  (abstract): exhaustive bout at 64.3 ± 3.1 W lasting 3.7-4.1 min; 4.4 mM before,
  8.1-8.7 mM after 1.25 min, 11.7-12.0 mM at exhaustion.
- Nordsborg et al. (2003), Am J Physiol Regul Integr Comp Physiol 285:R143 (abstract):
  10.3 ± 0.6 mM at exhaustion after 4.0 ± 0.3 min of intense leg exercise (11.9 ± 0.5 mM
  when preceded by arm exercise).

The model is first order (one well-mixed interstitial compartment)::

    dK/dt = (K_ss(I) - K) / tau_on      during effort at intensity I (% of maximal power)
    dK/dt = (K_rest - K) / tau_off     at rest

``K_ss(I)`` is a monotone (PCHIP) interpolation through Juel's steady values, with
intensity expressed as a percentage of the maximal one-legged knee-extensor power
(64.3 W, the exhaustive load of Pedersen et al. 2001). ``tau_on`` (120 s) and
``K_ss(100 %)`` (12.9 mM) are fitted so that a maximal bout reproduces Pedersen et al.'s
1.25-min and exhaustion values. ``tau_off`` is NOT measured: microdialysis samples over
minutes and cannot resolve a half-time. We take 60 s (half-time about 42 s), so that the
interstitium is back near rest within about 3-4 min, in step with plasma K+, which is
already below its resting value 3 min after a maximal bout (Medbø & Sejersted 1994).
Treat the recovery time course as an assumption.

Plasma K+ (companion, whole-body effort)
---------------------------------------
Medbø & Sejersted (1994), Acta Physiol Scand 151:363 (abstract): venous plasma K+
3.68-3.88 mM before, +4.4 to +4.7 mM after 1 min of exhausting running, and 0.48-0.50 mM
*below* the pre-exercise value 3 min later (post-exercise undershoot), the undershoot
being larger the higher the peak. The plasma compartment has its own release drive
(scaled like the interstitial rise) and a slowly decaying pump drive that produces the
undershoot::

    dKp/dt = (Kp_rest + A u(t) - B p(t) - Kp) / tau_p
    dp/dt  = (u - p) / tau_pump_on   during effort,   -p / tau_pump_off   after

``A`` and ``B`` are fitted to Medbø & Sejersted's peak and 3-min undershoot; the time
constants are our choice. This compartment describes whole-body effort at the same
relative intensity; it is not coupled to the single-muscle interstitium.

Concentrations in mmol/L (mM), times in seconds, intensity in % of maximal power.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit
from scipy.interpolate import PchipInterpolator

from widgets.models.validation import (
    Array,
    Dependent,
    Instance,
    Require,
    ValidRange,
    require_array_finite,
    require_range,
    result_type,
    validated,
)

# --- published anchors -------------------------------------------------------------
#: Resting interstitial K+ (Juel et al. 2000, abstract): 4.19 ± 0.09 mM.
K_REST_INTERSTITIAL_MM = 4.19
#: Maximal one-legged knee-extensor load (Pedersen et al. 2001): 64.3 W.
MAX_KNEE_EXTENSOR_POWER_W = 64.3
#: Juel et al. (2000) steady interstitial K+ at 10, 30, 50 W (mM).
JUEL2000_POWER_W = (10.0, 30.0, 50.0)
JUEL2000_K_MM = (6.17, 7.48, 9.04)
#: Fitted: steady-state interstitial K+ at maximal intensity (mM), and on-time constant (s).
K_SS_MAX_MM = 12.9
TAU_ON_S = 120.0
#: Assumed (not measured): interstitial recovery time constant (s).
TAU_OFF_S = 60.0

#: Plasma companion (Medbø & Sejersted 1994): resting venous plasma K+ (mean of the
#: endurance- and sprint-trained groups, 3.68 and 3.88 mM).
K_REST_PLASMA_MM = 3.78
PLASMA_TAU_S = 25.0
PUMP_TAU_ON_S = 30.0
PUMP_TAU_OFF_S = 600.0
#: Fitted so that 60 s at maximal intensity gives +4.55 mM and 3 min later -0.49 mM.
PLASMA_RELEASE_MM = 5.52
PLASMA_UNDERSHOOT_MM = 0.738

# --- valid ranges (panels build sliders from these) -----------------------------------
INTENSITY_PCT = ValidRange(0.0, 100.0, "% of maximal", 60.0)
DURATION_S = ValidRange(0.0, 1800.0, "s", 180.0)
RECOVERY_S = ValidRange(0.0, 3600.0, "s", 600.0)
DT_S = ValidRange(0.01, 10.0, "s", 1.0)
#: Teaching ranges for the live panel (minutes).
EFFORT_DURATION_MIN = ValidRange(0.25, 10.0, "min", 3.0)
TIME_AFTER_EFFORT_MIN = ValidRange(0.0, 10.0, "min", 1.0)
#: Times accepted by :func:`interstitial_k_mM` (s after the start of the bout).
TIME_RANGE_S = ValidRange(0.0, math.inf, "s")
#: Longest effort profile (steps) of :func:`simulate_profile`.
MAX_PROFILE_STEPS = 10_000_000
#: Most time points of :func:`excitability_during` (each runs the axon model, ~0.1 s).
MAX_EXCITABILITY_TIMES = 50


def _times_within(arguments, key="self"):
    """Times (s) inside the span of the result ``arguments[key]``."""
    t = arguments[key].t_s
    return Array(ValidRange(float(t[0]), float(t[-1]), "s"), ndim=(0, 1), max_size=10_000_000)

_PCT_POINTS = np.array([0.0] + [100.0 * p / MAX_KNEE_EXTENSOR_POWER_W
                                for p in JUEL2000_POWER_W] + [100.0])
_K_POINTS = np.array([K_REST_INTERSTITIAL_MM, *JUEL2000_K_MM, K_SS_MAX_MM])
_K_SS = PchipInterpolator(_PCT_POINTS, _K_POINTS, extrapolate=False)


@result_type(example=lambda: simulate_effort(60.0, 180.0, recovery_s=120.0))
@dataclass(frozen=True)
class ExerciseResult:
    """Time course of K+ during and after an effort."""

    t_s: np.ndarray
    intensity_pct: np.ndarray
    interstitial_k_mM: np.ndarray
    plasma_k_mM: np.ndarray
    effort_end_s: float

    @property
    def peak_interstitial_k_mM(self) -> float:
        return float(np.max(self.interstitial_k_mM))

    @validated(t_s=Dependent(_times_within, "times within [t_s[0], t_s[-1]] of the result"))
    def interstitial_at(self, t_s) -> np.ndarray:
        """Interstitial K+ (mM) interpolated at the given times (s), within the result's span."""
        return np.interp(t_s, self.t_s, self.interstitial_k_mM)

    @validated(t_s=Dependent(_times_within, "times within [t_s[0], t_s[-1]] of the result"))
    def plasma_at(self, t_s) -> np.ndarray:
        """Plasma K+ (mM) interpolated at the given times (s), within the result's span."""
        return np.interp(t_s, self.t_s, self.plasma_k_mM)


@validated(intensity_pct=Array(INTENSITY_PCT, ndim=None))
def steady_state_k_mM(intensity_pct) -> np.ndarray | float:
    """Steady-state interstitial K+ (mM) during effort at ``intensity_pct`` of maximal power.

    Monotone interpolation through Juel et al. (2000) at 10, 30, 50 W (15.6, 46.7, 77.8 %
    of 64.3 W) and the fitted maximal value. Accepts a scalar or an array.
    """
    arr = require_array_finite("intensity_pct", intensity_pct)
    if np.any((arr < INTENSITY_PCT.low) | (arr > INTENSITY_PCT.high)):
        raise ValueError(f"intensity_pct must be in {INTENSITY_PCT.describe()}")
    out = _K_SS(arr)
    return float(out) if np.ndim(out) == 0 else np.asarray(out, dtype=float)


@njit(cache=True)
def _integrate(dt_s, k_target, u, k0, kp0, tau_on, tau_off, kp_rest, tau_p,
               a_release, b_pump, tau_pump_on, tau_pump_off):  # pragma: no cover - numba
    """Exact update for piecewise-constant input over each step of length dt_s.

    Interstitial: exact exponential relaxation. Plasma: pump drive p is advanced
    exactly; the plasma equation is advanced with p held at the step midpoint value
    (second order in dt).
    """
    n = k_target.shape[0]
    k = np.empty(n + 1)
    kp = np.empty(n + 1)
    k[0] = k0
    kp[0] = kp0
    p = 0.0
    for i in range(n):
        active = u[i] > 0.0
        tau = tau_on if active else tau_off
        target = k_target[i] if active else k0
        k[i + 1] = target + (k[i] - target) * math.exp(-dt_s / tau)
        # pump drive
        if active:
            p_new = u[i] + (p - u[i]) * math.exp(-dt_s / tau_pump_on)
        else:
            p_new = p * math.exp(-dt_s / tau_pump_off)
        p_mid = 0.5 * (p + p_new)
        kp_target = kp_rest + a_release * u[i] - b_pump * p_mid
        kp[i + 1] = kp_target + (kp[i] - kp_target) * math.exp(-dt_s / tau_p)
        p = p_new
    return k, kp


@validated(intensity_pct=Array(INTENSITY_PCT, ndim=(1,), min_size=1, max_size=MAX_PROFILE_STEPS),
           dt_s=DT_S)
def simulate_profile(intensity_pct, dt_s: float = 1.0) -> ExerciseResult:
    """K+ time course for a piecewise-constant effort profile.

    ``intensity_pct[i]`` (% of maximal power, 0 = rest) holds over
    ``[i*dt_s, (i+1)*dt_s)``. Returns ``len(intensity_pct) + 1`` samples from t = 0
    (resting values) to the end. ``effort_end_s`` is the end of the last active step.
    """
    dt_s = require_range("dt_s", dt_s, DT_S)
    inten = require_array_finite("intensity_pct", intensity_pct)
    if inten.ndim != 1 or inten.size == 0:
        raise ValueError("intensity_pct must be a non-empty 1-D sequence")
    if np.any((inten < INTENSITY_PCT.low) | (inten > INTENSITY_PCT.high)):
        raise ValueError(f"intensity_pct values must be in {INTENSITY_PCT.describe()}")
    k_target = np.asarray(_K_SS(inten), dtype=float)
    # release drive for plasma: same shape as the interstitial rise, 0..1
    u = (k_target - K_REST_INTERSTITIAL_MM) / (K_SS_MAX_MM - K_REST_INTERSTITIAL_MM)
    u = np.where(inten > 0.0, u, 0.0)
    k, kp = _integrate(dt_s, k_target, u, K_REST_INTERSTITIAL_MM, K_REST_PLASMA_MM,
                       TAU_ON_S, TAU_OFF_S, K_REST_PLASMA_MM, PLASMA_TAU_S,
                       PLASMA_RELEASE_MM, PLASMA_UNDERSHOOT_MM, PUMP_TAU_ON_S,
                       PUMP_TAU_OFF_S)
    t = dt_s * np.arange(inten.size + 1)
    active = np.nonzero(inten > 0.0)[0]
    end = float(t[active[-1] + 1]) if active.size else 0.0
    return ExerciseResult(t_s=t, intensity_pct=np.append(inten, 0.0),
                          interstitial_k_mM=k, plasma_k_mM=kp, effort_end_s=end)


@validated(intensity_pct=INTENSITY_PCT, duration_s=DURATION_S, recovery_s=RECOVERY_S, dt_s=DT_S)
def simulate_effort(intensity_pct: float, duration_s: float, *, recovery_s: float = 600.0,
                    dt_s: float = 1.0) -> ExerciseResult:
    """One bout at constant ``intensity_pct`` for ``duration_s``, then ``recovery_s`` at rest.

    Times in s, K+ in mM. See the module docstring for the sources and assumptions.
    """
    intensity_pct = require_range("intensity_pct", intensity_pct, INTENSITY_PCT)
    duration_s = require_range("duration_s", duration_s, DURATION_S)
    recovery_s = require_range("recovery_s", recovery_s, RECOVERY_S)
    dt_s = require_range("dt_s", dt_s, DT_S)
    n_on = int(round(duration_s / dt_s))
    n_off = max(1, int(round(recovery_s / dt_s)))
    profile = np.concatenate([np.full(n_on, intensity_pct), np.zeros(n_off)])
    return simulate_profile(profile, dt_s)


@validated(t_s=Array(TIME_RANGE_S, ndim=None), intensity_pct=INTENSITY_PCT,
           duration_s=DURATION_S)
def interstitial_k_mM(t_s, intensity_pct: float, duration_s: float) -> np.ndarray:
    """Closed-form interstitial K+ (mM) at times ``t_s`` for a single constant bout.

    The analytic solution of the first-order model (used by the live panel: no time
    stepping). ``t_s`` >= 0; the bout runs over [0, duration_s].
    """
    intensity_pct = require_range("intensity_pct", intensity_pct, INTENSITY_PCT)
    duration_s = require_range("duration_s", duration_s, DURATION_S)
    t = require_array_finite("t_s", t_s)
    if np.any(t < 0):
        raise ValueError("t_s must be >= 0 (valid range [0, inf) s)")
    k0 = K_REST_INTERSTITIAL_MM
    if intensity_pct == 0.0:
        return np.full_like(t, k0, dtype=float)
    kss = float(_K_SS(intensity_pct))
    k_end = kss + (k0 - kss) * math.exp(-duration_s / TAU_ON_S)
    during = kss + (k0 - kss) * np.exp(-np.minimum(t, duration_s) / TAU_ON_S)
    after = k0 + (k_end - k0) * np.exp(-np.maximum(t - duration_s, 0.0) / TAU_OFF_S)
    return np.where(t <= duration_s, during, after)


@result_type(nonfinite={"threshold_nA": "inf where no pulse up to 50 nA excites the axon "
                                        "(depolarisation block)"})
@dataclass(frozen=True)
class ExcitabilityTimeline:
    """Motor-axon excitability computed with the interstitial K+ at chosen times."""

    t_s: np.ndarray
    k_out_mM: np.ndarray
    resting_potential_mV: np.ndarray
    threshold_nA: np.ndarray
    spontaneous_rate_hz: np.ndarray


@validated(k_out_mM=Dependent(lambda a: axon_k_range_mM(),
                             "in the motor-axon model's K+ range (axon_k_range_mM())"))
def excitability_at_k(k_out_mM: float):
    """Motor-axon excitability (``widgets.models.motor_axon.excitability``) at this [K+]o.

    The distal motor axon and its terminals lie in the muscle interstitium, so the
    interstitial K+ is the extracellular K+ they see. Only K+ is changed; the other ions
    keep the axon model's defaults. The axon model accepts [K+]o only within its own valid
    range (``motor_axon.CONC_OUT_RANGES_mM["K"]``, up to 10 mmol/L); near-maximal effort
    exceeds it, and the axon model then raises ValueError (no clamping).
    """
    from widgets.models import motor_axon

    return motor_axon.excitability(conc_out_mM={"K": float(k_out_mM)})


@validated()
def axon_k_range_mM():
    """The [K+]o range (ValidRange, mmol/L) that the motor-axon model accepts."""
    from widgets.models import motor_axon

    return motor_axon.CONC_OUT_RANGES_mM["K"]


def _k_within_axon_range(arguments) -> bool:
    valid = axon_k_range_mM()
    ks = np.atleast_1d(arguments["result"].interstitial_at(arguments["times_s"]))
    return bool(np.all((ks >= valid.low) & (ks <= valid.high)))


@validated(result=Instance(ExerciseResult, "from simulate_effort() or simulate_profile()"),
           times_s=Dependent(lambda a: Array(_times_within(a, "result").valid, ndim=(0, 1),
                                             max_size=MAX_EXCITABILITY_TIMES),
                             "up to 50 times within the result's span"),
           requires=[Require(("result", "times_s"), _k_within_axon_range,
                             lambda a: "times_s must be times at which the interstitial K+ of "
                                       "result lies in the motor-axon model's range "
                                       f"{axon_k_range_mM().describe()} (axon_k_range_mM())")])
def excitability_during(result: ExerciseResult, times_s) -> ExcitabilityTimeline:
    """Axon resting potential, threshold and spontaneous rate at ``times_s`` of ``result``.

    Couples this model to ``widgets.models.motor_axon``: each time point uses
    ``conc_out_mM={"K": interstitial K+}``. Raises ValueError if the interstitial K+ at a
    requested time is outside the axon model's valid range (see ``axon_k_range_mM``).
    At most 50 times (each runs the axon model, about 0.1 s).
    """
    times = require_array_finite("times_s", np.atleast_1d(times_s))
    if np.any((times < result.t_s[0]) | (times > result.t_s[-1])):
        raise ValueError(f"times_s must be in [{result.t_s[0]:g}, {result.t_s[-1]:g}] s")
    ks = result.interstitial_at(times)
    rows = [excitability_at_k(k) for k in ks]
    return ExcitabilityTimeline(
        t_s=times, k_out_mM=ks,
        resting_potential_mV=np.array([_field(r, "resting_potential_mV") for r in rows]),
        threshold_nA=np.array([_threshold_of(r) for r in rows]),
        spontaneous_rate_hz=np.array([_field(r, "spontaneous_rate_hz") for r in rows]),
    )


def _field(obj, name: str) -> float:
    return float(getattr(obj, name))


def _threshold_of(exc) -> float:
    """Threshold (nA, 1 ms pulse) from motor_axon's ``Excitability``."""
    return float(exc.threshold_nA)
