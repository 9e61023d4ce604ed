"""Latency of the clinic panels (exercise K+, denervation, base rates): target median < 100 ms.

Run: ``MPLBACKEND=Agg .venv/bin/python benchmarks/bench_clinic.py``. Prints, per panel, the
median and 95th percentile of ``panel.last_duration_ms`` (model + artist update + PNG
rendering) over random control settings, and the model-only time. Measurements, not tests.
"""

from __future__ import annotations

import time

import numpy as np

TARGET_MS = 100.0
N_REPEATS = 40


def _bench(make, n=N_REPEATS, seed=0):
    panel = make()
    rng = np.random.default_rng(seed)
    total, model = [], []
    for _ in range(n):
        vals = {k: float(rng.uniform(c.min, c.max)) for k, c in panel.controls.items()}
        panel.set(**vals)
        total.append(panel.last_duration_ms)
        t0 = time.perf_counter()
        panel._update(**vals)
        model.append(1e3 * (time.perf_counter() - t0))
    return np.array(total), np.array(model)


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from widgets.panels.base_rates import base_rate_panel
    from widgets.panels.denervation import denervation_panel
    from widgets.panels.exercise import exercise_panel

    print(f"{'panel':<22}{'median ms':>10}{'p95 ms':>9}{'update-only median':>20}  target")
    for name, make in (("exercise_panel", exercise_panel),
                       ("denervation_panel", denervation_panel),
                       ("base_rate_panel", base_rate_panel)):
        total, model = _bench(make)
        med, p95 = np.median(total), np.percentile(total, 95)
        flag = "OK" if med < TARGET_MS else "OVER"
        print(f"{name:<22}{med:>10.1f}{p95:>9.1f}{np.median(model):>20.1f}  "
              f"<{TARGET_MS:.0f} {flag}")


if __name__ == "__main__":
    main()
