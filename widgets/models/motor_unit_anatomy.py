"""Motor-unit anatomy: innervation ratios and how one unit's fibres lie in a muscle.

Innervation ratio (fibres per motor unit) = muscle fibres / motor units. Counts:

- Feinstein B, Lindegard B, Nyman E, Wohlfart G (1955). Morphologic studies of motor units in
  normal human muscles. Acta Anat 23:127-142. doi:10.1159/000140989. Fibre counts and motor
  axon counts from dissected muscles; the two muscles used here are the values usually quoted
  from their table (first dorsal interosseous 40 500 fibres / 119 units; medial gastrocnemius
  about 1 120 000 fibres / 579 units). They come from very few cadavers: treat them as
  orders of magnitude, as the lessons do.
- Gath I, Stalberg E (1981). In situ measurement of the innervation ratio of motor units in
  human muscles. Exp Brain Res 43:377-382. doi:10.1007/BF00238380. Electrophysiological
  estimates: biceps brachii 209, tibialis anterior 329, deltoid 239 fibres per unit.

Territory mosaic (for figures): the fibres of one unit are scattered over a territory and
intermingled with fibres of many other units; in cat medial gastrocnemius as many as about
50 units share one region (Burke RE, Tsairis P 1973, J Physiol 234:749-765,
doi:10.1113/jphysiol.1973.sp010370). :func:`cross_section` draws such a mosaic: fibres on a
hexagonal grid in a disc, each assigned at random to one of the units whose (Gaussian)
territory covers it. It is a picture of the principle, not a fit to any muscle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from widgets.models.validation import (
    Integer,
    Require,
    Text,
    ValidRange,
    input_type,
    require_positive,
    require_range,
    result_type,
    validated,
)

#: Fibres in a drawn cross-section (a small muscle slice, not a whole muscle).
SECTION_FIBRES = ValidRange(20, 20_000, "fibres", 1200)
#: Units whose fibres share the drawn cross-section.
SECTION_UNITS = ValidRange(1, 500, "units", 40)
#: Territory radius as a fraction of the section radius.
TERRITORY_FRACTION = ValidRange(0.05, 2.0, "", 0.35)
#: Fibre and motor-unit counts accepted by :func:`innervation_ratio` (whole muscles).
FIBRE_COUNT = ValidRange(1.0, 1e12, "fibres", 1200.0)
UNIT_COUNT = ValidRange(1.0, 1e12, "motor units", 40.0)
SEED_RANGE = ValidRange(0, 2**32 - 1, "", 0)
#: Positions and radii (section radius = 1) accepted by :meth:`CrossSection.units_near`.
POSITION = ValidRange(-1e6, 1e6, "section radii", 0.0)
RADIUS = ValidRange(0.0, 1e6, "section radii", 0.2, low_open=True)
_UNITS_NOT_ABOVE_FIBRES = Require(("n_fibres", "n_units"), lambda a: a["n_units"] <= a["n_fibres"],
                                  lambda a: "n_units must be <= n_fibres (every unit has at least "
                                            f"one fibre), got {a['n_units']!r} > "
                                            f"{a['n_fibres']!r}")


@input_type(muscle=Text(), n_fibres=FIBRE_COUNT, n_units=UNIT_COUNT, source=Text(),
            requires=[_UNITS_NOT_ABOVE_FIBRES],
            example=lambda: MUSCLE_COUNTS["medial gastrocnemius"])
@dataclass(frozen=True)
class MuscleCount:
    """Fibre and motor-unit counts of one muscle, with the source."""

    muscle: str
    n_fibres: float
    n_units: float
    source: str

    @property
    def innervation_ratio(self) -> float:
        return innervation_ratio(self.n_fibres, self.n_units)


_FEINSTEIN = "Feinstein et al. 1955 (dissection; approximate)"
_GATH = "Gath & Stalberg 1981 (electrophysiological estimate)"

#: Muscles with both counts (Feinstein et al. 1955, as usually quoted).
MUSCLE_COUNTS: dict[str, MuscleCount] = {
    "first dorsal interosseous": MuscleCount("first dorsal interosseous", 40_500, 119,
                                             _FEINSTEIN),
    "medial gastrocnemius": MuscleCount("medial gastrocnemius", 1_120_000, 579, _FEINSTEIN),
}

#: Innervation ratios measured in living muscle (Gath & Stalberg 1981), fibres per unit.
INNERVATION_RATIO_IN_SITU: dict[str, float] = {
    "biceps brachii": 209.0,
    "deltoid": 239.0,
    "tibialis anterior": 329.0,
}


@validated(n_fibres=FIBRE_COUNT, n_units=UNIT_COUNT, requires=[_UNITS_NOT_ABOVE_FIBRES])
def innervation_ratio(n_fibres: float, n_units: float) -> float:
    """Mean number of muscle fibres per motor unit: n_fibres / n_units (both > 0)."""
    require_positive(n_fibres=n_fibres, n_units=n_units)
    if n_units > n_fibres:
        raise ValueError(f"n_units must be <= n_fibres (every unit has at least one fibre), "
                         f"got {n_units!r} > {n_fibres!r}")
    return float(n_fibres) / float(n_units)


@validated()
def all_innervation_ratios() -> dict[str, tuple[float, str]]:
    """Every muscle's innervation ratio (fibres per unit) with its source, smallest first."""
    out = {m.muscle: (m.innervation_ratio, m.source) for m in MUSCLE_COUNTS.values()}
    out.update({k: (v, _GATH) for k, v in INNERVATION_RATIO_IN_SITU.items()})
    return dict(sorted(out.items(), key=lambda kv: kv[1][0]))


@result_type(example=lambda: cross_section(300, 12))
@dataclass(frozen=True)
class CrossSection:
    """A drawn muscle cross-section: fibre centres (section radius = 1) and unit of each."""

    x: np.ndarray
    y: np.ndarray
    unit: np.ndarray            # index of the unit each fibre belongs to
    centre_x: np.ndarray        # territory centre of each unit
    centre_y: np.ndarray
    territory_radius: float     # 1 SD of each territory's Gaussian, section radius = 1

    @property
    def n_units(self) -> int:
        return int(self.centre_x.size)

    @validated()
    def fibres_per_unit(self) -> np.ndarray:
        return np.bincount(self.unit, minlength=self.n_units)

    @validated(x=POSITION, y=POSITION, radius=RADIUS)
    def units_near(self, x: float, y: float, radius: float) -> int:
        """Number of different units with at least one fibre within ``radius`` of (x, y)."""
        require_positive(radius=radius)
        near = (self.x - x) ** 2 + (self.y - y) ** 2 <= radius**2
        return int(np.unique(self.unit[near]).size)


def _hex_disc(n_target: int) -> tuple[np.ndarray, np.ndarray]:
    """About ``n_target`` points on a hexagonal grid filling the unit disc."""
    spacing = math.sqrt(2.0 * math.pi / (math.sqrt(3.0) * n_target))
    rows = int(math.ceil(1.0 / (spacing * math.sqrt(3.0) / 2.0))) + 1
    cols = int(math.ceil(1.0 / spacing)) + 1
    j, i = np.mgrid[-rows:rows + 1, -cols:cols + 1]
    x = (i + 0.5 * (j % 2)) * spacing
    y = j * spacing * math.sqrt(3.0) / 2.0
    inside = x**2 + y**2 <= 1.0
    return x[inside].ravel(), y[inside].ravel()


@validated(n_fibres=Integer(SECTION_FIBRES), n_units=Integer(SECTION_UNITS),
           territory_fraction=TERRITORY_FRACTION, seed=Integer(SEED_RANGE),
           requires=[Require(("n_fibres", "n_units"), lambda a: a["n_units"] <= a["n_fibres"],
                             lambda a: f"n_units must be <= n_fibres, got {a['n_units']} > "
                                       f"{a['n_fibres']}")])
def cross_section(n_fibres: int = 1200, n_units: int = 40, territory_fraction: float = 0.35,
                  seed: int = 0) -> CrossSection:
    """A seeded mosaic of ``n_units`` intermingled motor-unit territories in one section.

    Fibres sit on a hexagonal grid in a disc of radius 1 (about ``n_fibres`` of them).
    Territory centres are uniform in the disc; each fibre joins unit k with probability
    proportional to exp(-d_k^2 / (2 s^2)), d_k its distance to centre k and s =
    ``territory_fraction``. Every unit therefore owns about n_fibres / n_units fibres,
    scattered among fibres of its neighbours (Burke & Tsairis 1973).
    """
    for name, value, valid in (("n_fibres", n_fibres, SECTION_FIBRES),
                               ("n_units", n_units, SECTION_UNITS)):
        if isinstance(value, bool) or int(value) != value:
            raise ValueError(f"{name} must be an integer in {valid.describe()}, got {value!r}")
        require_range(name, value, valid)
    require_range("territory_fraction", territory_fraction, TERRITORY_FRACTION)
    if n_units > n_fibres:
        raise ValueError(f"n_units must be <= n_fibres, got {n_units} > {n_fibres}")
    if isinstance(seed, bool) or int(seed) != seed or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    rng = np.random.default_rng(int(seed))
    x, y = _hex_disc(int(n_fibres))
    r = np.sqrt(rng.random(int(n_units)))
    theta = 2.0 * np.pi * rng.random(int(n_units))
    cx, cy = r * np.cos(theta), r * np.sin(theta)
    d2 = (x[:, None] - cx[None, :]) ** 2 + (y[:, None] - cy[None, :]) ** 2
    logw = -d2 / (2.0 * territory_fraction**2)
    w = np.exp(logw - logw.max(axis=1, keepdims=True))
    cum = np.cumsum(w, axis=1)
    u = rng.random(x.size)[:, None] * cum[:, -1:]
    unit = np.minimum((cum < u).sum(axis=1), int(n_units) - 1)
    return CrossSection(x=x, y=y, unit=unit.astype(np.int64), centre_x=cx, centre_y=cy,
                        territory_radius=float(territory_fraction))
