"""The working copy `make live` serves (tools/live_copy.py): readable, never clobbering edits.

Checks the copy `make live` serves: every Sphinx role and directive JupyterLab cannot show is
gone from every Markdown cell, every link it made points at a file of the copy, citations and
glossary terms carry the text of book/references.bib and the glossary pages, code cells are the
repository's, and a restart refreshes untouched lessons but keeps an instructor's edits.
"""

from __future__ import annotations

import posixpath
import re
import sys

import nbformat
import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import live_copy  # noqa: E402

SPHINX_ONLY = re.compile(r"\{(?:term|cite|cite:p|cite:t|doc|ref|numref)\}`|"
                         r"^(?:`{3,}|:{3,})\{(?:glossary|bibliography|include)\}", re.M)
HTML_LINK = re.compile(r'<a href="([^"]+)" title="([^"]*)">([^<]*)</a>')
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.fixture(scope="module")
def copy():
    return live_copy.build(ROOT)


def test_every_lesson_and_the_pages_it_links_are_in_the_copy(copy):
    lessons = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "lessons").glob("*/*.ipynb"))
    assert set(lessons) <= set(copy)
    for page in ("START-HERE.ipynb", "book/glossary.ipynb", "book/references.ipynb",
                 "book/disclaimer.ipynb"):
        assert page in copy


def test_no_sphinx_only_markup_left(copy):
    for rel, nb in copy.items():
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                found = SPHINX_ONLY.findall(cell.source)
                assert not found, f"{rel}: {found[:3]}"


def test_every_link_points_at_a_file_of_the_copy(copy):
    n = 0
    for rel, nb in copy.items():
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            targets = [m.group(1) for m in HTML_LINK.finditer(cell.source)]
            targets += [m.group(1) for m in MD_LINK.finditer(cell.source)
                        if not m.group(1).startswith(("http://", "https://", "#", "mailto:"))]
            for target in targets:
                path = posixpath.normpath(posixpath.join(posixpath.dirname(rel),
                                                         target.split("#")[0]))
                assert path in copy, f"{rel}: link to {target} ({path}) is not in the copy"
                n += 1
    assert n > 500  # the course has hundreds of citations, terms and cross-links


def test_code_cells_are_the_repositorys(copy):
    for path in (ROOT / "lessons").glob("*/*.ipynb"):
        original = nbformat.read(path, as_version=4)
        mine = copy[path.relative_to(ROOT).as_posix()]
        assert [c.source for c in original.cells if c.cell_type == "code"] == \
               [c.source for c in mine.cells if c.cell_type == "code"]
        assert [c.get("metadata", {}).get("tags") for c in original.cells] == \
               [c.get("metadata", {}).get("tags") for c in mine.cells]


def test_citation_shows_author_year_and_the_full_reference():
    course = live_copy.Course(ROOT)
    text = course.transform("as shown {cite}`reed1963,blexrud1993`.", "lessons/a/b")
    links = HTML_LINK.findall(text)
    assert [label for _, _, label in links] == ["Reed &amp; Kurland 1963", "Blexrud et al. 1993"]
    assert all(url == "../../book/references.ipynb" for url, _, _ in links)
    # the tooltip is the reference as book/references.bib gives it
    bib = (ROOT / "book/references.bib").read_text()
    assert "Muscle fasciculations in a healthy population" in bib
    assert "Muscle fasciculations in a healthy population" in links[0][1]
    assert text.startswith("as shown (<a ") and text.endswith("</a>).")


def test_latex_accents_in_names_become_letters():
    course = live_copy.Course(ROOT)
    labels = [label for label, _ in course.refs.values()]
    assert not [x for x in labels if "\\" in x or "{" in x or "'" in x]


def test_glossary_term_links_to_the_glossary_with_its_definition():
    glossary = (ROOT / "book/glossary.md").read_text()
    definition = re.search(r"^fasciculation\n((?:  .*\n)+)", glossary, re.M).group(1)
    first_words = " ".join(definition.split()[:6])
    course = live_copy.Course(ROOT)
    text = course.transform("A {term}`fasciculations <fasciculation>` here.", "lessons/a/b")
    (url, title, label), = HTML_LINK.findall(text)
    assert (url, label) == ("../../book/glossary.ipynb", "fasciculations")
    assert title.startswith("fasciculation: ") and first_words in title
    with pytest.raises(ValueError, match="unknown glossary term"):
        course.transform("{term}`no such term`", "lessons/a/b")


def test_doc_link_opens_the_other_notebook_with_its_title():
    course = live_copy.Course(ROOT)
    text = course.transform("See {doc}`/lessons/1-motor-unit/2-resting-potential`.",
                            "lessons/2-benign-triggers/1-electrolytes")
    target = nbformat.read(ROOT / "lessons/1-motor-unit/2-resting-potential.ipynb", as_version=4)
    heading = re.search(r"^# (.+)$", target.cells[0].source, re.M).group(1)
    assert text == f"See [{heading}](../1-motor-unit/2-resting-potential.ipynb)."


def _edit_code(path, new_source):
    nb = nbformat.read(path, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.source = new_source
    nbformat.write(nb, path)


def test_sync_refreshes_untouched_copies_and_keeps_edited_ones(tmp_path):
    report = live_copy.sync(ROOT, tmp_path)
    assert "lessons/2-benign-triggers/1-electrolytes.ipynb" in report.written
    assert not report.kept
    assert live_copy.sync(ROOT, tmp_path).written == []  # nothing changed

    # JupyterLab autosaved outputs into one lesson (sources untouched): refreshed on restart.
    saved = tmp_path / "lessons/1-motor-unit/1-motor-unit.ipynb"
    nb = nbformat.read(saved, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hello\n")]
    nbformat.write(nb, saved)
    # The instructor edited another: kept.
    edited = tmp_path / "lessons/2-benign-triggers/1-electrolytes.ipynb"
    _edit_code(edited, "print('my own example')")
    report = live_copy.sync(ROOT, tmp_path)
    assert report.written == ["lessons/1-motor-unit/1-motor-unit.ipynb"]
    assert report.kept == ["lessons/2-benign-triggers/1-electrolytes.ipynb"]
    assert "my own example" in edited.read_text()
    assert "hello" not in saved.read_text()

    # Asked to reset: replaced, the edited copy kept beside it.
    report = live_copy.sync(ROOT, tmp_path, reset=True)
    assert report.written == ["lessons/2-benign-triggers/1-electrolytes.ipynb"]
    assert "my own example" not in edited.read_text()
    backups = list(edited.parent.glob("1-electrolytes.ipynb.bak-*"))
    assert len(backups) == 1 and "my own example" in backups[0].read_text()


def test_warm_up_runs_once_per_state_of_the_sources(tmp_path, monkeypatch):
    """`make live` warms the caches in the background; with a stamp for these exact sources it
    does not run the lessons again, and any change to a module or a lesson warms again."""
    import live

    root = tmp_path / "repo"
    (root / "widgets").mkdir(parents=True)
    (root / "lessons").mkdir()
    (root / "widgets" / "m.py").write_text("x = 1\n")
    (root / "lessons" / "a.ipynb").write_text("{}")
    monkeypatch.delenv("TWITCH_CACHE_DIR", raising=False)
    assert live.warm_stamp(root) is None
    monkeypatch.setenv("TWITCH_CACHE_DIR", str(tmp_path / "cache"))
    first = live.warm_stamp(root)
    first.parent.mkdir(parents=True)
    first.write_text("lessons/a\nlessons/b")
    # with the stamp present nothing is executed (this root has no _toc.yml to read)
    assert live.warm(root) == ["lessons/a", "lessons/b"]
    (root / "lessons" / "a.ipynb").write_text('{"changed": 1}')
    assert live.warm_stamp(root) != first
    (root / "lessons" / "a.ipynb").write_text("{}")
    assert live.warm_stamp(root) == first
    (root / "widgets" / "m.py").write_text("x = 2\n")
    assert live.warm_stamp(root) != first


def test_every_lesson_cell_the_warm_up_runs_is_plain_python():
    """The warm-up executes lesson cells with plain ``exec``: a cell it runs must compile, or that
    lesson (and everything after the cell) is silently never warmed. The Colab install cell
    (``%pip``) once stopped every lesson at its first cell."""
    import live

    lessons = list(live.lesson_files(ROOT))
    assert len(lessons) >= 17
    for rel in lessons:
        nb = nbformat.read(ROOT / f"{rel}.ipynb", as_version=4)
        run = [c for c in nb.cells if c.cell_type == "code" and live.warms(c.source)]
        assert run, f"{rel}: the warm-up runs none of its cells"
        for cell in run:
            compile(cell.source, f"{rel}.ipynb", "exec")  # raises SyntaxError if not Python
    assert not live.warms('try:\n    import widgets\nexcept ImportError:\n    %pip install x\n')
