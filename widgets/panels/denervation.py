"""Panel: fraction of motor units lost -> unit sizes, force, and fasciculation potentials.

No physiology here: :mod:`widgets.models.denervation` does the loss, reinnervation and
potentials; :mod:`widgets.figures.denervation` draws them.
"""

from __future__ import annotations

import numpy as np

from widgets.figures import denervation as fig_dn
from widgets.figures.style import new_figure
from widgets.models import denervation
from widgets.panels.base import FigurePanel, Memo, freeze_layout, slider

N_DISCHARGES = 8
TWIN_FRACTIONS = (0.0, 0.5, 0.8, 0.9)
FP_YLIM_MV = (-3.0, 3.0)
_CURVE_FRACTIONS = np.linspace(0.0, denervation.FRACTION_LOST.high, 39)



def _force_curve():
    return [denervation.reinnervate(f).force_fraction for f in _CURVE_FRACTIONS]


def _describe(pool, fps) -> str:
    kind = ("simple and stable, as in benign fasciculation" if pool.fraction_lost == 0
            else "larger, longer, more complex and varying from discharge to discharge")
    return (f"With {100 * pool.fraction_lost:.0f}% of motor units lost, "
            f"{pool.n_surviving} of {pool.n_units_initial} units survive, each "
            f"{pool.enlargement_factor:.1f} times its original size; maximal force is "
            f"{100 * pool.force_fraction:.0f}% of healthy. Histogram of fibres per unit, a "
            f"force curve, and {fps.v_mV.shape[0]} overlaid discharges of one unit: "
            f"{kind} (mean {np.mean(fps.peak_to_peak_mV):.1f} mV, "
            f"{np.mean(fps.duration_ms):.0f} ms, {np.mean(fps.phases):.0f} phases).")


TITLE = "Losing motor units: fewer, larger, less stable units"


def readouts(fraction_lost: float = denervation.FRACTION_LOST.default) -> dict:
    """Everything the panel shows at one loss: the reinnervated pool and 8 discharges of one
    of its units (fasciculation potentials)."""
    p = denervation.reinnervate(fraction_lost)
    return {"pool": p, "fps": denervation.fasciculation_potentials(p, N_DISCHARGES)}


def describe(r: dict) -> tuple[str, str]:
    """Alt text and readout HTML of one setting: the same words for both readers."""
    p, f = r["pool"], r["fps"]
    readout = (f"surviving units <b>{p.n_surviving}</b>; each enlarged "
               f"<b>{p.enlargement_factor:.1f}×</b>; force <b>"
               f"{100 * p.force_fraction:.0f}%</b> of healthy; potential "
               f"<b>{np.mean(f.peak_to_peak_mV):.1f} mV</b>, "
               f"<b>{np.mean(f.duration_ms):.0f} ms</b>, "
               f"<b>{np.mean(f.phases):.0f}</b> phases")
    return _describe(p, f), readout


def denervation_panel() -> FigurePanel:
    """Live panel: fraction of motor units lost (0-0.95)."""
    controls = {"fraction_lost": slider("motor units lost", denervation.FRACTION_LOST,
                                        step=0.05)}
    fig, (ax_h, ax_f, ax_p) = new_figure(1, 3, width_in=10.0, height_in=3.2)
    healthy = denervation.healthy_pool()
    r0 = readouts(controls["fraction_lost"].value)
    pool, fps = r0["pool"], r0["fps"]
    hist = fig_dn.plot_unit_sizes(pool, ax_h, healthy=healthy)
    force = fig_dn.plot_force_curve(_CURVE_FRACTIONS, _force_curve(), pool, ax_f)
    lines = fig_dn.plot_fasciculation_potentials(fps, ax_p, max_lines=N_DISCHARGES)
    ax_p.set_ylim(*FP_YLIM_MV)
    ax_h.set_title("sizes of surviving units")
    ax_f.set_title("strength")
    ax_p.set_title("one unit's potential, 8 discharges")

    freeze_layout(fig)
    state = {"panel": None, "result": None}
    model = Memo(readouts)  # settings shown or primed are not computed again

    def update(fraction_lost):
        r = model(fraction_lost)
        p, f = r["pool"], r["fps"]
        for bar, h in zip(hist["bars"], fig_dn.size_counts(p), strict=True):
            bar.set_height(h)
        force["dot"].set_data([100 * p.fraction_lost], [100 * p.force_fraction])
        for ln, y in zip(lines["lines"], f.v_mV, strict=True):
            ln.set_ydata(y)
        state["result"] = {"pool": p, "fps": f}
        if state["panel"] is not None:
            state["panel"].last_result = state["result"]
        return describe(r)

    panel = FigurePanel(controls, fig, update, title=TITLE, model=model)
    state["panel"] = panel
    panel.last_result = state["result"]
    panel.book = denervation_book_panel
    return panel


# ----------------------------------------------------------------- the book's (kernel-free) panel
#: Book grid: every step of the live slider (0.05).
BOOK_FRACTIONS = tuple(round(0.05 * i, 2) for i in range(20))


def book_setting(fraction_lost) -> dict:
    """What the book panel stores for one setting: readout text and the chart's arrays."""
    r = readouts(fraction_lost)
    alt, readout = describe(r)
    p, f = r["pool"], r["fps"]
    healthy = denervation.healthy_pool()
    bins = fig_dn.SIZE_BINS
    idx = np.arange(0, f.t_ms.size, 2)
    return {"readout": readout, "alt": alt, "data": {
        "sizes": {"lo": bins[:-1], "hi": bins[1:], "n": fig_dn.size_counts(p),
                  "healthy": fig_dn.size_counts(healthy)},
        "force": {"lost_pct": 100 * _CURVE_FRACTIONS, "pct": 100 * np.asarray(_force_curve())},
        "dot": {"lost_pct": [100 * p.fraction_lost], "pct": [100 * p.force_fraction]},
        "fps": {"t_ms": np.tile(f.t_ms[idx], f.v_mV.shape[0]),
                "mV": f.v_mV[:, idx].ravel(),
                "k": np.repeat(np.arange(1, f.v_mV.shape[0] + 1), idx.size)},
    }}


def _book_charts() -> list[dict]:
    import altair as alt

    from widgets.figures.style import CYCLE, NORMAL_RANGE_COLOUR, PALETTE
    from widgets.panels import book_charts as bc

    fx = alt.X("lo:Q", title="muscle fibres per motor unit (log scale)",
               scale=alt.Scale(type="log"), axis=alt.Axis(values=[10, 100, 1000, 10000],
                                                         format=","))
    bars = alt.Chart(bc.named("sizes")).mark_rect(color=PALETTE["blue"], opacity=0.8).encode(
        x=fx, x2="hi:Q", y=alt.Y("n:Q", title="number of motor units",
                                 scale=alt.Scale(domain=[0, 40], clamp=True)), y2=alt.datum(0))
    healthy = alt.Chart(bc.named("sizes")).mark_line(
        color=NORMAL_RANGE_COLOUR, strokeWidth=1.5, interpolate="step-after").encode(
        x="lo:Q", y="healthy:Q")
    curve = alt.Chart(bc.named("force")).mark_line(color=PALETTE["black"]).encode(
        x=alt.X("lost_pct:Q", title="motor units lost (%)", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("pct:Q", title="force (% of healthy)", scale=alt.Scale(domain=[0, 105])))
    dot = alt.Chart(bc.named("dot")).mark_point(filled=True, size=80,
                                                color=PALETTE["vermillion"]).encode(
        x="lost_pct:Q", y="pct:Q")
    fps = alt.Chart(bc.named("fps")).mark_line(strokeWidth=0.9, opacity=0.8).encode(
        x=alt.X("t_ms:Q", title="time (ms)", scale=alt.Scale(nice=False, zero=False)),
        y=alt.Y("mV:Q", title="potential (mV)", scale=alt.Scale(domain=list(FP_YLIM_MV),
                                                                clamp=True)),
        detail="k:N", color=alt.Color("k:N", legend=None, scale=alt.Scale(range=CYCLE)))
    return [bc.finish(alt.layer(bars, healthy), height=200,
                      title="sizes of surviving units (grey: healthy pool)"),
            bc.finish(alt.layer(curve, dot), height=200, title="strength (maximal force)"),
            bc.finish(fps, height=200, title="one unit's potential, 8 discharges",
                      renderer="canvas")]


def denervation_book_panel():
    """Kernel-free book version: :func:`readouts` at every step of the live slider."""
    from widgets.panels.book import BookControl, BookPanel

    valid = denervation.FRACTION_LOST
    controls = [BookControl("fraction_lost", "motor units lost", BOOK_FRACTIONS, valid.default,
                            fmt="{:.2f}", unit=valid.unit)]
    return BookPanel(
        key="denervation", title=TITLE, controls=controls, blocks=(("fraction_lost",),),
        evaluate=book_setting, charts=_book_charts(),
        decimals={"sizes": {"lo": 1, "hi": 1, "n": 0, "healthy": 0},
                  "force": {"lost_pct": 2, "pct": 2}, "dot": {"lost_pct": 1, "pct": 2},
                  "fps": {"t_ms": 2, "mV": 3, "k": 0}},
        grid_note="every step of 0.05 of the live slider")


def denervation_twin():
    """Static twin: 0, 50, 80 and 90 % of units lost (sizes, force, potentials)."""
    fig, axes = new_figure(3, len(TWIN_FRACTIONS), width_in=10.0, height_in=7.0)
    healthy = denervation.healthy_pool()
    curve = _force_curve()
    for j, frac in enumerate(TWIN_FRACTIONS):
        p = denervation.reinnervate(frac)
        f = denervation.fasciculation_potentials(p, N_DISCHARGES)
        fig_dn.plot_unit_sizes(p, axes[0, j], healthy=healthy)
        fig_dn.plot_force_curve(_CURVE_FRACTIONS, curve, p, axes[1, j])
        fig_dn.plot_fasciculation_potentials(f, axes[2, j], max_lines=N_DISCHARGES)
        axes[2, j].set_ylim(*FP_YLIM_MV)
        axes[0, j].set_title(f"{100 * frac:.0f}% of units lost\n{p.n_surviving} units, "
                             f"force {100 * p.force_fraction:.0f}%", fontsize=9)
        if j:
            for i in range(3):
                axes[i, j].set_ylabel("")
            axes[0, j].get_legend().remove()
    return fig
