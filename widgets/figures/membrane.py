"""Drawing equilibrium and resting potentials (results of :mod:`widgets.models.ions`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE

#: Order, label and colour of the bars: one per potential.
POTENTIAL_BARS = (
    ("K", "E(K⁺)", PALETTE["blue"]),
    ("Na", "E(Na⁺)", PALETTE["vermillion"]),
    ("Cl", "E(Cl⁻)", PALETTE["green"]),
    ("rest", "V rest (GHK)", PALETTE["black"]),
)
VOLTAGE_LIMITS_mV = (-130.0, 100.0)


def plot_potential_bars(potentials_mV: Mapping[str, float], ax) -> dict:
    """Bars from 0 mV to each potential ("K", "Na", "Cl", "rest"), values written on them.

    Returns the artists, for :func:`update_potential_bars`.
    """
    x = np.arange(len(POTENTIAL_BARS))
    heights = [potentials_mV[key] for key, _, _ in POTENTIAL_BARS]
    bars = ax.bar(x, heights, color=[c for _, _, c in POTENTIAL_BARS], width=0.6)
    labels = [ax.text(xi, 0.0, "", ha="center", fontsize=9) for xi in x]
    ax.axhline(0.0, color=PALETTE["black"], linewidth=0.8)
    ax.set_xticks(x, [label for _, label, _ in POTENTIAL_BARS])
    ax.set_ylim(*VOLTAGE_LIMITS_mV)
    ax.set_ylabel("membrane potential (mV)")
    ax.set_title("equilibrium potentials and resting potential")
    handle = {"bars": bars, "labels": labels}
    update_potential_bars(handle, potentials_mV)
    return handle


def update_potential_bars(handle: dict, potentials_mV: Mapping[str, float]) -> None:
    """Move the bars and their value labels to new potentials (no re-plot)."""
    for (key, _, _), bar, text in zip(POTENTIAL_BARS, handle["bars"], handle["labels"],
                                      strict=True):
        v = float(potentials_mV[key])
        bar.set_height(v)
        offset = 4.0 if v >= 0 else -4.0
        text.set_position((bar.get_x() + bar.get_width() / 2, v + offset))
        text.set_verticalalignment("bottom" if v >= 0 else "top")
        text.set_text(f"{v:+.0f} mV")


def shade_normal_range(ax, low: float, high: float, *, label: str | None = "normal serum range"):
    """Grey vertical band over a normal (reference) range on the x axis."""
    return ax.axvspan(low, high, color=NORMAL_RANGE_COLOUR, alpha=0.45, linewidth=0,
                      label=label, zorder=0)


def plot_rest_vs_potassium(k_out_mM: Sequence[float], v_rest_mV: Sequence[float],
                           e_k_mV: Sequence[float], ax, *, label: str = "resting potential (GHK)",
                           log_x: bool = True) -> dict:
    """Resting potential and E_K against extracellular K+ (mM); returns the two lines."""
    (rest_line,) = ax.plot(k_out_mM, v_rest_mV, color=PALETTE["black"], label=label)
    (ek_line,) = ax.plot(k_out_mM, e_k_mV, color=PALETTE["blue"], linestyle="--",
                         label="E(K⁺) (Nernst)")
    if log_x:
        ax.set_xscale("log")
        ticks = [t for t in (1, 2, 3, 5, 10) if min(k_out_mM) <= t <= max(k_out_mM)]
        ax.set_xticks(ticks, [str(t) for t in ticks])
        ax.minorticks_off()
    ax.set_xlabel("extracellular K⁺ (mmol/L)")
    ax.set_ylabel("membrane potential (mV)")
    return {"rest": rest_line, "e_k": ek_line}
