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

import io

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from widgets.figures import legibility

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


class CourseFigure(Figure):
    """A matplotlib figure that shows itself as a PNG in a notebook, independent of the backend.

    IPython asks a figure for its image through the display formatter. Under the inline backend
    that formatter exists; under ``Agg`` (for example ``MPLBACKEND=Agg`` inherited by the kernel
    that executes a notebook) it does not, and IPython falls back to the text repr. This class
    provides the image itself (``_repr_png_``) and registers the same printer for its own type
    with the running IPython, so it wins over any backend-specific printer for ``Figure``.
    """

    def _repr_png_(self):
        return figure_png(self)


def figure_png(fig: Figure) -> tuple[bytes, dict]:
    """PNG bytes of ``fig`` at :data:`DISPLAY_DENSITY` times its dpi, with its 1x display size."""
    buf = io.BytesIO()
    dpi = fig.get_dpi()
    fig.savefig(buf, format="png", dpi=dpi * DISPLAY_DENSITY, facecolor="white")
    width_in, height_in = fig.get_size_inches()
    # The smallest text size rides along in the PNG, for the print edition's legibility check.
    png = legibility.tag_png(buf.getvalue(), fig)
    return png, {"width": round(width_in * dpi), "height": round(height_in * dpi)}


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
