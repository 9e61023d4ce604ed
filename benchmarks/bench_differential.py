"""Latency of the differential panels (generator comparison, evidence map): target < 100 ms.

Run: ``MPLBACKEND=Agg .venv/bin/python benchmarks/bench_differential.py``. Prints the median and
95th percentile of ``panel.last_duration_ms`` (model + artist update + PNG rendering) over random
control settings. Measurements, not tests.
"""

from __future__ import annotations

import numpy as np

TARGET_MS = 100.0
N_REPEATS = 30


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from widgets.models import differential as dx
    from widgets.panels.differential import evidence_panel, generator_panel

    rng = np.random.default_rng(0)
    g = generator_panel()
    names = [*dx.BRAIN_DISORDERS, dx.FASCICULATION.name]
    times = []
    for _ in range(N_REPEATS):
        g.set(disorder=names[rng.integers(len(names))], seed=int(rng.integers(0, 100)))
        times.append(g.last_duration_ms)
    e = evidence_panel()
    causes = list(dx.OTHER_CAUSES)
    etimes = []
    for _ in range(N_REPEATS):
        e.set(cause=causes[rng.integers(len(causes))])
        etimes.append(e.last_duration_ms)
    print(f"{'panel':<18}{'median ms':>10}{'p95 ms':>9}  target")
    for name, t in (("generator_panel", times), ("evidence_panel", etimes)):
        med = float(np.median(t))
        flag = "OK" if med < TARGET_MS else "OVER"
        print(f"{name:<18}{med:>10.1f}{np.percentile(t, 95):>9.1f}  <{TARGET_MS:.0f} {flag}")


if __name__ == "__main__":
    main()
