"""Benchmark: HH squid-axon kernel. Targets: 1 s simulated at dt 0.01 ms < 10 ms (warm);
import of widgets.models.squid_axon < 2 s; first call (JIT cache load) reported.

Run: MPLBACKEND=Agg .venv/bin/python benchmarks/bench_squid_axon.py
"""

import statistics
import subprocess
import sys
import time

CODE = """
import time
t0 = time.perf_counter()
import widgets.models.squid_axon as sa
t1 = time.perf_counter()
sa.simulate(10.0, 1000.0)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def main(repeats: int = 20) -> None:
    # fresh interpreters: import time and first-call time (numba on-disk cache load)
    imports, firsts = [], []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                             check=True).stdout.split()
        imports.append(float(out[0]))
        firsts.append(float(out[1]))
    print(f"import widgets.models.squid_axon: median {1e3 * statistics.median(imports):.0f} ms"
          f" (target < 2000 ms)")
    print(f"first simulate() call (cache load): median "
          f"{1e3 * statistics.median(firsts):.0f} ms")

    import widgets.models.squid_axon as sa

    sa.simulate(10.0, 1000.0)  # warm-up
    for label, kwargs in (("6.3 C, 10 uA/cm2", {"temp_c": 6.3}),
                          ("37 C, 10 uA/cm2 (sub-stepped)", {"temp_c": 37.0})):
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            sa.simulate(10.0, 1000.0, dt_ms=0.01, **kwargs)
            times.append(1e3 * (time.perf_counter() - t0))
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(f"simulate 1 s at dt 0.01 ms, {label}: median {statistics.median(times):.1f} ms,"
              f" p95 {p95:.1f} ms (target < 10 ms)")


if __name__ == "__main__":
    main()
