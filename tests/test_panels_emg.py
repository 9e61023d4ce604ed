"""The EMG panel over its whole control space, and its static twin."""

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import PANEL_SWEEP_EXAMPLES
from widgets.models.emg import ELECTRODES, FP_RATE_TEACHING_HZ
from widgets.models.motor_units import EXCITATION_TEACHING
from widgets.panels.emg import ACTIVITIES, emg_panel, emg_twin

PANEL = emg_panel()

def _no_png(fig, alt):
    """Stand-in for the PNG encoder in the 500-example runs (rendering costs ~50-90 ms each,
    far over the test-time budget); it keeps the alt text. The full PNG path is covered by
    the grid test below, which renders the real image."""
    import html

    return f'<img alt="{html.escape(alt, quote=True)}">'



@settings(max_examples=PANEL_SWEEP_EXAMPLES, deadline=None)
@given(st.sampled_from(ELECTRODES), st.sampled_from(ACTIVITIES),
       st.floats(EXCITATION_TEACHING.low, EXCITATION_TEACHING.high),
       st.floats(FP_RATE_TEACHING_HZ.low, FP_RATE_TEACHING_HZ.high))
def test_emg_panel_whole_control_space(electrode, activity, excitation, fp_rate_hz):
    with mock.patch("widgets.panels.base.figure_to_img_html", _no_png):
        PANEL.set(electrode=electrode, activity=activity, excitation=excitation,
                  fp_rate_hz=fp_rate_hz)
    rec = PANEL.last_result
    assert rec.electrode == electrode
    assert np.all(np.isfinite(rec.signal_mV)) and np.all(np.isfinite(rec.event_times_ms))
    assert PANEL.image.value.startswith("<img")
    assert f"{electrode.capitalize()} EMG" in PANEL.image.value
    for ax in PANEL.fig.axes:
        for line in ax.get_lines():
            assert np.all(np.isfinite(np.asarray(line.get_ydata(), dtype=float)))


def test_modes_change_the_recording():
    PANEL.set(electrode="needle", activity="voluntary", excitation=20.0)
    vol = PANEL.last_result
    PANEL.set(activity="fasciculation", fp_rate_hz=1.0)
    fp = PANEL.last_result
    assert vol.event_times_ms.size > 20 * max(1, fp.event_times_ms.size)
    PANEL.set(electrode="surface")
    assert np.ptp(PANEL.last_result.signal_mV) < np.ptp(fp.signal_mV)
    assert "irregular" in PANEL.image.value


def test_twin_is_two_by_two():
    fig = emg_twin()
    titles = [a.get_title() for a in fig.axes]
    assert len(titles) == 4
    assert titles[0].startswith("needle, voluntary") and titles[3].startswith("surface, fasc")


@pytest.mark.parametrize("electrode", ELECTRODES)
@pytest.mark.parametrize("activity", ACTIVITIES)
@pytest.mark.parametrize("level", [0.0, 1.0])
def test_emg_panel_renders_png(electrode, activity, level):
    PANEL.set(electrode=electrode, activity=activity,
              excitation=EXCITATION_TEACHING.low + level * 50.0,
              fp_rate_hz=FP_RATE_TEACHING_HZ.low + level * 4.9)
    assert PANEL.image.value.startswith('<img src="data:image/png;base64,')
