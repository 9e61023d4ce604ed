"""Benchmark: 10 s of EMG at 10 kHz (target < 200 ms); EMG panel redraw (target < 100 ms).

Run: MPLBACKEND=Agg .venv/bin/python benchmarks/bench_emg.py
"""


import numpy as np
from timing import median_p95_ms

from widgets.models.emg import fasciculation_train, voluntary_emg
from widgets.models.motor_units import FuglevandPool
from widgets.panels.emg import ACTIVITIES, emg_panel


def _median_ms(fn, repeats=11):
    return median_p95_ms(fn, repeats)


def main():
    pool = FuglevandPool()
    for electrode in ("needle", "surface"):
        for exc in (10.0, 45.0):
            med, p95 = _median_ms(lambda e=electrode, x=exc: voluntary_emg(
                pool, x, 10.0, 10_000.0, e, seed=0))
            print(f"voluntary EMG, {electrode}, excitation {exc:g}, 10 s at 10 kHz: median "
                  f"{med:.1f} ms, p95 {p95:.1f} ms (target < 200 ms)")
    med, p95 = _median_ms(lambda: fasciculation_train(2.0, 10.0, 10_000.0, "needle"))
    print(f"fasciculation train 2/s, 10 s at 10 kHz: median {med:.1f} ms, p95 {p95:.1f} ms")

    panel = emg_panel()
    rng = np.random.default_rng(0)
    times = []
    for k in range(40):
        panel.set(electrode=("needle", "surface")[k % 2], activity=ACTIVITIES[(k // 2) % 2],
                  excitation=float(rng.uniform(0, 50)), fp_rate_hz=float(rng.uniform(0.1, 5)))
        times.append(panel.last_duration_ms)
    print(f"emg_panel: median {np.median(times):.1f} ms, p95 {np.percentile(times, 95):.1f} ms "
          f"over {len(times)} redraws (target < 100 ms)")


if __name__ == "__main__":
    main()
