"""Equilibrium and resting potentials from ion concentrations.

Nernst (1889); Goldman (1943); Hodgkin & Katz (1949). Concentrations in mmol/L (mM),
potentials in mV (inside relative to outside), temperatures in degrees Celsius.

- :func:`nernst` is the equilibrium potential of one ion:  E = (RT / zF) ln([X]o / [X]i).
- :func:`ghk_voltage` is the Goldman-Hodgkin-Katz voltage equation (Goldman 1943; Hodgkin &
  Katz 1949, their Eq. 5) for the monovalent ions K+, Na+ and Cl-:

      V = (RT/F) ln( (PK[K]o + PNa[Na]o + PCl[Cl]i) / (PK[K]i + PNa[Na]i + PCl[Cl]o) )

  It is the potential at which the net current carried by these ions is zero, assuming each
  crosses the membrane independently through a constant field. It ignores the pump's own
  (electrogenic) current and divalent ions.

Reference data:

- :data:`SERUM_REFERENCE_mM`: adult serum reference intervals from the Tietz textbook of
  clinical chemistry (Burtis, Ashwood & Bruns 2012). Laboratories publish their own
  intervals; these are typical.
- :data:`INTRACELLULAR_mM`: free intracellular concentrations of mammalian skeletal muscle
  from Hille (2001), Table 1.1 (one typical value each, so low = high = typical).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from widgets.models.validation import (
    ANY_FINITE,
    Choice,
    Integer,
    Keyed,
    Require,
    Text,
    ValidRange,
    input_type,
    require_positive,
    require_range,
    validated,
)

FARADAY = 96485.33212  # C/mol (CODATA 2018, exact since the 2019 SI)
GAS = 8.314462618  # J/(mol K) (CODATA 2018, exact since the 2019 SI)
KELVIN_OFFSET = 273.15

#: Temperatures the ion functions accept (°C); 37 °C is body temperature.
TEMP_RANGE_C = ValidRange(0.0, 45.0, "°C", 37.0)
#: Any concentration must be > 0 and at most this (mM); sea water has about 540 mM Cl-.
MAX_CONC_mM = 2000.0

#: Any concentration accepted by the ion functions (mM): > 0, at most MAX_CONC_mM.
CONC_RANGE_mM = ValidRange(0.0, MAX_CONC_mM, "mmol/L", low_open=True)
#: Valence z accepted by :func:`nernst` (non-zero).
VALENCE_RANGE = ValidRange(-3, 3, "", 1)
#: Relative permeability accepted by :func:`ghk_voltage`.
PERMEABILITY_RANGE = ValidRange(0.0, 1e6, "", 1.0)

#: Valences of the ions the GHK voltage equation here handles.
VALENCE = {"K": 1, "Na": 1, "Cl": -1}
_CONC_DICT = Keyed(dict.fromkeys(("K", "Na", "Cl", "Ca"), CONC_RANGE_mM))


@input_type(low=CONC_RANGE_mM, high=CONC_RANGE_mM, typical=CONC_RANGE_mM, source=Text(),
            requires=[Require(("low", "typical", "high"),
                              lambda a: a["low"] <= a["typical"] <= a["high"],
                              "ReferenceRange needs 0 < low <= typical <= high")],
            example=lambda: SERUM_REFERENCE_mM["K"])
@dataclass(frozen=True)
class ReferenceRange:
    """A reference interval (mmol/L) with a typical value and where it comes from."""

    low: float
    high: float
    typical: float
    source: str = ""

    def __post_init__(self):
        if not (0 < self.low <= self.typical <= self.high):
            raise ValueError(f"need 0 < low <= typical <= high, got {self}")

    @validated(conc_mM=ANY_FINITE)
    def contains(self, conc_mM: float) -> bool:
        return self.low <= conc_mM <= self.high


_TIETZ = "Burtis, Ashwood & Bruns (2012), Tietz Textbook of Clinical Chemistry, adult serum"
_HILLE = "Hille (2001), Ion Channels of Excitable Membranes, Table 1.1 (mammalian muscle)"

#: Adult serum (extracellular) reference intervals, mmol/L.
#: "Ca_ionized" and "Mg" are the ionized (free) calcium and the total magnesium;
#: "Ca_total" includes protein-bound calcium.
SERUM_REFERENCE_mM: dict[str, ReferenceRange] = {
    "Na": ReferenceRange(136.0, 145.0, 140.0, _TIETZ),
    "K": ReferenceRange(3.5, 5.1, 4.3, _TIETZ),
    "Cl": ReferenceRange(98.0, 107.0, 103.0, _TIETZ),
    "Ca_ionized": ReferenceRange(1.16, 1.32, 1.24, _TIETZ),
    "Ca_total": ReferenceRange(2.15, 2.50, 2.35, _TIETZ),
    "Mg": ReferenceRange(0.66, 1.07, 0.85, _TIETZ),
}

#: Free intracellular concentrations, mammalian skeletal muscle (Hille 2001, Table 1.1), mM.
#: Free Ca2+ inside is about 100 nM = 1e-4 mM.
INTRACELLULAR_mM: dict[str, ReferenceRange] = {
    "Na": ReferenceRange(12.0, 12.0, 12.0, _HILLE),
    "K": ReferenceRange(155.0, 155.0, 155.0, _HILLE),
    "Cl": ReferenceRange(4.2, 4.2, 4.2, _HILLE),
    "Ca": ReferenceRange(1e-4, 1e-4, 1e-4, _HILLE),
}

#: Extracellular values of the same table (Hille 2001, Table 1.1), mM, for comparison.
EXTRACELLULAR_HILLE_mM: dict[str, float] = {"Na": 145.0, "K": 4.0, "Cl": 123.0, "Ca": 1.5}

#: Slider ranges (mM) for extracellular concentrations: far wider than normal, but each end
#: is seen in patients (e.g. K+ 1-10 mM spans severe hypo- to severe hyperkalaemia).
K_OUT_RANGE_mM = ValidRange(1.0, 10.0, "mmol/L", 4.3)
NA_OUT_RANGE_mM = ValidRange(110.0, 170.0, "mmol/L", 140.0)
CL_OUT_RANGE_mM = ValidRange(70.0, 130.0, "mmol/L", 103.0)
CA_IONIZED_OUT_RANGE_mM = ValidRange(0.5, 2.5, "mmol/L", 1.24)
MG_OUT_RANGE_mM = ValidRange(0.2, 3.0, "mmol/L", 0.85)
#: Relative permeabilities (to PK = 1) accepted by the panels.
PNA_PK_RANGE = ValidRange(0.0, 0.2, "", 0.05)
PCL_PK_RANGE = ValidRange(0.0, 1.0, "", 0.0)

#: Hodgkin & Katz (1949) resting permeability ratios of the squid axon, PK:PNa:PCl.
HODGKIN_KATZ_PERMEABILITY = {"K": 1.0, "Na": 0.04, "Cl": 0.45}


def _require_conc(**named) -> None:
    require_positive(**named)
    for name, value in named.items():
        require_range(name, value, ValidRange(0.0, MAX_CONC_mM, "mM"))


@validated(temp_c=TEMP_RANGE_C)
def rt_over_f_mV(temp_c: float = 37.0) -> float:
    """Thermal voltage RT/F in mV (26.7 mV at 37 °C)."""
    temp_c = require_range("temp_c", temp_c, TEMP_RANGE_C)
    return 1e3 * GAS * (temp_c + KELVIN_OFFSET) / FARADAY


@validated(z=Integer(VALENCE_RANGE, strict=True), conc_out_mM=CONC_RANGE_mM,
           conc_in_mM=CONC_RANGE_mM, temp_c=TEMP_RANGE_C,
           requires=[Require(("z",), lambda a: a["z"] != 0,
                             "z must be a non-zero integer valence in [-3, 3], got 0")])
def nernst(z, conc_out_mM, conc_in_mM, temp_c=37.0):
    """Equilibrium (Nernst) potential in mV of an ion of valence ``z``.

    E = (RT / zF) ln([X]o / [X]i)   (Nernst 1889)

    ``z`` is a non-zero integer (e.g. +1 for K+, -1 for Cl-, +2 for Ca2+).
    """
    _require_conc(conc_out_mM=conc_out_mM, conc_in_mM=conc_in_mM)
    return rt_over_f_mV(temp_c) / z * (math.log(conc_out_mM) - math.log(conc_in_mM))


def _ions_missing(arguments, which: str) -> list[str]:
    conc = arguments[which]
    return [ion for ion in arguments["permeability"] if ion not in conc]


@validated(conc_out_mM=_CONC_DICT, conc_in_mM=_CONC_DICT,
           permeability=Keyed(dict.fromkeys(VALENCE, PERMEABILITY_RANGE), allow_empty=False),
           temp_c=TEMP_RANGE_C,
           requires=[
               Require(("conc_out_mM", "permeability"),
                       lambda a: not _ions_missing(a, "conc_out_mM"),
                       lambda a: f"conc_out_mM has no {_ions_missing(a, 'conc_out_mM')[0]!r} "
                                 "entry, but permeability does"),
               Require(("conc_in_mM", "permeability"),
                       lambda a: not _ions_missing(a, "conc_in_mM"),
                       lambda a: f"conc_in_mM has no {_ions_missing(a, 'conc_in_mM')[0]!r} "
                                 "entry, but permeability does"),
               Require(("permeability",), lambda a: any(p > 0 for p in
                                                         a["permeability"].values()),
                       "at least one permeability must be > 0"),
           ])
def ghk_voltage(conc_out_mM: Mapping[str, float], conc_in_mM: Mapping[str, float],
                permeability: Mapping[str, float], temp_c: float = 37.0) -> float:
    """Goldman-Hodgkin-Katz resting potential (mV) for K+, Na+ and Cl-.

    Goldman (1943); Hodgkin & Katz (1949), Eq. 5. ``permeability`` holds relative
    permeabilities keyed "K", "Na", "Cl" (e.g. ``{"K": 1, "Na": 0.05, "Cl": 0.45}``); only its
    keys are used, and each must also be in both concentration dicts. Permeabilities are
    >= 0 and at least one is > 0. With one non-zero permeability the result is that ion's
    Nernst potential.
    """
    if not isinstance(permeability, Mapping) or not permeability:
        raise ValueError("permeability must be a non-empty dict keyed by 'K', 'Na', 'Cl'")
    for name, conc in (("conc_out_mM", conc_out_mM), ("conc_in_mM", conc_in_mM)):
        if not isinstance(conc, Mapping):
            raise ValueError(f"{name} must be a dict keyed by ion name")
    numerator = 0.0
    denominator = 0.0
    # relative permeabilities scaled to the largest (same ratio; no underflow to 0)
    p_max = max(permeability.values(), default=0.0)
    for ion, p in permeability.items():
        if ion not in VALENCE:
            raise ValueError(f"permeability keys must be among {sorted(VALENCE)}, got {ion!r}")
        for name, conc in (("conc_out_mM", conc_out_mM), ("conc_in_mM", conc_in_mM)):
            if ion not in conc:
                raise ValueError(f"{name} has no {ion!r} entry, but permeability does")
        require_range(f"permeability[{ion!r}]", p, ValidRange(0.0, 1e6))
        c_out, c_in = conc_out_mM[ion], conc_in_mM[ion]
        _require_conc(**{f"conc_out_mM[{ion!r}]": c_out, f"conc_in_mM[{ion!r}]": c_in})
        p = p / p_max if p_max > 0 else 0.0
        if VALENCE[ion] > 0:
            numerator += p * c_out
            denominator += p * c_in
        else:  # anions enter the other way round
            numerator += p * c_in
            denominator += p * c_out
    if numerator <= 0.0 or denominator <= 0.0:
        raise ValueError("at least one permeability must be > 0")
    return rt_over_f_mV(temp_c) * (math.log(numerator) - math.log(denominator))


@validated(conc_out_mM=_CONC_DICT, conc_in_mM=_CONC_DICT, temp_c=TEMP_RANGE_C)
def equilibrium_potentials_mV(conc_out_mM: Mapping[str, float],
                              conc_in_mM: Mapping[str, float],
                              temp_c: float = 37.0) -> dict[str, float]:
    """Nernst potentials (mV) of every ion present in both dicts among K, Na, Cl, Ca."""
    valence = {**VALENCE, "Ca": 2}
    return {ion: nernst(z, conc_out_mM[ion], conc_in_mM[ion], temp_c)
            for ion, z in valence.items() if ion in conc_out_mM and ion in conc_in_mM}


@validated(ion=Choice(SERUM_REFERENCE_mM), conc_mM=CONC_RANGE_mM)
def serum_status(ion: str, conc_mM: float) -> str:
    """'low', 'normal' or 'high' relative to :data:`SERUM_REFERENCE_mM` (no diagnosis)."""
    if ion not in SERUM_REFERENCE_mM:
        raise ValueError(f"ion must be one of {sorted(SERUM_REFERENCE_mM)}, got {ion!r}")
    _require_conc(conc_mM=conc_mM)
    ref = SERUM_REFERENCE_mM[ion]
    if conc_mM < ref.low:
        return "low"
    if conc_mM > ref.high:
        return "high"
    return "normal"
