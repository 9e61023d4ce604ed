"""One shared figure style: colour-blind-safe palette, readable fonts, white background.

The palette is Okabe & Ito (2008), "Color Universal Design", distinguishable with the
common colour-vision deficiencies. Figures keep a white face colour so that they stay
readable when the book is shown in its dark theme.

Every course figure is a :class:`CourseFigure`, which displays itself as a PNG image in any
IPython kernel, whatever matplotlib backend the kernel runs (``MPLBACKEND=Agg`` included): a
notebook cell that returns one stores an ``image/png`` output, so the built book, nbval and
JupyterLab all show the picture, never the text ``<Figure size ...>``.
"""

from __future__ import annotations

import base64
import html
import io
import os
import pickle
import textwrap
from dataclasses import dataclass

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.gridspec import GridSpec
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator
from matplotlib.transforms import Bbox
from PIL import Image

#: Okabe-Ito colour-blind-safe palette (black first for a single trace).
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
CYCLE = [PALETTE[k] for k in ("blue", "vermillion", "green", "orange", "purple", "sky", "black")]
#: Shading for normal (reference) ranges drawn behind data.
NORMAL_RANGE_COLOUR = "#BBBBBB"

RC = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.prop_cycle": matplotlib.cycler(color=CYCLE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "lines.linewidth": 1.6,
}


#: Pixel density of displayed figures relative to their size in CSS pixels (2 = sharp on
#: high-density screens; the image is declared at its 1x size so it is laid out the same).
DISPLAY_DENSITY = 2

# ---------------------------------------------------------------- legibility in the book
# A figure is legible when its smallest text is at least MIN_TEXT_px CSS pixels on screen. Its
# on-screen size is (font size in px at 1x) x (displayed width / 1x width); the book never
# enlarges an image, and shrinks it to the width of the text column. Measured in Chromium on
# the built book (sphinx-book-theme 1.3): the column is 640-775 px wide from a 700 px viewport
# up (640 px at 960-990 px, where the sidebar appears) and viewport - 48 px below 960 px.
#: Smallest text on screen that the book aims for (CSS px); tests require at least 9.
MIN_TEXT_px = 9.5
#: The narrowest text column in which the book shows the wide figure (CSS px).
WIDE_MIN_COLUMN_px = 640
#: Below this viewport width the book shows the narrow (stacked, single-column) figure.
NARROW_MEDIA = "(max-width: 699.98px)"
#: Width of the narrow figure (inches at the figure's dpi): 420 px, shown at 312-650 px.
NARROW_WIDTH_in = 4.2
#: The narrowest text column in which the book shows the narrow figure: a 360 px phone.
NARROW_MIN_COLUMN_px = 312


class CourseFigure(Figure):
    """A matplotlib figure that shows itself as an image in a notebook, whatever the backend.

    IPython asks a figure for its image through the display formatter. Under the inline backend
    that formatter exists; under ``Agg`` (for example ``MPLBACKEND=Agg`` inherited by the kernel
    that executes a notebook) it does not, and IPython falls back to the text repr. This class
    provides the image itself (``_repr_png_``) and registers its printers for its own type with
    the running IPython, so they win over any backend-specific printer for ``Figure``.

    A displayed course figure carries two representations (see :func:`figure_variants`):
    ``image/png``, the wide figure (for JupyterLab, LaTeX/PDF and any reader without HTML), and
    ``text/html``, a ``<picture>`` that shows the same wide figure on a wide screen and a stacked
    single-column version of it on a phone. The book's extension (``book/_ext/twitch_book.py``)
    turns that picture into two image files with the cell's caption and alt text.
    """

    def _repr_png_(self):
        return figure_png(self)


def _copy(fig: Figure) -> Figure:
    """An independent copy of ``fig`` on an Agg canvas (a variant never changes the original)."""
    copy = pickle.loads(pickle.dumps(fig))
    FigureCanvasAgg(copy)
    return copy


def _texts(fig: Figure, *, drawn: bool = False) -> list[Text]:
    """Every visible, non-empty text artist of ``fig`` (tick labels included), after a draw."""
    if not drawn:
        fig.canvas.draw()
    return [t for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip()
            and (t.axes is None or t.axes.get_visible())]


def smallest_text_px(fig: Figure, *, drawn: bool = False) -> float:
    """Font size (px at the figure's 1x size) of the smallest visible text of ``fig``.

    ``drawn=True`` when ``fig`` has just been drawn (saved) as it is: no second draw.
    """
    return min(t.get_fontsize() for t in _texts(fig, drawn=drawn)) * fig.get_dpi() / 72.0


def _raise_small_text(fig: Figure, min_pt: float) -> None:
    """Enlarge every text of ``fig`` smaller than ``min_pt`` points to ``min_pt``."""
    for ax in fig.axes:
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            for which, ticks in (("major", axis.get_major_ticks()),
                                 ("minor", axis.get_minor_ticks())):
                if ticks and ticks[0].label1.get_fontsize() < min_pt:
                    ax.tick_params(axis=name, which=which, labelsize=min_pt)
    for t in fig.findobj(Text):
        if t.get_fontsize() < min_pt:
            t.set_fontsize(min_pt)


def _min_pt(fig: Figure, column_px: float) -> float:
    """Smallest font (points) that reads as MIN_TEXT_px when ``fig`` is shown ``column_px`` wide."""
    width_px = fig.get_size_inches()[0] * fig.get_dpi()
    scale = min(1.0, column_px / width_px)
    return MIN_TEXT_px / scale * 72.0 / fig.get_dpi()


def _grid_axes(fig: Figure) -> dict:
    """The figure's grid cells (row, col) -> axes in it (twins share a cell), in reading order."""
    cells: dict = {}
    for ax in fig.axes:
        spec = ax.get_subplotspec()
        if spec is None:
            continue
        cells.setdefault((spec.rowspan.start, spec.colspan.start), []).append(ax)
    return dict(sorted(cells.items()))


def _stack(fig: Figure) -> None:
    """Re-lay ``fig`` out as one column of its panels (row by row), :data:`NARROW_WIDTH_in` wide.

    Each panel keeps its shape within limits that suit a phone: its height is 0.42 to 0.62 of
    its width (up to 0.9 when there are three panels or fewer; 0.75 to 1 for a single panel).
    Panels that hid their tick labels or axis label because they shared them with a neighbour
    get them back, since the neighbour is no longer beside them.
    """
    cells = _grid_axes(fig)
    width_in, height_in = fig.get_size_inches()
    if not cells:
        fig.set_size_inches(NARROW_WIDTH_in, height_in * NARROW_WIDTH_in / width_in)
        return
    first = next(iter(cells.values()))[0].get_subplotspec().get_gridspec()
    nrows, ncols = first.get_geometry()
    heights = []
    for axes in cells.values():
        spec = axes[0].get_subplotspec()
        panel_w = width_in * len(spec.colspan) / ncols
        panel_h = height_in * len(spec.rowspan) / nrows
        low, high = (0.75, 1.0) if len(cells) == 1 else (0.42, 0.9 if len(cells) <= 3 else 0.62)
        shape = min(high, max(low, panel_h / panel_w))
        heights.append(shape * NARROW_WIDTH_in)
    title_in = 0.45 if fig._suptitle is not None else 0.0
    grid = GridSpec(len(cells), 1, figure=fig, height_ratios=heights)
    for k, axes in enumerate(cells.values()):
        for ax in axes:
            ax.set_subplotspec(grid[k, 0])
            _unhide_shared_labels(ax)
    fig.set_size_inches(NARROW_WIDTH_in, sum(heights) + title_in)
    if fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")
    _one_column_legends(fig)


def _one_column_legends(fig: Figure) -> None:
    """Legends laid out in several columns (too wide for a phone) in one column."""
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None and legend._ncols > 1:
            handles, labels = ax.get_legend_handles_labels()
            ax.legend(handles, labels, ncols=1, loc=legend._loc, frameon=legend.get_frame_on(),
                      fontsize=legend.texts[0].get_fontsize(), markerscale=legend.markerscale)


def _balanced_fill(line: str, chars: int) -> str:
    """``line`` wrapped into as few lines of at most about ``chars`` characters as it needs, of
    even length (no one-word orphan line): the narrowest width that needs no more lines than
    the widest allowed (``chars``, or two more than an even split into ``len / chars`` lines).
    """
    if len(line) <= chars:
        return line
    limit = max(chars, -(-len(line) // -(-len(line) // chars)) + 2)
    n = len(textwrap.wrap(line, limit))
    width = -(-len(line) // n)
    while len(textwrap.wrap(line, width)) > n:
        width += 1
    return textwrap.fill(line, width)


def _wrap(text: Text, width_px: float, renderer) -> bool:
    """Break ``text`` into lines (at spaces) so that it is at most ``width_px`` long.

    Returns whether it changed the text.
    """
    words = text.get_text()
    if "$" in words or " " not in words.strip():
        return False

    def extent() -> float:
        box = text.get_window_extent(renderer)
        return box.height if abs(text.get_rotation() % 180 - 90) < 1 else box.width

    changed = False
    given = words.split("\n")  # keep the author's line breaks; wrap within each line
    chars = max(len(line) for line in given)
    for _ in range(6):
        if extent() <= width_px or chars <= 8:
            break
        chars = max(8, int(chars * 0.8))
        text.set_text("\n".join(_balanced_fill(line, chars) for line in given))
        changed = True
    return changed


def _title_room_px(fig: Figure, ax, width_px: float, height_px: float) -> float:
    """Width a centred title of ``ax`` may take without reaching a neighbour's: the axes' width
    plus the smaller gap to the panels beside it in the same row (the figure edge if none)."""
    box = ax.get_position()
    left, right = box.x0 * width_px, (1 - box.x1) * width_px
    for other in fig.axes:
        if other is ax or not other.get_visible() or other.get_subplotspec() is None:
            continue
        ob = other.get_position()
        if ob.y1 <= box.y0 or ob.y0 >= box.y1:  # not in the same row
            continue
        if ob.x1 <= box.x0:
            left = min(left, (box.x0 - ob.x1) * width_px)
        elif ob.x0 >= box.x1:
            right = min(right, (ob.x0 - box.x1) * width_px)
    return box.width * width_px + min(left, right) - 4


def _left_title_room_px(fig: Figure, ax, width_px: float, renderer) -> float:
    """Width a left-aligned title of ``ax`` may take: to the figure's edge, or to the nearest
    panel on its right in the same row, that panel's tick and axis labels included."""
    box = ax.get_position()
    x0 = box.x0 * width_px
    room = width_px - x0 - 8
    for other in fig.axes:
        if other is ax or not other.get_visible() or other.get_subplotspec() is None:
            continue
        ob = other.get_position()
        if ob.y1 <= box.y0 or ob.y0 >= box.y1 or ob.x0 < box.x1:  # not to the right, same row
            continue
        room = min(room, other.get_tightbbox(renderer).x0 - x0 - 6)
    return room


def _wrap_long_text(fig: Figure) -> None:
    """Wrap titles and axis labels that would run past the figure's edge.

    Enlarged text (:func:`_raise_small_text`) or a narrow figure can make a title or label wider
    than the room it has, where the layout engine cannot make space and it would be cut off.
    The figure is laid out (a draw) to know where each panel is; a centred title or label gets
    twice the distance from its centre to the nearer edge of the figure. Wrapping one label can
    move the panels, so a second pass checks again.
    """
    for _ in range(2):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        width_px, height_px = fig.get_size_inches() * fig.get_dpi()
        changed = False
        if fig._suptitle is not None:
            changed |= _wrap(fig._suptitle, 0.95 * width_px, renderer)
        for ax in fig.axes:
            if ax.get_subplotspec() is None or not ax.get_visible():
                continue
            box = ax.get_position()
            x0, x1 = box.x0 * width_px, box.x1 * width_px
            y0, y1 = box.y0 * height_px, box.y1 * height_px
            centred_w = 2 * min((x0 + x1) / 2, width_px - (x0 + x1) / 2) - 8
            # a centred title also keeps out of the next panel's title: at most the axes' width
            # plus the gap to its nearest neighbour in the same row
            changed |= _wrap(ax.title, min(centred_w, _title_room_px(fig, ax, width_px,
                                                                      height_px)), renderer)
            changed |= _wrap(ax._left_title, _left_title_room_px(fig, ax, width_px, renderer),
                             renderer)
            changed |= _wrap(ax._right_title, x1 - 8, renderer)
            changed |= _wrap(ax.xaxis.label, centred_w, renderer)
            changed |= _wrap(ax.yaxis.label, 2 * min((y0 + y1) / 2, height_px - (y0 + y1) / 2)
                             - 8, renderer)
        changed |= _tilt_crowded_ticks(fig, renderer)
        if not changed:
            return


def _crowded(labels, renderer) -> bool:
    """Whether any two of these tick labels' boxes run into each other: side by side (level
    labels), or by more than 2 px both ways (tilted labels, as ``test_figures_text_overlap``
    counts an overlap)."""
    boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: b.x0)
    if labels[0].get_rotation() == 0:
        return any(a.x1 + 2 > b.x0 for a, b in zip(boxes, boxes[1:], strict=False))
    return any(min(a.x1, b.x1) - max(a.x0, b.x0) > 2 and min(a.y1, b.y1) - max(a.y0, b.y0) > 2
               for i, a in enumerate(boxes) for b in boxes[i + 1:])


def _tilt_crowded_ticks(fig: Figure, renderer) -> bool:
    """Tilt x tick labels that run into each other (long category names on a narrow axis); where
    tilted labels still do (many of them, close together), stand them upright on one line."""
    changed = False
    for ax in fig.axes:
        labels = [t for t in ax.get_xticklabels() if t.get_visible() and t.get_text().strip()]
        if len(labels) < 2 or labels[0].get_rotation() != 0 or not _crowded(labels, renderer):
            continue
        ax.tick_params(axis="x", labelrotation=30)
        for t in ax.get_xticklabels():
            t.set_horizontalalignment("right")
            t.set_rotation_mode("anchor")
        changed = True
        if _crowded(labels, renderer):
            ax.tick_params(axis="x", labelrotation=90)
            for t in ax.get_xticklabels():
                t.set_horizontalalignment("center")
                t.set_rotation_mode("default")
            # fixed category names broken over lines for a level axis: one line each upright
            names = [t.get_text() for t in ax.xaxis.get_majorticklabels()]
            if isinstance(ax.xaxis.get_major_locator(), FixedLocator) and any(
                    "\n" in n for n in names):
                ax.xaxis.set_ticklabels([" ".join(n.split()) for n in names])
    return changed


def _unhide_shared_labels(ax) -> None:
    """Show the tick labels and axis labels that a shared-axes grid hid on inner panels."""
    for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
        where = {"x": ("labelbottom", axis.get_ticks_position() != "top"),
                 "y": ("labelleft", axis.get_ticks_position() != "right")}[name]
        if where[1]:
            ax.tick_params(axis=name, which="both", **{where[0]: True})
        axis.offsetText.set_visible(True)
        if not axis.get_label_text():
            for other in ax._shared_axes[name].get_siblings(ax):
                text = getattr(other, f"get_{name}label")()
                if text:
                    getattr(ax, f"set_{name}label")(text)
                    break


def _png(fig: Figure, colors: int = 256) -> bytes:
    """The figure as a PNG at DISPLAY_DENSITY, with a palette of ``colors`` colours (256).

    A course figure is a few flat colours plus their anti-aliased edges; 256 colours (no
    dithering) look the same and make the file about a quarter the size of full RGBA, which is
    what a phone downloads.
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.get_dpi() * DISPLAY_DENSITY, facecolor="white")
    buf.seek(0)
    image = Image.open(buf).convert("RGB").quantize(
        colors=colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _size_px(fig: Figure) -> dict:
    width_in, height_in = fig.get_size_inches()
    dpi = fig.get_dpi()
    return {"width": round(width_in * dpi), "height": round(height_in * dpi)}


@dataclass(frozen=True)
class FigureImage:
    """One rendered variant of a figure: PNG bytes at DISPLAY_DENSITY, its 1x size, its text."""

    png: bytes
    width_px: int
    height_px: int
    #: font size (px at 1x) of the smallest visible text: x (displayed width / width_px) on screen
    min_text_px: float


#: ``gid`` of an annotation that labels one data point (``ax.annotate(name, xy, xytext=(dx, dy),
#: textcoords="offset points", gid=POINT_LABEL_GID)``): :func:`place_point_labels` may move it
#: around its point, in each variant of the figure, so that labels do not run into each other.
POINT_LABEL_GID = "point-label"
#: Where a point label may go, in order of preference: (dx, dy) in points, ha, va.
_LABEL_SPOTS = ((6, 4, "left", "bottom"), (-6, 4, "right", "bottom"), (0, -9, "center", "top"),
                (0, 9, "center", "bottom"), (6, -4, "left", "top"), (-6, -4, "right", "top"))


def _distance(box, x: float, y: float) -> float:
    """Distance (px) from the point (x, y) to the nearest edge or inside of ``box``."""
    return float(np.hypot(max(box.x0 - x, 0.0, x - box.x1), max(box.y0 - y, 0.0, y - box.y1)))


def place_point_labels(fig: Figure) -> None:
    """Put each point label (:data:`POINT_LABEL_GID`) at the first spot around its point where
    it overlaps no label placed before it, no marker but its own point's, stays inside the
    axes, and is nearer its own point than any other (so it cannot be read as another point's);
    where no spot is free it keeps the first. Run on a laid-out figure, after its text
    has its final size (a phone's stacked variant has other free spots than the wide one)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        labels = [t for t in ax.texts if t.get_gid() == POINT_LABEL_GID]
        if not labels:
            continue
        marks = []
        for line in ax.lines:
            if line.get_marker() in (None, "None", "", " ") or not line.get_visible():
                continue
            half = line.get_markersize() * fig.get_dpi() / 72 / 2 + 1
            xy = ax.transData.transform(np.column_stack(line.get_data()).astype(float))
            marks += [(x, y, Bbox.from_extents(x - half, y - half, x + half, y + half))
                      for x, y in xy]
        frame = ax.get_window_extent(renderer)
        placed: list = []
        for label in labels:
            px, py = ax.transData.transform(label.xy)
            others = [b for x, y, b in marks if abs(x - px) > 0.5 or abs(y - py) > 0.5]
            for dx, dy, ha, va in _LABEL_SPOTS + (_LABEL_SPOTS[0],):
                label.xyann = (dx, dy)
                label.set_horizontalalignment(ha)
                label.set_verticalalignment(va)
                box = label.get_window_extent(renderer)
                free = not any(box.overlaps(b) for b in placed + others) and all(
                    _distance(box, px, py) < _distance(box, x, y) for x, y, _ in marks
                    if abs(x - px) > 0.5 or abs(y - py) > 0.5)
                if free and frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1):
                    break
            placed.append(label.get_window_extent(renderer))


def _variant(fig: Figure, column_px: float, colors: int = 256) -> FigureImage:
    _raise_small_text(fig, _min_pt(fig, column_px))
    _wrap_long_text(fig)
    place_point_labels(fig)
    png = _png(fig, colors)
    size = _size_px(fig)
    return FigureImage(png, size["width"], size["height"],
                       round(smallest_text_px(fig, drawn=True), 2))


def figure_variants(fig: Figure, *, colors: int = 256) -> tuple[FigureImage, FigureImage]:
    """The wide and the narrow image of ``fig``, each legible where the book shows it.

    Wide: the figure as drawn, its smallest text raised so that it reads as at least
    :data:`MIN_TEXT_px` in a :data:`WIDE_MIN_COLUMN_px` column. Narrow: its panels stacked in
    one column :data:`NARROW_WIDTH_in` wide (:func:`_stack`), legible in a
    :data:`NARROW_MIN_COLUMN_px` column. Both are drawn on copies; ``fig`` is left as it is.
    ``colors``: the PNGs' palette size (fewer colours, smaller files, for simple line art).

    Panels and other HTML outputs that show a figure can use :func:`picture_html` on these
    (the EMG sound players do): the book then checks their text size like any course figure.
    """
    wide = _variant(_copy(fig), WIDE_MIN_COLUMN_px, colors)
    stacked = _copy(fig)
    _stack(stacked)
    narrow = _variant(stacked, NARROW_MIN_COLUMN_px, colors)
    return wide, narrow


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def picture_html(wide: FigureImage, narrow: FigureImage, alt: str = "") -> str:
    """The ``text/html`` of a course figure: a ``<picture>`` of both variants, as data URIs.

    ``data-min-text-px`` on each variant records its smallest text (px at its 1x size), so a
    test can check what a reader sees: that size times the displayed scale.
    """
    return (f'<picture class="course-figure">'
            f'<source media="{NARROW_MEDIA}" srcset="{_data_uri(narrow.png)}" '
            f'width="{narrow.width_px}" height="{narrow.height_px}" '
            f'data-min-text-px="{narrow.min_text_px:g}">'
            f'<img src="{_data_uri(wide.png)}" width="{wide.width_px}" height="{wide.height_px}" '
            f'data-min-text-px="{wide.min_text_px:g}" alt="{html.escape(alt, quote=True)}" '
            f'style="max-width: 100%; height: auto;"></picture>')


def figure_png(fig: Figure) -> tuple[bytes, dict]:
    """PNG bytes of ``fig`` (its wide, legible variant) at DISPLAY_DENSITY, with its 1x size."""
    wide = fig.__dict__.pop("_course_wide", None) or _variant(_copy(fig), WIDE_MIN_COLUMN_px)
    return wide.png, {"width": wide.width_px, "height": wide.height_px}


def figure_html(fig: Figure) -> str:
    """The ``text/html`` of a displayed course figure (both variants, see :func:`picture_html`).

    IPython asks for ``text/html`` just before ``image/png`` in the same display call; the wide
    image is kept for that call (:func:`figure_png` takes it), so it is drawn once.
    """
    if os.environ.get("TWITCH_LIVE") == "1":
        # Live in JupyterLab (`make live`): the phone variant, a second render that is about half
        # of a figure's display time, is for the book's readers; the class sees the wide one.
        wide = _variant(_copy(fig), WIDE_MIN_COLUMN_px)
        fig.__dict__["_course_wide"] = wide
        return (f'<img class="course-figure" src="{_data_uri(wide.png)}" width="{wide.width_px}" '
                f'height="{wide.height_px}" data-min-text-px="{wide.min_text_px:g}" alt="" '
                'style="max-width: 100%; height: auto;">')
    wide, narrow = figure_variants(fig)
    fig.__dict__["_course_wide"] = wide
    return picture_html(wide, narrow)


def _register_with_ipython() -> None:
    """Make the running IPython (if any) print course figures with :func:`figure_png`."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of the kernel only
        return
    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    formatters["image/png"].for_type(CourseFigure, figure_png)
    formatters["text/html"].for_type(CourseFigure, figure_html)
    # A figure is shown once, as an image: no duplicate text or vector copies in the notebook.
    for mime in ("image/svg+xml", "application/pdf", "image/jpeg"):
        if mime in formatters:
            formatters[mime].for_type(CourseFigure, lambda _fig: None)


def apply() -> None:
    """Apply the course style to matplotlib's global settings."""
    plt.rcParams.update(RC)


def new_figure(nrows: int = 1, ncols: int = 1, *, width_in: float = 7.0, height_in: float = 3.2,
               **kwargs):
    """A figure and axes in the course style (white background, constrained layout).

    The figure is detached from pyplot (closed), so it is shown exactly once: when a
    notebook cell returns it, or when a panel renders it to PNG. Nothing accumulates in
    pyplot's figure manager while a panel is redrawn.
    """
    apply()
    _register_with_ipython()
    with plt.rc_context(RC):
        fig, axes = plt.subplots(nrows, ncols, figsize=(width_in, height_in),
                                 layout="constrained", FigureClass=CourseFigure, **kwargs)
    plt.close(fig)
    return fig, axes
