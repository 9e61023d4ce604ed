"""Launch buttons lead somewhere (issue 11.10), checked on the sources (no browser needed).

Colab opens a lesson straight from the repository with none of the course installed, so every
lesson's first code cell installs the course package, from the repository the book's launch
buttons point at (``repository.url`` in ``_config.yml``), and only when it is missing (so in
JupyterLab, under nbval and on Binder, whose ``postBuild`` installs it, the cell does nothing).
The cell is removed from the book (``remove-cell``). No placeholder JupyterHub: the button is
shown only when a hub is configured.
"""

from __future__ import annotations

import re

import nbformat
import pytest
import yaml

from tests.lessons import ROOT, lesson_notebooks

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
REPO = CONFIG["repository"]["url"]
LESSONS = [p for p in lesson_notebooks() if p.exists()]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_first_code_cell_installs_the_course_when_missing(path):
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "remove-cell" in first.metadata.get("tags", []), "install cell shows in the book"
    src = first.source
    assert re.search(r"^try:\n\s+import widgets", src, re.M), "does not test for the package"
    assert re.search(r"^except ImportError:\n\s+%pip install", src, re.M), \
        "does not install only when the import fails"
    url = re.search(r"git\+(\S+?)\"", src)
    assert url and url.group(1) == REPO, f"installs from {url and url.group(1)}, not {REPO}"
    assert '"twitch-course @ git+' in src, "the requirement does not name the package"
    name = re.search(r'^name = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert name and name.group(1) == "twitch-course"


def test_binder_installs_the_course_package():
    post = (ROOT / "binder/postBuild").read_text(encoding="utf-8")
    assert re.search(r"pip install .*-e \.", post), "Binder would need the install cell"


def test_no_placeholder_jupyterhub():
    hub = (CONFIG.get("launch_buttons") or {}).get("jupyterhub_url") or ""
    assert "example." not in hub, f"placeholder JupyterHub host: {hub}"
