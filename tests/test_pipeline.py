"""The pipeline's own guarantees (issue: "Pipeline").

- Lessons are stored in the project's form (outputs only on checkpoint cells, no widget state,
  kernel ``python3``), and the strip tool produces that form.
- Bad input fails the build with a message naming the file: a notebook whose cell raises, a
  broken ``{ref}``, a missing citation key (each a real ``jupyter-book build -W`` of a one-page
  book using this project's _config.yml), and an image without alt text (tools/check_html.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.lessons import ROOT, lesson_notebooks

sys.path.insert(0, str(ROOT / "tools"))
import nbtool  # noqa: E402


def test_every_lesson_in_the_toc_exists():
    missing = [str(p.relative_to(ROOT)) for p in lesson_notebooks() if not p.exists()]
    assert not missing, f"lessons listed in _toc.yml but missing: {missing}"


def test_every_lesson_file_is_in_the_toc():
    listed = set(lesson_notebooks())
    stray = [str(p.relative_to(ROOT)) for p in (ROOT / "lessons").rglob("*.ipynb")
             if ".ipynb_checkpoints" not in p.parts and "_build" not in p.parts
             and p not in listed]
    assert not stray, f"notebooks in lessons/ that _toc.yml does not list: {stray}"


@pytest.mark.parametrize("path", lesson_notebooks(), ids=lambda p: p.stem)
def test_lesson_is_stored_clean(path):
    assert nbtool.problems(path) == []


def test_strip_keeps_only_checkpoint_text(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.metadata["kernelspec"] = {"name": "other", "display_name": "x", "language": "python"}
    plain = nbformat.v4.new_code_cell("1 + 1", execution_count=3)
    plain.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"},
                                            execution_count=3)]
    check = nbformat.v4.new_code_cell("print(2)", metadata={"tags": ["nbval-check-output"]})
    check.outputs = [nbformat.v4.new_output("stream", name="stdout", text="2\n"),
                     nbformat.v4.new_output("display_data", {"image/png": "AAAA",
                                                             "text/plain": "<Figure>"})]
    nb.cells = [plain, check]
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    assert len(nbtool.problems(path)) >= 3
    nbtool.main(["strip", str(path)])
    assert nbtool.problems(path) == []
    stored = nbformat.read(path, as_version=4)
    assert stored.cells[0].outputs == [] and stored.cells[0].execution_count is None
    assert stored.cells[1].outputs[0]["text"] == "2\n"
    assert list(stored.cells[1].outputs[1]["data"]) == ["text/plain"]
    assert "widgets" not in stored.metadata


def _mini_book(tmp_path: Path, page_name: str, page: str) -> subprocess.CompletedProcess:
    """Build a one-page book with the project's configuration; return the finished process."""
    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    (tmp_path / "book").mkdir()
    shutil.copytree(ROOT / "book/_ext", tmp_path / "book/_ext")
    shutil.copy(ROOT / "book/references.bib", tmp_path / "book/references.bib")
    (tmp_path / "book/_assets").mkdir()
    for sub in ("vendor", "css", "js"):
        (tmp_path / "book/_assets" / sub).symlink_to(ROOT / "book/_assets" / sub)
    shutil.copy(ROOT / "book/_assets/logo.svg", tmp_path / "book/_assets/logo.svg")
    (tmp_path / page_name).write_text(page, encoding="utf-8")
    stem = Path(page_name).stem
    (tmp_path / "_toc.yml").write_text(f"format: jb-book\nroot: {stem}\n", encoding="utf-8")
    return subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", "-W",
                           "--keep-going", str(tmp_path)], capture_output=True, text=True,
                          timeout=600)


def _notebook_json(source: str) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(nbtool.KERNELSPEC)
    nb.cells = [nbformat.v4.new_markdown_cell("# Broken lesson"), nbformat.v4.new_code_cell(source)]
    return json.dumps(nb)


BIBLIOGRAPHY = "\n```{bibliography}\n```\n"
BAD_PAGES = {
    "failing-cell": ("broken_lesson.ipynb", _notebook_json("raise RuntimeError('boom')")),
    "broken-ref": ("broken_ref.md", "# Page\n\nSee {ref}`no-such-label`.\n"),
    "missing-citation": ("missing_cite.md",
                         "# Page\n\nAs shown {cite}`nobody1900`.\n" + BIBLIOGRAPHY),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(BAD_PAGES))
def test_bad_input_fails_the_build_naming_the_file(tmp_path, case):
    name, page = BAD_PAGES[case]
    done = _mini_book(tmp_path, name, page)
    output = done.stdout + done.stderr
    assert done.returncode != 0, f"{case}: the build passed, should fail\n{output[-2000:]}"
    assert Path(name).stem in output, f"{case}: the failure does not name {name}\n{output[-2000:]}"


def test_good_page_builds(tmp_path):
    """Control for the test above: the same one-page book without the defect builds cleanly."""
    page = "# Page\n\nAs shown {cite}`fuglevand1993`, $x^2$.\n" + BIBLIOGRAPHY
    done = _mini_book(tmp_path, "fine.md", page)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]


def test_image_without_alt_fails_the_html_check_naming_the_file(tmp_path):
    (tmp_path / "index.html").write_text("<html><body><img src='a.png' alt='A plot'></body></html>")
    (tmp_path / "lesson.html").write_text("<html><body><img src='b.png'></body></html>")
    for name in ("a.png", "b.png"):  # the images exist: only the missing alt text is wrong
        (tmp_path / name).write_bytes(b"\x89PNG\r\n\x1a\n")
    done = subprocess.run([sys.executable, str(ROOT / "tools/check_html.py"), str(tmp_path),
                           "--no-browser"], capture_output=True, text=True)
    assert done.returncode == 1
    assert "lesson.html" in done.stdout and "alt" in done.stdout
    assert "1 problem(s)" in done.stdout
    assert "index.html:" not in done.stdout


def test_external_load_fails_the_html_check(tmp_path):
    (tmp_path / "index.html").write_text(
        "<html><head><script src='https://cdn.example.org/x.js'></script></head>"
        "<body><a href='https://example.org'>a link is fine</a></body></html>")
    done = subprocess.run([sys.executable, str(ROOT / "tools/check_html.py"), str(tmp_path),
                           "--no-browser"], capture_output=True, text=True)
    assert done.returncode == 1
    assert "index.html: <script> loads from another host" in done.stdout
    assert "example.org'>" not in done.stdout
