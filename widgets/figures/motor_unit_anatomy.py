"""Drawing motor-unit anatomy: a territory mosaic and innervation ratios by muscle.

Results come from :mod:`widgets.models.motor_unit_anatomy`; each function draws on an
``Axes`` it is given, except :func:`anatomy_figure`, which builds the lesson's two-panel
figure with :func:`widgets.figures.style.new_figure` and returns it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE, new_figure
from widgets.models import motor_unit_anatomy as anatomy


def plot_cross_section(section: anatomy.CrossSection, ax, *, highlight: int = 0) -> None:
    """Fibres as dots (grey), the fibres of unit ``highlight`` in colour, its centre marked."""
    mine = section.unit == highlight
    ax.scatter(section.x[~mine], section.y[~mine], s=7, color=NORMAL_RANGE_COLOUR,
               linewidths=0, label="fibres of other units")
    ax.scatter(section.x[mine], section.y[mine], s=14, color=PALETTE["vermillion"],
               linewidths=0, label=f"fibres of one unit ({int(mine.sum())})")
    theta = np.linspace(0.0, 2.0 * np.pi, 200)
    ax.plot(np.cos(theta), np.sin(theta), color=PALETTE["black"], linewidth=0.8)
    ax.set_aspect("equal")
    ax.set(xlim=(-1.08, 1.08), ylim=(-1.08, 1.35),
           xlabel="position across the slice (slice radius = 1)",
           ylabel="position (slice radius = 1)")
    ax.legend(loc="upper center", ncol=2, frameon=False, fontsize=8, markerscale=1.5)


def plot_innervation_ratios(ratios: Mapping[str, tuple[float, str]], ax) -> None:
    """Horizontal bars: fibres per motor unit by muscle (log axis), calf muscle highlighted."""
    names = list(ratios)
    values = [ratios[n][0] for n in names]
    colours = [PALETTE["vermillion"] if "gastrocnemius" in n else PALETTE["blue"]
               for n in names]
    y = np.arange(len(names))
    ax.barh(y, values, color=colours)
    for yi, v in zip(y, values, strict=True):
        ax.text(v * 1.08, yi, f"{v:,.0f}", va="center", fontsize=8)
    ax.set_yticks(y, names)
    ax.set_xscale("log")
    ax.set_xlim(50, 10_000)
    ax.set_xlabel("innervation ratio (muscle fibres per motor unit, log scale)")


def anatomy_figure(seed: int = 0):
    """Left: one unit's fibres scattered in a slice of muscle. Right: innervation ratios."""
    fig, (ax_sec, ax_bar) = new_figure(1, 2, width_in=9.5, height_in=3.8,
                                       gridspec_kw={"width_ratios": [1, 1.25]})
    section = anatomy.cross_section(seed=seed)
    plot_cross_section(section, ax_sec, highlight=0)
    ax_sec.set_title("one motor unit's fibres in a slice of muscle (schematic)")
    plot_innervation_ratios(anatomy.all_innervation_ratios(), ax_bar)
    ax_bar.set_title("fibres per motor unit in human muscles")
    return fig
