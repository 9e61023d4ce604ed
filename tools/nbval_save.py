"""pytest plugin: keep each notebook nbval executed, with its outputs, for the book build.

``make test`` executes every lesson under nbval and then builds the book, which needs every
lesson executed once more for its pages: the same code in the same environment
(``TWITCH_BOOK_PANELS=1``, the notebook's own folder as the kernel's working directory), run twice.
With this plugin nbval writes each notebook it ran to ``--nbval-save DIR``, every code cell with
the outputs the kernel sent, and ``tools/execute_book.py --executed DIR`` puts them in the book's
execution cache instead of running the lessons again. The book then shows exactly the outputs
nbval checked.

A notebook is written only if it can stand in for the book's own execution:

* every one of its code cells ran and passed (none skipped, failed or timed out);
* its kernel sent nothing nbval does not record as an output (``clear_output`` and
  ``update_display_data``, which nbclient applies and nbval ignores).

Any other notebook is not written (``NAME.why`` says why), and ``execute_book.py`` executes it
as before.

Use (the Makefile's ``nbval`` target does)::

    PYTHONPATH=tools pytest -p nbval_save --nbval-save DIR --nbval-lax --nbval-current-env lessons/
"""

from __future__ import annotations

import copy
import time
from pathlib import Path

import nbformat
import pytest

#: iopub messages that change a cell's outputs in nbclient but that nbval drops
UNRECORDED = frozenset({"clear_output", "update_display_data"})
STATE = "_twitch_nbval_save"


def pytest_addoption(parser):
    parser.addoption("--nbval-save", metavar="DIR", default=None,
                     help="write each notebook nbval executed, with its outputs, into DIR")


def saved_name(path: Path) -> str:
    """The file a notebook is saved under: its absolute path, flattened into one name."""
    return str(Path(path).resolve()).strip("/").replace("/", "__")


ROOT = Path(__file__).resolve().parents[1]


def package_fingerprint(root: Path = ROOT) -> str:
    """A hash of every file of the course package (``widgets/``): the outputs of a notebook saved
    under one fingerprint are not used once the package has changed."""
    import hashlib

    digest = hashlib.sha1()
    for path in sorted((root / "widgets").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def language_info() -> dict:
    """What the kernel (ipykernel, this environment: ``--nbval-current-env``) reports about its
    language, as nbclient stores it in an executed notebook's metadata."""
    from ipykernel.ipkernel import IPythonKernel

    return copy.deepcopy(IPythonKernel.language_info)


def _file_state(notebook) -> dict:
    state = getattr(notebook, STATE, None)
    if state is None:
        state = {"outputs": {}, "ok": True, "unrecorded": set(), "start": time.perf_counter()}
        setattr(notebook, STATE, state)
        get_message = notebook.get_kernel_message

        def watching(*args, **kwargs):
            msg = get_message(*args, **kwargs)
            if msg.get("msg_type") in UNRECORDED:
                state["unrecorded"].add(msg["msg_type"])
            return msg

        notebook.get_kernel_message = watching
    return state


def _is_cell(item) -> bool:
    return type(item).__name__ == "IPyNbCell" and hasattr(item, "cell_num")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if item.config.getoption("nbval_save") and _is_cell(item):
        _file_state(item.parent)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if not (item.config.getoption("nbval_save") and _is_cell(item)):
        return
    report = outcome.get_result()
    state = _file_state(item.parent)
    if not report.passed:
        state["ok"] = False
    elif report.when == "call":
        state["outputs"][item.cell_num] = copy.deepcopy(item.test_outputs or [])


def pytest_runtest_teardown(item, nextitem):
    folder = item.config.getoption("nbval_save")
    if not folder or not _is_cell(item):
        return
    if nextitem is not None and nextitem.parent is item.parent:
        return
    notebook = item.parent
    state = _file_state(notebook)
    nb = copy.deepcopy(notebook.nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    why = None
    if not state["ok"]:
        why = "a cell failed or was skipped"
    elif state["unrecorded"]:
        why = f"its kernel sent {sorted(state['unrecorded'])}, which nbval does not record"
    elif sorted(state["outputs"]) != list(range(len(code))):
        why = "not every code cell ran"
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    target = out / saved_name(Path(str(notebook.fspath)))
    if why:  # execute_book.py reports this and executes the notebook itself
        target.with_name(target.name + ".why").write_text(why + "\n", encoding="utf-8")
        return
    for n, cell in enumerate(code):
        cell.outputs = state["outputs"][n]
        cell.execution_count = n + 1
        for output in cell.outputs:  # the kernel's own count (nbval's kernel starts elsewhere)
            if output.get("output_type") == "execute_result":
                output["execution_count"] = n + 1
    nb.metadata["language_info"] = language_info()
    nb.metadata["twitch_nbval"] = {"source": str(Path(str(notebook.fspath)).resolve()),
                                   "seconds": round(time.perf_counter() - state["start"], 1),
                                   "package": package_fingerprint()}
    tmp = target.with_suffix(".tmp")
    nbformat.write(nb, str(tmp))
    tmp.replace(target)
