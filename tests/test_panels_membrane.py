"""Tests for the membrane and action-potential panels and their static twins."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import PANEL_SWEEP_EXAMPLES
from widgets.models import ions, squid_axon
from widgets.panels.action_potential import action_potential_panel, action_potential_twin
from widgets.panels.membrane import membrane_panel, membrane_twin


def _between(ctrl):
    return st.floats(min_value=ctrl.min, max_value=ctrl.max, allow_nan=False)


def _assert_drawn(panel):
    assert panel.image.value.startswith('<img src="data:image/png;base64,')
    assert 'alt="' in panel.image.value
    assert math.isfinite(panel.last_duration_ms)


@pytest.fixture(scope="module")
def m_panel():
    return membrane_panel()


@pytest.fixture(scope="module")
def ap_panel():
    return action_potential_panel()


def test_membrane_sliders_span_model_ranges(m_panel):
    for name, valid in (("k_out", ions.K_OUT_RANGE_mM), ("na_out", ions.NA_OUT_RANGE_mM),
                        ("cl_out", ions.CL_OUT_RANGE_mM), ("pna_pk", ions.PNA_PK_RANGE),
                        ("pcl_pk", ions.PCL_PK_RANGE)):
        ctrl = m_panel.controls[name]
        assert (ctrl.min, ctrl.max) == (valid.low, valid.high)


def test_membrane_panel_values_come_from_the_model(m_panel):
    m_panel.set(k_out=4.0, na_out=145.0, cl_out=123.0, pna_pk=0.0, pcl_pk=0.0)
    res = m_panel.last_result
    # Hille (2001) Table 1.1: E_K -98, E_Na +67, E_Cl -90 mV at 37 C; with PNa = PCl = 0
    # the GHK potential is E_K.
    assert res["K"] == pytest.approx(-98, abs=1)
    assert res["Na"] == pytest.approx(67, abs=1)
    assert res["Cl"] == pytest.approx(-90, abs=1)
    assert res["rest"] == pytest.approx(res["K"], abs=1e-9)
    assert f"{res['rest']:.1f} mV" in m_panel.readout.value
    assert "E_K -98 mV" in m_panel.image.value  # alt text follows the values


def test_membrane_high_k_depolarises(m_panel):
    m_panel.set(k_out=3.5, na_out=140.0, cl_out=103.0, pna_pk=0.05, pcl_pk=0.0)
    low = m_panel.last_result["rest"]
    m_panel.set(k_out=8.0)
    assert m_panel.last_result["rest"] > low
    assert "high for serum" in m_panel.readout.value


@settings(max_examples=PANEL_SWEEP_EXAMPLES, deadline=None)
@given(data=st.data())
def test_membrane_panel_full_control_space(m_panel, data):
    values = {name: data.draw(_between(ctrl), label=name)
              for name, ctrl in m_panel.controls.items()}
    m_panel.set(**values)
    assert all(math.isfinite(v) for v in m_panel.last_result.values())
    _assert_drawn(m_panel)


def test_action_potential_sliders_span_model_ranges(ap_panel):
    c = ap_panel.controls
    assert (c["temp_c"].min, c["temp_c"].max) == (squid_axon.TEMP_RANGE_C.low,
                                                  squid_axon.TEMP_RANGE_C.high)
    rng = squid_axon.STEP_CURRENT_RANGE_uA_cm2
    assert (c["current_uA_cm2"].min, c["current_uA_cm2"].max) == (rng.low, rng.high)
    assert squid_axon.CURRENT_RANGE_uA_cm2.low <= rng.low
    assert rng.high <= squid_axon.CURRENT_RANGE_uA_cm2.high


def test_action_potential_panel_readout(ap_panel):
    ap_panel.set(current_uA_cm2=10.0, temp_c=6.3)
    trace = ap_panel.last_result
    assert trace.n_spikes >= 6
    assert f"<b>{trace.n_spikes}</b> spikes" in ap_panel.readout.value
    ap_panel.set(temp_c=37.0)
    assert ap_panel.last_result.n_spikes == 0  # heat block
    assert "no action potential" in ap_panel.image.value


@settings(max_examples=PANEL_SWEEP_EXAMPLES, deadline=None)
@given(data=st.data())
def test_action_potential_panel_full_control_space(ap_panel, data):
    values = {name: data.draw(_between(ctrl), label=name)
              for name, ctrl in ap_panel.controls.items()}
    ap_panel.set(**values)
    trace = ap_panel.last_result
    assert np.all(np.isfinite(trace.v_mV))
    assert np.all(np.isfinite(trace.spike_times_ms))
    _assert_drawn(ap_panel)


def test_twins_draw():
    fig = membrane_twin()
    assert len(fig.axes) == 3
    fig = action_potential_twin()
    assert len(fig.axes) == 9
    titles = [ax.get_title() for ax in fig.axes]
    assert any("no action potential" in t for t in titles)
    assert any("a single action potential" in t for t in titles)
