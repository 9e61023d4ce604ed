"""Benchmark: redraw time of the membrane and action-potential panels.

Drives ``panel.set(...)`` over random control values (seeded) and prints the median and p95
of ``panel.last_duration_ms`` (target: median < 100 ms), and the model's share of it
(target < 30 ms).

Run: MPLBACKEND=Agg .venv/bin/python benchmarks/bench_panels_membrane.py
"""

import time

import numpy as np

from widgets.models import squid_axon
from widgets.panels import action_potential, membrane


def _stats(values):
    v = np.asarray(values)
    return f"median {np.median(v):.1f} ms, p95 {np.percentile(v, 95):.1f} ms"


def _random_values(panel, rng):
    return {name: float(rng.uniform(c.min, c.max)) for name, c in panel.controls.items()}


def main(n: int = 60, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    for name, make, model in (
        ("membrane", membrane.membrane_panel,
         lambda v: (membrane.resting_state(**v),
                    membrane._rest_curve(v["na_out"], v["cl_out"], v["pna_pk"], v["pcl_pk"]))),
        ("action_potential", action_potential.action_potential_panel,
         lambda v: squid_axon.simulate(v["current_uA_cm2"], action_potential.DURATION_ms,
                                       v["temp_c"])),
    ):
        panel = make()
        redraw, model_ms = [], []
        for _ in range(n):
            values = _random_values(panel, rng)
            panel.set(**values)
            redraw.append(panel.last_duration_ms)
            t0 = time.perf_counter()
            model(values)
            model_ms.append(1e3 * (time.perf_counter() - t0))
        print(f"{name} panel redraw: {_stats(redraw)} (target median < 100 ms); "
              f"model part: {_stats(model_ms)} (target < 30 ms)")


if __name__ == "__main__":
    main()
