"""The engine's public API under hostile input (issue 15), tested by the project itself.

Every public function, method and class of :mod:`widgets.models` declares its parameters
(``@validated``, ``@input_type``, ``@result_type`` in :mod:`widgets.models.validation`).
From those declarations this test

1. fails if a public function, method or class has no declaration;
2. calls every one with each parameter in turn set just outside its range (beyond each
   bound, NaN, inf, 10**400, wrong types and shapes) and expects ``ValueError`` naming the
   parameter, and its range for an out-of-range number (``ArgumentTypeError`` for a wrong
   type is a ``TypeError`` and a ``ValueError``);
3. draws arguments inside the declared ranges (hypothesis, derandomized) and expects no
   exception other than a declared joint condition, no NaN or inf in the result (or any
   property of a result object) unless the declaration documents it, and no call longer than
   ``DEADLINE_S`` of CPU time.

This is the sampled version that fits in ``make test``: a few examples per callable within a
time budget per callable. ``tools/fuzz_api.py`` runs the exhaustive version (many more
examples, every corner of every declared box, timings).
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import api_fuzz as af

TARGETS, PROBLEMS = af.discover()
#: Examples drawn inside the ranges per callable, and the CPU-time budget per callable (s):
#: once the budget is spent, the remaining examples are skipped (slow callables get fewer).
EXAMPLES = 10
BUDGET_S = 1.0


def test_every_public_callable_declares_its_ranges():
    assert not PROBLEMS, "\n".join(PROBLEMS)


def test_discovery_finds_the_whole_api():
    """The discovery is not vacuous: it finds the API the lessons use, of every kind."""
    names = {t.name for t in TARGETS}
    for expected in ("motor_axon.simulate", "ectopic.spontaneous_rate_hz",
                     "motor_units.FuglevandPool", "motor_units.FuglevandPool.simulate_force",
                     "exercise.ExerciseResult.interstitial_at", "ions.ReferenceRange",
                     "base_rates.population_tree", "movements.event_features"):
        assert expected in names
    assert {t.kind for t in TARGETS} == {"function", "method", "constructor"}
    assert len(TARGETS) >= 80


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_outside_the_declared_ranges_raises_valueerror_naming_the_parameter(target):
    problems = []
    n = 0
    for name, bad, args in af.outside_cases(target):
        n += 1
        problem = af.check_rejected(target, bad, args)
        if problem:
            problems.append(f"{name} {problem}")
    assert n > 0 or not target.api.specs
    assert not problems, f"{target}: " + "\n".join(problems[:20])


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_inside_the_declared_ranges_finite_and_in_time(target):
    problems: list[str] = []
    spent = [0.0]
    owner = af.example(target.owner) if target.kind == "method" else None

    # Problems are collected, not raised, so that hypothesis never replays an example (the
    # time budget would make a replay differ); the examples are derandomized, so a rerun
    # draws the same ones, and each problem names its arguments.
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data):
        args = af.draw_arguments(data.draw, target.api, owner)  # always draw: replays agree
        if spent[0] > BUDGET_S:
            return
        t0 = time.process_time()
        found, _ = af.check_accepted(target, args)
        spent[0] += time.process_time() - t0
        problems.extend(found)

    run()
    assert not problems, f"{target}: " + "\n".join(problems[:10])


def test_typical_arguments_are_accepted():
    """The deterministic arguments the outside cases start from are themselves valid."""
    for target in TARGETS:
        args = af.typical_arguments(target)
        problems, _ = af.check_accepted(target, args)
        assert not problems, f"{target}: {problems}"
