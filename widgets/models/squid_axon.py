"""The squid giant axon: Hodgkin & Huxley (1952), space-clamped membrane patch.

Source: Hodgkin AL, Huxley AF (1952) "A quantitative description of membrane current and its
application to conduction and excitation in nerve", J Physiol 117:500-544.

Modern sign convention (inside minus outside) with the resting potential at -65 mV, as in
NEURON's ``hh.mod`` and Gerstner et al. (2014, "Neuronal Dynamics", ch. 2):

    C dV/dt = I - gNa m^3 h (V - ENa) - gK n^4 (V - EK) - gL (V - EL)
    dx/dt   = phi * (alpha_x(V) (1 - x) - beta_x(V) x),         x in {m, h, n}
    phi     = Q10 ** ((T - 6.3 C) / 10),  Q10 = 3

with C = 1 uF/cm2, gNa = 120, gK = 36, gL = 0.3 mS/cm2, ENa = 50, EK = -77, EL = -54.387 mV
(EL chosen so that the rest is -65 mV). Units: V in mV, t in ms, I in uA/cm2.

The rates are HH's (their Eqs 12, 13, 20, 21, 23, 24) rewritten for V = -(V_HH) - 65 mV.
``gate_shift_mV`` evaluates every rate at ``V - shift``: a positive shift moves all gating to
more positive potentials, as raised divalent cations do (Frankenhaeuser & Hodgkin 1957); here
it is a plain parameter, the calibration against Ca2+/Mg2+ lives elsewhere.

Integration: classical 4th-order Runge-Kutta on (V, m, h, n). The step adapts to the
stiffness: up to 0.05 ms (samples in between by cubic Hermite interpolation) while the
membrane is slow, and sub-steps of the output step wherever (step x fastest relaxation
rate) would exceed 1 (spike upstroke; rates x 29 at 37 C). Checked against scipy's LSODA at
rtol 1e-9 in tests/ (spike times agree to ~0.001 ms over 1 s).

Model limits, stated honestly: this is a squid axon at 6.3 C. Scaling its rates by Q10 = 3 and
nothing else (conductances fixed) puts it in heat block well below body temperature: a
10 uA/cm2 step stops eliciting any spike near 24 C, and above about 31 C not even a brief
strong shock (50 uA/cm2 for 1 ms) does (:func:`heat_block_temp_c`). A mammalian motor axon
at 37 C needs a different model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from widgets.models.validation import (
    AnyOf,
    Array,
    Optional,
    Require,
    ValidRange,
    require_array_finite,
    require_range,
    result_type,
    validated,
)

# --- Hodgkin & Huxley (1952) parameters, modern convention -----------------------------------
C_M_uF_cm2 = 1.0
G_NA_mS_cm2 = 120.0
G_K_mS_cm2 = 36.0
G_L_mS_cm2 = 0.3
E_NA_mV = 50.0
E_K_mV = -77.0
E_L_mV = -54.387
Q10 = 3.0
T_REF_C = 6.3  # HH's experiments and rate constants: 6.3 C

# --- valid ranges (panels build sliders from these) --------------------------------------------
TEMP_RANGE_C = ValidRange(0.0, 45.0, "°C", 6.3)
DT_RANGE_ms = ValidRange(0.001, 0.05, "ms", 0.01)
DURATION_RANGE_ms = ValidRange(0.0, 10_000.0, "ms", 100.0, low_open=True)
CURRENT_RANGE_uA_cm2 = ValidRange(-20.0, 200.0, "µA/cm²", 10.0)
GATE_SHIFT_RANGE_mV = ValidRange(-30.0, 30.0, "mV", 0.0)
#: The part of the current range that lessons and panels explore (subthreshold to ~100 Hz).
STEP_CURRENT_RANGE_uA_cm2 = ValidRange(0.0, 30.0, "µA/cm²", 10.0)
#: Potentials at which the rate constants may be evaluated.
V_RANGE_mV = ValidRange(-150.0, 100.0, "mV", -65.0)
DISCARD_RANGE_ms = ValidRange(0.0, 10_000.0, "ms", 200.0)
#: Step durations of the threshold searches (each runs up to ~30 simulations of one step, or
#: ~120 for the repetitive-firing onset): longer steps are too slow to search at 45 °C.
RHEOBASE_DURATION_RANGE_ms = ValidRange(1.0, 2000.0, "ms", 200.0)
ONSET_DURATION_RANGE_ms = ValidRange(50.0, 1000.0, "ms", 500.0)
TOL_RANGE_uA_cm2 = ValidRange(1e-6, 1.0, "µA/cm²", 1e-3)
OBSERVE_RANGE_ms = ValidRange(1.0, 2000.0, "ms", 50.0)
PULSE_RANGE_ms = ValidRange(0.01, 2000.0, "ms", 1.0)
TOL_RANGE_C = ValidRange(1e-4, 5.0, "°C", 0.01)
#: Most simulated time of one f-I curve (ms, summed over its currents).
MAX_F_I_SIMULATED_ms = 100_000.0
#: Times and potentials accepted by :func:`spike_times` (any recording, not only this model's).
SPIKE_T_RANGE_ms = ValidRange(-1e9, 1e9, "ms")
SPIKE_V_RANGE_mV = ValidRange(-1e6, 1e6, "mV")
_NO_SPIKE = "NaN if even a 50 µA/cm² step elicits no spike (heat block, or a very short step)"


def _n_steps(arguments) -> int:
    return max(1, int(round(arguments["duration_ms"] / arguments["dt_ms"])))


def _current_matches(arguments) -> bool:
    current = arguments["current_uA_cm2"]
    return np.ndim(current) == 0 or (np.ndim(current) == 1
                                     and np.size(current) == _n_steps(arguments))


_CURRENT_SPEC = AnyOf(CURRENT_RANGE_uA_cm2, Array(CURRENT_RANGE_uA_cm2, ndim=None))
_CURRENT_MATCHES = Require(
    ("current_uA_cm2", "duration_ms", "dt_ms"), _current_matches,
    lambda a: f"current_uA_cm2 as an array must be 1-D with one value per step "
              f"({_n_steps(a)} = duration_ms / dt_ms), got shape {np.shape(a['current_uA_cm2'])}")
_DISCARD_BEFORE_END = Require(("discard_ms", "duration_ms"),
                              lambda a: a["discard_ms"] < a["duration_ms"],
                              lambda a: f"discard_ms must be < duration_ms "
                                        f"({a['duration_ms']!r} ms), got {a['discard_ms']!r}")

SPIKE_THRESHOLD_mV = 0.0  # a spike = an upward crossing of 0 mV

# integrator settings: longest RK4 step, and the cap on (step x fastest relaxation rate)
MAX_STEP_ms = 0.05
STEP_STIFFNESS_LIMIT = 1.0


@result_type(example=lambda: simulate(10.0, 20.0))
@dataclass(frozen=True)
class Trace:
    """A simulated membrane-potential trace (space-clamped patch)."""

    t_ms: np.ndarray
    v_mV: np.ndarray
    spike_times_ms: np.ndarray
    current_uA_cm2: np.ndarray
    temp_c: float

    @property
    def n_spikes(self) -> int:
        return int(self.spike_times_ms.size)


# --- compiled kernel --------------------------------------------------------------------------
_E25 = math.exp(2.5)
_E10 = math.exp(1.0)
_E30 = math.exp(3.0)


@njit(cache=True, error_model="numpy")
def _rates(v, shift):
    """HH (1952) rate constants (1/ms at 6.3 C) at membrane potential v - shift (mV).

    alpha_m = 0.1 (V+40) / (1 - exp(-(V+40)/10))    beta_m = 4 exp(-(V+65)/18)
    alpha_h = 0.07 exp(-(V+65)/20)                  beta_h = 1 / (1 + exp(-(V+35)/10))
    alpha_n = 0.01 (V+55) / (1 - exp(-(V+55)/10))   beta_n = 0.125 exp(-(V+65)/80)

    All the /10, /20 and /80 exponentials are powers of e10 = exp(-(V+65)/10), so two calls
    to exp suffice. alpha_m and alpha_n have removable singularities at V = -40 and -55 mV
    (x / (1 - exp(-x)) -> 1 as x -> 0): a series 1 + x/2 + x^2/12 is used for |x| < 1e-4.
    """
    u = v - shift
    e10 = math.exp(-(u + 65.0) / 10.0)
    e20 = math.sqrt(e10)
    e80 = math.sqrt(math.sqrt(e20))
    x = (u + 40.0) / 10.0
    if abs(x) < 1e-4:
        alpha_m = 1.0 + 0.5 * x + x * x / 12.0
    else:
        alpha_m = x / (1.0 - e10 * _E25)
    beta_m = 4.0 * math.exp(-(u + 65.0) / 18.0)
    alpha_h = 0.07 * e20
    beta_h = 1.0 / (1.0 + e10 * _E30)
    x = (u + 55.0) / 10.0
    if abs(x) < 1e-4:
        alpha_n = 0.1 * (1.0 + 0.5 * x + x * x / 12.0)
    else:
        alpha_n = 0.1 * x / (1.0 - e10 * _E10)
    beta_n = 0.125 * e80
    return alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n


@njit(cache=True, error_model="numpy")
def _derivs(v, m, h, n, i_app, phi, shift):
    """Right-hand side of the HH equations, plus the largest relaxation rate (1/ms)."""
    am, bm, ah, bh, an, bn = _rates(v, shift)
    g_na = G_NA_mS_cm2 * m * m * m * h
    g_k = G_K_mS_cm2 * n * n * n * n
    i_ion = g_na * (v - E_NA_mV) + g_k * (v - E_K_mV) + G_L_mS_cm2 * (v - E_L_mV)
    dv = (i_app - i_ion) / C_M_uF_cm2
    dm = phi * (am * (1.0 - m) - bm * m)
    dh = phi * (ah * (1.0 - h) - bh * h)
    dn = phi * (an * (1.0 - n) - bn * n)
    stiff = max(phi * max(am + bm, max(ah + bh, an + bn)),
                (g_na + g_k + G_L_mS_cm2) / C_M_uF_cm2)
    return dv, dm, dh, dn, stiff


@njit(cache=True, error_model="numpy")
def _rk4_step(v, m, h, n, k1v, k1m, k1h, k1n, hs, i_app, phi, shift):
    """One classical Runge-Kutta step of length hs (ms) from (v, m, h, n), given k1."""
    k2v, k2m, k2h, k2n, _ = _derivs(v + 0.5 * hs * k1v, m + 0.5 * hs * k1m,
                                    h + 0.5 * hs * k1h, n + 0.5 * hs * k1n, i_app, phi, shift)
    k3v, k3m, k3h, k3n, _ = _derivs(v + 0.5 * hs * k2v, m + 0.5 * hs * k2m,
                                    h + 0.5 * hs * k2h, n + 0.5 * hs * k2n, i_app, phi, shift)
    k4v, k4m, k4h, k4n, _ = _derivs(v + hs * k3v, m + hs * k3m, h + hs * k3h, n + hs * k3n,
                                    i_app, phi, shift)
    return (v + hs / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v),
            m + hs / 6.0 * (k1m + 2.0 * k2m + 2.0 * k3m + k4m),
            h + hs / 6.0 * (k1h + 2.0 * k2h + 2.0 * k3h + k4h),
            n + hs / 6.0 * (k1n + 2.0 * k2n + 2.0 * k3n + k4n))


@njit(cache=True, error_model="numpy")
def _integrate(v0, m0, h0, n0, current, dt, phi, shift):
    """RK4 with a step chosen from the stiffness; returns V at t = 0, dt, ..., len(current) dt.

    Where the system is slow (h x fastest relaxation rate <= STEP_STIFFNESS_LIMIT), one RK4
    step spans up to ``MAX_STEP_ms`` (several output samples, while the current is constant);
    the samples inside it come from cubic Hermite interpolation of V (4th-order accurate like
    the step). Where it is fast (spike upstroke, high temperature), each output step is split
    into as many equal RK4 sub-steps as the same stiffness limit requires.
    """
    n_steps = current.size
    out = np.empty(n_steps + 1)
    v, m, h, n = v0, m0, h0, n0
    out[0] = v
    k_max = max(1, int(MAX_STEP_ms / dt + 1e-9))
    i = 0
    k1v, k1m, k1h, k1n, stiff = _derivs(v, m, h, n, current[0], phi, shift)
    while i < n_steps:
        i_app = current[i]
        kk = 1
        while kk < k_max and i + kk < n_steps and current[i + kk] == i_app:
            kk += 1
        big = kk * dt
        if kk > 1 and big * stiff <= STEP_STIFFNESS_LIMIT:
            v1, m1, h1, n1 = _rk4_step(v, m, h, n, k1v, k1m, k1h, k1n, big, i_app, phi, shift)
            f1v, f1m, f1h, f1n, stiff1 = _derivs(v1, m1, h1, n1, i_app, phi, shift)
            for j in range(1, kk):
                s = j / kk
                h00 = (1.0 + 2.0 * s) * (1.0 - s) * (1.0 - s)
                h10 = s * (1.0 - s) * (1.0 - s)
                h01 = s * s * (3.0 - 2.0 * s)
                h11 = s * s * (s - 1.0)
                out[i + j] = h00 * v + h10 * big * k1v + h01 * v1 + h11 * big * f1v
            v, m, h, n = v1, m1, h1, n1
            i += kk
            out[i] = v
            k1v, k1m, k1h, k1n, stiff = f1v, f1m, f1h, f1n, stiff1
        else:
            n_sub = max(1, int(math.ceil(dt * stiff / STEP_STIFFNESS_LIMIT)))
            hs = dt / n_sub
            for j in range(n_sub):
                if j > 0:
                    k1v, k1m, k1h, k1n, _ = _derivs(v, m, h, n, i_app, phi, shift)
                v, m, h, n = _rk4_step(v, m, h, n, k1v, k1m, k1h, k1n, hs, i_app, phi, shift)
            i += 1
            out[i] = v
            if i < n_steps:
                k1v, k1m, k1h, k1n, stiff = _derivs(v, m, h, n, current[i], phi, shift)
        if i < n_steps and current[i] != i_app:
            k1v, k1m, k1h, k1n, stiff = _derivs(v, m, h, n, current[i], phi, shift)
    return out


# --- steady state and rest ----------------------------------------------------------------------
@validated(v_mV=V_RANGE_mV, temp_c=TEMP_RANGE_C, gate_shift_mV=GATE_SHIFT_RANGE_mV)
def rates_per_ms(v_mV, temp_c: float = 6.3, gate_shift_mV: float = 0.0) -> dict[str, float]:
    """HH (1952) rate constants alpha/beta for m, h, n (1/ms) at ``v_mV`` and ``temp_c``."""
    require_range("v_mV", v_mV, ValidRange(-150.0, 100.0, "mV"))
    require_range("temp_c", temp_c, TEMP_RANGE_C)
    require_range("gate_shift_mV", gate_shift_mV, GATE_SHIFT_RANGE_mV)
    phi = temperature_factor(temp_c)
    names = ("alpha_m", "beta_m", "alpha_h", "beta_h", "alpha_n", "beta_n")
    return {k: phi * r for k, r in zip(names, _rates(float(v_mV), float(gate_shift_mV)),
                                        strict=True)}


@validated(temp_c=TEMP_RANGE_C)
def temperature_factor(temp_c: float) -> float:
    """phi = Q10 ** ((T - 6.3) / 10) with Q10 = 3 (Hodgkin & Huxley 1952, p. 519)."""
    require_range("temp_c", temp_c, TEMP_RANGE_C)
    return Q10 ** ((temp_c - T_REF_C) / 10.0)


def _gates_inf(v, shift):
    # the plain-Python version of the compiled rates: no JIT dispatch for a scalar call
    am, bm, ah, bh, an, bn = _rates.py_func(v, shift)
    return am / (am + bm), ah / (ah + bh), an / (an + bn)


def _steady_current(v, shift):
    m, h, n = _gates_inf(v, shift)
    return (G_NA_mS_cm2 * m**3 * h * (v - E_NA_mV) + G_K_mS_cm2 * n**4 * (v - E_K_mV)
            + G_L_mS_cm2 * (v - E_L_mV))


def _rest_state(shift: float) -> tuple[float, float, float, float]:
    """Resting state: bisection for the zero of the steady-state current in [-90, -40] mV."""
    low, high = -90.0, -40.0  # I_ss(low) < 0 < I_ss(high) for every allowed shift
    for _ in range(60):
        mid = 0.5 * (low + high)
        if _steady_current(mid, shift) < 0.0:
            low = mid
        else:
            high = mid
    v = 0.5 * (low + high)
    return (v, *_gates_inf(v, shift))


def _settled_v(current_uA_cm2: float, shift: float) -> float:
    """Potential (mV) where the steady-state current equals ``current_uA_cm2`` (bisection)."""
    low, high = -250.0, 150.0
    for _ in range(60):
        mid = 0.5 * (low + high)
        if _steady_current(mid, shift) < current_uA_cm2:
            low = mid
        else:
            high = mid
    return 0.5 * (low + high)


#: Most integrator steps one simulation may take (RK4 sub-steps or output samples, about
#: 0.15-0.3 µs each: at most about 10 s of CPU). Where the gates are fast the sub-stepping,
#: not the output step, sets the cost: warm, and hyperpolarised (a negative current, with a
#: positive gate shift), the m gate's closing rate grows steeply (beta_m at -120 mV is 20
#: times its value at rest, times 70 at 45 °C).
MAX_WORK_STEPS = 60_000_000


def _work_steps(duration_ms: float, temp_c: float, dt_ms: float, gate_shift_mV: float,
               min_current_uA_cm2: float) -> float:
    """Estimated integrator steps of one run: the stiffness of the settled state under the most
    hyperpolarising current in the run, or one step per output sample if that is more."""
    v = _settled_v(min_current_uA_cm2, gate_shift_mV)
    m, h, n = _gates_inf(v, gate_shift_mV)
    phi = Q10 ** ((temp_c - T_REF_C) / 10.0)
    stiff = _derivs.py_func(v, m, h, n, min_current_uA_cm2, phi, gate_shift_mV)[4]
    return duration_ms * max(stiff / STEP_STIFFNESS_LIMIT, 1.0 / dt_ms)


def _work_cap(steps, what="this run"):
    return Require(("duration_ms", "temp_c", "gate_shift_mV", "current_uA_cm2"),
                   lambda a: steps(a) <= MAX_WORK_STEPS,
                   lambda a: f"duration_ms, temp_c, gate_shift_mV and current_uA_cm2 together "
                             f"ask for about {steps(a):.2g} integrator steps in {what} (at most "
                             f"{MAX_WORK_STEPS:.2g}: warm and hyperpolarised, the gates are "
                             "fast and the integrator sub-steps); shorten duration_ms, or use "
                             "a lower temp_c or a less negative current")


@validated(temp_c=TEMP_RANGE_C, gate_shift_mV=GATE_SHIFT_RANGE_mV)
def resting_potential_mV(temp_c: float = 6.3, gate_shift_mV: float = 0.0) -> float:
    """Resting potential (mV): the zero of the steady-state membrane current with I = 0.

    Temperature scales alpha and beta by the same factor, so the steady state (and thus
    the rest, -65 mV for the standard parameters) does not depend on temperature.
    """
    require_range("temp_c", temp_c, TEMP_RANGE_C)
    require_range("gate_shift_mV", gate_shift_mV, GATE_SHIFT_RANGE_mV)
    return float(_rest_state(float(gate_shift_mV))[0])


# --- simulation ---------------------------------------------------------------------------------
def _validate(duration_ms, temp_c, dt_ms, gate_shift_mV):
    duration_ms = require_range("duration_ms", duration_ms, DURATION_RANGE_ms)
    if duration_ms <= 0:
        raise ValueError(f"duration_ms must be in (0, {DURATION_RANGE_ms.high:g}] ms, "
                         f"got {duration_ms!r}")
    temp_c = require_range("temp_c", temp_c, TEMP_RANGE_C)
    dt_ms = require_range("dt_ms", dt_ms, DT_RANGE_ms)
    gate_shift_mV = require_range("gate_shift_mV", gate_shift_mV, GATE_SHIFT_RANGE_mV)
    return duration_ms, temp_c, dt_ms, gate_shift_mV


def _current_array(current_uA_cm2, n_steps: int) -> np.ndarray:
    arr = np.asarray(current_uA_cm2, dtype=float) if not np.isscalar(current_uA_cm2) else None
    if arr is None or arr.ndim == 0:
        value = require_range("current_uA_cm2", current_uA_cm2 if arr is None else arr.item(),
                              CURRENT_RANGE_uA_cm2)
        return np.full(n_steps, value)
    if arr.ndim != 1 or arr.size != n_steps:
        raise ValueError(f"current_uA_cm2 as an array must be 1-D with one value per step "
                         f"({n_steps} = duration_ms / dt_ms), got shape {arr.shape}")
    arr = require_array_finite("current_uA_cm2", arr)
    if arr.min() < CURRENT_RANGE_uA_cm2.low or arr.max() > CURRENT_RANGE_uA_cm2.high:
        raise ValueError(f"current_uA_cm2 must be in {CURRENT_RANGE_uA_cm2.describe()}, "
                         f"got values in [{arr.min():g}, {arr.max():g}]")
    return np.ascontiguousarray(arr)


@validated(t_ms=Array(SPIKE_T_RANGE_ms, ndim=(1,), min_size=1),
           v_mV=Array(SPIKE_V_RANGE_mV, ndim=(1,), min_size=1),
           threshold_mV=SPIKE_V_RANGE_mV,
           requires=[Require(("t_ms", "v_mV"), lambda a: a["t_ms"].shape == a["v_mV"].shape,
                             "t_ms and v_mV must have the same length")])
def spike_times(t_ms: np.ndarray, v_mV: np.ndarray,
                threshold_mV: float = SPIKE_THRESHOLD_mV) -> np.ndarray:
    """Times (ms) of upward crossings of ``threshold_mV``, linearly interpolated."""
    below = v_mV[:-1] < threshold_mV
    above = v_mV[1:] >= threshold_mV
    idx = np.nonzero(below & above)[0]
    v0, v1 = v_mV[idx], v_mV[idx + 1]
    frac = (threshold_mV - v0) / (v1 - v0)
    return t_ms[idx] + frac * (t_ms[idx + 1] - t_ms[idx])


@validated(current_uA_cm2=_CURRENT_SPEC, duration_ms=DURATION_RANGE_ms, temp_c=TEMP_RANGE_C,
           dt_ms=DT_RANGE_ms, gate_shift_mV=GATE_SHIFT_RANGE_mV,
           requires=[_CURRENT_MATCHES,
                     _work_cap(lambda a: _work_steps(a["duration_ms"], a["temp_c"], a["dt_ms"],
                                                    a["gate_shift_mV"],
                                                    float(np.min(a["current_uA_cm2"]))))])
def simulate(current_uA_cm2, duration_ms: float, temp_c: float = 6.3, dt_ms: float = 0.01,
             gate_shift_mV: float = 0.0) -> Trace:
    """Membrane potential of the HH (1952) patch given an injected current from t = 0.

    Parameters
    ----------
    current_uA_cm2
        A constant current step (µA/cm², in ``CURRENT_RANGE_uA_cm2``) switched on at t = 0,
        or a 1-D array of one current value per time step (``round(duration_ms / dt_ms)``).
    duration_ms
        Simulated time (ms), in (0, 10 000].
    temp_c
        Temperature (°C) in [0, 45]; rates scale by 3 ** ((T - 6.3) / 10).
    dt_ms
        Output time step (ms) in [0.001, 0.05]; the integrator sub-steps internally if needed.
    gate_shift_mV
        Shift (mV, in [-30, 30]) of every rate's voltage dependence; positive = less excitable.

    The membrane starts at its resting steady state (I = 0). Spikes are upward crossings of
    0 mV, timed by linear interpolation between samples. Cost: up to 10 million output steps
    (10 s at dt_ms = 0.001, about 3 s of CPU); where the gates are fast (warm and
    hyperpolarised) the integrator sub-steps, and a run may take at most ``MAX_WORK_STEPS``
    steps as estimated by :func:`_work_steps` (about 10 s of CPU), else ValueError.
    """
    duration_ms, temp_c, dt_ms, gate_shift_mV = _validate(duration_ms, temp_c, dt_ms,
                                                          gate_shift_mV)
    n_steps = max(1, int(round(duration_ms / dt_ms)))
    current = _current_array(current_uA_cm2, n_steps)
    v0, m0, h0, n0 = _rest_state(gate_shift_mV)
    phi = temperature_factor(temp_c)
    v = _integrate(v0, m0, h0, n0, current, dt_ms, phi, gate_shift_mV)
    t = np.arange(n_steps + 1) * dt_ms
    return Trace(t_ms=t, v_mV=v, spike_times_ms=spike_times(t, v), current_uA_cm2=current,
                 temp_c=temp_c)


# --- derived measures used by the lessons -------------------------------------------------------
@validated(current_uA_cm2=CURRENT_RANGE_uA_cm2, temp_c=TEMP_RANGE_C,
           duration_ms=DURATION_RANGE_ms, discard_ms=DISCARD_RANGE_ms,
           gate_shift_mV=GATE_SHIFT_RANGE_mV, dt_ms=DT_RANGE_ms,
           requires=[_DISCARD_BEFORE_END,
                     _work_cap(lambda a: _work_steps(a["duration_ms"], a["temp_c"], a["dt_ms"],
                                                    a["gate_shift_mV"], a["current_uA_cm2"]))])
def firing_rate_hz(current_uA_cm2: float, temp_c: float = 6.3, duration_ms: float = 1000.0,
                   discard_ms: float = 200.0, gate_shift_mV: float = 0.0,
                   dt_ms: float = 0.01) -> float:
    """Sustained firing rate (Hz) for a current step from rest.

    Spikes in the first ``discard_ms`` (the onset transient) are ignored; the rate is
    (number of inter-spike intervals) / (time between first and last counted spike). Zero if
    fewer than two spikes fall after ``discard_ms`` (no sustained firing).
    """
    discard_ms = require_range("discard_ms", discard_ms, ValidRange(0.0, 10_000.0, "ms"))
    if discard_ms >= duration_ms:
        raise ValueError(f"discard_ms must be < duration_ms ({duration_ms!r} ms), "
                         f"got {discard_ms!r}")
    trace = simulate(current_uA_cm2, duration_ms, temp_c, dt_ms, gate_shift_mV)
    s = trace.spike_times_ms[trace.spike_times_ms >= discard_ms]
    if s.size < 2:
        return 0.0
    return 1e3 * (s.size - 1) / (s[-1] - s[0])


@validated(currents_uA_cm2=Array(CURRENT_RANGE_uA_cm2, ndim=(1,), min_size=1, max_size=1000),
           temp_c=TEMP_RANGE_C, duration_ms=DURATION_RANGE_ms, discard_ms=DISCARD_RANGE_ms,
           gate_shift_mV=GATE_SHIFT_RANGE_mV,
           requires=[_DISCARD_BEFORE_END,
                     Require(("currents_uA_cm2", "duration_ms"),
                             lambda a: a["currents_uA_cm2"].size * a["duration_ms"]
                             <= MAX_F_I_SIMULATED_ms,
                             f"len(currents_uA_cm2) x duration_ms must be at most "
                             f"{MAX_F_I_SIMULATED_ms:g} ms of simulated time (about 5 s of "
                             "computing at 45 °C)"),
                     Require(("currents_uA_cm2", "duration_ms", "temp_c", "gate_shift_mV"),
                             lambda a: a["currents_uA_cm2"].size * _work_steps(
                                 a["duration_ms"], a["temp_c"], 0.01, a["gate_shift_mV"],
                                 float(a["currents_uA_cm2"].min())) <= MAX_WORK_STEPS,
                             "currents_uA_cm2, duration_ms, temp_c and gate_shift_mV together ask "
                             f"for more than {MAX_WORK_STEPS:.2g} integrator steps (warm and "
                             "hyperpolarised, the integrator sub-steps): fewer or shorter steps")])
def f_i_curve(currents_uA_cm2, temp_c: float = 6.3, duration_ms: float = 1000.0,
              discard_ms: float = 200.0, gate_shift_mV: float = 0.0) -> np.ndarray:
    """Sustained firing rate (Hz) for each current step in ``currents_uA_cm2`` (from rest).

    One simulation of ``duration_ms`` per current; at most 100 s of simulated time per call.
    """
    currents = require_array_finite("currents_uA_cm2", currents_uA_cm2)
    if currents.ndim != 1 or currents.size == 0:
        raise ValueError("currents_uA_cm2 must be a non-empty 1-D sequence")
    return np.array([firing_rate_hz(float(c), temp_c, duration_ms, discard_ms, gate_shift_mV)
                     for c in currents])


def _bisect(fires, low: float, high: float, tol: float) -> float:
    """Smallest x in [low, high] with fires(x) True, assuming fires is monotone."""
    if not fires(high):
        return math.nan
    if fires(low):
        return low
    while high - low > tol:
        mid = 0.5 * (low + high)
        if fires(mid):
            high = mid
        else:
            low = mid
    return 0.5 * (low + high)


@validated(temp_c=TEMP_RANGE_C, duration_ms=RHEOBASE_DURATION_RANGE_ms,
           gate_shift_mV=GATE_SHIFT_RANGE_mV, tol_uA_cm2=TOL_RANGE_uA_cm2,
           nonfinite={"": _NO_SPIKE})
def rheobase_uA_cm2(temp_c: float = 6.3, duration_ms: float = 200.0,
                    gate_shift_mV: float = 0.0, tol_uA_cm2: float = 1e-3) -> float:
    """Rheobase (µA/cm²): the smallest step from rest that elicits at least one spike.

    Bisection over [0, 50] µA/cm² on a step of ``duration_ms`` (long enough that a longer
    step changes nothing). Returns NaN if even 50 µA/cm² elicits no spike (heat block).
    Cost: up to log2(50 / tol_uA_cm2) + 2 simulations of the step (``duration_ms`` at most
    2000 ms: about 3 s at 45 °C and tol 1e-6).
    """
    require_range("temp_c", temp_c, TEMP_RANGE_C)
    require_range("tol_uA_cm2", tol_uA_cm2, ValidRange(1e-6, 1.0, "µA/cm²"))
    _validate(duration_ms, temp_c, 0.01, gate_shift_mV)
    return _bisect(lambda i: simulate(i, duration_ms, temp_c, 0.01, gate_shift_mV).n_spikes > 0,
                   0.0, 50.0, tol_uA_cm2)


@validated(temp_c=TEMP_RANGE_C, duration_ms=ONSET_DURATION_RANGE_ms,
           gate_shift_mV=GATE_SHIFT_RANGE_mV, tol_uA_cm2=TOL_RANGE_uA_cm2,
           nonfinite={"": "NaN if no step up to 50 µA/cm² fires repetitively (heat block)"})
def repetitive_onset_uA_cm2(temp_c: float = 6.3, duration_ms: float = 500.0,
                            gate_shift_mV: float = 0.0, tol_uA_cm2: float = 1e-3) -> float:
    """Smallest step from rest (µA/cm²) that gives sustained repetitive firing.

    "Sustained" here: the membrane still crosses 0 mV in the last quarter of a
    ``duration_ms`` step. Firing is not monotone in current (strong steps hold the membrane
    in depolarisation block, the sooner the warmer), so the steps 0.5, 1, 1.5, ... 50 µA/cm²
    are scanned for the first that fires repetitively, and the onset is then bisected between
    it and the step below. NaN if no step up to 50 µA/cm² fires repetitively.

    Cost: up to 100 scan steps plus log2(0.5 / tol_uA_cm2) bisection steps, each a simulation
    of ``duration_ms`` (50-1000 ms): about 0.5 s at 6.3 °C and 500 ms; several seconds at
    45 °C and 1000 ms, where nothing fires and every scan step runs.
    """
    require_range("temp_c", temp_c, TEMP_RANGE_C)
    require_range("tol_uA_cm2", tol_uA_cm2, ValidRange(1e-6, 1.0, "µA/cm²"))
    _validate(duration_ms, temp_c, 0.01, gate_shift_mV)

    def sustained(i):
        s = simulate(i, duration_ms, temp_c, 0.01, gate_shift_mV).spike_times_ms
        return bool(np.any(s > 0.75 * duration_ms))

    low = 0.0
    for high in np.arange(0.5, 50.0 + 1e-9, 0.5):
        if sustained(float(high)):
            return _bisect(sustained, low, float(high), tol_uA_cm2)
        low = float(high)
    return math.nan


def _heat_block_steps(a) -> float:
    """Integrator steps of the whole temperature bisection (every run costed at 45 °C)."""
    pulse_ends = a["pulse_ms"] is not None and a["pulse_ms"] < a["observe_ms"]
    i_min = min(a["current_uA_cm2"], 0.0) if pulse_ends else a["current_uA_cm2"]
    runs = math.log2((TEMP_RANGE_C.high - T_REF_C) / a["tol_c"]) + 2
    return runs * _work_steps(a["observe_ms"], TEMP_RANGE_C.high, 0.01, a["gate_shift_mV"],
                             i_min)


@validated(current_uA_cm2=CURRENT_RANGE_uA_cm2, pulse_ms=Optional(PULSE_RANGE_ms),
           observe_ms=OBSERVE_RANGE_ms, gate_shift_mV=GATE_SHIFT_RANGE_mV, tol_c=TOL_RANGE_C,
           requires=[Require(("pulse_ms", "observe_ms"),
                             lambda a: a["pulse_ms"] is None or a["pulse_ms"] <= a["observe_ms"],
                             lambda a: f"pulse_ms must be in [0.01, observe_ms = "
                                       f"{a['observe_ms']:g}] ms, got {a['pulse_ms']!r}"),
                     Require(("current_uA_cm2", "pulse_ms", "observe_ms", "gate_shift_mV",
                              "tol_c"), lambda a: _heat_block_steps(a) <= MAX_WORK_STEPS,
                             lambda a: f"current_uA_cm2, pulse_ms, observe_ms, gate_shift_mV "
                                       f"and tol_c together ask for about "
                                       f"{_heat_block_steps(a):.2g} integrator steps (at most "
                                       f"{MAX_WORK_STEPS:.2g}; up to 45 °C and hyperpolarised "
                                       "the integrator sub-steps): shorten observe_ms or raise "
                                       "tol_c")],
           nonfinite={"": "NaN if the stimulus does not fire at 6.3 °C, or still fires at 45 °C"})
def heat_block_temp_c(current_uA_cm2: float = 50.0, pulse_ms: float | None = 1.0,
                      observe_ms: float = 50.0, gate_shift_mV: float = 0.0,
                      tol_c: float = 0.01) -> float:
    """Lowest temperature (°C) at which a test stimulus from rest no longer elicits a spike.

    The test stimulus is a rectangular pulse of ``current_uA_cm2`` lasting ``pulse_ms`` from
    t = 0 (default: 50 µA/cm² for 1 ms, a brief shock too small to push V past 0 mV
    passively), watched for ``observe_ms``; ``pulse_ms=None`` means a step held for the whole
    ``observe_ms``. Bisection on temperature between 6.3 and 45 C, assuming (as holds for HH)
    that once the response fails it stays failed at higher temperature. NaN if the stimulus
    does not fire at 6.3 C, or still fires at 45 C.

    The answer depends on the stimulus: with the defaults the HH patch blocks at about 31 C;
    a sustained 10 µA/cm² step (``pulse_ms=None, observe_ms=200``) stops eliciting even one
    spike near 24 C, and stops firing repetitively a little below that. FitzHugh (1966)
    analyses why: faster Na inactivation and K activation at higher temperature (Q10 = 3 on
    every rate, none on the conductances) outrun the Na activation that drives the upstroke.
    """
    require_range("current_uA_cm2", current_uA_cm2, CURRENT_RANGE_uA_cm2)
    require_range("observe_ms", observe_ms, ValidRange(1.0, 2000.0, "ms"))
    if pulse_ms is not None:
        require_range("pulse_ms", pulse_ms, ValidRange(0.01, observe_ms, "ms"))
    require_range("gate_shift_mV", gate_shift_mV, GATE_SHIFT_RANGE_mV)
    require_range("tol_c", tol_c, ValidRange(1e-4, 5.0, "°C"))
    dt = 0.01
    n_steps = int(round(observe_ms / dt))
    current = np.full(n_steps, float(current_uA_cm2))
    if pulse_ms is not None:
        current[int(round(pulse_ms / dt)):] = 0.0

    def blocked(temp):
        return simulate(current, n_steps * dt, temp, dt, gate_shift_mV).n_spikes == 0

    if blocked(T_REF_C):
        return math.nan
    return _bisect(blocked, T_REF_C, TEMP_RANGE_C.high, tol_c)
