"""Benchmark: kernel-side redraw time of every panel, blitting vs a full draw, same conditions.

For every ``*_panel`` in ``widgets.panels``, moves its first slider (or picks its drop-down's
options) ``--moves`` times, alternating direction, and prints the median and p95 of
``panel.last_duration_ms`` (model + artists + render + PNG + HTML) twice: with the panel's
:class:`widgets.panels.base.Blitter` (what live panels do) and with a full draw forced on every
frame (what they did before). The two runs interleave, panel by panel, so machine load affects
both alike. Also prints how many frames were blitted.

Run: .venv/bin/python benchmarks/bench_panel_redraw.py [--moves 16] [panel_name ...]
"""

from __future__ import annotations

import argparse
import importlib
import os

import ipywidgets as ipw
import numpy as np

from widgets.panels import _WHERE, base


def moves(panel, n: int):
    """Yield after each of ``n`` control changes (first slider, else first drop-down)."""
    ctrls = list(panel.controls.values())
    slider = next((c for c in ctrls if isinstance(c, (ipw.FloatSlider, ipw.IntSlider))), None)
    if slider is not None:
        for i in range(n):
            step = slider.step * (1 if (i // 2) % 2 == 0 else -1)
            slider.value = type(slider.value)(np.clip(slider.value + step, slider.min,
                                                      slider.max))
            yield
        return
    drop = next(c for c in ctrls if isinstance(c, ipw.Dropdown))
    options = list(drop.options)
    for i in range(n):
        drop.value = options[(i + 1) % len(options)]
        yield


def run(name: str, n: int, full: bool) -> tuple[list[float], int]:
    panel = getattr(importlib.import_module(f"widgets.panels.{_WHERE[name]}"), name)()
    out = []
    for _ in moves(panel, n):
        out.append(panel.last_duration_ms)
        if full:  # forget the kept background: the next frame is a full draw
            panel.fig._twitch_blitter = None
    return out, base._blitter(panel.fig).blits


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--moves", type=int, default=16)
    ap.add_argument("panels", nargs="*")
    args = ap.parse_args()
    names = args.panels or sorted(n for n in _WHERE if n.endswith("_panel"))
    print(f"{'panel':<26} {'blitting: median':>17} {'p95':>6} {'blits':>6}   "
          f"{'full draw: median':>18} {'p95':>6}")
    for name in names:
        blit, n_blits = run(name, args.moves, full=False)
        full, _ = run(name, args.moves, full=True)
        print(f"{name:<26} {np.median(blit):15.1f} ms {np.percentile(blit, 95):6.1f} "
              f"{n_blits:4d}/{len(blit):<3d} {np.median(full):16.1f} ms "
              f"{np.percentile(full, 95):6.1f}")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
