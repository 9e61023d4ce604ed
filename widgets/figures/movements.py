"""Drawing synthetic movement recordings: EMG above, joint angle below, and a feature map."""

from __future__ import annotations

import numpy as np

from widgets.figures.style import CYCLE, NORMAL_RANGE_COLOUR, PALETTE, POINT_LABEL_GID
from widgets.figures.traces import nice_ceiling, screen_envelope


def emg_limit_mV(rec) -> float:
    """Symmetric y-limit (mV) that fits a recording's EMG, rounded up to a nice number."""
    return nice_ceiling(1.15 * max(float(np.max(np.abs(rec.emg_mV))), 0.05))


def angle_limits_deg(rec) -> tuple[float, float]:
    """y-limits (deg) that fit the joint angle with a margin, at least +/- 2 deg (so noise looks
    flat), each rounded away from zero to a nice number."""
    lo = min(float(np.min(rec.angle_deg)), -2.0)
    hi = max(float(np.max(rec.angle_deg)), 2.0)
    pad = 0.1 * (hi - lo)
    return -nice_ceiling(pad - lo), nice_ceiling(hi + pad)


def plot_recording(rec, ax_emg, ax_angle, *, show_xlabel: bool = True) -> dict:
    """EMG (mV against s) on ``ax_emg`` and joint angle (deg against s) on ``ax_angle``."""
    # Long EMG (up to 180,000 samples) is drawn as its envelope at screen resolution.
    (emg_line,) = ax_emg.plot(*screen_envelope(ax_emg, rec.t_s, rec.emg_mV),
                              color=PALETTE["black"], linewidth=0.6)
    lim = emg_limit_mV(rec)
    ax_emg.set(xlim=(0.0, rec.duration_s), ylim=(-lim, lim),
               ylabel=f"{rec.electrode} EMG (mV)")
    (angle_line,) = ax_angle.plot(*screen_envelope(ax_angle, rec.movement_t_s, rec.angle_deg),
                                  color=PALETTE["blue"])
    ax_angle.axhline(0.0, color=NORMAL_RANGE_COLOUR, linewidth=0.8)
    ax_angle.set(xlim=(0.0, rec.duration_s), ylim=angle_limits_deg(rec),
                 ylabel="joint angle (deg)")
    if show_xlabel:
        ax_emg.set_xlabel("time (s)")
        ax_angle.set_xlabel("time (s)")
    return {"emg": emg_line, "angle": angle_line}


def update_recording(artists: dict, rec, ax_emg, ax_angle) -> None:
    """Show another recording on axes drawn by :func:`plot_recording` (artists updated)."""
    artists["emg"].set_data(*screen_envelope(ax_emg, rec.t_s, rec.emg_mV))
    artists["angle"].set_data(*screen_envelope(ax_angle, rec.movement_t_s, rec.angle_deg))
    lim = emg_limit_mV(rec)
    ax_emg.set(xlim=(0.0, rec.duration_s), ylim=(-lim, lim), ylabel=f"{rec.electrode} EMG (mV)")
    ax_angle.set(xlim=(0.0, rec.duration_s), ylim=angle_limits_deg(rec))


def plot_feature_map(features: dict, ax) -> None:
    """Each phenomenon as a point: event duration (ms, log) against interval CV.

    ``features`` maps a name to an :class:`~widgets.models.movements.EventFeatures`. A
    phenomenon with fewer than three events (no interval CV) is drawn hollow at CV = 0.
    """
    for k, (name, f) in enumerate(features.items()):
        colour = CYCLE[k % len(CYCLE)]
        single = not np.isfinite(f.interval_cv)
        y = 0.0 if single else f.interval_cv
        ax.plot([f.median_event_ms], [y], marker="os^D"[k % 4], markersize=8,
                color=colour, markerfacecolor="white" if single else colour, linestyle="none")
        ax.annotate(name + (" (one event)" if single else ""), (f.median_event_ms, y),
                    textcoords="offset points", xytext=(6, 4), fontsize=8, gid=POINT_LABEL_GID)
    ax.set_xscale("log")
    ax.set(xlabel="duration of one EMG event (ms, log scale)",
           ylabel="irregularity of intervals (CV)", ylim=(-0.1, 1.1), xlim=(1.0, 2e4))
    ax.axhline(0.0, color=NORMAL_RANGE_COLOUR, linewidth=0.8)
