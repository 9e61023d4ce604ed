"""Labels a figure draws once, and long titles wrapped without a one-word last line.

Lesson 1.7's protocol figure drew "current on" (and the zero lines) once per condition, four
identical texts stacked in one place: a screen reader or a PDF's text layer read it four times.
The base-rate twin's title wrapped on a phone with "risk" alone on its last line.
"""

from __future__ import annotations

import textwrap

import pytest

from widgets.figures import style


@pytest.fixture(scope="module")
def protocol():
    from widgets.panels.threshold_tracking import _protocol

    return _protocol(4.0, 1.2, 1.0, 1.0)


def test_protocol_figure_draws_each_mark_once(protocol):
    from widgets.figures.threshold_tracking import protocol_figure

    fig = protocol_figure([protocol] * 4, labels=["a", "b", "c", "d"])
    ax_sd, ax_te, ax_iv, ax_rc = fig.axes[:4]
    assert [t.get_text() for t in ax_te.texts].count("current on") == 1
    # every protocol still draws its own curves (two in threshold electrotonus)
    assert len([line for line in ax_te.get_lines() if line.get_label() in "abcd"]) == 4

    def zero_lines(ax, horizontal=True):
        return [line for line in ax.get_lines()
                if len(set(line.get_ydata() if horizontal else line.get_xdata())) == 1
                and (line.get_ydata() if horizontal else line.get_xdata())[0] == 0.0]

    assert len(zero_lines(ax_te)) == len(zero_lines(ax_iv)) == len(zero_lines(ax_rc)) == 1
    assert len(zero_lines(ax_iv, horizontal=False)) == 1


def _narrow(fig):
    """The phone variant's figure, laid out and wrapped as figure_variants does."""
    stacked = style._copy(fig)
    style._stack(stacked)
    style._variant(stacked, style.NARROW_MIN_COLUMN_px)
    return stacked


def test_base_rate_twin_title_wraps_without_an_orphan_on_a_phone():
    from widgets.panels.base_rates import base_rate_twin

    fig = base_rate_twin()
    given = fig._suptitle.get_text()
    lines = _narrow(fig)._suptitle.get_text().split("\n")
    assert len(lines) > 1, "the title fits a phone unwrapped: this test no longer tests it"
    assert " ".join(lines) == given
    shortest, longest = min(map(len, lines)), max(map(len, lines))
    assert len(lines[-1].split()) > 1 and shortest >= 0.5 * longest, lines


@pytest.mark.parametrize("chars", [20, 28, 36, 45, 60])
def test_balanced_fill_uses_the_fewest_lines_and_evens_them(chars):
    line = ("Expected counts in a population of 100,000 people (a population figure, "
            "not a personal risk)")
    out = style._balanced_fill(line, chars).split("\n")
    limit = max(chars, -(-len(line) // -(-len(line) // chars)) + 2)
    assert " ".join(out) == line
    assert len(out) == len(textwrap.wrap(line, limit))  # as few lines as the limit allows
    assert max(map(len, out)) <= limit
    # no width narrower than the one used gives as few lines (the lines are as even as can be)
    assert len(textwrap.wrap(line, max(map(len, out)) - 1)) > len(out)
