"""Is the model axon silent everywhere inside the clinical reference ranges? (prints a table)

Issue 12 item 1: at every edge and every corner of the reference ranges of K+, Na+, ionized Ca2+
and ionized Mg2+ (``motor_axon.reference_range_settings()``: 25 settings), count the model's
spontaneous (ectopic) spikes over ``SEEDS`` seeded runs of ``DURATION_S`` simulated seconds each,
and print the count, the rate and the one-sided 95 % upper confidence bound on the rate (zero
spikes in T seconds bounds the rate below 3.0 / T; Poisson, exact). Then the same for settings
outside the ranges that the course needs to fire (or not).

The rate rises steeply and monotonically with excitability, so the settings are first ranked by
their 1 ms threshold (cheap, deterministic): normal, the 8 edges and the ``--top`` most
excitable corners get ``SEEDS`` x ``DURATION_S``; the other corners, less excitable than all of
those, get ``--rest-seeds`` runs of the same length. Default: 13 settings x 10 x 600 s plus
12 x 2 x 600 s = 92,400 s of simulated time (about 22 min of one idle core; no assertions).
Quick look: ``--seeds 2 --duration 60``.

Run: nice -n 10 .venv/bin/python benchmarks/bench_reference_ranges.py [--seeds N] [--duration S]
"""

from __future__ import annotations

import argparse
import time

from scipy.stats import chi2

from widgets.models import ectopic
from widgets.models import motor_axon as ma

OUTSIDE = {
    "ionized Ca 1.0": ({"Ca": 1.0}, None),
    "ionized Ca 0.8": ({"Ca": 0.8}, None),
    "ionized Ca 0.7": ({"Ca": 0.7}, None),
    "ionized Ca 0.6": ({"Ca": 0.6}, None),
    "K 6.0": ({"K": 6.0}, None),
    "K 7.0": ({"K": 7.0}, None),
    "K 10.0": ({"K": 10.0}, None),
    # one spike onto a depolarised plateau per run, not a train (bench_ectopic_settings.py)
    "NaP x2, Ks x0.5 (plateau)": (None, {"NaP": 2.0, "Ks": 0.5}),
}


def upper95_hz(count: int, total_s: float) -> float:
    """One-sided 95 % upper bound of a Poisson rate from ``count`` events in ``total_s``."""
    return chi2.ppf(0.95, 2 * (count + 1)) / 2.0 / total_s


def count_spikes(conc, scale, seeds: int, duration_s: float) -> int:
    return sum(int(round(duration_s * ectopic.spontaneous_rate_hz(
        conc, duration_s=duration_s, seed=seed, conductance_scale=scale)))
        for seed in range(seeds))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--duration", type=float, default=600.0)
    ap.add_argument("--top", type=int, default=4)
    ap.add_argument("--only", nargs="*", default=None,
                    help="run only these settings (labels as printed), most excitable first")
    ap.add_argument("--rest-seeds", type=int, default=2)
    ap.add_argument("--outside-seeds", type=int, default=3)
    ap.add_argument("--outside-duration", type=float, default=60.0)
    args = ap.parse_args()
    t_start = time.perf_counter()
    settings = ma.reference_range_settings()
    thr = {label: ma.threshold(1.0, conc) for label, conc in settings.items()}
    corners = sorted((k for k in settings if k.startswith("corner")), key=thr.get)
    long_runs = set(k for k in settings if not k.startswith("corner")) | set(corners[:args.top])
    print(f"ectopic channels: N_NaT {ectopic.N_NAT_CHANNELS:g}, N_NaP "
          f"{ectopic.N_NAP_CHANNELS:g}; {args.seeds} seeds x {args.duration:g} s per setting "
          f"({args.rest_seeds} seeds for the {len(corners) - args.top} least excitable corners)")
    print(f"{'setting (inside the reference ranges)':<26} {'K':>4} {'Na':>4} {'Ca':>5} {'Mg':>5}"
          f" {'thr %':>6} {'runs':>4} {'spikes':>6} {'rate /s':>8} {'95% upper /s':>12}")
    worst = 0
    order = [k for k in settings if not k.startswith("corner")] + corners
    if args.only:
        order = sorted(args.only, key=thr.get)
    for label in order:
        conc = settings[label]
        seeds = args.seeds if label in long_runs else args.rest_seeds
        total = seeds * args.duration
        n = count_spikes(conc, None, seeds, args.duration)
        worst = max(worst, n)
        print(f"{label:<26} {conc['K']:4.1f} {conc['Na']:4.0f} {conc['Ca']:5.2f} "
              f"{conc['Mg']:5.2f} {100 * thr[label] / thr['normal']:6.1f} {seeds:4d} {n:6d} "
              f"{n / total:8.5f} {upper95_hz(n, total):12.5f}", flush=True)
    print(f"most spikes at any setting inside the ranges: {worst} (runs of {args.duration:g} s)")
    tot_out = args.outside_seeds * args.outside_duration
    if args.only:
        return
    print(f"\noutside the ranges ({args.outside_seeds} seeds x {args.outside_duration:g} s):")
    for label, (conc, scale) in OUTSIDE.items():
        n = count_spikes(conc, scale, args.outside_seeds, args.outside_duration)
        print(f"{label:<34} {n:6d} spikes, {n / tot_out:7.3f} /s", flush=True)
    print(f"\nwall time {time.perf_counter() - t_start:.0f} s")


if __name__ == "__main__":
    main()
