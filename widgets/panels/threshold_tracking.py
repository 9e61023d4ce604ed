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

from widgets.cache import disk_cached
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
@disk_cached  # only the model's protocol: memoized on disk under `make live` (widgets/cache.py)
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
        # the flag goes under the model's value, and mean ± SD never wraps: on a phone the old
        # "44.10 ± 4.31 (outside 1 SD)" broke over four lines
        flag = ('<br><b style="font-size: 0.8em; white-space: nowrap">outside 1 SD</b>'
                if math.isfinite(z) and abs(z) > 1 else "")
        shown = f"{val:.2f}" if math.isfinite(val) else "not measurable"
        rows.append(f"<tr><td>{tt.INDEX_LABELS[k]}</td><td>{shown}{flag}</td>"
                    f'<td style="white-space: nowrap">{m:.2f} ± {s:.2f}</td></tr>')
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
        alt = _alt_text(r, K_mM, Ca_mM, NaP_scale, Ks_scale)
        return alt, _readout_html(r)

    panel = FigurePanel(controls, fig, update, title=TITLE)
    ref["panel"] = panel
    panel.last_result = ref["last"]
    panel.book = threshold_tracking_book_panel
    return panel


# ----------------------------------------------------------------- the book's (kernel-free) panel
TITLE = "A nerve excitability study of the model axon"
#: Book grid: one control at a time over its whole valid range (coarser than the live sliders
#: for Ca2+ and slow K+), the others at normal.
BOOK_VALUES = {
    "K_mM": tuple(round(1.5 + 0.5 * i, 1) for i in range(18)),
    "Ca_mM": tuple(round(0.4 + 0.1 * i, 1) for i in range(22)),
    "NaP_scale": tuple(round(0.25 * i, 2) for i in range(21)),
    "Ks_scale": tuple(round(0.25 * i, 2) for i in range(21)),
}
_DEFAULTS = {"K_mM": 4.0, "Ca_mM": 1.2, "NaP_scale": 1.0, "Ks_scale": 1.0}


def _alt_text(r, K_mM, Ca_mM, NaP_scale, Ks_scale) -> str:
    outside = [tt.INDEX_LABELS[k] for k in SHOWN
               if math.isfinite(r["z"][k]) and abs(r["z"][k]) > 1]
    state = ("in depolarisation block" if not r["excitable"] else
             "with every listed index inside the healthy band" if not outside else
             "outside the healthy band in: " + ", ".join(outside))
    return (f"Nerve excitability study of the model motor axon at K+ {K_mM:.1f} mmol/L, "
            f"ionized Ca2+ {Ca_mM:.2f} mmol/L, persistent Na+ x {NaP_scale:.2f}, slow K+ x "
            f"{Ks_scale:.2f}: model lines over grey healthy bands (mean ± 1 SD) for "
            "strength-duration, threshold electrotonus, current-threshold and recovery "
            f"cycle; the axon is {state}.")


def _bands(rows):
    a = np.array(rows, dtype=float)
    return {"x": a[:, 0], "lo": a[:, 1] - a[:, 2], "hi": a[:, 1] + a[:, 2]}


def book_setting(K_mM, Ca_mM, NaP_scale, Ks_scale) -> dict:
    """What the book panel stores for one setting: readout text and the charts' arrays."""
    r = readouts(K_mM, Ca_mM, NaP_scale, Ks_scale)
    n_te = r["te_delays_ms"].size
    return {"readout": _readout_html(r), "alt": _alt_text(r, K_mM, Ca_mM, NaP_scale, Ks_scale),
            "data": {
                "sd": {"x": r["durations_ms"], "y": _finite(r["threshold_rel"])},
                "te": {"x": np.concatenate([r["te_delays_ms"], r["te_delays_ms"]]),
                       "y": np.concatenate([_finite(r["ted_pct"]), _finite(r["teh_pct"])]),
                       "curve": ["TEd"] * n_te + ["TEh"] * n_te},
                "iv": {"x": _finite(r["iv_reduction_pct"]), "y": r["iv_current_pct"],
                       "order": np.arange(r["iv_current_pct"].size)},
                "rc": {"x": r["rc_intervals_ms"], "y": _finite(r["rc_change_pct"])},
                "sd_band": _bands(tt.NORMAL_SD_RELATIVE),
                "ted_band": _bands(tt.NORMAL_TE_DEPOLARIZING),
                "teh_band": _bands(tt.NORMAL_TE_HYPERPOLARIZING),
                "iv_band": _bands(tt.NORMAL_IV),
                "rc_band": _bands(tt.NORMAL_RC),
            }}


def _book_charts() -> list[dict]:
    import altair as alt

    from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE
    from widgets.panels import book_charts as bc

    blue = PALETTE["blue"]

    def band(name, x_title, y_title, *, x_scale=None, y_scale=None, iv=False):
        enc_x = alt.X("x:Q", title=x_title, scale=x_scale or alt.Undefined)
        if iv:  # current on y, threshold reduction (band lo..hi) on x
            return alt.Chart(bc.named(name)).mark_area(
                color=NORMAL_RANGE_COLOUR, opacity=0.55, orient="horizontal").encode(
                y=alt.Y("x:Q", title=y_title), x=alt.X("lo:Q", title=x_title,
                                                       scale=x_scale or alt.Undefined),
                x2="hi:Q")
        return alt.Chart(bc.named(name)).mark_area(
            color=NORMAL_RANGE_COLOUR, opacity=0.55).encode(
            x=enc_x, y=alt.Y("lo:Q", title=y_title, scale=y_scale or alt.Undefined), y2="hi:Q")

    def line(name, *, log=False, order=False, detail=False):
        enc = {"x": alt.X("x:Q", scale=alt.Scale(type="log") if log else alt.Undefined),
               "y": "y:Q"}
        if order:
            enc["order"] = "order:Q"
        if detail:
            enc["detail"] = "curve:N"
        point = {"color": blue, "size": 18, "aria": False}  # no unnamed ARIA marks (axe)
        return alt.Chart(bc.named(name)).mark_line(color=blue, strokeWidth=1.8,
                                                  point=point).encode(**enc)

    sd = alt.layer(band("sd_band", "pulse duration (ms)", "threshold ÷ 1 ms",
                        x_scale=alt.Scale(domain=[0.15, 1.05]),
                        y_scale=alt.Scale(domain=[0.8, 2.8], clamp=True)), line("sd"))
    te = alt.layer(band("ted_band", "delay after current onset (ms)", "threshold reduction (%)",
                        x_scale=alt.Scale(domain=[-5, 200], nice=False),
                        y_scale=alt.Scale(domain=[-160, 90], clamp=True)),
                   band("teh_band", "delay after current onset (ms)", "threshold reduction (%)"),
                   line("te", detail=True), bc.reference_rule(0.0, orient="y"))
    iv = alt.layer(band("iv_band", "threshold reduction (%)", "current (% of threshold)",
                        x_scale=alt.Scale(domain=[-400, 100], clamp=True), iv=True),
                   line("iv", order=True), bc.reference_rule(0.0, orient="y"))
    rc = alt.layer(band("rc_band", "interval (ms)", "threshold change (%)",
                        x_scale=alt.Scale(type="log", domain=[1.8, 220], nice=False),
                        y_scale=alt.Scale(domain=[-50, 120], clamp=True)),
                   line("rc", log=True), bc.reference_rule(0.0, orient="y"))
    return [bc.finish(sd, height=200, title="Strength-duration"),
            bc.finish(te, height=200, title="Threshold electrotonus (±40 %, 100 ms)"),
            bc.finish(iv, height=200, title="Current-threshold (I/V), 200 ms currents"),
            bc.finish(rc, height=200, title="Recovery cycle")]


def threshold_tracking_book_panel():
    """Kernel-free book version: :func:`readouts` over :data:`BOOK_VALUES`, one control at a
    time."""
    from widgets.panels.book import BookControl, BookPanel

    fmts = {"K_mM": "{:.1f}", "Ca_mM": "{:.2f}", "NaP_scale": "{:.2f}", "Ks_scale": "{:.2f}"}
    units = {"K_mM": "mmol/L", "Ca_mM": "mmol/L", "NaP_scale": "", "Ks_scale": ""}
    controls = [BookControl(k, LABELS[k], BOOK_VALUES[k], _DEFAULTS[k], fmt=fmts[k],
                            unit=units[k]) for k in CONTROLS]
    return BookPanel(
        key="threshold-tracking", title=TITLE, controls=controls,
        blocks=tuple((k,) for k in CONTROLS), evaluate=book_setting, charts=_book_charts(),
        decimals={name: {"x": 2, "y": 2 if name == "sd" else 1, "lo": 2, "hi": 2}
                  for name in ("sd", "te", "iv", "rc", "sd_band", "ted_band", "teh_band",
                               "iv_band", "rc_band")},
        grid_note="one control at a time over its whole range, the others at normal")


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
           "threshold_tracking_book_panel", "threshold_tracking_twin", "normal_profile_figure"]
