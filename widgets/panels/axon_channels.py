"""Panel: persistent Na+ and slow K+ of the human motor axon -> threshold and excitability.

No physiology here: every number comes from :mod:`widgets.models.motor_axon` (node + lumped
internode at 37 C), called with ``conductance_scale={"NaP": ..., "Ks": ...}``. The panel maps
two multipliers to the model, and shows:

* the node's response to a fixed **test pulse** (1 ms, 90 % of the normal axon's 1-ms
  threshold): the normal axon stays silent, a more excitable axon fires;
* the 1-ms threshold, the rheobase and the strength-duration time constant (Weiss's law from
  0.2 and 1 ms pulses, as in threshold tracking), each as a percentage of the normal axon's.

Why these two channels: in human threshold-tracking studies, motor axons of people with ALS
show a longer strength-duration time constant (more persistent Na+ current; Bostock et al.
1995, Brain 118:217) and signs of reduced K+ currents (Kanai et al. 2006, Brain 129:953);
both make an axon easier to fire. The multipliers are illustrative, not fitted to patients.

When the persistent Na+ current is made large and the slow K+ current small, this model axon
depolarises to about -30 mV and cannot fire at all (depolarisation block). The panel says so
instead of showing a misleading threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from widgets.figures.style import NORMAL_RANGE_COLOUR, PALETTE, new_figure
from widgets.models import motor_axon
from widgets.models.validation import ValidRange, require_range
from widgets.panels.base import FigurePanel, Memo, slider

#: Multiplier of the nodal persistent Na+ conductance offered by the panel.
NAP_SCALE = ValidRange(0.5, 5.0, "x normal", 1.0)
#: Multiplier of the slow K+ conductance (node and internode) offered by the panel.
KS_SCALE = ValidRange(0.0, 2.0, "x normal", 1.0)
#: Test pulse: this fraction of the normal axon's 1-ms threshold, 1 ms long, at t = 1 ms.
TEST_PULSE_FRACTION = 0.9
TEST_PULSE_MS = 1.0
TEST_START_MS = 1.0
TRACE_MS = 8.0
#: A resting node above this potential (mV) is in depolarisation block.
BLOCK_REST_mV = -60.0
#: Settings of the static twin: (label, NaP multiplier, Ks multiplier).
TWIN_SETTINGS = (
    ("normal axon", 1.0, 1.0),
    ("slow K+ x 0.6", 1.0, 0.6),
    ("persistent Na+ x 3", 3.0, 1.0),
    ("both changes", 3.0, 0.6),
)


@dataclass(frozen=True)
class ChannelReadouts:
    """Excitability of the model axon at one setting of the two multipliers."""

    nap_scale: float
    ks_scale: float
    resting_potential_mV: float
    threshold_nA: float            # 1-ms pulse; nan in depolarisation block
    rheobase_nA: float             # nan in depolarisation block
    tau_sd_ms: float               # strength-duration time constant; nan in block
    threshold_pct_of_normal: float
    rheobase_pct_of_normal: float
    tau_sd_pct_of_normal: float
    test_pulse_nA: float
    test_trace: motor_axon.Trace
    fires_to_test_pulse: bool
    blocked: bool


def _raw(nap_scale: float, ks_scale: float):
    scale = {"NaP": nap_scale, "Ks": ks_scale}
    rest = motor_axon.resting_potential(conductance_scale=scale)
    if rest > BLOCK_REST_mV:
        return rest, math.nan, math.nan, math.nan
    rheo, tau, thr = motor_axon.strength_duration(conductance_scale=scale,
                                                  durations_ms=(0.2, TEST_PULSE_MS))
    thr_1ms = float(thr[-1])
    if not (math.isfinite(thr_1ms) and thr_1ms > 0 and math.isfinite(tau)):
        return rest, math.nan, math.nan, math.nan
    return rest, thr_1ms, rheo, tau


_NORMAL: dict = {}


def _normal():
    if not _NORMAL:
        rest, thr, rheo, tau = _raw(1.0, 1.0)
        _NORMAL.update(rest=rest, thr=thr, rheo=rheo, tau=tau)
    return _NORMAL


def channel_readouts(nap_scale: float = 1.0, ks_scale: float = 1.0) -> ChannelReadouts:
    """Resting potential, thresholds and the test-pulse response at one setting."""
    require_range("nap_scale", nap_scale, NAP_SCALE)
    require_range("ks_scale", ks_scale, KS_SCALE)
    norm = _normal()
    rest, thr, rheo, tau = _raw(nap_scale, ks_scale)
    blocked = not math.isfinite(thr)
    test_nA = TEST_PULSE_FRACTION * norm["thr"]
    trace = motor_axon.simulate(
        motor_axon.Pulse(TEST_START_MS, TEST_PULSE_MS, test_nA), TRACE_MS,
        conductance_scale={"NaP": nap_scale, "Ks": ks_scale}, dt_ms=0.005, record_every=4)
    return ChannelReadouts(
        nap_scale=float(nap_scale), ks_scale=float(ks_scale), resting_potential_mV=rest,
        threshold_nA=thr, rheobase_nA=rheo, tau_sd_ms=tau,
        threshold_pct_of_normal=100.0 * thr / norm["thr"],
        rheobase_pct_of_normal=100.0 * rheo / norm["rheo"],
        tau_sd_pct_of_normal=100.0 * tau / norm["tau"],
        test_pulse_nA=test_nA, test_trace=trace,
        fires_to_test_pulse=bool(trace.spike_times_ms.size > 0 and not blocked),
        blocked=blocked)


# ------------------------------------------------------------------------------- drawing
BAR_LABELS = ("1-ms threshold", "rheobase", "S-D time constant")


def _bar_values(r: ChannelReadouts) -> np.ndarray:
    vals = np.array([r.threshold_pct_of_normal, r.rheobase_pct_of_normal,
                     r.tau_sd_pct_of_normal])
    return np.where(np.isfinite(vals), vals, 0.0)


def _draw(ax_trace, ax_bars, r: ChannelReadouts, normal: ChannelReadouts):
    ax_trace.plot(normal.test_trace.t_ms, normal.test_trace.v_mV, color=NORMAL_RANGE_COLOUR,
                  linewidth=2.2, label="normal axon")
    (line,) = ax_trace.plot(r.test_trace.t_ms, r.test_trace.v_mV, color=PALETTE["blue"],
                            label="this setting")
    ax_trace.axvspan(TEST_START_MS, TEST_START_MS + TEST_PULSE_MS, color=PALETTE["yellow"],
                     alpha=0.3, linewidth=0)
    ax_trace.set(xlabel="time (ms)", ylabel="node membrane potential (mV)",
                 xlim=(0, TRACE_MS), ylim=(-95, 45))
    ax_trace.set_title(f"test pulse: {r.test_pulse_nA:.3f} nA for 1 ms (shaded)", fontsize=9)
    ax_trace.legend(loc="upper right", frameon=False, fontsize=8)
    ypos = np.arange(len(BAR_LABELS))
    bars = ax_bars.barh(ypos, _bar_values(r), color=[PALETTE["vermillion"], PALETTE["orange"],
                                                     PALETTE["green"]])
    ax_bars.axvline(100.0, color=PALETTE["black"], linestyle="--", linewidth=1)
    ax_bars.set_yticks(ypos, BAR_LABELS)
    ax_bars.invert_yaxis()
    ax_bars.set(xlabel="% of the normal axon's value", xlim=(40, 160))
    return line, bars


def _state_words(r: ChannelReadouts) -> str:
    if r.blocked:
        return (f"depolarisation block: the node rests at {r.resting_potential_mV:.0f} mV and "
                "cannot fire")
    verdict = "fires" if r.fires_to_test_pulse else "does not fire"
    return (f"rest {r.resting_potential_mV:.1f} mV; 1-ms threshold "
            f"{r.threshold_pct_of_normal:.0f}% of normal, rheobase "
            f"{r.rheobase_pct_of_normal:.0f}%, strength-duration time constant "
            f"{r.tau_sd_pct_of_normal:.0f}%; the axon {verdict} to the test pulse")


TITLE = "Persistent Na⁺ and slow K⁺: how easily does the axon fire?"


def readouts(nap_scale: float = 1.0, ks_scale: float = 1.0) -> ChannelReadouts:
    """Everything the panel shows at one setting (see :class:`ChannelReadouts`)."""
    return channel_readouts(nap_scale, ks_scale)


def describe(r: ChannelReadouts) -> tuple[str, str]:
    """Alt text and readout HTML of one setting: the same words for both readers."""
    words = _state_words(r)
    alt = (f"Model human motor axon with persistent Na+ at {r.nap_scale:.2f} times and slow "
           f"K+ at {r.ks_scale:.2f} times normal: {words}. Left: node potential (mV) against "
           "time (ms) for the test pulse, grey the normal axon. Right: bars of threshold, "
           "rheobase and strength-duration time constant as % of normal (dashed line 100%).")
    return alt, words[0].upper() + words[1:] + "."


def axon_channels_panel() -> FigurePanel:
    """Live panel: persistent Na+ and slow K+ multipliers -> threshold, test-pulse response."""
    controls = {
        "nap_scale": slider("persistent Na⁺", NAP_SCALE, step=0.05),
        "ks_scale": slider("slow K⁺", KS_SCALE, step=0.05),
    }
    normal = channel_readouts(1.0, 1.0)
    fig, (ax_trace, ax_bars) = new_figure(1, 2, width_in=8.5, height_in=3.2,
                                          gridspec_kw={"width_ratios": [1.4, 1]})
    line, bars = _draw(ax_trace, ax_bars, normal, normal)
    note = ax_bars.text(100, 2.6, "", fontsize=8, ha="center", va="top", color="#444444")
    fig.draw_without_rendering()
    fig.set_layout_engine(None)
    ref: dict = {}
    model = Memo(readouts)  # settings shown or primed are not computed again

    def update(nap_scale, ks_scale):
        r = model(nap_scale, ks_scale)
        line.set_data(r.test_trace.t_ms, r.test_trace.v_mV)
        for bar, v in zip(bars, _bar_values(r), strict=True):
            bar.set_width(min(v, 160.0))
        note.set_text("depolarisation block" if r.blocked else "")
        if "panel" in ref:
            ref["panel"].last_result = r
        ref["last"] = r
        return describe(r)

    panel = FigurePanel(controls, fig, update, title=TITLE, model=model)
    ref["panel"] = panel
    panel.last_result = ref["last"]
    panel.book = axon_channels_book_panel
    return panel


# ----------------------------------------------------------------- the book's (kernel-free) panel
#: Book grid: both multipliers jointly over their whole ranges (0.1 and 0.05 steps).
BOOK_VALUES = {"nap_scale": tuple(round(0.5 + 0.1 * i, 1) for i in range(46)),
               "ks_scale": tuple(round(0.05 * i, 2) for i in range(41))}


def book_setting(nap_scale, ks_scale) -> dict:
    """What the book panel stores for one setting: readout text and the chart's arrays."""
    r = readouts(nap_scale, ks_scale)
    alt, readout = describe(r)
    normal = readouts(1.0, 1.0)
    step = max(1, r.test_trace.t_ms.size // 200)
    return {"readout": readout, "alt": alt, "data": {
        "trace": {"t_ms": r.test_trace.t_ms[::step], "v_mV": r.test_trace.v_mV[::step],
                  "normal_mV": normal.test_trace.v_mV[::step]},
        "bars": {"label": list(BAR_LABELS), "pct": np.minimum(_bar_values(r), 160.0)},
        "block": {"text": ["depolarisation block"] if r.blocked else []},
    }}


def _book_charts(test_nA: float) -> list[dict]:
    import altair as alt

    from widgets.panels import book_charts as bc

    x = alt.X("t_ms:Q", title="time (ms)", scale=alt.Scale(domain=[0, TRACE_MS]))
    pulse = alt.Chart(bc.ONE_ROW).mark_rect(color=PALETTE["yellow"], opacity=0.3).encode(
        x=alt.datum(TEST_START_MS), x2=alt.datum(TEST_START_MS + TEST_PULSE_MS))
    trace = alt.Chart(bc.named("trace")).transform_fold(
        ["normal_mV", "v_mV"], as_=["which", "mV"]).transform_calculate(
        line="datum.which === 'v_mV' ? 'this setting' : 'normal axon'").mark_line(
        strokeWidth=1.6).encode(
        x=x, y=alt.Y("mV:Q", title="node potential (mV)",
                     scale=alt.Scale(domain=[-95, 45])),
        color=alt.Color("line:N", title=None, scale=alt.Scale(
            domain=["normal axon", "this setting"],
            range=[NORMAL_RANGE_COLOUR, PALETTE["blue"]]), legend=alt.Legend(orient="bottom")))
    colours = [PALETTE["vermillion"], PALETTE["orange"], PALETTE["green"]]
    bars = alt.Chart(bc.named("bars")).mark_bar().encode(
        x=alt.X("pct:Q", title="% of the normal axon's value", scale=alt.Scale(domain=[40, 160],
                                                                            clamp=True)),
        x2=alt.datum(40),
        y=alt.Y("label:N", title=None, sort=list(BAR_LABELS)),
        color=alt.Color("label:N", scale=alt.Scale(domain=list(BAR_LABELS), range=colours),
                        legend=None))
    block = alt.Chart(bc.named("block")).mark_text(fontSize=13, color="#444444").encode(
        x=alt.datum(100), y=alt.value(12), text="text:N")
    return [bc.finish(alt.layer(pulse, trace), height=220,
                      title=f"test pulse: {test_nA:.3f} nA for 1 ms (shaded)"),
            bc.finish(alt.layer(bars, bc.reference_rule(100.0, dash=[4, 3]), block), height=150,
                      title="threshold, rheobase, S-D time constant")]


def axon_channels_book_panel():
    """Kernel-free book version: :func:`readouts` over :data:`BOOK_VALUES`, jointly."""
    from widgets.panels.book import BookControl, BookPanel

    controls = [BookControl("nap_scale", "persistent Na⁺", BOOK_VALUES["nap_scale"], 1.0,
                            fmt="{:.2f}", unit=NAP_SCALE.unit),
                BookControl("ks_scale", "slow K⁺", BOOK_VALUES["ks_scale"], 1.0, fmt="{:.2f}",
                            unit=KS_SCALE.unit)]
    return BookPanel(
        key="axon-channels", title=TITLE, controls=controls,
        blocks=(("nap_scale", "ks_scale"),), evaluate=book_setting,
        charts=_book_charts(readouts(1.0, 1.0).test_pulse_nA),
        decimals={"trace": {"t_ms": 2, "v_mV": 0, "normal_mV": 0}, "bars": {"pct": 1}},
        grid_note="both multipliers jointly over their whole ranges")


def axon_channels_twin():
    """Static twin: the test-pulse response at the four :data:`TWIN_SETTINGS` (normal, Ks
    reduced, NaP raised, both), each titled with its threshold change."""
    normal = channel_readouts(1.0, 1.0)
    fig, axes = new_figure(1, len(TWIN_SETTINGS), width_in=10.5, height_in=2.9, sharey=True)
    for ax, (label, nap, ks) in zip(axes, TWIN_SETTINGS, strict=True):
        r = channel_readouts(nap, ks)
        ax.plot(normal.test_trace.t_ms, normal.test_trace.v_mV, color=NORMAL_RANGE_COLOUR,
                linewidth=2.2)
        ax.plot(r.test_trace.t_ms, r.test_trace.v_mV, color=PALETTE["blue"])
        ax.axvspan(TEST_START_MS, TEST_START_MS + TEST_PULSE_MS, color=PALETTE["yellow"],
                   alpha=0.3, linewidth=0)
        verdict = "fires" if r.fires_to_test_pulse else "silent"
        ax.set_title(f"{label}\nthreshold {r.threshold_pct_of_normal:.0f}% of normal: "
                     f"{verdict}", fontsize=9)
        ax.set(xlabel="time (ms)", xlim=(0, TRACE_MS), ylim=(-95, 45))
    axes[0].set_ylabel("node potential (mV)")
    return fig


# ------------------------------------------------------------------- ectopic discharge
#: Settings compared in :func:`spontaneous_discharge_figure`: (label, ionized Ca2+ mmol/L, NaP,
#: Ks multipliers). The ALS-direction change (NaP x 2, Ks x 0.5) does not fire a train of spikes
#: from rest in this model: after one spike (or a slow drift) the node sticks on a depolarised
#: plateau near -35 mV, like depolarisation block; every weaker NaP/Ks change of that direction
#: is silent or flips onto the plateau (``benchmarks/bench_ectopic_settings.py``, issue 17).
#: Half the normal ionized Ca2+ is shown for contrast: the same noisy node firing irregular
#: spikes from rest and returning to rest after each.
ECTOPIC_SETTINGS = (("normal axon", 1.2, 1.0, 1.0),
                    ("ionized Ca2+ halved (0.6 mmol/L)", 0.6, 1.0, 1.0),
                    ("persistent Na+ x 2, slow K+ x 0.5", 1.2, 2.0, 0.5))
ECTOPIC_SECONDS = 20.0
#: Ionized Ca2+ offered to :func:`spontaneous_discharges` (the model's range).
CA_RANGE_mM = motor_axon.CONC_OUT_RANGES_mM["Ca"]
#: The node counts as stuck depolarised (on the plateau) above this potential (mV).
PLATEAU_ABOVE_mV = -60.0


def spontaneous_discharges(nap_scale: float, ks_scale: float, duration_s: float = ECTOPIC_SECONDS,
                           seed: int = 0, Ca_mM: float = 1.2):
    """Noisy node potential of :func:`widgets.models.ectopic.simulate_noisy` at one setting
    (seeded): the spikes in it are spontaneous, ectopic discharges."""
    from widgets.models import ectopic

    require_range("nap_scale", nap_scale, NAP_SCALE)
    require_range("ks_scale", ks_scale, KS_SCALE)
    require_range("duration_s", duration_s, ValidRange(0.1, 60.0, "s"))
    require_range("Ca_mM", Ca_mM, CA_RANGE_mM)
    conc = None if Ca_mM == 1.2 else {"Ca": Ca_mM}
    return ectopic.simulate_noisy(conc, duration_ms=1e3 * duration_s, seed=seed, record_every=50,
                                  conductance_scale={"NaP": nap_scale, "Ks": ks_scale})


@dataclass(frozen=True)
class EctopicReadout:
    label: str
    threshold_pct_of_normal: float   # deterministic 1-ms threshold from rest
    n_spikes: int                    # spontaneous spikes in ECTOPIC_SECONDS (seeded run)
    pct_time_depolarised: float      # % of the run above PLATEAU_ABOVE_mV
    depolarised_median_mV: float     # median node potential while above it (nan if never)


@lru_cache(maxsize=4)
def ectopic_readouts(seed: int = 0) -> tuple[EctopicReadout, ...]:
    """What :func:`spontaneous_discharge_figure` shows, one row per :data:`ECTOPIC_SETTINGS`."""
    normal = motor_axon.threshold(1.0)
    out = []
    for label, ca, nap, ks in ECTOPIC_SETTINGS:
        tr = spontaneous_discharges(nap, ks, seed=seed, Ca_mM=ca)
        thr = motor_axon.threshold(1.0, None if ca == 1.2 else {"Ca": ca},
                                   {"NaP": nap, "Ks": ks})
        up = tr.v_mV > PLATEAU_ABOVE_mV
        out.append(EctopicReadout(label, 100.0 * thr / normal, int(tr.spike_times_ms.size),
                                  100.0 * float(np.mean(up)),
                                  float(np.median(tr.v_mV[up])) if up.any() else math.nan))
    return tuple(out)


def spontaneous_discharge_figure(seed: int = 0):
    """Static figure: 20 s of the noisy distal node: normal, low ionized Ca2+ (irregular spikes
    from rest) and the ALS-direction channel change (one spike, then stuck depolarised)."""
    fig, axes = new_figure(len(ECTOPIC_SETTINGS), 1, width_in=8.0, height_in=5.2, sharex=True)
    for ax, (label, ca, nap, ks) in zip(axes, ECTOPIC_SETTINGS, strict=True):
        tr = spontaneous_discharges(nap, ks, seed=seed, Ca_mM=ca)
        ax.axhline(PLATEAU_ABOVE_mV, color=NORMAL_RANGE_COLOUR, linewidth=0.8, linestyle=":")
        ax.plot(tr.t_ms / 1e3, tr.v_mV, color=PALETTE["blue"], linewidth=0.6)
        ax.plot(tr.spike_times_ms / 1e3, np.full(tr.spike_times_ms.size, 40.0), "v",
                color=PALETTE["vermillion"], markersize=5)
        ax.set(ylabel="node (mV)", ylim=(-100, 50), xlim=(0, ECTOPIC_SECONDS))
        n = tr.spike_times_ms.size
        spikes = f"{n} spontaneous spike{'' if n == 1 else 's'}"
        stuck = 100.0 * float(np.mean(tr.v_mV > PLATEAU_ABOVE_mV))
        if stuck >= 50.0:
            title = (f"{label}: {n} spike{'' if n == 1 else 's'}, then stuck depolarised "
                     f"({stuck:.0f} % of the time above {PLATEAU_ABOVE_mV:.0f} mV)")
        else:
            title = f"{label}: {spikes} in {ECTOPIC_SECONDS:.0f} s"
        ax.set_title(title, fontsize=9)
    axes[-1].set_xlabel("time (s)")
    return fig
