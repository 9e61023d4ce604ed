"""tools/nbval_save.py and execute_book.py --executed: the book built from nbval's run.

``make test`` builds the book from the outputs nbval recorded instead of executing every lesson a
second time. These tests hold that recording against an independent execution of the same
notebook by nbclient (what jupyter-cache and so the book's own build use), and check that a
notebook that cannot stand in for the book's execution is not used.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import execute_book  # noqa: E402
import nbval_save  # noqa: E402

CELLS = [
    "print('stdout line')\nimport sys\nprint('stderr line', file=sys.stderr)",
    "from IPython.display import HTML, display\ndisplay(HTML('<b>bold</b>'))\n6 * 7",
    "x = [i * i for i in range(4)]\nx",
]


def _notebook(path: Path, cells: list[str]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python",
                                 "name": "python3"}
    nb.cells = [nbformat.v4.new_markdown_cell("# A page")]
    nb.cells += [nbformat.v4.new_code_cell(src) for src in cells]
    nbformat.write(nb, str(path))
    return path


def _run_nbval(folder: Path, *notebooks: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tools.nbval_save",
         "--nbval-save", str(folder), "--nbval-lax", "--nbval-current-env",
         "--rootdir", str(notebooks[0].parent), *map(str, notebooks)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)


def _outputs(nb) -> list[list[dict]]:
    """Each code cell's outputs as nbformat JSON, streams merged as myst-nb merges them."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        merged: list[dict] = []
        for out in json.loads(json.dumps(cell.outputs)):
            if not out.get("metadata"):
                out.pop("metadata", None)
            if out["output_type"] == "stream" and merged and merged[-1].get("name") == out["name"]:
                merged[-1]["text"] += out["text"]
            else:
                merged.append(out)
        cells.append(merged)
    return cells


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    work = tmp_path_factory.mktemp("nbval_save")
    good = _notebook(work / "good.ipynb", CELLS)
    failing = _notebook(work / "failing.ipynb", ["1 + 1", "raise ValueError('no')"])
    clearing = _notebook(work / "clearing.ipynb", [
        "from IPython.display import clear_output\n"
        "print('first')\nclear_output()\nprint('second')"])
    out = work / "saved"
    result = _run_nbval(out, good, failing, clearing)
    return work, out, result


def test_a_notebook_nbval_ran_is_saved_with_the_outputs_nbclient_gives(saved):
    from nbclient import NotebookClient

    work, out, result = saved
    path = out / nbval_save.saved_name(work / "good.ipynb")
    assert path.exists(), result.stdout + result.stderr
    from_nbval = nbformat.read(str(path), as_version=4)
    independent = nbformat.read(str(work / "good.ipynb"), as_version=4)
    NotebookClient(independent, kernel_name="python3", resources={"metadata": {"path": str(work)}},
                   timeout=60).execute()
    assert _outputs(from_nbval) == _outputs(independent)
    assert [c.execution_count for c in from_nbval.cells if c.cell_type == "code"] == [1, 2, 3]
    assert from_nbval.metadata["language_info"]["pygments_lexer"] == (
        independent.metadata["language_info"]["pygments_lexer"])
    # the stream, HTML and plain results really are there (not two empty lists compared)
    flat = json.dumps(_outputs(from_nbval))
    assert "stdout line" in flat and "<b>bold</b>" in flat and "[0, 1, 4, 9]" in flat


def test_a_notebook_with_a_failing_cell_or_a_cleared_output_is_not_saved(saved):
    work, out, result = saved
    assert "1 failed" in result.stdout  # nbval itself still reports the failure
    for name, why in (("failing", "a cell failed"), ("clearing", "clear_output")):
        saved_as = out / nbval_save.saved_name(work / f"{name}.ipynb")
        assert not saved_as.exists()
        assert why in saved_as.with_name(saved_as.name + ".why").read_text()


def _cache_one(tmp_path, saved_folder, notebook):
    from jupyter_cache import get_cache

    cache = get_cache(str(tmp_path / "cache"))
    cache.add_nb_to_project(str(notebook))
    return cache, execute_book.cache_executed(cache, [notebook], saved_folder)


def test_the_book_finds_nbvals_outputs_in_its_cache(saved, tmp_path):
    work, out, _ = saved
    notebook = work / "good.ipynb"
    cache, used = _cache_one(tmp_path, out, notebook)
    assert used == [notebook]
    # the lookup myst-nb makes when it renders the page: the notebook as stored, matched by code
    _, merged = cache.merge_match_into_notebook(nbformat.read(str(notebook), as_version=4))
    assert "[0, 1, 4, 9]" in json.dumps(_outputs(merged))


def test_stale_outputs_are_not_used(saved, tmp_path, monkeypatch):
    work, out, _ = saved
    edited = tmp_path / "good.ipynb"
    saved_copy = tmp_path / "saved"
    saved_copy.mkdir()
    # the same notebook, its last cell's code edited after nbval ran it
    _notebook(edited, CELLS[:-1] + ["x = 1"])
    (saved_copy / nbval_save.saved_name(edited)).write_text(
        (out / nbval_save.saved_name(work / "good.ipynb")).read_text())
    assert _cache_one(tmp_path, saved_copy, edited)[1] == []
    # unchanged code, but the package changed since
    notebook = work / "good.ipynb"
    monkeypatch.setattr(nbval_save, "package_fingerprint", lambda root=None: "changed")
    assert _cache_one(tmp_path / "b", out, notebook)[1] == []


def test_the_package_fingerprint_follows_any_file_of_widgets(tmp_path):
    (tmp_path / "widgets" / "models").mkdir(parents=True)
    model = tmp_path / "widgets" / "models" / "m.py"
    model.write_text("A = 1\n")
    first = nbval_save.package_fingerprint(tmp_path)
    assert nbval_save.package_fingerprint(tmp_path) == first
    model.write_text("A = 2\n")
    assert nbval_save.package_fingerprint(tmp_path) != first

