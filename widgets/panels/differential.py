"""Panels and figures for Part 3, lessons 4-6: where is the generator, what is the evidence,
and how base rates change with prevalence.

* :func:`generator_panel` / :func:`generator_twin`: a brain disorder's typical movement next
  to a fasciculation (synthetic traces from :mod:`widgets.models.movements`).
* :func:`evidence_panel` / :func:`evidence_twin`: other causes graded by mechanism and
  evidence (:data:`widgets.models.differential.OTHER_CAUSES`).
* :func:`posterior_curves_figure`: fraction with ALS among people with a finding, against
  prevalence (population figure, never a personal risk).

No physiology or data here: panels map controls to the models and redraw.
"""

from __future__ import annotations

import html

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
    return (f"events last about {f.median_event_ms:.0f} ms, interval CV "
            f"{f.interval_cv:.2f}, peak joint angle {f.peak_angle_deg:.1f} deg")


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


def generator_panel(seed: int = 0) -> ipw.Widget:
    """Live panel: choose a disorder; its typical movement (top) against a fasciculation."""
    from widgets.panels.base import FigurePanel

    names = [*dx.BRAIN_DISORDERS, dx.FASCICULATION.name]
    controls = {
        "disorder": ipw.Dropdown(options=names, value=names[0], description="disorder"),
        "seed": ipw.IntSlider(value=seed, min=SEED[0], max=SEED[1], description="example",
                              continuous_update=False),
    }
    ref = movements.simulate("fasciculation", REFERENCE_SEED)
    ref_f = movements.event_features(ref)
    fig, axes = new_figure(2, 2, width_in=9.0, height_in=4.2)
    first = movements.simulate(dx.brain_disorder(names[0]).movement, seed)
    art = fig_mv.plot_recording(first, axes[0, 0], axes[0, 1])
    fig_mv.plot_recording(ref, axes[1, 0], axes[1, 1])
    top = axes[0, 0].set_title("", loc="left", fontsize=9)
    axes[1, 0].set_title("fasciculation (for comparison) | generator: lower motor neuron",
                         loc="left", fontsize=9)
    for ax in axes[:, 0]:
        ax.set_ylabel("EMG (mV)")

    def update(disorder, seed):
        d = dx.brain_disorder(disorder)
        rec = movements.simulate(d.movement, int(seed))
        fig_mv.update_recording(art, rec, axes[0, 0], axes[0, 1])
        axes[0, 0].set_ylabel("EMG (mV)")
        top.set_text(f"{d.name}: {d.movement_label} | generator: {d.level}")
        f = movements.event_features(rec)
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

    return FigurePanel(controls, fig, update,
                       title="Where is the generator? A brain-made movement vs a fasciculation")


def evidence_twin():
    """Static twin of the evidence panel: every other cause on the two grades."""
    fig, ax = new_figure(1, 1, width_in=8.5, height_in=4.6)
    fig_dx.plot_evidence_map(ax)
    return fig


def evidence_panel() -> ipw.Widget:
    """Live panel: choose a cause; it is ringed on the map and its grades are explained."""
    from widgets.panels.base import FigurePanel

    names = list(dx.OTHER_CAUSES)
    controls = {"cause": ipw.Dropdown(options=names, value=names[0], description="cause")}
    fig, ax = new_figure(1, 1, width_in=8.5, height_in=4.6)
    art = fig_dx.plot_evidence_map(ax)

    def update(cause):
        c = dx.other_cause(cause)
        fig_dx.highlight_cause(art, cause)
        mech = dx.MECHANISM_GRADES[c.mechanism]
        evid = dx.EVIDENCE_GRADES[c.evidence]
        alt = (f"Evidence map: {len(names)} conditions placed by plausible mechanism for "
               f"fasciculation (x) and evidence linking them to it (y); {cause} is ringed, "
               f"at mechanism '{mech}' and evidence '{evid}'.")
        readout = (f"<b>{html.escape(cause)}</b>. Mechanism: {html.escape(mech)}. Evidence: "
                   f"{html.escape(evid)}. What it really causes: "
                   f"{html.escape(c.what_it_really_causes)}.")
        return alt, readout

    return FigurePanel(controls, fig, update,
                       title="Other causes: is there a mechanism, and what is the evidence?")


def posterior_curves_figure():
    """Fraction with ALS among people with each finding, across prevalence (population)."""
    fig, ax = new_figure(1, 1, width_in=7.5, height_in=3.8)
    alone = dx.posterior_curve(base_rates.FASCICULATION_IN_ALS,
                               base_rates.FASCICULATION_IN_HEALTHY)
    fww = dx.posterior_curve(base_rates.FWW_IN_ALS, base_rates.FWW_IN_NON_ALS)
    fig_dx.plot_posterior_curve(alone, ax, label="noticed twitching (cited inputs)",
                                colour=PALETTE["blue"])
    fig_dx.plot_posterior_curve(fww, ax, label="twitching + weakness + wasting "
                                "(ILLUSTRATIVE inputs)", colour=PALETTE["vermillion"])
    ax.text(0.80, 0.76, "upper curve ILLUSTRATIVE: made-up inputs,\nnot a measurement "
            "and not anyone's risk", transform=ax.transAxes, ha="right", va="top",
            fontsize=8, style="italic", color=PALETTE["vermillion"])
    fig_dx.mark_prevalence(ax, 1e5 * base_rates.ALS_PREVALENCE, "Europe, median\n5.4/100,000")
    ax.legend(loc="lower right")
    ax.set_ylim(1e-4, 100)
    return fig
