"""Every live panel, driven through *sequences* of settings, as a student moves its controls.

Issue 15: the generator panel printed "interval CV nan" only after one disorder, then an
example seed, then the benign comparison were chosen in turn; single settings tested one at a
time from a fresh panel can miss what a sequence of changes shows. For every ``*_panel``
factory of :mod:`widgets.panels` this test builds the panel once and, with hypothesis, drives
it through derandomized sequences of control changes (each change a real ``value`` assignment,
so the panel redraws through its own observers, as in JupyterLab). After every change no text a
student reads (the readout, the image's alt text, every text in the figure) may show ``nan``,
``inf`` or an empty value.

The PNG is rendered at 12 dpi in these sweeps (``tests/conftest.py``); the figure is still drawn.
"""

from __future__ import annotations

import html
import re

import ipywidgets as ipw
import matplotlib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

matplotlib.use("Agg")

import widgets.panels as wp  # noqa: E402
from widgets.panels import _WHERE  # noqa: E402

PANEL_FACTORIES = sorted(name for name in _WHERE if name.endswith("_panel"))
#: Sequences per panel, and their length.
SEQUENCES = 8
MAX_STEPS = 4

_BAD_WORD = re.compile(r"(?<![\w.])[-+]?(nan|inf|infinity)(?![\w])", re.IGNORECASE)
_EMPTY = re.compile(r"<(b|i|td|th|span)>\s*</\1>|:\s*(?=[,;.]|$)|\(\s*\)")
_TAG = re.compile(r"<[^>]+>")
_PANELS: dict = {}


def _panel(name):
    if name not in _PANELS:
        _PANELS[name] = getattr(wp, name)()
    return _PANELS[name]


def _texts(panel) -> dict[str, str]:
    """Everything a student reads in the panel, by where it is."""
    from matplotlib.text import Text

    alt = re.search(r'alt="([^"]*)"', panel.image.value)
    out = {"readout": panel.readout.value, "alt text": html.unescape(alt.group(1)) if alt else ""}
    for k, t in enumerate(panel.fig.findobj(Text)):
        if t.get_visible() and t.get_text():
            out[f"figure text {k}"] = t.get_text()
    return out


def bad_text(text: str) -> str | None:
    """What is wrong with a text a student reads (``nan``, ``inf``, an empty field), or None."""
    plain = html.unescape(_TAG.sub(" ", text))
    m = _BAD_WORD.search(plain)
    if m:
        return f"shows {m.group(0)!r}: ...{plain[max(0, m.start() - 60):m.end() + 30]}..."
    m = _EMPTY.search(text)
    if m:
        return f"has an empty value near {text[max(0, m.start() - 60):m.end() + 20]!r}"
    return None


def check_panel_texts(panel, history) -> None:
    texts = _texts(panel)
    assert texts["alt text"].strip(), f"empty alt text after {history}"
    for where, text in texts.items():
        problem = bad_text(text)
        assert problem is None, f"{where} {problem} after {history}"


def _setting(ctrl):
    """A strategy for what a student can set on ``ctrl``: (attribute, value)."""
    if isinstance(ctrl, ipw.IntSlider):
        return st.tuples(st.just("value"), st.integers(ctrl.min, ctrl.max))
    if isinstance(ctrl, ipw.FloatSlider):
        steps = int(round((ctrl.max - ctrl.min) / ctrl.step)) if ctrl.step else 0
        on_grid = st.integers(0, max(steps, 0)).map(
            lambda k: min(ctrl.max, ctrl.min + k * ctrl.step))
        return st.tuples(st.just("value"), st.one_of(
            st.sampled_from([ctrl.min, ctrl.max]), on_grid,
            st.floats(ctrl.min, ctrl.max, allow_nan=False)))
    if isinstance(ctrl, ipw.Checkbox | ipw.ToggleButton):
        return st.tuples(st.just("value"), st.booleans())
    if hasattr(ctrl, "options"):
        return st.tuples(st.just("index"), st.integers(0, len(ctrl.options) - 1))
    raise TypeError(f"no strategy for control {type(ctrl).__name__}")


def _steps(panel):
    names = sorted(panel.controls)
    return st.lists(st.sampled_from(names).flatmap(
        lambda n: st.tuples(st.just(n), _setting(panel.controls[n]))),
        min_size=1, max_size=MAX_STEPS)


def test_every_panel_factory_is_swept():
    assert len(PANEL_FACTORIES) >= 14
    for name in PANEL_FACTORIES:
        panel = _panel(name)
        assert panel.controls, f"{name} has no controls to sweep"
        check_panel_texts(panel, ["(initial state)"])


@pytest.mark.parametrize("name", PANEL_FACTORIES)
@settings(max_examples=SEQUENCES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_panel_control_sequences_show_no_nan_inf_or_empty(name, data):
    panel = _panel(name)
    history = []
    for control, (attr, value) in data.draw(_steps(panel)):
        setattr(panel.controls[control], attr, value)  # redraws through the observer
        history.append((control, panel.controls[control].value))
        check_panel_texts(panel, history)


def test_generator_panel_issue_15_sequence():
    """The sequence reported in issue 15, then every example after switching back."""
    panel = wp.generator_panel()
    panel.controls["disorder"].value = "myoclonic epilepsy"
    panel.controls["seed"].value = 93
    panel.controls["disorder"].value = "benign fasciculation (for comparison)"
    check_panel_texts(panel, ["myoclonic epilepsy", 93, "benign fasciculation"])
    assert "interval CV not defined" in panel.readout.value


def test_generator_panel_every_example_of_every_movement():
    """Every example seed of every movement the panel shows (one disorder per movement; the
    readout and alt text from the update, without rendering)."""
    from widgets.models import differential as dx

    panel = _panel("generator_panel")
    by_movement = {}
    for disorder in panel.controls["disorder"].options:
        by_movement.setdefault(dx.brain_disorder(disorder).movement, disorder)
    assert len(by_movement) >= 6
    for disorder in by_movement.values():
        for seed in range(panel.controls["seed"].min, panel.controls["seed"].max + 1):
            alt, readout = panel._update(disorder=disorder, seed=seed)
            for where, text in (("alt text", alt), ("readout", readout)):
                problem = bad_text(text)
                assert problem is None, f"{where} {problem} at {disorder!r}, seed {seed}"


@pytest.mark.parametrize("text, bad", [
    ("interval CV nan, peak", True), ("threshold NaN%", True), ("rate inf Hz", True),
    ("<b></b> units", True), ("rate -inf", True), ("mean force: ", True),
    ("infinite patience, inflamed nerve", False), ("none up to 50 nA (inexcitable)", False),
    ("interval CV 0.68, peak joint angle 0.1 deg", False), ("<b>12</b> of 120 units", False),
])
def test_the_text_check_itself(text, bad):
    assert (bad_text(text) is not None) == bad
