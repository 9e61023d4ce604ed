"""Panel: current step and temperature -> the squid-axon (HH 1952) membrane potential.

No physiology here: :func:`widgets.models.squid_axon.simulate` computes, the figure module
draws, this module wires sliders to both.
"""

from __future__ import annotations

from widgets.figures import action_potential as fig_ap
from widgets.figures.style import CYCLE, new_figure
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


def action_potential_panel() -> FigurePanel:
    """Live panel: step current (µA/cm²) and temperature (°C) -> 100 ms voltage trace."""
    controls = {
        "current_uA_cm2": slider("current step", squid_axon.STEP_CURRENT_RANGE_uA_cm2,
                                 step=0.1),
        "temp_c": slider("temperature", squid_axon.TEMP_RANGE_C, step=0.1,
                         readout_format=".1f"),
    }
    fig, ax = new_figure(1, 1, width_in=7.0, height_in=3.0)
    first = squid_axon.simulate(controls["current_uA_cm2"].value, DURATION_ms,
                                controls["temp_c"].value)
    line = fig_ap.plot_trace(first, ax)
    # Reserve the title's height before the layout is frozen (an empty title reserves none).
    title = ax.set_title("HH squid axon: 0.0 µA/cm² step at 6.3 °C")
    state: dict = {}

    def update(current_uA_cm2, temp_c):
        trace = squid_axon.simulate(current_uA_cm2, DURATION_ms, temp_c)
        line.set_data(trace.t_ms, trace.v_mV)
        title.set_text(f"HH squid axon: {current_uA_cm2:.1f} µA/cm² step at {temp_c:.1f} °C")
        kind, rate = _describe(trace)
        state["trace"] = trace
        if "panel" in state:
            state["panel"].last_result = trace
        alt = (f"Membrane potential of the Hodgkin-Huxley squid axon over {DURATION_ms:.0f} ms "
               f"after a {current_uA_cm2:.1f} µA/cm² current step at {temp_c:.1f} °C: "
               f"{kind}, {rate}; the trace starts at rest near -65 mV.")
        readout = (f"<b>{trace.n_spikes}</b> spikes in {DURATION_ms:.0f} ms ({rate}); "
                   f"peak {trace.v_mV.max():+.0f} mV.")
        return alt, readout

    freeze_layout(fig)
    panel = FigurePanel(controls, fig, update,
                        title="Action potentials of the squid giant axon (Hodgkin & Huxley 1952)")
    state["panel"] = panel
    panel.last_result = state["trace"]
    return panel


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
