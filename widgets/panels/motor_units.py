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
from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE, new_figure
from widgets.figures.traces import nice_ceiling
from widgets.models.motor_units import (
    EXCITATION_TEACHING,
    UNIT_RATE_TEACHING_HZ,
    FuglevandPool,
    unit_mean_force,
)
from widgets.panels.base import FigurePanel, Memo, freeze_layout, slider

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


POOL_TITLE = "Recruitment and rate coding in a motor-unit pool"


def pool_readouts(excitation: float = EXCITATION_TEACHING.default, *, seed: int = 0,
                  pool: FuglevandPool | None = None) -> dict:
    """Everything the pool panel shows at one excitation: the 1 s simulation (raster), each
    unit's firing rate, the number recruited and the mean force (% of maximum)."""
    pool = pool if pool is not None else FuglevandPool(seed=seed)
    sim = pool.simulate_force(excitation, RASTER_MS, dt_ms=1.0)
    rates, n_rec, force_pct = _pool_summary(pool, excitation)
    return {"excitation": excitation, "pool": pool, "sim": sim, "rates_hz": rates,
            "n_recruited": n_rec, "force_pct": force_pct}


def describe_pool(r: dict) -> tuple[str, str]:
    """Alt text and readout HTML of one excitation: the same words for both readers."""
    pool, rates, n_rec, force_pct = r["pool"], r["rates_hz"], r["n_recruited"], r["force_pct"]
    top = rates.max() if n_rec else 0.0
    alt = (f"Motor-unit pool at excitation {r['excitation']:.1f}: {n_rec} of {pool.n_units} "
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
    model = Memo(pool_readouts)  # settings shown or primed are not computed again

    def update(excitation):
        r = model(excitation, pool=pool)
        raster.set_data(*raster_xy(r["sim"]))
        rate_line.set_ydata(r["rates_hz"])
        marker.set_data([excitation], [r["force_pct"]])
        ref["last"] = r["sim"]
        if "panel" in ref:
            ref["panel"].last_result = r["sim"]
        return describe_pool(r)

    freeze_layout(fig)
    panel = FigurePanel(controls, fig, update, title=POOL_TITLE, model=model)
    ref["panel"] = panel
    panel.last_result = ref["last"]
    panel.book = lambda: motor_unit_pool_book_panel(seed)
    return panel


#: Book grid of the pool panel: excitation in steps of 1 over its whole range.
BOOK_EXCITATIONS = tuple(float(e) for e in range(51))


def pool_book_setting(excitation, *, pool) -> dict:
    """What the book panel stores at one excitation (spike times in whole ms: the simulation's
    1 ms grid)."""
    r = pool_readouts(excitation, pool=pool)
    alt, readout = describe_pool(r)
    dts, units = [], []
    for i, st in enumerate(r["sim"].spike_times_ms):
        if st.size:
            dts += np.round(st).tolist()
            units += [i + 1] * st.size
    e_curve = np.linspace(0.0, EXCITATION_TEACHING.high, 101)
    return {"readout": readout, "alt": alt, "data": {
        "raster": {"t_ms": dts, "unit": units},
        "rates": {"unit": np.arange(1, pool.n_units + 1), "rate_hz": r["rates_hz"],
                  "peak_hz": pool.peak_firing_rates_hz},
        "force": {"e": e_curve,
                  "pct": [100.0 * pool.mean_force(x) / pool.max_force() for x in e_curve]},
        "marker": {"e": [excitation], "pct": [r["force_pct"]]},
    }}


def _pool_book_charts(pool) -> list[dict]:
    import altair as alt

    from widgets.models.motor_units import twitch
    from widgets.panels import book_charts as bc

    raster = alt.Chart(bc.named("raster")).mark_tick(
        orient="vertical", color=PALETTE["blue"], thickness=1, size=4).encode(
        x=alt.X("t_ms:Q", title="time (ms)", scale=alt.Scale(domain=[0, RASTER_MS])),
        y=alt.Y("unit:Q", title="unit (recruitment order)",
                scale=alt.Scale(domain=[0, pool.n_units + 1])))
    unit_x = alt.X("unit:Q", title="motor unit (recruitment order)",
                   scale=alt.Scale(domain=[0, pool.n_units + 1]))
    peak = alt.Chart(bc.named("rates")).mark_line(
        color=NORMAL_RANGE_COLOUR, strokeDash=[5, 3]).encode(x=unit_x, y="peak_hz:Q")
    rates = alt.Chart(bc.named("rates")).mark_line(
        color=PALETTE["vermillion"], interpolate="step").encode(
        x=unit_x, y=alt.Y("rate_hz:Q", title="firing rate (Hz)", scale=alt.Scale(domain=[0, 40])))
    ex = alt.X("e:Q", title="excitation (a.u.)", scale=alt.Scale(domain=[0, 50]))
    force = alt.Chart(bc.named("force")).mark_line(color=PALETTE["green"]).encode(
        x=ex, y=alt.Y("pct:Q", title="mean force (% of max)", scale=alt.Scale(domain=[0, 105])))
    marker = alt.Chart(bc.named("marker")).mark_point(
        filled=True, size=60, color=PALETTE["black"]).encode(x="e:Q", y="pct:Q")
    allrec = bc.reference_rule(float(pool.recruitment_thresholds[-1]),
                               colour=NORMAL_RANGE_COLOUR, dash=[2, 2])
    t = np.linspace(0.0, 400.0, 201)
    rows, names = [], []
    for u in (0, -1):
        i = u % pool.n_units
        name = (f"unit {i + 1}: peak {pool.peak_twitch[i]:.0f} a.u., "
                f"T = {pool.contraction_time_ms[i]:.0f} ms")
        names.append(name)
        rows += [{"t": float(a), "f": float(b), "unit": name}
                 for a, b in zip(t, twitch(t, 1.0, pool.contraction_time_ms[i]), strict=True)]
    twitches = alt.Chart(alt.Data(values=rows)).mark_line().encode(
        x=alt.X("t:Q", title="time after one discharge (ms)"),
        y=alt.Y("f:Q", title="twitch (x its peak)"),
        color=alt.Color("unit:N", title=None, scale=alt.Scale(
            domain=names, range=[PALETTE["blue"], PALETTE["vermillion"]]),
            legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=300)))
    return [bc.finish(raster, height=200, title="discharges (1 s)", renderer="canvas"),
            bc.finish(alt.layer(peak, rates), height=200,
                      title="firing rate of each unit (dashed: its peak rate)"),
            bc.finish(alt.layer(allrec, force, marker), height=200,
                      title="mean force (dotted: all units recruited)"),
            bc.finish(twitches, height=200, title="one twitch: smallest vs largest unit")]


def motor_unit_pool_book_panel(seed: int = 0):
    """Kernel-free book version of the pool panel: :func:`pool_readouts` at every excitation
    step of 1 (the live slider moves in steps of 0.5)."""
    from widgets.panels.book import BookControl, BookPanel

    pool = FuglevandPool(seed=seed)
    controls = [BookControl("excitation", "excitation", BOOK_EXCITATIONS,
                            EXCITATION_TEACHING.default, fmt="{:.1f}",
                            unit=EXCITATION_TEACHING.unit)]
    return BookPanel(
        key="motor-unit-pool" if seed == 0 else f"motor-unit-pool-seed{seed}",
        title=POOL_TITLE, controls=controls, blocks=(("excitation",),),
        evaluate=lambda excitation: pool_book_setting(excitation, pool=pool),
        charts=_pool_book_charts(pool),
        decimals={"raster": {"t_ms": 0, "unit": 0}, "rates": {"rate_hz": 2, "peak_hz": 2},
                  "force": {"e": 2, "pct": 2}, "marker": {"pct": 2}},
        grid_note="every excitation step of 1; the spikes are one seeded simulation each")


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


SUMMATION_TITLE = "Twitch summation: from single twitches to tetanus"


def summation_readouts(rate_hz: float = UNIT_RATE_TEACHING_HZ.default,
                       unit: str = "slowest (first recruited)", *,
                       pool: FuglevandPool | None = None) -> dict:
    """Everything the summation panel shows: one unit's force at one rate (x its twitch peak),
    and that unit's mean force against rate (:data:`SUMMATION_RATES_HZ`)."""
    pool = pool if pool is not None else FuglevandPool()
    i = UNIT_CHOICES[unit] % pool.n_units
    r = pool.unit_force(i, rate_hz, SUMMATION_MS)
    curve = (unit_mean_force(SUMMATION_RATES_HZ, pool.peak_twitch[i], pool.contraction_time_ms[i])
             / pool.peak_twitch[i])
    return {"rate_hz": rate_hz, "unit": unit, "force": r, "curve": curve}


def _fusion_state(fusion: float) -> str:
    return ("separate twitches" if fusion < 0.3 else
            "unfused tetanus (summing, rippled)" if fusion < 0.9 else "fused tetanus (smooth)")


def describe_summation(res: dict) -> tuple[str, str]:
    """Alt text and readout HTML of one setting: the same words for both readers."""
    r, unit, rate_hz = res["force"], res["unit"], res["rate_hz"]
    state = _fusion_state(r.fusion)
    alt = (f"Force of the {unit} unit (contraction time {r.contraction_time_ms:.0f} ms) "
           f"firing at {rate_hz:.0f} Hz over {SUMMATION_MS:.0f} ms: {state}; steady mean "
           f"{r.steady_mean / r.peak:.1f} times one twitch, fusion {100 * r.fusion:.0f}%. "
           "Right: mean force against firing rate with the current rate marked.")
    readout = (f"{rate_hz:.0f} Hz: <b>{state}</b>; mean force "
               f"{r.steady_mean / r.peak:.1f} x one twitch; fusion {100 * r.fusion:.0f}%")
    return alt, readout


SUMMATION_RATES_HZ = np.linspace(UNIT_RATE_TEACHING_HZ.low, UNIT_RATE_TEACHING_HZ.high, 99)


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
    first = summation_readouts(controls["rate_hz"].value, controls["unit"].value, pool=pool)
    res = first["force"]
    line, ticks = plot_unit_force(res, ax)
    ax.set_xlim(0, SUMMATION_MS)
    (curve,) = ax_curve.plot(SUMMATION_RATES_HZ, first["curve"], color=PALETTE["green"])
    (point,) = ax_curve.plot([res.rate_hz], [res.steady_mean / res.peak], "o",
                             color=PALETTE["black"])
    ax_curve.set(xlabel="firing rate (Hz)", ylabel="mean force (x single twitch)",
                 ylim=(0, 10))
    ax.set_ylabel("force (x single twitch peak)")
    ref: dict = {}
    model = Memo(summation_readouts)  # settings shown or primed are not computed again

    def update(rate_hz, unit):
        res = model(rate_hz, unit, pool=pool)
        r = res["force"]
        line.set_data(r.t_ms, r.force / r.peak)
        ticks.set_data(r.spike_times_ms, np.zeros_like(r.spike_times_ms))
        ax.set_ylim(0, nice_ceiling(max(1.1, 1.1 * float(r.force.max() / r.peak))))
        curve.set_ydata(res["curve"])
        point.set_data([rate_hz], [r.steady_mean / r.peak])
        ref["last"] = r
        if "panel" in ref:
            ref["panel"].last_result = r
        return describe_summation(res)

    # fixed margins: the force axis rescales, so tick labels change width between redraws
    fig.set_layout_engine(None)
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.16, top=0.95, wspace=0.3)
    panel = FigurePanel(controls, fig, update, title=SUMMATION_TITLE, model=model)
    ref["panel"] = panel
    panel.last_result = ref["last"]
    panel.book = twitch_summation_book_panel
    return panel


#: Book grid of the summation panel: every rate of the live slider (1 Hz steps) for both units.
BOOK_RATES_HZ = tuple(float(f) for f in range(int(UNIT_RATE_TEACHING_HZ.low),
                                               int(UNIT_RATE_TEACHING_HZ.high) + 1))


def summation_book_setting(rate_hz, unit, *, pool) -> dict:
    """What the book panel stores for one setting: readout text and the chart's arrays."""
    res = summation_readouts(rate_hz, unit, pool=pool)
    alt, readout = describe_summation(res)
    r = res["force"]
    step = max(1, r.t_ms.size // 500)
    return {"readout": readout, "alt": alt, "data": {
        "force": {"t_ms": r.t_ms[::step], "f": (r.force / r.peak)[::step]},
        "spikes": {"t_ms": r.spike_times_ms},
        "curve": {"rate_hz": SUMMATION_RATES_HZ, "f": res["curve"]},
        "point": {"rate_hz": [rate_hz], "f": [r.steady_mean / r.peak]},
    }}


def _summation_book_charts() -> list[dict]:
    import altair as alt

    from widgets.panels import book_charts as bc

    force = alt.Chart(bc.named("force")).mark_line(color=PALETTE["blue"]).encode(
        x=alt.X("t_ms:Q", title="time (ms)", scale=alt.Scale(domain=[0, SUMMATION_MS])),
        y=alt.Y("f:Q", title="force (x twitch peak)", scale=alt.Scale(domainMin=0)))
    spikes = alt.Chart(bc.named("spikes")).mark_tick(
        orient="vertical", color=PALETTE["black"], size=8).encode(x="t_ms:Q", y=alt.datum(0))
    curve = alt.Chart(bc.named("curve")).mark_line(color=PALETTE["green"]).encode(
        x=alt.X("rate_hz:Q", title="firing rate (Hz)"),
        y=alt.Y("f:Q", title="mean force (x single twitch)", scale=alt.Scale(domain=[0, 10],
                                                                              clamp=True)))
    point = alt.Chart(bc.named("point")).mark_point(
        filled=True, size=60, color=PALETTE["black"]).encode(x="rate_hz:Q", y="f:Q")
    return [bc.finish(alt.layer(force, spikes), height=220,
                      title="force of one unit (ticks: its discharges)"),
            bc.finish(alt.layer(curve, point), height=220,
                      title="mean force against firing rate")]


def twitch_summation_book_panel():
    """Kernel-free book version: :func:`summation_readouts` at every rate for both units."""
    from widgets.panels.book import BookControl, BookPanel

    pool = FuglevandPool()
    controls = [BookControl("rate_hz", "firing rate", BOOK_RATES_HZ,
                            UNIT_RATE_TEACHING_HZ.default, fmt="{:.0f}",
                            unit=UNIT_RATE_TEACHING_HZ.unit),
                BookControl("unit", "unit", tuple(UNIT_CHOICES), "slowest (first recruited)")]
    return BookPanel(
        key="twitch-summation", title=SUMMATION_TITLE, controls=controls,
        blocks=(("rate_hz", "unit"),),
        evaluate=lambda rate_hz, unit: summation_book_setting(rate_hz, unit, pool=pool),
        charts=_summation_book_charts(), wide=(0,),
        decimals={"force": {"t_ms": 1, "f": 3}, "spikes": {"t_ms": 1}, "curve": {"f": 3},
                  "point": {"f": 3}},
        grid_note="every rate of the live slider (1 Hz steps) for both units, jointly")


def twitch_summation_twin():
    """Static twin: the slowest and fastest unit at 2, 8, 15, 30 and 50 Hz."""
    pool = FuglevandPool()
    fig, axes = new_figure(1, len(TWIN_RATES_HZ), width_in=11.0, height_in=2.8, sharey=True)
    for k, f in enumerate(TWIN_RATES_HZ):
        # the fastest unit dashed too: blue and vermillion print as near-equal greys
        for u, colour, style, name in ((0, PALETTE["blue"], "-", "slowest"),
                                       (pool.n_units - 1, PALETTE["vermillion"], "--", "fastest")):
            r = pool.unit_force(u, f, SUMMATION_MS)
            axes[k].plot(r.t_ms, r.force / r.peak, color=colour, linestyle=style,
                         label=f"{name} (T = {r.contraction_time_ms:.0f} ms)")
        axes[k].set(title=f"{f:g} Hz", xlabel="time (ms)", xlim=(0, SUMMATION_MS))
    axes[0].set_ylabel("force (x single twitch)")
    axes[0].legend(loc="upper left", frameon=False, fontsize=7)
    return fig
