"""Causes of peripheral nerve hyperexcitability, mapped onto the human motor axon model.

Each entry of :data:`MECHANISMS` names a clinical cause of twitching and the *one* change
that the physiology literature identifies as its main mechanism, expressed as arguments to
:mod:`widgets.models.motor_axon` (``conc_out_mM``, ``conductance_scale``) and to
:mod:`widgets.models.ectopic` (noise-driven spontaneous firing). :func:`readouts` returns what
the model axon then does: resting potential, threshold, rheobase, strength-duration time
constant and the rate of spontaneous (ectopic) spikes.

Mechanisms and sources (the size of each change is illustrative, not fitted to patients):

* ``low calcium`` (hypocalcaemic tetany): ionized Ca2+ 1.2 -> 0.6 mmol/L (0.7 before the
  issue 12 recalibration of the axon, which made 0.7 fire only about once a minute). Less
  Ca2+ screens less of the membrane's negative surface charge, so channels open at more negative
  potentials (Frankenhaeuser & Hodgkin 1957; Hille et al. 1975); clinical features in Cooper &
  Gittoes 2008.
* ``fast K+ antibodies`` (acquired neuromyotonia / Isaacs syndrome, and the milder
  cramp-fasciculation syndrome): fast K+ (Kv1, ``Kf``) conductance x 0.3. Antibodies to the
  voltage-gated K+ channel complex are found in a minority of patients (Hart et al. 2002;
  Maddison 2006). **Known limitation:** in this model ``Kf`` sits in the internode under the
  myelin, as in healthy myelinated axons, so reducing it barely changes anything measured at
  the node; the spontaneous discharges of neuromyotonia are thought to arise in distal,
  thinly myelinated or branching parts of the axon that the model does not have (Maddison 2006).
* ``more persistent Na+`` (as in ALS motor axons): persistent Na+ (``NaP``) x 2 and slow K+
  (``Ks``) x 0.5 (Bostock et al. 1995; Kanai et al. 2006). Its threshold and tau_SD move the
  published way, but its "ectopic rate" is not a train of spikes: the noisy node fires once (or
  drifts) onto a depolarised plateau near -35 mV and stays there, like depolarisation block
  (one spike per 60 s run at seed 0); no weaker change in this direction fires a train from rest
  either (``widgets.models.ectopic`` docstring, ``benchmarks/bench_ectopic_settings.py``,
  issue 17). Lessons 1.4 and 3.3 say so.
* ``ischaemia`` (acute ischaemia, minutes: a limb "gone to sleep" under pressure or a tight
  cuff): Na+/K+ pump x 0. Ischaemia stops the pump and depolarises the axon (Burke et al.
  2001). This is **not** the mechanism of chronic radiculopathy, whose fasciculations come
  from axon damage and reinnervation over months (Desai & Swash 1997 list radiculopathy among
  the lower motor neuron disorders with fasciculation potentials); that belongs to
  :mod:`widgets.models.denervation`, not to a change in one healthy axon.
* ``faster pump`` (one effect of thyroid hormone): Na+/K+ pump x 1.5. Thyroid hormone raises
  Na+/K+-ATPase activity (Vijayakumar et al. 2014); the model predicts *less* excitability,
  not more. Thyrotoxicosis is nevertheless a listed metabolic cause of fasciculation
  potentials (Desai & Swash 1997): by routes this model does not contain.
* ``cholinesterase blocked`` (organophosphate poisoning): no change to the axon. The drug
  acts at the neuromuscular junction, where acetylcholine is no longer broken down
  (Eddleston et al. 2008); the axon model cannot show it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from widgets.cache import disk_cached
from widgets.models import ectopic
from widgets.models import motor_axon as ma
from widgets.models.validation import (
    Choice,
    Integer,
    Number,
    ValidRange,
    require_range,
    result_type,
    validated,
)

SEVERITY = ValidRange(0.0, 1.0, "fraction of the full change", 1.0)
RATE_DURATION_s = ValidRange(1.0, 600.0, "s", 60.0)
SEED_RANGE = ValidRange(0, 2**32 - 1, "", 0)
_SEED = Integer(SEED_RANGE, strict=True)


@result_type()
@dataclass(frozen=True)
class Mechanism:
    """A cause of hyperexcitability and the model change that stands for it."""

    label: str
    conditions: str
    change: str
    conc_out_mM: dict
    conductance_scale: dict
    sources: tuple


MECHANISMS = {
    "normal": Mechanism(
        "normal", "healthy axon", "nothing changed", {}, {}, ("howells2012",)),
    "low calcium": Mechanism(
        "low calcium", "hypocalcaemic tetany",
        "ionized Ca2+ 1.2 -> 0.6 mmol/L: less surface-charge screening, gates shift negative",
        {"Ca": 0.6}, {}, ("frankenhaeuser1957", "hille1975", "cooper2008")),
    "fast K+ antibodies": Mechanism(
        "fast K+ antibodies", "neuromyotonia (Isaacs syndrome); cramp-fasciculation syndrome",
        "fast K+ (Kv1) conductance x 0.3: antibodies against the VGKC complex",
        {}, {"Kf": 0.3}, ("hart2002", "maddison2006")),
    "more persistent Na+": Mechanism(
        "more persistent Na+", "motor axons in ALS",
        "persistent Na+ x 2 and slow K+ x 0.5",
        {}, {"NaP": 2.0, "Ks": 0.5}, ("bostock1995", "kanai2006")),
    "ischaemia": Mechanism(
        "ischaemia", "acute ischaemia (minutes): a limb gone to sleep under pressure or a "
        "tight cuff; not chronic radiculopathy, which acts through axon damage and "
        "reinnervation",
        "Na+/K+ pump stopped (x 0): the axon depolarises",
        {}, {"pump": 0.0}, ("burke2001", "desai1997")),
    "faster pump": Mechanism(
        "faster pump", "one effect of thyroid hormone (thyrotoxicosis, which causes "
        "fasciculation potentials by routes not in this model)",
        "Na+/K+ pump x 1.5: the axon hyperpolarises",
        {}, {"pump": 1.5}, ("vijayakumar2014", "desai1997")),
    "cholinesterase blocked": Mechanism(
        "cholinesterase blocked", "organophosphate poisoning",
        "no change to the axon: the drug acts at the neuromuscular junction",
        {}, {}, ("eddleston2008",)),
}


@result_type()
@dataclass(frozen=True)
class AxonReadouts:
    """What the model axon does under one mechanism (stimulus current at the node)."""

    mechanism: str
    severity: float
    resting_potential_mV: float
    threshold_nA: float          # 1 ms pulse
    rheobase_nA: float
    tau_sd_ms: float             # strength-duration time constant (Weiss, 0.2 and 1 ms)
    spontaneous_rate_hz: float   # ectopic spikes per second (channel-noise simulation)
    rate_duration_s: float


def _check(mechanism: str) -> Mechanism:
    if mechanism not in MECHANISMS:
        raise ValueError(f"mechanism must be one of {list(MECHANISMS)}, got {mechanism!r}")
    return MECHANISMS[mechanism]


_MECHANISM = Choice(MECHANISMS)


@validated(mechanism=_MECHANISM, severity=SEVERITY)
def settings(mechanism: str, severity: float = 1.0) -> tuple[dict, dict]:
    """``(conc_out_mM, conductance_scale)`` for a fraction ``severity`` of the full change.

    Linear interpolation between normal (severity 0) and the full change (severity 1):
    concentrations from their normal values, multipliers from 1.
    """
    mech = _check(mechanism)
    s = require_range("severity", severity, SEVERITY)
    conc = {k: ma.NORMAL_CONC_OUT_mM[k] + s * (v - ma.NORMAL_CONC_OUT_mM[k])
            for k, v in mech.conc_out_mM.items()}
    scale = {k: 1.0 + s * (v - 1.0) for k, v in mech.conductance_scale.items()}
    return conc, scale


@lru_cache(maxsize=512)
@disk_cached  # deterministic (seeded); memoized on disk only under `make live` (widgets/cache.py)
def _readouts(mechanism: str, severity: float, duration_s: float, seed: int) -> AxonReadouts:
    conc, scale = settings(mechanism, severity)
    conc = conc or None
    scale = scale or None
    rest = ma.resting_potential(conc, scale)
    rheo, tau, thr = ma.strength_duration(conc, scale, durations_ms=(0.2, 1.0))
    rate = ectopic.spontaneous_rate_hz(conc, duration_s=duration_s, seed=seed,
                                       conductance_scale=scale)
    return AxonReadouts(mechanism, severity, float(rest), float(thr[1]), float(rheo),
                        float(tau), float(rate), float(duration_s))


@validated(mechanism=_MECHANISM, severity=SEVERITY, duration_s=RATE_DURATION_s, seed=_SEED)
def readouts(mechanism: str, severity: float = 1.0, duration_s: float = 60.0,
             seed: int = 0) -> AxonReadouts:
    """Resting potential, 1-ms threshold, rheobase, tau_SD and ectopic rate (cached).

    ``duration_s`` of noisy simulation sets the precision of the rate (one spike in 60 s is
    0.017 Hz); ``seed`` seeds the channel noise. Cost: about 1 s of computing per 100 s of
    noisy simulation (first call per setting; then cached).
    """
    _check(mechanism)
    s = require_range("severity", severity, SEVERITY)
    d = require_range("duration_s", duration_s, RATE_DURATION_s)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return _readouts(mechanism, round(s, 6), d, seed)


@validated(value=Number(), normal=Number(),
           nonfinite={"": "nan if value or normal is not finite, normal is 0, or the ratio "
                          "exceeds the float range"})
def percent_of_normal(value: float, normal: float) -> float:
    """100 x value / normal (nan if either is not finite, normal is 0 or the ratio overflows)."""
    if not (math.isfinite(value) and math.isfinite(normal)) or normal == 0:
        return math.nan
    with np.errstate(over="ignore"):
        ratio = 100.0 * np.float64(value) / np.float64(normal)
    return float(ratio) if math.isfinite(ratio) else math.nan


@lru_cache(maxsize=512)
@disk_cached  # deterministic (seeded); memoized on disk only under `make live` (widgets/cache.py)
def _spike_times(mechanism: str, severity: float, duration_s: float, seed: int):
    conc, scale = settings(mechanism, severity)
    tr = ectopic.simulate_noisy(conc or None, duration_ms=1e3 * duration_s, seed=seed,
                                conductance_scale=scale or None, record_every=10_000)
    return tuple(float(t) / 1e3 for t in tr.spike_times_ms)


@validated(mechanism=_MECHANISM, severity=SEVERITY, duration_s=RATE_DURATION_s, seed=_SEED)
def spike_times_s(mechanism: str, severity: float = 1.0, duration_s: float = 20.0,
                  seed: int = 0) -> tuple:
    """Times (s) of spontaneous ectopic spikes in one seeded noisy run (cached)."""
    _check(mechanism)
    s = require_range("severity", severity, SEVERITY)
    d = require_range("duration_s", duration_s, RATE_DURATION_s)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return _spike_times(mechanism, round(s, 6), d, seed)
