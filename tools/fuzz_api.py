"""The exhaustive API fuzz (issue 15): every public callable of widgets.models, hard.

``tests/test_api_fuzz.py`` samples a few examples per callable to fit in ``make test``; this
script runs the same checks (``tests/api_fuzz.py``) with many more examples and no time budget,
plus every corner of every declared box (all combinations of the low and high ends of up to
seven numeric parameters, the others at their defaults), and prints, per callable, how many
calls it made, the slowest call, and every broken promise. Exit status 1 if any.

    .venv/bin/python tools/fuzz_api.py                 # everything (tens of minutes)
    .venv/bin/python tools/fuzz_api.py --examples 50 --only motor_axon
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import matplotlib  # noqa: E402

matplotlib.use("Agg")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests import api_fuzz as af  # noqa: E402

v = af.v  # the validation module whose declarations the fuzz reads

MAX_CORNER_PARAMS = 7


def _ends(spec):
    """The low and high ends of a numeric spec (None if it has none); for an array with a
    size limit, the longest array at each end."""
    if isinstance(spec, v.Optional):
        return _ends(spec.spec)
    if isinstance(spec, v.Array) and spec.valid is not None and spec.max_size is not None \
            and spec.max_size <= 1000 and (spec.ndim is None or 1 in spec.ndim):
        ends = _ends(spec.valid)
        return [[x] * spec.max_size for x in ends] if ends else None
    if isinstance(spec, v.ValidRange):
        r, integer = spec, False
    elif isinstance(spec, v.Integer):
        r, integer = spec.valid, True
    else:
        return None
    ends = []
    lo, hi = r.low, r.high
    if r.low_open:
        lo = lo + 1 if integer else float(__import__("numpy").nextafter(float(lo), float(hi)))
    for x in (lo, hi):
        if abs(x) != float("inf"):
            ends.append(int(x) if integer else float(x))
    return ends or None


def corners(target):
    """Argument dicts at every combination of the ends of the numeric parameters."""
    base = af.typical_arguments(target)
    numeric = [(n, e) for n, s in target.api.specs.items() if (e := _ends(s))]
    numeric = numeric[:MAX_CORNER_PARAMS]
    for combo in itertools.product(*[e for _, e in numeric]):
        yield {**base, **dict(zip([n for n, _ in numeric], combo, strict=True))}


def fuzz(target, examples: int, use_corners: bool):
    problems: list[str] = []
    calls = 0
    slowest = (0.0, None)
    for name, bad, args in af.outside_cases(target):
        calls += 1
        p = af.check_rejected(target, bad, args)
        if p:
            problems.append(f"outside {name}: {p}")

    def inside(args):
        nonlocal calls, slowest
        calls += 1
        found, seconds = af.check_accepted(target, args)
        problems.extend(f"inside: {p}" for p in found)
        if seconds > slowest[0] and seconds != float("inf"):
            slowest = (seconds, v._short(args, 160))

    inside(af.typical_arguments(target))
    if use_corners:
        for args in corners(target):
            inside(args)
    owner = af.example(target.owner) if target.kind == "method" else None

    if examples > 0:
        @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(data=st.data())
        def run(data):
            inside(af.draw_arguments(data.draw, target.api, owner))

        run()
    return calls, slowest, problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=200, help="hypothesis examples per callable")
    ap.add_argument("--only", default="", help="only callables whose name contains this")
    ap.add_argument("--no-corners", action="store_true", help="skip the corners of the boxes")
    opts = ap.parse_args(argv)
    targets, undeclared = af.discover()
    for p in undeclared:
        print(f"UNDECLARED {p}")
    total_problems = len(undeclared)
    t_all = time.perf_counter()
    for target in targets:
        if opts.only not in target.name:
            continue
        t0 = time.perf_counter()
        calls, (slow_s, slow_args), problems = fuzz(target, opts.examples, not opts.no_corners)
        total_problems += len(problems)
        status = "ok" if not problems else f"{len(problems)} PROBLEMS"
        print(f"{target.name:55s} {calls:5d} calls {time.perf_counter() - t0:7.1f} s  slowest "
              f"{slow_s:6.2f} s  {status}", flush=True)
        if slow_s > 1.0:
            print(f"    slowest call: {slow_args}")
        for p in problems[:15]:
            print(f"    {p[:400]}")
    print(f"{total_problems} problems in {time.perf_counter() - t_all:.0f} s")
    return 1 if total_problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
