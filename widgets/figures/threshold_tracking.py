"""Figures of the nerve excitability protocol: the four measurements over healthy bands.

Each function draws on the ``Axes`` it is given; :func:`protocol_figure` lays out all four.
The grey bands are the healthy human mean +/- 1 SD of
:mod:`widgets.models.threshold_tracking` (192 median motor recordings).
"""

from __future__ import annotations

import numpy as np

from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE, new_figure
from widgets.models import threshold_tracking as tt

BAND_ALPHA = 0.55
#: Line style and marker of each protocol in :func:`protocol_figure`, with its colour: the four
#: default colours print as greys within 15 L* of each other, so style and marker tell them apart
#: in greyscale print (the threshold-electrotonus panel, without markers, by line style alone).
STYLES = (("-", "o"), ("--", "s"), (":", "^"), ("-.", "D"))


def _band(ax, rows, *, x_is_y=False):
    a = np.array(rows, dtype=float)
    x, m, s = a[:, 0], a[:, 1], a[:, 2]
    if x_is_y:  # I/V: current on the y axis, threshold reduction on the x axis
        ax.fill_betweenx(x, m - s, m + s, color=NORMAL_RANGE_COLOUR, alpha=BAND_ALPHA, lw=0,
                         label="healthy mean ± 1 SD")
    else:
        ax.fill_between(x, m - s, m + s, color=NORMAL_RANGE_COLOUR, alpha=BAND_ALPHA, lw=0,
                        label="healthy mean ± 1 SD")


def plot_strength_duration(sd: tt.StrengthDuration, ax, *, colour=None, label=None,
                           bands=True, style=STYLES[0]):
    """Threshold relative to the 1 ms threshold against pulse duration."""
    if bands:
        _band(ax, tt.NORMAL_SD_RELATIVE)
    ref = sd.threshold_nA[np.argmin(np.abs(sd.durations_ms - 1.0))]
    (line,) = ax.plot(sd.durations_ms, sd.threshold_nA / ref, linestyle=style[0],
                      marker=style[1], color=colour or PALETTE["blue"], label=label,
                      markersize=4)
    ax.set(xlabel="pulse duration (ms)", ylabel="threshold (× 1 ms threshold)",
           title="Strength-duration", ylim=(0.8, 2.8))
    return line


def plot_threshold_electrotonus(te: tt.ThresholdElectrotonus, ax, *, colour=None, label=None,
                                bands=True, style=STYLES[0], marks=True):
    """Threshold reduction (%) during and after ±40 % currents lasting 100 ms.

    ``marks``: also draw the zero line and the bar with its label "current on" (once per axes:
    :func:`protocol_figure` draws them with its first protocol only)."""
    if bands:
        _band(ax, tt.NORMAL_TE_DEPOLARIZING)
        _band(ax, tt.NORMAL_TE_HYPERPOLARIZING)
    c = colour or PALETTE["blue"]
    x = te.delays_ms
    (d,) = ax.plot(x, te.depolarizing_pct, linestyle=style[0], color=c, label=label)
    (h,) = ax.plot(x, te.hyperpolarizing_pct, linestyle=style[0], color=c)
    if marks:
        ax.axhline(0.0, color="0.5", lw=0.6)
        # the current's duration: a bar along the top, so the healthy bands stay visible
        ax.plot([0.0, te.conditioning_ms], [84.0, 84.0], color=PALETTE["yellow"], lw=4,
                solid_capstyle="butt")
        ax.text(0.5 * te.conditioning_ms, 78.0, "current on", ha="center", va="top",
                fontsize=7)
    ax.set(xlabel="delay after current onset (ms)", ylabel="threshold reduction (%)",
           title="Threshold electrotonus (±40 %)", xlim=(-5, 200), ylim=(-160, 90))
    return d, h


def plot_current_threshold(iv: tt.CurrentThreshold, ax, *, colour=None, label=None,
                           bands=True, style=STYLES[0], marks=True):
    """Polarising current (y) against threshold reduction (x), as the clinic plots I/V
    (``marks``: also the zero lines, once per axes)."""
    if bands:
        _band(ax, tt.NORMAL_IV, x_is_y=True)
    (line,) = ax.plot(iv.threshold_reduction_pct, iv.current_pct, linestyle=style[0],
                      marker=style[1], color=colour or PALETTE["blue"], label=label,
                      markersize=3)
    if marks:
        ax.axhline(0.0, color="0.5", lw=0.6)
        ax.axvline(0.0, color="0.5", lw=0.6)
    ax.set(xlabel="threshold reduction (%)", ylabel="current (% of threshold)",
           title="Current-threshold (I/V)", xlim=(-400, 100))
    return line


def plot_recovery_cycle(rc: tt.RecoveryCycle, ax, *, colour=None, label=None, bands=True,
                        style=STYLES[0], marks=True):
    """Threshold change (%) against conditioning-test interval (log axis; ``marks``: also
    the zero line, once per axes)."""
    if bands:
        _band(ax, tt.NORMAL_RC)
    (line,) = ax.plot(rc.intervals_ms, rc.threshold_change_pct, linestyle=style[0],
                      marker=style[1], color=colour or PALETTE["blue"], label=label,
                      markersize=3)
    if marks:
        ax.axhline(0.0, color="0.5", lw=0.6)
    ax.set_xscale("log")
    ax.set(xlabel="interval (ms)", ylabel="threshold change (%)", title="Recovery cycle",
           ylim=(-50, 120))
    return line


def protocol_figure(protocols, labels=None, colours=None, *, bands=True, width_in=8.0,
                    height_in=6.2):
    """All four measurements of one or more :class:`~widgets.models.threshold_tracking.Protocol`
    results (healthy bands behind), in a 2 x 2 grid; returns the figure. Protocol k is drawn
    in its colour and in ``STYLES[k]`` (line style and marker)."""
    if isinstance(protocols, tt.Protocol):
        protocols = [protocols]
    labels = labels or [None] * len(protocols)
    default = [PALETTE["blue"], PALETTE["vermillion"], PALETTE["green"], PALETTE["purple"]]
    colours = colours or default[:len(protocols)]
    fig, axes = new_figure(2, 2, width_in=width_in, height_in=height_in)
    ax_sd, ax_te, ax_iv, ax_rc = axes.ravel()
    fig.protocol_lines = []
    for k, (pr, lab, col) in enumerate(zip(protocols, labels, colours, strict=True)):
        b = bands and k == 0
        kw = {"colour": col, "label": lab, "bands": b, "style": STYLES[k % len(STYLES)]}
        marks = {"marks": k == 0}  # zero lines, the current's bar and label: drawn once
        fig.protocol_lines.append({
            "sd": plot_strength_duration(pr.strength_duration, ax_sd, **kw),
            "te": plot_threshold_electrotonus(pr.threshold_electrotonus, ax_te, **kw, **marks),
            "iv": plot_current_threshold(pr.current_threshold, ax_iv, **kw, **marks),
            "rc": plot_recovery_cycle(pr.recovery_cycle, ax_rc, **kw, **marks),
        })
    handles, labs = ax_rc.get_legend_handles_labels()
    if labs:
        # in the strength-duration panel's empty upper right, one column: it fits the wide
        # figure and the stacked phone variant alike
        ax_sd.legend(handles, labs, loc="upper right", ncols=1, frameon=False, fontsize=7.5)
    return fig
