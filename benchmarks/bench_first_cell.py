"""Benchmark: how long a lesson's first code cell takes in a fresh kernel, as `make live` runs it.

For each lesson (default: every lesson), a new IPython kernel is started with the environment
`make live` gives its kernels (``tools/live.py``), the lesson's first code cell is executed, and
the time from the execute request to the kernel's reply is printed, in three conditions:

- ``no caches``: empty numba cache and no model cache (numba compiles, the model simulates);
- ``numba warm``: numba's disk cache filled, no model cache (the state before issue 13);
- ``after warm-up``: numba and the model cache filled by ``tools/live.py --warm-up-only``
  (what `make live` does in the background while JupyterLab starts).

Run: .venv/bin/python benchmarks/bench_first_cell.py [lessons/2-benign-triggers/1-electrolytes]
(the warm-up of the third condition takes a few minutes the first time).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import live  # noqa: E402
import live_copy  # noqa: E402


def first_cell(rel: str) -> str:
    nb = nbformat.read(ROOT / f"{rel}.ipynb", as_version=4)
    # the first cell that does the lesson's work: after the Colab install cell (an import check)
    return next(c.source for c in nb.cells if c.cell_type == "code"
                and not any(line.lstrip().startswith("%") for line in c.source.splitlines()))


def time_first_cell(rel: str, env: dict[str, str]) -> float:
    """Seconds from execute request to reply for the lesson's first cell in a fresh kernel."""
    km, kc = start_new_kernel(kernel_name="python3", env=env, cwd=str(ROOT))
    try:
        t0 = time.perf_counter()
        reply = kc.execute_interactive(first_cell(rel), timeout=600, output_hook=lambda m: None)
        elapsed = time.perf_counter() - t0
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"{rel}: first cell failed: {reply['content']}")
        return elapsed
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main(argv: list[str]) -> None:
    lessons = argv or [f for _, fs in live_copy.toc_files(ROOT) for f in fs
                       if f.startswith("lessons/")]
    with tempfile.TemporaryDirectory() as tmp:
        base = live.live_env(Path(tmp) / "live")
        cold = dict(base, NUMBA_CACHE_DIR=str(Path(tmp) / "numba-empty"), TWITCH_CACHE_DIR="")
        numba_warm = dict(base, TWITCH_CACHE_DIR="")
        model_cache = Path(tmp) / "model-cache"
        warmed = dict(base, TWITCH_CACHE_DIR=str(model_cache))
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "tools/live.py"), "--warm-up-only"],
                       env=warmed, check=True, stdout=subprocess.DEVNULL)
        print(f"warm-up (tools/live.py --warm-up-only): {time.perf_counter() - t0:.0f} s")
        print(f"{'lesson':<52} {'no caches':>10} {'numba warm':>11} {'after warm-up':>14}")
        for rel in lessons:
            times = [time_first_cell(rel, env) for env in (cold, numba_warm, warmed)]
            print(f"{rel:<52} {times[0]:9.1f}s {times[1]:10.1f}s {times[2]:13.1f}s")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main(sys.argv[1:])
