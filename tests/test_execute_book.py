"""tools/execute_book.py: it runs what the book executes, and the build finds what it stored.

The script exists to save time (the lessons run on all cores before `jupyter-book build`), so
what can go wrong silently is (1) a lesson it does not run, which the build then runs alone, or
(2) a cached notebook myst-nb does not match, so the build runs everything again. Both are
checked here; the saving itself is measured by the build's log ("Using cached notebook").
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat

from tests.lessons import ROOT, lesson_notebooks, toc_files

spec = importlib.util.spec_from_file_location("execute_book", ROOT / "tools" / "execute_book.py")
execute_book = importlib.util.module_from_spec(spec)
spec.loader.exec_module(execute_book)


def test_it_runs_every_notebook_the_table_of_contents_names():
    expected = {ROOT / f"{f}.ipynb" for f in toc_files() if (ROOT / f"{f}.ipynb").exists()}
    assert set(execute_book.book_notebooks()) == expected
    assert set(lesson_notebooks()) <= expected and len(expected) >= 17


def test_it_uses_the_builds_timeout_and_error_setting():
    import yaml

    execute = yaml.safe_load((ROOT / "_config.yml").read_text())["execute"]
    assert execute_book.execution_settings() == (execute["timeout"], execute["allow_errors"])


def test_what_it_caches_is_what_myst_nb_matches(tmp_path: Path, monkeypatch, capsys):
    """A notebook run by the script's executor is found by the lookup myst-nb's cache mode does
    (`cache.match_cache_notebook` on the notebook as read), with the outputs it computed."""
    from jupyter_cache import get_cache

    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n- file: a\n")
    (tmp_path / "_config.yml").write_text("execute:\n  timeout: 30\n  allow_errors: false\n")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# A"),
                nbformat.v4.new_code_cell(
                    "import os; print(6 * 7, os.environ['TWITCH_BOOK_PANELS'])")]
    nbformat.write(nb, tmp_path / "a.ipynb")
    # the kernels see the build's TWITCH_BOOK_PANELS=1 (restored to unset after the test)
    monkeypatch.delenv("TWITCH_BOOK_PANELS", raising=False)
    cache_dir = tmp_path / "_build" / ".jupyter_cache"
    assert execute_book.main(["--cache", str(cache_dir), "--root", str(tmp_path)]) == 0
    assert "1 executed, 0 already cached, 0 failed" in capsys.readouterr().out

    as_read = nbformat.read(tmp_path / "a.ipynb", as_version=4)
    cache = get_cache(str(cache_dir))
    assert cache.match_cache_notebook(as_read) is not None
    _, merged = cache.merge_match_into_notebook(as_read)
    assert merged.cells[1].outputs[0]["text"] == "42 1\n"
    # a second run finds it cached and executes nothing
    assert execute_book.main(["--cache", str(cache_dir), "--root", str(tmp_path)]) == 0
    assert "0 executed, 1 already cached, 0 failed" in capsys.readouterr().out


def test_a_failing_lesson_fails_it_naming_the_file(tmp_path: Path, monkeypatch, capsys):
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n- file: bad\n")
    (tmp_path / "_config.yml").write_text("execute:\n  timeout: 30\n  allow_errors: false\n")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("raise ValueError('conc_mM must be >= 0')")]
    nbformat.write(nb, tmp_path / "bad.ipynb")
    monkeypatch.delenv("TWITCH_BOOK_PANELS", raising=False)
    assert execute_book.main(["--cache", str(tmp_path / "cache"), "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "FAILED" in err and "bad.ipynb" in err and "conc_mM must be >= 0" in err
