"""Drawing for the differential lessons: posterior curves and the evidence map."""

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


def _jitter(names, mech, evid):
    """Offsets so that causes sharing a cell do not overlap (deterministic)."""
    out = {}
    cells: dict = {}
    for n, m, e in zip(names, mech, evid, strict=True):
        cells.setdefault((m, e), []).append(n)
    for (m, e), members in cells.items():
        k = len(members)
        for i, n in enumerate(members):
            out[n] = (m, e + (i - (k - 1) / 2) * 0.17)
    return out


def plot_evidence_map(ax, *, highlight: str | None = None) -> dict:
    """Each other cause as a labelled point: mechanism grade (x) against evidence grade (y)."""
    names = list(dx.OTHER_CAUSES)
    mech = [dx.OTHER_CAUSES[n].mechanism for n in names]
    evid = [dx.OTHER_CAUSES[n].evidence for n in names]
    pos = _jitter(names, mech, evid)
    xy = np.array([pos[n] for n in names], float)
    pts = ax.scatter(xy[:, 0], xy[:, 1], s=36, color=PALETTE["blue"], zorder=3)
    labels = {n: ax.annotate(n, pos[n], xytext=(7, -3), textcoords="offset points", fontsize=8)
              for n in names}
    (ring,) = ax.plot([], [], "o", markersize=13, markerfacecolor="none",
                      markeredgecolor=PALETTE["vermillion"], markeredgewidth=2.0, zorder=4)
    # The chosen cause's label, in bold on a white ground that covers its plain label (one artist
    # moves, so a live panel redraws only it and the ring).
    chosen = ax.annotate("", (0.0, 0.0), xytext=(7, -3), textcoords="offset points", fontsize=8,
                         fontweight="bold", zorder=4,
                         bbox={"boxstyle": "square,pad=0.15", "facecolor": "white",
                               "edgecolor": "none"})
    ax.set_xticks(range(len(dx.MECHANISM_LABELS)), list(dx.MECHANISM_LABELS))
    ax.set_yticks(range(len(dx.EVIDENCE_GRADES)),
                  ["none found", "case reports", "feature of\nsome cases", "common,\ndocumented"])
    ax.set(xlim=(-0.4, 2.9), ylim=(-0.6, 3.5),
           xlabel="plausible mechanism for fasciculation (grade)",
           ylabel="evidence linking it to fasciculation (grade)")
    ax.grid(True, color=NORMAL_RANGE_COLOUR, linewidth=0.5, alpha=0.6)
    art = {"points": pts, "labels": labels, "ring": ring, "chosen": chosen, "pos": pos}
    highlight_cause(art, highlight)
    return art


def highlight_cause(art: dict, name: str | None) -> None:
    """Ring one cause on the evidence map (or none) and show its label in bold."""
    if name is None:
        art["ring"].set_data([], [])
        art["chosen"].set_text("")
    else:
        x, y = art["pos"][name]
        art["ring"].set_data([x], [y])
        art["chosen"].set_text(name)
        art["chosen"].xy = (x, y)
        art["chosen"].stale = True
