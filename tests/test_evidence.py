"""The evidence files (book/evidence/*.yml): every lesson's claims and typed numbers, checked.

Schema and rules: book/evidence/README.md. Each lesson has a file that lists the factual claims
it cites (with the source keys and where in the source each claim is stated) and every model
number typed into its prose, solutions or quiz feedback, with an expression that re-derives it
from the package. These tests fail when the lesson and its evidence disagree (a citation added
or removed on one side only), when a listed text is no longer in the lesson, or when the model
no longer gives the number the prose states. No browser, no notebook execution.
"""

from __future__ import annotations

import functools
import importlib
import json
import math
import numbers
import operator
import pkgutil
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
import yaml

from tests.lessons import ROOT, bib_keys, cited_keys, lesson_notebooks, source_text

EVIDENCE_DIR = ROOT / "book/evidence"
QUIZ_DIR = ROOT / "widgets/quizzes"
LESSONS = lesson_notebooks()

# Lessons whose evidence file is still being written (issue 12). Strict xfail: as soon as the
# file exists, the test XPASSes and fails, so the lesson must be removed from this set.
PENDING: set[str] = set()

TOP_FIELDS = {"lesson", "claims", "numbers", "setup"}
CLAIM_FIELDS = {"claim", "keys", "where", "checked", "note"}
NUMBER_FIELDS = {"text", "expr", "check", "equals", "fmt", "note"}
COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
           "==": operator.eq}
CONDITION = re.compile(r"^\s*(<=|>=|==|<|>)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$")
QUIZ_CALL = re.compile(r"show_quiz\(\s*['\"]([^'\"]+)['\"]")


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def evidence_path(lesson: Path) -> Path:
    """``lessons/2-benign-triggers/1-electrolytes.ipynb`` -> ``book/evidence/2-1-electrolytes.yml``.
    """
    part = lesson.parent.name.split("-")[0]
    return EVIDENCE_DIR / f"{part}-{lesson.stem}.yml"


def squash(text: str) -> str:
    """Whitespace runs as one space, so prose wrapped over lines still matches."""
    return re.sub(r"\s+", " ", text).strip()


@functools.cache
def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{rel(path)}: not a YAML mapping"
    return data


def quiz_strings(questions: list[dict]) -> list[str]:
    out = []
    for q in questions:
        out.append(str(q.get("question", "")))
        for a in q.get("answers", []):
            out += [str(a.get("answer", "")), str(a.get("feedback", ""))]
    return out


@functools.cache
def lesson_corpus(lesson: Path) -> str:
    """Every cell of the lesson, then the text of every quiz it shows, whitespace squashed."""
    nb = nbformat.read(lesson, as_version=4)
    parts = [c.source for c in nb.cells]
    for name in QUIZ_CALL.findall("\n".join(c.source for c in nb.cells if c.cell_type == "code")):
        quiz = QUIZ_DIR / f"{name}.json"
        if quiz.exists():
            parts += quiz_strings(json.loads(quiz.read_text(encoding="utf-8")))
    return squash("\n".join(parts))


@functools.cache
def models_namespace() -> dict:
    """``m`` = widgets.models with every submodule imported (so ``m.motor_axon`` works)."""
    import widgets.models as m

    for info in pkgutil.iter_modules(m.__path__):
        importlib.import_module(f"widgets.models.{info.name}")
    return {"m": m, "np": np, "math": math}


@functools.cache
def evaluation_namespace(path: Path) -> dict:
    ns = dict(models_namespace())
    setup = load(path).get("setup")
    if setup:
        exec(compile(setup, f"{rel(path)}:setup", "exec"), ns)  # noqa: S102 - our own data
    return ns


EVIDENCE_FILES = sorted(EVIDENCE_DIR.glob("*.yml"))


def number_cases() -> list[tuple[Path, int]]:
    cases = []
    for path in EVIDENCE_FILES:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")).get("numbers") or []
        cases += [(path, i) for i in range(len(entries))]
    return cases


NUMBER_CASES = number_cases()


# ------------------------------------------------------------------------------ coverage

@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: rel(p))
def test_every_lesson_has_an_evidence_file(lesson):
    if rel(lesson) in PENDING:
        if not evidence_path(lesson).exists():
            pytest.xfail(reason="evidence file still being written (issue 12)")
        pytest.fail(f"{rel(evidence_path(lesson))} exists now: remove {rel(lesson)} from "
                    "PENDING in tests/test_evidence.py")
    assert evidence_path(lesson).exists(), f"{rel(lesson)} has no {rel(evidence_path(lesson))}"


@pytest.mark.parametrize("path", EVIDENCE_FILES, ids=lambda p: p.name)
def test_evidence_file_names_its_lesson(path):
    lesson = load(path).get("lesson")
    assert isinstance(lesson, str), f"{path.name}: no 'lesson:'"
    assert ROOT / lesson in LESSONS, f"{path.name}: lesson {lesson!r} is not a lesson in _toc.yml"
    assert evidence_path(ROOT / lesson) == path, \
        f"{path.name}: the file for {lesson} must be named {evidence_path(ROOT / lesson).name}"


# ------------------------------------------------------------------------------ schema

@pytest.mark.parametrize("path", EVIDENCE_FILES, ids=lambda p: p.name)
def test_schema(path):
    data = load(path)
    extra = set(data) - TOP_FIELDS
    assert not extra, f"{path.name}: unknown top-level fields {sorted(extra)}"
    claims = data.get("claims")
    assert isinstance(claims, list) and claims, f"{path.name}: 'claims' must be a non-empty list"
    bib = set(bib_keys(ROOT / "book/references.bib"))
    for i, c in enumerate(claims):
        where = f"{path.name} claims[{i}]"
        assert isinstance(c, dict), f"{where}: not a mapping"
        assert not set(c) - CLAIM_FIELDS, f"{where}: unknown fields {sorted(set(c) - CLAIM_FIELDS)}"
        for field in ("claim", "where"):
            assert isinstance(c.get(field), str) and c[field].strip(), f"{where}: no '{field}'"
        keys = c.get("keys")
        assert isinstance(keys, list) and keys and all(isinstance(k, str) for k in keys), \
            f"{where}: 'keys' must be a non-empty list of citation keys"
        missing = [k for k in keys if k not in bib]
        assert not missing, f"{where}: keys not in book/references.bib: {missing}"
        assert isinstance(c.get("checked"), bool), f"{where}: 'checked' must be true or false"
        if not c["checked"]:
            assert str(c.get("note", "")).strip(), f"{where}: unchecked claim without a note"
    setup = data.get("setup")
    assert setup is None or isinstance(setup, str), f"{path.name}: 'setup' must be a string"
    nums = data.get("numbers") or []
    assert isinstance(nums, list), f"{path.name}: 'numbers' must be a list"
    for i, n in enumerate(nums):
        where = f"{path.name} numbers[{i}]"
        assert isinstance(n, dict), f"{where}: not a mapping"
        assert not set(n) - NUMBER_FIELDS, \
            f"{where}: unknown fields {sorted(set(n) - NUMBER_FIELDS)}"
        for field in ("text", "expr"):
            assert isinstance(n.get(field), str) and n[field].strip(), f"{where}: no '{field}'"
        has_check, has_equals = "check" in n, "equals" in n
        assert has_check != has_equals, f"{where}: give exactly one of 'check' or 'equals'"
        if has_check:
            conditions = str(n["check"]).split(" and ")
            bad = [s for s in conditions if not CONDITION.match(s)]
            assert not bad, f"{where}: check {n['check']!r}: cannot read {bad} (e.g. '> 20')"
        else:
            assert isinstance(n["equals"], str), f"{where}: 'equals' must be a quoted string"
            assert isinstance(n.get("fmt"), str), f"{where}: 'equals' needs 'fmt' (e.g. '.1f')"


# ------------------------------------------------------------------------------ citations

@pytest.mark.parametrize("path", EVIDENCE_FILES, ids=lambda p: p.name)
def test_evidence_keys_are_the_lessons_citations(path):
    data = load(path)
    lesson = ROOT / data["lesson"]
    in_lesson = cited_keys(source_text(lesson))
    in_evidence = {k for c in data.get("claims") or [] for k in c.get("keys") or []}
    not_recorded = sorted(in_lesson - in_evidence)
    not_cited = sorted(in_evidence - in_lesson)
    assert not not_recorded, f"{data['lesson']} cites {not_recorded}, absent from {path.name}"
    assert not not_cited, f"{path.name} lists {not_cited}, which {data['lesson']} does not cite"


# ------------------------------------------------------------------------------ numbers

def satisfies(value: float, check: str) -> bool:
    for condition in check.split(" and "):
        op, bound = CONDITION.match(condition).groups()
        if not COMPARE[op](value, float(bound)):
            return False
    return True


@pytest.mark.parametrize("case", NUMBER_CASES, ids=lambda c: f"{c[0].stem}:numbers[{c[1]}]")
def test_number_in_the_lesson_is_what_the_model_gives(case):
    path, i = case
    data = load(path)
    entry = data["numbers"][i]
    where = f"{path.name} numbers[{i}] ({entry['text']!r})"
    lesson = ROOT / data["lesson"]
    assert squash(entry["text"]) in lesson_corpus(lesson), \
        f"{where}: this text is not in {data['lesson']} or its quizzes"
    ns = dict(evaluation_namespace(path))
    value = eval(compile(entry["expr"], where, "eval"), ns)  # noqa: S307 - our own data
    assert isinstance(value, numbers.Real) and not isinstance(value, bool), \
        f"{where}: expr gave {value!r}, not a real number"
    value = float(value)
    assert math.isfinite(value), f"{where}: expr gave {value}"
    if "check" in entry:
        assert satisfies(value, entry["check"]), \
            f"{where}: the model gives {value:.6g}, which fails '{entry['check']}'"
    else:
        shown = format(value, entry["fmt"])
        assert shown == entry["equals"], \
            f"{where}: the model gives {shown} (fmt {entry['fmt']}), " \
            f"the lesson says {entry['equals']}"


# ------------------------------------------------------------------------------ the promise

WELCOME = ROOT / "book/welcome.md"
PROMISE = "numbers typed into the text, the exercise solutions and the quizzes are recomputed"


def test_welcome_promise_is_backed_by_evidence_files():
    """The welcome page promises that typed model numbers are recomputed by this test.

    That holds only if every lesson has an evidence file (the file is where its typed numbers
    are listed); while lessons are still pending, the promise is not yet kept for them.
    """
    text = squash(WELCOME.read_text(encoding="utf-8"))
    assert PROMISE in text, "book/welcome.md no longer states the promise this test checks"
    missing = [rel(p) for p in LESSONS if not evidence_path(p).exists()]
    if missing and set(missing) <= PENDING:
        pytest.xfail(reason=f"evidence files still being written for {len(missing)} lessons")
    assert not missing, f"the welcome page's promise is false for {missing}"
