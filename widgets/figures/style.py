"""One shared figure style: colour-blind-safe palette, readable fonts, white background.

The palette is Okabe & Ito (2008), "Color Universal Design", distinguishable with the
common colour-vision deficiencies. Figures keep a white face colour so that they stay
readable when the book is shown in its dark theme.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt

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
    with plt.rc_context(RC):
        fig, axes = plt.subplots(nrows, ncols, figsize=(width_in, height_in),
                                 layout="constrained", **kwargs)
    plt.close(fig)
    return fig, axes
