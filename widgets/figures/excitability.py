"""Figures of motor-axon excitability: traces, recovery cycle, strength-duration, gauges.

Each function draws a model result on the ``Axes`` it is given, labels the axes with units and
returns the artists a panel may update in place.
"""

from __future__ import annotations

import numpy as np
from matplotlib import ticker

from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE
from widgets.figures.traces import envelope  # noqa: F401 (panels call fx.envelope)


def plot_trace(trace, ax, *, label=None, colour=None, offset_mV=0.0, show_spikes=True):
    """Node potential against time, with spike times marked by ticks above the trace."""
    (line,) = ax.plot(trace.t_ms, np.asarray(trace.v_mV) + offset_mV, label=label,
                      color=colour or PALETTE["blue"], lw=1.0)
    ticks = None
    if show_spikes:
        st = np.asarray(trace.spike_times_ms)
        ticks = ax.scatter(st, np.full(st.shape, 45.0 + offset_mV), marker="v", s=18,
                           color=PALETTE["vermillion"], zorder=3)
    ax.set(xlabel="time (ms)", ylabel="node potential (mV)")
    return line, ticks


def plot_recovery_cycle(intervals_ms, change_pct, ax, *, label=None, colour=None):
    """Threshold change (%) against conditioning-test interval (ms, log axis)."""
    (line,) = ax.plot(intervals_ms, change_pct, "o-", ms=3, label=label,
                      color=colour or PALETTE["blue"])
    ax.axhline(0.0, color="0.5", lw=0.8)
    ax.set_xscale("log")
    ax.set(xlabel="conditioning-test interval (ms)", ylabel="threshold change (%)")
    return line


def plot_strength_duration(durations_ms, thresholds_nA, ax, *, rheobase_nA=None, tau_sd_ms=None,
                           colour=None):
    """Threshold charge (pC = nA x ms) against pulse duration, with Weiss's line if given."""
    d = np.asarray(durations_ms, float)
    q = d * np.asarray(thresholds_nA, float)
    ax.plot(d, q, "o", color=colour or PALETTE["blue"], label="model threshold charge")
    if rheobase_nA is not None and tau_sd_ms is not None and np.isfinite(rheobase_nA):
        x = np.linspace(-tau_sd_ms, d.max() * 1.05, 50)
        ax.plot(x, rheobase_nA * (x + tau_sd_ms), color=PALETTE["vermillion"], lw=1.0,
                label=f"Weiss: slope = rheobase, x-intercept = -tau_SD ({tau_sd_ms:.2f} ms)")
        ax.axvline(0.0, color="0.5", lw=0.8)
    ax.set(xlabel="pulse duration (ms)", ylabel="threshold charge (pC)")
    ax.legend(loc="upper left", frameon=False)


def plot_relative_bars(labels, values_pct, ax, *, colour=None, xmax=250.0):
    """Horizontal bars of readouts as % of their normal values (reference line at 100 %)."""
    y = np.arange(len(labels))
    bars = ax.barh(y, np.clip(values_pct, 0, xmax), color=colour or PALETTE["blue"], height=0.6)
    ax.axvspan(90.0, 110.0, color=NORMAL_RANGE_COLOUR, alpha=0.5, lw=0, zorder=0)
    ax.axvline(100.0, color=PALETTE["black"], lw=1.0)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, xmax)
    ax.set_xlabel("% of normal")
    return bars


def plot_rate_gauge(rate_hz, ax, *, normal_rate_hz=None, rate_floor_hz=1e-4, rate_max_hz=100.0):
    """One horizontal bar of spontaneous-discharge rate on a log axis (Hz)."""
    bar = ax.barh([0], [max(rate_hz, rate_floor_hz)], left=rate_floor_hz,
                  color=PALETTE["vermillion"], height=0.6)
    if normal_rate_hz is not None:
        ax.axvline(max(normal_rate_hz, rate_floor_hz), color=PALETTE["black"], lw=1.0)
    ax.set_xscale("log")
    ax.set_xlim(rate_floor_hz, rate_max_hz)
    # plain-text decade labels and no minor ticks: much faster to draw than mathtext labels
    decades = 10.0 ** np.arange(np.ceil(np.log10(rate_floor_hz)),
                                np.floor(np.log10(rate_max_hz)) + 1)
    ax.set_xticks(decades, [f"{d:g}" for d in decades])
    ax.xaxis.set_minor_locator(ticker.NullLocator())
    ax.set_yticks([0], ["rate"])
    ax.set_xlabel("spikes per second (Hz, log scale)")
    return bar
