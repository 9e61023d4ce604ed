"""Benchmark: kernel-side redraw time of every panel, blitting vs a full draw, same conditions.

For every ``*_panel`` in ``widgets.panels``, moves its first slider (or picks its drop-down's
options) ``--moves`` times, alternating direction, and prints the median and p95 of
``panel.last_duration_ms`` (model + artists + render + PNG + HTML) twice: with the panel's
:class:`widgets.panels.base.Blitter` (what live panels do) and with a full draw forced on every
frame (what they did before). The runs interleave, panel by panel, so machine load affects
them alike. Frames that had to draw a new picture (an axes state not kept yet) are also shown
apart, for nudging a slider back and forth and for sweeping it onwards. Panels are primed as
under `make live` (:meth:`widgets.panels.base.FigurePanel.prime`); the last column is what
priming costs: the settings primed and the seconds it takes (a kernel spends them in idle time
after the panel is shown).

Run: .venv/bin/python benchmarks/bench_panel_redraw.py [--moves 16] [panel_name ...]
Target (issue 13): end to end under 100 ms (benchmarks/bench_live_latency.py measures that).
"""

from __future__ import annotations

import argparse
import importlib
import os
import time

import ipywidgets as ipw

# Panels as `make live` runs them (TWITCH_LIVE=1: discrete panels draw their pictures ahead).
os.environ.setdefault("TWITCH_LIVE", "1")

import numpy as np

from widgets.panels import _WHERE, base


def moves(panel, n: int, sweep: bool = False):
    """Yield after each of ``n`` control changes (first slider, else first drop-down).

    Back and forth (default): +1, +1, -1, -1, ... steps, as an instructor nudges a slider. Sweep:
    always onwards (reversing only at the ends of the range), so that most frames show a setting
    not shown before (the worst case for the blitter's kept pictures)."""
    ctrls = list(panel.controls.values())
    slider = next((c for c in ctrls if isinstance(c, (ipw.FloatSlider, ipw.IntSlider))), None)
    if slider is not None:
        direction = 1
        for i in range(n):
            if sweep:
                if not slider.min <= slider.value + direction * slider.step <= slider.max:
                    direction = -direction
                step = direction * slider.step
            else:
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


def run(name: str, n: int, full: bool, sweep: bool = False) -> tuple[list[float], list[float]]:
    """Frame times (ms): those composed from kept pictures, and those that drew a new one."""
    panel = getattr(importlib.import_module(f"widgets.panels.{_WHERE[name]}"), name)()
    kept, new = [], []
    b = base._blitter(panel.fig)
    run._drawn = b.full_draws + b.layer_draws  # what was drawn before the first move
    for _ in moves(panel, n, sweep):
        b = base._blitter(panel.fig)
        drawn = b.full_draws + b.layer_draws
        (new if drawn != getattr(run, "_drawn", None) else kept).append(panel.last_duration_ms)
        run._drawn = drawn
        if full:  # forget the kept pictures: the next frame is a full draw
            panel.fig._twitch_blitter = None
            run._drawn = None
    return kept, new


def prime_cost(name: str) -> tuple[int, float]:
    """Settings the panel primes once shown, and the seconds priming them takes here."""
    os.environ["TWITCH_LIVE"] = "0"  # built without priming, then primed on the clock
    try:
        panel = getattr(importlib.import_module(f"widgets.panels.{_WHERE[name]}"), name)()
    finally:
        os.environ["TWITCH_LIVE"] = "1"
    t0 = time.perf_counter()
    panel.prime()  # no kernel here: every setting at once
    return panel.primed, time.perf_counter() - t0


def _stats(times: list[float]) -> str:
    if not times:
        return f"{'-':>7} {'-':>6}"
    return f"{np.median(times):7.1f} {np.percentile(times, 95):6.1f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--moves", type=int, default=16)
    ap.add_argument("panels", nargs="*")
    args = ap.parse_args()
    names = args.panels or sorted(n for n in _WHERE if n.endswith("_panel"))
    print("Kernel-side frame time (ms), median and p95. 'all': every frame of the run; 'new':")
    print("frames that drew a picture not kept yet (a new axes state, or a full draw).")
    print(f"{'panel':<26} {'back-and-forth: all':>20} {'new (n)':>16}   {'sweep: all':>14} "
          f"{'new (n)':>16}   {'full draw':>14}   {'prime: n, s':>12}")
    for name in names:
        row = [name.ljust(26)]
        for sweep in (False, True):
            kept, new = run(name, args.moves, full=False, sweep=sweep)
            row.append(f"{_stats(kept + new):>20} {_stats(new):>13} ({len(new):2d})")
        run._drawn = None
        kept, new = run(name, args.moves, full=True)
        row.append(f"{_stats(kept + new):>14}")
        run._drawn = None
        n, seconds = prime_cost(name)
        row.append(f"{n:5d} {seconds:5.1f}")
        print("  ".join(row))
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
