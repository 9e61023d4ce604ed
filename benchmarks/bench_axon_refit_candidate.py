"""The issue-17 refit candidate of the motor axon, next to the course's model (prints tables).

Issue 17 asked for a refit of the core axon to the healthy Nerve Norms indices
(``threshold_tracking.NORMAL_VALUES``) without breaking what the course already holds. A
weighted fit (Nelder-Mead over 17 parameters: the structural parameters of ``motor_axon.PARAMS``
and the NaT-inactivation, NaP and slow-K+ kinetics; objective: z-scores of the 22 indices plus
penalties for the anchors below) found the set ``CANDIDATE``. This script applies it
(``bench_axon_sensitivity.changed_axon``) and prints, for the course's model and the candidate:

1. the 22 indices against the healthy mean and SD;
2. the deterministic anchors (tau_SD, recovery cycle, K+ sensitivity of rest, hyperkalaemia,
   the ALS-like axon, low Ca2+, depolarisation block at 9-10 mmol/L K+);
3. the noise-driven discharge the course's rules are about, exactly as ``tests/test_ectopic.py``
   runs it: the most excitable corner of the reference ranges (4 seeds x 60 s; must be 0), the
   ALS-like axon (120 s; at least 5 spikes) and ionized Ca2+ 0.6 mmol/L (30 s; at least
   0.1 /s), for several effective channel numbers ``N`` (``ectopic.N_NAT_CHANNELS`` =
   ``N_NAP_CHANNELS``, the one free parameter of the ectopic model).

It is why the candidate was not adopted (``motor_axon`` module docstring, "Issue 17"). Nothing
is asserted. About 1 min on one idle core.

Run: nice -n 19 .venv/bin/python benchmarks/bench_axon_refit_candidate.py
"""

from __future__ import annotations

import math

from bench_axon_sensitivity import changed_axon

from widgets.models import ectopic
from widgets.models import motor_axon as ma
from widgets.models import threshold_tracking as tt

CANDIDATE = {
    "params": {"C_node_pF": 3.080, "g_NaT_nS": 314.7, "g_NaP_nS": 7.867, "g_Ks_nS": 20.13,
               "g_leakNa_node_nS": 0.09975, "g_leakCl_node_nS": 1.102, "G_BB_nS": 21.23,
               "C_internode_pF": 153.5, "g_Ks_internode_nS": 83.29, "g_HCN_nS": 2.863,
               "g_leakNa_internode_nS": 0.08836, "g_leakCl_internode_nS": 2.502},
    "tau_factor": {"h": 2.021, "p": 1.702, "s": 1.442},
    "shift_mV": {"h": -2.709, "s": 1.058},
}
CORNER = {"K": 5.1, "Na": 145.0, "Ca": 1.16, "Mg": 0.45}
ALS = {"NaP": 2.0, "Ks": 0.5}
CHANNELS = (128.0, 160.0, 192.0)


def indices_and_anchors():
    idx = tt.protocol_indices()
    t0 = ma.threshold(1.0)
    rc = ma.recovery_cycle([2.0, 6.0])
    rc_k = ma.recovery_cycle([2.0, 6.0], {"K": 5.5})
    _, _, _, rheo, tau = ma.threshold_readouts()
    _, _, _, rheo_als, tau_als = ma.threshold_readouts(None, ALS)
    v4 = ma.resting_potential()
    h_rest = float(ma._rest_state(ma.kernel_params())[3])
    anchors = {
        "resting potential (mV)": v4,
        "NaT inactivation gate h at rest": h_rest,
        "rest, K+ 4 -> 6 mmol/L (mV)": ma.resting_potential({"K": 6.0}) - v4,
        "tau_SD, 0.2 and 1 ms (ms)": tau,
        "superexcitability at 6 ms: K+ 5.5 minus normal (points)": rc_k[1] - rc[1],
        "ALS-like: tau_SD / normal": tau_als / tau,
        "ALS-like: rheobase / normal": rheo_als / rheo,
        "threshold, ALS-like / normal": ma.threshold(1.0, None, ALS) / t0,
        "threshold, corner of the ranges / normal": ma.threshold(1.0, CORNER) / t0,
        "threshold, ionized Ca 0.6 / normal": ma.threshold(1.0, {"Ca": 0.6}) / t0,
        "threshold, K+ 9 / normal (inf: block)": ma.threshold(1.0, {"K": 9.0}) / t0,
        "threshold, K+ 10 / normal (inf: block)": ma.threshold(1.0, {"K": 10.0}) / t0,
    }
    return idx, anchors


def discharge(n_channels):
    saved = (ectopic.N_NAT_CHANNELS, ectopic.N_NAP_CHANNELS)
    rate = ectopic.spontaneous_rate_hz.uncached
    try:
        ectopic.N_NAT_CHANNELS = ectopic.N_NAP_CHANNELS = n_channels
        corner = sum(60.0 * rate(CORNER, duration_s=60.0, seed=s) for s in (100, 101, 102, 103))
        als = 120.0 * rate(None, duration_s=120.0, seed=1, conductance_scale=ALS)
        low_ca = rate({"Ca": 0.6}, duration_s=30.0, seed=1)
    finally:
        ectopic.N_NAT_CHANNELS, ectopic.N_NAP_CHANNELS = saved
    return corner, als, low_ca


def main() -> None:
    model_idx, model_anchors = indices_and_anchors()
    model_fire = {n: discharge(n) for n in CHANNELS}
    with changed_axon(**CANDIDATE):
        cand_idx, cand_anchors = indices_and_anchors()
        cand_fire = {n: discharge(n) for n in CHANNELS}

    def inside(idx):
        return sum(abs(z) <= 1.0 for z in tt.z_scores(idx).values() if math.isfinite(z))

    print("1. indices: healthy mean +/- SD (Nerve Norms), course model, candidate (z)")
    for k, (m, s) in tt.NORMAL_VALUES.items():
        zm, zc = (model_idx[k] - m) / s, (cand_idx[k] - m) / s
        print(f"  {k:<30}{m:>9.3f} +/- {s:<7.3f}{model_idx[k]:>10.3f} ({zm:+6.2f}){'':2}"
              f"{cand_idx[k]:>10.3f} ({zc:+6.2f})")
    print(f"  within 1 SD: course model {inside(model_idx)} of 22, candidate "
          f"{inside(cand_idx)} of 22")
    print("2. anchors: course model, candidate")
    for k in model_anchors:
        print(f"  {k:<58}{model_anchors[k]:>9.3f}{cand_anchors[k]:>10.3f}")
    print("3. spontaneous discharge (rules: corner 0 spikes in 4 x 60 s; ALS-like >= 5 in "
          "120 s; Ca 0.6 >= 0.1 /s)")
    for label, fire in (("course model", model_fire), ("candidate", cand_fire)):
        for n, (corner, als, low_ca) in fire.items():
            ok = corner == 0 and als >= 5 and low_ca >= 0.1
            print(f"  {label:<13} N = {n:>4.0f}: corner {corner:>3.0f} spikes, ALS-like "
                  f"{als:>3.0f} spikes, Ca 0.6 {low_ca:.2f} /s  {'all rules hold' if ok else ''}")


if __name__ == "__main__":
    main()
