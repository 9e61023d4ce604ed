"""Electrolyte panel: drives the model over its whole control space without failing."""

import math
import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import PANEL_SWEEP_EXAMPLES
from widgets.models import motor_axon as ma
from widgets.panels.electrolytes import electrolyte_panel, electrolyte_twin

PANEL = electrolyte_panel()


def _conc(name):
    r = ma.CONC_OUT_RANGES_mM[name]
    return st.floats(min_value=r.low, max_value=r.high, allow_nan=False)


def test_sliders_span_the_model_ranges():
    for ion, ctrl in PANEL.controls.items():
        r = ma.CONC_OUT_RANGES_mM[ion]
        assert (ctrl.min, ctrl.max, ctrl.value) == (r.low, r.high, r.default)


def test_low_calcium_lowers_the_threshold_bar():
    PANEL.set(K=4.0, Ca=1.2, Mg=0.55, Na=140.0)
    normal = PANEL.last_result
    PANEL.set(K=4.0, Ca=0.6, Mg=0.55, Na=140.0)
    assert PANEL.last_result.threshold_nA < normal.threshold_nA
    assert "Ca 0.60" in re.search(r'alt="([^"]*)"', PANEL.image.value).group(1)


@settings(max_examples=PANEL_SWEEP_EXAMPLES, deadline=None)
@given(K=_conc("K"), Ca=_conc("Ca"), Mg=_conc("Mg"), Na=_conc("Na"))
def test_panel_full_control_space(K, Ca, Mg, Na):
    PANEL.set(K=K, Ca=Ca, Mg=Mg, Na=Na)
    res = PANEL.last_result
    assert math.isfinite(res.resting_potential_mV) and math.isfinite(res.spontaneous_rate_hz)
    for text in (PANEL.readout.value, PANEL.image.value[:0] + re.search(
            r'alt="([^"]*)"', PANEL.image.value).group(1)):
        assert "nan" not in text.lower() and "inf " not in text.lower()
    for ax in PANEL.fig.axes:
        for line in ax.get_lines():
            assert np.all(np.isfinite(np.asarray(line.get_ydata(), float)))
        for patch in ax.patches:
            assert math.isfinite(patch.get_width())
    assert PANEL.image.value.startswith("<img src=\"data:image/png;base64,")


def test_twin_draws_twelve_conditions():
    fig = electrolyte_twin()
    assert len(fig.axes) == 12
    assert all(len(ax.patches) == 3 for ax in fig.axes)


def test_twin_writes_each_spike_count_on_its_bar_and_only_two_conditions_fire():
    """The number written on each spike-count bar is that bar's height, and the caption's claim
    holds: only high K+ (7 mmol/L) and low Ca2+ (0.6 mmol/L) fire on their own."""
    fig = electrolyte_twin()
    firing = []
    for row, ion in enumerate(("K", "Ca", "Mg", "Na")):
        ax = fig.axes[3 * row + 2]
        labels = [t.get_text() for t in ax.texts]
        heights = [p.get_height() for p in ax.patches]
        assert labels == [f"{h:.0f}" for h in heights]
        firing += [(ion, t.get_text()) for t, h in zip(ax.get_xticklabels(), heights,
                                                       strict=True) if h > 0]
    assert firing == [("K", "7"), ("Ca", "0.6")]


def test_figure_functions_draw_model_results():
    from widgets.figures import excitability as fx
    from widgets.figures.style import new_figure
    from widgets.models import ectopic

    fig, axes = new_figure(1, 3, width_in=9.0)
    iv = np.array([2.0, 5.0, 10.0, 40.0])
    line = fx.plot_recovery_cycle(iv, ma.recovery_cycle(iv), axes[0])
    assert np.all(np.isfinite(line.get_ydata()))
    rheo, tau, thr = ma.strength_duration(durations_ms=(0.2, 0.5, 1.0))
    fx.plot_strength_duration([0.2, 0.5, 1.0], thr, axes[1], rheobase_nA=rheo, tau_sd_ms=tau)
    tr = ectopic.simulate_noisy({"Ca": 0.5}, duration_ms=500.0, seed=0)
    fx.plot_trace(tr, axes[2])
    t, v = fx.envelope(tr.t_ms, tr.v_mV, 100)
    assert t.size == 200 and v.max() == tr.v_mV.max()
    fig.draw_without_rendering()
