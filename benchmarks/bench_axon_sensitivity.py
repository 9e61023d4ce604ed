"""Which parameter of the motor axon moves which excitability index? (prints a table)

Issue 17: the normal model axon is held against the healthy Nerve Norms values
(``threshold_tracking.NORMAL_VALUES``). This script changes one structural parameter of
``motor_axon.PARAMS`` at a time (times ``1/FACTOR`` and ``FACTOR``; rest is re-balanced by
``motor_axon._balance_rest``, as for the model itself) and one gate's kinetics at a time (NaT
inactivation h, NaP activation p, slow K+ activation s: time constants times ``1/FACTOR`` and
``FACTOR``; h and s: steady-state curve shifted by -SHIFT and +SHIFT mV), runs the whole
protocol (about 0.15 s each) and prints, for each change, the change of the z-score of the
indices that matter most and how many of the 22 indices then lie within 1 SD. ``nan``/``inf``:
the changed axon has no such index (it fires on its own, or blocks, under the conditioning
current). Nothing is asserted; the model is restored at the end.

It is the diagnosis behind ``threshold_tracking.MODEL_DIFFERS_WHY``: which knobs reach which
index, and which are coupled (one knob moving a failing index the right way and a passing one
out of its band). ``bench_axon_refit_candidate.py`` shows where a joint refit of all of them
leads.

Run: nice -n 19 .venv/bin/python benchmarks/bench_axon_sensitivity.py [--factor 1.4] [--shift 3]
"""

from __future__ import annotations

import argparse
import math
from contextlib import contextmanager

from widgets.models import motor_axon as ma
from widgets.models import threshold_tracking as tt

STRUCTURAL = ("C_node_pF", "g_NaT_nS", "g_NaP_nS", "g_Ks_nS", "g_leakNa_node_nS",
              "g_leakCl_node_nS", "G_BB_nS", "C_internode_pF", "g_Kf_nS", "g_Ks_internode_nS",
              "g_HCN_nS", "g_leakNa_internode_nS", "g_leakCl_internode_nS")
SHOWN = (("SDTC_ms", "SDTC"), ("TEd10_20_pct", "TEd10-20"), ("TEd90_100_pct", "TEd90-100"),
         ("TEh10_20_pct", "TEh10-20"), ("TEh90_100_pct", "TEh90-100"),
         ("S2_accommodation_pct", "S2acc"), ("minimum_IV_slope", "minIV"),
         ("hyperpolarizing_IV_slope", "hypIV"), ("RRP_ms", "RRP"),
         ("refractoriness_2ms_pct", "ref2ms"), ("superexcitability_pct", "superE"),
         ("subexcitability_pct", "subE"))


@contextmanager
def changed_axon(scale=None, tau_factor=None, shift_mV=None, params=None, slope_factor=None,
                 slow_inactivation=None, internode=None):
    """The model with ``PARAMS[k] * scale[k]`` (or ``params[k]`` itself), gate time constants
    times ``tau_factor[g]``, gate curves shifted by ``shift_mV[g]`` mV (gates "h", "p", "s":
    the hooks ``motor_axon.GATE_TAU_FACTOR`` / ``GATE_SHIFT_mV``) and the NaT-inactivation curve
    made ``slope_factor["h"]`` times steeper (``motor_axon.GATE_SLOPE_FACTOR``), and the optional
    slow inactivation of NaT set to ``slow_inactivation`` (``depth``, ``shift_mV``:
    ``motor_axon.NAT_SLOW_INACTIVATION``; off unless given), and the internode segmented as
    ``internode`` says (``segments``, and ``c_fraction``, ``g_fraction``, ``axial_nS``:
    ``motor_axon.INTERNODE_SEGMENTS`` / ``INTERNODE_CHAIN``; lumped unless given). Rest is
    re-balanced with the changed gates, as the model itself is; everything is restored on
    exit."""
    saved = (ma.PARAMS, ma._INF, ma._TAU, dict(ma.GATE_TAU_FACTOR), dict(ma.GATE_SHIFT_mV),
             dict(ma.GATE_SLOPE_FACTOR), dict(ma.NAT_SLOW_INACTIVATION),
             ma.INTERNODE_SEGMENTS, dict(ma.INTERNODE_CHAIN))
    raw = {k: v for k, v in ma.PARAMS.items()
           if not (k.startswith("g_leakK_") or k.startswith("I_pump_"))}
    raw.update(params or {})
    for k, f in (scale or {}).items():
        raw[k] = raw[k] * f
    try:
        for g, f in (tau_factor or {}).items():
            ma.GATE_TAU_FACTOR[g] = ma.GATE_TAU_FACTOR[g] * f
        for g, d in (shift_mV or {}).items():
            ma.GATE_SHIFT_mV[g] = ma.GATE_SHIFT_mV[g] + d
        for g, f in (slope_factor or {}).items():
            ma.GATE_SLOPE_FACTOR[g] = ma.GATE_SLOPE_FACTOR[g] * f
        ma.NAT_SLOW_INACTIVATION.update(slow_inactivation or {})
        chain = dict(internode or {})
        ma.INTERNODE_SEGMENTS = int(chain.pop("segments", ma.INTERNODE_SEGMENTS))
        ma.INTERNODE_CHAIN.update(chain)
        ma._SLOW_CACHE.clear()
        ma._INF, ma._TAU = ma.rate_functions(ma._TABLE_V)
        ma._TABLES_BY_DT.clear()
        ma._REST_CACHE.clear()
        ma.PARAMS = ma._balance_rest(raw)
        yield
    finally:
        ma.PARAMS, ma._INF, ma._TAU = saved[:3]
        ma.GATE_TAU_FACTOR.clear()
        ma.GATE_TAU_FACTOR.update(saved[3])
        ma.GATE_SHIFT_mV.clear()
        ma.GATE_SHIFT_mV.update(saved[4])
        ma.GATE_SLOPE_FACTOR.clear()
        ma.GATE_SLOPE_FACTOR.update(saved[5])
        ma.NAT_SLOW_INACTIVATION.clear()
        ma.NAT_SLOW_INACTIVATION.update(saved[6])
        ma.INTERNODE_SEGMENTS = saved[7]
        ma.INTERNODE_CHAIN.clear()
        ma.INTERNODE_CHAIN.update(saved[8])
        ma._SLOW_CACHE.clear()
        ma._TABLES_BY_DT.clear()
        ma._REST_CACHE.clear()


def _row(label, z, base):
    inside = sum(1 for v in z.values() if math.isfinite(v) and abs(v) <= 1.0)
    cells = "".join(f"{z[k] - base[k]:>10.2f}" if base is not None else f"{z[k]:>10.2f}"
                    for k, _ in SHOWN)
    print(f"{label:<30}{cells}{inside:>7}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--factor", type=float, default=1.4)
    ap.add_argument("--shift", type=float, default=3.0)
    args = ap.parse_args()
    base = tt.z_scores(tt.protocol_indices())
    print("z-scores of the normal model axon against Nerve Norms (then: change of z per knob)")
    print(f"{'':<30}" + "".join(f"{short:>10}" for _, short in SHOWN) + " inside")
    _row("model (z)", base, None)
    changes = [(f"{k} x{f:g}", {"scale": {k: f}}) for k in STRUCTURAL
               for f in (1.0 / args.factor, args.factor)]
    changes += [(f"tau_{g} x{f:.3g}", {"tau_factor": {g: f}}) for g in ma.GATE_TAU_FACTOR
                for f in (1.0 / args.factor, args.factor)]
    changes += [(f"{g} curve {s:+g} mV", {"shift_mV": {g: s}}) for g in ma.GATE_SHIFT_mV
                for s in (-args.shift, args.shift)]
    changes += [(f"{g} curve steeper x{f:.3g}", {"slope_factor": {g: f}})
                for g in ma.GATE_SLOPE_FACTOR for f in (1.0 / args.factor, args.factor)]
    for label, kw in changes:
        try:
            with changed_axon(**kw):
                z = tt.z_scores(tt.protocol_indices())
        except RuntimeError as err:  # rest cannot be balanced with this change
            print(f"{label:<30}  ({err})")
            continue
        _row(label, z, base)


if __name__ == "__main__":
    main()
