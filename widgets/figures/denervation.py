"""Drawing of motor-unit loss and reinnervation (``widgets.models.denervation``)."""

from __future__ import annotations

import numpy as np

from widgets.figures.style import CYCLE, NORMAL_RANGE_COLOUR, PALETTE

#: Log-spaced bins of fibres per unit (shared by panel and twin so bars can be updated).
SIZE_BINS = np.geomspace(10.0, 10_000.0, 19)


def size_counts(pool) -> np.ndarray:
    """Number of surviving units per ``SIZE_BINS`` bin."""
    counts, _ = np.histogram(np.clip(pool.unit_fibres, SIZE_BINS[0], SIZE_BINS[-1]),
                             SIZE_BINS)
    return counts


def plot_unit_sizes(pool, ax, *, healthy=None) -> dict:
    """Histogram of fibres per surviving unit (log axis), healthy pool as an outline."""
    widths = np.diff(SIZE_BINS)
    if healthy is not None:
        ax.stairs(size_counts(healthy), SIZE_BINS, color=NORMAL_RANGE_COLOUR, lw=1.5,
                  label="healthy pool")
    bars = ax.bar(SIZE_BINS[:-1], size_counts(pool), width=widths, align="edge",
                  color=PALETTE["blue"], alpha=0.8, label="surviving units")
    ax.set_xscale("log")
    ax.set(xlabel="muscle fibres per motor unit", ylabel="number of motor units",
           ylim=(0, 40))
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return {"bars": bars}


def plot_force_curve(fractions, forces, pool, ax) -> dict:
    """Force fraction against fraction of units lost, with the current pool marked."""
    ax.plot(100 * np.asarray(fractions), 100 * np.asarray(forces), color=PALETTE["black"],
            lw=1.2)
    (dot,) = ax.plot([100 * pool.fraction_lost], [100 * pool.force_fraction], "o",
                     color=PALETTE["vermillion"], ms=8)
    ax.set(xlabel="motor units lost (%)", ylabel="maximal force (% of healthy)",
           xlim=(0, 100), ylim=(0, 105))
    return {"dot": dot}


def plot_fasciculation_potentials(fps, ax, *, max_lines: int = 8) -> dict:
    """Overlay several discharges of one unit (offset-free): instability shows as spread."""
    lines = []
    for k in range(min(max_lines, fps.v_mV.shape[0])):
        (ln,) = ax.plot(fps.t_ms, fps.v_mV[k], color=CYCLE[k % len(CYCLE)], lw=0.9,
                        alpha=0.8)
        lines.append(ln)
    ax.set(xlabel="time (ms)", ylabel="potential (mV)", xlim=(fps.t_ms[0], fps.t_ms[-1]))
    return {"lines": lines}
