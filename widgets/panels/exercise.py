"""Panel: effort intensity, duration and time after effort -> K+ and motor-axon excitability.

No physiology here: K+ comes from :mod:`widgets.models.exercise`, excitability from
:mod:`widgets.models.motor_axon` (through ``exercise.excitability_at_k``).
"""

from __future__ import annotations

import html
import math
from functools import lru_cache

import numpy as np

from widgets.figures import exercise as fig_ex
from widgets.figures.style import new_figure
from widgets.models import exercise
from widgets.panels.base import FigurePanel, freeze_layout, slider

WINDOW_MIN = 20.0          # time axis of the panel (min)
TWIN_INTENSITIES = (("low", 15.0), ("moderate", 50.0), ("maximal", 100.0))
TWIN_DURATION_MIN = 3.0



def _simulate(intensity_pct: float, duration_min: float):
    duration_s = 60.0 * duration_min
    return exercise.simulate_effort(intensity_pct, duration_s,
                                    recovery_s=60.0 * WINDOW_MIN - duration_s, dt_s=2.0)


@lru_cache(maxsize=512)
def _excitability_cached(k_centi_mM: int):
    return exercise.excitability_at_k(k_centi_mM / 100.0)


def _excitability(k_mM: float):
    """Axon excitability at [K+]o rounded to 0.01 mmol/L (the readout's precision), or None
    when [K+]o is beyond the axon model's valid range."""
    valid = exercise.axon_k_range_mM()
    k = round(100.0 * k_mM)
    if not valid.low <= k / 100.0 <= valid.high:
        return None
    return _excitability_cached(k)


def _excitability_text(exc) -> tuple[str, str]:
    if exc is None:
        top = exercise.axon_k_range_mM().high
        return (f" The motor-axon model is valid only up to {top:g} mmol/L, so its "
                "excitability is not computed here.",
                f"axon excitability not computed (axon model valid up to {top:g} mmol/L)")
    rest = exc.resting_potential_mV
    thr = exercise._threshold_of(exc)
    rate = exc.spontaneous_rate_hz
    if not math.isfinite(thr):  # no pulse fires it: the node is depolarised into block
        return (f" The motor axon's resting potential there is {rest:.1f} mV: it is in "
                "depolarisation block, so no 1 ms pulse fires it (no threshold) and it fires "
                "no spontaneous spikes.",
                f"axon resting potential <b>{rest:.1f} mV</b>: <b>depolarisation block</b> "
                "(no pulse fires it; no spontaneous firing)")
    alt = (f" The motor axon's resting potential there is {rest:.1f} mV, its threshold "
           f"{thr:.2f} nA (1 ms pulse) and its spontaneous firing rate {rate:.2f} per second.")
    html_ = (f"axon resting potential <b>{rest:.1f} mV</b>, threshold <b>{thr:.2f} nA</b>, "
             f"spontaneous firing <b>{rate:.2f} /s</b>")
    return alt, html_


TITLE = "Potassium during and after effort (model; see lesson)"


def readouts(intensity_pct: float = exercise.INTENSITY_PCT.default,
             duration_min: float = exercise.EFFORT_DURATION_MIN.default,
             time_after_min: float = exercise.TIME_AFTER_EFFORT_MIN.default) -> dict:
    """Everything the panel shows at one setting: the K+ time courses, interstitial K+ at the
    chosen time after effort, and the motor axon's excitability there (None beyond the axon
    model's valid K+ range)."""
    r = _simulate(intensity_pct, duration_min)
    t_mark_s = r.effort_end_s + 60.0 * time_after_min
    k_now = float(r.interstitial_at(t_mark_s))
    return {"intensity_pct": intensity_pct, "duration_min": duration_min,
            "time_after_min": time_after_min, "exercise": r, "t_mark_s": t_mark_s,
            "k_mM": k_now, "excitability": _excitability(k_now)}


def describe(res: dict) -> tuple[str, str]:
    """Alt text and readout HTML of one setting: the same words for both readers."""
    r, k_now = res["exercise"], res["k_mM"]
    alt_exc, html_exc = _excitability_text(res["excitability"])
    alt = (f"Line plot of potassium against time. During {res['duration_min']:g} min of effort "
           f"at {res['intensity_pct']:.0f}% of maximal power, interstitial K+ in the working "
           f"muscle rises from {exercise.K_REST_INTERSTITIAL_MM:.1f} to "
           f"{r.peak_interstitial_k_mM:.1f} mmol/L, then falls back; "
           f"{res['time_after_min']:g} min after the effort (dotted line) it is "
           f"{k_now:.1f} mmol/L. Plasma K+ for whole-body effort peaks at "
           f"{float(np.max(r.plasma_k_mM)):.1f} mmol/L and dips to "
           f"{float(np.min(r.plasma_k_mM)):.1f} mmol/L after it." + alt_exc)
    after = f"{res['time_after_min']:g}"
    readout = (f"{html.escape(after)} min after effort: "
               f"interstitial K⁺ <b>{k_now:.2f} mmol/L</b>"
               + (f"; {html_exc}" if html_exc else ""))
    return alt, readout


def exercise_panel() -> FigurePanel:
    """Live panel: intensity (% of maximal), duration (min), time after effort (min)."""
    controls = {
        "intensity_pct": slider("effort intensity", exercise.INTENSITY_PCT, step=5.0,
                                readout_format=".0f"),
        "duration_min": slider("effort duration", exercise.EFFORT_DURATION_MIN, step=0.25),
        "time_after_min": slider("time after effort", exercise.TIME_AFTER_EFFORT_MIN,
                                 step=0.25),
    }
    fig, ax = new_figure(1, 1, width_in=7.0, height_in=3.4)
    v = {k: c.value for k, c in controls.items()}
    res = _simulate(v["intensity_pct"], v["duration_min"])
    art = fig_ex.plot_k_timecourse(res, ax, time_after_s=60.0 * v["time_after_min"])
    (dot,) = ax.plot([0.0], [exercise.K_REST_INTERSTITIAL_MM], "o", color="black", ms=6)
    ax.set_title("K+ in and around a working muscle")

    freeze_layout(fig)
    state = {"panel": None, "result": None}

    def update(intensity_pct, duration_min, time_after_min):
        res = readouts(intensity_pct, duration_min, time_after_min)
        r = res["exercise"]
        art["interstitial"].set_ydata(r.interstitial_k_mM)
        art["plasma"].set_ydata(r.plasma_k_mM)
        art["effort"].set_x(0.0)
        art["effort"].set_width(r.effort_end_s / 60.0)
        art["marker"].set_xdata([res["t_mark_s"] / 60.0] * 2)
        dot.set_data([res["t_mark_s"] / 60.0], [res["k_mM"]])
        state["result"] = {"exercise": r, "k_mM": res["k_mM"],
                           "excitability": res["excitability"]}
        if state["panel"] is not None:
            state["panel"].last_result = state["result"]
        return describe(res)

    panel = FigurePanel(controls, fig, update, title=TITLE)
    state["panel"] = panel
    panel.last_result = state["result"]
    panel.book = exercise_book_panel
    return panel


# ----------------------------------------------------------------- the book's (kernel-free) panel
def _steps(lo, hi, step):
    return tuple(round(lo + step * i, 2) for i in range(int(round((hi - lo) / step)) + 1))


#: Book grid: intensity (steps of 5) x time after effort (0.25 min) jointly at the default
#: duration; duration (0.25 min) x time after effort jointly at the default intensity.
BOOK_VALUES = {"intensity_pct": _steps(0.0, 100.0, 5.0),
               "duration_min": _steps(0.25, 10.0, 0.25),
               "time_after_min": _steps(0.0, 10.0, 0.25)}
BOOK_BLOCKS = (("intensity_pct", "time_after_min"), ("duration_min", "time_after_min"))


def book_setting(intensity_pct, duration_min, time_after_min) -> dict:
    """What the book panel stores for one setting: readout text and the chart's arrays."""
    res = readouts(intensity_pct, duration_min, time_after_min)
    alt, readout = describe(res)
    r = res["exercise"]
    step = max(1, r.t_s.size // 300)
    return {"readout": readout, "alt": alt, "data": {
        "k": {"t_min": r.t_s[::step] / 60.0, "interstitial": r.interstitial_k_mM[::step],
              "plasma": r.plasma_k_mM[::step]},
        "effort": {"end_min": [r.effort_end_s / 60.0]},
        "mark": {"t_min": [res["t_mark_s"] / 60.0], "k_mM": [res["k_mM"]]},
    }}


def _book_charts() -> list[dict]:
    import altair as alt

    from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE
    from widgets.panels import book_charts as bc

    x = alt.X("t_min:Q", title="time from start of effort (min)",
              scale=alt.Scale(domain=[0, WINDOW_MIN]))
    band = alt.Chart(bc.ONE_ROW).mark_rect(color=NORMAL_RANGE_COLOUR, opacity=0.35).encode(
        y=alt.datum(fig_ex.SERUM_K_RANGE_MM[0]), y2=alt.datum(fig_ex.SERUM_K_RANGE_MM[1]))
    effort = alt.Chart(bc.named("effort")).mark_rect(color=PALETTE["yellow"], opacity=0.3).encode(
        x="end_min:Q", x2=alt.datum(0))
    names = ["interstitial K+ (working muscle)", "plasma K+ (whole-body effort)"]
    lines = alt.Chart(bc.named("k")).transform_fold(
        ["interstitial", "plasma"], as_=["which", "k"]).transform_calculate(
        line=f"datum.which === 'interstitial' ? '{names[0]}' : '{names[1]}'").mark_line().encode(
        x=x, y=alt.Y("k:Q", title="K+ concentration (mmol/L)", scale=alt.Scale(domain=[2.5, 14])),
        color=alt.Color("line:N", title=None, scale=alt.Scale(
            domain=names, range=[PALETTE["blue"], PALETTE["vermillion"]]),
            legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=300)),
        strokeDash=alt.StrokeDash("line:N", title=None, scale=alt.Scale(
            domain=names, range=[[1, 0], [5, 3]])))
    rule = alt.Chart(bc.named("mark")).mark_rule(color=PALETTE["black"], strokeDash=[2, 2]).encode(
        x="t_min:Q")
    dot = alt.Chart(bc.named("mark")).mark_point(filled=True, size=60,
                                                 color=PALETTE["black"]).encode(
        x="t_min:Q", y="k_mM:Q")
    return [bc.finish(alt.layer(band, effort, lines, rule, dot), height=250,
                      title="K+ in and around a working muscle (grey: serum reference range; "
                            "yellow: effort)")]


def exercise_book_panel():
    """Kernel-free book version: :func:`readouts` over the grid of BOOK_BLOCKS."""
    from widgets.panels.book import BookControl, BookPanel

    specs = (("intensity_pct", "effort intensity", exercise.INTENSITY_PCT, "{:.0f}"),
             ("duration_min", "effort duration", exercise.EFFORT_DURATION_MIN, "{:.2f}"),
             ("time_after_min", "time after effort", exercise.TIME_AFTER_EFFORT_MIN, "{:.2f}"))
    controls = [BookControl(n, label, BOOK_VALUES[n], valid.default, fmt=fmt, unit=valid.unit)
                for n, label, valid, fmt in specs]
    return BookPanel(
        key="exercise", title=TITLE, controls=controls, blocks=BOOK_BLOCKS, wide=(0,),
        evaluate=book_setting, charts=_book_charts(),
        decimals={"k": {"t_min": 3, "interstitial": 2, "plasma": 2},
                  "effort": {"end_min": 3}, "mark": {"t_min": 3, "k_mM": 2}},
        grid_note=("intensity with time after effort (at the default duration), and duration "
                   "with time after effort (at the default intensity)"))


def exercise_twin():
    """Static twin: K+ time courses for low, moderate and maximal 3-min efforts."""
    fig, axes = new_figure(1, 3, width_in=9.0, height_in=3.0, sharey=True)
    for ax, (name, pct) in zip(axes, TWIN_INTENSITIES, strict=True):
        r = _simulate(pct, TWIN_DURATION_MIN)
        fig_ex.plot_k_timecourse(r, ax, legend=ax is axes[-1])
        exc = _excitability(float(r.interstitial_at(r.effort_end_s)))
        extra = (f"\naxon rest {exc.resting_potential_mV:.0f} mV at end" if exc
                 else "\n(beyond axon model range at end)")
        ax.set_title(f"{name} effort ({pct:.0f}% of max, {TWIN_DURATION_MIN:g} min){extra}",
                     fontsize=9)
        if ax is not axes[0]:
            ax.set_ylabel("")
    return fig
