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


def readouts(prevalence_per_100k: float = base_rates.PRIOR_PER_100K.default,
             sens_fasc: float = base_rates.PANEL_SENSITIVITY.default,
             fpr_fasc: float = base_rates.PANEL_FPR_FASCICULATION.default,
             sens_fww: float = base_rates.PANEL_SENSITIVITY_FWW.default,
             fpr_fww: float = base_rates.PANEL_FPR_FWW.default):
    """Everything the panel shows at one setting: the population tree (expected counts)."""
    return _tree(prevalence_per_100k, sens_fasc, fpr_fasc, sens_fww, fpr_fww)


def describe(t) -> tuple[str, str]:
    """Alt text and readout HTML of one setting: the same words for both readers."""
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


def _controls_spec():
    """(name, label, valid range, live step, readout format) of each control."""
    return (
        ("prevalence_per_100k", "ALS prevalence", base_rates.PRIOR_PER_100K, 0.1, ".1f"),
        ("sens_fasc", "P(noticed twitching | ALS)", base_rates.PANEL_SENSITIVITY, 0.01, ".2f"),
        ("fpr_fasc", "P(noticed twitching | no ALS)", base_rates.PANEL_FPR_FASCICULATION,
         0.01, ".2f"),
        ("sens_fww", "P(twitching + weakness + wasting | ALS), illustrative",
         base_rates.PANEL_SENSITIVITY_FWW, 0.01, ".2f"),
        ("fpr_fww", "P(twitching + weakness + wasting | no ALS), illustrative",
         base_rates.PANEL_FPR_FWW, 0.0001, ".4f"),
    )


def base_rate_panel() -> FigurePanel:
    """Live panel: ALS prevalence and the two findings' sensitivity / false-positive rate."""
    controls = {name: slider(label, valid, step=step, readout_format=fmt)
                for name, label, valid, step, fmt in _controls_spec()}
    fig, ax = new_figure(1, 1, width_in=7.5, height_in=3.2)
    tree = readouts(**{k: c.value for k, c in controls.items()})
    art = fig_br.plot_population_tree(tree, ax)
    ax.set_title(f"expected counts in {POPULATION:,} people", fontsize=9)

    freeze_layout(fig)
    state = {"panel": None, "result": None}

    def update(prevalence_per_100k, sens_fasc, fpr_fasc, sens_fww, fpr_fww):
        t = readouts(prevalence_per_100k, sens_fasc, fpr_fasc, sens_fww, fpr_fww)
        fig_br.update_population_tree(art, t)
        state["result"] = t
        if state["panel"] is not None:
            state["panel"].last_result = state["result"]
        return describe(t)

    panel = FigurePanel(controls, fig, update, title=TITLE)
    state["panel"] = panel
    panel.last_result = state["result"]
    panel.book = base_rate_book_panel
    return panel


# ----------------------------------------------------------------- the book's (kernel-free) panel
def _steps(lo, hi, step, nd):
    return tuple(round(lo + step * i, nd) for i in range(int(round((hi - lo) / step)) + 1))


#: Book grid: the two twitching sliders jointly (0.05 and 0.01 steps); the two illustrative
#: weakness-and-wasting sliders jointly; prevalence one at a time (the others at their defaults).
_GRID = {
    "prevalence_per_100k": (*_steps(0.5, 10.0, 0.5, 1), 12.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0),
    "sens_fasc": _steps(0.05, 1.0, 0.05, 2),
    "fpr_fasc": _steps(0.01, 0.99, 0.01, 2),
    "sens_fww": _steps(0.05, 1.0, 0.05, 2),
    "fpr_fww": (0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02),
}
#: each control's grid, with its default (the cited value) added
BOOK_VALUES = {name: tuple(sorted({*_GRID[name], valid.default}))
               for name, _, valid, _, _ in _controls_spec()}
BOOK_BLOCKS = (("sens_fasc", "fpr_fasc"), ("sens_fww", "fpr_fww"), ("prevalence_per_100k",))


def book_setting(**setting) -> dict:
    """What the book panel stores for one setting: readout text and the chart's arrays."""
    t = readouts(**setting)
    alt, readout = describe(t)
    counts = [getattr(t, attr) for _, attr in fig_br.ROWS]
    return {"readout": readout, "alt": alt, "data": {"tree": {
        "row": [label.replace("\n", " ") for label, _ in fig_br.ROWS],
        "count": [max(c, 1e-3) for c in counts], "text": [fig_br._fmt(c) for c in counts]}}}


#: Below this plot width (px, a phone) the count axis labels big numbers short (10k, 1M) and
#: reaches further right, so that the bars' count labels stay inside the chart.
NARROW_PLOT_px = 300


def _book_charts() -> list[dict]:
    import json

    import altair as alt

    from widgets.panels import book_charts as bc

    rows = [label.replace("\n", " ") for label, _ in fig_br.ROWS]
    # a long row name on the lines the static figure breaks it into (room for the bars on a phone)
    lines = json.dumps({label.replace("\n", " "): label.split("\n") for label, _ in fig_br.ROWS
                        if "\n" in label})
    colours = list(fig_br._COLOURS)
    narrow = f"width < {NARROW_PLOT_px}"
    base = alt.Chart(bc.named("tree")).encode(
        y=alt.Y("row:N", title=None, sort=rows, axis=alt.Axis(
            labelLimit=260, labelExpr=f"{lines}[datum.label] || datum.label")))
    x = alt.X("count:Q", title="number of people (log scale)",
              scale=alt.Scale(type="log", domain=alt.ExprRef(
                  f"[0.01, {narrow} ? {POPULATION * 3000} : {POPULATION * 30}]")),
              axis=alt.Axis(values=[0.01, 1, 100, 10_000, 1_000_000],
                            labelExpr=f"datum.value < 1 ? '0.01' : {narrow} && "
                                      "datum.value >= 1e4 ? format(datum.value, '.0s') : "
                                      "format(datum.value, ',')"))
    bars = base.mark_bar().encode(
        x=x, x2=alt.datum(0.01),
        color=alt.Color("row:N", scale=alt.Scale(domain=rows, range=colours), legend=None))
    text = base.mark_text(align="left", dx=4, fontSize=12).encode(x="count:Q", text="text:N")
    return [bc.finish(alt.layer(bars, text), height=210,
                      title=f"expected counts in {POPULATION:,} people")]


def base_rate_book_panel():
    """Kernel-free book version: :func:`readouts` over :data:`BOOK_VALUES` (see BOOK_BLOCKS)."""
    from widgets.panels.book import BookControl, BookPanel

    controls = [BookControl(name, label, BOOK_VALUES[name], valid.default,
                            fmt="{:" + fmt + "}", unit=valid.unit)
                for name, label, valid, _, fmt in _controls_spec()]
    return BookPanel(
        key="base-rates", title=TITLE, controls=controls, blocks=BOOK_BLOCKS,
        evaluate=book_setting, charts=_book_charts(), wide=(0,),
        decimals={"tree": {"count": 3}},
        grid_note=("the two twitching sliders jointly, the two illustrative weakness-and-wasting "
                   "sliders jointly, prevalence one at a time; the others at their defaults"))


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
              f"weakness + wasting (ILLUSTRATIVE inputs:\nmade-up, not a measurement):\n"
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
    # the "made-up inputs" note is in the title: inside the plot it ran into the value of the
    # last bar on a phone
    fig.suptitle(f"Expected counts in a population of {POPULATION:,} people "
                 "(a population figure, not a personal risk)", fontsize=10)
    return fig
