"""Every lesson follows the template of DESIGN.md, and its sources resolve.

These checks read the stored notebooks (no execution): structure, safety links, exercises,
quiz, checkpoints, figure alt text and captions, citations present in the bibliography.
The build (-W) separately fails on any unresolved reference, citation or glossary term.
"""

from __future__ import annotations

import re
from collections import Counter

import nbformat
import pytest

from tests.lessons import (
    ROOT,
    bib_keys,
    cited_keys,
    lesson_notebooks,
    markdown_text,
    page_sources,
    source_text,
)
from widgets.quiz import load_quiz

LESSONS = [p for p in lesson_notebooks() if p.exists()]
BIB_FILES = [ROOT / "book/references.bib"]


def all_bib_keys() -> list[str]:
    return [k for f in BIB_FILES if f.exists() for k in bib_keys(f)]


def test_bibliography_has_no_duplicate_keys():
    dupes = [k for k, n in Counter(all_bib_keys()).items() if n > 1]
    assert not dupes, f"duplicate BibTeX keys: {dupes}"


@pytest.mark.parametrize("page", page_sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_citation_key_is_in_the_bibliography(page):
    missing = cited_keys(source_text(page)) - set(all_bib_keys())
    assert not missing, f"{page.relative_to(ROOT)} cites keys not in references.bib: {missing}"


@pytest.fixture(params=LESSONS, ids=lambda p: p.stem)
def lesson(request):
    path = request.param
    return path, nbformat.read(path, as_version=4), markdown_text(path)


def test_header_question_time_and_disclaimer(lesson):
    path, _, md = lesson
    assert re.search(r"\*\*Question:?\*\*", md), f"{path.name}: no **Question:** line"
    assert re.search(r"\*\*Time:?\*\*\s*:?\s*\d+", md), f"{path.name}: no **Time:** estimate"
    assert "/book/disclaimer" in md, f"{path.name}: does not link the disclaimer"


def test_learning_objectives(lesson):
    path, _, md = lesson
    m = re.search(r"^## Learning objectives\s*\n(.*?)(?=^#)", md, re.S | re.M)
    assert m, f"{path.name}: no '## Learning objectives' section"
    bullets = re.findall(r"^\s*[-*]\s+\S", m.group(1), re.M)
    assert 3 <= len(bullets) <= 5, f"{path.name}: {len(bullets)} objectives (want 3-5)"


def test_exercises_with_dropdown_solutions_and_a_prediction(lesson):
    path, _, md = lesson
    exercises = re.findall(r"\{exercise\}", md)
    solutions = re.findall(r"\{solution\}[^\n]*\n(?::[a-z-]+:[^\n]*\n)*", md)
    assert len(exercises) >= 3, f"{path.name}: {len(exercises)} exercises (want >= 3)"
    assert len(solutions) >= len(exercises), f"{path.name}: an exercise has no solution"
    assert all(":class: dropdown" in s for s in solutions), \
        f"{path.name}: solution not in a dropdown"
    assert re.search(r"predict", md, re.I), f"{path.name}: no predict-before-you-run exercise"


def test_quiz_checkpoints_and_panel_cells(lesson):
    path, nb, _ = lesson
    code = [c for c in nb.cells if c.cell_type == "code"]
    tags = [set(c.metadata.get("tags", [])) for c in code]
    quiz = [c for c, t in zip(code, tags, strict=True) if "show_quiz(" in c.source]
    assert quiz, f"{path.name}: no self-check quiz"
    for c in quiz:
        assert "nbval-ignore-output" in c.metadata.get("tags", [])
        for name in re.findall(r"show_quiz\(\s*['\"]([^'\"]+)", c.source):
            assert len(load_quiz(name)) >= 3, f"{path.name}: quiz {name} has < 3 questions"
    assert any("nbval-check-output" in t for t in tags), f"{path.name}: no checkpoint cell"
    panels = [c for c in code if re.search(r"_panel\(", c.source)]
    assert panels, f"{path.name}: no interactive panel"
    for c in panels:
        assert "nbval-ignore-output" in c.metadata.get("tags", []), \
            f"{path.name}: panel cell not tagged nbval-ignore-output"
    first_panel = next(i for i, c in enumerate(code) if re.search(r"_panel\(", c.source))
    assert any("twin(" in c.source for c in code[:first_panel]), \
        f"{path.name}: no static twin above the first panel"


def test_figures_have_alt_text_and_captions(lesson):
    path, nb, _ = lesson
    for i, c in enumerate(nb.cells):
        if c.cell_type != "code" or not re.search(r"twin\(|plot_|figure", c.source):
            continue
        if re.search(r"_panel\(", c.source):
            continue  # panels carry alt text on their image
        meta = c.metadata.get("mystnb", {})
        alt = meta.get("image", {}).get("alt", "")
        caption = meta.get("figure", {}).get("caption", "")
        assert len(alt) > 20, f"{path.name} cell {i}: figure without meaningful alt text"
        assert len(caption) > 20, f"{path.name} cell {i}: figure without a caption"


def test_takeaways_try_this_and_citations(lesson):
    path, _, md = lesson
    assert re.search(r"^## Key takeaways", md, re.M), f"{path.name}: no Key takeaways"
    assert re.search(r"try this", md, re.I), f"{path.name}: no 'Try this' prompt"
    n = len(cited_keys(md))
    assert n >= 5, f"{path.name}: {n} distinct citations (want >= 5)"


@pytest.mark.parametrize("path", [p for p in LESSONS if "1-motor-unit" not in p.parts],
                         ids=lambda p: p.stem)
def test_lessons_on_symptoms_say_when_to_see_a_doctor(path):
    md = markdown_text(path)
    assert re.search(r"^## When to see a doctor", md, re.M | re.I), path.name
    for flag in ("weakness", "wasting"):
        assert flag in md.lower(), f"{path.name}: red flags do not mention {flag}"


def test_code_cells_are_short(lesson):
    path, nb, _ = lesson
    for i, c in enumerate(nb.cells):
        if c.cell_type == "code":
            n = len([ln for ln in c.source.splitlines() if ln.strip()])
            assert n <= 12, f"{path.name} cell {i}: {n} lines of code (move it into widgets/)"
