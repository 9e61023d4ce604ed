"""Drawing the motor-unit pool: spike rasters, firing rates, force, twitches and tetanus.

Each function draws one model result on an ``Axes`` it is given, labels the axes with
units, and returns the artists it created so that a panel can update them in place.
"""

from __future__ import annotations

import numpy as np

from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE


def plot_raster(sim, ax, *, colour: str = PALETTE["blue"], n_units: int | None = None):
    """Spike raster of a :class:`ForceSimulation`: one tick per discharge, unit 1 at bottom."""
    x, y = raster_xy(sim)
    (line,) = ax.plot(x, y, color=colour, linewidth=0.8)
    n = n_units if n_units is not None else len(sim.spike_times_ms)
    ax.set(xlabel="time (ms)", ylabel="motor unit (recruitment order)",
           xlim=(sim.t_ms[0], sim.t_ms[-1] + (sim.t_ms[1] - sim.t_ms[0] if sim.t_ms.size > 1
                                              else 1.0)),
           ylim=(0, n + 1))
    return line


def raster_xy(sim) -> tuple[np.ndarray, np.ndarray]:
    """One line path for a raster: a short vertical stroke per discharge, NaN-separated.

    Unit numbers start at 1 (first recruited at the bottom). One path draws much faster
    than thousands of markers.
    """
    if sim.n_spikes == 0:
        return np.zeros(0), np.zeros(0)
    t = np.concatenate(sim.spike_times_ms)
    u = np.concatenate([np.full(s.size, i + 1.0) for i, s in enumerate(sim.spike_times_ms)])
    x = np.repeat(t, 3)
    x[2::3] = np.nan
    y = np.empty_like(x)
    y[0::3] = u - 0.4
    y[1::3] = u + 0.4
    y[2::3] = np.nan
    return x, y


def plot_firing_rates(rates_hz, ax, *, peak_rates_hz=None, colour: str = PALETTE["vermillion"]):
    """Mean firing rate of each unit (0 = not recruited); optional peak-rate ceiling."""
    rates = np.asarray(rates_hz, dtype=float)
    units = np.arange(1, rates.size + 1)
    artists = []
    if peak_rates_hz is not None:
        (ceil,) = ax.plot(units, peak_rates_hz, color=NORMAL_RANGE_COLOUR, linestyle="--",
                          label="peak rate")
        artists.append(ceil)
    (line,) = ax.plot(units, rates, color=colour, drawstyle="steps-mid", label="firing rate")
    ax.set(xlabel="motor unit (recruitment order)", ylabel="firing rate (Hz)",
           xlim=(0, rates.size + 1), ylim=(0, 40))
    return line


def plot_force_curve(pool, ax, *, excitation: float | None = None, e_max: float = 50.0,
                     colour: str = PALETTE["green"]):
    """Mean force (% of maximum) against excitation, with the current point marked."""
    e = np.linspace(0.0, e_max, 201)
    fmax = pool.max_force()
    f = np.array([pool.mean_force(x) for x in e]) / fmax * 100.0
    ax.plot(e, f, color=colour)
    ax.axvline(pool.recruitment_thresholds[-1], color=NORMAL_RANGE_COLOUR, linestyle=":",
               linewidth=1)
    ax.text(pool.recruitment_thresholds[-1], 3, " all recruited", fontsize=8,
            color="#555555")
    x0 = 0.0 if excitation is None else excitation
    (marker,) = ax.plot([x0], [pool.mean_force(x0) / fmax * 100.0], "o", color=PALETTE["black"])
    ax.set(xlabel="excitation (a.u.)", ylabel="mean force (% of max)", xlim=(0, e_max),
           ylim=(0, 105))
    return marker


def plot_twitches(pool, ax, units=(0, -1)):
    """Single twitches of chosen units (default: first and last recruited), each scaled to
    its own peak so that their time courses compare; the legend gives their peak forces.

    The second unit is dashed as well as coloured, so the two stay apart in greyscale print."""
    from widgets.models.motor_units import twitch

    t = np.linspace(0.0, 400.0, 201)
    colours = (PALETTE["blue"], PALETTE["vermillion"])
    for k, u in enumerate(units):
        i = u % pool.n_units
        ax.plot(t, twitch(t, 1.0, pool.contraction_time_ms[i]), color=colours[k % 2],
                linestyle=("-", "--")[k % 2],
                label=(f"unit {i + 1}: peak {pool.peak_twitch[i]:.0f} a.u., "
                       f"T = {pool.contraction_time_ms[i]:.0f} ms"))
    ax.set(xlabel="time after one discharge (ms)", ylabel="twitch (fraction of its peak)",
           xlim=(0, 400), ylim=(0, 1.15))
    ax.legend(loc="upper right", frameon=False, fontsize=8)


def plot_unit_force(result, ax, *, colour: str = PALETTE["blue"], label: str | None = None,
                    show_spikes: bool = True):
    """Force of one unit at a constant rate (:class:`UnitForce`) with discharge ticks."""
    (line,) = ax.plot(result.t_ms, result.force, color=colour, label=label)
    ticks = None
    if show_spikes:
        (ticks,) = ax.plot(result.spike_times_ms, np.zeros_like(result.spike_times_ms),
                           linestyle="none", marker="|", markersize=8, color=PALETTE["black"])
    ax.set(xlabel="time (ms)", ylabel="force (a.u.)")
    return line, ticks
