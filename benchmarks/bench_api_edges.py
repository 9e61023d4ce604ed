"""Benchmark: the slowest corners of the declared valid ranges (issue 15: a range is a promise).

Times the most expensive call each declared range allows, for the callables whose cost grows
with their arguments (long noisy runs, threshold searches at 45 °C, large pools). Target: each
well under the API fuzz test's per-call deadline (20 s of CPU time; tests/api_fuzz.py), a few
seconds. Prints CPU and wall time, median and max of a few repeats (the calls are long).

Run: .venv/bin/python benchmarks/bench_api_edges.py
"""

from __future__ import annotations

import statistics
import time


def _cases():
    from widgets.models import ectopic, hyperexcitability, motor_axon, motor_units, squid_axon

    pool = motor_units.FuglevandPool(2000)
    steps = motor_units.MAX_UNIT_STEPS // pool.n_units
    return [
        ("ectopic.spontaneous_rate_hz(duration_s=600, dt_ms=0.01)",
         lambda: ectopic.spontaneous_rate_hz(duration_s=600.0, dt_ms=0.01)),
        ("ectopic.spontaneous_rate_hz(duration_s=300, dt_ms=0.005)",
         lambda: ectopic.spontaneous_rate_hz(duration_s=300.0, dt_ms=0.005)),
        ("ectopic.simulate_noisy(600 s, record_every=10000)",
         lambda: ectopic.simulate_noisy(duration_ms=600_000.0, record_every=10_000)),
        ("motor_axon.simulate(600 s, dt_ms=0.025, record_every=3)",
         lambda: motor_axon.simulate(None, 600_000.0, dt_ms=0.025, record_every=3)),
        ("motor_axon.recovery_cycle(50 intervals, test 100 ms, dt 0.001)",
         lambda: motor_axon.recovery_cycle([1.0 + 4.0 * k for k in range(50)], test_ms=100.0,
                                           dt_ms=0.001)),
        ("squid_axon.repetitive_onset_uA_cm2(45 C, 1000 ms, +30 mV, tol 1)",
         lambda: squid_axon.repetitive_onset_uA_cm2(45.0, 1000.0, 30.0, 1.0)),
        ("squid_axon.rheobase_uA_cm2(45 C, 2000 ms, -30 mV, tol 1e-6)",
         lambda: squid_axon.rheobase_uA_cm2(45.0, 2000.0, -30.0, 1e-6)),
        ("squid_axon.simulate(200 uA/cm2, 10 s, 45 C, dt 0.001)",
         lambda: squid_axon.simulate(200.0, 10_000.0, 45.0, 0.001, -30.0)),
        ("squid_axon.f_i_curve(10 currents x 10 s, 45 C)",
         lambda: squid_axon.f_i_curve([20.0 * k for k in range(10)], 45.0, 10_000.0)),
        (f"FuglevandPool(2000).simulate_force(200, {steps} steps of 1 ms)",
         lambda: pool.simulate_force(200.0, float(steps), 1.0)),
        ("hyperexcitability.readouts(severity=0.5, duration_s=600) (uncached)",
         lambda: hyperexcitability._readouts.__wrapped__("low calcium", 0.5, 600.0, 7)),
    ]


def main(repeats: int = 3) -> None:
    print("slowest declared corners: CPU time (what the fuzz test's deadline measures) and wall "
          "time (depends on how loaded the machine is), median and max of "
          f"{repeats} calls after a warm-up")
    for label, fn in _cases():
        fn()  # warm-up (JIT cache load, rest-state caches)
        cpu, wall = [], []
        for _ in range(repeats):
            c0, w0 = time.process_time(), time.perf_counter()
            fn()
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        print(f"{label:66s} CPU median {statistics.median(cpu):5.2f} s, max {max(cpu):5.2f} s; "
              f"wall median {statistics.median(wall):5.2f} s, max {max(wall):5.2f} s", flush=True)


if __name__ == "__main__":
    main()
