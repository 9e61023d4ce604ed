"""Divalent screening vs Frankenhaeuser & Hodgkin (1957) and Hille et al. (1975)."""

import math

import pytest

from widgets.models import divalent


def test_normal_divalents_give_zero_shift():
    assert divalent.gate_shift_mV(divalent.NORMAL_CA_mM, divalent.NORMAL_MG_mM) == pytest.approx(
        0.0, abs=1e-6)


def test_fivefold_calcium_shift_matches_frankenhaeuser_hodgkin_1957():
    # Frankenhaeuser & Hodgkin (1957, J Physiol 137:218): a five-fold change of external Ca2+
    # acts like a 10-15 mV change of membrane potential (gating shifted in the same direction
    # as the Ca2+ change).
    shift = divalent.gate_shift_mV(3.0, 0.55) - divalent.gate_shift_mV(0.6, 0.55)
    assert 10.0 <= shift <= 15.0


def test_shift_per_decade_of_calcium_near_normal():
    # 10-15 mV per five-fold change = 14.3-21.5 mV per decade (log-linear); Hille et al.
    # (1975, Phil Trans R Soc B 270:301) report shifts of this order in frog node.
    per_decade = divalent.gate_shift_mV(3.79, 0.55) - divalent.gate_shift_mV(0.379, 0.55)
    assert 14.3 <= per_decade <= 21.5


def test_magnesium_is_a_weaker_shifter_than_calcium():
    # Hille, Woodhull & Shapiro (1975): at equal concentration Mg2+ shifts gating less than Ca2+.
    add = 2.0
    d_ca = divalent.gate_shift_mV(1.2 + add, 0.55)
    d_mg = divalent.gate_shift_mV(1.2, 0.55 + add)
    assert 0.0 < d_mg < d_ca


def test_hypocalcaemia_shifts_gating_negative():
    assert divalent.gate_shift_mV(0.6, 0.55) < -3.0


def test_surface_potential_is_negative_and_monotonic():
    psis = [divalent.surface_potential_mV(c, 0.55) for c in (0.3, 1.0, 3.0, 10.0)]
    assert all(p < 0 for p in psis)
    assert psis == sorted(psis)


@pytest.mark.parametrize("ca, mg", [(0.0, 0.5), (-1.0, 0.5), (math.nan, 0.5), (25.0, 0.5),
                                    (1.2, -0.1), (1.2, math.inf), (1.2, 30.0), ("1", 0.5)])
def test_bad_input_raises(ca, mg):
    with pytest.raises(ValueError, match="ca_mM|mg_mM"):
        divalent.gate_shift_mV(ca, mg)
