"""Panels and figures for Part 3, lessons 4-6: where is the generator, what is the evidence,
and how base rates change with prevalence.

* :func:`generator_panel` / :func:`generator_twin`: a brain disorder's typical movement next
  to a fasciculation (synthetic traces from :mod:`widgets.models.movements`).
* :func:`evidence_panel` / :func:`evidence_twin`: other causes graded by mechanism and
  evidence, as a dot table (:data:`widgets.models.differential.OTHER_CAUSES`).
* :func:`posterior_curves_figure`: fraction with ALS among people with a finding, against
  prevalence (population figure, never a personal risk).

No physiology or data here: panels map controls to the models and redraw.
"""

from __future__ import annotations

import html
import math

import ipywidgets as ipw

from widgets.figures import differential as fig_dx
from widgets.figures import movements as fig_mv
from widgets.figures.style import PALETTE, new_figure
from widgets.models import base_rates, movements
from widgets.models import differential as dx

SEED = (0, 99)
REFERENCE_SEED = 0
#: Rows of the static twin: (movement, level in words, disorders named in lesson 4).
TWIN_ROWS = (
    ("fasciculation", "lower motor neuron", "benign fasciculation; ALS"),
    ("myoclonus", "cerebral cortex", "myoclonic epilepsy, Alzheimer, Lewy body, CJD, "
     "meningitis"),
    ("chorea", "basal ganglia", "Huntington disease, stroke"),
    ("tremor", "basal ganglia loops", "Parkinson disease, Wilson disease"),
    ("tic", "cortico-striatal circuits", "Tourette syndrome"),
    ("myokymia", "brainstem (facial nerve)", "multiple sclerosis"),
)


def _features_text(f) -> str:
    angle = f"peak joint angle {f.peak_angle_deg:.1f} deg"
    if f.n_events == 0:
        return f"no events in this trace, {angle}"
    if math.isfinite(f.interval_cv):
        cv = f"interval CV {f.interval_cv:.2f}"
    else:  # the model gives NaN below 3 events (fewer than 2 intervals)
        cv = (f"interval CV not defined (only {f.n_events} "
              f"event{'s' if f.n_events != 1 else ''} in this trace; it needs 3)")
    return f"events last about {f.median_event_ms:.0f} ms, {cv}, {angle}"


def generator_twin(seed: int = 0):
    """Static twin: fasciculation and five brain-generated movements, EMG and joint angle."""
    fig, axes = new_figure(len(TWIN_ROWS), 2, width_in=10.0, height_in=1.6 * len(TWIN_ROWS))
    for k, (kind, level, disorders) in enumerate(TWIN_ROWS):
        rec = movements.simulate(kind, seed)
        fig_mv.plot_recording(rec, axes[k, 0], axes[k, 1])
        axes[k, 0].set_ylabel("EMG (mV)")
        axes[k, 0].set_title(f"{kind} | generator: {level}", loc="left", fontsize=9)
        axes[k, 1].set_title(f"e.g. {disorders}", loc="left", fontsize=8)
    return fig


GENERATOR_TITLE = "Where is the generator? A brain-made movement vs a fasciculation"
GENERATOR_NAMES = [*dx.BRAIN_DISORDERS, dx.FASCICULATION.name]


def generator_readouts(disorder: str = GENERATOR_NAMES[0], seed: int = 0) -> dict:
    """Everything the generator panel shows: the disorder, its synthetic movement (one seeded
    example), its event features and those of the reference fasciculation."""
    d = dx.brain_disorder(disorder)
    rec = movements.simulate(d.movement, int(seed))
    ref = movements.simulate("fasciculation", REFERENCE_SEED)
    return {"disorder": d, "recording": rec, "features": movements.event_features(rec),
            "reference": ref, "reference_features": movements.event_features(ref)}


def describe_generator(r: dict) -> tuple[str, str]:
    """Alt text and readout HTML of one setting: the same words for both readers."""
    d, rec, f, ref_f = r["disorder"], r["recording"], r["features"], r["reference_features"]
    alt = (f"Top: synthetic {rec.electrode} EMG (mV) and joint angle (deg) over "
           f"{rec.duration_s:.0f} s for {d.movement_label} ({d.name}); "
           f"{_features_text(f)}. Bottom: a fasciculation for comparison, needle EMG "
           f"with single brief potentials and a flat joint angle.")
    readout = (f"<b>{html.escape(d.name)}</b>: {html.escape(d.movement_label)}, generated "
               f"by {html.escape(d.generator)} (level: {html.escape(d.level)}). "
               f"Top trace: {_features_text(f)}. Fasciculation: "
               f"{_features_text(ref_f)}. Comes with: {html.escape(d.other_features)}. "
               "<i>Synthetic traces for teaching, not recordings.</i>")
    return alt, readout


def generator_panel(seed: int = 0) -> ipw.Widget:
    """Live panel: choose a disorder; its typical movement (top) against a fasciculation."""
    from widgets.panels.base import FigurePanel, Memo

    names = GENERATOR_NAMES
    controls = {
        "disorder": ipw.Dropdown(options=names, value=names[0], description="disorder"),
        "seed": ipw.IntSlider(value=seed, min=SEED[0], max=SEED[1], description="example",
                              continuous_update=False),
    }
    r0 = generator_readouts(names[0], seed)
    fig, axes = new_figure(2, 2, width_in=9.0, height_in=4.2)
    art = fig_mv.plot_recording(r0["recording"], axes[0, 0], axes[0, 1])
    fig_mv.plot_recording(r0["reference"], axes[1, 0], axes[1, 1])
    top = axes[0, 0].set_title("", loc="left", fontsize=9)
    axes[1, 0].set_title("fasciculation (for comparison) | generator: lower motor neuron",
                         loc="left", fontsize=9)
    for ax in axes[:, 0]:
        ax.set_ylabel("EMG (mV)")

    model = Memo(generator_readouts, maxsize=24)  # about 1.2 MB each: shown or primed, kept

    def update(disorder, seed):
        r = model(disorder, seed)
        d = r["disorder"]
        fig_mv.update_recording(art, r["recording"], axes[0, 0], axes[0, 1])
        axes[0, 0].set_ylabel("EMG (mV)")
        top.set_text(f"{d.name}: {d.movement_label} | generator: {d.level}")
        return describe_generator(r)

    panel = FigurePanel(controls, fig, update, title=GENERATOR_TITLE,
                        prerender=[{"disorder": name} for name in names], model=model)
    panel.book = generator_book_panel
    return panel


#: Book grid of the generator panel: every disorder x the first 20 examples (seeds 0-19).
BOOK_SEEDS = tuple(range(20))


def generator_book_setting(disorder, seed) -> dict:
    """What the book panel stores for one setting: readout text and both recordings' arrays."""
    from widgets.panels.classify import recording_data

    r = generator_readouts(disorder, seed)
    alt, readout = describe_generator(r)
    d = r["disorder"]
    readout = f"<p><b>{html.escape(d.movement_label)} | generator: {html.escape(d.level)}</b></p>" \
        + readout
    return {"readout": readout, "alt": alt,
            "data": {**recording_data(r["recording"]), **recording_data(r["reference"], "ref_")}}


def generator_book_panel():
    """Kernel-free book version: every disorder with examples 0-19 (live: 0-99)."""
    from widgets.panels.book import BookControl, BookPanel
    from widgets.panels.classify import RECORDING_DECIMALS, recording_charts

    controls = [BookControl("disorder", "disorder", tuple(GENERATOR_NAMES), GENERATOR_NAMES[0]),
                BookControl("seed", "example", BOOK_SEEDS, 0, fmt="{:d}")]
    charts = (recording_charts(caption="this disorder's movement: ")
              + recording_charts("ref_", caption="fasciculation (for comparison, generator: "
                                 "lower motor neuron): "))
    decimals = {**RECORDING_DECIMALS, **{f"ref_{k}": v for k, v in RECORDING_DECIMALS.items()}}
    return BookPanel(
        key="generator", title=GENERATOR_TITLE, controls=controls,
        blocks=(("disorder", "seed"),), evaluate=generator_book_setting, charts=charts,
        decimals=decimals,
        grid_note=f"every disorder with examples 0 to {BOOK_SEEDS[-1]} (the live panel offers "
                  f"{SEED[0]} to {SEED[1]})")


#: Size of the evidence dot table (in): tall enough that on a phone (4.2 in wide, same shape)
#: its 13 rows and its upright grade names fit.
EVIDENCE_SIZE_in = (6.4, 5.4)


def evidence_twin():
    """Static twin of the evidence panel: every other cause on the two grades (a dot table)."""
    fig, ax = new_figure(1, 1, width_in=EVIDENCE_SIZE_in[0], height_in=EVIDENCE_SIZE_in[1])
    fig_dx.plot_evidence_map(ax)
    return fig


EVIDENCE_TITLE = "Other causes: is there a mechanism, and what is the evidence?"


def evidence_readouts(cause: str = next(iter(dx.OTHER_CAUSES))) -> dict:
    """Everything the evidence panel shows for one cause: its two grades and what it causes."""
    c = dx.other_cause(cause)
    return {"cause": cause, "entry": c, "mechanism": dx.MECHANISM_GRADES[c.mechanism],
            "evidence": dx.EVIDENCE_GRADES[c.evidence]}


def describe_evidence(r: dict) -> tuple[str, str]:
    """Alt text and readout HTML of one cause: the same words for both readers."""
    cause, mech, evid = r["cause"], r["mechanism"], r["evidence"]
    alt = (f"Dot table of {len(dx.OTHER_CAUSES)} conditions, one row each, strongest evidence "
           "at the top: a dot for the plausible mechanism for fasciculation (none known, "
           "indirect, direct) and a dot for the evidence linking it to fasciculation (none "
           f"found, case reports, some cases, common feature); {cause}'s row is highlighted, "
           f"mechanism '{mech}', evidence '{evid}'.")
    readout = (f"<b>{html.escape(cause)}</b>. Mechanism: {html.escape(mech)}. Evidence: "
               f"{html.escape(evid)}. What it really causes: "
               f"{html.escape(r['entry'].what_it_really_causes)}.")
    return alt, readout


def evidence_panel() -> ipw.Widget:
    """Live panel: choose a cause; its row of the dot table is marked and its grades are
    explained."""
    from widgets.panels.base import FigurePanel

    names = list(dx.OTHER_CAUSES)
    controls = {"cause": ipw.Dropdown(options=names, value=names[0], description="cause")}
    fig, ax = new_figure(1, 1, width_in=EVIDENCE_SIZE_in[0], height_in=EVIDENCE_SIZE_in[1])
    art = fig_dx.plot_evidence_map(ax)

    def update(cause):
        fig_dx.highlight_cause(art, cause)
        return describe_evidence(evidence_readouts(cause))

    panel = FigurePanel(controls, fig, update, title=EVIDENCE_TITLE)
    panel.book = evidence_book_panel
    return panel


def evidence_book_setting(cause) -> dict:
    r = evidence_readouts(cause)
    alt, readout = describe_evidence(r)
    names = fig_dx.evidence_order()
    cols = {n: fig_dx.evidence_columns(n) for n in names}
    return {"readout": readout, "alt": alt, "data": {
        "causes": {"name": names, "mx": [cols[n][0] for n in names],
                   "ex": [cols[n][1] for n in names]},
        "chosen": {"name": [cause], "mx": [cols[cause][0]], "ex": [cols[cause][1]]}}}


#: Below this plot width (px) the dot table's grade names stand upright on one line each (a
#: phone); above it they lie flat, on two lines where the static figure breaks them.
EVIDENCE_UPRIGHT_BELOW_px = 420


def _evidence_charts() -> list[dict]:
    """The dot table of the static figure as one Vega-Lite chart: a row per cause (its name as
    the y label, bold for the chosen cause, whose row has a pale band and ringed dots)."""
    import json

    import altair as alt

    from widgets.panels import book_charts as bc

    ticks = [*fig_dx.MECHANISM_TICKS, *fig_dx.EVIDENCE_TICKS]
    values = [*range(len(fig_dx.MECHANISM_TICKS)),
              *(fig_dx.EVIDENCE_X0 + k for k in range(len(fig_dx.EVIDENCE_TICKS)))]
    last = values[-1]
    upright = f"width < {EVIDENCE_UPRIGHT_BELOW_px}"
    names = json.dumps({f"{v:g}": t.split("\n") for v, t in zip(values, ticks, strict=True)})
    x_axis = alt.Axis(
        values=values, title=None, ticks=False, labelOverlap=False, labelPadding=6,
        labelExpr=f"{upright} ? join({names}[format(datum.value, '')], ' ') : "
                  f"{names}[format(datum.value, '')]",
        labelAngle=alt.ExprRef(f"{upright} ? -90 : 0"),
        labelAlign=alt.ExprRef(f"{upright} ? 'right' : 'center'"),
        labelBaseline=alt.ExprRef(f"{upright} ? 'middle' : 'top'"))
    x = alt.X("x:Q", scale=alt.Scale(domain=[-0.5, last + 0.5], nice=False, zero=False),
              axis=x_axis)
    order = fig_dx.evidence_order()
    y = alt.Y("name:N", sort=order, title=None, scale=alt.Scale(paddingInner=0, paddingOuter=0),
              axis=alt.Axis(ticks=False, labelLimit=220, labelPadding=6, domain=False,
                            labelFontWeight={"condition": {
                                "test": "length(data('chosen')) > 0 && "
                                        "data('chosen')[0].name === datum.value",
                                "value": "bold"}, "value": "normal"}))
    band = alt.Chart(bc.named("chosen")).mark_rect(color=PALETTE["yellow"], opacity=0.35).encode(
        y=alt.Y("name:N", sort=order), x=alt.datum(-0.5), x2=alt.datum(last + 0.5))
    folded = alt.Chart(bc.named("causes")).transform_fold(["mx", "ex"], as_=["grade", "x"])
    dots = folded.mark_circle(size=70, color=PALETTE["blue"], opacity=1).encode(x=x, y=y)
    ring = alt.Chart(bc.named("chosen")).transform_fold(["mx", "ex"], as_=["grade", "x"]) \
        .mark_point(size=260, strokeWidth=2.5, color=PALETTE["vermillion"]).encode(
            x="x:Q", y=alt.Y("name:N", sort=order))
    split = bc.reference_rule((len(fig_dx.MECHANISM_TICKS) - 1 + fig_dx.EVIDENCE_X0) / 2,
                              colour="#222")
    heads = [alt.Chart(bc.ONE_ROW).mark_text(text=text, fontWeight="bold", fontSize=bc.FONT_PX,
                                             baseline="bottom", dy=-6).encode(
                 x=alt.datum(at), y=alt.value(0))
             for text, at in (("mechanism", (len(fig_dx.MECHANISM_TICKS) - 1) / 2),
                              ("evidence", (fig_dx.EVIDENCE_X0 + last) / 2))]
    return [bc.finish(alt.layer(band, split, dots, ring, *heads), height=420,
                      title="other causes: mechanism and evidence grades (the chosen cause: "
                            "highlighted row, ringed dots)")]


def evidence_book_panel():
    """Kernel-free book version: every cause of the drop-down."""
    from widgets.panels.book import BookControl, BookPanel

    names = tuple(dx.OTHER_CAUSES)
    return BookPanel(
        key="evidence", title=EVIDENCE_TITLE,
        controls=[BookControl("cause", "cause", names, names[0])], blocks=(("cause",),),
        evaluate=evidence_book_setting, charts=_evidence_charts(), wide=(0,),
        decimals={"causes": {"mx": 1, "ex": 1}, "chosen": {"mx": 1, "ex": 1}},
        grid_note="every cause of the list")


def posterior_curves_figure():
    """Fraction with ALS among people with each finding, across prevalence (population)."""
    fig, ax = new_figure(1, 1, width_in=7.5, height_in=3.8)
    alone = dx.posterior_curve(base_rates.FASCICULATION_IN_ALS,
                               base_rates.FASCICULATION_IN_HEALTHY)
    fww = dx.posterior_curve(base_rates.FWW_IN_ALS, base_rates.FWW_IN_NON_ALS)
    fig_dx.plot_posterior_curve(alone, ax, label="noticed twitching (cited inputs)",
                                colour=PALETTE["blue"])
    fig_dx.plot_posterior_curve(fww, ax, label="+ weakness and wasting (ILLUSTRATIVE)",
                                colour=PALETTE["vermillion"],
                                linestyle="--")  # dashed: apart from the blue one in grey print
    # above the plot, not over it: on a phone the figure is 4.2 in wide, and a note inside the
    # axes ran into the dashed curve and the tick labels
    ax.set_title("Dashed curve ILLUSTRATIVE: made-up inputs, not a measurement and not "
                 "anyone's risk", fontsize=8, style="italic", color=PALETTE["vermillion"])
    fig_dx.mark_prevalence(ax, 1e5 * base_rates.ALS_PREVALENCE, "Europe, median\n5.4/100,000")
    # below the plot: inside it, the two long labels covered the blue line on a phone
    fig.legend(loc="outside lower center", ncols=1, frameon=False)
    ax.set_ylim(1e-4, 100)
    return fig
