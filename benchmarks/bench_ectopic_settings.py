"""Which 'ALS-like' setting fires real spikes from rest, and which one sits on a plateau (issue 17).

For persistent Na+ (NaP) x {1.2 .. 2.0} and slow K+ (Ks) x {0.5 .. 1.0} (the direction of
Bostock et al. 1995 and Kanai et al. 2006), and for low ionized Ca2+ and high K+ as comparisons,
runs the noisy node of :mod:`widgets.models.ectopic` (3 seeds x 60 s each, seeds 1-3) and prints:

* ``detector``: the spikes :func:`widgets.models.ectopic.simulate_noisy` counts (its detector);
* ``back``: of those, how many are followed by the node back below -65 mV within 50 ms;
* ``real``: real spikes counted independently from the recorded trace (one sample every 0.02 ms):
  an excursion of the node that starts below -65 mV, peaks above 0 mV and comes back below
  -65 mV (an excursion still above -65 mV at the end of the run is not counted);
* ``plateaus``: episodes of at least 100 ms above -60 mV (the node stuck depolarised);
* ``>-60 %``: the fraction of the run the node spends above -60 mV (a plateau shows here);
* ``thr1ms``: the deterministic 1-ms threshold from rest, % of normal (``motor_axon.threshold``).

Usage: ``nice -n 19 .venv/bin/python benchmarks/bench_ectopic_settings.py [--seconds 60]``.
Cost: about 2 s of computing per 60 s run on one idle core (~3 min for the whole table).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from widgets.models import ectopic
from widgets.models import motor_axon as ma

NAP = (1.2, 1.3, 1.4, 1.5, 1.6, 1.8, 2.0)
KS = (0.5, 0.6, 0.7, 0.8, 1.0)
COMPARISONS = (("Ca 0.6", {"Ca": 0.6}), ("Ca 0.7", {"Ca": 0.7}), ("K 6.5", {"K": 6.5}),
               ("K 7", {"K": 7.0}), ("K 8", {"K": 8.0}))
SEEDS = (1, 2, 3)
RECORD_EVERY = 2  # 0.02 ms at dt 0.01 ms


def real_spikes(v_mV, start_below=-65.0, peak_above=0.0):
    """Excursions above ``start_below`` that begin and end below it and peak above 0 mV."""
    above = np.concatenate(([False], v_mV > start_below, [False]))
    edges = np.diff(above.astype(np.int8))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    n = 0
    for a, b in zip(starts, ends, strict=True):
        if a == 0 or b == v_mV.size:  # above at the start or still above at the end of the run
            continue
        if v_mV[a:b].max() > peak_above:
            n += 1
    return n


def returns_to_rest(t_ms, v_mV, spike_times_ms, within_ms=50.0, rest_below=-65.0):
    """How many of the detected spikes are followed by the node back below ``rest_below``
    within ``within_ms`` (a spike from which the node recovers, not one into a plateau)."""
    dt = t_ms[1] - t_ms[0]
    n = 0
    for ts in spike_times_ms:
        i = int(round(ts / dt))
        if np.any(v_mV[i:i + int(within_ms / dt)] < rest_below):
            n += 1
    return n


def plateaus(v_mV, dt_ms, above=-60.0, min_ms=100.0):
    """Episodes of at least ``min_ms`` above ``above`` (the node stuck depolarised)."""
    up = np.concatenate(([False], v_mV > above, [False]))
    edges = np.diff(up.astype(np.int8))
    lengths = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
    return int(np.sum(lengths * dt_ms >= min_ms))


def run_setting(conc, scale, seconds):
    det = real = back = plat = 0
    frac = []
    for seed in SEEDS:
        tr = ectopic.simulate_noisy(conc, duration_ms=1e3 * seconds, seed=seed,
                                    conductance_scale=scale, record_every=RECORD_EVERY)
        det += tr.spike_times_ms.size
        real += real_spikes(tr.v_mV)
        back += returns_to_rest(tr.t_ms, tr.v_mV, tr.spike_times_ms)
        plat += plateaus(tr.v_mV, tr.t_ms[1] - tr.t_ms[0])
        frac.append(float(np.mean(tr.v_mV > -60.0)))
    thr = ma.threshold(1.0, conc, scale)
    return det, real, back, plat, float(np.mean(frac)), thr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60.0)
    args = ap.parse_args()
    thr0 = ma.threshold(1.0)
    total = len(SEEDS) * args.seconds
    print(f"{len(SEEDS)} seeds x {args.seconds:.0f} s = {total:.0f} s per setting; "
          f"detector: ectopic (detect {ma.SPIKE_DETECT_mV:.0f} mV, recover "
          f"{ectopic.RECOVERY_mV:.0f} mV); real: from below -65 mV, peak > 0 mV, back below -65 mV")
    print(f"{'setting':>22} {'detector':>8} {'back':>5} {'real':>5} {'real/s':>7} "
          f"{'plateaus':>8} {'>-60 %':>7} {'thr1ms %':>8}")
    t0 = time.perf_counter()
    rows = [(f"NaP x{nap:.1f} Ks x{ks:.1f}", None, {"NaP": nap, "Ks": ks})
            for nap in NAP for ks in KS]
    rows += [(label, conc, None) for label, conc in COMPARISONS]
    rows.insert(0, ("normal", None, None))
    for label, conc, scale in rows:
        det, real, back, plat, frac, thr = run_setting(conc, scale, args.seconds)
        thr_pct = 100.0 * thr / thr0 if np.isfinite(thr) else float("inf")
        print(f"{label:>22} {det:8d} {back:5d} {real:5d} {real / total:7.3f} {plat:8d} "
              f"{100 * frac:7.1f} {thr_pct:8.0f}", flush=True)
    print(f"(computed in {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
