"""Panel: extracellular K+, Na+, Cl- and permeability ratios -> equilibrium and resting potentials.

No physiology here: the numbers come from :mod:`widgets.models.ions` (Nernst; GHK), the
drawing from :mod:`widgets.figures.membrane`. Intracellular concentrations are held at
Hille's (2001) mammalian skeletal-muscle values; temperature is 37 °C.
"""

from __future__ import annotations

import numpy as np

from widgets.figures import membrane as fig_membrane
from widgets.figures.style import PALETTE, new_figure
from widgets.models import ions
from widgets.panels.base import FigurePanel, freeze_layout, slider

TEMP_C = 37.0
K_CURVE_mM = np.geomspace(ions.K_OUT_RANGE_mM.low, ions.K_OUT_RANGE_mM.high, 60)
TWIN_PNA_PK = (0.01, 0.05, 0.10)



def _intracellular() -> dict[str, float]:
    return {ion: ions.INTRACELLULAR_mM[ion].typical for ion in ("K", "Na", "Cl")}


def _normal_label(ion: str) -> str:
    ref = ions.SERUM_REFERENCE_mM[ion]
    return f"{ref.low:g}–{ref.high:g}"


def resting_state(k_out: float, na_out: float, cl_out: float, pna_pk: float,
                  pcl_pk: float) -> dict[str, float]:
    """E_K, E_Na, E_Cl and the GHK resting potential (mV) at the panel's settings."""
    out = {"K": k_out, "Na": na_out, "Cl": cl_out}
    inside = _intracellular()
    e = ions.equilibrium_potentials_mV(out, inside, TEMP_C)
    rest = ions.ghk_voltage(out, inside, {"K": 1.0, "Na": pna_pk, "Cl": pcl_pk}, TEMP_C)
    return {"K": e["K"], "Na": e["Na"], "Cl": e["Cl"], "rest": rest}


def _rest_curve(na_out, cl_out, pna_pk, pcl_pk):
    rest = np.array([resting_state(k, na_out, cl_out, pna_pk, pcl_pk)["rest"]
                     for k in K_CURVE_mM])
    e_k = np.array([ions.nernst(1, k, _intracellular()["K"], TEMP_C) for k in K_CURVE_mM])
    return rest, e_k


def membrane_panel() -> FigurePanel:
    """Live panel: extracellular K+, Na+, Cl- (mmol/L) and PNa/PK, PCl/PK -> potentials."""
    controls = {
        "k_out": slider(f"K⁺ outside, normal {_normal_label('K')}", ions.K_OUT_RANGE_mM,
                        step=0.1),
        "na_out": slider(f"Na⁺ outside, normal {_normal_label('Na')}", ions.NA_OUT_RANGE_mM,
                         step=1.0, readout_format=".0f"),
        "cl_out": slider(f"Cl⁻ outside, normal {_normal_label('Cl')}", ions.CL_OUT_RANGE_mM,
                         step=1.0, readout_format=".0f"),
        "pna_pk": slider("PNa/PK", ions.PNA_PK_RANGE, step=0.005, readout_format=".3f"),
        "pcl_pk": slider("PCl/PK (0: Cl⁻ passively distributed)", ions.PCL_PK_RANGE,
                         step=0.05),
    }
    fig, (ax_bars, ax_curve) = new_figure(1, 2, width_in=8.0, height_in=3.4)
    d = {k: c.value for k, c in controls.items()}
    bars = fig_membrane.plot_potential_bars(resting_state(**d), ax_bars)
    ref_k = ions.SERUM_REFERENCE_mM["K"]
    fig_membrane.shade_normal_range(ax_curve, ref_k.low, ref_k.high)
    rest, e_k = _rest_curve(d["na_out"], d["cl_out"], d["pna_pk"], d["pcl_pk"])
    lines = fig_membrane.plot_rest_vs_potassium(K_CURVE_mM, rest, e_k, ax_curve)
    (marker,) = ax_curve.plot([d["k_out"]], [resting_state(**d)["rest"]], "o",
                              color=PALETTE["vermillion"], label="current setting")
    ax_curve.set_ylim(-130, -20)
    ax_curve.set_title("resting potential against K⁺ outside")
    ax_curve.legend(loc="lower right")

    def update(k_out, na_out, cl_out, pna_pk, pcl_pk):
        pot = resting_state(k_out, na_out, cl_out, pna_pk, pcl_pk)
        fig_membrane.update_potential_bars(bars, pot)
        rest, e_k = _rest_curve(na_out, cl_out, pna_pk, pcl_pk)
        lines["rest"].set_ydata(rest)
        lines["e_k"].set_ydata(e_k)
        marker.set_data([k_out], [pot["rest"]])
        state["result"] = pot
        if "panel" in state:
            state["panel"].last_result = pot
        alt = (f"Left: bar chart of equilibrium potentials at 37 °C: E_K {pot['K']:.0f} mV, "
               f"E_Na {pot['Na']:+.0f} mV, E_Cl {pot['Cl']:.0f} mV, and the GHK resting "
               f"potential {pot['rest']:.0f} mV. Right: resting potential and E_K against "
               f"extracellular K+ from 1 to 10 mmol/L (normal range shaded), with the "
               f"current setting, K+ {k_out:.1f} mmol/L, marked.")
        status = ions.serum_status("K", k_out)
        readout = (f"E<sub>K</sub> = {pot['K']:.1f} mV, E<sub>Na</sub> = {pot['Na']:+.1f} mV, "
                   f"E<sub>Cl</sub> = {pot['Cl']:.1f} mV; "
                   f"<b>resting potential (GHK) = {pot['rest']:.1f} mV</b>. "
                   f"K⁺ outside {k_out:.1f} mmol/L is {status} for serum.")
        return alt, readout

    freeze_layout(fig)
    state: dict = {}
    panel = FigurePanel(controls, fig, update,
                        title="Ion concentrations and the resting potential (37 °C)")
    state["panel"] = panel
    panel.last_result = state["result"]
    return panel


def membrane_twin():
    """Static twin: resting potential vs extracellular K+ for three PNa/PK ratios.

    One panel per ratio (0.01, 0.05, 0.10; Cl- passively distributed), E_K for comparison,
    normal serum K+ range shaded: the GHK potential follows E_K closely at high K+ and falls
    away from it at low K+, more so the larger PNa/PK.
    """
    fig, axes = new_figure(1, len(TWIN_PNA_PK), width_in=9.0, height_in=3.2, sharey=True)
    ref_k = ions.SERUM_REFERENCE_mM["K"]
    na = ions.NA_OUT_RANGE_mM.default
    cl = ions.CL_OUT_RANGE_mM.default
    for ax, ratio in zip(axes, TWIN_PNA_PK, strict=True):
        fig_membrane.shade_normal_range(ax, ref_k.low, ref_k.high)
        rest, e_k = _rest_curve(na, cl, ratio, 0.0)
        fig_membrane.plot_rest_vs_potassium(K_CURVE_mM, rest, e_k, ax)
        ax.set_title(f"PNa/PK = {ratio:g}")
        ax.set_ylim(-130, -30)
        if ax is not axes[0]:
            ax.set_ylabel("")
    axes[0].legend(loc="upper left", fontsize=8)
    fig.suptitle("Resting potential (GHK, 37 °C) follows E(K⁺) less closely at low K⁺")
    return fig
