"""Human motor-axon model against published human threshold-tracking data."""

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from widgets.models import motor_axon as ma

NERNST_SLOPE_mV = ma.VT_mV  # RT/F at 37 C


@pytest.fixture(scope="module")
def rc_normal():
    iv = np.array([2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 10.0, 20.0, 30.0, 40.0, 50.0, 100.0])
    return iv, ma.recovery_cycle(iv)


def test_rest_near_minus_80_to_85_at_normal_potassium():
    # Human motor axons rest near -80 to -85 mV (Howells et al. 2012 model estimate).
    assert -85.0 <= ma.resting_potential() <= -80.0


def test_raised_potassium_depolarises_by_part_of_the_nernst_shift():
    # Raised K+ depolarises human axons (Kiernan et al. 2002; Boerio et al. 2014), but by less
    # than E_K because the membrane is also permeable to Na+ (Hodgkin & Katz 1949).
    v4 = ma.resting_potential({"K": 4.0})
    v6 = ma.resting_potential({"K": 6.0})
    nernst = NERNST_SLOPE_mV * math.log(6.0 / 4.0)  # 10.8 mV
    assert 0.3 * nernst <= v6 - v4 <= 0.9 * nernst
    v25 = ma.resting_potential({"K": 2.5})
    # low K+ hyperpolarises (the direction is the anchor; the size, about 1.7 mV, follows the
    # model's K+ share of the resting conductance, which is calibrated)
    assert v25 < v4 - 1.0


def test_excitable_at_6_mM_potassium():
    thr = ma.threshold(1.0, {"K": 6.0})
    assert math.isfinite(thr) and 0.0 < thr < 2.0 * ma.threshold(1.0)


def test_hyperkalaemia_reduces_superexcitability_and_raises_refractoriness():
    # Kiernan et al. 2002 (Brain 125:1366): superexcitability is reduced and refractoriness
    # increased in hyperkalaemic patients, both correlating with serum K+.
    normal = ma.recovery_cycle([2.0, 6.0])
    high = ma.recovery_cycle([2.0, 6.0], {"K": 5.5})
    assert high[1] > normal[1] + 5.0  # less superexcitable (threshold change less negative)
    assert high[0] > normal[0]  # more refractory


def test_strength_duration_time_constant_matches_mogyoros_1996():
    # Mogyoros et al. 1996 (Brain 119:439): human median motor axons, tau_SD 0.46 +/- 0.13 ms.
    rheo, tau, thr = ma.strength_duration()
    assert 0.33 <= tau <= 0.59
    assert rheo > 0 and thr[0] > thr[1]


def test_weiss_law_from_five_durations_agrees_with_two():
    _, tau2, _ = ma.strength_duration(durations_ms=(0.2, 1.0))
    _, tau5, _ = ma.strength_duration(durations_ms=(0.2, 0.4, 0.6, 0.8, 1.0))
    assert tau5 == pytest.approx(tau2, rel=0.1)


def test_recovery_cycle_refractoriness_at_2_ms(rc_normal):
    # Kiernan et al. 2000 (Muscle Nerve 23:399): threshold is raised at the shortest intervals.
    iv, rc = rc_normal
    assert rc[iv == 2.0][0] > 5.0


def test_recovery_cycle_superexcitability(rc_normal):
    # Kiernan et al. 2000: superexcitability about -20 to -30 % around 5-7 ms in normal subjects.
    iv, rc = rc_normal
    window = (iv >= 2.5) & (iv <= 8.0)
    assert -30.0 <= rc[window].min() <= -20.0
    assert rc[iv == 5.0][0] <= -15.0


def test_recovery_cycle_late_subexcitability(rc_normal):
    # Kiernan et al. 2000: late subexcitability of about +10-15 % near 30-50 ms, decaying by 100.
    iv, rc = rc_normal
    window = (iv >= 30.0) & (iv <= 50.0)
    assert 8.0 <= rc[window].max() <= 16.0
    assert abs(rc[iv == 100.0][0]) < rc[window].max()


def test_low_calcium_lowers_threshold_and_high_magnesium_raises_it():
    t = ma.threshold(1.0)
    assert ma.threshold(1.0, {"Ca": 0.6}) < 0.85 * t
    assert ma.threshold(1.0, {"Mg": 3.0}) > t
    # Mg2+ weaker than Ca2+ for the same added concentration
    assert ma.threshold(1.0, {"Mg": 2.55}) < ma.threshold(1.0, {"Ca": 2.5})


def test_kernel_matches_scipy_solve_ivp_for_a_subthreshold_pulse():
    # Independent integration of the same equations (without the compiled kernel's scheme).
    p = ma.kernel_params()
    y0 = ma._rest_state(p)
    amp = 0.5 * ma.threshold(1.0) * 1e3  # pA

    def rhs(t, y):
        vn, vi, m, h, pp, s, n, si, q = y
        shift = p[ma.P_SHIFT]
        inf_n, tau_n = ma.rate_functions(np.array([vn - shift]))
        inf_i, tau_i = ma.rate_functions(np.array([vi - shift]))
        dk = ma._ghk_raw(vn, p[ma.P_KO]) / ma.GHK_NORM
        dki = ma._ghk_raw(vi, p[ma.P_KO]) / ma.GHK_NORM
        ina = (p[ma.P_GNAT] * m**3 * h + p[ma.P_GNAP] * pp**3 + p[ma.P_GLNA]) * (vn - p[ma.P_ENA])
        ik = (p[ma.P_GKS] * s + p[ma.P_GLK]) * dk
        icl = p[ma.P_GCL] * (vn - p[ma.P_ECL])
        ist = amp if 0.0 <= t < 1.0 else 0.0
        ibb = p[ma.P_GBB] * (vn - vi)
        dvn = (ist - ina - ik - icl - p[ma.P_IPN] - ibb) / p[ma.P_CN]
        iki = (p[ma.P_GKF] * n**4 + p[ma.P_GKSI] * si + p[ma.P_GLKI]) * dki
        ii = (iki + p[ma.P_GLNAI] * (vi - p[ma.P_ENA]) + p[ma.P_GH] * q * (vi - p[ma.P_EH])
              + p[ma.P_GCLI] * (vi - p[ma.P_ECL]) + p[ma.P_IPI])
        dvi = (ibb - ii) / p[ma.P_CI]
        gates = [m, h, pp, s]
        dg = [(inf_n[k, 0] - g) / tau_n[k, 0] for k, g in enumerate(gates)]
        dg += [(inf_i[4, 0] - n) / tau_i[4, 0], (inf_i[3, 0] - si) / tau_i[3, 0],
               (inf_i[5, 0] - q) / tau_i[5, 0]]
        return [dvn, dvi, *dg]

    sol = solve_ivp(rhs, (0.0, 5.0), y0, method="LSODA", max_step=0.01, rtol=1e-7, atol=1e-9,
                    t_eval=[0.5, 1.0, 2.0, 5.0])
    trace = ma.simulate(ma.Pulse(0.0, 1.0, amp / 1e3), 5.0, dt_ms=0.001)
    ours = np.interp([0.5, 1.0, 2.0, 5.0], trace.t_ms, trace.v_mV)
    np.testing.assert_allclose(ours, sol.y[0], atol=0.3)


def test_simulate_returns_spike_for_suprathreshold_pulse():
    thr = ma.threshold(1.0)
    tr = ma.simulate(ma.Pulse(1.0, 1.0, 1.5 * thr), 10.0)
    assert tr.spike_times_ms.size == 1 and tr.v_mV.max() > 0.0
    tr0 = ma.simulate(ma.Pulse(1.0, 1.0, 0.9 * thr), 10.0)
    assert tr0.spike_times_ms.size == 0


def test_excitability_fields_and_block_is_reported():
    e = ma.excitability()
    assert e.excitable and e.threshold_nA > e.rheobase_nA > 0
    assert 0.33 <= e.strength_duration_time_constant_ms <= 0.59
    blocked = ma.excitability({"K": 10.0, "Na": 170.0, "Ca": 0.4, "Mg": 0.2}, rate_duration_s=0.1)
    assert not blocked.excitable and math.isinf(blocked.threshold_nA)


def test_als_like_axon_more_excitable():
    # Bostock et al. 1995; Kanai et al. 2006: more persistent Na+, less slow K+ in ALS axons.
    assert ma.threshold(1.0, conductance_scale={"NaP": 1.5, "Ks": 0.6}) < ma.threshold(1.0)


@pytest.mark.parametrize("kwargs, name", [
    ({"conc_out_mM": {"K": 0.5}}, "conc_out_mM"),
    ({"conc_out_mM": {"K": 11.0}}, "conc_out_mM"),
    ({"conc_out_mM": {"Na": 100.0}}, "conc_out_mM"),
    ({"conc_out_mM": {"Ca": 3.0}}, "conc_out_mM"),
    ({"conc_out_mM": {"Mg": 0.0}}, "conc_out_mM"),
    ({"conc_out_mM": {"Cl": 100.0}}, "unknown key"),
    ({"conc_out_mM": {"K": math.nan}}, "conc_out_mM"),
    ({"conc_out_mM": [4.0]}, "conc_out_mM"),
    ({"conductance_scale": {"NaP": -1.0}}, "conductance_scale"),
    ({"conductance_scale": {"NaP": 6.0}}, "conductance_scale"),
    ({"conductance_scale": {"Nav": 1.0}}, "unknown key"),
    ({"conductance_scale": 2.0}, "conductance_scale"),
])
def test_bad_concentrations_and_scales_raise(kwargs, name):
    for fn in (ma.resting_potential, lambda **kw: ma.threshold(1.0, **kw),
               lambda **kw: ma.simulate(None, 1.0, **kw), ma.excitability,
               lambda **kw: ma.recovery_cycle([5.0], **kw), ma.strength_duration):
        with pytest.raises(ValueError, match=name):
            fn(**kwargs)


@pytest.mark.parametrize("call, name", [
    (lambda: ma.threshold(0.0), "pulse_ms"),
    (lambda: ma.threshold(200.0), "pulse_ms"),
    (lambda: ma.threshold(1.0, dt_ms=0.1), "dt_ms"),
    (lambda: ma.threshold(1.0, rel_precision=0.5), "rel_precision"),
    (lambda: ma.simulate(None, -1.0), "duration_ms"),
    (lambda: ma.simulate(None, 1.0, dt_ms=0.0), "dt_ms"),
    (lambda: ma.simulate(None, 1.0, record_every=0), "record_every"),
    (lambda: ma.simulate([(0.0, 1.0, 100.0)], 1.0), "amplitude_nA"),
    (lambda: ma.simulate([(0.0, -1.0, 1.0)], 1.0), "width_ms"),
    (lambda: ma.simulate([(0.0, 1.0)], 1.0), "stimulus"),
    (lambda: ma.recovery_cycle([0.5]), "intervals_ms"),
    (lambda: ma.recovery_cycle([]), "intervals_ms"),
    (lambda: ma.recovery_cycle([5.0], test_ms=0.0), "test_ms"),
    (lambda: ma.strength_duration(durations_ms=(1.0,)), "durations_ms"),
    (lambda: ma.strength_duration(durations_ms=(0.2, math.nan)), "durations_ms"),
    (lambda: ma.excitability(rate_duration_s=0.0), "rate_duration_s"),
])
def test_bad_arguments_raise(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_normal_concentrations_lie_in_the_clinical_reference_ranges():
    # The model's "normal" extracellular values must sit inside the adult reference intervals
    # the course marks on its panels (Tietz; Burtis et al. 2012), or "normal" would be abnormal.
    for ion, (low, high) in ma.NORMAL_RANGES_mM.items():
        assert low <= ma.NORMAL_CONC_OUT_mM[ion] <= high, ion
        valid = ma.CONC_OUT_RANGES_mM[ion]
        assert valid.low < low and high < valid.high, ion


def _mrg_h_inf(v):
    # NaT inactivation of McIntyre, Richardson & Grill 2002 (ModelDB 3810, AXNODE.mod), typed
    # from the .mod file: ahA = 0.062/ms, ahB = 114 mV, ahC = 11 mV; bhA = 2.3/ms, bhB = 31.8 mV,
    # bhC = 13.4 mV (the Q10 factor cancels in the steady state).
    a = 0.062 * -(v + 114.0) / (1.0 - np.exp((v + 114.0) / 11.0))
    b = 2.3 / (1.0 + np.exp(-(v + 31.8) / 13.4))
    return a / (a + b)


def test_nat_inactivation_steepness_hook_keeps_the_half_point(monkeypatch):
    # GATE_SLOPE_FACTOR (issue-17 refit knob; identity in the course model): the h curve is the
    # MRG curve on a voltage axis stretched about H_HALF_mV, the MRG half-inactivation voltage.
    v = np.array([-100.0, -90.0, -82.0, -70.0, -60.0])
    assert _mrg_h_inf(np.array([ma.H_HALF_mV]))[0] == pytest.approx(0.5, abs=1e-4)
    np.testing.assert_allclose(ma.rate_functions(v)[0][1], _mrg_h_inf(v), rtol=1e-9)
    monkeypatch.setitem(ma.GATE_SLOPE_FACTOR, "h", 1.5)
    steeper = ma.rate_functions(v)[0][1]
    np.testing.assert_allclose(steeper, _mrg_h_inf(ma.H_HALF_mV + 1.5 * (v - ma.H_HALF_mV)),
                               rtol=1e-9)
    assert steeper[0] > _mrg_h_inf(v)[0] and steeper[-1] < _mrg_h_inf(v)[-1]


def _naps_slow_inactivation(v, ar):
    # Slow Na+ inactivation of Powers, ElBasiouny, Rymer & Heckman 2012 (J Neurophysiol 107:808;
    # ModelDB 143671, code/naps.mod, "slow inactivation described in Fleidervish"), typed from
    # the .mod file: a0s = 0.001/ms, asvh = -85 mV, avs = 30 mV; b0s = 0.0034/ms, bsvh = -17 mV,
    # bvs = 10 mV; alps = a0s exp((asvh - v)/avs), bets = b0s/(exp((bsvh - v)/bvs) + 1),
    # taus = 1/(alps + bets), sinf = c + ar (1 - c) with c = alps taus.
    alps = 0.001 * np.exp((-85.0 - v) / 30.0)
    bets = 0.0034 / (np.exp((-17.0 - v) / 10.0) + 1.0)
    taus = 1.0 / (alps + bets)
    c = alps * taus
    return c + ar * (1.0 - c), taus


def test_nat_slow_inactivation_hook_is_off_by_default_and_follows_naps_mod(monkeypatch):
    # NAT_SLOW_INACTIVATION (issue-17 exploration knob): off in the course model, so NaT is the
    # MRG density (3 S/cm2 on 10 um2) and nothing is inactivated slowly.
    v = np.array([-100.0, -82.0, -70.0, -60.0, -45.0, -20.0])
    assert ma.NAT_SLOW_INACTIVATION["depth"] == 0.0
    np.testing.assert_array_equal(ma.nat_slow_inactivation(v)[0], 1.0)
    assert ma.kernel_params({"K": 9.0})[ma.P_GNAT] == ma.PARAMS["g_NaT_nS"]
    # on: naps.mod's curve, shifted along the voltage axis; depth = 1 - ar
    monkeypatch.setitem(ma.NAT_SLOW_INACTIVATION, "depth", 0.6)
    monkeypatch.setitem(ma.NAT_SLOW_INACTIVATION, "shift_mV", -10.0)
    inf, tau = ma.nat_slow_inactivation(v)
    ref_inf, ref_tau = _naps_slow_inactivation(v + 10.0, 0.4)
    np.testing.assert_allclose(inf, ref_inf, rtol=1e-12)
    np.testing.assert_allclose(tau, ref_tau, rtol=1e-12)


def test_nat_slow_inactivation_is_self_consistent_with_the_rest_it_sets(monkeypatch):
    # Quasi-static use: NaT is scaled by the gate's steady state at the resting potential it
    # produces (seen through the divalent gate shift, as every gate).
    monkeypatch.setitem(ma.NAT_SLOW_INACTIVATION, "depth", 0.9)
    monkeypatch.setitem(ma.NAT_SLOW_INACTIVATION, "shift_mV", -30.0)
    monkeypatch.setattr(ma, "_SLOW_CACHE", type(ma._SLOW_CACHE)())
    for conc in (None, {"K": 8.0}):
        p = ma.kernel_params(conc)
        u = p[ma.P_GNAT] / ma.PARAMS["g_NaT_nS"]
        v_rest = ma.resting_potential(conc)
        expected = _naps_slow_inactivation(v_rest - p[ma.P_SHIFT] + 30.0, 0.1)[0]
        assert 0.1 < u < 1.0
        assert u == pytest.approx(expected, abs=1e-4)
