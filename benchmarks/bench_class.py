"""Benchmark: a class on one JupyterHub, all at once (issue 19). Loopback only, bounded.

For each class size N (default 5, 10, 20) a fresh hub is started exactly as ``make class`` starts
it (``tools/class_hub.py``: proxy, hub, per-student limits, idle culler). Then N simulated students
(``tools/class_student.py``: HTTP and the kernel websocket, as JupyterLab talks to the server) all
at once: log in with their own password, start their server, open a lesson in their own home, run
all its cells, and move the lesson's panel slider ``--moves`` times (0.3 s apart), each move timed
until the kernel sends the panel's new figure. While they work, every student's processes (their
server and kernel, found by HOME) are sampled each second for memory.

Prints, per N: server start time (login to ready), time to run the lesson, slider-to-figure latency
(all moves of all students pooled), per-student memory (peak PSS: the student's share of RAM,
and peak RSS), the largest kernel address space (what ``mem_limit`` as RLIMIT_AS must allow),
failures (a step that raised, a cell error, a checkpoint that printed something else, a move
without a new figure in 60 s), and the machine's load average before and after.

``--faults`` runs the fault scenarios instead (3 students): a kernel killed mid-lesson, the hub
killed and restarted while students work, a runaway cell (an infinite loop) next to students moving
sliders, and a runaway allocation against the memory limit.

Run: .venv/bin/python benchmarks/bench_class.py [--students 5 10 20] [--lesson PATH] [--moves 8]
     .venv/bin/python benchmarks/bench_class.py --faults
Every run stops by itself: each class size has a deadline (``--deadline``, default 900 s).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from class_hub import ClassHub  # noqa: E402
from class_student import Run, Student, run_lesson  # noqa: E402

DEFAULT_LESSON = "lessons/2-benign-triggers/1-electrolytes.ipynb"


def pct(values, q) -> float:
    return float(np.percentile(values, q)) if len(values) else float("nan")


class MemorySampler:
    """Peak memory per student (sum over their processes) and the largest single address space."""

    def __init__(self, hub: ClassHub):
        self.hub = hub
        self.home = hub.class_dir / "home"
        self.peak_pss: dict[str, float] = {}
        self.peak_rss: dict[str, float] = {}
        self.peak_vms_kernel = 0.0
        self.task: asyncio.Task | None = None

    def sample(self) -> None:
        pss: dict[str, float] = {}
        rss: dict[str, float] = {}
        for p in self.hub.class_processes():
            try:
                name = Path(p.environ()["HOME"]).name
                info = p.memory_full_info()
                cmd = " ".join(p.cmdline())
            except (psutil.Error, OSError, KeyError):
                continue
            pss[name] = pss.get(name, 0) + info.pss / 2 ** 20
            rss[name] = rss.get(name, 0) + info.rss / 2 ** 20
            if "ipykernel" in cmd:
                self.peak_vms_kernel = max(self.peak_vms_kernel, info.vms / 2 ** 20)
        for name, v in pss.items():
            self.peak_pss[name] = max(self.peak_pss.get(name, 0), v)
            self.peak_rss[name] = max(self.peak_rss.get(name, 0), rss[name])

    async def _loop(self) -> None:
        while True:
            await asyncio.to_thread(self.sample)
            await asyncio.sleep(1)

    def start(self) -> None:
        self.task = asyncio.ensure_future(self._loop())

    def stop(self) -> None:
        if self.task:
            self.task.cancel()


async def one_student(hub: ClassHub, name: str, lesson: str, moves: int) -> Run:
    run = Run(name)
    student = Student(hub.url, name, hub.passwords[name])
    try:
        t0 = time.perf_counter()
        await student.login()
        run.login_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        await student.start_server()
        run.server_start_s = time.perf_counter() - t1
        nb = await student.open_notebook(lesson)
        kid, kernel = await student.start_kernel(lesson)
        try:
            await run_lesson(kernel, nb, run, panel_moves=moves)
        finally:
            await kernel.close()
    except Exception as e:  # noqa: BLE001 - a failure is a result of the benchmark
        run.failure = f"{type(e).__name__}: {e}"
    finally:
        await student.close()
    return run


def failures(runs: list[Run]) -> list[str]:
    out = []
    for r in runs:
        if r.failure:
            out.append(f"{r.name}: {r.failure}")
        out += [f"{r.name}: cell error {e}" for e in r.cell_errors]
        if not r.failure and not r.checkpoints_ok:
            out.append(f"{r.name}: checkpoint output differs")
        if r.missed_moves:
            out.append(f"{r.name}: {r.missed_moves} moves without a new figure in 60 s")
    return out


async def class_run(n: int, lesson: str, moves: int, deadline_s: float) -> dict:
    hub = ClassHub(n)
    load_before = os.getloadavg()
    mem_before = psutil.virtual_memory().used / 2 ** 30
    try:
        hub.start()
        sampler = MemorySampler(hub)
        sampler.start()
        t0 = time.perf_counter()
        runs = await asyncio.wait_for(
            asyncio.gather(*(one_student(hub, s, lesson, moves) for s in hub.students)),
            deadline_s)
        wall = time.perf_counter() - t0
        sampler.sample()
        sampler.stop()
        mem_peak = psutil.virtual_memory().used / 2 ** 30
    finally:
        hub.stop()
    return {"n": n, "runs": runs, "wall_s": wall, "sampler": sampler,
            "load_before": load_before, "load_after": os.getloadavg(),
            "mem_used_before_GB": mem_before, "mem_used_end_GB": mem_peak}


def report(result: dict) -> None:
    runs, s = result["runs"], result["sampler"]
    ok = [r for r in runs if not r.failure]
    starts = [r.server_start_s for r in ok]
    lessons = [r.lesson_s for r in ok]
    moves = [m for r in ok for m in r.moves_ms]
    pss = list(s.peak_pss.values())
    rss = list(s.peak_rss.values())
    fails = failures(runs)
    lb, la = result["load_before"], result["load_after"]
    print(f"\n== {result['n']} students at once (wall {result['wall_s']:.0f} s; load average "
          f"before {lb[0]:.1f}/{lb[1]:.1f}/{lb[2]:.1f}, after {la[0]:.1f}/{la[1]:.1f}/{la[2]:.1f})")
    print(f"server start (login to ready), s: median {statistics.median(starts):.1f}, "
          f"p95 {pct(starts, 95):.1f}, max {max(starts):.1f}" if starts else "server start: none")
    print(f"run the lesson (all cells), s:   median {statistics.median(lessons):.1f}, "
          f"p95 {pct(lessons, 95):.1f}, max {max(lessons):.1f}" if lessons else "lesson: none")
    print(f"slider -> new figure, ms ({len(moves)} moves): median {pct(moves, 50):.0f}, "
          f"p95 {pct(moves, 95):.0f}, max {max(moves) if moves else float('nan'):.0f}")
    if pss:
        print(f"memory per student (server + kernel), MB: peak PSS median "
              f"{statistics.median(pss):.0f}, max {max(pss):.0f}; peak RSS median "
              f"{statistics.median(rss):.0f}, max {max(rss):.0f}; largest kernel address space "
              f"{s.peak_vms_kernel:.0f} MB")
    print(f"machine memory used: {result['mem_used_before_GB']:.1f} GB before, "
          f"{result['mem_used_end_GB']:.1f} GB at the end (all agents on the machine)")
    print(f"failures: {len(fails)}" + "".join(f"\n  - {f}" for f in fails))
    print(f"ROW | {result['n']} | {statistics.median(starts) if starts else float('nan'):.0f} "
          f"({max(starts) if starts else float('nan'):.0f}) | "
          f"{statistics.median(lessons) if lessons else float('nan'):.0f} "
          f"({max(lessons) if lessons else float('nan'):.0f}) | {pct(moves, 50):.0f} / "
          f"{pct(moves, 95):.0f} | {statistics.median(pss) if pss else float('nan'):.0f} "
          f"({max(pss) if pss else float('nan'):.0f}) | {len(fails)} | {lb[0]:.1f} |")


# ------------------------------------------------------------------------------------- faults


def kernel_process(hub: ClassHub, kid: str) -> psutil.Process | None:
    """The process of kernel ``kid`` (its connection file is named after the kernel's id)."""
    for p in hub.class_processes():
        try:
            if f"kernel-{kid}" in " ".join(p.cmdline()):
                return p
        except psutil.Error:
            continue
    return None


async def ready_student(hub: ClassHub, name: str) -> Student:
    s = Student(hub.url, name, hub.passwords[name])
    await s.login()
    await s.start_server()
    return s


async def fault_kernel_killed(hub: ClassHub, lesson: str) -> None:
    """Kill a kernel mid-lesson: it restarts, the saved notebook is intact, a rerun works."""
    s = await ready_student(hub, hub.students[0])
    try:
        nb = await s.open_notebook(lesson)
        kid, kernel = await s.start_kernel(lesson)
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        await kernel.execute(code[0]["source"])
        nb["cells"][0]["source"] = "# my notes before the crash\n" + nb["cells"][0]["source"]
        await s.save_notebook(lesson, nb)
        proc = kernel_process(hub, kid)
        t0 = time.perf_counter()
        running = asyncio.ensure_future(kernel.execute("import time; time.sleep(30)"))
        await asyncio.sleep(1)
        proc.kill()
        try:
            await running
            outcome = "cell finished (unexpected)"
        except ConnectionError as e:
            outcome = f"the running cell ended with '{e}'"
        # JupyterLab shows "restarting", then the kernel is back: wait for it on a new connection.
        await kernel.close()
        deadline = time.monotonic() + 120
        while True:
            model = await s.api("GET", f"/kernels/{kid}")
            if model["execution_state"] in ("idle", "starting") or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        kernel = await s.connect(kid)
        recovered_s = time.perf_counter() - t0
        saved = await s.open_notebook(lesson)
        intact = saved["cells"][0]["source"].startswith("# my notes before the crash")
        run = Run(s.name)
        await run_lesson(kernel, saved, run)
        await kernel.close()
        print(f"kernel killed mid-cell: {outcome}; same kernel id back in {recovered_s:.1f} s; "
              f"saved notebook with the student's edit intact: {intact}; rerun of all cells: "
              f"{run.cells} cells, {len(run.cell_errors)} errors, checkpoints "
              f"{'as stored' if run.checkpoints_ok else 'DIFFER'}")
    finally:
        await s.close()


async def fault_hub_restart(hub: ClassHub, lesson: str) -> None:
    """Kill the hub while two students work: no saved notebook lost, kernels keep running."""
    students = [await ready_student(hub, n) for n in hub.students[1:3]]
    try:
        kernels = []
        for s in students:
            nb = await s.open_notebook(lesson)
            nb["cells"][0]["source"] = f"# {s.name} was here\n" + nb["cells"][0]["source"]
            await s.save_notebook(lesson, nb)
            kernels.append((await s.start_kernel(lesson))[1])
        # Each student runs cells continuously while the hub goes down and comes back.
        done = asyncio.Event()
        counts = [0, 0]

        async def keep_working(i, kernel):
            while not done.is_set():
                out = await kernel.execute("sum(range(10**5))")
                counts[i] += bool(out)
                await asyncio.sleep(0.2)

        workers = [asyncio.ensure_future(keep_working(i, k)) for i, k in enumerate(kernels)]
        await asyncio.sleep(2)
        before = list(counts)
        down_s = await asyncio.to_thread(hub.restart_hub)
        after_restart = list(counts)
        await asyncio.sleep(2)
        done.set()
        await asyncio.gather(*workers)
        users = {u["name"]: u for u in hub.api("GET", "/users")}
        ok_servers = all((users[s.name].get("servers") or {}).get("", {}).get("ready")
                         for s in students)
        intact = []
        for s in students:
            saved = await s.open_notebook(lesson)
            intact.append(saved["cells"][0]["source"].startswith(f"# {s.name} was here"))
            saved["cells"][0]["source"] += "\n# saved after the restart"
            await s.save_notebook(lesson, saved)
        for k in kernels:
            await k.close()
        during = [a - b for a, b in zip(after_restart, before, strict=True)]
        later = [c - a for c, a in zip(counts, after_restart, strict=True)]
        print(f"hub killed (SIGKILL) and restarted in {down_s:.1f} s while 2 students ran cells: "
              f"cells run during the outage {during}, after it {later}; servers still "
              f"registered and ready: {ok_servers}; saved notebooks intact: {intact}; "
              f"saving after the restart works")
    finally:
        for s in students:
            await s.close()


async def fault_runaway(hub: ClassHub, lesson: str, moves: int = 10) -> None:
    """One student's infinite loop next to two students moving sliders: latency with and without."""
    names = hub.students[:3]
    students = [await ready_student(hub, n) for n in names]
    try:
        kernels = []
        panels = []
        for s in students[1:]:
            nb = await s.open_notebook(lesson)
            kid, k = await s.start_kernel(lesson)
            run = Run(s.name)
            await run_lesson(k, nb, run)
            kernels.append(k)
            panels.append(run)
        rogue_kid, rogue = await students[0].start_kernel("runaway.ipynb")

        async def slide(tag):
            out = []
            for k in kernels:
                r = Run(tag)
                # re-find the panel of this kernel and move it
                sliders = k.widgets(("FloatSliderModel", "IntSliderModel"))
                figure = k.image_widget(set())
                state = k.comms[sliders[0]]
                lo, hi = state["min"], state["max"]
                for i in range(moves):
                    v = lo + (hi - lo) * ((i % 5) + 1) / 7
                    try:
                        r.moves_ms.append(await k.move(sliders[0], v, figure))
                    except TimeoutError:
                        r.missed_moves += 1
                    await asyncio.sleep(0.3)
                out.append(r)
            return [m for r in out for m in r.moves_ms]

        base = await slide("baseline")
        loop = asyncio.ensure_future(rogue.execute("while True:\n    pass", timeout_s=600))
        await asyncio.sleep(3)
        proc = kernel_process(hub, rogue_kid)
        cpu0 = proc.cpu_times()
        t0 = time.monotonic()
        loaded = await slide("runaway")
        cpu1 = proc.cpu_times()
        share = (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / (time.monotonic() - t0)
        await students[0].api("POST", f"/kernels/{rogue_kid}/interrupt")
        try:
            await asyncio.wait_for(loop, 30)
            stopped = "interrupted (KeyboardInterrupt), kernel alive"
        except (TimeoutError, ConnectionError) as e:
            stopped = f"not interrupted: {e!r}"
        mem = await rogue.execute("x = bytearray(8 * 2**30)")
        mem_err = [o.get("ename") for o in mem if o["output_type"] == "error"]
        alive = await rogue.execute("print('still here')")
        await rogue.close()
        for k in kernels:
            await k.close()
        print(f"runaway loop: its kernel used {share:.2f} cores (cpu_limit {hub_cpu_limit()}); "
              f"the other students' slider -> figure, ms: median {pct(base, 50):.0f} -> "
              f"{pct(loaded, 50):.0f}, p95 {pct(base, 95):.0f} -> {pct(loaded, 95):.0f} "
              f"({len(base)} and {len(loaded)} moves); the loop was {stopped}")
        print(f"runaway allocation of 8 GiB: {mem_err or 'no error'} (mem_limit "
              f"{os.environ.get('TWITCH_MEM_LIMIT', '3G')}); the kernel then printed "
              f"{''.join(o.get('text', '') for o in alive).strip()!r}")
    finally:
        for s in students:
            await s.close()


def hub_cpu_limit() -> str:
    return os.environ.get("TWITCH_CPU_LIMIT", "1.0")


async def faults(lesson: str, deadline_s: float) -> None:
    hub = ClassHub(3)
    try:
        hub.start()
        load = os.getloadavg()
        print(f"== faults (3 students; load average {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f})")
        await asyncio.wait_for(fault_kernel_killed(hub, lesson), deadline_s / 3)
        await asyncio.wait_for(fault_hub_restart(hub, lesson), deadline_s / 3)
        await asyncio.wait_for(fault_runaway(hub, lesson), deadline_s / 3)
    finally:
        hub.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, nargs="+", default=[5, 10, 20])
    ap.add_argument("--lesson", default=DEFAULT_LESSON)
    ap.add_argument("--moves", type=int, default=8)
    ap.add_argument("--deadline", type=float, default=900, help="seconds per class size")
    ap.add_argument("--faults", action="store_true", help="run the fault scenarios instead")
    args = ap.parse_args(argv)
    if any(not 1 <= n <= 40 for n in args.students):
        raise SystemExit("--students: between 1 and 40 each")
    if not 1 <= args.moves <= 50:
        raise SystemExit("--moves: between 1 and 50")
    if args.faults:
        asyncio.run(faults(args.lesson, args.deadline))
        return 0
    print(f"lesson {args.lesson}, {args.moves} slider moves per student; "
          f"{os.cpu_count()} CPUs, {psutil.virtual_memory().total / 2 ** 30:.0f} GB")
    print("ROW | students | server start s median (max) | lesson s median (max) | "
          "slider->figure ms median / p95 | PSS MB per student median (max) | failures | load |")
    for n in args.students:
        report(asyncio.run(class_run(n, args.lesson, args.moves, args.deadline)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
