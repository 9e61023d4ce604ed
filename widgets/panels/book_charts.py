"""Vega-Lite chart pieces (written with Altair) shared by the kernel-free book panels.

Charts draw named datasets that the book panel fills per grid point (``alt.Data(name=...)``);
they hold no numbers of their own beyond fixed axis domains and reference lines. White
background (readable in the book's dark theme), Okabe-Ito colours
(:data:`widgets.figures.style.PALETTE`), responsive width (``"container"``).
"""

from __future__ import annotations

import altair as alt

from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE

FONT_PX = 13
#: A one-row dataset for marks placed by fixed values only (reference lines and bands).
ONE_ROW = alt.Data(values=[{}])


def named(name: str) -> alt.Data:
    return alt.Data(name=name)


def finish(chart, *, height: int, title: str = "") -> dict:
    """A chart as a Vega-Lite dict: container width, fixed height, white background, fonts."""
    props = {"width": "container", "height": height}
    if title:
        props["title"] = alt.Title(title, fontSize=FONT_PX, fontWeight="normal", anchor="start")
    spec = chart.properties(**props).configure(
        background="white", font="sans-serif", autosize={"type": "fit", "contains": "padding"},
    ).configure_axis(labelFontSize=FONT_PX - 1, titleFontSize=FONT_PX, labelColor="#222",
                     titleColor="#222", gridColor="#e6e6e6").configure_view(stroke="#999")
    return spec.to_dict()


def reference_rule(value: float, *, orient: str = "x", colour: str = PALETTE["black"],
                   dash=None):
    """A fixed reference line (e.g. 100 % of normal)."""
    enc = {orient: alt.datum(value)}
    return alt.Chart(ONE_ROW).mark_rule(color=colour, strokeDash=dash or []).encode(**enc)


def reference_band(low: float, high: float, *, orient: str = "x", opacity: float = 0.5):
    """A fixed shaded range (e.g. the normal range)."""
    enc = {orient: alt.datum(low), f"{orient}2": alt.datum(high)}
    return alt.Chart(ONE_ROW).mark_rect(color=NORMAL_RANGE_COLOUR, opacity=opacity).encode(**enc)
