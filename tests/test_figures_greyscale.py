"""Every lesson figure stays readable when the print edition is printed in greyscale.

A black-and-white printer keeps only a colour's lightness. Okabe-Ito blue and vermillion (CIE L*
about 46 and 54) come out as almost the same grey, and so do green and purple (58 and 61) or
orange and sky (71 and 70). Two colours closer than ``CLOSE_L`` are a problem only where colour
is the sole cue telling apart two things the reader must tell apart: two series that a legend
names (or a series drawn in the colour of one the legend names). So, in each panel of every
figure a lesson shows, any two such data artists of the same kind (lines, bars, scatter
points, filled bands) whose colours are less than ``CLOSE_L`` apart in L* must also differ in
line style, marker or hatch. Series in different panels, unlabelled overlays (several sweeps of
one potential), bars told apart by their position and tick label, and shaded time or range
spans (told apart by where they lie) are not compared.

L* is computed here from the sRGB definition (IEC 61966-2-1: the sRGB transfer function and the
Rec. 709 luminance weights) and CIE 1976 L* = 116 (Y/Yn)^(1/3) - 16 (linear below
(6/29)^3), independently of ``benchmarks/bench_pdf.py``; a translucent colour is first composited
over the figures' white background.

The figures are the lessons' own: each lesson's shown code cells are run in this process (with
the earlier cells that define the names they use), exactly as the book runs them.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import itertools
from functools import cache

import matplotlib.colors as mcolors
import nbformat
import numpy as np
import pytest
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.patches import StepPatch

from tests.lessons import ROOT, lesson_notebooks

#: Colours closer than this in CIE L* look alike in greyscale (the print edition's threshold).
CLOSE_L = 10.0
NOT_RUN = {"nbval-ignore-output", "remove-cell", "nbval-check-output"}


# ------------------------------------------------------------------ what a grey printer keeps
def lightness(colour) -> float:
    """CIE L* (0 black .. 100 white) of a matplotlib colour, composited over white."""
    r, g, b, a = mcolors.to_rgba(colour)
    srgb = np.array([r, g, b]) * a + (1.0 - a)
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    y = float(linear @ np.array([0.2126, 0.7152, 0.0722]))
    return 116.0 * np.cbrt(y) - 16.0 if y > (6 / 29) ** 3 else y * (29 / 3) ** 3


def _linestyle(artist) -> str:
    style = artist.get_linestyle()
    if isinstance(style, list):  # a collection: one (offset, dashes) per member
        style = style[0]
    if isinstance(style, tuple):
        return "solid" if style[1] is None else f"dashes {tuple(style[1])}"
    return {"-": "solid", "solid": "solid", "None": "none", "none": "none", " ": "none",
            "": "none"}.get(style, style)


def _alpha(colour, artist):
    a = artist.get_alpha()
    return mcolors.to_rgba(colour, a) if a is not None else mcolors.to_rgba(colour)


def data_artists(ax):
    """(kind, colour, cues, label) for each data artist of ``ax``; bars one per colour."""
    out = []
    for line in ax.lines:
        if line.get_visible() and len(line.get_xdata()) > 0:
            cues = (_linestyle(line), str(line.get_marker()))
            out.append(("line", _alpha(line.get_color(), line), cues, line.get_label(), line))
    for patch in ax.patches:
        if isinstance(patch, StepPatch) and patch.get_visible():
            colour = patch.get_facecolor() if patch.get_fill() else patch.get_edgecolor()
            out.append(("line", colour, (_linestyle(patch), "None"), patch.get_label(), patch))
    for container in ax.containers:
        if isinstance(container, BarContainer):
            seen = {}
            for bar in container.patches:
                if bar.get_visible():
                    key = (mcolors.to_hex(bar.get_facecolor(), keep_alpha=True), bar.get_hatch())
                    seen.setdefault(key, bar)
            for (_, hatch), bar in seen.items():
                out.append(("bar", bar.get_facecolor(), (str(hatch),), container.get_label(),
                            container))
    for coll in ax.collections:
        if not coll.get_visible():
            continue
        if isinstance(coll, LineCollection):
            kind, colours = "line", coll.get_colors()
        elif isinstance(coll, PathCollection):
            kind, colours = "scatter", coll.get_facecolors()
        elif isinstance(coll, PolyCollection):
            kind, colours = "fill", coll.get_facecolors()
        else:
            continue
        paths = tuple(coll.get_paths()[0].vertices.round(3).ravel().tolist()) \
            if isinstance(coll, PathCollection) and coll.get_paths() else ()
        for colour in {tuple(c) for c in np.asarray(colours)}:
            out.append((kind, colour, (str(coll.get_hatch()), _linestyle(coll), paths),
                        coll.get_label(), coll))
    return out


def _named(label) -> bool:
    return bool(label) and not str(label).startswith("_")


def panels(fig: Figure) -> dict:
    """Axes grouped by the panel they occupy (a twin axes shares its host's panel)."""
    out: dict = {}
    for ax in fig.axes:
        if ax.get_visible():
            out.setdefault(tuple(np.round(ax.get_position().bounds, 3)), []).append(ax)
    return out


def alike_in_grey(fig: Figure) -> list[str]:
    """Pairs of keyed data artists in one panel told apart by colour alone, in greyscale."""
    fig.canvas.draw()  # positions of the axes after layout
    everything = [a for ax in fig.axes for a in data_artists(ax)]
    keys = {(kind, mcolors.to_hex(colour)) for kind, colour, _, label, _ in everything
            if _named(label)}
    problems = []
    for axes in panels(fig).values():
        arts = [a for ax in axes for a in data_artists(ax)
                if _named(a[3]) or (a[0], mcolors.to_hex(a[1])) in keys]
        for (k1, c1, cue1, l1, _), (k2, c2, cue2, l2, _) in itertools.combinations(arts, 2):
            if k1 != k2 or mcolors.same_color(c1, c2) or cue1 != cue2:
                continue
            gap = abs(lightness(c1) - lightness(c2))
            if gap < CLOSE_L:
                title = " / ".join(ax.get_title() for ax in axes if ax.get_title())
                problems.append(
                    f"panel {title!r}: {k1} {mcolors.to_hex(c1)} ({l1!r}) and "
                    f"{mcolors.to_hex(c2)} ({l2!r}) are {gap:.1f} L* apart with the same "
                    f"style {cue1}")
    return sorted(set(problems))


# ------------------------------------------------------------------ the lessons' figures
def _bound_and_free(source: str) -> tuple[set, set]:
    tree = ast.parse(source)
    bound, loaded = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, (ast.Store, ast.Del)) else loaded).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return bound, loaded - bound - set(dir(builtins))


def _cells(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    return [c for c in nb.cells if c.cell_type == "code"
            and "remove-cell" not in c.metadata.get("tags", [])]


def shown_cells() -> list[tuple[str, str]]:
    """(lesson, cell id) of every code cell whose output the book shows as it is (no checkpoint,
    no live panel or player)."""
    out = []
    for nb_path in lesson_notebooks():
        for c in _cells(nb_path):
            if not NOT_RUN & set(c.metadata.get("tags", [])):
                out.append((str(nb_path.relative_to(ROOT)), c.id))
    return out


def _run(source: str, ns: dict):
    """Run a cell in ``ns``; the value of its last expression (what the notebook displays)."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(tree, "<cell>", "exec"), ns)
        return eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns) if last else None


def lesson_figure(lesson: str, cell_id: str):
    """The object a lesson's cell displays, after the earlier cells that define its names."""
    cells = _cells(ROOT / lesson)
    index = next(i for i, c in enumerate(cells) if c.id == cell_id)
    needed, todo = [], [index]
    while todo:  # earlier cells that bind a name a needed cell uses, transitively
        i = todo.pop()
        needed.append(i)
        _, free = _bound_and_free(cells[i].source)
        for name in free:
            j = next((j for j in range(i - 1, -1, -1)
                      if name in _bound_and_free(cells[j].source)[0]), None)
            if j is not None and j not in needed and j not in todo:
                todo.append(j)
    return _displayed(tuple(cells[i].source for i in sorted(set(needed))))


@cache
def _displayed(sources: tuple[str, ...]):
    """What the last of ``sources`` displays after the others ran (the same cells shown by
    several lessons, e.g. one twin, are drawn once)."""
    ns: dict = {}
    for source in sources:
        value = _run(source, ns)
    return value


# ------------------------------------------------------------------ tests
def _two_lines(**second):
    from widgets.figures.style import PALETTE, new_figure

    fig, ax = new_figure(width_in=4.0, height_in=3.0)
    x = np.linspace(0.0, 1.0, 20)
    ax.plot(x, x, color=PALETTE["blue"], label="first")
    ax.plot(x, x ** 2, color=PALETTE["vermillion"], label="second", **second)
    ax.legend()
    return fig


def test_lightness_matches_published_values():
    # CIE L* of sRGB primaries and white (e.g. Lindbloom's colour calculator, D65): white 100,
    # red 53.24, green 87.73, blue 32.30; 18 % grey card (sRGB 119) about 50.
    assert lightness("#FFFFFF") == pytest.approx(100.0, abs=0.01)
    assert lightness("#FF0000") == pytest.approx(53.24, abs=0.02)
    assert lightness("#00FF00") == pytest.approx(87.73, abs=0.02)
    assert lightness("#0000FF") == pytest.approx(32.30, abs=0.02)
    assert lightness("#000000") == pytest.approx(0.0, abs=1e-9)
    # half-transparent black over white is sRGB 0.5 grey: L* 53.39
    assert lightness((0.0, 0.0, 0.0, 0.5)) == pytest.approx(53.39, abs=0.02)


def test_the_check_catches_colour_as_the_only_cue():
    assert alike_in_grey(_two_lines()), "blue and vermillion solid lines not caught"
    assert not alike_in_grey(_two_lines(linestyle="--"))
    assert not alike_in_grey(_two_lines(marker="o"))
    from widgets.figures.style import PALETTE, new_figure

    fig, (a, b) = new_figure(1, 2)
    a.plot([0, 1], [0, 1], color=PALETTE["blue"], label="first")
    b.plot([0, 1], [0, 1], color=PALETTE["vermillion"], label="second")
    assert not alike_in_grey(fig), "series in different panels are told apart by panel"
    fig, ax = new_figure()
    ax.bar([0, 1], [1, 2], color=PALETTE["green"], label="first")
    ax.bar([2, 3], [1, 2], color=PALETTE["purple"], label="second")
    assert alike_in_grey(fig), "green and purple bar groups not caught"
    fig, ax = new_figure()
    ax.bar([0, 1], [1, 2], color=PALETTE["green"], label="first")
    ax.bar([2, 3], [1, 2], color=PALETTE["purple"], label="second", hatch="//")
    assert not alike_in_grey(fig)


def test_every_shown_lesson_cell_is_enumerated():
    cells = shown_cells()
    lessons = {lesson for lesson, _ in cells}
    assert len(lessons) == len(lesson_notebooks()), "a lesson shows no figure"
    assert len(cells) >= 25


@pytest.mark.parametrize(("lesson", "cell_id"), shown_cells())
def test_lesson_figure_is_readable_in_greyscale(lesson, cell_id):
    fig = lesson_figure(lesson, cell_id)
    if not isinstance(fig, Figure):
        pytest.skip(f"the cell shows a {type(fig).__name__}, not a figure")
    problems = alike_in_grey(fig)
    assert not problems, "alike when printed in grey:\n" + "\n".join(problems)
