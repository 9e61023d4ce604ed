"""Panel: effort intensity, duration and time after effort -> K+ and motor-axon excitability.

No physiology here: K+ comes from :mod:`widgets.models.exercise`, excitability from
:mod:`widgets.models.motor_axon` (through ``exercise.excitability_at_k``).
"""

from __future__ import annotations

import html
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
    alt = (f" The motor axon's resting potential there is {rest:.1f} mV, its threshold "
           f"{thr:.2f} nA (1 ms pulse) and its spontaneous firing rate {rate:.2f} per second.")
    html_ = (f"axon resting potential <b>{rest:.1f} mV</b>, threshold <b>{thr:.2f} nA</b>, "
             f"spontaneous firing <b>{rate:.2f} /s</b>")
    return alt, html_


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
        r = _simulate(intensity_pct, duration_min)
        art["interstitial"].set_ydata(r.interstitial_k_mM)
        art["plasma"].set_ydata(r.plasma_k_mM)
        end_min = r.effort_end_s / 60.0
        art["effort"].set_x(0.0)
        art["effort"].set_width(end_min)
        t_mark = r.effort_end_s + 60.0 * time_after_min
        art["marker"].set_xdata([t_mark / 60.0, t_mark / 60.0])
        k_now = float(r.interstitial_at(t_mark))
        dot.set_data([t_mark / 60.0], [k_now])
        exc = _excitability(k_now)
        state["result"] = {"exercise": r, "k_mM": k_now, "excitability": exc}
        if state["panel"] is not None:
            state["panel"].last_result = state["result"]
        alt_exc, html_exc = _excitability_text(exc)
        alt = (f"Line plot of potassium against time. During {duration_min:g} min of effort "
               f"at {intensity_pct:.0f}% of maximal power, interstitial K+ in the working "
               f"muscle rises from {exercise.K_REST_INTERSTITIAL_MM:.1f} to "
               f"{r.peak_interstitial_k_mM:.1f} mmol/L, then falls back; "
               f"{time_after_min:g} min after the effort (dotted line) it is "
               f"{k_now:.1f} mmol/L. Plasma K+ for whole-body effort peaks at "
               f"{float(np.max(r.plasma_k_mM)):.1f} mmol/L and dips to "
               f"{float(np.min(r.plasma_k_mM)):.1f} mmol/L after it." + alt_exc)
        readout = (f"{html.escape(f'{time_after_min:g}')} min after effort: interstitial K⁺ "
                   f"<b>{k_now:.2f} mmol/L</b>" + (f"; {html_exc}" if html_exc else ""))
        return alt, readout

    panel = FigurePanel(controls, fig, update,
                        title="Potassium during and after effort (model; see lesson)")
    state["panel"] = panel
    panel.last_result = state["result"]
    return panel


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
