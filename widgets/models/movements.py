"""Synthetic EMG and movement traces of ten things that people call "twitching".

Fasciculation, fibrillation, myokymia, cramp, myoclonus, tremor, tic, chorea, restless legs
and periodic limb movements differ in *where* they are generated and therefore in the
timing and size of the electrical activity and in the movement it makes. This module builds
one short, seeded, synthetic recording of each, for a classification exercise: an EMG
trace (needle or surface, mV) and a joint-angle trace (degrees).

What each trace is built from (the defining features, with their sources):

* Fasciculation: a whole motor unit discharging on its own, at rest, at irregular
  (Poisson) intervals; one normal motor-unit potential (MUAP) of about 1 mV and 10 ms
  (Daube & Rubin 2009; Mills 2010). Too small to move a joint.
* Fibrillation: single denervated muscle fibres firing *regularly*; a tiny, brief spike
  (about 0.15 mV, 2 ms, biphasic, initial positive); invisible through the skin (Daube &
  Rubin 2009). Only a needle finds it.
* Myokymia: the same motor unit firing in *bursts* (grouped discharges) that recur
  semi-rhythmically; seen as a rippling of the skin (Daube & Rubin 2009; Maddison 2006).
* Cramp: many motor units firing for seconds, with irregular interspike intervals (mean
  about 14.5 discharges/s, interspike-interval CV about 45 %, Minetto et al. 2009), making a
  hard, painful, sustained contraction that moves the joint.
* Myoclonus: a sudden, brief EMG burst (typically 10-50 ms) from the brain, brainstem or
  spinal cord; a shock-like jerk (Eberhardt & Topka 2017).
* Tremor: rhythmic, oscillatory movement; bursts recur at a fixed frequency, alternating
  between opposing muscles (Bhatia et al. 2018). Here 5 Hz.
* Tic: a sudden, rapid, recurrent, non-rhythmic, stereotyped movement, often preceded by
  an urge and briefly suppressible; the bursts are longer than myoclonic ones, like a quick
  voluntary movement (Cavanna et al. 2017; McGurrin et al. 2020: about 50-200 ms).
* Chorea: a continuous, random flow of brief involuntary contractions, of irregular timing,
  duration and direction (Cardoso et al. 2006).
* Restless legs: a sensory urge to move, at rest, in the evening, relieved by moving; the
  movements are voluntary responses to it (Allen et al. 2014).
* Periodic limb movements: repeated leg movements in sleep, each 0.5-10 s long, in series
  of at least four with intervals of 10-90 s (Ferri et al. 2016, World Association of Sleep
  Medicine standards).

Modelling choices (ours, illustrative, stated): needle potentials use
:func:`widgets.models.emg.muap_waveform`; surface EMG bursts are Gaussian noise under a
smoothed rectangular envelope (an interference pattern); the joint angle is the muscle
activation (bursts of one muscle pull one way, of its antagonist the other) passed through a
critically damped second-order filter (time to peak 80 ms), so brief bursts make brief jerks
and long bursts sustained postures. Amplitudes, rates and durations inside the published
ranges above were chosen for clarity; no trace is a recording from a person.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from widgets.models import emg
from widgets.models.validation import (
    Choice,
    Instance,
    Integer,
    ValidRange,
    require_range,
    result_type,
    validated,
)

#: The ten phenomena, in teaching order.
KINDS = ("fasciculation", "fibrillation", "myokymia", "cramp", "myoclonus", "tremor", "tic",
         "chorea", "restless legs", "periodic limb movements")

SEED = ValidRange(0, 2**32 - 1, "", 0)
NEEDLE_FS_HZ = 10_000.0
SURFACE_FS_HZ = 2_000.0
MOVEMENT_FS_HZ = 200.0
#: Time to peak (ms) of the activation-to-angle filter (illustrative twitch-like value).
ANGLE_TIME_TO_PEAK_MS = 80.0
NEEDLE_NOISE_MV = 0.005
SURFACE_NOISE_MV = 0.005
ANGLE_NOISE_DEG = 0.05


@result_type()
@dataclass(frozen=True)
class Phenomenon:
    """What a phenomenon is, where it is generated, and what to look for."""

    name: str
    definition: str
    generator: str
    emg_clue: str
    movement_clue: str
    setting: str  # what the observer knows about the recording (shown with the trace)


PHENOMENA = {
    "fasciculation": Phenomenon(
        "fasciculation",
        "a spontaneous discharge of one whole motor unit",
        "the motor axon (usually its distal branches) or the motor neuron",
        "single normal-sized motor-unit potentials (about 1 mV, 10 ms) at irregular intervals",
        "a flicker under the skin; the joint does not move",
        "awake, muscle relaxed; needle EMG"),
    "fibrillation": Phenomenon(
        "fibrillation",
        "a spontaneous discharge of a single muscle fibre that has lost its nerve",
        "the denervated muscle fibre membrane itself",
        "tiny (about 0.15 mV), brief (about 2 ms) spikes firing very regularly",
        "nothing visible through the skin",
        "awake, muscle relaxed; needle EMG"),
    "myokymia": Phenomenon(
        "myokymia",
        "a motor unit firing in repeated bursts (grouped discharges)",
        "a hyperexcitable motor axon, often demyelinated or irradiated",
        "bursts of the same potential, recurring semi-rhythmically a few times per second",
        "a slow rippling under the skin; little joint movement",
        "awake, muscle relaxed; needle EMG"),
    "cramp": Phenomenon(
        "cramp",
        "a sudden, involuntary, painful, sustained contraction of a muscle",
        "the spinal motor neurons, or the motor nerve terminals (debated)",
        "many motor units firing irregularly for seconds, starting and stopping abruptly",
        "the joint is pulled into a sustained position and released seconds later",
        "awake; needle EMG in the calf"),
    "myoclonus": Phenomenon(
        "myoclonus",
        "a sudden, brief, shock-like jerk",
        "the brain (cortex), brainstem or spinal cord",
        "a very brief burst (tens of ms), the same in opposing muscles, at irregular times",
        "a quick jerk of the limb, back at once",
        "awake, arm at rest; surface EMG over the biceps"),
    "tremor": Phenomenon(
        "tremor",
        "an involuntary, rhythmic, oscillatory movement of a body part",
        "oscillating circuits in the brain (basal ganglia, cerebellum, thalamus, cortex)",
        "bursts at a steady frequency (here 5 per second), alternating with the antagonist",
        "a regular to-and-fro oscillation",
        "awake, hand resting in the lap; surface EMG over the wrist flexors"),
    "tic": Phenomenon(
        "tic",
        "a sudden, rapid, recurrent, non-rhythmic, stereotyped movement, briefly suppressible",
        "cortico-basal ganglia circuits; an urge often comes first",
        "bursts of about 150 ms, like a quick voluntary movement, the same each time",
        "the same quick movement repeated at irregular times",
        "awake; surface EMG over the trapezius (shoulder)"),
    "chorea": Phenomenon(
        "chorea",
        "a continuous, random flow of brief involuntary movements",
        "the basal ganglia (striatum) and their cortical loops",
        "bursts of varying length at random times",
        "irregular movements in both directions that never repeat",
        "awake, seated; surface EMG over the wrist extensors"),
    "restless legs": Phenomenon(
        "restless legs",
        "an urge to move the legs, at rest and in the evening, relieved by moving",
        "a sensory-motor disorder of the brain; the movements are voluntary",
        "quiet at rest, then ordinary voluntary activity lasting a second or more",
        "deliberate shifting or stretching of the leg",
        "awake, sitting in the evening, asked to keep still; surface EMG over the shin"),
    "periodic limb movements": Phenomenon(
        "periodic limb movements",
        "repeated leg movements in sleep, 0.5-10 s long, every 10-90 s, in series",
        "the central nervous system, in sleep",
        "bursts of a few seconds, repeating every 20-40 s",
        "the ankle and toes flex upward again and again",
        "asleep (sleep study); surface EMG over the shin"),
}


@result_type(example=lambda: simulate("fasciculation"))
@dataclass(frozen=True)
class MovementRecording:
    """One synthetic recording: EMG (mV) and joint angle (deg), with its events."""

    kind: str
    electrode: str
    t_s: np.ndarray
    emg_mV: np.ndarray
    movement_t_s: np.ndarray
    angle_deg: np.ndarray
    event_onsets_s: np.ndarray
    event_durations_s: np.ndarray

    @property
    def duration_s(self) -> float:
        return float(self.t_s[-1] + (self.t_s[1] - self.t_s[0]))


_FEW_EVENTS = {"median_event_ms": "NaN if the recording has no events",
               "interval_cv": "NaN if the recording has fewer than 3 events (fewer than 2 "
                              "intervals)"}


@result_type(nonfinite=_FEW_EVENTS)
@dataclass(frozen=True)
class EventFeatures:
    """Timing features of a recording's EMG events (discharges or bursts)."""

    n_events: int
    median_event_ms: float
    interval_cv: float  # SD / mean of intervals between event onsets; nan if < 3 events
    event_rate_hz: float
    peak_angle_deg: float


def _check_kind(kind: str) -> str:
    if kind not in PHENOMENA:
        raise ValueError(f"kind must be one of {list(KINDS)}, got {kind!r}")
    return kind


def _intervals(rng, n, mean_s, cv):
    """n intervals (s) with mean ``mean_s`` and coefficient of variation ``cv`` (gamma)."""
    if cv <= 0:
        return np.full(n, mean_s)
    shape = 1.0 / (cv * cv)
    return rng.gamma(shape, mean_s / shape, n)


def _onsets(rng, duration_s, mean_s, cv, start_s=0.1, margin_s=0.2):
    t = start_s + np.cumsum(_intervals(rng, int(duration_s / mean_s) + 20, mean_s, cv))
    return t[t < duration_s - margin_s]


def _angle_filter(activation, fs_hz):
    """Critically damped second-order low-pass (unit DC gain): activation -> angle."""
    tau = ANGLE_TIME_TO_PEAK_MS / 1000.0
    a = math.exp(-1.0 / (fs_hz * tau))
    out = np.empty_like(activation)
    x1 = x2 = 0.0
    for i, u in enumerate(activation):  # two cascaded first-order stages
        x1 = a * x1 + (1.0 - a) * u
        x2 = a * x2 + (1.0 - a) * x1
        out[i] = x2
    return out


def _envelope(t, onsets, durations, ramp_s):
    """Sum of rectangular windows with raised-cosine edges of ``ramp_s``."""
    env = np.zeros_like(t)
    for on, d in zip(onsets, durations, strict=True):
        r = min(ramp_s, d / 2)
        x = np.clip(np.minimum(t - on, on + d - t) / r, 0.0, 1.0)
        env = np.maximum(env, 0.5 - 0.5 * np.cos(np.pi * x))
    return env


def _needle(kind, rng, duration_s):
    fs = NEEDLE_FS_HZ
    n = int(round(duration_s * fs))
    t = np.arange(n) / fs
    sig = rng.normal(0.0, NEEDLE_NOISE_MV, n)
    t_ms = (np.arange(int(0.04 * fs)) - int(0.02 * fs)) * 1000.0 / fs

    def add(times, amp, dur_ms, phases, flip=False):
        w = emg.muap_waveform(t_ms, amp, dur_ms, phases, "needle")
        if flip:
            w = -w
        for tt in times:
            i = int(round(tt * fs)) - t_ms.size // 2
            lo, hi = max(i, 0), min(i + t_ms.size, n)
            if hi > lo:
                sig[lo:hi] += w[lo - i:hi - i]

    active = np.zeros(int(round(duration_s * MOVEMENT_FS_HZ)))
    if kind == "fasciculation":
        on = _onsets(rng, duration_s, 0.8, 1.0, start_s=0.2)
        add(on, 1.0, 10.0, 3)
        durs = np.full(on.size, 0.010)
    elif kind == "fibrillation":
        on = _onsets(rng, duration_s, 0.2, 0.02, start_s=0.05, margin_s=0.05)
        w = emg.muap_waveform(t_ms, 0.15, 2.0, 2, "needle")
        first = w[np.argmax(np.abs(w) > 0.01 * np.abs(w).max())]
        add(on, 0.15, 2.0, 2, flip=first < 0)  # initial positive phase
        durs = np.full(on.size, 0.002)
    elif kind == "myokymia":
        on = _onsets(rng, duration_s, 0.45, 0.15, start_s=0.1, margin_s=0.3)
        burst = np.arange(6) / 40.0  # 6 discharges at 40 Hz
        add((on[:, None] + burst[None, :]).ravel(), 0.8, 9.0, 3)
        durs = np.full(on.size, burst[-1] + 0.009)
        for o in on:
            i = int(o * MOVEMENT_FS_HZ)
            active[i:i + int(0.15 * MOVEMENT_FS_HZ)] += 0.03
    else:  # cramp: many units, irregular (Minetto et al. 2009), 1.0-4.0 s
        start, stop = 1.0, 4.0
        for _ in range(20):
            u_on = start + rng.uniform(0.0, 0.4)
            u_off = stop - rng.uniform(0.0, 0.4)
            isi = _intervals(rng, 200, 1.0 / 14.5, 0.45)
            times = u_on + np.cumsum(np.maximum(isi, 0.004))
            add(times[times < u_off], rng.uniform(0.3, 1.5), rng.uniform(8.0, 12.0), 3)
        on = np.array([start])
        durs = np.array([stop - start])
        i0, i1 = int(start * MOVEMENT_FS_HZ), int(stop * MOVEMENT_FS_HZ)
        active[i0:i1] = 1.0
    tm = np.arange(active.size) / MOVEMENT_FS_HZ
    angle = 20.0 * _angle_filter(active, MOVEMENT_FS_HZ)
    angle = angle + rng.normal(0.0, ANGLE_NOISE_DEG, angle.size)
    return MovementRecording(kind, "needle", t, sig, tm, angle, on, durs)


# surface kinds: (duration_s, list of (onset_s, burst_s, amplitude_mV, direction))
def _surface_events(kind, rng):
    if kind == "myoclonus":
        on = _onsets(rng, 5.0, 0.8, 1.0, start_s=0.2, margin_s=0.5)
        return 5.0, [(o, 0.03, 0.6, 1) for o in on], 40.0
    if kind == "tremor":
        on = np.arange(0.1, 2.9, 0.2)  # 5 Hz
        ev = [(o, 0.07, 0.35, 1) for o in on] + [(o + 0.1, 0.07, 0.35, -1) for o in on]
        return 3.0, ev, 20.0
    if kind == "tic":
        on = _onsets(rng, 6.0, 1.2, 0.5, start_s=0.2, margin_s=0.6)
        return 6.0, [(o, 0.15, 0.5, 1) for o in on], 12.0
    if kind == "chorea":
        on = _onsets(rng, 5.0, 0.35, 0.8, start_s=0.0, margin_s=0.3)
        return 5.0, [(o, rng.uniform(0.1, 0.4), rng.uniform(0.1, 0.4),
                      int(rng.choice([-1, 1]))) for o in on], 14.0
    if kind == "restless legs":
        on = 9.0 + np.cumsum(rng.uniform(1.8, 3.0, 3))
        return 20.0, [(o, rng.uniform(1.0, 1.6), 0.3, 1) for o in on], 25.0
    # periodic limb movements (Ferri et al. 2016: 0.5-10 s, every 10-90 s)
    on = 5.0 + np.cumsum(_intervals(rng, 6, 25.0, 0.1)) - 25.0
    on = on[on < 85.0]
    return 90.0, [(o, rng.uniform(1.5, 2.5), 0.25, 1) for o in on], 20.0


def _surface(kind, rng):
    duration_s, events, gain_deg = _surface_events(kind, rng)
    fs = SURFACE_FS_HZ
    t = np.arange(int(round(duration_s * fs))) / fs
    tm = np.arange(int(round(duration_s * MOVEMENT_FS_HZ))) / MOVEMENT_FS_HZ
    emg_env = np.zeros_like(t)
    act = np.zeros_like(tm)
    for on, d, amp, direction in events:
        ramp = min(0.01, d / 4)
        if direction > 0:  # the recorded muscle
            emg_env = np.maximum(emg_env, amp * _envelope(t, [on], [d], ramp))
        act += direction * (amp / 0.5) * _envelope(tm, [on], [d], ramp)
    sig = emg_env * rng.normal(0.0, 1.0, t.size) + rng.normal(0.0, SURFACE_NOISE_MV, t.size)
    angle = gain_deg * _angle_filter(act, MOVEMENT_FS_HZ)
    angle = angle + rng.normal(0.0, ANGLE_NOISE_DEG, tm.size)
    mine = [(on, d) for on, d, _, direction in events if direction > 0]
    onsets = np.array([m[0] for m in mine])
    durs = np.array([m[1] for m in mine])
    return MovementRecording(kind, "surface", t, sig, tm, angle, onsets, durs)


@validated(kind=Choice(KINDS), seed=Integer(SEED))
def simulate(kind: str, seed: int = 0) -> MovementRecording:
    """One seeded synthetic recording of ``kind`` (one of :data:`KINDS`)."""
    _check_kind(kind)
    seed = int(require_range("seed", seed, SEED))
    rng = np.random.default_rng([seed, KINDS.index(kind)])
    if kind in ("fasciculation", "fibrillation", "myokymia", "cramp"):
        return _needle(kind, rng, {"fasciculation": 6.0, "fibrillation": 1.0,
                                   "myokymia": 3.0, "cramp": 5.0}[kind])
    return _surface(kind, rng)


@validated(rec=Instance(MovementRecording, "from simulate()"))
def event_features(rec: MovementRecording) -> EventFeatures:
    """Timing of a recording's EMG events: how long, how regular, how often, how much movement.

    ``interval_cv`` is the SD/mean of the intervals between event onsets (0 = clockwork,
    about 1 = random as in a Poisson process); it needs at least 3 events, else nan.
    """
    on = np.asarray(rec.event_onsets_s, float)
    n = int(on.size)
    med = 1000.0 * float(np.median(rec.event_durations_s)) if n else math.nan
    iv = np.diff(np.sort(on))
    cv = float(np.std(iv) / np.mean(iv)) if iv.size >= 2 else math.nan
    peak = float(np.max(np.abs(rec.angle_deg)))
    return EventFeatures(n, med, cv, n / rec.duration_s, peak)
