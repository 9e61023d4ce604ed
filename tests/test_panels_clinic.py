"""Panels of the clinic part: exercise K+, denervation, base rates (and their static twins).

Each hypothesis test drives the panel's full control space (500 random combinations within
the sliders' min/max). For speed, the model-and-artist update runs for every example and
the PNG rendering (FigurePanel.redraw) for every 25th; tests check for no exception, no
NaN/inf in the drawn data, a non-empty alt text and a rendered image.
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
from widgets.panels import base_rates as p_br  # noqa: E402
from widgets.panels import denervation as p_dn  # noqa: E402
from widgets.panels import exercise as p_ex  # noqa: E402

PANELS = {
    "exercise": p_ex.exercise_panel,
    "denervation": p_dn.denervation_panel,
    "base_rates": p_br.base_rate_panel,
}
_CACHE: dict = {}
_COUNTS = {name: [0] for name in PANELS}


def _panel(name):
    if name not in _CACHE:
        _CACHE[name] = PANELS[name]()
    return _CACHE[name]


def _values(panel, draw):
    vals = {}
    for name, ctrl in panel.controls.items():
        vals[name] = draw(st.floats(ctrl.min, ctrl.max, allow_nan=False))
    return vals


def _finite_artists(fig):
    for ax in fig.axes:
        for ln in ax.lines:
            x, y = ln.get_data()
            assert np.all(np.isfinite(np.asarray(x, float)))
            assert np.all(np.isfinite(np.asarray(y, float)))
        for patch in ax.patches:
            if hasattr(patch, "get_width"):
                assert math.isfinite(patch.get_width()) and math.isfinite(patch.get_height())


def _drive(name, data, counter):
    panel = _panel(name)
    vals = _values(panel, data.draw)
    counter[0] += 1
    if counter[0] % 25 == 0:
        panel.set(**vals)
        assert panel.image.value.startswith("<img")
        assert 'alt=""' not in panel.image.value
    else:
        alt, readout = panel._update(**vals)
        assert alt and isinstance(readout, str)
        assert "nan" not in alt.lower().split() and "inf" not in alt.lower().split()
    _finite_artists(panel.fig)


_SETTINGS = settings(max_examples=PANEL_SWEEP_EXAMPLES, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(data=st.data())
def test_exercise_panel_full_control_space(data):
    _drive("exercise", data, _COUNTS["exercise"])


@_SETTINGS
@given(data=st.data())
def test_denervation_panel_full_control_space(data):
    _drive("denervation", data, _COUNTS["denervation"])


@_SETTINGS
@given(data=st.data())
def test_base_rate_panel_full_control_space(data):
    _drive("base_rates", data, _COUNTS["base_rates"])


def test_exercise_panel_values_follow_model():
    from widgets.models import exercise

    panel = _panel("exercise")
    panel.set(intensity_pct=100.0, duration_min=4.0, time_after_min=0.0)
    res = panel.last_result
    assert res["k_mM"] == pytest.approx(float(exercise.interstitial_k_mM([240.0], 100.0,
                                                                        240.0)[0]), abs=0.05)
    assert "mmol/L" in panel.readout.value


def test_denervation_panel_values_follow_model():
    from widgets.models import denervation

    panel = _panel("denervation")
    panel.set(fraction_lost=0.9)
    pool = panel.last_result["pool"]
    assert pool.force_fraction == pytest.approx(denervation.reinnervate(0.9).force_fraction)
    assert "90% of motor units lost" in panel.image.value


def test_base_rate_panel_says_population_not_personal():
    panel = _panel("base_rates")
    panel.set(prevalence_per_100k=5.4, sens_fasc=0.95, fpr_fasc=0.7)
    assert "population" in panel.widget.children[0].value.lower()
    assert "not a personal risk" in panel.widget.children[0].value.lower()
    assert "not anyone's personal risk" in panel.readout.value
    tree = panel.last_result
    assert tree.population == 100_000


def test_sliders_span_model_ranges():
    from widgets.models import base_rates, denervation, exercise

    ex_p, dn_p, br_p = _panel("exercise"), _panel("denervation"), _panel("base_rates")
    assert (ex_p.controls["intensity_pct"].min, ex_p.controls["intensity_pct"].max) == (
        exercise.INTENSITY_PCT.low, exercise.INTENSITY_PCT.high)
    assert (dn_p.controls["fraction_lost"].min, dn_p.controls["fraction_lost"].max) == (
        denervation.FRACTION_LOST.low, denervation.FRACTION_LOST.high)
    assert br_p.controls["fpr_fww"].max == base_rates.PANEL_FPR_FWW.high


@pytest.mark.parametrize("twin", [p_ex.exercise_twin, p_dn.denervation_twin,
                                  p_br.base_rate_twin])
def test_twins_draw(twin):
    fig = twin()
    assert len(fig.axes) >= 2
    fig.canvas.draw()
    for ax in fig.axes:
        assert ax.get_xlabel()
