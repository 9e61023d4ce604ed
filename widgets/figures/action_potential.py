"""Drawing membrane-potential traces and f-I curves (results of ``squid_axon``)."""

from __future__ import annotations

from collections.abc import Sequence

from widgets.figures.style import PALETTE

VOLTAGE_LIMITS_mV = (-90.0, 60.0)


def plot_trace(trace, ax, *, label: str | None = None, color: str | None = None,
               show_threshold: bool = True):
    """Membrane potential against time for a ``squid_axon.Trace``; returns the line."""
    (line,) = ax.plot(trace.t_ms, trace.v_mV, label=label,
                      color=color or PALETTE["blue"], linewidth=1.2)
    if show_threshold:
        ax.axhline(0.0, color=PALETTE["black"], linewidth=0.6, linestyle=":")
    ax.set(xlabel="time (ms)", ylabel="membrane potential (mV)", ylim=VOLTAGE_LIMITS_mV,
           xlim=(float(trace.t_ms[0]), float(trace.t_ms[-1])))
    return line


def plot_f_i_curve(currents_uA_cm2: Sequence[float], rates_hz: Sequence[float], ax, *,
                   label: str | None = None, color: str | None = None):
    """Sustained firing rate (Hz) against step current (µA/cm²); returns the line."""
    (line,) = ax.plot(currents_uA_cm2, rates_hz, marker="o", markersize=3, label=label,
                      color=color or PALETTE["vermillion"])
    ax.set(xlabel="step current (µA/cm²)", ylabel="sustained firing rate (Hz)")
    ax.set_ylim(bottom=0)
    return line
