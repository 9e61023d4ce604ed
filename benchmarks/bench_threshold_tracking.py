"""Speed of the whole nerve excitability protocol on one setting (issue 17: under 2 s).

``threshold_tracking.run_protocol`` runs strength-duration (5 durations), threshold
electrotonus (+/-40 %, 28 delays each), the current-threshold relationship (16 currents of
200 ms) and the recovery cycle (18 intervals). Prints the first call (numba cache load
included) and the median and 95th percentile of later calls, at four settings (new settings
each time, so nothing is cached between calls). Then the same with the internode in 2 and 3
segments (``motor_axon.INTERNODE_SEGMENTS``; equal shares, axial conductances equal to G_BB),
the optional chain of the issue-17 exploration (axon6); the course model is the first line.

Run: nice -n 10 .venv/bin/python benchmarks/bench_threshold_tracking.py [N ...]
(N: internodal segments to time besides the course's 1; default 2 3)
"""

from __future__ import annotations

import time

import numpy as np


def main() -> None:
    import sys

    t0 = time.perf_counter()
    from widgets.models import motor_axon as ma
    from widgets.models import threshold_tracking as tt

    tt.run_protocol()
    print(f"first call incl. import and numba cache load: {time.perf_counter() - t0:.2f} s")
    settings = [({"K": 4.0 + 0.01 * k}, None) for k in range(1, 4)]
    settings += [(None, {"NaP": 1.5 + 0.01 * k, "Ks": 0.6}) for k in range(3)]
    settings += [({"Ca": 0.8 + 0.01 * k}, None) for k in range(3)]
    settings += [({"K": 7.0 + 0.01 * k}, None) for k in range(3)]
    segments = [1] + [int(a) for a in (sys.argv[1:] or ["2", "3"])]
    for n in segments:
        ma.INTERNODE_SEGMENTS = n
        ma._REST_CACHE.clear()
        tt.run_protocol({"K": 3.99})  # compiles the chain kernel (first N > 1), not timed
        times = []
        for conc, scale in settings:
            t = time.perf_counter()
            tt.run_protocol(conc, scale)
            times.append(time.perf_counter() - t)
        med, p95 = float(np.median(times)), float(np.percentile(times, 95))
        label = "lumped internode (the course model)" if n == 1 else f"internode in {n} segments"
        print(f"whole protocol, {label}, {len(times)} settings: median {med:.2f} s, "
              f"p95 {p95:.2f} s, max {max(times):.2f} s (target < 2 s)")
    ma.INTERNODE_SEGMENTS = 1


if __name__ == "__main__":
    main()
