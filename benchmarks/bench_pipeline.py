"""Pipeline timings: full book build from clean, cached rebuild after one lesson changes.

    python benchmarks/bench_pipeline.py            # book builds (a few minutes)
    python benchmarks/bench_pipeline.py --make-test  # also `make test` in a clean clone

Targets (pipeline issue): full build from clean < 5 min; cached rebuild with one lesson
changed < 60 s; `make test` from a clean clone with pip's cache warm < 15 min (aim 5).
Works on a temporary copy of the repository; prints the figures.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
JB = str(Path(sys.executable).parent / "jupyter-book")


def _timed(cmd, cwd) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "twitch"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        full = _timed([JB, "build", "-W", "--keep-going", "."], clone)
        print(f"full book build from clean: {full:6.1f} s   (target < 300 s)")
        lesson = clone / "lessons/2-benign-triggers/1-electrolytes.ipynb"
        nb = nbformat.read(lesson, as_version=4)
        first_code = next(c for c in nb.cells if c.cell_type == "code")
        first_code.source += "\n# edited"
        nbformat.write(nb, lesson)
        cached = _timed([JB, "build", "-W", "--keep-going", "."], clone)
        print(f"cached rebuild, one lesson changed: {cached:6.1f} s   (target < 60 s)")
        if "--make-test" in sys.argv:
            shutil.rmtree(clone / "_build", ignore_errors=True)
            total = _timed(["make", "test"], clone)
            print(f"make test in a clean clone (pip cache warm): {total / 60:5.1f} min   "
                  "(target < 15 min, aim 5)")


if __name__ == "__main__":
    main()
