"""Response time of the persistent-Na+ / slow-K+ panel (lesson 1.4).

    MPLBACKEND=Agg python benchmarks/bench_axon_channels.py

Drives ``panel.set(...)`` with random control values and prints the median and 95th
percentile of the redraw time (control change to new PNG), and of the model part alone.
Target (DESIGN.md, as for the electrolyte panel): median under 100 ms, model under 30 ms.
"""

from __future__ import annotations

import time

import numpy as np

from widgets.panels.axon_channels import KS_SCALE, NAP_SCALE, axon_channels_panel, channel_readouts


def main(n: int = 60, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    panel = axon_channels_panel()
    for _ in range(3):  # warm-up (numba cache load, rest-state cache)
        panel.set(nap_scale=rng.uniform(NAP_SCALE.low, NAP_SCALE.high),
                  ks_scale=rng.uniform(KS_SCALE.low, KS_SCALE.high))
    total, model = [], []
    for _ in range(n):
        nap = rng.uniform(NAP_SCALE.low, NAP_SCALE.high)
        ks = rng.uniform(KS_SCALE.low, KS_SCALE.high)
        t0 = time.perf_counter()
        channel_readouts(nap + 1e-6, ks)  # a fresh setting (not cached)
        model.append(1e3 * (time.perf_counter() - t0))
        panel.set(nap_scale=nap, ks_scale=ks)
        total.append(panel.last_duration_ms)
    for name, vals, target in (("panel redraw", total, 100.0), ("model part", model, 30.0)):
        print(f"{name}: median {np.median(vals):.1f} ms, p95 {np.percentile(vals, 95):.1f} ms "
              f"(target median < {target:.0f} ms) over {n} random settings")


if __name__ == "__main__":
    main()
