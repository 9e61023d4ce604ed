"""Panel: current step and temperature -> the squid-axon (HH 1952) membrane potential.

No physiology here: :func:`widgets.models.squid_axon.simulate` computes, the figure module
draws, this module wires sliders to both.
"""

from __future__ import annotations

from widgets.figures import action_potential as fig_ap
from widgets.figures.style import CYCLE, PALETTE, new_figure
from widgets.models import squid_axon
from widgets.panels.base import FigurePanel, freeze_layout, slider

DURATION_ms = 100.0
TWIN_CURRENTS_uA_cm2 = (1.0, 3.0, 10.0)
TWIN_TEMPS_C = (6.3, 20.0, 37.0)



def _describe(trace) -> tuple[str, str]:
    """Plain description of the response (for alt text and readout): counts only."""
    n = trace.n_spikes
    if n == 0:
        kind = "no action potential"
    elif n == 1:
        kind = "a single action potential"
    else:
        kind = f"{n} action potentials"
    if n >= 2:
        isi_ms = (trace.spike_times_ms[-1] - trace.spike_times_ms[0]) / (n - 1)
        rate = f"mean rate {1e3 / isi_ms:.0f} Hz"
    else:
        rate = "no repetitive firing"
    return kind, rate


TITLE = "Action potentials of the squid giant axon (Hodgkin & Huxley 1952)"


def readouts(current_uA_cm2: float = 10.0, temp_c: float = 6.3) -> dict:
    """Everything the panel shows at one setting: the 100 ms trace and its spike count."""
    trace = squid_axon.simulate(current_uA_cm2, DURATION_ms, temp_c)
    return {"current_uA_cm2": current_uA_cm2, "temp_c": temp_c, "trace": trace}


def describe(r: dict) -> tuple[str, str]:
    """Alt text and readout HTML of one setting: the same words for both readers."""
    trace, current_uA_cm2, temp_c = r["trace"], r["current_uA_cm2"], r["temp_c"]
    kind, rate = _describe(trace)
    alt = (f"Membrane potential of the Hodgkin-Huxley squid axon over {DURATION_ms:.0f} ms "
           f"after a {current_uA_cm2:.1f} µA/cm² current step at {temp_c:.1f} °C: "
           f"{kind}, {rate}; the trace starts at rest near -65 mV.")
    readout = (f"<b>{trace.n_spikes}</b> spikes in {DURATION_ms:.0f} ms ({rate}); "
               f"peak {trace.v_mV.max():+.0f} mV.")
    return alt, readout


def _chart_title(current_uA_cm2, temp_c) -> str:
    return f"HH squid axon: {current_uA_cm2:.1f} µA/cm² step at {temp_c:.1f} °C"


def action_potential_panel() -> FigurePanel:
    """Live panel: step current (µA/cm²) and temperature (°C) -> 100 ms voltage trace."""
    controls = {
        "current_uA_cm2": slider("current step", squid_axon.STEP_CURRENT_RANGE_uA_cm2,
                                 step=0.1),
        "temp_c": slider("temperature", squid_axon.TEMP_RANGE_C, step=0.1,
                         readout_format=".1f"),
    }
    fig, ax = new_figure(1, 1, width_in=7.0, height_in=3.0)
    first = readouts(controls["current_uA_cm2"].value, controls["temp_c"].value)["trace"]
    line = fig_ap.plot_trace(first, ax)
    # Reserve the title's height before the layout is frozen (an empty title reserves none).
    title = ax.set_title(_chart_title(0.0, 6.3))
    state: dict = {}

    def update(current_uA_cm2, temp_c):
        r = readouts(current_uA_cm2, temp_c)
        trace = r["trace"]
        line.set_data(trace.t_ms, trace.v_mV)
        title.set_text(_chart_title(current_uA_cm2, temp_c))
        state["trace"] = trace
        if "panel" in state:
            state["panel"].last_result = trace
        return describe(r)

    freeze_layout(fig)
    panel = FigurePanel(controls, fig, update, title=TITLE)
    state["panel"] = panel
    panel.last_result = state["trace"]
    panel.book = action_potential_book_panel
    return panel


# ----------------------------------------------------------------- the book's (kernel-free) panel
#: Book grid: every current in 0.1 µA/cm² steps at 6.3 °C (the lesson's search for rheobase and
#: the onset of repetitive firing); every temperature in 0.5 °C steps at 10 µA/cm²; and a coarse
#: joint grid of both. Other combinations fall back to the nearest of these (the panel says so).
BOOK_CURRENTS = tuple(round(0.1 * i, 1) for i in range(301))
BOOK_TEMPS = tuple(round(0.5 * i, 1) for i in range(91)) + (6.3, 37.0)
BOOK_TEMPS = tuple(sorted(set(BOOK_TEMPS)))
BOOK_BLOCKS = (
    {"current_uA_cm2": None},
    {"temp_c": None},
    {"current_uA_cm2": (0.0, 1.0, 2.0, 2.5, 3.0, 4.0, 5.0, 7.5, 10.0, 15.0, 20.0, 25.0, 30.0),
     "temp_c": (0.0, 6.3, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 37.0, 40.0, 45.0)},
)
BOOK_TRACE_BINS = 150


def book_setting(current_uA_cm2, temp_c) -> dict:
    """What the book panel stores for one setting: readout text and the chart's arrays."""
    from widgets.figures.excitability import envelope

    r = readouts(current_uA_cm2, temp_c)
    alt, readout = describe(r)
    t, v = envelope(r["trace"].t_ms, r["trace"].v_mV, BOOK_TRACE_BINS)
    return {"readout": readout, "alt": alt,
            "data": {"trace": {"t_ms": t, "v_mV": v}}}


def _book_charts() -> list[dict]:
    import altair as alt

    from widgets.panels import book_charts as bc

    line = alt.Chart(bc.named("trace")).mark_line(color=PALETTE["blue"], strokeWidth=1.2).encode(
        x=alt.X("t_ms:Q", title="time (ms)", scale=alt.Scale(domain=[0, DURATION_ms])),
        y=alt.Y("v_mV:Q", title="membrane potential (mV)",
                scale=alt.Scale(domain=list(fig_ap.VOLTAGE_LIMITS_mV))))
    zero = bc.reference_rule(0.0, orient="y", dash=[2, 2])
    return [bc.finish(alt.layer(zero, line), height=240,
                      title="membrane potential after the current step")]


def action_potential_book_panel():
    """Kernel-free book version: :func:`readouts` over the grid of BOOK_BLOCKS."""
    from widgets.panels.book import BookControl, BookPanel

    cur, temp = squid_axon.STEP_CURRENT_RANGE_uA_cm2, squid_axon.TEMP_RANGE_C
    controls = [BookControl("current_uA_cm2", "current step", BOOK_CURRENTS, cur.default,
                            fmt="{:.2f}", unit=cur.unit),
                BookControl("temp_c", "temperature", BOOK_TEMPS, temp.default, fmt="{:.1f}",
                            unit=temp.unit)]
    return BookPanel(
        key="action-potential", title=TITLE, controls=controls, blocks=BOOK_BLOCKS,
        evaluate=book_setting, charts=_book_charts(), wide=(0,),
        decimals={"trace": {"t_ms": 2, "v_mV": 0}},
        grid_note=("every current step of 0.1 µA/cm² at 6.3 °C, every temperature step of "
                   "0.5 °C at 10 µA/cm², and both together on a coarser grid"))


def action_potential_twin():
    """Static twin: rows = step currents (1, 3, 10 µA/cm²), columns = 6.3, 20, 37 °C.

    Shows, in one figure, subthreshold responses, a single spike, repetitive firing and
    heat block (no spike at 37 °C for a step that fires at 6.3 °C).
    """
    fig, axes = new_figure(len(TWIN_CURRENTS_uA_cm2), len(TWIN_TEMPS_C), width_in=9.0,
                           height_in=6.0, sharex=True, sharey=True)
    for r, current in enumerate(TWIN_CURRENTS_uA_cm2):
        for c, temp in enumerate(TWIN_TEMPS_C):
            ax = axes[r, c]
            trace = squid_axon.simulate(current, DURATION_ms, temp)
            fig_ap.plot_trace(trace, ax, color=CYCLE[r])
            ax.set_title(f"{current:g} µA/cm², {temp:g} °C: {_describe(trace)[0]}",
                         fontsize=9)
            if r < len(TWIN_CURRENTS_uA_cm2) - 1:
                ax.set_xlabel("")
            if c > 0 or r != 1:
                ax.set_ylabel("")
    fig.suptitle("HH squid axon: current step (rows) and temperature (columns)")
    return fig
