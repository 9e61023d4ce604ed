"""Spontaneous (ectopic) discharge of a distal motor axon, driven by channel noise.

A fasciculation is the twitch of one motor unit, often triggered by a spike that arises
spontaneously in the distal motor axon rather than in the spinal cord. Deterministic axon
models never do this: with more and more depolarisation they go into depolarisation block
instead of firing. Here the node of :mod:`widgets.models.motor_axon` carries **channel noise**:
the transient and persistent Na+ gates follow Langevin equations (Fox & Lu 1994),

    dx = (alpha_x (1 - x) - beta_x x) dt + sqrt((alpha_x (1 - x) + beta_x x) / N) dW,

with N transient (``N_NAT_CHANNELS``) and persistent (``N_NAP_CHANNELS``) Na+ channels at the node.
Random openings occasionally depolarise the node past threshold: the rate of these spontaneous
spikes depends steeply on the axon's state (resting potential, divalent screening, persistent Na+,
slow K+), which is the point of the model.

Calibration (illustrative, stated). One effective number of channels, ``N_NAT_CHANNELS`` =
``N_NAP_CHANNELS`` = 128, sets the noise of both gates (persistent Na+ current is a gating mode
of the same Na+ channels, so it is given the same count; when ``conductance_scale["NaP"]``
grows, the unit current grows and so does its noise). The number is chosen for one design rule
and two needs of the course (issue 12):

* anywhere inside the clinical reference ranges of K+, Na+, ionized Ca2+ and ionized Mg2+
  (``motor_axon.NORMAL_RANGES_mM``) the axon is indistinguishable from normal, i.e. silent:
  0 spontaneous spikes in 10 seeds x 600 s at normal values and at the most excitable corner of
  the ranges (K+ 5.1, Na+ 145, ionized Ca2+ 1.16, ionized Mg2+ 0.45 mmol/L); every edge and
  corner is run by ``benchmarks/bench_reference_ranges.py``, and a cheap version is in
  ``tests/test_ectopic.py``.
  The previous calibration (600 and 18 channels) fired 0.0125 /s even at normal values and
  0.067 /s at K+ 5.1 mmol/L (issue 12);
* low ionized Ca2+ still fires, irregular spikes from rest that return to rest (about 0.03 /s
  at 0.7, 0.29 /s at 0.6, 3.5 /s at 0.45 mmol/L; means of 3 seeds x 60 s,
  ``benchmarks/bench_ectopic_settings.py``);
* the channel changes reported in ALS motor axons (more persistent Na+, Bostock et al. 1995;
  less slow K+, Kanai et al. 2006) do **not** make this node fire a train of spikes from rest
  (issue 17, measured over NaP x 1.2-2.0 and Ks x 0.5-1.0, 3 seeds x 60 s each). The node is
  bistable: with enough of the change it flips, after one spike or by a slow drift, onto a
  depolarised plateau near -35 mV and stays there, where it cannot fire again (like
  depolarisation block): NaP x 2, Ks x 0.5 spends 99 % of the runs above -60 mV, and the
  3 spikes counted in 180 s are the jumps onto the plateau (about 0.5 s into the run at seed
  0). Weaker changes are silent (Ks x 0.8-1.0 with NaP up to x 1.6; NaP x 1.2-1.3 with Ks
  x 0.6 or more) or flip onto the plateau, some of them back again (NaP x 1.3-1.6 with Ks
  x 0.5-0.7: 3 to 28 plateaus of 100 ms or more in 180 s); the only setting with a spike from
  rest and no plateau in its runs was NaP x 1.2, Ks x 0.5 (1 spike in 180 s).
  Before issue 17 the detector re-armed 20 mV below its -20 mV level, so noise
  dips of the plateau below -40 mV and back were counted as spikes ("about 0.07 /s"); it now
  requires recovery below :data:`RECOVERY_mV` (-60 mV) since the last spike;
* low K+ makes the axon fire less, and high Mg2+ calms a low-Ca2+ axon (less than Ca2+ would).

What the model predicts outside the ranges where the clinic disagrees, stated so that nobody
mistakes it for a clinical fact: between about 6.5 and 9 mmol/L K+ the depolarised noisy node
fires small spikes on its own (about 0.19 /s at 6.5, 1.7 /s at 7, 4.6 /s at 8 mmol/L, 3 seeds
x 60 s; most of them peak below 0 mV, and at 8 mmol/L the node also spends about half the time
above -60 mV), before the depolarisation block that sets in at 9 mmol/L.
Hyperkalaemia is not among the recognised causes of fasciculation: it presents with
heart-rhythm changes and weakness (Sanson et al. 2015), and nerve testing in kidney failure
shows motor axons depolarised in proportion to serum K+ (Krishnan et al. 2005). The model lacks
what might reconcile the two (slow inactivation of Na+ channels, propagation along a cable that
would stop small spikes, and the slow adaptation of a chronically depolarised nerve). The
absolute rates are illustrative; their ordering is the model's claim. The Fox-Lu Langevin
approximation of channel noise (subunit noise) is itself a simplification of the Markov
channel model.

The rate comes from a full noisy simulation (:func:`spontaneous_rate_hz`, default 60 s of
simulated time, about 14 ms of computing per simulated second); a spike is an upward crossing
of -20 mV with at least 5 % of the transient Na+ channels open, as for every threshold in
:mod:`widgets.models.motor_axon`, counted only if the node has been below :data:`RECOVERY_mV`
(-60 mV) since the last spike (hysteresis, issue 17; :func:`spike_times_from_trace` applies the
same rule to a recorded trace).
"""

from __future__ import annotations

import numpy as np

from widgets.cache import disk_cached
from widgets.models import motor_axon as ma
from widgets.models.validation import Array, Integer, Require, ValidRange, require_range, validated

#: Effective numbers of Na+ channels at the node (calibrated; see module docstring).
N_NAT_CHANNELS = 128.0
N_NAP_CHANNELS = 128.0

#: Simulated durations (s). Cost: about 10 million time steps (duration / dt_ms) per second
#: of computing, so 600 s at the default dt_ms = 0.01 ms takes about 6 s; at most
#: MAX_NOISY_STEPS steps per call (600 s at 0.01 ms, 300 s at 0.005 ms).
DURATION_RANGE_s = ValidRange(0.01, 600.0, "s", 60.0)
DURATION_RANGE_ms = ValidRange(1.0, 1e3 * DURATION_RANGE_s.high, "ms", 1000.0)
DT_RANGE_ms = ValidRange(0.005, 0.02, "ms", 0.01)
SEED_RANGE = ValidRange(0, 2**32 - 1, "", 0)
RECORD_EVERY_RANGE = ValidRange(1, 10_000, "samples", 10)
MAX_NOISY_STEPS = 60_000_000
#: Most recorded samples of one noisy trace (8 bytes each).
MAX_SAMPLES = 10_000_000
_CHUNK_STEPS = 100_000
#: A spontaneous spike counts only if the node came back below this potential (mV) since the
#: last one (hysteresis): noise dips from a depolarised plateau are not spikes (issue 17).
RECOVERY_mV = -60.0
_SEED = Integer(SEED_RANGE, strict=True)


def _steps_cap(duration_key, to_ms):
    return Require((duration_key, "dt_ms"),
                   lambda a: to_ms * a[duration_key] / a["dt_ms"] <= MAX_NOISY_STEPS,
                   f"{duration_key} / dt_ms must be at most {MAX_NOISY_STEPS:,} time steps "
                   "(about 6 s of computing): shorten the run or raise dt_ms")


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer in [0, {2**32 - 1}], got {seed!r}")
    require_range("seed", seed, SEED_RANGE)
    return int(seed)


def _noisy_run(p, duration_ms, dt_ms, seed, record_every):
    """Run the noisy node from rest; returns (t_ms, v_mV, spike_times_ms)."""
    rng = np.random.default_rng(seed)
    tab = ma._tables(dt_ms)
    # state[9]: the detector's "recovered" flag, carried from chunk to chunk (motor_axon._run)
    st0 = ma._rest_state(p)
    st = np.append(st0, 1.0 if st0[0] < RECOVERY_mV else 0.0)
    n_total = int(round(duration_ms / dt_ms))
    n_rec_total = n_total // record_every if record_every > 0 else 0
    v = np.empty(max(n_rec_total, 0))
    spikes_all = []
    done = 0
    rec_done = 0
    while done < n_total:
        n = min(_CHUNK_STEPS * max(record_every, 1), n_total - done)
        if record_every > 0:
            n = max(record_every, (n // record_every) * record_every) if n >= record_every else n
        noise = rng.standard_normal((n, 3))
        max_spk = 4096
        spk = np.empty(max_spk)
        vbuf = np.empty(n // record_every if record_every > 0 else 0)
        n_spk, n_rec = ma._run(p, tab, st, dt_ms, n, ma._EMPTY_F, ma._EMPTY_F, ma._EMPTY_F,
                               noise, N_NAT_CHANNELS, record_every, vbuf, spk, max_spk, 0,
                               N_NAP_CHANNELS, RECOVERY_mV)
        spikes_all.append(spk[:min(n_spk, max_spk)] + done * dt_ms)
        if record_every > 0:
            take = min(n_rec, n_rec_total - rec_done)
            v[rec_done:rec_done + take] = vbuf[:take]
            rec_done += take
        done += n
    spikes = np.concatenate(spikes_all) if spikes_all else np.zeros(0)
    t = dt_ms * record_every * np.arange(1, rec_done + 1) if record_every > 0 else np.zeros(0)
    return t, v[:rec_done], spikes


@validated(conc_out_mM=ma._CONC, duration_ms=DURATION_RANGE_ms, seed=_SEED,
           conductance_scale=ma._SCALE, dt_ms=DT_RANGE_ms,
           record_every=Integer(RECORD_EVERY_RANGE, strict=True),
           requires=[_steps_cap("duration_ms", 1.0),
                     Require(("duration_ms", "dt_ms", "record_every"),
                             lambda a: a["duration_ms"] / a["dt_ms"] / a["record_every"]
                             <= MAX_SAMPLES,
                             f"duration_ms / dt_ms / record_every must be at most "
                             f"{MAX_SAMPLES:,} recorded samples: raise record_every")])
def simulate_noisy(conc_out_mM=None, duration_ms: float = 1000.0, seed: int = 0,
                   conductance_scale=None, dt_ms: float = 0.01,
                   record_every: int = 10) -> ma.Trace:
    """Noisy node potential and spontaneous spike times of one run (seeded, deterministic).

    Starts from the deterministic resting state; ``record_every`` keeps every k-th sample.
    Cost: about 10 million steps (``duration_ms / dt_ms``) per second of computing; at most
    60 million steps (600 s at dt_ms = 0.01) and 10 million recorded samples per call.
    """
    duration_ms = require_range("duration_ms", duration_ms, DURATION_RANGE_ms)
    dt_ms = require_range("dt_ms", dt_ms, DT_RANGE_ms)
    seed = _check_seed(seed)
    if isinstance(record_every, bool) or not isinstance(record_every, (int, np.integer)) \
            or not 1 <= record_every <= 10_000:
        raise ValueError(f"record_every must be an integer in [1, 10000], got {record_every!r}")
    p = ma.kernel_params(conc_out_mM, conductance_scale)
    t, v, spikes = _noisy_run(p, duration_ms, dt_ms, seed, int(record_every))
    return ma.Trace(t_ms=t, v_mV=v, spike_times_ms=spikes)


@validated(conc_out_mM=ma._CONC, duration_s=DURATION_RANGE_s, seed=_SEED,
           conductance_scale=ma._SCALE, dt_ms=DT_RANGE_ms,
           requires=[_steps_cap("duration_s", 1e3)])
@disk_cached  # deterministic (seeded); memoized on disk only under `make live` (widgets/cache.py)
def spontaneous_rate_hz(conc_out_mM=None, duration_s: float = 60.0, seed: int = 0,
                        conductance_scale=None, dt_ms: float = 0.01) -> float:
    """Mean rate (Hz) of spontaneous spikes over ``duration_s`` of simulated time (full model).

    Cost: about 1 s of computing per 100 s simulated at the default dt_ms = 0.01 ms; at most
    60 million time steps (600 s at 0.01 ms, 300 s at 0.005 ms).
    """
    duration_s = require_range("duration_s", duration_s, DURATION_RANGE_s)
    dt_ms = require_range("dt_ms", dt_ms, DT_RANGE_ms)
    seed = _check_seed(seed)
    p = ma.kernel_params(conc_out_mM, conductance_scale)
    _, _, spikes = _noisy_run(p, 1e3 * duration_s, dt_ms, seed, 0)
    return spikes.size / duration_s


@validated(t_ms=Array(ValidRange(-1e9, 1e9, "ms", 0.0), ndim=(1,), max_size=MAX_SAMPLES),
           v_mV=Array(ma.V_RANGE_mV, ndim=(1,), max_size=MAX_SAMPLES),
           detect_mV=ValidRange(-100.0, 50.0, "mV", ma.SPIKE_DETECT_mV),
           recover_mV=ValidRange(-150.0, 50.0, "mV", RECOVERY_mV),
           requires=[Require(("t_ms", "v_mV"),
                             lambda a: np.shape(a["t_ms"]) == np.shape(a["v_mV"]),
                             "t_ms and v_mV must have the same length"),
                     Require(("detect_mV", "recover_mV"),
                             lambda a: a["recover_mV"] < a["detect_mV"],
                             "recover_mV must be below detect_mV")])
def spike_times_from_trace(t_ms, v_mV, detect_mV: float = ma.SPIKE_DETECT_mV,
                           recover_mV: float = RECOVERY_mV):
    """Spike times (ms) in a recorded trace, by the rule of the noisy runs' detector.

    A spike is an upward crossing of ``detect_mV`` that comes after the trace was below
    ``recover_mV`` (since the start or since the last spike): hysteresis, so that a node
    that stays depolarised (a plateau) and dips below ``detect_mV`` with noise is not counted
    again and again. The trace is taken to start recovered if its first sample is below
    ``recover_mV``. (The simulation kernel applies the same rule at every time step and also
    asks for 5 % of the transient Na+ channels open; ``tests/test_ectopic.py`` compares the two.)
    """
    t = np.asarray(t_ms, dtype=float)
    v = np.asarray(v_mV, dtype=float)
    if t.shape != v.shape:
        raise ValueError(f"t_ms and v_mV must have the same shape, got {t.shape} and {v.shape}")
    if not recover_mV < detect_mV:
        raise ValueError(f"recover_mV must be below detect_mV ({detect_mV}), got {recover_mV}")
    out = []
    recovered = v.size > 0 and v[0] < recover_mV
    for k in range(1, v.size):
        if recovered and v[k] >= detect_mV > v[k - 1]:
            out.append(t[k])
            recovered = False
        elif not recovered and v[k] < recover_mV:
            recovered = True
    return np.asarray(out)
