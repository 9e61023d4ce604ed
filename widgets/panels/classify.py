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


TITLE = "Which is which? Name each trace"


def readouts(trace: int = 1, answer: str = NO_ANSWER, *, seed: int = 0, recs=None) -> dict:
    """Everything the panel shows at one setting: the numbered recording and the feedback."""
    recs = recs if recs is not None else exercise_recordings(seed)
    rec = recs[int(trace) - 1]
    return {"trace": int(trace), "recording": rec, "setting": movements.PHENOMENA[rec.kind].setting,
            "feedback": feedback(rec.kind, answer)}


def describe(r: dict) -> tuple[str, str]:
    """Alt text and readout HTML of one setting: the same words for both readers."""
    rec = r["recording"]
    alt = (f"Trace {r['trace']}: {rec.electrode} EMG in mV (top) and joint angle in "
           f"degrees (bottom) over {rec.duration_s:.0f} s; {r['setting']}.")
    return alt, r["feedback"]


def classification_panel(seed: int = 0) -> FigurePanel:
    """Live panel: pick a trace number, name it, read the feedback."""
    recs = exercise_recordings(seed)
    controls = {
        "trace": ipw.IntSlider(value=1, min=1, max=len(recs), description="trace",
                               continuous_update=False),
        "answer": ipw.Dropdown(options=ANSWERS, value=NO_ANSWER, description="this is"),
    }
    fig, (ax_e, ax_a) = new_figure(2, 1, width_in=8.0, height_in=4.2)
    artists = fig_mv.plot_recording(recs[0], ax_e, ax_a)
    title = ax_e.set_title("", loc="left", fontsize=9)

    def update(trace, answer):
        r = readouts(trace, answer, recs=recs)
        fig_mv.update_recording(artists, r["recording"], ax_e, ax_a)
        ax_e.set_ylabel("EMG (mV)")  # the title names the electrode; a fixed label is not clipped
        title.set_text(f"Trace {r['trace']}: {r['setting']}")
        return describe(r)

    panel = FigurePanel(controls, fig, update, title=TITLE,
                        prerender=[{"trace": k} for k in range(1, len(recs) + 1)])
    panel.book = lambda: classification_book_panel(seed)
    return panel


ANSWERS = [NO_ANSWER, *sorted(movements.KINDS)]
RECORDING_BINS = 300


# ----------------------------------------------------------------- the book's (kernel-free) panel
def recording_data(rec, prefix: str = "") -> dict:
    """A synthetic recording as chart arrays: EMG as a min/max envelope (keeps every spike),
    joint angle thinned to about 300 points, and the live figure's axis limits."""
    from widgets.figures.excitability import envelope

    t, v = envelope(rec.t_s, rec.emg_mV, RECORDING_BINS)
    step = max(1, rec.movement_t_s.size // RECORDING_BINS)
    lim = fig_mv.emg_limit_mV(rec)
    lo, hi = fig_mv.angle_limits_deg(rec)
    return {f"{prefix}emg": {"t_s": t, "mV": v},
            f"{prefix}emg_lim": {"mV": [-lim, lim], "t_s": [0.0, rec.duration_s]},
            f"{prefix}angle": {"t_s": rec.movement_t_s[::step], "deg": rec.angle_deg[::step]},
            f"{prefix}angle_lim": {"deg": [lo, hi]}}


RECORDING_DECIMALS = {"emg": {"t_s": 4, "mV": 3}, "emg_lim": {"mV": 3},
                      "angle": {"t_s": 3, "deg": 2}, "angle_lim": {"deg": 2}}


def recording_charts(prefix: str = "", *, caption: str = "", height: int = 160) -> list[dict]:
    """EMG and joint-angle charts of a recording stored by :func:`recording_data`."""
    import altair as alt

    from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE
    from widgets.panels import book_charts as bc

    x = alt.X("t_s:Q", title="time (s)", scale=alt.Scale(nice=False, zero=True),
              axis=alt.Axis(tickCount=6))
    emg = alt.Chart(bc.named(f"{prefix}emg")).mark_line(
        color=PALETTE["black"], strokeWidth=0.6).encode(x=x, y=alt.Y("mV:Q", title="EMG (mV)"))
    elim = alt.Chart(bc.named(f"{prefix}emg_lim")).mark_point(opacity=0).encode(
        x="t_s:Q", y="mV:Q")
    angle = alt.Chart(bc.named(f"{prefix}angle")).mark_line(color=PALETTE["blue"]).encode(
        x=x, y=alt.Y("deg:Q", title="joint angle (deg)"))
    alim = alt.Chart(bc.named(f"{prefix}angle_lim")).mark_point(opacity=0).encode(y="deg:Q")
    zero = bc.reference_rule(0.0, orient="y", colour=NORMAL_RANGE_COLOUR)
    return [bc.finish(alt.layer(elim, emg), height=height, title=f"{caption}EMG"),
            bc.finish(alt.layer(zero, alim, angle), height=height, title=f"{caption}joint angle")]


def book_setting(trace, answer, *, recs) -> dict:
    """What the book panel stores for one setting: the feedback and the recording's arrays."""
    r = readouts(trace, answer, recs=recs)
    alt, readout = describe(r)
    readout = (f"<p><b>Trace {r['trace']}:</b> {r['setting']}</p>"
               f"<p>{readout}</p>")
    return {"readout": readout, "alt": alt, "data": recording_data(r["recording"])}


def classification_book_panel(seed: int = 0):
    """Kernel-free book version: every trace with every answer (feedback precomputed)."""
    from widgets.panels.book import BookControl, BookPanel

    recs = exercise_recordings(seed)
    controls = [BookControl("trace", "trace", tuple(range(1, len(recs) + 1)), 1, fmt="{:d}"),
                BookControl("answer", "this is", tuple(ANSWERS), NO_ANSWER, chart=False)]
    return BookPanel(
        key="classification" if seed == 0 else f"classification-seed{seed}", title=TITLE,
        controls=controls, blocks=(("trace", "answer"),),
        evaluate=lambda trace, answer: book_setting(trace, answer, recs=recs),
        charts=recording_charts(), wide=(0, 1), decimals=RECORDING_DECIMALS,
        grid_note="every trace with every answer")
