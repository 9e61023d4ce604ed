"""Panels for the motor-unit pool and twitch summation: full control space, alt text, twins."""

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import PANEL_SWEEP_EXAMPLES
from widgets.models.motor_units import EXCITATION_TEACHING, UNIT_RATE_TEACHING_HZ
from widgets.panels.motor_units import (
    UNIT_CHOICES,
    motor_unit_pool_panel,
    motor_unit_pool_twin,
    twitch_summation_panel,
    twitch_summation_twin,
)

POOL_PANEL = motor_unit_pool_panel()
SUM_PANEL = twitch_summation_panel()

def _no_png(fig, alt):
    """Stand-in for the PNG encoder in the 500-example runs (rendering costs ~50-90 ms each,
    far over the test-time budget); it keeps the alt text. The full PNG path is covered by
    the grid test below, which renders the real image."""
    import html

    return f'<img alt="{html.escape(alt, quote=True)}">'



def _finite_lines(fig):
    for ax in fig.axes:
        for line in ax.get_lines():
            y = np.asarray(line.get_ydata(), dtype=float)
            x = np.asarray(line.get_xdata(), dtype=float)
            # NaN separates raster strokes; nothing may be infinite
            assert not np.any(np.isinf(x)) and not np.any(np.isinf(y))


@settings(max_examples=PANEL_SWEEP_EXAMPLES, deadline=None)
@given(st.floats(EXCITATION_TEACHING.low, EXCITATION_TEACHING.high))
def test_pool_panel_whole_control_space(excitation):
    with mock.patch("widgets.panels.base.figure_to_img_html", _no_png):
        POOL_PANEL.set(excitation=excitation)
    sim = POOL_PANEL.last_result
    assert np.all(np.isfinite(sim.force))
    for s in sim.spike_times_ms:
        assert np.all(np.isfinite(s))
    assert POOL_PANEL.image.value.startswith("<img")
    assert "units recruited" in POOL_PANEL.image.value
    _finite_lines(POOL_PANEL.fig)


@settings(max_examples=PANEL_SWEEP_EXAMPLES, deadline=None)
@given(st.floats(UNIT_RATE_TEACHING_HZ.low, UNIT_RATE_TEACHING_HZ.high),
       st.sampled_from(list(UNIT_CHOICES)))
def test_summation_panel_whole_control_space(rate_hz, unit):
    with mock.patch("widgets.panels.base.figure_to_img_html", _no_png):
        SUM_PANEL.set(rate_hz=rate_hz, unit=unit)
    r = SUM_PANEL.last_result
    assert np.all(np.isfinite(r.force)) and np.isfinite(r.fusion)
    assert f"{rate_hz:.0f} Hz" in SUM_PANEL.image.value
    _finite_lines(SUM_PANEL.fig)


def test_pool_panel_readout_follows_recruitment():
    POOL_PANEL.set(excitation=0.0)
    assert "0</b> of 120" in POOL_PANEL.readout.value
    assert POOL_PANEL.last_result.n_spikes == 0
    POOL_PANEL.set(excitation=40.0)
    assert "120</b> of 120" in POOL_PANEL.readout.value
    assert "rate coding only" in POOL_PANEL.readout.value


@pytest.mark.parametrize("rate, word", [(2.0, "separate twitches"), (50.0, "fused tetanus")])
def test_summation_panel_names_the_regime(rate, word):
    SUM_PANEL.set(rate_hz=rate, unit="slowest (first recruited)")
    assert word in SUM_PANEL.readout.value


def test_twins_are_small_multiples():
    fig = motor_unit_pool_twin()
    assert len(fig.axes) == 8
    assert fig.axes[0].get_title().startswith("excitation 5")
    fig2 = twitch_summation_twin()
    assert [a.get_title() for a in fig2.axes] == ["2 Hz", "8 Hz", "15 Hz", "30 Hz", "50 Hz"]


@pytest.mark.parametrize("excitation", np.linspace(0.0, 50.0, 6))
def test_pool_panel_renders_png(excitation):
    POOL_PANEL.set(excitation=excitation)
    assert POOL_PANEL.image.value.startswith('<img src="data:image/png;base64,')
    assert POOL_PANEL.last_duration_ms > 0


@pytest.mark.parametrize("rate_hz", [1.0, 8.0, 25.0, 50.0])
@pytest.mark.parametrize("unit", list(UNIT_CHOICES))
def test_summation_panel_renders_png(rate_hz, unit):
    SUM_PANEL.set(rate_hz=rate_hz, unit=unit)
    assert SUM_PANEL.image.value.startswith('<img src="data:image/png;base64,')
