"""Response time of the Part 3 panels (classification exercise, hyperexcitability mechanisms).

    python benchmarks/bench_part3_panels.py

Drives each panel's controls from Python with seeded random values and prints the median and
95th percentile of the control-change-to-redrawn-figure time (target: median < 100 ms). The
mechanism panel caches model results per setting, so the first visit of a setting and a repeat
visit are reported separately.
"""

from __future__ import annotations

import numpy as np

from widgets.panels import classification_panel, mechanism_panel


def _summary(name, times_ms):
    t = np.asarray(times_ms)
    print(f"{name:40s} median {np.median(t):6.1f} ms  p95 {np.percentile(t, 95):6.1f} ms  "
          f"(n={t.size}; target median < 100 ms)")


def main() -> None:
    rng = np.random.default_rng(0)
    panel = classification_panel()
    answers = list(panel.controls["answer"].options)
    times = []
    for _ in range(40):
        panel.set(trace=int(rng.integers(1, 11)), answer=answers[rng.integers(len(answers))])
        times.append(panel.last_duration_ms)
    _summary("classification_panel", times)

    panel = mechanism_panel()
    mechanisms = list(panel.controls["mechanism"].options)
    grid = [(m, s) for m in mechanisms for s in (0.0, 0.25, 0.5, 0.75, 1.0)]
    first, repeat = [], []
    for m, s in grid:
        panel.set(mechanism=m, severity=s)
        first.append(panel.last_duration_ms)
    for i in rng.permutation(len(grid))[:30]:
        m, s = grid[i]
        panel.set(mechanism=m, severity=s)
        repeat.append(panel.last_duration_ms)
    _summary("mechanism_panel, first visit of a setting", first)
    _summary("mechanism_panel, repeat visit", repeat)


if __name__ == "__main__":
    main()
