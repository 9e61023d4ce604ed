"""Panel: prevalence, sensitivity and false-positive rate -> a population tree of 100,000.

A population figure, never a personal risk. No physiology or statistics here: the counts
come from :func:`widgets.models.base_rates.population_tree`.
"""

from __future__ import annotations

from widgets.figures import base_rates as fig_br
from widgets.figures.style import new_figure
from widgets.models import base_rates
from widgets.panels.base import FigurePanel, freeze_layout, slider

POPULATION = 100_000
TITLE = (f"Twitching and ALS in a population of {POPULATION:,} people "
         "(a population figure, not a personal risk)")



def _tree(prevalence_per_100k, sens_fasc, fpr_fasc, sens_fww, fpr_fww):
    return base_rates.population_tree(
        POPULATION, prior=prevalence_per_100k / 1e5, sensitivity=sens_fasc,
        false_positive_rate=fpr_fasc, fww_sensitivity=sens_fww,
        fww_false_positive_rate=fpr_fww)


def _one_in(frac: float) -> str:
    return base_rates.one_in(frac)


def base_rate_panel() -> FigurePanel:
    """Live panel: ALS prevalence and the two findings' sensitivity / false-positive rate."""
    controls = {
        "prevalence_per_100k": slider("ALS prevalence", base_rates.PRIOR_PER_100K, step=0.1,
                                      readout_format=".1f"),
        "sens_fasc": slider("P(noticed twitching | ALS)", base_rates.PANEL_SENSITIVITY,
                            step=0.01),
        "fpr_fasc": slider("P(noticed twitching | no ALS)", base_rates.PANEL_FPR_FASCICULATION,
                           step=0.01),
        "sens_fww": slider("P(twitching + weakness + wasting | ALS), illustrative",
                           base_rates.PANEL_SENSITIVITY_FWW, step=0.01),
        "fpr_fww": slider("P(twitching + weakness + wasting | no ALS), illustrative",
                          base_rates.PANEL_FPR_FWW, step=0.0001, readout_format=".4f"),
    }
    fig, ax = new_figure(1, 1, width_in=7.5, height_in=3.2)
    tree = _tree(**{k: c.value for k, c in controls.items()})
    art = fig_br.plot_population_tree(tree, ax)
    ax.set_title(f"expected counts in {POPULATION:,} people", fontsize=9)

    freeze_layout(fig)
    state = {"panel": None, "result": None}

    def update(prevalence_per_100k, sens_fasc, fpr_fasc, sens_fww, fpr_fww):
        t = _tree(prevalence_per_100k, sens_fasc, fpr_fasc, sens_fww, fpr_fww)
        fig_br.update_population_tree(art, t)
        state["result"] = t
        if state["panel"] is not None:
            state["panel"].last_result = state["result"]
        a = t.fraction_of_twitching_with_als
        b = t.fraction_of_fww_with_als
        alt = (f"Bar chart of expected counts in a population of {POPULATION:,}: "
               f"{t.with_als:.1f} people have ALS; {t.twitching:,.0f} have ever noticed "
               f"twitching, of whom {t.twitching_with_als:.1f} have ALS ({_one_in(a)}); "
               f"{t.fww:,.1f} have twitching with weakness and wasting (illustrative "
               f"inputs), of whom {t.fww_with_als:.1f} have ALS "
               f"({base_rates.in_100(b)}). Population counts, not a personal risk.")
        readout = (f"In this population: of <b>{t.twitching:,.0f}</b> people who have noticed "
                   f"twitching, <b>{t.twitching_with_als:.1f}</b> have ALS ({_one_in(a)}); "
                   f"with weakness and wasting as well (<i>illustrative inputs</i>), "
                   f"<b>{base_rates.in_100(b)}</b> have ALS. "
                   f"<i>A population figure, not anyone's personal risk.</i>")
        return alt, readout

    panel = FigurePanel(controls, fig, update, title=TITLE)
    state["panel"] = panel
    panel.last_result = state["result"]
    return panel


def base_rate_twin():
    """Static twin: fasciculations alone vs with weakness and wasting (cited defaults)."""
    tree = base_rates.population_tree(POPULATION)
    fig, axes = new_figure(1, 2, width_in=9.0, height_in=3.3, sharex=True)
    rows = ((("everyone", tree.population), ("noticed twitching", tree.twitching),
             ("... and ALS", tree.twitching_with_als)),
            (("everyone", tree.population),
             ("twitching + weakness\n+ wasting", tree.fww),
             ("... and ALS", tree.fww_with_als)))
    titles = (f"noticed twitching (cited inputs):\n"
              f"{base_rates.one_in(tree.fraction_of_twitching_with_als)} have ALS",
              f"weakness + wasting (ILLUSTRATIVE inputs):\n"
              f"{base_rates.in_100(tree.fraction_of_fww_with_als)} have ALS")
    colours = ("#000000", "#56B4E9", "#D55E00")
    for ax, r, title in zip(axes, rows, titles, strict=True):
        y = [2, 1, 0]
        ax.barh(y, [max(v, 1e-3) for _, v in r], color=colours, height=0.6)
        for yy, (_, v) in zip(y, r, strict=True):
            ax.text(max(v, 1e-3) * 1.15, yy, fig_br._fmt(v), va="center", fontsize=9)
        ax.set_yticks(y, [lab for lab, _ in r])
        ax.set_xscale("log")
        ax.set(xlim=(0.1, POPULATION * 30), xlabel="number of people (log scale)")
        ax.set_title(title, fontsize=9)
    axes[1].text(0.97, 0.06, "illustrative: made-up inputs,\nnot a measurement",
                 transform=axes[1].transAxes, ha="right", va="bottom", fontsize=8,
                 style="italic")
    fig.suptitle(f"Expected counts in a population of {POPULATION:,} people "
                 "(a population figure, not a personal risk)", fontsize=10)
    return fig
