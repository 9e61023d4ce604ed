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

from widgets.figures import excitability as fx
from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE, new_figure
from widgets.models import ectopic
from widgets.models import motor_axon as ma
from widgets.panels.base import FigurePanel, slider

ION_LABELS = {"K": "K+", "Ca": "ionized Ca2+", "Mg": "ionized Mg2+", "Na": "Na+"}
SLIDER_STEPS = {"K": 0.1, "Ca": 0.02, "Mg": 0.05, "Na": 1.0}
PANEL_RUN_ms = 1000.0
PANEL_SEED = 0
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


def electrolyte_panel() -> FigurePanel:
    """Live panel: four electrolyte sliders -> resting potential, threshold, rheobase, rate."""
    controls = {}
    for ion in ("K", "Ca", "Mg", "Na"):
        lo, hi = ma.NORMAL_RANGES_mM[ion]
        controls[ion] = slider(f"{ION_LABELS[ion]} [normal {lo:g}-{hi:g}]",
                               ma.CONC_OUT_RANGES_mM[ion], step=SLIDER_STEPS[ion])
    normal, _ = _model({})
    fig, _ = new_figure(1, 1, width_in=7.0, height_in=4.6)
    fig.clear()
    axd = fig.subplot_mosaic([["bars", "rate"], ["trace", "trace"]],
                             gridspec_kw={"height_ratios": [1.0, 1.7]})
    fig.set_layout_engine("constrained")
    ax_bars, ax_rate, ax_tr = axd["bars"], axd["rate"], axd["trace"]
    bars = fx.plot_relative_bars(["threshold\n(1 ms)", "rheobase"], [100.0, 100.0], ax_bars)
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
    ax_tr.set_title("Distal node with channel noise (grey band: normal rest, -80 to -85 mV)",
                    fontsize=9)

    holder: dict = {}

    def update(K, Ca, Mg, Na):
        conc = {"K": K, "Ca": Ca, "Mg": Mg, "Na": Na}
        exc, trace = _model(conc)
        rel = _relative(exc, normal)
        for bar, value in zip(bars, rel, strict=True):
            bar.set_width(float(np.clip(value, 0.0, 250.0)))
        n_spikes = int(trace.spike_times_ms.size)
        rate = n_spikes / (PANEL_RUN_ms / 1e3)
        rate_bar[0].set_width(max(rate, 0.1) - 0.1)
        line.set_data(*fx.envelope(trace.t_ms, np.clip(trace.v_mV, -100.0, 55.0), 500))
        st = trace.spike_times_ms
        ticks.set_offsets(np.column_stack([st, np.full(st.shape, 45.0)]) if st.size
                          else np.zeros((0, 2)))
        rest_line.set_ydata([exc.resting_potential_mV] * 2)
        holder["result"] = exc
        if "panel" in holder:
            holder["panel"].last_result = exc
        state = "inexcitable (depolarisation block)" if not exc.excitable else "excitable"
        alt = (f"Motor axon at K {K:.1f}, Ca {Ca:.2f}, Mg {Mg:.2f}, Na {Na:.0f} mmol/L: "
               f"resting potential {exc.resting_potential_mV:.1f} mV; threshold "
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

    # Lay the figure out once, then freeze the layout: redraws only move artists.
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    panel = FigurePanel(controls, fig, update,
                        title="Electrolytes and the excitability of a human motor axon")
    panel.last_result = holder["result"]
    holder["panel"] = panel
    return panel


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
        ax.bar(x, spikes, color=colours)
        ax.set_ylim(0, max(5.0, 1.2 * max(spikes)))
        ax.set_xticks(x, labels)
        ax.set_ylabel("spikes in 20 s")
        for c in range(3):
            axes[row, c].set_xlabel(f"{ION_LABELS[ion]} (mmol/L)")
    fig.suptitle("Motor-axon model: low / normal / high value of each ion (others normal)")
    return fig
