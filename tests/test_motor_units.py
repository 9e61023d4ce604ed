"""Motor-unit pool against the rules of Fuglevand, Winter & Patla (1993), J Neurophysiol 70:2470.

Every check compares to a number stated in the paper (RR = 30, RP = 100, RT = 3, T_L = 90 ms,
MFR = 8 Hz, g_e = 1 Hz per unit excitation, PFR 35 -> 25 Hz, ISI CV = 0.2, gain linear below
T/ISI = 0.4) or to an independent calculation (scipy quadrature, brute-force convolution).
"""

import math

import numpy as np
import pytest
from scipy import integrate

from widgets.models import motor_units as mu
from widgets.models.motor_units import (
    FuglevandPool,
    force_rate_gain,
    twitch,
    unit_force,
    unit_mean_force,
)

POOL = FuglevandPool()


# ------------------------------------------------------------------ the paper's rules
def test_recruitment_thresholds_exponential_range_30():
    # Fuglevand 1993 eq. 1: RTE_i = exp(a i), a = ln(RR)/n, RR = 30
    rte = POOL.recruitment_thresholds
    assert rte[-1] == pytest.approx(30.0, rel=1e-12)
    ratios = rte[1:] / rte[:-1]
    assert np.allclose(ratios, math.exp(math.log(30.0) / 120), rtol=1e-12)
    # first unit: exp(a) = 30**(1/120) = 1.029, i.e. ~1 as the paper's range starts at 1
    assert rte[0] == pytest.approx(1.0, abs=0.03)


def test_last_unit_recruited_at_excitation_30():
    assert POOL.n_recruited(29.99) == 119
    assert POOL.n_recruited(30.0) == 120
    assert POOL.n_recruited(0.5) == 0


def test_peak_twitch_range_100_exponential():
    p = POOL.peak_twitch
    assert p[-1] == pytest.approx(100.0, rel=1e-12)
    assert np.allclose(p[1:] / p[:-1], math.exp(math.log(100.0) / 120), rtol=1e-12)


def test_contraction_times_90_to_30_ms():
    t = POOL.contraction_time_ms
    # T_L = 90 ms for the smallest unit (exp(b) above 1, so 90 * 3**(-1/120) = 89.2 ms)
    assert t[0] == pytest.approx(90.0, abs=1.0)
    assert t[-1] == pytest.approx(30.0, rel=1e-9)          # 90 / RT, RT = 3
    assert np.all(np.diff(t) < 0)
    # T_i = T_L (1/P_i)^(1/c), c = log_RT(RP): paper's eq.
    c = math.log(100.0) / math.log(3.0)
    assert np.allclose(t, 90.0 * (1.0 / POOL.peak_twitch) ** (1.0 / c))


def test_peak_rates_35_to_25_hz():
    pfr = POOL.peak_firing_rates_hz
    assert pfr[-1] == pytest.approx(25.0)
    # PFR_1 = 35 - 10 * RTE_1 / RTE_n
    assert pfr[0] == pytest.approx(35.0 - 10.0 * POOL.recruitment_thresholds[0] / 30.0)
    assert pfr[0] == pytest.approx(35.0, abs=0.5)


def test_rate_starts_at_8_hz_and_rises_1_hz_per_unit_excitation():
    for i in (0, 30, 60, 119):
        e = POOL.recruitment_thresholds[i]
        assert POOL.firing_rates(e)[i] == pytest.approx(8.0)
        assert POOL.firing_rates(e * 0.999)[i] == 0.0
        assert POOL.firing_rates(e + 5.0)[i] == pytest.approx(13.0)
    # saturation at the peak rates, reached by the last unit at E_max = 30 + (25 - 8)/1 = 47
    assert POOL.max_excitation == pytest.approx(47.0)
    assert np.allclose(POOL.firing_rates(47.0), POOL.peak_firing_rates_hz)


def test_force_increases_monotonically_with_excitation():
    e = np.linspace(0.0, 47.0, 300)
    f = np.array([POOL.mean_force(x) for x in e])
    assert f[0] == 0.0
    assert np.all(np.diff(f[e >= POOL.recruitment_thresholds[0]]) > 0)
    assert POOL.mean_force(50.0) == pytest.approx(POOL.mean_force(47.0))


def test_gain_is_one_below_normalised_rate_04_and_continuous():
    g = force_rate_gain(np.array([0.0, 0.1, 0.4, 0.4 + 1e-9, 1.0, 3.0]))
    assert np.allclose(g[:4], 1.0, atol=1e-7)
    s = lambda r: 1.0 - math.exp(-2.0 * r**3)  # noqa: E731
    assert g[4] == pytest.approx((s(1.0) / 1.0) / (s(0.4) / 0.4))
    assert g[5] == pytest.approx((s(3.0) / 3.0) / (s(0.4) / 0.4))


def test_twitch_peaks_at_contraction_time_with_peak_force():
    t = np.linspace(0.0, 500.0, 500001)
    f = twitch(t, 2.5, 60.0)
    assert t[np.argmax(f)] == pytest.approx(60.0, abs=0.01)
    assert f.max() == pytest.approx(2.5, rel=1e-9)
    assert twitch(np.array([-5.0]), 2.5, 60.0)[0] == 0.0


def test_twitch_area_equals_p_e_t_by_quadrature():
    area, _ = integrate.quad(lambda x: float(twitch(np.array([x]), 3.0, 45.0)[0]), 0, np.inf)
    assert area == pytest.approx(3.0 * math.e * 45.0, rel=1e-6)


def _brute_force_train(t, spikes, gains, peak, tc):
    x = (t[:, None] - spikes[None, :]) / tc
    f = np.where(x >= 0, x * np.exp(1 - np.clip(x, 0, None)), 0.0)
    return peak * (f * gains[None, :]).sum(axis=1)


def test_unit_force_equals_brute_force_sum_of_twitches():
    for rate in (3.0, 12.0, 40.0):
        r = unit_force(rate, 800.0, peak=2.0, contraction_time_ms=70.0, dt_ms=0.5)
        g = np.ones(r.spike_times_ms.size)
        g[1:] = force_rate_gain(np.array([70.0 * rate / 1000.0]))[0]
        ref = _brute_force_train(r.t_ms, r.spike_times_ms, g, 2.0, 70.0)
        assert np.allclose(r.force, ref, rtol=1e-9, atol=1e-12)


def test_unit_mean_force_equals_numeric_average_of_a_long_train():
    for rate, tc in ((8.0, 89.0), (25.0, 30.0), (40.0, 60.0)):
        res = unit_force(rate, 3000.0, peak=1.0, contraction_time_ms=tc, dt_ms=0.1)
        isi = 1000.0 / rate
        n_per = int(np.floor((3000.0 - 1500.0) / isi))
        win = (res.t_ms >= 3000.0 - n_per * isi) & (res.t_ms < 3000.0)
        numeric = res.force[win].mean()
        assert unit_mean_force(rate, 1.0, tc) == pytest.approx(numeric, rel=5e-3)


def test_pool_mean_force_against_direct_numeric_convolution():
    # independent: each recruited unit as a regular train convolved with its twitch kernel
    e = 18.0
    rates = POOL.firing_rates(e)
    dt = 0.25
    t = np.arange(0, 4000.0, dt)
    total = np.zeros(t.size)
    for i in np.nonzero(rates)[0]:
        tc, p = POOL.contraction_time_ms[i], POOL.peak_twitch[i]
        isi = 1000.0 / rates[i]
        train = np.zeros(t.size)
        idx = np.round(np.arange(0, 4000.0, isi) / dt).astype(int)
        idx = idx[idx < t.size]
        r = tc / isi
        g = 1.0 if r <= 0.4 else ((1 - math.exp(-2 * r**3)) / r) / ((1 - math.exp(-0.128)) / 0.4)
        train[idx] = g
        train[idx[0]] = 1.0
        kernel_t = np.arange(0, 15 * tc, dt)
        kernel = p * kernel_t / tc * np.exp(1 - kernel_t / tc)
        total += np.convolve(train, kernel)[: t.size]
    steady = total[t >= 2000.0].mean()
    assert POOL.mean_force(e) == pytest.approx(steady, rel=0.01)


def test_simulated_force_without_variability_matches_mean_force():
    pool = FuglevandPool(isi_cv=0.0, seed=3)
    sim = pool.simulate_force(25.0, 6000.0, dt_ms=0.5)
    assert sim.force[sim.t_ms >= 1500.0].mean() == pytest.approx(pool.mean_force(25.0),
                                                                  rel=0.01)


def test_isi_variability_cv_02_gaussian():
    sim = POOL.simulate_force(40.0, 20_000.0, dt_ms=1.0, seed=1)
    isi = np.diff(sim.spike_times_ms[0])
    rate = POOL.firing_rates(40.0)[0]
    assert isi.mean() == pytest.approx(1000.0 / rate, rel=0.02)
    assert isi.std() / isi.mean() == pytest.approx(0.2, abs=0.02)


def test_orderly_recruitment_during_a_ramp():
    sim = POOL.simulate_force(lambda t: t / 1000.0 * 5.0, 8000.0, dt_ms=1.0)  # 0 -> 40
    first = np.array([s[0] if s.size else np.inf for s in sim.spike_times_ms])
    assert np.all(np.isfinite(first))
    assert np.all(np.diff(first) >= 0)  # units join in threshold order
    # each unit starts when excitation crosses its threshold (ramp 5 per second)
    assert np.allclose(first, POOL.recruitment_thresholds / 5.0 * 1000.0, atol=1.0)


def test_summation_twitch_to_fused_tetanus():
    slow = [POOL.unit_force(0, f, 2000.0) for f in (2.0, 8.0, 15.0, 30.0, 50.0)]
    fusion = [r.fusion for r in slow]
    assert fusion[0] < 0.1          # 2 Hz: separate twitches, force falls back near zero
    assert np.all(np.diff(fusion) > 0)
    assert fusion[-1] > 0.95        # 50 Hz: fused tetanus
    # saturating tetanic force: mean at 50 Hz equals the gain's ceiling P e 0.4 / S(0.4)
    ceiling = math.e * 0.4 / (1 - math.exp(-2 * 0.4**3))
    assert slow[-1].steady_mean / slow[-1].peak == pytest.approx(ceiling, rel=0.01)
    # at the 8 Hz minimum rate a fast unit gives only a small fraction of its tetanic force
    fast = POOL.unit_force(119, 8.0, 2000.0)
    assert fast.steady_mean / fast.peak / ceiling < 0.1


def test_calf_constants_are_vandervoort_mccomas_1983():
    ct = mu.CALF_TWITCH_CONTRACTION_TIME_MS
    assert ct["soleus"] == (156.5, 14.7)
    assert ct["medial gastrocnemius"] == (113.7, 19.6)
    assert ct["lateral gastrocnemius"] == (100.0, 10.8)


def test_deterministic_with_seed():
    a = POOL.simulate_force(20.0, 2000.0)
    b = FuglevandPool().simulate_force(20.0, 2000.0)
    c = POOL.simulate_force(20.0, 2000.0, seed=5)
    assert np.array_equal(a.force, b.force)
    assert not np.array_equal(a.force, c.force)


def test_excitation_profile_array_and_zero():
    sim = POOL.simulate_force(np.zeros(500), 500.0)
    assert sim.n_spikes == 0 and np.all(sim.force == 0.0)


# ------------------------------------------------------------------ validation
@pytest.mark.parametrize("kwargs", [
    {"n_units": 1}, {"n_units": 10.5}, {"n_units": True}, {"recruitment_range": 1.0},
    {"force_range": 0.5}, {"contraction_time_range": 0.5}, {"longest_contraction_time_ms": 5},
    {"min_firing_rate_hz": 0.0}, {"peak_firing_rate_hz": 200.0},
    {"peak_rate_difference_hz": -1.0}, {"excitation_gain_hz": 0.0}, {"isi_cv": 0.5},
    {"seed": -1}, {"seed": 1.5}, {"peak_firing_rate_hz": 20.0, "peak_rate_difference_hz": 15.0},
    {"recruitment_range": float("nan")},
])
def test_pool_rejects_bad_parameters(kwargs):
    with pytest.raises(ValueError):
        FuglevandPool(**kwargs)


@pytest.mark.parametrize("call", [
    lambda: POOL.firing_rates(-1.0),
    lambda: POOL.firing_rates(float("nan")),
    lambda: POOL.mean_force(1e6),
    lambda: POOL.n_recruited(float("inf")),
    lambda: POOL.unit_force(120, 10.0),
    lambda: POOL.unit_force(-1, 10.0),
    lambda: POOL.simulate_force(10.0, 0.0),
    lambda: POOL.simulate_force(10.0, 100.0, dt_ms=0.0),
    lambda: POOL.simulate_force(np.zeros(7), 100.0),
    lambda: POOL.simulate_force(np.full(100, np.nan), 100.0),
    lambda: POOL.simulate_force(np.full(100, -1.0), 100.0),
    lambda: POOL.simulate_force(10.0, 100.0, seed=-2),
    lambda: twitch(np.array([1.0]), 0.0, 90.0),
    lambda: twitch(np.array([1.0]), 1.0, 0.5),
    lambda: twitch(np.array([np.nan]), 1.0, 90.0),
    lambda: force_rate_gain(np.array([-0.1])),
    lambda: unit_mean_force(np.array([-1.0])),
    lambda: unit_mean_force(10.0, peak=-1.0),
    lambda: unit_force(0.0),
    lambda: unit_force(10.0, duration_ms=-1.0),
    lambda: unit_force(10.0, dt_ms=10.0),
    lambda: unit_force(10.0, contraction_time_ms=1000.0),
])
def test_functions_reject_bad_inputs(call):
    with pytest.raises(ValueError):
        call()


def test_error_message_names_parameter_and_range():
    with pytest.raises(ValueError, match=r"excitation must be in \[0, 200\]"):
        POOL.firing_rates(-3.0)
