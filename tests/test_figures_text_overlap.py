"""No two texts of a lesson figure overlap, on a desktop or on a phone.

The book shows each course figure in two variants (``style.figure_variants``): the wide figure,
and the narrow one (its panels stacked one column wide, 4.2 in) for phones. Both are drawn here as
the book draws them (text raised to the legible size, long text wrapped), and every pair of texts
that the renderer actually draws (titles, axis and tick labels, annotations, legend entries) must
not overlap by more than 2 px in both directions. Tick labels of ticks outside the view limits are
not drawn and not compared.

``KNOWN`` lists the figures that still fail, each with why: a figure listed there that no longer
fails makes the test fail too, so that the list only shrinks.
"""

from __future__ import annotations

import itertools

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from tests.test_figures_greyscale import lesson_figure, shown_cells
from widgets.figures import style

#: (lesson, cell id, variant): why it still overlaps. Fix the figure, then remove its line.
KNOWN = {
}


def drawn_texts(fig: Figure) -> list[tuple[Text, object]]:
    renderer = fig.canvas.get_renderer()
    ticks, drawn = set(), set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                ticks |= {id(tick.label1), id(tick.label2)}
            for tick in axis._update_ticks():  # the ticks inside the view limits
                drawn |= {id(lab) for lab in (tick.label1, tick.label2) if lab.get_visible()}
    out = []
    for text in fig.findobj(Text):
        if (id(text) in ticks and id(text) not in drawn) or not text.get_visible():
            continue
        if not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        if box.width >= 1 and box.height >= 1:
            out.append((text, box))
    return out


def overlaps(fig: Figure, tolerance_px: float = 2.0) -> list[str]:
    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    found = []
    for (a, ba), (b, bb) in itertools.combinations(drawn_texts(fig), 2):
        dx = min(ba.x1, bb.x1) - max(ba.x0, bb.x0)
        dy = min(ba.y1, bb.y1) - max(ba.y0, bb.y0)
        if dx > tolerance_px and dy > tolerance_px and a.get_text() != b.get_text():
            found.append(f"{a.get_text()[:40]!r} and {b.get_text()[:40]!r}")
    return found


def variants(fig: Figure) -> dict[str, Figure]:
    """The two figures ``style.figure_variants`` draws, laid out as it lays them out (its
    ``_variant`` without the PNG encoding)."""
    wide = style._copy(fig)
    narrow = style._copy(fig)
    style._stack(narrow)
    for drawn, column_px in ((wide, style.WIDE_MIN_COLUMN_px),
                             (narrow, style.NARROW_MIN_COLUMN_px)):
        style._raise_small_text(drawn, style._min_pt(drawn, column_px))
        style._wrap_long_text(drawn)
        style.place_point_labels(drawn)
    return {"wide": wide, "narrow": narrow}


FIGURE_CELLS = shown_cells()


@pytest.mark.parametrize(("lesson", "cell_id"), FIGURE_CELLS,
                         ids=[f"{les.split('/')[-1][:-6]}-{cid}" for les, cid in FIGURE_CELLS])
def test_no_two_texts_overlap(lesson, cell_id):
    fig = lesson_figure(lesson, cell_id)
    if not isinstance(fig, Figure):
        pytest.skip("the cell shows no figure")
    for name, drawn in variants(fig).items():
        found = overlaps(drawn)
        why = KNOWN.get((lesson, cell_id, name))
        if why:
            assert found, f"{name}: no longer overlaps ({why}): remove it from KNOWN"
        else:
            assert not found, f"{name} variant: {found[:5]}"


def test_the_check_catches_an_overlap():
    fig, ax = style.new_figure(1, 1, width_in=4.0, height_in=3.0)
    ax.annotate("first label", (0.5, 0.5))
    assert not overlaps(fig)
    ax.annotate("second label", (0.52, 0.5))
    assert overlaps(fig) == ["'first label' and 'second label'"]


def test_point_labels_move_apart_and_stay_by_their_own_point():
    """Two points side by side whose right-hand labels collide: ``place_point_labels`` moves
    one, no two texts then overlap, and each label is nearer its own marker than the other."""
    fig, ax = style.new_figure(1, 1, width_in=4.0, height_in=2.5)
    ax.set(xlim=(0, 10), ylim=(0, 10))
    for x in (2.0, 4.5):
        ax.plot([x], [5.0], "o")
        ax.annotate(f"a long label {x:g}", (x, 5.0), xytext=(6, 4), textcoords="offset points",
                    gid=style.POINT_LABEL_GID)
    FigureCanvasAgg(fig)
    assert overlaps(fig)
    style.place_point_labels(fig)
    assert not overlaps(fig)
    renderer = fig.canvas.get_renderer()
    points = [ax.transData.transform((x, 5.0)) for x in (2.0, 4.5)]
    for label, own, other in zip(ax.texts, points, points[::-1], strict=True):
        box = label.get_window_extent(renderer)
        assert style._distance(box, *own) < style._distance(box, *other)


def test_crowded_category_names_stand_upright_where_tilting_is_not_enough():
    """Eight two-line category names on a narrow axis: tilted 30 degrees they still run into
    each other, so they stand upright, each on one line, and then no two overlap."""
    fig, ax = style.new_figure(1, 1, width_in=3.0, height_in=3.0)
    ax.set_xticks(range(8), [f"category\nnumber {k}" for k in range(8)])
    FigureCanvasAgg(fig)
    assert overlaps(fig)
    style._wrap_long_text(fig)
    assert not overlaps(fig)
    assert {t.get_rotation() for t in ax.get_xticklabels()} == {90.0}
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"category number {k}"
                                                            for k in range(8)]


def test_a_few_crowded_names_only_tilt():
    """Three names less than 2 px apart level, clear of each other tilted: they keep the 30
    degree tilt (standing upright is only for names that tilting cannot separate)."""
    fig, ax = style.new_figure(1, 1, width_in=2.6, height_in=2.0)
    ax.set_xticks(range(3), ["first name", "second name", "third name"])
    FigureCanvasAgg(fig)
    style._wrap_long_text(fig)
    assert not overlaps(fig)
    assert {t.get_rotation() for t in ax.get_xticklabels()} == {30.0}
