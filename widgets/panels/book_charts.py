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


def finish(chart, *, height: int, title: str | list = "", renderer: str = "svg") -> dict:
    """A chart as a Vega-Lite dict: container width, fixed height, white background, fonts.

    The title is not drawn inside the chart: the book panel writes it above the chart as HTML
    (``usermeta.caption``), where it wraps on a narrow screen. ``renderer="canvas"`` for charts
    of thousands of marks (faster to redraw than SVG).
    """
    words = " ".join(title) if isinstance(title, list) else title
    # description: the SVG's accessible name (the panel's alt text describes the numbers)
    props = {"width": "container", "height": height, "description": f"Chart: {words}",
             "usermeta": {"caption": words, "renderer": renderer}}
    spec = chart.properties(**props).configure(
        background="white", font="sans-serif", autosize={"type": "fit", "contains": "padding"},
        # no ARIA roles on marks: the chart area is one role="img" whose label is the alt text
        aria=False,
    ).configure_legend(aria=False).configure_axis(
        aria=False, labelFontSize=FONT_PX - 1, titleFontSize=FONT_PX, labelColor="#222",
        titleColor="#222", gridColor="#e6e6e6").configure_view(stroke="#999")
    return _every_value_ticked(_no_aria(spec.to_dict()))


def _every_value_ticked(node):
    """Give each axis with fixed tick ``values`` a ``tickCount`` of that many: otherwise
    Vega-Lite's default tick count for the chart's width (one per 40 px) makes Vega drop some of
    the asked-for ticks and their labels on a narrow screen, without a word."""
    if isinstance(node, dict):
        axis = node.get("axis")
        if isinstance(axis, dict) and isinstance(axis.get("values"), list):
            axis.setdefault("tickCount", len(axis["values"]))
        for v in node.values():
            _every_value_ticked(v)
    elif isinstance(node, list):
        for v in node:
            _every_value_ticked(v)
    return node


def _no_aria(node):
    """Switch ARIA roles off on every mark (vega gives each mark container a role but no name,
    which axe-core flags); the chart area carries one role="img" label instead."""
    if isinstance(node, dict):
        mark = node.get("mark")
        if isinstance(mark, str):
            node["mark"] = {"type": mark, "aria": False}
        elif isinstance(mark, dict):
            mark["aria"] = False
        for v in node.values():
            _no_aria(v)
    elif isinstance(node, list):
        for v in node:
            _no_aria(v)
    return node


def reference_rule(value: float, *, orient: str = "x", colour: str = PALETTE["black"],
                   dash=None):
    """A fixed reference line (e.g. 100 % of normal)."""
    enc = {orient: alt.datum(value)}
    return alt.Chart(ONE_ROW).mark_rule(color=colour, strokeDash=dash or []).encode(**enc)


def reference_band(low: float, high: float, *, orient: str = "x", opacity: float = 0.5):
    """A fixed shaded range (e.g. the normal range)."""
    enc = {orient: alt.datum(low), f"{orient}2": alt.datum(high)}
    return alt.Chart(ONE_ROW).mark_rect(color=NORMAL_RANGE_COLOUR, opacity=opacity).encode(**enc)
