"""Panel: a nerve excitability study of the model axon, over healthy human bands.

No physiology here. :func:`readouts` maps the four controls (extracellular K+ and ionized Ca2+,
persistent Na+ and slow K+ multipliers) to
:func:`widgets.models.threshold_tracking.run_protocol` and returns everything the panel shows,
as plain numbers and arrays; :func:`threshold_tracking_panel` (live, ipywidgets) draws them over
the healthy bands of :mod:`widgets.models.threshold_tracking`; :func:`threshold_tracking_twin`
is its static twin for the book: the normal axon and three changed ones.

The protocol takes about half a second per setting (four measurements, hundreds of thresholds),
so the live panel remembers every setting it has computed, and the sliders step coarsely (the
same steps a kernel-free book version can precompute over a grid).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from widgets.figures import threshold_tracking as ftt
from widgets.models import motor_axon as ma
from widgets.models import threshold_tracking as tt
from widgets.models.validation import require_range
from widgets.panels.base import FigurePanel, slider

#: Controls: (model valid range, slider step). Ranges are the model's valid ranges.
CONTROLS = {
    "K_mM": (ma.CONC_OUT_RANGES_mM["K"], 0.5),
    "Ca_mM": (ma.CONC_OUT_RANGES_mM["Ca"], 0.05),
    "NaP_scale": (ma.CONDUCTANCE_SCALE_RANGE, 0.25),
    "Ks_scale": (ma.CONDUCTANCE_SCALE_RANGE, 0.1),
}
LABELS = {"K_mM": "extracellular K⁺", "Ca_mM": "ionized Ca²⁺",
          "NaP_scale": "persistent Na⁺ (× normal)", "Ks_scale": "slow K⁺ (× normal)"}
#: Settings of the static twin: (label, K mmol/L, ionized Ca mmol/L, NaP x, Ks x).
TWIN_SETTINGS = (
    ("normal", 4.0, 1.2, 1.0, 1.0),
    ("K⁺ 6 mmol/L", 6.0, 1.2, 1.0, 1.0),
    ("ionized Ca²⁺ 0.8 mmol/L", 4.0, 0.8, 1.0, 1.0),
    ("ALS-like: NaP × 2, slow K⁺ × 0.5", 4.0, 1.2, 2.0, 0.5),
)
#: Indices listed in the panel's readout (the ones the lesson teaches).
SHOWN = ("SDTC_ms", "TEd40_60_pct", "TEd90_100_pct", "TEh90_100_pct", "resting_IV_slope",
         "RRP_ms", "superexcitability_pct", "superexcitability_latency_ms",
         "subexcitability_pct")


def _check(K_mM, Ca_mM, NaP_scale, Ks_scale):
    vals = {"K_mM": K_mM, "Ca_mM": Ca_mM, "NaP_scale": NaP_scale, "Ks_scale": Ks_scale}
    return {k: require_range(k, v, CONTROLS[k][0]) for k, v in vals.items()}


@lru_cache(maxsize=256)
def _protocol(K_mM, Ca_mM, NaP_scale, Ks_scale):
    return tt.run_protocol({"K": K_mM, "Ca": Ca_mM}, {"NaP": NaP_scale, "Ks": Ks_scale})


def readouts(K_mM: float = 4.0, Ca_mM: float = 1.2, NaP_scale: float = 1.0,
             Ks_scale: float = 1.0) -> dict:
    """Everything the panel shows for one setting: plain numbers and arrays, from the models.

    Keys: ``durations_ms``, ``threshold_rel`` (strength-duration, threshold / 1 ms threshold);
    ``te_delays_ms``, ``ted_pct``, ``teh_pct``; ``iv_current_pct``, ``iv_reduction_pct``;
    ``rc_intervals_ms``, ``rc_change_pct``; ``indices`` and ``z`` (index -> value, and its
    distance from the healthy mean in SDs); ``excitable`` (False in depolarisation block).
    """
    v = _check(K_mM, Ca_mM, NaP_scale, Ks_scale)
    pr = _protocol(round(v["K_mM"], 6), round(v["Ca_mM"], 6), round(v["NaP_scale"], 6),
                   round(v["Ks_scale"], 6))
    sd, te, iv, rc = (pr.strength_duration, pr.threshold_electrotonus, pr.current_threshold,
                      pr.recovery_cycle)
    ref = sd.threshold_nA[np.argmin(np.abs(sd.durations_ms - 1.0))]
    excitable = bool(math.isfinite(te.control_threshold_nA) and te.control_threshold_nA > 0)
    return {
        "durations_ms": sd.durations_ms.copy(),
        "threshold_rel": sd.threshold_nA / ref if excitable else np.full(sd.durations_ms.shape,
                                                                         math.nan),
        "te_delays_ms": te.delays_ms.copy(), "ted_pct": te.depolarizing_pct.copy(),
        "teh_pct": te.hyperpolarizing_pct.copy(),
        "iv_current_pct": iv.current_pct.copy(),
        "iv_reduction_pct": iv.threshold_reduction_pct.copy(),
        "rc_intervals_ms": rc.intervals_ms.copy(), "rc_change_pct": rc.threshold_change_pct.copy(),
        "indices": dict(pr.indices), "z": tt.z_scores(pr.indices), "excitable": excitable,
    }


def _finite(a):
    a = np.asarray(a, dtype=float)
    return np.where(np.isfinite(a), a, np.nan)


def _readout_html(r) -> str:
    if not r["excitable"]:
        return "<p>Depolarisation block: no test pulse excites the model axon.</p>"
    rows = []
    for k in SHOWN:
        val, z = r["indices"][k], r["z"][k]
        m, s = tt.NORMAL_VALUES[k]
        flag = " (outside 1 SD)" if math.isfinite(z) and abs(z) > 1 else ""
        rows.append(f"<tr><td>{tt.INDEX_LABELS[k]}</td><td>{val:.2f}</td>"
                    f"<td>{m:.2f} ± {s:.2f}{flag}</td></tr>")
    return ("<table><tr><th>index</th><th>model</th><th>healthy mean ± SD</th></tr>"
            + "".join(rows) + "</table>")


def threshold_tracking_panel() -> FigurePanel:
    """Live panel: K+, ionized Ca2+, persistent Na+ and slow K+ -> the four measurements."""
    controls = {k: slider(LABELS[k], valid, step=step) for k, (valid, step) in CONTROLS.items()}
    fig = ftt.protocol_figure(_protocol(4.0, 1.2, 1.0, 1.0), labels=["model axon"],
                              width_in=8.0, height_in=6.4)
    lines = fig.protocol_lines[0]
    line_sd, (line_ted, line_teh), line_iv, line_rc = (lines["sd"], lines["te"], lines["iv"],
                                                       lines["rc"])
    fig.draw_without_rendering()
    fig.set_layout_engine(None)
    ref: dict = {}

    def update(K_mM, Ca_mM, NaP_scale, Ks_scale):
        r = readouts(K_mM, Ca_mM, NaP_scale, Ks_scale)
        line_sd.set_data(r["durations_ms"], _finite(r["threshold_rel"]))
        line_ted.set_data(r["te_delays_ms"], _finite(r["ted_pct"]))
        line_teh.set_data(r["te_delays_ms"], _finite(r["teh_pct"]))
        line_iv.set_data(_finite(r["iv_reduction_pct"]), r["iv_current_pct"])
        line_rc.set_data(r["rc_intervals_ms"], _finite(r["rc_change_pct"]))
        ref["last"] = r
        if "panel" in ref:
            ref["panel"].last_result = r
        outside = [tt.INDEX_LABELS[k] for k in SHOWN
                   if math.isfinite(r["z"][k]) and abs(r["z"][k]) > 1]
        state = ("in depolarisation block" if not r["excitable"] else
                 "with every listed index inside the healthy band" if not outside else
                 "outside the healthy band in: " + ", ".join(outside))
        alt = (f"Nerve excitability study of the model motor axon at K+ {K_mM:.1f} mmol/L, "
               f"ionized Ca2+ {Ca_mM:.2f} mmol/L, persistent Na+ x {NaP_scale:.2f}, slow K+ x "
               f"{Ks_scale:.2f}: blue lines over grey healthy bands (mean ± 1 SD) for "
               "strength-duration, threshold electrotonus, current-threshold and recovery "
               f"cycle; the axon is {state}.")
        return alt, _readout_html(r)

    panel = FigurePanel(controls, fig, update,
                        title="A nerve excitability study of the model axon")
    ref["panel"] = panel
    panel.last_result = ref["last"]
    return panel


def threshold_tracking_twin():
    """Static twin: the normal axon and three changed ones (:data:`TWIN_SETTINGS`), the four
    measurements over the healthy bands."""
    prs, labels = [], []
    for label, k, ca, nap, ks in TWIN_SETTINGS:
        prs.append(_protocol(k, ca, nap, ks))
        labels.append(label)
    return ftt.protocol_figure(prs, labels=labels, width_in=8.0, height_in=6.6)


def normal_profile_figure():
    """The normal model axon alone over the healthy bands (the lesson's first figure)."""
    return ftt.protocol_figure(_protocol(4.0, 1.2, 1.0, 1.0), labels=["model axon"])


__all__ = ["CONTROLS", "TWIN_SETTINGS", "readouts", "threshold_tracking_panel",
           "threshold_tracking_twin", "normal_profile_figure"]
