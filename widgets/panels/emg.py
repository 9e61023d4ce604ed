"""Panel: what a needle and a surface electrode record, during effort and at rest."""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np

from widgets.figures.emg import (
    emg_ylim_top,
    event_ticks_y,
    muap_ylim_top,
    plot_emg,
    plot_muap,
    set_emg_ylim,
)
from widgets.figures.style import new_figure
from widgets.figures.traces import screen_envelope
from widgets.models.emg import (
    ELECTRODES,
    FP_RATE_TEACHING_HZ,
    NEEDLE_MUAP_DURATION_NORMAL_MS,
    fasciculation_train,
    muap_waveform,
    pool_muaps,
    unit_muap_waveform,
    voluntary_emg,
)
from widgets.models.motor_units import EXCITATION_TEACHING, FuglevandPool
from widgets.panels.base import FigurePanel, Memo, slider

ACTIVITIES = ("voluntary", "fasciculation")
RECORD_S = 2.0
FS_HZ = 10_000.0
MUAP_WINDOW_MS = np.linspace(-20.0, 20.0, 401)
TWIN_EXCITATION = 8.0
TWIN_FP_RATE_HZ = 1.0


def _record(pool, electrode, activity, excitation, fp_rate_hz, seed):
    if activity == "voluntary":
        return voluntary_emg(pool, excitation, RECORD_S, FS_HZ, electrode, seed)
    return fasciculation_train(fp_rate_hz, RECORD_S, FS_HZ, electrode, seed)


def _example_muap(pool, electrode, activity, seed):
    """The waveform of the unit the needle sits in (voluntary) or of an FP unit at rest."""
    if activity == "voluntary":
        return unit_muap_waveform(MUAP_WINDOW_MS, pool_muaps(pool, electrode, seed), 0)
    return muap_waveform(MUAP_WINDOW_MS, 1.0, 10.0, 3, electrode)


def _describe(rec, electrode, activity, excitation, fp_rate_hz):
    n = rec.event_times_ms.size
    p2p = float(np.ptp(rec.signal_mV))
    if activity == "voluntary":
        what = (f"voluntary contraction at excitation {excitation:.1f}: {n} motor-unit "
                f"discharges from {np.unique(rec.unit_ids).size} units in {RECORD_S:g} s, "
                "regular trains")
    else:
        what = (f"rest with spontaneous fasciculations at {fp_rate_hz:.1f} per second on "
                f"average: {n} isolated discharges at irregular times in {RECORD_S:g} s")
    return (f"{electrode.capitalize()} EMG during {what}; largest deflection "
            f"{p2p:.2f} mV peak to peak.")


TITLE = "EMG: needle vs surface, effort vs rest"


def readouts(electrode: str = "needle", activity: str = "voluntary", excitation: float = 8.0,
             fp_rate_hz: float = FP_RATE_TEACHING_HZ.default, *, seed: int = 0,
             pool: FuglevandPool | None = None) -> dict:
    """Everything the panel shows at one setting: the 2 s recording and the example MUAP."""
    pool = pool if pool is not None else FuglevandPool(seed=seed)
    rec = _record(pool, electrode, activity, excitation, fp_rate_hz, seed)
    return {"electrode": electrode, "activity": activity, "excitation": excitation,
            "fp_rate_hz": fp_rate_hz, "recording": rec,
            "muap_mV": _example_muap(pool, electrode, activity, seed)}


def describe(r: dict) -> tuple[str, str]:
    """Alt text and readout HTML of one setting: the same words for both readers."""
    rec, w, electrode = r["recording"], r["muap_mV"], r["electrode"]
    alt = (_describe(rec, electrode, r["activity"], r["excitation"], r["fp_rate_hz"])
           + f" Right: the shape of one motor-unit potential as the {electrode} electrode "
           f"records it ({float(np.ptp(w)) * 1000:.0f} microvolts peak to peak), against "
           "the normal needle duration range of 5 to 15 ms.")
    readout = (f"{rec.event_times_ms.size} discharges in {RECORD_S:g} s; "
               f"peak-to-peak {float(np.ptp(rec.signal_mV)):.2f} mV")
    return alt, readout


def emg_panel(seed: int = 0) -> FigurePanel:
    """Live panel: electrode (needle/surface) x activity (voluntary/fasciculation) -> EMG."""
    pool = FuglevandPool(seed=seed)
    controls = {
        "electrode": ipw.ToggleButtons(options=list(ELECTRODES), value="needle",
                                       description="electrode"),
        "activity": ipw.ToggleButtons(options=list(ACTIVITIES), value="voluntary",
                                      description="activity"),
        "excitation": slider("voluntary excitation", EXCITATION_TEACHING, step=0.5,
                             value=8.0, readout_format=".1f"),
        "fp_rate_hz": slider("fasciculation rate at rest", FP_RATE_TEACHING_HZ, step=0.1,
                             readout_format=".1f"),
    }
    fig, (ax, ax_muap) = new_figure(1, 2, width_in=8.5, height_in=3.0,
                                    gridspec_kw={"width_ratios": [3, 1]})
    v = {k: c.value for k, c in controls.items()}
    r0 = readouts(**v, seed=seed, pool=pool)
    line, ticks = plot_emg(r0["recording"], ax)
    if v["activity"] == "voluntary":
        ticks.set_data([], [])
    muap = plot_muap(MUAP_WINDOW_MS, r0["muap_mV"],
                     ax_muap, normal_duration_ms=(NEEDLE_MUAP_DURATION_NORMAL_MS.low,
                                                  NEEDLE_MUAP_DURATION_NORMAL_MS.high))
    ax_muap.set_title("one MUAP (shaded: 5-15 ms)", fontsize=9)
    ax.set_ylabel("EMG (mV)")
    ax.set_title(f"{v['electrode']} electrode, {v['activity']}", fontsize=9)
    ref: dict = {}
    model = Memo(readouts, maxsize=64)  # about 0.35 MB each: shown or primed, kept

    def update(electrode, activity, excitation, fp_rate_hz):
        r = model(electrode, activity, excitation, fp_rate_hz, seed=seed, pool=pool)
        rec = r["recording"]
        line.set_data(*screen_envelope(ax, rec.t_ms, rec.signal_mV))
        if activity == "fasciculation":  # voluntary trains are too dense to mark
            ticks.set_data(rec.event_times_ms, event_ticks_y(rec))
        else:
            ticks.set_data([], [])
        set_emg_ylim(rec, ax)
        ax.set_title(f"{electrode} electrode, {activity}", fontsize=9)
        w = r["muap_mV"]
        muap.set_ydata(w)
        top = muap_ylim_top(w)
        ax_muap.set_ylim(-top, top)
        ref["last"] = rec
        if "panel" in ref:
            ref["panel"].last_result = rec
        return describe(r)

    # fixed margins (not the layout solver): tick labels change width between electrodes
    fig.set_layout_engine(None)
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.16, top=0.9, wspace=0.3)
    panel = FigurePanel(controls, fig, update, title=TITLE, model=model)
    ref["panel"] = panel
    panel.last_result = ref["last"]
    add_listen_control(panel, lambda: ref["last"])
    panel.book = lambda: emg_book_panel(seed)
    return panel


# ----------------------------------------------------------------- the book's (kernel-free) panel
#: Book grid: electrode x activity x excitation (steps of 2, and 8) jointly, and electrode x
#: activity x fasciculation rate (steps of 0.1 to 1, then 0.5) jointly.
BOOK_EXCITATIONS = tuple(sorted({*(float(e) for e in range(0, 51, 2)), 8.0}))
BOOK_FP_RATES = (*(round(0.1 * i, 1) for i in range(1, 11)), 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5,
                 5.0)
BOOK_BLOCKS = (("electrode", "activity", "excitation"), ("electrode", "activity", "fp_rate_hz"))
BOOK_BINS = 300


def book_setting(electrode, activity, excitation, fp_rate_hz, *, seed, pool) -> dict:
    """What the book panel stores for one setting: readout text and the chart's arrays
    (the 20,000-sample recording as a min/max envelope of 300 bins, which keeps every spike)."""
    from widgets.figures.excitability import envelope
    from widgets.figures.sound import emg_sound

    r = readouts(electrode, activity, excitation, fp_rate_hz, seed=seed, pool=pool)
    alt, readout = describe(r)
    rec = r["recording"]
    t, v = envelope(rec.t_ms, rec.signal_mV, BOOK_BINS)
    top = emg_ylim_top(rec)  # the live panel's limits (Vega's own rounding is off below)
    w = r["muap_mV"]
    wtop = muap_ylim_top(w)
    ev = rec.event_times_ms if activity == "fasciculation" else np.zeros(0)
    # what a clinician listens to is the needle EMG: the surface settings have no sound
    sound = emg_sound(rec).mp3 if electrode == "needle" else None
    return {"readout": readout, "alt": alt, "sound": sound, "data": {
        "emg": {"t_ms": t, "mV": v},
        "events": {"t_ms": ev},
        "lim": {"mV": [-top, top]},
        "muap": {"t_ms": MUAP_WINDOW_MS[::2], "mV": w[::2]},
        "muap_lim": {"mV": [-wtop, wtop]},
    }}


def _book_charts() -> list[dict]:
    import altair as alt

    from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE
    from widgets.panels import book_charts as bc

    emg = alt.Chart(bc.named("emg")).mark_line(color=PALETTE["black"], strokeWidth=0.8).encode(
        x=alt.X("t_ms:Q", title="time (ms)", scale=alt.Scale(domain=[0, 1e3 * RECORD_S])),
        y=alt.Y("mV:Q", title="EMG (mV)", scale=alt.Scale(nice=False)))
    lim = alt.Chart(bc.named("lim")).mark_point(opacity=0).encode(y="mV:Q")
    events = alt.Chart(bc.named("events")).mark_point(
        shape="triangle-down", filled=True, size=40, color=PALETTE["vermillion"]).encode(
        x="t_ms:Q", y=alt.value(8))
    lo, hi = NEEDLE_MUAP_DURATION_NORMAL_MS.low, NEEDLE_MUAP_DURATION_NORMAL_MS.high
    band_hi = bc.reference_band(-hi / 2, hi / 2, opacity=0.25)
    band_lo = bc.reference_band(-lo / 2, lo / 2, opacity=0.35)
    muap = alt.Chart(bc.named("muap")).mark_line(color=PALETTE["blue"]).encode(
        x=alt.X("t_ms:Q", title="time (ms)"),
        y=alt.Y("mV:Q", title="MUAP (mV)", scale=alt.Scale(nice=False)))
    mlim = alt.Chart(bc.named("muap_lim")).mark_point(opacity=0).encode(y="mV:Q")
    zero = bc.reference_rule(0.0, orient="y", colour=NORMAL_RANGE_COLOUR)
    return [bc.finish(alt.layer(lim, emg, events), height=210,
                      title="2 s of EMG (triangles: fasciculation potentials)"),
            bc.finish(alt.layer(band_hi, band_lo, zero, mlim, muap), height=210,
                      title="one MUAP (shaded: 5-15 ms)")]


def emg_book_panel(seed: int = 0):
    """Kernel-free book version: :func:`readouts` over the grid of BOOK_BLOCKS."""
    from widgets.panels.book import BookControl, BookPanel

    pool = FuglevandPool(seed=seed)
    controls = [
        BookControl("electrode", "electrode", tuple(ELECTRODES), "needle"),
        BookControl("activity", "activity", ACTIVITIES, "voluntary"),
        BookControl("excitation", "voluntary excitation", BOOK_EXCITATIONS, 8.0, fmt="{:.1f}",
                    unit=EXCITATION_TEACHING.unit),
        BookControl("fp_rate_hz", "fasciculation rate at rest", BOOK_FP_RATES,
                    FP_RATE_TEACHING_HZ.default, fmt="{:.1f}", unit=FP_RATE_TEACHING_HZ.unit)]
    return BookPanel(
        key="emg" if seed == 0 else f"emg-seed{seed}", title=TITLE, controls=controls,
        blocks=BOOK_BLOCKS, wide=(0,),
        evaluate=lambda **s: book_setting(**s, seed=seed, pool=pool), charts=_book_charts(),
        decimals={"emg": {"t_ms": 1, "mV": 3}, "events": {"t_ms": 1},
                  "lim": {"mV": 3}, "muap": {"t_ms": 1, "mV": 4}, "muap_lim": {"mV": 4}},
        grid_note=("electrode and activity with every second excitation step, and with every "
                   "fasciculation rate step of 0.1 up to 1 per second (0.5 beyond); "
                   "one seeded recording each, with its sound for the needle electrode"),
        sound_label=(f"Listen: these {RECORD_S:g} s of needle EMG (the chart below), as an EMG "
                     "loudspeaker plays them"),
        sound_description=("Each motor-unit potential is a click. A voluntary contraction adds "
                           "units and speeds them up until the clicks merge into a roar; "
                           "fasciculations at rest are single pops at irregular times."),
        no_sound_note=("No sound for the surface electrode: the sounds electromyographers listen "
                       "to come from the needle electrode (Daube & Rubin 2009, cited in the "
                       "lesson). Choose the needle electrode to hear this setting."))


def add_listen_control(panel: FigurePanel, recording) -> None:
    """A "listen" button under the panel: plays the current setting's recording (IPython Audio,
    MP3 through the EMG audio path of :mod:`widgets.figures.sound`; never autoplays)."""
    from IPython.display import Audio, display

    from widgets.figures.sound import emg_sound

    button = ipw.Button(description="listen",
                        tooltip="Make a player for the sound of the current setting")
    out = ipw.Output()

    def on_click(_b):
        snd = emg_sound(recording())
        audio = Audio(data=snd.mp3)
        audio.mimetype = "audio/mpeg"
        out.clear_output()
        with out:
            display(audio)
        panel.last_sound = snd

    button.on_click(on_click)
    panel.listen_button = button
    panel.widget.children = tuple(panel.widget.children) + (button, out)


def emg_twin(seed: int = 0):
    """Static twin: needle / surface (rows) x voluntary / fasciculations at rest (columns)."""
    pool = FuglevandPool(seed=seed)
    fig, axes = new_figure(2, 2, width_in=9.0, height_in=4.8, sharex=True)
    for r, electrode in enumerate(ELECTRODES):
        for c, activity in enumerate(ACTIVITIES):
            rec = _record(pool, electrode, activity, TWIN_EXCITATION, TWIN_FP_RATE_HZ, seed)
            plot_emg(rec, axes[r, c], show_events=activity == "fasciculation")
            title = (f"{electrode}, voluntary (excitation {TWIN_EXCITATION:g})"
                     if activity == "voluntary" else
                     f"{electrode}, fasciculations at rest ({TWIN_FP_RATE_HZ:g}/s)")
            axes[r, c].set_title(title, fontsize=9)
            if r == 0:
                axes[r, c].set_xlabel("")
    return fig


def setting_sound_uri(electrode: str, activity: str, excitation: float, fp_rate_hz: float,
                      seed: int = 0) -> str:
    """``data:audio/mpeg`` URI of one panel setting's sound (for a kernel-free book panel,
    which can switch an ``<audio>`` element's ``src`` among these as its controls move)."""
    from widgets.figures.sound import emg_sound

    if activity not in ACTIVITIES:
        raise ValueError(f"activity must be one of {ACTIVITIES}, got {activity!r}")
    pool = FuglevandPool(seed=seed)
    return emg_sound(_record(pool, electrode, activity, excitation, fp_rate_hz, seed)).data_uri()
