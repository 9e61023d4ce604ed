"""Panel: extracellular K+, Na+, Cl- and permeability ratios -> equilibrium and resting potentials.

No physiology here: the numbers come from :mod:`widgets.models.ions` (Nernst; GHK), the
drawing from :mod:`widgets.figures.membrane`. Intracellular concentrations are held at
Hille's (2001) mammalian skeletal-muscle values; temperature is 37 °C.
"""

from __future__ import annotations

from functools import lru_cache

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


@lru_cache(maxsize=256)
def _rest_curve(na_out, cl_out, pna_pk, pcl_pk):
    """Resting potential and E_K over K_CURVE_mM (read-only arrays; cached: moving K+ alone
    does not change the curve)."""
    rest = np.array([resting_state(k, na_out, cl_out, pna_pk, pcl_pk)["rest"]
                     for k in K_CURVE_mM])
    e_k = np.array([ions.nernst(1, k, _intracellular()["K"], TEMP_C) for k in K_CURVE_mM])
    rest.flags.writeable = False
    e_k.flags.writeable = False
    return rest, e_k


def readouts(k_out: float = 4.3, na_out: float = 140.0, cl_out: float = 103.0,
             pna_pk: float = 0.05, pcl_pk: float = 0.0) -> dict:
    """Everything the panel shows at one setting: the potentials (mV), the serum status of K+,
    and the resting potential and E_K over :data:`K_CURVE_mM` at the other settings."""
    pot = resting_state(k_out, na_out, cl_out, pna_pk, pcl_pk)
    rest, e_k = _rest_curve(na_out, cl_out, pna_pk, pcl_pk)
    return {"k_out": k_out, "potentials": pot, "k_status": ions.serum_status("K", k_out),
            "curve_k_mM": K_CURVE_mM, "curve_rest_mV": rest, "curve_e_k_mV": e_k}


def describe(r: dict) -> tuple[str, str]:
    """Alt text and readout HTML of one setting: the same words for both readers."""
    pot, k_out = r["potentials"], r["k_out"]
    alt = (f"Left: bar chart of equilibrium potentials at 37 °C: E_K {pot['K']:.0f} mV, "
           f"E_Na {pot['Na']:+.0f} mV, E_Cl {pot['Cl']:.0f} mV, and the GHK resting "
           f"potential {pot['rest']:.0f} mV. Right: resting potential and E_K against "
           f"extracellular K+ from 1 to 10 mmol/L (normal range shaded), with the "
           f"current setting, K+ {k_out:.1f} mmol/L, marked.")
    readout = (f"E<sub>K</sub> = {pot['K']:.1f} mV, E<sub>Na</sub> = {pot['Na']:+.1f} mV, "
               f"E<sub>Cl</sub> = {pot['Cl']:.1f} mV; "
               f"<b>resting potential (GHK) = {pot['rest']:.1f} mV</b>. "
               f"K⁺ outside {k_out:.1f} mmol/L is {r['k_status']} for serum.")
    return alt, readout


LABELS = {"k_out": f"K⁺ outside, normal {_normal_label('K')}",
          "na_out": f"Na⁺ outside, normal {_normal_label('Na')}",
          "cl_out": f"Cl⁻ outside, normal {_normal_label('Cl')}",
          "pna_pk": "PNa/PK", "pcl_pk": "PCl/PK (0: Cl⁻ passively distributed)"}
RANGES = {"k_out": ions.K_OUT_RANGE_mM, "na_out": ions.NA_OUT_RANGE_mM,
          "cl_out": ions.CL_OUT_RANGE_mM, "pna_pk": ions.PNA_PK_RANGE, "pcl_pk": ions.PCL_PK_RANGE}
FORMATS = {"k_out": ".2f", "na_out": ".0f", "cl_out": ".0f", "pna_pk": ".3f", "pcl_pk": ".2f"}
TITLE = "Ion concentrations and the resting potential (37 °C)"


def membrane_panel() -> FigurePanel:
    """Live panel: extracellular K+, Na+, Cl- (mmol/L) and PNa/PK, PCl/PK -> potentials."""
    steps = {"k_out": 0.1, "na_out": 1.0, "cl_out": 1.0, "pna_pk": 0.005, "pcl_pk": 0.05}
    controls = {k: slider(LABELS[k], RANGES[k], step=steps[k], readout_format=FORMATS[k])
                for k in LABELS}
    fig, (ax_bars, ax_curve) = new_figure(1, 2, width_in=8.0, height_in=3.4)
    d = {k: c.value for k, c in controls.items()}
    r0 = readouts(**d)
    bars = fig_membrane.plot_potential_bars(r0["potentials"], ax_bars)
    ref_k = ions.SERUM_REFERENCE_mM["K"]
    fig_membrane.shade_normal_range(ax_curve, ref_k.low, ref_k.high)
    lines = fig_membrane.plot_rest_vs_potassium(K_CURVE_mM, r0["curve_rest_mV"],
                                                r0["curve_e_k_mV"], ax_curve)
    (marker,) = ax_curve.plot([d["k_out"]], [r0["potentials"]["rest"]], "o",
                              color=PALETTE["vermillion"], label="current setting")
    ax_curve.set_ylim(-130, -20)
    ax_curve.set_title("resting potential against K⁺ outside")
    ax_curve.legend(loc="lower right")

    def update(k_out, na_out, cl_out, pna_pk, pcl_pk):
        r = readouts(k_out, na_out, cl_out, pna_pk, pcl_pk)
        pot = r["potentials"]
        fig_membrane.update_potential_bars(bars, pot)
        lines["rest"].set_ydata(r["curve_rest_mV"])
        lines["e_k"].set_ydata(r["curve_e_k_mV"])
        marker.set_data([k_out], [pot["rest"]])
        state["result"] = pot
        if "panel" in state:
            state["panel"].last_result = pot
        return describe(r)

    freeze_layout(fig)
    state: dict = {}
    panel = FigurePanel(controls, fig, update, title=TITLE)
    state["panel"] = panel
    panel.last_result = state["result"]
    panel.book = membrane_book_panel
    return panel


# ----------------------------------------------------------------- the book's (kernel-free) panel
def _steps(lo, hi, step, nd):
    n = int(round((hi - lo) / step))
    return tuple(round(lo + step * i, nd) for i in range(n + 1))


#: Book grid: K+ (0.1 mmol/L steps) x PNa/PK (0.01 steps) jointly over their whole ranges; Na+,
#: Cl- (1 mmol/L steps) and PCl/PK (0.05 steps) one at a time, the others at their defaults.
BOOK_VALUES = {"k_out": _steps(1.0, 10.0, 0.1, 1), "na_out": _steps(110.0, 170.0, 1.0, 0),
               "cl_out": _steps(70.0, 130.0, 1.0, 0), "pna_pk": _steps(0.0, 0.2, 0.01, 2),
               "pcl_pk": _steps(0.0, 1.0, 0.05, 2)}
BOOK_BLOCKS = (("k_out", "pna_pk"), ("na_out",), ("cl_out",), ("pcl_pk",))


def book_setting(**setting) -> dict:
    """What the book panel stores for one setting: readout text and the chart's arrays."""
    r = readouts(**setting)
    alt, readout = describe(r)
    pot = r["potentials"]
    keys = [k for k, _, _ in fig_membrane.POTENTIAL_BARS]
    return {"readout": readout, "alt": alt, "data": {
        "bars": {"label": [lab for _, lab, _ in fig_membrane.POTENTIAL_BARS],
                 "mV": [pot[k] for k in keys]},
        "curve": {"k_mM": r["curve_k_mM"], "rest_mV": r["curve_rest_mV"],
                  "e_k_mV": r["curve_e_k_mV"]},
        "marker": {"k_mM": [setting["k_out"]], "rest_mV": [pot["rest"]]},
    }}


def _book_charts() -> list[dict]:
    import altair as alt

    from widgets.panels import book_charts as bc

    labels = [lab for _, lab, _ in fig_membrane.POTENTIAL_BARS]
    colours = [c for _, _, c in fig_membrane.POTENTIAL_BARS]
    base = alt.Chart(bc.named("bars")).encode(
        x=alt.X("label:N", title=None, sort=labels, axis=alt.Axis(labelAngle=0)))
    bars = base.mark_bar().encode(
        y=alt.Y("mV:Q", title="membrane potential (mV)",
                scale=alt.Scale(domain=list(fig_membrane.VOLTAGE_LIMITS_mV))),
        color=alt.Color("label:N", scale=alt.Scale(domain=labels, range=colours), legend=None))
    text = base.transform_calculate(
        txt="format(datum.mV, '+.0f') + ' mV'",
        y="datum.mV >= 0 ? datum.mV + 12 : datum.mV - 12").mark_text(fontSize=12).encode(
        y="y:Q", text="txt:N")
    ref_k = ions.SERUM_REFERENCE_mM["K"]
    kx = alt.X("k_mM:Q", title="extracellular K⁺ (mmol/L, log scale)",
               scale=alt.Scale(type="log", domain=[1, 10]),
               axis=alt.Axis(values=[1, 2, 3, 5, 10], format="~g"))
    curve = alt.Chart(bc.named("curve")).transform_fold(
        ["rest_mV", "e_k_mV"], as_=["which", "mV"]).transform_calculate(
        line="datum.which === 'rest_mV' ? 'resting potential (GHK)' : 'E(K⁺) (Nernst)'"
    ).mark_line().encode(
        x=kx, y=alt.Y("mV:Q", title="membrane potential (mV)",
                      scale=alt.Scale(domain=[-130, -20])),
        color=alt.Color("line:N", title=None, scale=alt.Scale(
            domain=["resting potential (GHK)", "E(K⁺) (Nernst)"],
            range=[PALETTE["black"], PALETTE["blue"]]), legend=alt.Legend(orient="bottom")),
        strokeDash=alt.StrokeDash("line:N", title=None, scale=alt.Scale(
            domain=["resting potential (GHK)", "E(K⁺) (Nernst)"], range=[[1, 0], [5, 3]])))
    marker = alt.Chart(bc.named("marker")).mark_point(
        filled=True, size=70, color=PALETTE["vermillion"]).encode(x="k_mM:Q", y="rest_mV:Q")
    return [bc.finish(alt.layer(bars, text, bc.reference_rule(0.0, orient="y")), height=230,
                      title="equilibrium potentials and resting potential"),
            bc.finish(alt.layer(bc.reference_band(ref_k.low, ref_k.high), curve, marker),
                      height=230, title="resting potential against K⁺ outside (grey: normal)")]


def membrane_book_panel():
    """Kernel-free book version: :func:`readouts` over :data:`BOOK_VALUES` (see BOOK_BLOCKS)."""
    from widgets.panels.book import BookControl, BookPanel

    controls = [BookControl(k, LABELS[k], BOOK_VALUES[k], RANGES[k].default,
                            fmt="{:" + FORMATS[k] + "}", unit=RANGES[k].unit) for k in LABELS]
    return BookPanel(
        key="membrane", title=TITLE, controls=controls, blocks=BOOK_BLOCKS,
        evaluate=book_setting, charts=_book_charts(),
        decimals={"bars": {"mV": 1}, "curve": {"k_mM": 3, "rest_mV": 1, "e_k_mV": 1},
                  "marker": {"k_mM": 1, "rest_mV": 1}},
        grid_note=("K⁺ and PNa/PK jointly over their whole ranges; Na⁺, Cl⁻ and PCl/PK one at "
                   "a time, the others at their defaults"))


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
