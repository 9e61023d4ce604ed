"""Panels of lessons 3.4-3.6: generator comparison and evidence map (hypothesis-driven).

The generator panel's control space is 12 disorders x 100 example seeds (1,200 combinations);
500 random combinations are drawn. The evidence panel has one drop-down of 13 causes, so it is
tested exhaustively (every option) rather than by sampling.
"""

from __future__ import annotations

import matplotlib
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

matplotlib.use("Agg")

from tests.conftest import PANEL_SWEEP_EXAMPLES
from widgets.models import differential as dx  # noqa: E402
from widgets.panels import differential as pdx  # noqa: E402

_CACHE: dict = {}
_COUNT = [0]


def _generator():
    if "g" not in _CACHE:
        _CACHE["g"] = pdx.generator_panel()
    return _CACHE["g"]


def _finite_lines(fig):
    for ax in fig.axes:
        for ln in ax.lines:
            x, y = ln.get_data()
            assert np.all(np.isfinite(np.asarray(x, float)))
            assert np.all(np.isfinite(np.asarray(y, float)))


@settings(max_examples=PANEL_SWEEP_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(disorder=st.sampled_from([*dx.BRAIN_DISORDERS, dx.FASCICULATION.name]),
       seed=st.integers(pdx.SEED[0], pdx.SEED[1]))
def test_generator_panel_full_control_space(disorder, seed):
    panel = _generator()
    _COUNT[0] += 1
    if _COUNT[0] % 25 == 0:
        panel.set(disorder=disorder, seed=seed)
        assert panel.image.value.startswith("<img") and 'alt=""' not in panel.image.value
    else:
        alt, readout = panel._update(disorder=disorder, seed=seed)
        assert alt and readout
        assert " nan " not in alt.lower() and " inf " not in alt.lower()
    _finite_lines(panel.fig)


def test_generator_panel_controls_cover_every_disorder():
    panel = _generator()
    opts = set(panel.controls["disorder"].options)
    assert opts == {*dx.BRAIN_DISORDERS, dx.FASCICULATION.name}


def test_evidence_panel_every_option():
    panel = pdx.evidence_panel()
    for cause in dx.OTHER_CAUSES:
        panel.set(cause=cause)
        assert cause in panel.readout.value
        assert panel.image.value.startswith("<img")
        # the rings sit on the chosen cause's row, at its two grades (from the model's entry)
        ax = panel.fig.axes[0]
        (ring,) = [ln for ln in ax.lines if ln.get_marker() == "o"]
        ring_x, ring_y = (np.asarray(v, float) for v in ring.get_data())
        rows = [t.get_text() for t in ax.get_yticklabels()]
        assert list(ring_y) == [rows.index(cause)] * 2
        columns = dict(zip(ax.get_xticks(), (" ".join(t.get_text().split())
                                             for t in ax.get_xticklabels()), strict=True))
        c = dx.OTHER_CAUSES[cause]
        assert columns[ring_x[0]] == dx.MECHANISM_LABELS[c.mechanism]
        assert columns[ring_x[1]].split()[0] in dx.EVIDENCE_GRADES[c.evidence]
        assert ring_x[0] < ring_x[1]  # mechanism columns first, then evidence
        assert [t.get_text() for t in ax.texts if t.get_fontweight() == "bold"
                and t.get_text() in dx.OTHER_CAUSES] == [cause]


def test_evidence_table_rows_run_from_strongest_evidence_to_none():
    """Rows top to bottom: evidence grade never rises, and within a grade mechanism never
    rises (the grades are the model's)."""
    ax = pdx.evidence_twin().axes[0]
    ax.figure.canvas.draw()
    ticks = sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels()),
                       strict=True))
    assert ax.yaxis_inverted() and {n for _, n in ticks} == set(dx.OTHER_CAUSES)
    grades = [(dx.OTHER_CAUSES[n].evidence, dx.OTHER_CAUSES[n].mechanism) for _, n in ticks]
    assert grades == sorted(grades, reverse=True)


def test_static_figures_draw():
    for make in (pdx.generator_twin, pdx.evidence_twin, pdx.posterior_curves_figure):
        fig = make()
        fig.canvas.draw()
        assert fig.axes
        _finite_lines(fig)
