"""Drawing of population trees (``widgets.models.base_rates``): counts, never personal risk."""

from __future__ import annotations

from widgets.figures.style import PALETTE

ROWS = (
    ("everyone", "population"),
    ("noticed twitching", "twitching"),
    ("... and ALS", "twitching_with_als"),
    ("twitching + weakness\n+ wasting (illustrative)", "fww"),
    ("... and ALS (illustrative)", "fww_with_als"),
)
_COLOURS = (PALETTE["black"], PALETTE["sky"], PALETTE["vermillion"], PALETTE["orange"],
            PALETTE["vermillion"])


def _fmt(x: float) -> str:
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 1:
        return f"{x:.1f}"
    return f"{x:.2f}"


def plot_population_tree(tree, ax) -> dict:
    """Horizontal bars of expected counts (log scale) with their numbers written on them."""
    labels = [r[0] for r in ROWS]
    values = [max(getattr(tree, r[1]), 1e-3) for r in ROWS]
    y = list(range(len(ROWS)))[::-1]
    bars = ax.barh(y, values, color=_COLOURS, height=0.6)
    texts = [ax.text(v * 1.15, yy, _fmt(getattr(tree, r[1])), va="center", fontsize=9)
             for v, yy, r in zip(values, y, ROWS, strict=True)]
    ax.set_yticks(y, labels)
    ax.set_xscale("log")
    ax.set(xlim=(0.01, tree.population * 30), xlabel="number of people (log scale)")
    return {"bars": bars, "texts": texts}


def update_population_tree(artists: dict, tree) -> None:
    """Update bars and numbers in place."""
    for bar, txt, r in zip(artists["bars"], artists["texts"], ROWS, strict=True):
        v = max(getattr(tree, r[1]), 1e-3)
        bar.set_width(v)
        txt.set_x(v * 1.15)
        txt.set_text(_fmt(getattr(tree, r[1])))
