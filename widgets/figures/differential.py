"""Drawing for the differential lessons: posterior curves and the evidence dot table."""

from __future__ import annotations

import numpy as np

from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE
from widgets.models import differential as dx


def plot_posterior_curve(curve, ax, *, label: str, colour: str, linestyle: str = "-") -> None:
    """Percentage with ALS among people with a finding (log) against prevalence (log)."""
    ax.plot(curve.prevalence_per_100k, 100.0 * curve.fraction_with_als, color=colour,
            linestyle=linestyle, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set(xlabel="ALS prevalence in the population (per 100,000)",
           ylabel="people with the finding who have ALS (%)")


def mark_prevalence(ax, per_100k: float, text: str) -> None:
    """A vertical reference line at a prevalence, labelled at its foot (the curves rise to the
    right, so the lower right of the line is where they leave room, at any figure width)."""
    ax.axvline(per_100k, color=NORMAL_RANGE_COLOUR, linewidth=1.0, linestyle="--")
    ax.annotate(text, (per_100k, 0.02), xycoords=("data", "axes fraction"),
                xytext=(4, 2), textcoords="offset points", fontsize=8, va="bottom")


#: The dot table's grade names under its columns, with line breaks where a wide figure needs
#: them (a narrow one stands them upright, ``style._tilt_crowded_ticks``).
MECHANISM_TICKS = ("none\nknown", "indirect", "direct")
EVIDENCE_TICKS = ("none\nfound", "case\nreports", "some\ncases", "common\nfeature")
#: x of the first evidence column (the mechanism columns are at 0, 1, 2; a gap between).
EVIDENCE_X0 = len(MECHANISM_TICKS) + 0.5


def evidence_order() -> list[str]:
    """The other causes from the strongest link to fasciculation to the weakest: by evidence
    grade, then mechanism grade (the order of :data:`OTHER_CAUSES` among equals)."""
    names = list(dx.OTHER_CAUSES)
    return sorted(names, key=lambda n: (-dx.OTHER_CAUSES[n].evidence,
                                        -dx.OTHER_CAUSES[n].mechanism, names.index(n)))


def evidence_columns(name: str) -> tuple[float, float]:
    """x of a cause's mechanism dot and of its evidence dot in the dot table."""
    c = dx.OTHER_CAUSES[name]
    return float(c.mechanism), EVIDENCE_X0 + c.evidence


def plot_evidence_map(ax, *, highlight: str | None = None) -> dict:
    """The other causes as a dot table: one row per cause (its name as the row label, strongest
    evidence at the top), a dot at its mechanism grade (left columns) and one at its evidence
    grade (right columns)."""
    order = evidence_order()
    rows = {n: float(k) for k, n in enumerate(order)}
    xy = np.array([(x, rows[n]) for n in order for x in evidence_columns(n)], float)
    pts = ax.scatter(xy[:, 0], xy[:, 1], s=42, color=PALETTE["blue"], zorder=3)
    # the chosen cause's row: a pale band behind it, its two dots ringed, its name in bold on a
    # white ground over the plain row label (three artists move, so a live panel redraws little)
    band = ax.axhspan(-0.5, 0.5, color=PALETTE["yellow"], alpha=0.35, linewidth=0, zorder=1,
                      visible=False)
    (ring,) = ax.plot([], [], "o", markersize=12, markerfacecolor="none",
                      markeredgecolor=PALETTE["vermillion"], markeredgewidth=2.0, zorder=4)
    chosen = ax.annotate("", (0.0, 0.0), xycoords=("axes fraction", "data"),
                         xytext=(-ROW_LABEL_PAD_pt, 0), textcoords="offset points",
                         ha="right", va="center_baseline", fontsize=ROW_LABEL_pt,
                         fontweight="bold", zorder=5, annotation_clip=False,
                         bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                               "edgecolor": "none"})
    ax.set_yticks(list(rows.values()), order)
    ax.tick_params(axis="y", length=0, pad=ROW_LABEL_PAD_pt, labelsize=ROW_LABEL_pt)
    ax.set_xticks([*range(len(MECHANISM_TICKS)),
                   *(EVIDENCE_X0 + k for k in range(len(EVIDENCE_TICKS)))],
                  [*MECHANISM_TICKS, *EVIDENCE_TICKS])
    ax.tick_params(axis="x", length=0, labelsize=ROW_LABEL_pt)
    last = EVIDENCE_X0 + len(EVIDENCE_TICKS) - 1
    ax.set(xlim=(-0.5, last + 0.5), ylim=(len(order) - 0.5, -0.5))
    ax.axvline((len(MECHANISM_TICKS) - 1 + EVIDENCE_X0) / 2, color=PALETTE["black"],
               linewidth=0.8)
    for text, x in (("mechanism", (len(MECHANISM_TICKS) - 1) / 2),
                    ("evidence", (EVIDENCE_X0 + last) / 2)):
        ax.annotate(text, (x, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 4),
                    textcoords="offset points", ha="center", va="bottom", fontsize=9,
                    fontweight="bold")
    ax.grid(True, color=NORMAL_RANGE_COLOUR, linewidth=0.5, alpha=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    art = {"points": pts, "band": band, "ring": ring, "chosen": chosen, "rows": rows}
    highlight_cause(art, highlight)
    return art


#: Font size and distance from the axes of the row labels (the bold label of the chosen cause
#: is drawn over its plain one, so both must sit at the same place).
ROW_LABEL_pt = 9.0
ROW_LABEL_PAD_pt = 4.0


def highlight_cause(art: dict, name: str | None) -> None:
    """Mark one cause's row in the dot table (or none): band, rings, its name in bold."""
    if name is None:
        art["ring"].set_data([], [])
        art["band"].set_visible(False)
        art["chosen"].set_text("")
    else:
        y = art["rows"][name]
        art["ring"].set_data(list(evidence_columns(name)), [y, y])
        art["band"].set_y(y - 0.5)
        art["band"].set_visible(True)
        art["chosen"].set_text(name)
        art["chosen"].xy = (0.0, y)
        art["chosen"].stale = True
