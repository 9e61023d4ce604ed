"""Panel: fraction of motor units lost -> unit sizes, force, and fasciculation potentials.

No physiology here: :mod:`widgets.models.denervation` does the loss, reinnervation and
potentials; :mod:`widgets.figures.denervation` draws them.
"""

from __future__ import annotations

import numpy as np

from widgets.figures import denervation as fig_dn
from widgets.figures.style import new_figure
from widgets.models import denervation
from widgets.panels.base import FigurePanel, freeze_layout, slider

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


def denervation_panel() -> FigurePanel:
    """Live panel: fraction of motor units lost (0-0.95)."""
    controls = {"fraction_lost": slider("motor units lost", denervation.FRACTION_LOST,
                                        step=0.05)}
    fig, (ax_h, ax_f, ax_p) = new_figure(1, 3, width_in=10.0, height_in=3.2)
    healthy = denervation.healthy_pool()
    pool = denervation.reinnervate(controls["fraction_lost"].value)
    fps = denervation.fasciculation_potentials(pool, N_DISCHARGES)
    hist = fig_dn.plot_unit_sizes(pool, ax_h, healthy=healthy)
    force = fig_dn.plot_force_curve(_CURVE_FRACTIONS, _force_curve(), pool, ax_f)
    lines = fig_dn.plot_fasciculation_potentials(fps, ax_p, max_lines=N_DISCHARGES)
    ax_p.set_ylim(*FP_YLIM_MV)
    ax_h.set_title("sizes of surviving units")
    ax_f.set_title("strength")
    ax_p.set_title("one unit's potential, 8 discharges")

    freeze_layout(fig)
    state = {"panel": None, "result": None}

    def update(fraction_lost):
        p = denervation.reinnervate(fraction_lost)
        f = denervation.fasciculation_potentials(p, N_DISCHARGES)
        for bar, h in zip(hist["bars"], fig_dn.size_counts(p), strict=True):
            bar.set_height(h)
        force["dot"].set_data([100 * p.fraction_lost], [100 * p.force_fraction])
        for ln, y in zip(lines["lines"], f.v_mV, strict=True):
            ln.set_ydata(y)
        state["result"] = {"pool": p, "fps": f}
        if state["panel"] is not None:
            state["panel"].last_result = state["result"]
        readout = (f"surviving units <b>{p.n_surviving}</b>; each enlarged "
                   f"<b>{p.enlargement_factor:.1f}×</b>; force <b>"
                   f"{100 * p.force_fraction:.0f}%</b> of healthy; potential "
                   f"<b>{np.mean(f.peak_to_peak_mV):.1f} mV</b>, "
                   f"<b>{np.mean(f.duration_ms):.0f} ms</b>, "
                   f"<b>{np.mean(f.phases):.0f}</b> phases")
        return _describe(p, f), readout

    panel = FigurePanel(controls, fig, update,
                        title="Losing motor units: fewer, larger, less stable units")
    state["panel"] = panel
    panel.last_result = state["result"]
    return panel


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
