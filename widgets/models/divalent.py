"""Extracellular Ca2+ and Mg2+ shift the voltage dependence of gating (surface-charge screening).

Fixed negative charges on the outer face of the membrane make a negative surface potential
``psi``; the gates sense the field across the membrane, so they behave as if the membrane were
depolarised by ``-psi``. Divalent cations screen the charge (Gouy-Chapman diffuse layer) and bind
to it (Stern layer), making ``psi`` less negative: raising Ca2+ moves every gating curve to more
positive potentials (less excitable), lowering it moves them to more negative potentials (more
excitable). Frankenhaeuser & Hodgkin (1957) found that a five-fold change of external Ca2+ in
squid axon acts like a 10-15 mV change of membrane potential; Hille, Woodhull & Shapiro (1975)
measured in frog node that Mg2+ is a weaker shifter than Ca2+ at equal concentration.

Model (Gouy-Chapman-Stern, after McLaughlin et al. 1971 and Hille et al. 1975)::

    sigma_free = sigma_total / (1 + K_Ca [Ca]_0 + K_Mg [Mg]_0)          (Langmuir binding)
    [X]_0      = [X] exp(-z_X F psi / R T)                               (Boltzmann at surface)
    sigma_free^2 = 2 eps eps0 R T sum_X [X] (exp(-z_X F psi / R T) - 1)   (Grahame equation)

solved for ``psi`` by bisection, with 150 mmol/L of monovalent salt in the background.
``gate_shift_mV(ca, mg) = psi(ca, mg) - psi(normal)``: positive means the gating curves move to
depolarised potentials (Ca2+ or Mg2+ raised).

Calibration (our choice, stated): the charge density (an effective 3 elementary charges per
nm^2) and the binding constants (Ca2+ 10 L/mol, Mg2+ three times weaker) are chosen so that the
shift is about +20 mV per decade of Ca2+ around the normal ionized level (14.6 mV per five-fold
change, inside Frankenhaeuser & Hodgkin's 10-15 mV; and at the low end of the 20-25 mV per
ten-fold change that Hille et al. 1975 measured for Na+ activation in frog node) and Mg2+ shifts
about half as much as Ca2+ for the same added concentration. (Issue 12 recalibration: the
previous 0.55 e/nm^2 gave 11 mV per five-fold change and 16 mV per decade, below Hille's
range.) All voltage-gated conductances of both motor-axon compartments are shifted by the same
amount (a simplification: Hille et al. 1975 found similar but not identical shifts for Na+ and
K+ gating).
"""

from __future__ import annotations

import math

from widgets.models.validation import ValidRange, require_range, validated

FARADAY = 96485.33212  # C/mol
GAS = 8.314462618  # J/(mol K)
EPS0 = 8.8541878128e-12  # F/m
EPS_WATER = 74.0  # relative permittivity of water at 37 C

#: Temperature of the course's human models (C).
TEMP_C = 37.0
#: Normal ionized Ca2+ and Mg2+ in plasma (mmol/L) used as the reference (zero shift).
NORMAL_CA_mM = 1.2
NORMAL_MG_mM = 0.55
#: Background monovalent salt (mmol/L) that also screens the surface charge.
MONOVALENT_mM = 150.0

#: Valid inputs (ionized concentrations, mmol/L).
CA_RANGE_mM = ValidRange(0.05, 20.0, "mmol/L", NORMAL_CA_mM)
MG_RANGE_mM = ValidRange(0.0, 20.0, "mmol/L", NORMAL_MG_mM)

#: Surface charge density (elementary charges per nm^2; one charge per ~0.33 nm^2) and
#: binding constants (1/mol L^-1 = L/mol) of the Stern layer: calibrated (see module docstring).
SIGMA_E_PER_NM2 = 3.0
K_BIND_CA_PER_M = 10.0
K_BIND_MG_PER_M = 10.0 / 3.0


def _psi_mV(ca_mM: float, mg_mM: float, temp_c: float = TEMP_C) -> float:
    """Outer surface potential (mV, negative) from the Gouy-Chapman-Stern model."""
    rt_f = GAS * (temp_c + 273.15) / FARADAY  # V
    ca = ca_mM  # mmol/L == mol/m^3
    mg = mg_mM
    mono = MONOVALENT_mM
    sigma_total = SIGMA_E_PER_NM2 * 1.602176634e-19 * 1e18  # C/m^2
    k = 2.0 * EPS_WATER * EPS0 * GAS * (temp_c + 273.15)  # J m^-1 V^-2 ... * mol/m^3 -> C^2/m^4

    def mismatch(psi_v: float) -> float:
        x = psi_v / rt_f
        ca0 = ca * math.exp(-2.0 * x) * 1e-3  # mol/L at the surface
        mg0 = mg * math.exp(-2.0 * x) * 1e-3
        sigma_free = sigma_total / (1.0 + K_BIND_CA_PER_M * ca0 + K_BIND_MG_PER_M * mg0)
        # Grahame: total space charge of the diffuse layer (cations and anions of the salt,
        # plus the divalent cations with their Cl- counter-ions)
        s = (mono * (math.exp(-x) - 1.0) + mono * (math.exp(x) - 1.0)
             + (ca + mg) * (math.exp(-2.0 * x) - 1.0) + 2.0 * (ca + mg) * (math.exp(x) - 1.0))
        sigma_diffuse = math.sqrt(max(k * s, 0.0))
        return sigma_diffuse - sigma_free

    lo, hi = -0.25, 0.0  # V; psi is negative for a negative surface charge
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        # mismatch decreases as psi goes from very negative (large diffuse charge) to 0
        if mismatch(mid) > 0.0:
            lo = mid
        else:
            hi = mid
    return 1e3 * 0.5 * (lo + hi)


_PSI_NORMAL_mV = _psi_mV(NORMAL_CA_mM, NORMAL_MG_mM)


@validated(ca_mM=CA_RANGE_mM, mg_mM=MG_RANGE_mM)
def surface_potential_mV(ca_mM: float, mg_mM: float) -> float:
    """Outer surface potential (mV; negative) at ionized Ca2+ and Mg2+ (mmol/L), 37 C."""
    ca = require_range("ca_mM", ca_mM, CA_RANGE_mM)
    mg = require_range("mg_mM", mg_mM, MG_RANGE_mM)
    return _psi_mV(ca, mg)


@validated(ca_mM=CA_RANGE_mM, mg_mM=MG_RANGE_mM)
def gate_shift_mV(ca_mM: float = NORMAL_CA_mM, mg_mM: float = NORMAL_MG_mM) -> float:
    """Shift (mV) of every gating curve relative to normal ionized Ca2+ (1.2) and Mg2+ (0.55).

    Positive: gating moves to depolarised potentials (raised divalents, less excitable).
    Negative: gating moves to hyperpolarised potentials (hypocalcaemia, more excitable).
    A model applies it by evaluating its rate functions at ``V - gate_shift_mV``.
    """
    return surface_potential_mV(ca_mM, mg_mM) - _PSI_NORMAL_mV
