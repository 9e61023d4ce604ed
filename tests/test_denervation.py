"""Denervation and collateral reinnervation: conservation, compensation, ALS vs benign FPs."""

from __future__ import annotations

import numpy as np
import pytest

from widgets.models import denervation as dn
from widgets.models import emg


@pytest.mark.parametrize("frac", [0.0, 0.2, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95])
@pytest.mark.parametrize("cap", [2.0, 5.0, 8.0])
def test_fibre_conservation_and_capacity(frac, cap):
    p = dn.reinnervate(frac, max_enlargement=cap, seed=3)
    # every fibre is either still innervated, adopted or denervated
    assert p.total_fibres == pytest.approx(float(p.healthy_fibres.sum()))
    assert float(np.sum(p.original_fibres)) + p.orphaned_fibres == pytest.approx(p.total_fibres)
    assert p.reinnervated_fibres + p.denervated_fibres == pytest.approx(p.orphaned_fibres)
    # adopted fibres never exceed the orphans nor the capacity
    assert p.reinnervated_fibres <= p.orphaned_fibres * (1 + 1e-12)
    assert p.reinnervated_fibres <= p.capacity_fibres * (1 + 1e-12) + 1e-9
    assert np.all(p.unit_fibres <= cap * p.original_fibres * (1 + 1e-12))


def test_proportional_enlargement_rafuse1992():
    # Rafuse, Gordon & Orozco 1992 (J Neurophysiol 68:1261, abstract): all units grow by the
    # same factor, preserving the normal size distribution shifted to larger values.
    p = dn.reinnervate(0.5, seed=1)
    ratios = p.unit_fibres / p.original_fibres
    assert np.allclose(ratios, ratios[0])
    # and mean unit size rises in inverse proportion to the number of units left
    assert p.unit_fibres.mean() == pytest.approx(p.total_fibres / p.n_surviving)


def test_force_preserved_at_half_loss_brown1972():
    # Brown 1972 (J Neurol Neurosurg Psychiatry 35:845): elderly thenar muscles often have
    # fewer than half the motor units of the young "despite good strength"; Rafuse et al.
    # 1992: full compensation at moderate partial denervation. 50 % loss -> force 100 %.
    for seed in range(5):
        assert dn.reinnervate(0.5, seed=seed).force_fraction == pytest.approx(1.0)


def test_force_falls_past_compensation_limit():
    # Capacity 5-8x (Gordon et al. 1993; Rafuse et al. 1992: enlargement falls short of
    # compensation at >= 90 % denervation): with 5x, force is kept up to ~80 % fibre loss and
    # falls beyond: at 90 % unit loss force is ~ 5 x 10 % = 50 %.
    assert dn.compensation_limit(5.0) == pytest.approx(0.8)
    assert dn.compensation_limit(8.0) == pytest.approx(0.875)
    forces = [dn.reinnervate(f, seed=2).force_fraction for f in (0.6, 0.9, 0.95)]
    assert forces[0] == pytest.approx(1.0)
    assert forces[1] < 0.75
    assert forces[2] < forces[1]
    p = dn.reinnervate(0.9, seed=2)
    lost_fibre_frac = p.orphaned_fibres / p.total_fibres
    assert p.force_fraction == pytest.approx(5.0 * (1 - lost_fibre_frac))


def test_force_monotone_and_units_grow():
    fr = np.linspace(0, 0.95, 20)
    pools = [dn.reinnervate(f, seed=4) for f in fr]
    force = np.array([p.force_fraction for p in pools])
    size = np.array([p.unit_fibres.mean() for p in pools])
    n = np.array([p.n_surviving for p in pools])
    assert np.all(np.diff(force) <= 1e-12)
    assert np.all(np.diff(n) <= 0)
    assert size[10] > 1.9 * size[0]


def test_healthy_pool_size_range_fuglevand1993():
    # Fuglevand et al. 1993: 100-fold range of unit size, exponential distribution.
    f = dn.healthy_unit_fibres(120)
    assert f.max() / f.min() == pytest.approx(100.0)
    assert np.allclose(np.diff(np.log(f)), np.log(100.0) / 119)


def test_healthy_muaps_in_normal_ranges_daube2009():
    # Daube & Rubin 2009 (Muscle Nerve 39:244) as encoded in widgets.models.emg: normal
    # needle MUAPs 0.2-3 mV, 5-15 ms, <= 4 phases. Check 95 % of healthy units.
    h = dn.healthy_pool()
    amp, dur, ph = [], [], []
    for u in range(h.n_surviving):
        fp = dn.fasciculation_potentials(h, 1, unit=u)
        amp.append(fp.peak_to_peak_mV[0])
        dur.append(fp.duration_ms[0])
        ph.append(fp.phases[0])
    amp, dur, ph = map(np.asarray, (amp, dur, ph))
    lo_a, hi_a = emg.NEEDLE_MUAP_AMPLITUDE_NORMAL_MV.low, emg.NEEDLE_MUAP_AMPLITUDE_NORMAL_MV.high
    lo_d, hi_d = emg.NEEDLE_MUAP_DURATION_NORMAL_MS.low, emg.NEEDLE_MUAP_DURATION_NORMAL_MS.high
    assert np.mean((amp >= lo_a) & (amp <= hi_a)) >= 0.95
    assert np.mean((dur >= lo_d) & (dur <= hi_d)) >= 0.95
    assert np.all(ph <= emg.NORMAL_MAX_PHASES)


@pytest.mark.parametrize("seed", range(4))
def test_als_vs_benign_fasciculation_potentials(seed):
    # de Carvalho & Swash 1998 (Muscle Nerve 21:336); Liu et al. 2021 (BioMed Res Int
    # 6631664): FPs in ALS are larger, longer, more often polyphasic and unstable; benign
    # FPs have normal shapes. Compare the median-size unit of a healthy pool (benign) with
    # that of a pool that lost 80 % of units (advanced ALS).
    benign = dn.fasciculation_potentials(dn.healthy_pool(seed=seed), 20, seed=seed)
    als = dn.fasciculation_potentials(dn.reinnervate(0.8, seed=seed), 20, seed=seed)
    assert np.mean(als.peak_to_peak_mV) > 1.5 * np.mean(benign.peak_to_peak_mV)
    assert np.mean(als.duration_ms) > np.mean(benign.duration_ms) + 3.0
    assert np.mean(als.phases > emg.NORMAL_MAX_PHASES) > 0.5
    assert np.all(benign.phases <= emg.NORMAL_MAX_PHASES)
    assert als.shape_variability > 4 * benign.shape_variability
    assert dn.reinnervate(0.8, seed=seed).n_surviving < dn.healthy_pool().n_surviving


def test_waveform_metrics_independent_calculation():
    # A single 3-phase shape from emg has exactly 3 phases and the requested p-p amplitude.
    t = np.arange(-10, 10, 0.01)
    v = emg.muap_waveform(t, amplitude_mV=1.5, duration_ms=8.0, phases=3)
    p2p, dur, ph = dn.waveform_metrics(t, v, baseline_uV=30.0)  # 2 % of 1.5 mV p-p peak
    assert p2p == pytest.approx(1.5, rel=1e-3)
    assert ph == 3
    assert 6.0 < dur < 9.0
    assert dn.waveform_metrics(t, np.zeros_like(t)) == (0.0, 0.0, 0)


def test_no_firing_rate_in_model():
    # The model must not encode "ALS units fire faster" (benign FPs fire at least as fast:
    # de Carvalho & Swash 1998; Liu et al. 2021): FP results carry no rate at all.
    fp = dn.fasciculation_potentials(dn.reinnervate(0.8), 4)
    assert not any("rate" in f or "hz" in f.lower() for f in fp.__dataclass_fields__)


def test_deterministic_and_nested():
    a = dn.fasciculation_potentials(dn.reinnervate(0.6, seed=9), 5, seed=2)
    b = dn.fasciculation_potentials(dn.reinnervate(0.6, seed=9), 5, seed=2)
    assert np.array_equal(a.v_mV, b.v_mV)
    small = set(dn.reinnervate(0.3, seed=9).surviving_index)
    large = set(dn.reinnervate(0.6, seed=9).surviving_index)
    assert large <= small


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"fraction_lost": -0.1}, "fraction_lost"),
    ({"fraction_lost": 0.99}, "fraction_lost"),
    ({"fraction_lost": float("nan")}, "fraction_lost"),
    ({"fraction_lost": 0.5, "n_units": 5}, "n_units"),
    ({"fraction_lost": 0.5, "max_enlargement": 0.5}, "max_enlargement"),
    ({"fraction_lost": 0.5, "max_enlargement": float("inf")}, "max_enlargement"),
    ({"fraction_lost": 0.5, "seed": -1}, "seed"),
])
def test_reinnervate_rejects_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        dn.reinnervate(**kwargs)


def test_other_functions_reject_bad_input():
    p = dn.reinnervate(0.5)
    with pytest.raises(ValueError, match="n_discharges"):
        dn.fasciculation_potentials(p, 0)
    with pytest.raises(ValueError, match="seed"):
        dn.fasciculation_potentials(p, 3, seed=-2)
    with pytest.raises(ValueError, match="unit"):
        dn.fasciculation_potentials(p, 3, unit=p.n_surviving)
    with pytest.raises(ValueError, match="max_enlargement"):
        dn.compensation_limit(0.0)
    with pytest.raises(ValueError, match="n_units"):
        dn.healthy_unit_fibres(2)
    with pytest.raises(ValueError, match="size_range"):
        dn.healthy_unit_fibres(120, size_range=0.0)
    with pytest.raises(ValueError, match="mean_fibres"):
        dn.healthy_unit_fibres(120, mean_fibres=-3.0)
