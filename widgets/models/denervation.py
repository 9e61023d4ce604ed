"""Motor-unit loss and collateral reinnervation: fewer, larger, less stable motor units.

When motor neurons die (as in amyotrophic lateral sclerosis, ALS), the muscle fibres they
supplied are orphaned. Surviving motor axons sprout and adopt many of them, so each
surviving motor unit grows. Strength is kept until the survivors can grow no more.

Sources
-------
- Pool of units: sizes spread exponentially over a 100-fold range, as in Fuglevand,
  Winter & Patla (1993), J Neurophysiol 70:2470 (peak twitch force, which follows the
  number of fibres per unit). Our own implementation; it does not use the motor-unit pool
  module.
- Proportional enlargement: after partial denervation every surviving unit grows by the
  same factor, and mean unit force rises in inverse proportion to the number of units
  left, except after very extensive denervation (>= 90 %), where the increase falls
  short (Rafuse, Gordon & Orozco 1992, J Neurophysiol 68:1261, abstract).
- Capacity: units can enlarge only up to about 5-8 times (Gordon et al. 1993, Brain Res
  Bull 30:477; Rafuse et al. 1992), so compensation is complete while the fraction of
  fibres lost is below ``1 - 1/max_enlargement`` (80 % for 5x) and force falls beyond.
- Strength is kept despite large unit loss: thenar muscles of elderly people often have
  fewer than half the motor units of young adults "despite good strength" (Brown 1972,
  J Neurol Neurosurg Psychiatry 35:845, abstract).
- Fasciculation potentials (FPs): in ALS, FPs from reinnervated units become larger,
  longer, more complex (polyphasic) and unstable (increased jitter and blocking of
  components) as the disease advances; benign fasciculations have normal shapes
  (de Carvalho & Swash 1998, Muscle Nerve 21:336; Liu et al. 2021, BioMed Res Int
  6631664; Shimizu & Bokuda 2015, US Neurology 11:53). Per unit, ALS FPs do NOT fire
  faster than benign ones: benign FPs had the higher firing rate in both de Carvalho &
  Swash (1998) and Liu et al. (2021). This model therefore says nothing about FP rates;
  it changes only the unit's size and the shape and stability of its potential.

Modelling choices (illustrative, stated where they matter)
-----------------------------------------------------------
- Which units die is random (seeded); losses are nested, so a larger ``fraction_lost``
  removes the same units plus more.
- Force is proportional to the number of innervated fibres (no fibre hypertrophy).
- The needle-recorded potential is a sum of triphasic fibre-group potentials, each the
  3-phase MUAP shape of :func:`widgets.models.emg.muap_waveform`. Original
  fibres arrive within a narrow time window; fibres adopted by immature collateral
  sprouts arrive later and more variably (slow, thin sprouts) and each sprout may block
  (fail to transmit) on a given discharge. Amplitude grows with fibre density in the
  unit's territory (proportional to the enlargement factor) and with the square root of
  the unit's original size. The jitter and blocking values are chosen to show the
  qualitative contrast, not fitted to single-fibre EMG data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from widgets.models.validation import (
    Array,
    Dependent,
    Instance,
    Integer,
    Optional,
    Require,
    ValidRange,
    require_range,
    result_type,
    validated,
)

# --- valid ranges ----------------------------------------------------------------------
FRACTION_LOST = ValidRange(0.0, 0.95, "fraction of motor units", 0.0)
N_UNITS = ValidRange(10, 1000, "motor units", 120)
MAX_ENLARGEMENT = ValidRange(1.0, 10.0, "x original size", 5.0)
N_DISCHARGES = ValidRange(1, 200, "discharges", 8)
SEED = ValidRange(0, 2**32 - 1, "", 0)
SIZE_RANGE_FOLD = ValidRange(1.0, 1e4, "fold", 100.0)
MEAN_FIBRES = ValidRange(1.0, 1e5, "fibres per unit", 300.0)
BASELINE_UV = ValidRange(0.0, 1e6, "uV", 20.0, low_open=True)
#: Samples accepted by :func:`waveform_metrics` (any recording, not only this model's).
WAVEFORM_T_RANGE_ms = ValidRange(-1e9, 1e9, "ms")
WAVEFORM_V_RANGE_mV = ValidRange(-1e6, 1e6, "mV")

#: Fuglevand et al. (1993): 100-fold range of unit peak force (and fibre number).
SIZE_RANGE = 100.0
#: Illustrative mean number of muscle fibres per motor unit (order of magnitude of a
#: small hand muscle); only scales the fibre counts, not any result expressed as a ratio.
MEAN_FIBRES_PER_UNIT = 300.0
#: Default enlargement capacity: 5x (lower end of 5-8x, Gordon et al. 1993).
DEFAULT_MAX_ENLARGEMENT = 5.0

# waveform constants (illustrative)
_DT_MS = 0.05
_T0_MS, _T1_MS = -8.0, 32.0
_GROUP_DURATION_MS = 6.5        # duration of one fibre group's potential
_MATURE_SPREAD_MS = 0.4         # SD of arrival times of a unit's own fibres
_MATURE_JITTER_MS = 0.02        # per-discharge jitter of mature junctions (~20 us)
_SPROUT_DELAY_MS = (0.5, 12.0)  # extra latency of fibres on collateral sprouts
_SPROUT_JITTER_MS = 0.5         # jitter of immature sprouts
_SPROUT_BLOCK_P = 0.3           # probability that one sprout blocks on a discharge
_GROUPS_MATURE = 10
_AMP_SCALE_MV = 1.1             # gives ~1 mV peak-to-peak for a median healthy unit
_MATURED_FRACTION = 0.5         # share of adopted fibres on matured sprouts
_BASELINE_UV = 20.0             # onset/end threshold for duration (uV)


@result_type(example=lambda: reinnervate(0.5))
@dataclass(frozen=True)
class DenervatedPool:
    """A motor-unit pool after losing ``fraction_lost`` of its units and reinnervating.

    Fibre counts are expected numbers (floats). ``unit_fibres = original + adopted``.
    """

    fraction_lost: float
    n_units_initial: int
    n_surviving: int
    max_enlargement: float
    surviving_index: np.ndarray      # indices of surviving units in the healthy pool
    original_fibres: np.ndarray      # per surviving unit
    adopted_fibres: np.ndarray       # per surviving unit
    healthy_fibres: np.ndarray       # all units of the intact pool
    orphaned_fibres: float           # fibres that lost their motor neuron
    reinnervated_fibres: float       # orphaned fibres adopted by survivors
    denervated_fibres: float         # orphaned fibres left without a nerve
    total_fibres: float
    enlargement_factor: float        # size of every survivor relative to its original
    force_fraction: float            # force relative to the intact muscle (0..1)
    seed: int

    @property
    def unit_fibres(self) -> np.ndarray:
        return self.original_fibres + self.adopted_fibres

    @property
    def capacity_fibres(self) -> float:
        """Most orphaned fibres the survivors could adopt: (max_enlargement - 1) x their size."""
        return (self.max_enlargement - 1.0) * float(np.sum(self.original_fibres))

    @property
    def compensated(self) -> bool:
        return self.denervated_fibres <= 1e-9 * self.total_fibres


@validated(n_units=Integer(N_UNITS), size_range=SIZE_RANGE_FOLD, mean_fibres=MEAN_FIBRES)
def healthy_unit_fibres(n_units: int = 120, *, size_range: float = SIZE_RANGE,
                        mean_fibres: float = MEAN_FIBRES_PER_UNIT) -> np.ndarray:
    """Fibres per unit of an intact pool: exponential over ``size_range`` (Fuglevand 1993).

    ``P_i = exp(ln(R) * i / (n - 1))``, i = 0..n-1, scaled to a mean of ``mean_fibres``.
    """
    require_range("size_range", size_range, SIZE_RANGE_FOLD)
    require_range("mean_fibres", mean_fibres, MEAN_FIBRES)
    rel = np.exp(math.log(size_range) * np.arange(n_units) / max(n_units - 1, 1))
    return rel * (mean_fibres / rel.mean())


@validated(max_enlargement=MAX_ENLARGEMENT)
def compensation_limit(max_enlargement: float = DEFAULT_MAX_ENLARGEMENT) -> float:
    """Fraction of fibres that can be lost with full compensation: ``1 - 1/max_enlargement``."""
    e = require_range("max_enlargement", max_enlargement, MAX_ENLARGEMENT)
    return 1.0 - 1.0 / e


@validated(fraction_lost=FRACTION_LOST, n_units=Integer(N_UNITS),
           max_enlargement=MAX_ENLARGEMENT, seed=Integer(SEED))
def reinnervate(fraction_lost: float, n_units: int = 120, *,
                max_enlargement: float = DEFAULT_MAX_ENLARGEMENT,
                seed: int = 0) -> DenervatedPool:
    """Lose ``fraction_lost`` of ``n_units`` motor units at random; survivors adopt orphans.

    Every survivor grows by the same factor (Rafuse et al. 1992)::

        g = min(max_enlargement, total_fibres / surviving_original_fibres)

    so adopted fibres = (g - 1) x original, never more than the orphans and never beyond
    the capacity. Force fraction = innervated fibres / total fibres.
    """
    fraction_lost = require_range("fraction_lost", fraction_lost, FRACTION_LOST)
    max_enlargement = require_range("max_enlargement", max_enlargement, MAX_ENLARGEMENT)

    fibres = healthy_unit_fibres(n_units)
    order = np.random.default_rng(seed).permutation(n_units)
    n_lost = min(int(round(fraction_lost * n_units)), n_units - 1)
    lost = order[:n_lost]
    surviving = np.sort(order[n_lost:])

    total = float(fibres.sum())
    orphaned = float(fibres[lost].sum())
    own = fibres[surviving]
    own_total = float(own.sum())
    g = min(max_enlargement, total / own_total)
    adopted = (g - 1.0) * own
    reinnervated = float(adopted.sum())
    denervated = max(orphaned - reinnervated, 0.0)
    force = (own_total + reinnervated) / total
    return DenervatedPool(
        fraction_lost=fraction_lost, n_units_initial=n_units, n_surviving=int(surviving.size),
        max_enlargement=max_enlargement, surviving_index=surviving, original_fibres=own,
        adopted_fibres=adopted, healthy_fibres=fibres, orphaned_fibres=orphaned,
        reinnervated_fibres=reinnervated, denervated_fibres=denervated, total_fibres=total,
        enlargement_factor=g, force_fraction=min(force, 1.0), seed=seed,
    )


@validated(n_units=Integer(N_UNITS), seed=Integer(SEED))
def healthy_pool(n_units: int = 120, seed: int = 0) -> DenervatedPool:
    """The intact pool (no loss): the reference for benign fasciculations."""
    return reinnervate(0.0, n_units, seed=seed)


# --- fasciculation potentials ------------------------------------------------------------

@result_type(example=lambda: fasciculation_potentials(reinnervate(0.5)))
@dataclass(frozen=True)
class FasciculationPotentials:
    """Several discharges of one motor unit, as a concentric needle might record them."""

    t_ms: np.ndarray
    v_mV: np.ndarray                  # shape (n_discharges, n_samples)
    unit_index: int                   # index in the intact pool
    unit_fibres: float
    enlargement_factor: float
    peak_to_peak_mV: np.ndarray       # per discharge
    duration_ms: np.ndarray           # per discharge (baseline threshold 20 uV)
    phases: np.ndarray                # per discharge (baseline crossings + 1)

    @property
    def amplitude_cv(self) -> float:
        """Discharge-to-discharge variability of amplitude (SD / mean): instability."""
        m = float(np.mean(self.peak_to_peak_mV))
        return float(np.std(self.peak_to_peak_mV) / m) if m > 0 else 0.0

    @property
    def shape_variability(self) -> float:
        """RMS difference between discharges relative to the mean waveform's RMS."""
        mean = self.v_mV.mean(axis=0)
        ref = float(np.sqrt(np.mean(mean ** 2)))
        if ref == 0.0:
            return 0.0
        return float(np.sqrt(np.mean((self.v_mV - mean) ** 2)) / ref)


def _group_template(t_ms: np.ndarray) -> np.ndarray:
    """One fibre group's potential: a 3-phase MUAP shape from :mod:`widgets.models.emg`.

    Unit peak-to-peak, ``_GROUP_DURATION_MS`` long, centred at 0, on the grid ``t_ms``.
    """
    from widgets.models import emg

    return emg.muap_waveform(t_ms, amplitude_mV=1.0, duration_ms=_GROUP_DURATION_MS,
                             phases=3, electrode="needle")


def _group_potential(t_ms: np.ndarray, template: np.ndarray, t0_ms: np.ndarray,
                     amp: np.ndarray) -> np.ndarray:
    """Sum of shifted, scaled copies of the group template (linear interpolation)."""
    out = np.zeros_like(t_ms)
    for t0, a in zip(t0_ms, amp, strict=True):
        if a != 0.0:
            out += a * np.interp(t_ms - t0, t_ms, template, left=0.0, right=0.0)
    return out


@validated(t_ms=Array(WAVEFORM_T_RANGE_ms, ndim=(1,), min_size=1),
           v_mV=Array(WAVEFORM_V_RANGE_mV, ndim=(1,), min_size=1), baseline_uV=BASELINE_UV,
           requires=[Require(("t_ms", "v_mV"), lambda a: a["t_ms"].shape == a["v_mV"].shape,
                             "t_ms and v_mV must have the same length")])
def waveform_metrics(t_ms: np.ndarray, v_mV: np.ndarray,
                     baseline_uV: float = _BASELINE_UV) -> tuple[float, float, int]:
    """Peak-to-peak (mV), duration (ms) and number of phases of one potential.

    Duration: from the first to the last sample beyond ``baseline_uV``. Phases: the
    number of baseline crossings between those points plus one, counting only excursions
    beyond the threshold (the clinical definition: a phase is a part of the potential
    between two baseline crossings). ``t_ms`` and ``v_mV``: 1-D, the same length, finite.
    """
    thr = baseline_uV * 1e-3
    above = np.nonzero(np.abs(v_mV) > thr)[0]
    if above.size == 0:
        return 0.0, 0.0, 0
    p2p = float(v_mV.max() - v_mV.min())
    duration = float(t_ms[above[-1]] - t_ms[above[0]])
    signs = np.sign(v_mV[above])
    phases = int(np.count_nonzero(np.diff(signs) != 0) + 1)
    return p2p, duration, phases


def _unit_range(arguments) -> Integer:
    return Integer(ValidRange(0, arguments["pool"].n_surviving - 1, "surviving unit"))


@validated(pool=Instance(DenervatedPool, "from reinnervate() or healthy_pool()"),
           n_discharges=Integer(N_DISCHARGES), seed=Integer(SEED),
           unit=Optional(Dependent(_unit_range, "an integer in [0, pool.n_surviving - 1]")))
def fasciculation_potentials(pool: DenervatedPool, n_discharges: int = 8, *, seed: int = 0,
                             unit: int | None = None) -> FasciculationPotentials:
    """``n_discharges`` overlaid discharges of one surviving unit of ``pool``.

    ``unit`` is a position among the survivors (default: the survivor of median size).
    Fibres of the unit's own (mature) junctions fire with small jitter; fibres adopted by
    collateral sprouts arrive later, jitter more and may block, so the potential of an
    enlarged unit is larger, longer, polyphasic and changes from discharge to discharge.
    The firing rate is not modelled (see the module docstring).
    """
    if unit is None:
        unit = int(np.argsort(pool.original_fibres)[pool.n_surviving // 2])

    own = float(pool.original_fibres[unit])
    adopted = float(pool.adopted_fibres[unit])
    median_healthy = float(np.median(pool.healthy_fibres))
    # structure of this unit (fixed across discharges): seeded by pool seed and unit
    rng_unit = np.random.default_rng([pool.seed, int(pool.surviving_index[unit]), 7])
    amp_scale = _AMP_SCALE_MV * math.sqrt(own / median_healthy)
    ratio = adopted / own if own > 0 else 0.0
    # adopted fibres: a fraction on matured sprouts join the main spike (higher fibre
    # density), the rest hang on immature sprouts (late, jittering, blocking components)
    dense = 1.0 + _MATURED_FRACTION * ratio
    m_t0 = rng_unit.normal(0.0, _MATURE_SPREAD_MS, _GROUPS_MATURE)
    m_amp = amp_scale * dense * rng_unit.lognormal(0.0, 0.4, _GROUPS_MATURE) / _GROUPS_MATURE
    immature = (1.0 - _MATURED_FRACTION) * ratio
    n_sprouts = int(min(24, math.ceil(immature * 3))) if immature > 1e-9 else 0
    if n_sprouts:
        s_t0 = rng_unit.uniform(*_SPROUT_DELAY_MS, n_sprouts)
        s_amp = amp_scale * immature * rng_unit.lognormal(0.0, 0.4, n_sprouts) / n_sprouts
    else:
        s_t0 = np.zeros(0)
        s_amp = np.zeros(0)

    t = np.arange(_T0_MS, _T1_MS + 0.5 * _DT_MS, _DT_MS)
    template = _group_template(t)
    rng = np.random.default_rng([seed, int(pool.surviving_index[unit]), 11])
    v = np.empty((n_discharges, t.size))
    p2p = np.empty(n_discharges)
    dur = np.empty(n_discharges)
    ph = np.empty(n_discharges, dtype=int)
    for k in range(n_discharges):
        t0 = m_t0 + rng.normal(0.0, _MATURE_JITTER_MS, m_t0.size)
        wave = _group_potential(t, template, t0, m_amp)
        if n_sprouts:
            ts = s_t0 + rng.normal(0.0, _SPROUT_JITTER_MS, n_sprouts)
            conducts = rng.random(n_sprouts) >= _SPROUT_BLOCK_P
            wave = wave + _group_potential(t, template, ts, s_amp * conducts)
        v[k] = wave
        p2p[k], dur[k], ph[k] = waveform_metrics(t, wave)
    return FasciculationPotentials(
        t_ms=t, v_mV=v, unit_index=int(pool.surviving_index[unit]),
        unit_fibres=own + adopted, enlargement_factor=pool.enlargement_factor,
        peak_to_peak_mV=p2p, duration_ms=dur, phases=ph,
    )
