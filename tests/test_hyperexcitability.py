"""Causes of nerve hyperexcitability on the motor axon model, and their panel.

Anchors are the published *directions* of change (each cited); sizes are illustrative (see
the module docstring). Readouts come from widgets.models.motor_axon / ectopic, tested there.
"""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

matplotlib.use("Agg")

from tests.conftest import PANEL_SWEEP_EXAMPLES
from widgets.models import hyperexcitability as hx  # noqa: E402
from widgets.models import motor_axon as ma  # noqa: E402
from widgets.panels import hyperexcitable as hp  # noqa: E402

D = 60.0  # s of noisy simulation for rates


def _pct(key, attr):
    n = getattr(hx.readouts("normal", duration_s=D), attr)
    return 100.0 * getattr(hx.readouts(key, duration_s=D), attr) / n


def test_low_calcium_lowers_threshold_frankenhaeuser1957():
    # Frankenhaeuser & Hodgkin 1957; Hille et al. 1975: lowering external Ca2+ shifts gating
    # to more negative potentials, so less current is needed to fire: lower threshold,
    # and spontaneous firing appears (tetany).
    assert _pct("low calcium", "threshold_nA") < 90.0
    assert hx.readouts("low calcium", duration_s=D).spontaneous_rate_hz > 0.0
    assert hx.readouts("normal", duration_s=D).spontaneous_rate_hz == 0.0


def test_als_like_axon_longer_tau_sd_bostock1995():
    # Bostock et al. 1995: longer strength-duration time constant in ALS motor axons
    # (more persistent Na+ current); Kanai et al. 2006: reduced K+ currents. Both make the axon
    # easier to fire. In the noisy model the node then fires once and sticks on a depolarised
    # plateau (tests/test_ectopic.py), so its rate is above normal's 0 by that one spike only.
    assert _pct("more persistent Na+", "tau_sd_ms") > 100.0
    r = hx.readouts("more persistent Na+", duration_s=D)
    assert r.spontaneous_rate_hz > hx.readouts("normal", duration_s=D).spontaneous_rate_hz


def test_ischaemia_depolarises_and_lowers_threshold_burke2001():
    # Burke et al. 2001: ischaemia blocks the Na+/K+ pump, depolarising the axon and raising
    # its excitability (lower threshold, longer tau_SD).
    r = hx.readouts("ischaemia", duration_s=D)
    assert r.resting_potential_mV > hx.readouts("normal", duration_s=D).resting_potential_mV + 1
    assert _pct("ischaemia", "threshold_nA") < 100.0
    assert _pct("ischaemia", "tau_sd_ms") > 100.0


def test_faster_pump_hyperpolarises_and_raises_threshold():
    # Opposite direction to ischaemia (Burke et al. 2001: post-activity pump hyperpolarisation
    # raises threshold). The direction is the anchor; the size (about 0.9 mV) is the model's.
    r = hx.readouts("faster pump", duration_s=D)
    assert r.resting_potential_mV < hx.readouts("normal", duration_s=D).resting_potential_mV - 0.5
    assert _pct("faster pump", "threshold_nA") > 100.0


def test_stated_limitations():
    # Documented in the module: internodal fast K+ barely affects the node (Kf sits under the
    # myelin in this two-compartment model), and organophosphates change nothing in the axon.
    assert abs(_pct("fast K+ antibodies", "threshold_nA") - 100.0) < 1.0
    n = hx.readouts("normal", duration_s=D)
    o = hx.readouts("cholinesterase blocked", duration_s=D)
    assert (o.threshold_nA, o.resting_potential_mV) == (n.threshold_nA, n.resting_potential_mV)


def test_settings_interpolate_linearly():
    conc, scale = hx.settings("low calcium", 0.5)
    normal_ca = ma.NORMAL_CONC_OUT_mM["Ca"]
    assert conc["Ca"] == pytest.approx(normal_ca + 0.5 * (0.6 - normal_ca))
    conc, scale = hx.settings("more persistent Na+", 0.0)
    assert scale == {"NaP": 1.0, "Ks": 1.0}
    for key in hx.MECHANISMS:
        r0 = hx.readouts(key, 0.0, duration_s=1.0)
        n = hx.readouts("normal", 1.0, duration_s=1.0)
        assert r0.threshold_nA == pytest.approx(n.threshold_nA, rel=1e-9)


def test_every_mechanism_is_sourced():
    for mech in hx.MECHANISMS.values():
        assert mech.sources and mech.conditions and mech.change


def test_bad_input_raises():
    with pytest.raises(ValueError, match="mechanism"):
        hx.readouts("anxiety")
    with pytest.raises(ValueError, match="severity"):
        hx.settings("ischaemia", 1.5)
    with pytest.raises(ValueError, match="duration_s"):
        hx.readouts("normal", duration_s=0.0)
    with pytest.raises(ValueError, match="seed"):
        hx.spike_times_s("normal", seed=-1)
    assert math.isnan(hx.percent_of_normal(1.0, 0.0))


def test_twin_draws():
    fig = hp.mechanism_twin(duration_s=10.0)
    assert len(fig.axes) == 3


_P: dict = {}
_N = [0]


@settings(max_examples=PANEL_SWEEP_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(mechanism=st.sampled_from(hp.NAMES),
       severity=st.sampled_from([round(0.1 * k, 1) for k in range(11)]))
def test_mechanism_panel_full_control_space(mechanism, severity):
    # the slider steps by 0.1 over [0, 1]: its whole control space is these 11 values
    if "p" not in _P:
        _P["p"] = hp.mechanism_panel()
    panel = _P["p"]
    _N[0] += 1
    if _N[0] % 25 == 0:
        panel.set(mechanism=mechanism, severity=severity)
        assert panel.image.value.startswith("<img")
    alt, readout = panel._update(mechanism=mechanism, severity=severity)
    assert alt and readout
    for ax in panel.fig.axes:
        for line in ax.lines:
            x, y = (np.asarray(v, float) for v in line.get_data())
            assert not np.any(np.isinf(x)) and not np.any(np.isinf(y))
        for patch in ax.patches:
            assert np.isfinite(patch.get_height())
