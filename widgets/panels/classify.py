"""The classification exercise: ten numbered synthetic traces, which is which?

The static twin (:func:`classification_twin`) shows all ten traces, numbered, for the book
(the quiz ``3-1-classify`` gives feedback on each without a kernel). The live panel
(:func:`classification_panel`, for instructors) shows one trace at a time with a drop-down
answer and feedback. No physiology here: :mod:`widgets.models.movements` makes the traces and
holds the descriptions.
"""

from __future__ import annotations

import ipywidgets as ipw

from widgets.figures import movements as fig_mv
from widgets.figures.style import new_figure
from widgets.models import movements
from widgets.panels.base import FigurePanel

#: The fixed order of the numbered traces (trace 1 is EXERCISE_ORDER[0]); the quiz
#: ``widgets/quizzes/3-1-classify.json`` asks about them in this order.
EXERCISE_ORDER = ("tremor", "fasciculation", "periodic limb movements", "myokymia", "tic",
                  "fibrillation", "cramp", "chorea", "myoclonus", "restless legs")
NO_ANSWER = "(choose an answer)"


def exercise_recordings(seed: int = 0) -> list:
    """The ten recordings in exercise order."""
    return [movements.simulate(kind, seed) for kind in EXERCISE_ORDER]


def classification_twin(seed: int = 0):
    """Static figure: ten numbered traces (EMG left, joint angle right) with their setting."""
    recs = exercise_recordings(seed)
    fig, axes = new_figure(len(recs), 2, width_in=10.0, height_in=1.55 * len(recs))
    for k, rec in enumerate(recs):
        fig_mv.plot_recording(rec, axes[k, 0], axes[k, 1], show_xlabel=True)
        setting = movements.PHENOMENA[rec.kind].setting
        axes[k, 0].set_title(f"Trace {k + 1}: {setting}", loc="left", fontsize=9)
        axes[k, 0].set_ylabel("EMG (mV)")
    return fig


def feature_map_figure(seed: int = 0):
    """Where each phenomenon sits: EMG event duration against irregularity of intervals."""
    fig, ax = new_figure(1, 1, width_in=8.0, height_in=4.2)
    feats = {k: movements.event_features(movements.simulate(k, seed)) for k in movements.KINDS}
    fig_mv.plot_feature_map(feats, ax)
    return fig


def feedback(kind: str, answer: str) -> str:
    """Feedback (HTML) on naming a trace of ``kind`` as ``answer``."""
    truth = movements.PHENOMENA[kind]
    if answer == NO_ANSWER:
        return "Look at the EMG and the joint angle, then choose a name."
    if answer == kind:
        return (f"<b>Right: {kind}.</b> EMG: {truth.emg_clue}. Movement: "
                f"{truth.movement_clue}. Generated in {truth.generator}.")
    said = movements.PHENOMENA[answer]
    return (f"<b>Not {answer}.</b> {answer.capitalize()} would show {said.emg_clue}, and "
            f"{said.movement_clue}. Look again at how long each EMG event lasts, how regular "
            "the intervals are, and whether the joint moves.")


def classification_panel(seed: int = 0) -> FigurePanel:
    """Live panel: pick a trace number, name it, read the feedback."""
    recs = exercise_recordings(seed)
    controls = {
        "trace": ipw.IntSlider(value=1, min=1, max=len(recs), description="trace",
                               continuous_update=False),
        "answer": ipw.Dropdown(options=[NO_ANSWER, *sorted(movements.KINDS)], value=NO_ANSWER,
                               description="this is"),
    }
    fig, (ax_e, ax_a) = new_figure(2, 1, width_in=8.0, height_in=4.2)
    artists = fig_mv.plot_recording(recs[0], ax_e, ax_a)
    title = ax_e.set_title("", loc="left", fontsize=9)

    def update(trace, answer):
        rec = recs[int(trace) - 1]
        fig_mv.update_recording(artists, rec, ax_e, ax_a)
        setting = movements.PHENOMENA[rec.kind].setting
        title.set_text(f"Trace {int(trace)}: {setting}")
        alt = (f"Trace {int(trace)}: {rec.electrode} EMG in mV (top) and joint angle in "
               f"degrees (bottom) over {rec.duration_s:.0f} s; {setting}.")
        return alt, feedback(rec.kind, answer)

    return FigurePanel(controls, fig, update, title="Which is which? Name each trace")
