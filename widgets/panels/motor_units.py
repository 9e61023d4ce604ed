"""Panels for the motor-unit pool (recruitment and rate coding) and twitch summation."""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np

from widgets.figures.motor_units import (
    plot_firing_rates,
    plot_force_curve,
    plot_raster,
    plot_twitches,
    plot_unit_force,
    raster_xy,
)
from widgets.figures.style import PALETTE, new_figure
from widgets.models.motor_units import (
    EXCITATION_TEACHING,
    UNIT_RATE_TEACHING_HZ,
    FuglevandPool,
    unit_mean_force,
)
from widgets.panels.base import FigurePanel, freeze_layout, slider

RASTER_MS = 1000.0
TWIN_EXCITATIONS = (5.0, 15.0, 30.0, 45.0)
TWIN_RATES_HZ = (2.0, 8.0, 15.0, 30.0, 50.0)
SUMMATION_MS = 1000.0
UNIT_CHOICES = {"slowest (first recruited)": 0, "fastest (last recruited)": -1}


def _fixed_ticks(ax, xticks, yticks) -> None:
    """Fixed tick positions: the ranges never change, and tick text is the costly part."""
    ax.set_xticks(xticks)
    ax.set_yticks(yticks)


def _pool_summary(pool, excitation):
    rates = pool.firing_rates(excitation)
    n_rec = int(np.count_nonzero(rates))
    force_pct = 100.0 * pool.mean_force(excitation) / pool.max_force()
    return rates, n_rec, force_pct


def motor_unit_pool_panel(seed: int = 0) -> FigurePanel:
    """Live panel: excitation -> which units fire, how fast, and the muscle's mean force."""
    pool = FuglevandPool(seed=seed)
    controls = {"excitation": slider("excitation", EXCITATION_TEACHING, step=0.5,
                                     readout_format=".1f")}
    fig, axes = new_figure(2, 2, width_in=8.0, height_in=5.4)
    e0 = controls["excitation"].value
    sim = pool.simulate_force(e0, RASTER_MS, dt_ms=1.0)
    raster = plot_raster(sim, axes[0, 0], n_units=pool.n_units)
    axes[0, 0].set_title("discharges (1 s)")
    rate_line = plot_firing_rates(pool.firing_rates(e0), axes[0, 1],
                                  peak_rates_hz=pool.peak_firing_rates_hz)
    axes[0, 1].set_title("firing rate of each unit")
    marker = plot_force_curve(pool, axes[1, 0], excitation=e0,
                              e_max=EXCITATION_TEACHING.high)
    axes[1, 0].set_title("mean force")
    plot_twitches(pool, axes[1, 1])
    axes[1, 1].set_title("one twitch: smallest vs largest unit")
    _fixed_ticks(axes[0, 0], [0, 250, 500, 750, 1000], [0, 40, 80, 120])
    _fixed_ticks(axes[0, 1], [0, 40, 80, 120], [0, 10, 20, 30, 40])
    _fixed_ticks(axes[1, 0], [0, 10, 20, 30, 40, 50], [0, 25, 50, 75, 100])
    _fixed_ticks(axes[1, 1], [0, 100, 200, 300, 400], [0, 0.5, 1])
    ref: dict = {}

    def update(excitation):
        sim = pool.simulate_force(excitation, RASTER_MS, dt_ms=1.0)
        raster.set_data(*raster_xy(sim))
        rates, n_rec, force_pct = _pool_summary(pool, excitation)
        rate_line.set_ydata(rates)
        marker.set_data([excitation], [force_pct])
        ref["last"] = sim
        if "panel" in ref:
            ref["panel"].last_result = sim
        top = rates.max() if n_rec else 0.0
        alt = (f"Motor-unit pool at excitation {excitation:.1f}: {n_rec} of {pool.n_units} "
               f"units recruited, firing from {pool.min_firing_rate_hz:.0f} Hz (newest) "
               f"to {top:.1f} Hz (first recruited); mean force {force_pct:.0f}% of maximum. "
               "Top left: spike raster over 1 s. Top right: firing rate by unit. Bottom left: "
               "mean force against excitation with the current point. Bottom right: single "
               "twitches of the smallest, slowest unit and the largest, fastest unit.")
        readout = (f"<b>{n_rec}</b> of {pool.n_units} units recruited; "
                   f"mean force <b>{force_pct:.0f}%</b> of maximum"
                   + ("; all units recruited, force now grows by rate coding only"
                      if n_rec == pool.n_units else ""))
        return alt, readout

    freeze_layout(fig)
    panel = FigurePanel(controls, fig, update,
                        title="Recruitment and rate coding in a motor-unit pool")
    ref["panel"] = panel
    panel.last_result = ref["last"]
    return panel


def motor_unit_pool_twin(seed: int = 0):
    """Static twin: rasters and firing rates at four excitation levels."""
    pool = FuglevandPool(seed=seed)
    fig, axes = new_figure(2, len(TWIN_EXCITATIONS), width_in=10.0, height_in=5.0,
                           sharey="row")
    for k, e in enumerate(TWIN_EXCITATIONS):
        sim = pool.simulate_force(e, RASTER_MS, dt_ms=1.0)
        plot_raster(sim, axes[0, k], n_units=pool.n_units)
        rates, n_rec, force_pct = _pool_summary(pool, e)
        plot_firing_rates(rates, axes[1, k], peak_rates_hz=pool.peak_firing_rates_hz)
        axes[0, k].set_title(f"excitation {e:g}: {n_rec} units,\nforce {force_pct:.0f}% of max")
        if k:
            axes[0, k].set_ylabel("")
            axes[1, k].set_ylabel("")
    return fig


def twitch_summation_panel() -> FigurePanel:
    """Live panel: one unit's firing rate -> twitches, unfused and fused tetanus."""
    pool = FuglevandPool()
    controls = {
        "rate_hz": slider("firing rate", UNIT_RATE_TEACHING_HZ, step=1.0, readout_format=".0f"),
        "unit": ipw.Dropdown(options=list(UNIT_CHOICES), value="slowest (first recruited)",
                             description="unit", style={"description_width": "initial"}),
    }
    fig, (ax, ax_curve) = new_figure(1, 2, width_in=8.0, height_in=3.2,
                                     gridspec_kw={"width_ratios": [2.2, 1]})
    res = pool.unit_force(0, controls["rate_hz"].value, SUMMATION_MS)
    line, ticks = plot_unit_force(res, ax)
    ax.set_xlim(0, SUMMATION_MS)
    rates = np.linspace(UNIT_RATE_TEACHING_HZ.low, UNIT_RATE_TEACHING_HZ.high, 99)
    curves = {}
    for name, u in UNIT_CHOICES.items():
        i = u % pool.n_units
        curves[name] = (unit_mean_force(rates, pool.peak_twitch[i], pool.contraction_time_ms[i])
                        / pool.peak_twitch[i])
    (curve,) = ax_curve.plot(rates, curves["slowest (first recruited)"], color=PALETTE["green"])
    (point,) = ax_curve.plot([res.rate_hz], [res.steady_mean / res.peak], "o",
                             color=PALETTE["black"])
    ax_curve.set(xlabel="firing rate (Hz)", ylabel="mean force (x single twitch)",
                 ylim=(0, 10))
    ax.set_ylabel("force (x single twitch peak)")
    ref: dict = {}

    def update(rate_hz, unit):
        i = UNIT_CHOICES[unit] % pool.n_units
        r = pool.unit_force(i, rate_hz, SUMMATION_MS)
        line.set_data(r.t_ms, r.force / r.peak)
        ticks.set_data(r.spike_times_ms, np.zeros_like(r.spike_times_ms))
        ax.set_ylim(0, max(1.1, 1.1 * float(r.force.max() / r.peak)))
        curve.set_ydata(curves[unit])
        point.set_data([rate_hz], [r.steady_mean / r.peak])
        ref["last"] = r
        if "panel" in ref:
            ref["panel"].last_result = r
        state = ("separate twitches" if r.fusion < 0.3 else
                 "unfused tetanus (summing, rippled)" if r.fusion < 0.9 else
                 "fused tetanus (smooth)")
        alt = (f"Force of the {unit} unit (contraction time {r.contraction_time_ms:.0f} ms) "
               f"firing at {rate_hz:.0f} Hz over {SUMMATION_MS:.0f} ms: {state}; steady mean "
               f"{r.steady_mean / r.peak:.1f} times one twitch, fusion {100 * r.fusion:.0f}%. "
               "Right: mean force against firing rate with the current rate marked.")
        readout = (f"{rate_hz:.0f} Hz: <b>{state}</b>; mean force "
                   f"{r.steady_mean / r.peak:.1f} x one twitch; fusion {100 * r.fusion:.0f}%")
        return alt, readout

    # fixed margins: the force axis rescales, so tick labels change width between redraws
    fig.set_layout_engine(None)
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.16, top=0.95, wspace=0.3)
    panel = FigurePanel(controls, fig, update,
                        title="Twitch summation: from single twitches to tetanus")
    ref["panel"] = panel
    panel.last_result = ref["last"]
    return panel


def twitch_summation_twin():
    """Static twin: the slowest and fastest unit at 2, 8, 15, 30 and 50 Hz."""
    pool = FuglevandPool()
    fig, axes = new_figure(1, len(TWIN_RATES_HZ), width_in=11.0, height_in=2.8, sharey=True)
    for k, f in enumerate(TWIN_RATES_HZ):
        for u, colour, name in ((0, PALETTE["blue"], "slowest"),
                                (pool.n_units - 1, PALETTE["vermillion"], "fastest")):
            r = pool.unit_force(u, f, SUMMATION_MS)
            axes[k].plot(r.t_ms, r.force / r.peak, color=colour,
                         label=f"{name} (T = {r.contraction_time_ms:.0f} ms)")
        axes[k].set(title=f"{f:g} Hz", xlabel="time (ms)", xlim=(0, SUMMATION_MS))
    axes[0].set_ylabel("force (x single twitch)")
    axes[0].legend(loc="upper left", frameon=False, fontsize=7)
    return fig
