"""Tests for widgets.models.motor_unit_anatomy (innervation ratios, territory mosaic)."""

import matplotlib
import numpy as np
import pytest

from widgets.figures.motor_unit_anatomy import anatomy_figure
from widgets.models import motor_unit_anatomy as anatomy

matplotlib.use("Agg")


def test_feinstein_innervation_ratios():
    # Feinstein et al. (1955), as usually quoted: first dorsal interosseous 340 fibres per
    # unit (40 500 / 119), medial gastrocnemius 1934 (1 120 000 / 579); tolerance 1 fibre.
    assert anatomy.MUSCLE_COUNTS["first dorsal interosseous"].innervation_ratio == \
        pytest.approx(340, abs=1)
    assert anatomy.MUSCLE_COUNTS["medial gastrocnemius"].innervation_ratio == \
        pytest.approx(1934, abs=1)


def test_gath_stalberg_values_and_order():
    # Gath & Stalberg (1981), abstract: biceps 209, tibialis anterior 329, deltoid 239.
    ratios = anatomy.all_innervation_ratios()
    assert ratios["biceps brachii"][0] == 209
    assert ratios["tibialis anterior"][0] == 329
    assert ratios["deltoid"][0] == 239
    values = [v for v, _ in ratios.values()]
    assert values == sorted(values)


def test_innervation_ratio_is_a_quotient():
    # independent arithmetic: 1000 fibres shared by 8 units = 125 each
    assert anatomy.innervation_ratio(1000, 8) == 125.0


@pytest.mark.parametrize(("fibres", "units"), [(0, 1), (10, 0), (-5, 1), (float("nan"), 1),
                                               (5, 10), ("10", 1)])
def test_innervation_ratio_rejects_bad_input(fibres, units):
    with pytest.raises(ValueError):
        anatomy.innervation_ratio(fibres, units)


def test_cross_section_conserves_fibres_and_mean_share():
    s = anatomy.cross_section(n_fibres=1200, n_units=40, seed=3)
    # hexagonal packing of a disc: within 3 % of the requested count
    assert abs(s.x.size - 1200) / 1200 < 0.03
    assert np.all(s.x**2 + s.y**2 <= 1.0 + 1e-12)
    counts = s.fibres_per_unit()
    assert counts.sum() == s.x.size
    assert counts.mean() == pytest.approx(s.x.size / 40)


def test_cross_section_units_intermingle():
    # Burke & Tsairis (1973): many units (up to ~50 in cat MG) share any one region.
    # With 40 broad territories, a small circle around the centre holds fibres of > 10 units.
    s = anatomy.cross_section(seed=0)
    assert s.units_near(0.0, 0.0, 0.3) > 10


def test_cross_section_territories_are_local():
    # With narrow territories a unit's fibres lie near its centre (mean distance < 3 s).
    s = anatomy.cross_section(n_units=40, territory_fraction=0.1, seed=1)
    k = int(np.argmax(s.fibres_per_unit()))
    d = np.hypot(s.x[s.unit == k] - s.centre_x[k], s.y[s.unit == k] - s.centre_y[k])
    assert d.mean() < 0.3


def test_cross_section_deterministic():
    a = anatomy.cross_section(seed=7)
    b = anatomy.cross_section(seed=7)
    assert np.array_equal(a.unit, b.unit)
    assert not np.array_equal(a.unit, anatomy.cross_section(seed=8).unit)


@pytest.mark.parametrize("kwargs", [
    {"n_fibres": 10}, {"n_fibres": 50_000}, {"n_fibres": 100.5}, {"n_units": 0},
    {"n_units": 600}, {"n_units": True}, {"territory_fraction": 0.0},
    {"territory_fraction": float("inf")}, {"seed": -1}, {"seed": 1.5},
    {"n_fibres": 20, "n_units": 30},
])
def test_cross_section_rejects_bad_input(kwargs):
    with pytest.raises(ValueError):
        anatomy.cross_section(**kwargs)


def test_units_near_rejects_bad_radius():
    with pytest.raises(ValueError):
        anatomy.cross_section().units_near(0.0, 0.0, 0.0)


def test_anatomy_figure_draws():
    fig = anatomy_figure()
    assert len(fig.axes) == 2
    assert all(ax.get_xlabel() for ax in fig.axes)
