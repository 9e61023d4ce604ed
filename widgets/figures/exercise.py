"""Drawing of exercise K+ time courses (``widgets.models.exercise``)."""

from __future__ import annotations

from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE

#: Serum K+ reference range (mmol/L), drawn as a shaded band for orientation.
SERUM_K_RANGE_MM = (3.5, 5.0)


def plot_k_timecourse(result, ax, *, time_after_s: float | None = None, plasma: bool = True,
                      legend: bool = True) -> dict:
    """Interstitial (and plasma) K+ against time in minutes; returns the artists.

    A vertical marker shows ``time_after_s`` (seconds after the end of effort) if given.
    """
    t_min = result.t_s / 60.0
    band = ax.axhspan(*SERUM_K_RANGE_MM, color=NORMAL_RANGE_COLOUR, alpha=0.35, lw=0,
                      label="serum reference range")
    effort = ax.axvspan(0.0, result.effort_end_s / 60.0, color=PALETTE["yellow"], alpha=0.3,
                        lw=0, label="effort")
    (li,) = ax.plot(t_min, result.interstitial_k_mM, color=PALETTE["blue"],
                    label="interstitial K+ (working muscle)")
    lp = None
    if plasma:
        (lp,) = ax.plot(t_min, result.plasma_k_mM, color=PALETTE["vermillion"], ls="--",
                        label="plasma K+ (whole-body effort)")
    marker = None
    if time_after_s is not None:
        x = (result.effort_end_s + time_after_s) / 60.0
        marker = ax.axvline(x, color=PALETTE["black"], lw=1.0, ls=":")
    ax.set(xlabel="time from start of effort (min)", ylabel="K+ concentration (mmol/L)",
           ylim=(2.5, 14.0), xlim=(0.0, t_min[-1]))
    if legend:
        ax.legend(loc="upper right", frameon=False, fontsize=8)
    return {"interstitial": li, "plasma": lp, "marker": marker, "effort": effort,
            "band": band}
