"""Panel: causes of nerve hyperexcitability -> threshold, tau_SD and ectopic spikes of the axon.

No physiology here: :mod:`widgets.models.hyperexcitability` maps each cause to a change of
the motor axon model and computes the readouts; this module draws them.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np

from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE, new_figure
from widgets.models import hyperexcitability as hx
from widgets.panels.base import FigurePanel, slider

RASTER_S = 10.0  # seconds of noisy simulation per new setting: keeps a redraw near 100 ms
NAMES = tuple(hx.MECHANISMS)


def _bars(ax, values, *, xlabel, ref=None, colour=PALETTE["blue"]):
    y = np.arange(len(NAMES))[::-1]
    bars = ax.barh(y, values, color=colour, height=0.6)
    if ref is not None:
        ax.axvline(ref, color=NORMAL_RANGE_COLOUR, linewidth=1.2)
    ax.set_yticks(y, NAMES)
    ax.set_xlabel(xlabel)
    return bars


def mechanism_twin(duration_s: float = 60.0):
    """Static twin: every mechanism at full strength; rest, threshold and ectopic spikes."""
    rs = [hx.readouts(k, 1.0, duration_s=duration_s) for k in NAMES]
    n = rs[0]
    fig, (a1, a2, a3) = new_figure(1, 3, width_in=10.5, height_in=3.6, sharey=True)
    _bars(a1, [r.resting_potential_mV - n.resting_potential_mV for r in rs],
          xlabel="resting potential change (mV)", ref=0.0, colour=PALETTE["green"])
    _bars(a2, [hx.percent_of_normal(r.threshold_nA, n.threshold_nA) for r in rs],
          xlabel="1-ms threshold (% of normal)", ref=100.0)
    _bars(a3, [60.0 * r.spontaneous_rate_hz for r in rs],
          xlabel="ectopic spikes per minute",
          colour=PALETTE["vermillion"])
    a1.set_xlim(-6, 6)
    a2.set_xlim(0, 130)
    return fig


def _raster_xy(times):
    x, y = [], []
    for t in times:
        x += [t, t, np.nan]
        y += [0.0, 1.0, np.nan]
    return (np.array(x, float), np.array(y, float)) if x else (np.array([]), np.array([]))


TITLE = "Why is this nerve too excitable? One cause at a time"


def readouts(mechanism: str = "low calcium", severity: float = 1.0) -> dict:
    """Everything the panel shows at one setting: rest, threshold and tau_SD (% of normal) and
    the ectopic spike times of a seeded ``RASTER_S`` noisy run."""
    # rest and thresholds do not depend on the noise run's length: use the shortest one here;
    # the spikes come from spike_times_s
    normal = hx.readouts("normal", 1.0, duration_s=1.0)
    r = hx.readouts(mechanism, severity, duration_s=1.0)
    return {"mechanism": mechanism, "severity": severity, "readouts": r,
            "spike_times_s": np.asarray(hx.spike_times_s(mechanism, severity,
                                                         duration_s=RASTER_S)),
            "threshold_pct": hx.percent_of_normal(r.threshold_nA, normal.threshold_nA),
            "tau_pct": hx.percent_of_normal(r.tau_sd_ms, normal.tau_sd_ms)}


def describe(res: dict) -> tuple[str, str]:
    """Alt text and readout HTML of one setting: the same words for both readers."""
    r, times, thr, tau = res["readouts"], res["spike_times_s"], res["threshold_pct"], res["tau_pct"]
    mechanism, severity = res["mechanism"], res["severity"]
    mech = hx.MECHANISMS[mechanism]
    alt = (f"{mechanism} at {severity:.1f} of the full change: threshold {thr:.0f}% and "
           f"strength-duration time constant {tau:.0f}% of normal (bars); "
           f"{len(times)} spontaneous spikes in {RASTER_S:.0f} s (tick marks).")
    readout = (f"{mech.conditions}. Model change: {mech.change}. Resting potential "
               f"<b>{r.resting_potential_mV:.1f} mV</b>; threshold <b>{thr:.0f}%</b>, "
               f"tau_SD <b>{tau:.0f}%</b> of normal; <b>{len(times)}</b> ectopic spikes "
               f"in {RASTER_S:.0f} s.")
    return alt, readout


def mechanism_panel() -> FigurePanel:
    """Live panel: choose a cause and how strong it is; see threshold, tau_SD and ectopic spikes."""
    controls = {
        "mechanism": ipw.Dropdown(options=list(NAMES), value="low calcium", description="cause"),
        "severity": slider("strength of the change", hx.SEVERITY, step=0.1, value=1.0,
                           readout_format=".1f"),
    }
    fig, (ax_b, ax_r) = new_figure(1, 2, width_in=9.0, height_in=3.0,
                                   gridspec_kw={"width_ratios": [1, 2]})
    bars = ax_b.bar([0, 1], [100.0, 100.0], color=[PALETTE["blue"], PALETTE["orange"]])
    ax_b.axhline(100.0, color=NORMAL_RANGE_COLOUR, linewidth=1.2)
    ax_b.set_xticks([0, 1], ["threshold", "tau_SD"])
    ax_b.set(ylabel="% of normal axon", ylim=(0, 160))
    (raster,) = ax_r.plot([], [], color=PALETTE["vermillion"], linewidth=1.5)
    ax_r.set(xlim=(0, RASTER_S), ylim=(-0.2, 1.2), xlabel="time (s)", yticks=[],
             title=f"ectopic spikes of one axon in {RASTER_S:.0f} s")

    def update(mechanism, severity):
        res = readouts(mechanism, severity)
        thr, tau = res["threshold_pct"], res["tau_pct"]
        bars[0].set_height(thr if np.isfinite(thr) else 0.0)
        bars[1].set_height(tau if np.isfinite(tau) else 0.0)
        raster.set_data(*_raster_xy(res["spike_times_s"]))
        return describe(res)

    panel = FigurePanel(controls, fig, update, title=TITLE)
    panel.book = mechanism_book_panel
    return panel


# ----------------------------------------------------------------- the book's (kernel-free) panel
#: Book grid: every cause x every strength step of the live slider (0.1), jointly.
BOOK_SEVERITIES = tuple(round(0.1 * i, 1) for i in range(11))


def book_setting(mechanism, severity) -> dict:
    """What the book panel stores for one setting: readout text and the chart's arrays."""
    res = readouts(mechanism, severity)
    alt, readout = describe(res)
    thr, tau = res["threshold_pct"], res["tau_pct"]
    return {"readout": readout, "alt": alt, "data": {
        "bars": {"label": ["threshold", "tau_SD"],
                 "pct": [v if np.isfinite(v) else 0.0 for v in (thr, tau)]},
        "spikes": {"t_s": res["spike_times_s"]}}}


def _book_charts() -> list[dict]:
    import altair as alt

    from widgets.panels import book_charts as bc

    bars = alt.Chart(bc.named("bars")).mark_bar().encode(
        x=alt.X("label:N", title=None, sort=["threshold", "tau_SD"],
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("pct:Q", title="% of normal axon", scale=alt.Scale(domain=[0, 160], clamp=True)),
        color=alt.Color("label:N", legend=None, scale=alt.Scale(
            domain=["threshold", "tau_SD"], range=[PALETTE["blue"], PALETTE["orange"]])))
    ticks = alt.Chart(bc.named("spikes")).mark_tick(
        orient="vertical", color=PALETTE["vermillion"], thickness=1.5, size=40).encode(
        x=alt.X("t_s:Q", title="time (s)", scale=alt.Scale(domain=[0, RASTER_S])))
    return [bc.finish(alt.layer(bars, bc.reference_rule(100.0, orient="y",
                                                        colour=NORMAL_RANGE_COLOUR)),
                      height=200, title="threshold and tau_SD"),
            bc.finish(ticks, height=80, title=f"ectopic spikes of one axon in {RASTER_S:.0f} s")]


def mechanism_book_panel():
    """Kernel-free book version: :func:`readouts` for every cause at every strength step."""
    from widgets.panels.book import BookControl, BookPanel

    controls = [BookControl("mechanism", "cause", NAMES, "low calcium"),
                BookControl("severity", "strength of the change", BOOK_SEVERITIES, 1.0,
                            fmt="{:.1f}", unit=hx.SEVERITY.unit)]
    return BookPanel(
        key="mechanism", title=TITLE, controls=controls, blocks=(("mechanism", "severity"),),
        evaluate=book_setting, charts=_book_charts(),
        decimals={"bars": {"pct": 1}, "spikes": {"t_s": 3}},
        grid_note="every cause at every strength step of 0.1; one seeded noisy run each")
