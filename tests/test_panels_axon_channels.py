"""Tests for the persistent-Na+ / slow-K+ panel of the human motor axon (lesson 1.4)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import PANEL_SWEEP_EXAMPLES
from widgets.models import motor_axon
from widgets.panels.axon_channels import (
    KS_SCALE,
    NAP_SCALE,
    TEST_PULSE_FRACTION,
    axon_channels_panel,
    axon_channels_twin,
    channel_readouts,
)


@pytest.fixture(scope="module")
def panel():
    return axon_channels_panel()


def test_sliders_span_declared_ranges(panel):
    for name, valid in (("nap_scale", NAP_SCALE), ("ks_scale", KS_SCALE)):
        ctrl = panel.controls[name]
        assert (ctrl.min, ctrl.max, ctrl.value) == (valid.low, valid.high, valid.default)


def test_normal_readouts_match_the_model_called_directly():
    # Independent route: the model's own public functions at normal conductances.
    r = channel_readouts(1.0, 1.0)
    assert r.resting_potential_mV == pytest.approx(motor_axon.resting_potential(), abs=1e-9)
    assert r.threshold_nA == pytest.approx(motor_axon.threshold(1.0), rel=2e-3)
    assert r.threshold_pct_of_normal == pytest.approx(100.0)
    # Mogyoros et al. 1996 (Brain 119:439): human motor axon tau_SD 0.46 +- 0.13 ms (mean +- SD)
    assert 0.46 - 2 * 0.13 <= r.tau_sd_ms <= 0.46 + 2 * 0.13
    # the test pulse is below the normal threshold, so the normal axon must stay silent
    assert r.test_pulse_nA == pytest.approx(TEST_PULSE_FRACTION * r.threshold_nA)
    assert not r.fires_to_test_pulse


def test_more_persistent_na_and_less_slow_k_lower_threshold():
    # Direction as in human ALS axons (Bostock et al. 1995: more persistent Na+, longer
    # tau_SD; Kanai et al. 2006: reduced K+ currents): both make the axon easier to fire.
    normal = channel_readouts(1.0, 1.0)
    more_nap = channel_readouts(2.0, 1.0)
    less_ks = channel_readouts(1.0, 0.5)
    both = channel_readouts(2.0, 0.5)
    assert more_nap.threshold_nA < normal.threshold_nA
    assert more_nap.tau_sd_ms > normal.tau_sd_ms
    assert less_ks.threshold_nA < normal.threshold_nA
    assert both.threshold_nA < min(more_nap.threshold_nA, less_ks.threshold_nA)


def test_bad_input_raises():
    with pytest.raises(ValueError, match="nap_scale"):
        channel_readouts(NAP_SCALE.high + 1, 1.0)
    with pytest.raises(ValueError, match="ks_scale"):
        channel_readouts(1.0, -0.1)
    with pytest.raises(ValueError, match="nap_scale"):
        channel_readouts(float("nan"), 1.0)


def test_panel_readout_and_alt_text_follow_the_values(panel):
    panel.set(nap_scale=2.0, ks_scale=0.5)
    r = panel.last_result
    assert f"{r.threshold_pct_of_normal:.0f}% of normal" in panel.readout.value
    assert "2.00 times" in panel.image.value


def test_twin_draws_four_settings():
    fig = axon_channels_twin()
    assert len(fig.axes) == 4
    assert all(len(ax.lines) >= 2 for ax in fig.axes)
    assert all(ax.get_xlabel() == "time (ms)" for ax in fig.axes)


@settings(max_examples=PANEL_SWEEP_EXAMPLES, deadline=None)
@given(nap=st.floats(NAP_SCALE.low, NAP_SCALE.high, allow_nan=False),
       ks=st.floats(KS_SCALE.low, KS_SCALE.high, allow_nan=False))
def test_panel_over_its_whole_control_space(panel, nap, ks):
    panel.set(nap_scale=nap, ks_scale=ks)
    r = panel.last_result
    assert panel.image.value.startswith('<img src="data:image/png;base64,')
    assert math.isfinite(r.resting_potential_mV)
    assert np.all(np.isfinite(r.test_trace.v_mV))
    if not r.blocked:
        for v in (r.threshold_nA, r.rheobase_nA, r.tau_sd_ms, r.threshold_pct_of_normal):
            assert math.isfinite(v) and v > 0
    assert "nan" not in panel.readout.value.lower()


def test_ectopic_figure_rows_match_an_independent_count_of_the_same_runs():
    # Lesson 1.4's checkpoint (ectopic_readouts) must describe the runs of each row's own
    # setting (Ca2+, NaP, Ks passed to the model directly here; a row that mixed them up would
    # count another run), and the rows must show what the lesson's text says they show.
    from widgets.models import ectopic
    from widgets.panels.axon_channels import ECTOPIC_SETTINGS, ectopic_readouts

    rows = ectopic_readouts()
    assert [r.label for r in rows] == [s[0] for s in ECTOPIC_SETTINGS]
    for r, (_, ca, nap, ks) in zip(rows, ECTOPIC_SETTINGS, strict=True):
        tr = ectopic.simulate_noisy(None if ca == 1.2 else {"Ca": ca}, duration_ms=20_000.0,
                                    seed=0, record_every=50,
                                    conductance_scale={"NaP": nap, "Ks": ks})
        assert r.n_spikes == tr.spike_times_ms.size
        assert r.pct_time_depolarised == pytest.approx(100.0 * np.mean(tr.v_mV > -60.0))
    normal, low_ca, als = rows
    # what the lesson says: normal silent; low Ca2+ fires from rest and stays at rest;
    # the ALS-direction change spends most of the run stuck above -60 mV
    assert normal.n_spikes == 0 and normal.pct_time_depolarised == 0.0
    assert low_ca.n_spikes >= 3 and low_ca.pct_time_depolarised < 1.0
    assert als.pct_time_depolarised > 90.0


def test_spontaneous_discharges_bad_calcium_raises():
    from widgets.panels.axon_channels import spontaneous_discharges
    with pytest.raises(ValueError, match="Ca_mM"):
        spontaneous_discharges(1.0, 1.0, Ca_mM=0.1)
