"""Live panels prime the settings their first presses reach (widgets/panels/base.py).

Under `make live` (``TWITCH_LIVE=1``) a panel computes and draws, once shown, each control one
and two steps either side of its value. These tests check what that promises, by counting, never
by timing: after priming, the first press of every control finds its model result in the panel's
memo (a hit, no miss) and its pictures in the blitter (no full draw, no new layer). That the
primed pictures equal a full draw is checked with every other frame in test_panel_blitting.py
(it runs the panels with ``TWITCH_LIVE=1``).
"""

from __future__ import annotations

import importlib

import ipywidgets as ipw
import pytest

from widgets.panels import _WHERE, base

#: The panels whose model calls go through a :class:`base.Memo` (the issue-13 p95 list; the
#: evidence panel is being redesigned elsewhere).
MEMO_PANELS = ("axon_channels_panel", "denervation_panel", "electrolyte_panel", "emg_panel",
               "generator_panel", "motor_unit_pool_panel", "twitch_summation_panel")


def _panel(name):
    return getattr(importlib.import_module(f"widgets.panels.{_WHERE[name]}"), name)()


def _first_press(ctrl):
    """The value one press gives: a slider one step on (back at its maximum), a choice its
    next option."""
    if isinstance(ctrl, (ipw.FloatSlider, ipw.IntSlider)):
        up = ctrl.value + ctrl.step
        return up if up <= ctrl.max else ctrl.value - ctrl.step
    options = base._choices(ctrl)
    return options[(options.index(ctrl.value) + 1) % len(options)]


@pytest.mark.parametrize("name", MEMO_PANELS)
def test_first_press_of_each_control_is_primed(name, monkeypatch):
    monkeypatch.setenv("TWITCH_LIVE", "1")
    panel = _panel(name)  # no kernel here: primed at once
    assert panel.primed > 0
    memo, blitter = panel.model, base._blitter(panel.fig)
    start = panel.values()
    for key, ctrl in panel.controls.items():
        if not isinstance(ctrl, (ipw.FloatSlider, ipw.IntSlider, ipw.Dropdown,
                                 ipw.ToggleButtons)):
            continue
        misses, hits = memo.misses, memo.hits
        draws = (blitter.full_draws, blitter.layer_draws)
        ctrl.value = _first_press(ctrl)
        assert memo.misses == misses, f"{key}: the first press computed its model again"
        assert memo.hits > hits
        assert (blitter.full_draws, blitter.layer_draws) == draws, \
            f"{key}: the first press drew a picture that was not primed"
        panel.set(**start)  # back, as the next control's first press starts from here


def test_second_step_of_the_first_slider_is_primed(monkeypatch):
    """Right, right, left, left (what the latency benchmark presses): every setting primed,
    the one shown first included."""
    monkeypatch.setenv("TWITCH_LIVE", "1")
    panel = _panel("emg_panel")  # its y-limits follow the recording: each step an axes state
    slider = panel.controls["excitation"]
    memo, blitter = panel.model, base._blitter(panel.fig)
    misses, draws = memo.misses, blitter.layer_draws
    start = slider.value
    for v in (start + slider.step, start + 2 * slider.step, start + slider.step, start):
        slider.value = v
    assert memo.misses == misses and blitter.layer_draws == draws


def test_panels_are_not_primed_outside_make_live(monkeypatch):
    monkeypatch.delenv("TWITCH_LIVE", raising=False)
    panel = _panel("twitch_summation_panel")
    assert panel.primed == 0 and len(panel.model) == 1  # only the setting shown


class _Loop:
    """Stands in for the kernel's event loop: keeps what is scheduled; the test runs it."""

    def __init__(self):
        self.scheduled = []

    def call_later(self, delay, fn):
        self.scheduled.append(fn)


def test_in_a_kernel_one_setting_is_primed_per_turn(monkeypatch):
    """In a kernel a key press waits for one primed setting at most, and between turns the
    figure shows the controls' own values."""
    monkeypatch.delenv("TWITCH_LIVE", raising=False)
    panel = _panel("twitch_summation_panel")
    loop = _Loop()
    settings = base.neighbour_settings(panel.controls)
    panel.controls["rate_hz"].value += 1  # someone presses a key: priming waits for a pause
    panel.prime(loop=loop)
    assert panel.primed == 0  # nothing yet: the cell has returned, the loop runs it later
    loop.scheduled.pop(0)()
    assert panel.primed == 0 and len(loop.scheduled) == 1  # still pressing: later
    monkeypatch.setattr(base, "_last_redraw", [0.0])  # the pause
    turns = 0
    while loop.scheduled:
        loop.scheduled.pop(0)()
        turns += 1
        assert panel.primed == turns
        assert panel.last_result.rate_hz == panel.controls["rate_hz"].value
    assert turns == len(settings) + 1  # and the setting shown, last


def _slider(value, low=0.0, high=1.0, step=0.1):
    return ipw.FloatSlider(value=value, min=low, max=high, step=step)


def test_neighbour_settings_stay_in_range_and_cover_every_option():
    controls = {"x": _slider(0.0), "y": _slider(0.5),
                "unit": ipw.Dropdown(options=["a", "b", "c"], value="b")}
    settings = base.neighbour_settings(controls)
    together, rest = settings[0], settings[1:]
    assert together == {"x": 0.1, "y": 0.6, "unit": "c"}  # every control moved at once
    assert {"x": -0.1} not in rest and {"x": -0.2} not in rest  # below x's minimum
    for s in ({"x": 0.1}, {"x": 0.2}, {"y": 0.4}, {"y": 0.6}, {"y": 0.3}, {"y": 0.7},
              {"unit": "a"}, {"unit": "c"}):
        assert s in rest, s
    assert len(rest) == 8


def test_memo_treats_a_slider_step_from_its_minimum_as_the_same_setting():
    calls = []
    memo = base.Memo(lambda k, *, seed=0: calls.append((k, seed)) or k * 2, maxsize=2)
    assert memo(4.1) == 8.2 and memo(1.5 + 26 * 0.1) == 8.2  # 4.1000000000000005
    assert (memo.hits, memo.misses) == (1, 1) and calls == [(4.1, 0)]
    memo(4.2)
    memo(4.3)  # beyond maxsize: the oldest (4.1) is dropped
    memo(4.1)
    assert memo.misses == 4 and len(memo) == 2
    memo(4.1, seed=1)
    assert memo.misses == 5  # a keyword is part of the setting
