"""Speed of the motor-axon model and of the electrolyte panel (prints medians; no assertions).

Targets (engine issue): 1 s of simulated time at dt <= 0.01 ms under 10 ms after warm-up, first
call (including the numba cache load) under 5 s; electrolyte panel response median under 100 ms
with the model part under 30 ms.

Run: MPLBACKEND=Agg .venv/bin/python benchmarks/bench_motor_axon.py
"""

from __future__ import annotations

import time

import numpy as np


def _median_p95(xs):
    return float(np.median(xs)), float(np.percentile(xs, 95))


def main() -> None:
    t0 = time.perf_counter()
    from widgets.models import ectopic
    from widgets.models import motor_axon as ma

    ma.simulate(None, 1.0, dt_ms=0.01)
    first = time.perf_counter() - t0
    print(f"first call incl. import and numba cache load: {first:.2f} s (target < 5 s)")

    ts = []
    for _ in range(15):
        t0 = time.perf_counter()
        ma.simulate(None, 1000.0, dt_ms=0.01, record_every=10)
        ts.append(1e3 * (time.perf_counter() - t0))
    med, p95 = _median_p95(ts)
    print(f"1 s simulated, deterministic, dt 0.01 ms: median {med:.1f} ms, p95 {p95:.1f} ms "
          "(target < 10 ms)")

    ts = []
    for s in range(10):
        t0 = time.perf_counter()
        ectopic.simulate_noisy({"Ca": 0.6}, duration_ms=1000.0, seed=s, record_every=10)
        ts.append(1e3 * (time.perf_counter() - t0))
    med, p95 = _median_p95(ts)
    print(f"1 s simulated with channel noise (incl. random numbers): median {med:.1f} ms, "
          f"p95 {p95:.1f} ms")

    from widgets.panels.electrolytes import _model, electrolyte_panel

    panel = electrolyte_panel()
    rng = np.random.default_rng(0)
    total, model, total_cpu, model_cpu = [], [], [], []
    for _ in range(40):
        conc = {ion: float(rng.uniform(r.low, r.high))
                for ion, r in ma.CONC_OUT_RANGES_mM.items()}
        c0 = time.process_time()
        panel.set(**conc)
        total_cpu.append(1e3 * (time.process_time() - c0))
        total.append(panel.last_duration_ms)
        conc["K"] = min(conc["K"] + 0.05, 10.0)  # a new state (no cache hit)
        t0 = time.perf_counter()
        c0 = time.process_time()
        _model(conc)
        model.append(1e3 * (time.perf_counter() - t0))
        model_cpu.append(1e3 * (time.process_time() - c0))
    med, p95 = _median_p95(total)
    print(f"electrolyte panel, control change to redrawn figure: median {med:.0f} ms, "
          f"p95 {p95:.0f} ms (target median < 100 ms)")
    med, p95 = _median_p95(model)
    print(f"  of which the model part: median {med:.1f} ms, p95 {p95:.1f} ms (target < 30 ms)")
    # CPU time of this process: independent of other jobs sharing the machine
    print(f"  CPU time per redraw: median {np.median(total_cpu):.0f} ms; model part median "
          f"{np.median(model_cpu):.1f} ms")


if __name__ == "__main__":
    main()
