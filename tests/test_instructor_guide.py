"""The instructor guide's strand table has one column per lesson, in course order."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def _lesson_numbers() -> list[str]:
    out = []
    for path in sorted(ROOT.glob("lessons/*/*.ipynb")):
        part = re.match(r"(\d+)-", path.parent.name)
        lesson = re.match(r"(\d+)-", path.name)
        if part and lesson:
            out.append((int(part.group(1)), int(lesson.group(1))))
    return [f"{p}.{k}" for p, k in sorted(out)]


def test_strand_table_has_a_column_for_every_lesson():
    text = (ROOT / "book/instructor-guide.md").read_text()
    header = next(line for line in text.splitlines() if line.startswith("| Strand |"))
    columns = [c.strip() for c in header.strip("|").split("|")[1:]]
    assert columns == _lesson_numbers()
    rows = [line for line in text.splitlines() if line.startswith("| **")
            and text.index(header) < text.index(line)][:4]
    for row in rows:
        cells = [c.strip() for c in row.strip().strip("|").split("|")[1:]]
        assert len(cells) == len(columns), row[:40]
        assert set(cells) <= {"", "I", "P", "A"}, row[:40]
