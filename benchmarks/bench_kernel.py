"""`import widgets` time and the peak memory of a kernel running each lesson.

    python benchmarks/bench_kernel.py

Targets (engine issue): `import widgets` < 2 s; a kernel running any lesson < 500 MB.
Each lesson runs in a fresh kernel; its resident memory is sampled every 50 ms.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def import_time_s(module: str) -> float:
    code = f"import time; t=time.perf_counter(); import {module}; print(time.perf_counter()-t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def peak_kernel_mb(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    peak = {"mb": 0.0}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            km = client.km
            pid = getattr(getattr(km, "provisioner", None), "pid", None) if km else None
            if pid:
                try:
                    proc = psutil.Process(pid)
                    rss = proc.memory_info().rss + sum(c.memory_info().rss
                                                       for c in proc.children(recursive=True))
                    peak["mb"] = max(peak["mb"], rss / 2**20)
                except psutil.Error:
                    pass
            time.sleep(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        client.execute()
    finally:
        stop.set()
        thread.join()
    return peak["mb"]


def main() -> None:
    for module in ("widgets", "widgets.models.motor_axon", "widgets.panels.electrolytes"):
        print(f"import {module}: {import_time_s(module):.2f} s (target for `widgets`: < 2 s)")
    worst = 0.0
    for path in sorted((ROOT / "lessons").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        mb = peak_kernel_mb(path)
        worst = max(worst, mb)
        print(f"{path.relative_to(ROOT)}: kernel peak {mb:6.0f} MB")
    print(f"largest kernel: {worst:.0f} MB (target < 500 MB)")


if __name__ == "__main__":
    main()
