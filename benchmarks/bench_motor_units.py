"""Benchmark: 120-unit pool, 10 s of force at 1 ms (target < 100 ms); panel redraws (< 100 ms).

Run: MPLBACKEND=Agg .venv/bin/python benchmarks/bench_motor_units.py
Prints medians of repeats (after one warm-up call that loads the compiled kernels).
"""


import numpy as np
from timing import median_p95_ms

from widgets.models.motor_units import FuglevandPool
from widgets.panels.motor_units import UNIT_CHOICES, motor_unit_pool_panel, twitch_summation_panel


def _median_ms(fn, repeats=15):
    return median_p95_ms(fn, repeats)


def main():
    pool = FuglevandPool()
    med, p95 = _median_ms(lambda: pool.simulate_force(25.0, 10_000.0, dt_ms=1.0))
    print(f"pool 120 units, 10 s at 1 ms: median {med:.1f} ms, p95 {p95:.1f} ms "
          f"(target < 100 ms)")
    ramp = lambda t: 40.0 * t / 10_000.0  # noqa: E731
    med, p95 = _median_ms(lambda: pool.simulate_force(ramp, 10_000.0, dt_ms=1.0))
    print(f"pool 120 units, 10 s ramp 0 -> 40: median {med:.1f} ms, p95 {p95:.1f} ms")

    rng = np.random.default_rng(0)
    for name, panel, draws in (
        ("motor_unit_pool_panel", motor_unit_pool_panel(),
         [{"excitation": float(e)} for e in rng.uniform(0, 50, 30)]),
        ("twitch_summation_panel", twitch_summation_panel(),
         [{"rate_hz": float(r), "unit": u} for r in rng.uniform(1, 50, 15)
          for u in UNIT_CHOICES]),
    ):
        times = []
        for values in draws:
            panel.set(**values)
            times.append(panel.last_duration_ms)
        print(f"{name}: median {np.median(times):.1f} ms, p95 "
              f"{np.percentile(times, 95):.1f} ms over {len(times)} redraws (target < 100 ms)")


if __name__ == "__main__":
    main()
