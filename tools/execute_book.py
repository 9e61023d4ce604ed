"""Fill the book's execution cache by running the lessons on all cores, before the book build.

``jupyter-book build`` in ``cache`` mode (``_config.yml``) executes every notebook that its
jupyter-cache does not hold, one after another. On a 2-core machine that left one core idle for
the ~5 min a fresh build spends executing the 17 lessons. This script runs the same execution
with jupyter-cache's own parallel executor (``local-parallel``: one kernel per core, each in the
notebook's own folder, as myst-nb's "local CWD") and stores each executed notebook in the cache
the build reads, so the build that follows finds every lesson cached and only renders. A lesson
the cache already holds (unchanged code cells) is not run again.

The kernels see what the build's kernels see: ``TWITCH_BOOK_PANELS=1`` (set by
``book/_ext/panels.py`` in the build), the timeout and ``allow_errors`` of ``_config.yml``.
If a lesson fails here the script exits non-zero with its traceback; the build would fail on it too.

``--executed DIR``: notebooks nbval has just executed (``tools/nbval_save.py``, the Makefile's
``nbval`` target). A lesson found there whose code cells are the lesson's current code cells is
cached with nbval's outputs instead of being run again; any other lesson is executed as above.

Run (the Makefile's ``book`` and ``book-test`` do):
    python tools/execute_book.py --cache _build/.jupyter_cache [--executed _build/test/nbval]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def book_notebooks(root: Path = ROOT) -> list[Path]:
    """The notebooks the book executes: the ``.ipynb`` files its table of contents names."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(str(node["file"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    found = []
    for name in files:
        path = root / name
        if path.suffix != ".ipynb":
            path = path.with_suffix(".ipynb")
        if path.exists():
            found.append(path)
    return found


def execution_settings(root: Path = ROOT) -> tuple[int, bool]:
    """The build's per-cell timeout (s) and ``allow_errors``, from ``_config.yml``."""
    execute = yaml.safe_load((root / "_config.yml").read_text()).get("execute", {})
    return int(execute.get("timeout", 30)), bool(execute.get("allow_errors", False))


def code_sources(nb) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def cache_executed(cache, notebooks: list[Path], folder: Path) -> list[Path]:
    """Cache each book notebook that nbval executed (``tools/nbval_save.py`` wrote it into
    ``folder``) with nbval's outputs; the notebooks cached this way.

    A saved notebook is used only if it is not stale: its code cells are, in order, the code
    cells of the notebook as the book reads it now, and the course package (``widgets/``) is
    the one nbval ran (same fingerprint)."""
    import nbformat
    from jupyter_cache.cache.db import NbCacheRecord
    from jupyter_cache.executors.utils import CacheBundleIn
    from nbval_save import package_fingerprint, saved_name

    used = []
    package = package_fingerprint()
    for path in notebooks:
        saved = folder / saved_name(path)
        why = saved.with_name(saved.name + ".why")
        if why.exists():
            print(f"execute_book: {path.name}: not saved by nbval, {why.read_text().strip()}")
        if not saved.exists():
            continue
        executed = nbformat.read(str(saved), as_version=4)
        project = cache.get_project_notebook(str(path))
        nb = project.nb
        if code_sources(executed) != code_sources(nb):
            print(f"execute_book: {path.name}: not used, its code changed since nbval ran it")
            continue
        if executed.metadata.get("twitch_nbval", {}).get("package") != package:
            print(f"execute_book: {path.name}: not used, widgets/ changed since nbval ran it")
            continue
        code = [cell for cell in executed.cells if cell.cell_type == "code"]
        for cell, done in zip((c for c in nb.cells if c.cell_type == "code"), code, strict=True):
            cell.outputs = done.outputs
            cell.execution_count = done.execution_count
        nb.metadata["language_info"] = executed.metadata["language_info"]
        seconds = executed.metadata.get("twitch_nbval", {}).get("seconds")
        bundle = CacheBundleIn(nb, str(path),
                               data={"execution_seconds": seconds, "executed_by": "nbval"})
        record = cache.cache_notebook_bundle(bundle, check_validity=True, overwrite=True)
        assert isinstance(record, NbCacheRecord)
        used.append(path)
    return used


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", required=True, help="the build's .jupyter_cache folder")
    parser.add_argument("--root", type=Path, default=ROOT, help="the book (default: this one)")
    parser.add_argument("--executed", type=Path, default=None,
                        help="notebooks nbval executed (tools/nbval_save.py): cache these instead")
    args = parser.parse_args(argv)

    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    os.environ.setdefault("TWITCH_BOOK_PANELS", "1")
    notebooks = book_notebooks(args.root)
    timeout, allow_errors = execution_settings(args.root)
    cache = get_cache(args.cache)
    for path in notebooks:
        cache.add_nb_to_project(str(path))
    from_nbval = []
    if args.executed is not None and args.executed.is_dir():
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from_nbval = cache_executed(cache, notebooks, args.executed)
        print(f"execute_book: {len(from_nbval)} of {len(notebooks)} notebooks cached "
              "with the outputs of nbval's run")
    logger = logging.getLogger("execute_book")
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    start = time.perf_counter()
    result = load_executor("local-parallel", cache=cache, logger=logger).run_and_cache(
        filter_uris=[str(p) for p in notebooks], timeout=timeout, allow_errors=allow_errors
    )
    elapsed = time.perf_counter() - start
    failed = list(result.excepted) + list(result.errored)
    print(f"execute_book: {len(result.succeeded)} executed, "
          f"{len(notebooks) - len(result.succeeded) - len(failed)} already cached, "
          f"{len(failed)} failed, in {elapsed:.0f} s on {os.cpu_count()} cores")
    for uri in failed:
        record = cache.get_project_record(uri)
        print(f"FAILED {uri}\n{record.traceback or '(no traceback recorded)'}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
