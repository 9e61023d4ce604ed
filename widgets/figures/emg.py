"""Drawing EMG: a recording's trace with its discharges, and single MUAP shapes."""

from __future__ import annotations

import numpy as np

from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE
from widgets.figures.traces import nice_ceiling, screen_envelope


def plot_emg(recording, ax, *, colour: str = PALETTE["black"], show_events: bool = True):
    """EMG trace (mV against ms) with a tick above each discharge."""
    (line,) = ax.plot(*screen_envelope(ax, recording.t_ms, recording.signal_mV), color=colour,
                      linewidth=0.8)
    ticks = None
    if show_events:
        y = np.full(recording.event_times_ms.size, _tick_level(recording))
        (ticks,) = ax.plot(recording.event_times_ms, y, linestyle="none", marker="v",
                           markersize=4, color=PALETTE["vermillion"])
    ax.set(xlabel="time (ms)", ylabel=f"{recording.electrode} EMG (mV)",
           xlim=(recording.t_ms[0], recording.t_ms[-1]))
    set_emg_ylim(recording, ax)
    return line, ticks


def _tick_level(recording) -> float:
    return 1.15 * max(float(np.max(np.abs(recording.signal_mV))), 0.05)


def emg_ylim_top(recording) -> float:
    """The top of symmetric EMG y-limits that fit the trace and the event ticks, rounded up to a
    nice number (the live panel, the course figures and the kernel-free book panel share it)."""
    return nice_ceiling(1.3 * max(float(np.max(np.abs(recording.signal_mV))), 0.05))


def muap_ylim_top(waveform_mV) -> float:
    """The top of symmetric y-limits for one MUAP shape, rounded up to a nice number."""
    return nice_ceiling(1.2 * max(float(np.max(np.abs(waveform_mV))), 1e-3))


def set_emg_ylim(recording, ax) -> None:
    """Symmetric y-limits that fit the trace and the event ticks, rounded up to a nice number."""
    top = emg_ylim_top(recording)
    ax.set_ylim(-top, top)


def event_ticks_y(recording) -> np.ndarray:
    return np.full(recording.event_times_ms.size, _tick_level(recording))


def plot_muap(t_ms, waveform_mV, ax, *, colour: str = PALETTE["blue"], label: str | None = None,
              normal_duration_ms: tuple[float, float] | None = None):
    """One MUAP shape; optionally shade the normal duration range centred on it."""
    if normal_duration_ms is not None:
        lo, hi = normal_duration_ms
        ax.axvspan(-hi / 2, hi / 2, color=NORMAL_RANGE_COLOUR, alpha=0.25, linewidth=0)
        ax.axvspan(-lo / 2, lo / 2, color=NORMAL_RANGE_COLOUR, alpha=0.35, linewidth=0)
    (line,) = ax.plot(t_ms, waveform_mV, color=colour, label=label)
    ax.axhline(0.0, color=NORMAL_RANGE_COLOUR, linewidth=0.8)
    ax.set(xlabel="time (ms)", ylabel="MUAP (mV)")
    return line
