"""Tests for widgets.models.ions: Nernst and GHK potentials against published values."""

import math

import pytest

from widgets.models import ions

# Independent constants: 2.303 RT/F at 37 C is the textbook "61.5 mV per tenfold change"
# (e.g. Hille 2001, ch. 1); here recomputed from CODATA R, F so the test does not reuse
# the module's own arithmetic.
RT_F_37_mV = 8.314462618 * 310.15 / 96485.33212 * 1e3
SLOPE_37_mV_PER_DECADE = RT_F_37_mV * math.log(10)


def test_rt_over_f_at_37c():
    # RT/F = 26.7 mV at 37 C (Hille 2001, ch. 1); tolerance 0.05 mV.
    assert ions.rt_over_f_mV(37.0) == pytest.approx(26.7, abs=0.05)
    assert SLOPE_37_mV_PER_DECADE == pytest.approx(61.5, abs=0.05)


def test_nernst_potassium_textbook():
    # E_K for [K]o = 4, [K]i = 140 mM at 37 C: about -95 mV (61.5 mV x log10(4/140)).
    expected = SLOPE_37_mV_PER_DECADE * math.log10(4.0 / 140.0)
    assert ions.nernst(1, 4.0, 140.0) == pytest.approx(expected, abs=1e-6)
    assert ions.nernst(1, 4.0, 140.0) == pytest.approx(-95.0, abs=0.5)


@pytest.mark.parametrize(
    ("ion", "z", "out_mM", "in_mM", "published_mV"),
    [
        # Hille (2001), Table 1.1, mammalian skeletal muscle at 37 C; table values are
        # rounded to 1 mV, hence the 1 mV tolerance.
        ("Na", 1, 145.0, 12.0, 67.0),
        ("K", 1, 4.0, 155.0, -98.0),
        ("Cl", -1, 123.0, 4.2, -90.0),
        ("Ca", 2, 1.5, 1e-4, 129.0),
    ],
)
def test_nernst_hille_table(ion, z, out_mM, in_mM, published_mV):
    e = ions.nernst(z, out_mM, in_mM, 37.0)
    assert e == pytest.approx(published_mV, abs=1.0)
    # and the independent 61.5 mV/decade calculation agrees to round-off
    assert e == pytest.approx(SLOPE_37_mV_PER_DECADE / z * math.log10(out_mM / in_mM),
                              abs=1e-9)


def test_hille_table_data_reproduce_table_potentials():
    out = ions.EXTRACELLULAR_HILLE_mM
    inside = {k: v.typical for k, v in ions.INTRACELLULAR_mM.items()}
    e = ions.equilibrium_potentials_mV(out, inside, 37.0)
    # Hille (2001) Table 1.1: +67, -98, -90, +129 mV
    assert e["Na"] == pytest.approx(67, abs=1)
    assert e["K"] == pytest.approx(-98, abs=1)
    assert e["Cl"] == pytest.approx(-90, abs=1)
    assert e["Ca"] == pytest.approx(129, abs=1)


def test_ghk_hodgkin_katz_squid():
    # Hodgkin & Katz (1949): PK:PNa:PCl = 1:0.04:0.45 gives a resting potential of about
    # -60 mV for squid axoplasm (K 345, Na 72, Cl 61 mM) in sea water (K 10, Na 455,
    # Cl 540 mM) near room temperature (20 C here). Tolerance 3 mV.
    out = {"K": 10.0, "Na": 455.0, "Cl": 540.0}
    inside = {"K": 345.0, "Na": 72.0, "Cl": 61.0}
    v = ions.ghk_voltage(out, inside, ions.HODGKIN_KATZ_PERMEABILITY, temp_c=20.0)
    assert v == pytest.approx(-60.0, abs=3.0)
    # independent evaluation of their Eq. 5
    rt_f = 8.314462618 * 293.15 / 96485.33212 * 1e3
    num = 10.0 + 0.04 * 455.0 + 0.45 * 61.0
    den = 345.0 + 0.04 * 72.0 + 0.45 * 540.0
    assert v == pytest.approx(rt_f * math.log(num / den), abs=1e-9)


@pytest.mark.parametrize("ion", ["K", "Na", "Cl"])
def test_ghk_reduces_to_nernst(ion):
    out = {"K": 4.0, "Na": 145.0, "Cl": 123.0}
    inside = {"K": 155.0, "Na": 12.0, "Cl": 4.2}
    perm = {"K": 0.0, "Na": 0.0, "Cl": 0.0}
    perm[ion] = 1.0
    v = ions.ghk_voltage(out, inside, perm, 37.0)
    assert v == pytest.approx(ions.nernst(ions.VALENCE[ion], out[ion], inside[ion], 37.0),
                              abs=1e-9)


def test_ghk_lies_between_ek_and_ena_and_depolarises_with_k():
    inside = {"K": 155.0, "Na": 12.0}
    perm = {"K": 1.0, "Na": 0.05}
    previous = -math.inf
    for k in (1.0, 2.0, 4.0, 8.0, 10.0):
        v = ions.ghk_voltage({"K": k, "Na": 140.0}, inside, perm)
        assert ions.nernst(1, k, 155.0) < v < ions.nernst(1, 140.0, 12.0)
        assert v > previous
        previous = v
    # Less than Nernstian at low K+: from 2 to 4 mM, V moves less than E_K does.
    dv = (ions.ghk_voltage({"K": 4.0, "Na": 140.0}, inside, perm)
          - ions.ghk_voltage({"K": 2.0, "Na": 140.0}, inside, perm))
    assert dv < ions.nernst(1, 4.0, 155.0) - ions.nernst(1, 2.0, 155.0)


def test_reference_ranges_consistent_with_slider_ranges():
    for ion, valid in (("K", ions.K_OUT_RANGE_mM), ("Na", ions.NA_OUT_RANGE_mM),
                       ("Cl", ions.CL_OUT_RANGE_mM), ("Ca_ionized",
                                                     ions.CA_IONIZED_OUT_RANGE_mM),
                       ("Mg", ions.MG_OUT_RANGE_mM)):
        ref = ions.SERUM_REFERENCE_mM[ion]
        assert valid.low < ref.low <= ref.typical <= ref.high < valid.high
        assert ref.contains(valid.default)
        assert ions.serum_status(ion, ref.typical) == "normal"
        assert ions.serum_status(ion, valid.low) == "low"
        assert ions.serum_status(ion, valid.high) == "high"


# --- every ValueError path -----------------------------------------------------------------
@pytest.mark.parametrize("z", [0, 1.0, True, 4, -4, "1"])
def test_nernst_bad_valence(z):
    with pytest.raises(ValueError, match="z must be"):
        ions.nernst(z, 4.0, 140.0)


@pytest.mark.parametrize(
    ("out", "inside", "match"),
    [(0.0, 140.0, "conc_out_mM"), (-1.0, 140.0, "conc_out_mM"), (4.0, 0.0, "conc_in_mM"),
     (math.nan, 140.0, "conc_out_mM"), (4.0, math.inf, "conc_in_mM"),
     (4.0, 5000.0, "conc_in_mM"), ("4", 140.0, "conc_out_mM")],
)
def test_nernst_bad_concentration(out, inside, match):
    with pytest.raises(ValueError, match=match):
        ions.nernst(1, out, inside)


@pytest.mark.parametrize("temp", [-1.0, 45.1, math.nan])
def test_bad_temperature(temp):
    with pytest.raises(ValueError, match="temp_c"):
        ions.nernst(1, 4.0, 140.0, temp)
    with pytest.raises(ValueError, match="temp_c"):
        ions.rt_over_f_mV(temp)
    with pytest.raises(ValueError, match="temp_c"):
        ions.ghk_voltage({"K": 4.0}, {"K": 140.0}, {"K": 1.0}, temp)


OUT = {"K": 4.0, "Na": 145.0, "Cl": 123.0}
IN = {"K": 155.0, "Na": 12.0, "Cl": 4.2}


@pytest.mark.parametrize(
    ("out", "inside", "perm", "match"),
    [
        (OUT, IN, {}, "non-empty"),
        (OUT, IN, [("K", 1.0)], "non-empty dict"),
        ([4.0], IN, {"K": 1.0}, "conc_out_mM must be a dict"),
        (OUT, None, {"K": 1.0}, "conc_in_mM must be a dict"),
        (OUT, IN, {"Ca": 1.0}, "permeability keys"),
        ({"Na": 145.0}, IN, {"K": 1.0}, "conc_out_mM has no 'K'"),
        (OUT, {"Na": 12.0}, {"K": 1.0}, "conc_in_mM has no 'K'"),
        (OUT, IN, {"K": -1.0}, r"permeability\['K'\]"),
        (OUT, IN, {"K": math.nan}, r"permeability\['K'\]"),
        (OUT, IN, {"K": 0.0, "Na": 0.0}, "at least one permeability"),
        ({**OUT, "K": 0.0}, IN, {"K": 1.0}, r"conc_out_mM\['K'\]"),
        (OUT, {**IN, "Na": -3.0}, {"Na": 1.0}, r"conc_in_mM\['Na'\]"),
    ],
)
def test_ghk_errors(out, inside, perm, match):
    with pytest.raises(ValueError, match=match):
        ions.ghk_voltage(out, inside, perm)


def test_serum_status_errors():
    with pytest.raises(ValueError, match="ion must be one of"):
        ions.serum_status("Zn", 1.0)
    with pytest.raises(ValueError, match="conc_mM"):
        ions.serum_status("K", -1.0)


def test_reference_range_validation():
    with pytest.raises(ValueError, match="low <= typical <= high"):
        ions.ReferenceRange(5.0, 3.5, 4.0)
    with pytest.raises(ValueError, match=r"low must be in \(0, 2000\] mmol/L"):
        ions.ReferenceRange(0.0, 1.0, 0.5)
