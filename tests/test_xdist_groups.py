"""`make test-browser` keeps the tests of one page on one worker: check the tools really do.

The browser tests visit each page once per theme and viewport and cache the visit per worker;
``tests/browser/conftest.py`` marks the tests of a page with ``xdist_group`` in
``pytest_collection_modifyitems`` and the Makefile runs them with ``--dist loadgroup``. With
pytest 9.2 and pytest-xdist 3.8 that grouping silently stopped (pytest-dev/pytest-xdist#1386):
nothing failed, every page was simply visited on both workers. This runs a small suite with that
hook and the installed pytest and xdist, the same way, and fails if a group is split.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CONFTEST = f'''
import sys
sys.path.insert(0, {str(ROOT)!r})
# the hook the browser tests use, itself (not a copy)
from tests.browser.conftest import pytest_collection_modifyitems  # noqa: F401
'''
TESTS = {
    "test_live_lab.py": ("import pytest\n@pytest.mark.parametrize('i', range(6))\n"
                       "def test_m(i): pass\n"),
    "test_pages.py": ("import pytest\n@pytest.mark.parametrize('rel', ['a', 'b', 'c'])\n"
                      "@pytest.mark.parametrize('i', range(3))\ndef test_p(rel, i): pass\n"),
    "test_free.py": "import pytest\n@pytest.mark.parametrize('i', range(8))\ndef test_f(i): pass\n",
}
LINE = re.compile(r"^\[(gw\d+)\] .*PASSED (\S+)", re.M)


def test_loadgroup_keeps_each_group_on_one_worker(tmp_path):
    (tmp_path / "conftest.py").write_text(textwrap.dedent(CONFTEST))
    for name, text in TESTS.items():
        (tmp_path / name).write_text(text)
    run = subprocess.run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider",
                          "-n", "2", "--dist", "loadgroup", str(tmp_path)],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    ran = LINE.findall(run.stdout)
    assert len(ran) == 6 + 9 + 8, run.stdout[-2000:]
    workers: dict[str, set[str]] = {}
    for worker, nodeid in ran:
        if "test_live_lab.py" in nodeid:
            group = "module"
        elif "test_pages.py" in nodeid:
            group = "page " + re.search(r"-(\w)\]", nodeid).group(1)
        else:
            continue
        workers.setdefault(group, set()).add(worker)
    assert set(workers) == {"module", "page a", "page b", "page c"}
    split = {g: sorted(w) for g, w in workers.items() if len(w) > 1}
    assert not split, f"groups run on more than one worker: {split}"
