"""Live panel: extracellular K+, Ca2+, Mg2+ and Na+ -> human motor-axon excitability.

The panel holds no physiology: it maps four concentration sliders (ranges from
:data:`widgets.models.motor_axon.CONC_OUT_RANGES_mM`) to
:func:`widgets.models.motor_axon.excitability` and to one noisy run of
:func:`widgets.models.ectopic.simulate_noisy`, then updates the existing artists. The
spontaneous rate shown is from that short run (1 s of simulated time, fixed seed): its
resolution is one spike per second, so "0" means "rarer than about once a second".
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import MaxNLocator

from widgets.figures import excitability as fx
from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE, new_figure
from widgets.models import ectopic
from widgets.models import motor_axon as ma
from widgets.panels.base import FigurePanel, Memo, slider

ION_LABELS = {"K": "K+", "Ca": "ionized Ca2+", "Mg": "ionized Mg2+", "Na": "Na+"}
SLIDER_STEPS = {"K": 0.1, "Ca": 0.02, "Mg": 0.05, "Na": 1.0}
PANEL_RUN_ms = 1000.0
PANEL_SEED = 0
TITLE = "Electrolytes and the excitability of a human motor axon"
BAR_LABELS = ("threshold (1 ms)", "rheobase")
TRACE_TITLE = "Distal node with channel noise (grey band: normal rest, -80 to -85 mV)"
TWIN_LEVELS = {"K": (2.5, 4.0, 7.0), "Ca": (0.6, 1.2, 2.0), "Mg": (0.3, 0.55, 2.0),
               "Na": (120.0, 140.0, 160.0)}


def _fmt_nA(x: float) -> str:
    return f"{x:.3f} nA" if math.isfinite(x) else "none up to 50 nA (inexcitable)"


def _fmt_ms(x: float) -> str:
    return f"{x:.2f} ms" if math.isfinite(x) else "n/a"


def _model(conc: dict[str, float]):
    """Deterministic readouts plus one noisy run; the rate is that run's spike count."""
    rest, t1, t02, rheo, tau = ma.threshold_readouts(conc)
    trace = ectopic.simulate_noisy(conc, duration_ms=PANEL_RUN_ms, seed=PANEL_SEED,
                                   record_every=10)
    rate = trace.spike_times_ms.size / (PANEL_RUN_ms / 1e3)
    exc = ma.Excitability(resting_potential_mV=rest, threshold_nA=t1, threshold_0p2ms_nA=t02,
                          rheobase_nA=rheo, strength_duration_time_constant_ms=tau,
                          spontaneous_rate_hz=rate, excitable=bool(math.isfinite(t1)))
    return exc, trace


def _relative(exc, normal) -> np.ndarray:
    vals = []
    for a, b in ((exc.threshold_nA, normal.threshold_nA), (exc.rheobase_nA, normal.rheobase_nA)):
        vals.append(100.0 * a / b if math.isfinite(a) else 250.0)
    return np.array(vals)


_NORMAL: dict = {}


def _normal():
    if not _NORMAL:
        _NORMAL["exc"] = _model({})[0]
    return _NORMAL["exc"]


def readouts(K: float = 4.0, Ca: float = 1.2, Mg: float = 0.55, Na: float = 140.0) -> dict:
    """Everything the panel shows at one setting (plain numbers and arrays, from the models).

    ``excitability`` (:class:`~widgets.models.motor_axon.Excitability`) and ``normal`` (the same
    at normal values); ``relative_pct``: 1-ms threshold and rheobase as % of normal (250 where
    the axon is inexcitable); ``n_spikes`` in the noisy ``trace`` of ``PANEL_RUN_ms``.
    """
    conc = {"K": K, "Ca": Ca, "Mg": Mg, "Na": Na}
    exc, trace = _model(conc)
    normal = _normal()
    return {"conc": conc, "excitability": exc, "normal": normal,
            "relative_pct": _relative(exc, normal), "trace": trace,
            "n_spikes": int(trace.spike_times_ms.size)}


def describe(r: dict) -> tuple[str, str]:
    """Alt text and readout HTML of one setting: the same words for both readers."""
    exc, normal, rel, n_spikes = r["excitability"], r["normal"], r["relative_pct"], r["n_spikes"]
    c = r["conc"]
    state = "inexcitable (depolarisation block)" if not exc.excitable else "excitable"
    alt = (f"Motor axon at K {c['K']:.1f}, Ca {c['Ca']:.2f}, Mg {c['Mg']:.2f}, Na {c['Na']:.0f} "
           f"mmol/L: resting potential {exc.resting_potential_mV:.1f} mV; threshold "
           f"{rel[0]:.0f} % and rheobase {rel[1]:.0f} % of normal ({state}); "
           f"{n_spikes} spontaneous spikes in the {PANEL_RUN_ms / 1e3:g} s noisy trace.")
    readout = (
        "<table>"
        f"<tr><td>resting potential</td><td>{exc.resting_potential_mV:.1f} mV "
        f"(normal {normal.resting_potential_mV:.1f})</td></tr>"
        f"<tr><td>threshold, 1 ms pulse</td><td>{_fmt_nA(exc.threshold_nA)} "
        f"(normal {normal.threshold_nA:.3f})</td></tr>"
        f"<tr><td>rheobase</td><td>{_fmt_nA(exc.rheobase_nA)}</td></tr>"
        f"<tr><td>strength-duration time constant</td>"
        f"<td>{_fmt_ms(exc.strength_duration_time_constant_ms)}</td></tr>"
        f"<tr><td>spontaneous spikes</td><td>{n_spikes} in {PANEL_RUN_ms / 1e3:g} s</td></tr>"
        "</table>")
    return alt, readout


def _slider_label(ion: str) -> str:
    lo, hi = ma.NORMAL_RANGES_mM[ion]
    return f"{ION_LABELS[ion]} [normal {lo:g}-{hi:g}]"


def electrolyte_panel() -> FigurePanel:
    """Live panel: four electrolyte sliders -> resting potential, threshold, rheobase, rate."""
    controls = {ion: slider(_slider_label(ion), ma.CONC_OUT_RANGES_mM[ion],
                            step=SLIDER_STEPS[ion]) for ion in ("K", "Ca", "Mg", "Na")}
    normal = _normal()
    fig, _ = new_figure(1, 1, width_in=7.0, height_in=4.6)
    fig.clear()
    axd = fig.subplot_mosaic([["bars", "rate"], ["trace", "trace"]],
                             gridspec_kw={"height_ratios": [1.0, 1.7]})
    fig.set_layout_engine("constrained")
    ax_bars, ax_rate, ax_tr = axd["bars"], axd["rate"], axd["trace"]
    bars = fx.plot_relative_bars([b.replace(" (", "\n(") for b in BAR_LABELS], [100.0, 100.0],
                                 ax_bars)
    ax_bars.set_title("Threshold current at the node", fontsize=9)
    rate_bar = fx.plot_rate_gauge(0.0, ax_rate, normal_rate_hz=None, rate_floor_hz=0.1,
                                  rate_max_hz=100.0)
    ax_rate.set_title(f"Spontaneous spikes in a {PANEL_RUN_ms / 1e3:g} s run", fontsize=9)
    empty = ma.Trace(np.array([0.0, PANEL_RUN_ms]), np.array([-82.0, -82.0]), np.zeros(0))
    line, ticks = fx.plot_trace(empty, ax_tr)
    line.set_antialiased(False)
    ax_tr.axhspan(-85.0, -80.0, color=NORMAL_RANGE_COLOUR, alpha=0.5, lw=0, zorder=0)
    rest_line = ax_tr.axhline(normal.resting_potential_mV, color=PALETTE["green"], lw=1.0,
                              ls="--")
    ax_tr.set_xlim(0, PANEL_RUN_ms)
    ax_tr.set_ylim(-100, 55)
    ax_tr.set_title(TRACE_TITLE, fontsize=9)

    holder: dict = {}
    model = Memo(readouts)  # settings shown or primed are not computed again

    def update(K, Ca, Mg, Na):
        r = model(K, Ca, Mg, Na)
        exc, trace = r["excitability"], r["trace"]
        for bar, value in zip(bars, r["relative_pct"], strict=True):
            bar.set_width(float(np.clip(value, 0.0, 250.0)))
        rate = r["n_spikes"] / (PANEL_RUN_ms / 1e3)
        rate_bar[0].set_width(max(rate, 0.1) - 0.1)
        line.set_data(*fx.envelope(trace.t_ms, np.clip(trace.v_mV, -100.0, 55.0), 500))
        st = trace.spike_times_ms
        ticks.set_offsets(np.column_stack([st, np.full(st.shape, 45.0)]) if st.size
                          else np.zeros((0, 2)))
        rest_line.set_ydata([exc.resting_potential_mV] * 2)
        holder["result"] = exc
        if "panel" in holder:
            holder["panel"].last_result = exc
        return describe(r)

    # Lay the figure out once, then freeze the layout: redraws only move artists.
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    panel = FigurePanel(controls, fig, update, title=TITLE, model=model)
    panel.last_result = holder["result"]
    panel.book = electrolyte_book_panel
    holder["panel"] = panel
    return panel


# ----------------------------------------------------------------- the book's (kernel-free) panel
#: Grid of the book panel. K+ x Ca2+ jointly over the whole valid range of each (0.1 mmol/L
#: steps where the lessons' "Try this" prompts go, coarser beyond); K+ 3.0-4.5 x Ca2+ 0.8-1.2
#: jointly with Mg2+ at 0.35 (lesson 2.4's combination); every Mg2+ and Na+ value one at a time
#: (the others normal).
BOOK_VALUES = {
    "K": (1.5, 2.0, 2.5, *(round(3.0 + 0.1 * i, 1) for i in range(21)), 5.5, 6.0, 7.0, 8.0,
          9.0, 10.0),
    "Ca": (*(round(0.4 + 0.1 * i, 1) for i in range(13)), 1.8, 2.0, 2.2, 2.5),
    "Mg": (0.2, 0.35, 0.45, 0.55, 0.7, 1.0, 2.0, 3.0),
    "Na": (110.0, 120.0, 130.0, 136.0, 140.0, 145.0, 150.0, 160.0, 170.0),
}
BOOK_BLOCKS = (("K", "Ca"),
               {"K": tuple(round(3.0 + 0.1 * i, 1) for i in range(16)),
                "Ca": (0.8, 0.9, 1.0, 1.1, 1.2), "Mg": (0.35, 0.55)},
               ("Mg",), ("Na",))
BOOK_TRACE_BINS = 150


def book_setting(K, Ca, Mg, Na) -> dict:
    """What the book panel stores for one setting: readout text and the chart's arrays."""
    r = readouts(K, Ca, Mg, Na)
    alt, readout = describe(r)
    t, v = fx.envelope(r["trace"].t_ms, np.clip(r["trace"].v_mV, -100.0, 55.0), BOOK_TRACE_BINS)
    return {"readout": readout, "alt": alt, "data": {
        "bars": {"label": list(BAR_LABELS), "pct": np.clip(r["relative_pct"], 0.0, 250.0)},
        "rate": {"rate_hz": [r["n_spikes"] / (PANEL_RUN_ms / 1e3)]},
        "trace": {"t_ms": t, "v_mV": v},
        "spikes": {"t_ms": r["trace"].spike_times_ms},
        "rest": {"v_mV": [r["excitability"].resting_potential_mV]},
    }}


def _book_charts() -> list[dict]:
    import altair as alt

    from widgets.panels import book_charts as bc

    bars = alt.Chart(bc.named("bars")).mark_bar(color=PALETTE["blue"]).encode(
        x=alt.X("pct:Q", title="% of normal", scale=alt.Scale(domain=[0, 250])),
        y=alt.Y("label:N", title=None, sort=list(BAR_LABELS)))
    bars_chart = alt.layer(bc.reference_band(90, 110), bars, bc.reference_rule(100))
    # the bar's row is named by its count ("0 spikes", "37 spikes"): a run without spikes has no
    # bar on the log axis, and an unlabelled empty gauge looked broken
    rate = alt.Chart(bc.named("rate")).transform_calculate(
        shown="max(datum.rate_hz, 0.1)", count=f"round(datum.rate_hz * {PANEL_RUN_ms / 1e3:g})",
        words="datum.count + (datum.count == 1 ? ' spike' : ' spikes')",
    ).mark_bar(color=PALETTE["vermillion"]).encode(
        x=alt.X("shown:Q", title="spikes per second (Hz, log scale)",
                scale=alt.Scale(type="log", domain=[0.1, 100]),
                axis=alt.Axis(values=[0.1, 1, 10, 100], format="~g")),
        x2=alt.datum(0.1), y=alt.Y("words:N", title=None,
                                   axis=alt.Axis(labelFontWeight="bold", labelFontSize=bc.FONT_PX)))
    trace = alt.Chart(bc.named("trace")).mark_line(color=PALETTE["blue"], strokeWidth=1).encode(
        x=alt.X("t_ms:Q", title="time (ms)", scale=alt.Scale(domain=[0, PANEL_RUN_ms])),
        y=alt.Y("v_mV:Q", title="node potential (mV)", scale=alt.Scale(domain=[-100, 55])))
    spikes = alt.Chart(bc.named("spikes")).mark_point(
        shape="triangle-down", filled=True, size=50, color=PALETTE["vermillion"]).encode(
        x="t_ms:Q", y=alt.datum(45))
    rest = alt.Chart(bc.named("rest")).mark_rule(color=PALETTE["green"],
                                                strokeDash=[4, 3]).encode(y="v_mV:Q")
    trace_chart = alt.layer(bc.reference_band(-85, -80, orient="y"), trace, rest, spikes)
    return [bc.finish(bars_chart, height=110, title="Threshold current at the node"),
            bc.finish(rate, height=70,
                      title=f"Spontaneous spikes in a {PANEL_RUN_ms / 1e3:g} s run"),
            bc.finish(trace_chart, height=220,
                      title=["Distal node with channel noise",
                             "(grey band: normal rest, -80 to -85 mV)"])]


def electrolyte_book_panel():
    """Kernel-free book version: :func:`readouts` over :data:`BOOK_VALUES` (see BOOK_BLOCKS)."""
    from widgets.panels.book import BookControl, BookPanel

    controls = [BookControl(ion, _slider_label(ion), BOOK_VALUES[ion],
                            ma.CONC_OUT_RANGES_mM[ion].default, fmt="{:.2f}",
                            unit=ma.CONC_OUT_RANGES_mM[ion].unit)
                for ion in ("K", "Ca", "Mg", "Na")]
    return BookPanel(
        key="electrolytes", title=TITLE, controls=controls, blocks=BOOK_BLOCKS,
        evaluate=book_setting, charts=_book_charts(), wide=(2,),
        decimals={"bars": {"pct": 1}, "rate": {"rate_hz": 0}, "trace": {"t_ms": 1, "v_mV": 0},
                  "spikes": {"t_ms": 1}, "rest": {"v_mV": 1}},
        grid_note=("K⁺ and Ca²⁺ jointly over their whole ranges; K⁺ 3.0-4.5 and Ca²⁺ 0.8-1.2 "
                   "also with Mg²⁺ at 0.35; every Mg²⁺ and Na⁺ value one at a time, the others "
                   "normal; noisy runs from a fixed seed"))


def electrolyte_twin():
    """Static twin: low / normal / high value of each ion (one row per ion, others normal).

    Left: threshold (1 ms) as % of normal; middle: resting potential; right: spontaneous
    spikes in a 20 s noisy run (same seed for every bar).
    """
    fig, axes = new_figure(4, 3, width_in=8.0, height_in=8.0)
    normal = ma.excitability(None, rate_duration_s=0.1)
    for row, ion in enumerate(("K", "Ca", "Mg", "Na")):
        labels, thr, rest, spikes = [], [], [], []
        for level in TWIN_LEVELS[ion]:
            exc = ma.excitability({ion: level}, rate_duration_s=20.0, seed=0)
            labels.append(f"{level:g}")
            thr.append(100.0 * exc.threshold_nA / normal.threshold_nA
                       if math.isfinite(exc.threshold_nA) else np.nan)
            rest.append(exc.resting_potential_mV)
            spikes.append(exc.spontaneous_rate_hz * 20.0)
        colours = [PALETTE["sky"], PALETTE["black"], PALETTE["vermillion"]]
        x = np.arange(3)
        ax = axes[row, 0]
        ax.bar(x, thr, color=colours)
        ax.axhline(100.0, color="0.4", lw=0.8)
        ax.set_xticks(x, labels)
        ax.set_ylabel(f"{ION_LABELS[ion]}\nthreshold (% normal)")
        ax = axes[row, 1]
        ax.bar(x, np.array(rest) + 100.0, bottom=-100.0, color=colours)
        ax.set_ylim(-100, -50)
        ax.set_xticks(x, labels)
        ax.set_ylabel("resting potential (mV)")
        ax = axes[row, 2]
        # the count written on each bar: a row of zeros is a result, not an empty plot
        ax.bar_label(ax.bar(x, spikes, color=colours), fmt="%.0f", padding=2, fontsize=8)
        ax.set_ylim(0, max(5.0, 1.25 * max(spikes)))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))  # counts: no 2.5 spikes
        ax.set_xticks(x, labels)
        ax.set_ylabel("spikes in 20 s")
        for c in range(3):
            axes[row, c].set_xlabel(f"{ION_LABELS[ion]} (mmol/L)")
    fig.suptitle("Motor-axon model: low / normal / high value of each ion (others normal)")
    return fig
