"""Long traces drawn fast: a min/max envelope that looks the same at screen resolution.

A 2 s EMG recording at 10 kHz is 20,000 points; a 90 s periodic-limb-movement recording is
180,000. Anti-aliased Agg spends most of a panel's redraw on such a dense zig-zag (60-90 ms),
yet the axes are only 500-800 pixels wide. Keeping the minimum and the maximum of each bin
narrower than a pixel draws the same picture (every spike keeps its full height) from a few
thousand points: the standard decimation of oscilloscope and EEG viewers.
"""

from __future__ import annotations

import numpy as np

#: Bins per display pixel of the axes: 2 keeps the envelope exact in the 2x PNGs of the book.
BINS_PER_PIXEL = 2


def envelope(t, v, n_bins: int = 600):
    """Min and max of ``v`` in ``n_bins`` consecutive bins of samples, interleaved (two points
    per bin, at the bin's mean time); the trace itself if it has no more than 2 x n_bins points.
    Every sample belongs to a bin, so the largest and smallest values are always kept."""
    t = np.asarray(t, float)
    v = np.asarray(v, float)
    if t.shape != v.shape or t.ndim != 1:
        raise ValueError(f"t and v must be 1-D arrays of one length, got {t.shape} and {v.shape}")
    if n_bins < 1:
        raise ValueError(f"n_bins must be at least 1, got {n_bins}")
    if t.size <= 2 * n_bins:
        return t, v
    edges = np.linspace(0, t.size, n_bins + 1).astype(int)
    starts, counts = edges[:-1], np.diff(edges)
    lo, hi = np.minimum.reduceat(v, starts), np.maximum.reduceat(v, starts)
    tm = np.add.reduceat(t, starts) / counts
    return np.repeat(tm, 2), np.column_stack([lo, hi]).ravel()


def screen_bins(ax) -> int:
    """How many envelope bins make a trace on ``ax`` look exact: 2 per display pixel."""
    return max(100, int(BINS_PER_PIXEL * ax.bbox.width))


def screen_envelope(ax, t, v):
    """:func:`envelope` of a trace at the resolution of the axes it is drawn on."""
    return envelope(t, v, screen_bins(ax))


#: Mantissas of the "nice" axis limits (a 1-1.2-1.5-2-2.5-3-4-5-6-8 series per decade).
NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(x: float) -> float:
    """The smallest "nice" number (:data:`NICE_STEPS` x a power of ten) at or above ``x`` > 0.

    Panels round their automatic y-limits up to it, so that a slider moving the data a little
    leaves the axis alone (steadier to read, and the redraw reuses the axes' picture)."""
    x = float(x)
    if not np.isfinite(x) or x <= 0.0:
        raise ValueError(f"x must be a finite number above 0, got {x}")
    decade = 10.0 ** np.floor(np.log10(x))
    for m in NICE_STEPS:
        if m * decade >= x * (1 - 1e-12):
            return float(m * decade)
    return float(10.0 * decade)  # pragma: no cover (10 x decade is always at or above x)
