"""Instructors' view: the lessons run live in JupyterLab, and the panels respond.

One JupyterLab server per session, headless, on 127.0.0.1 with a random token; its config,
runtime, workspace and settings folders live in a temporary directory, and a settings override
silences the news and update pop-ups. For one panel per part of the course, a test opens the
lesson in Chromium through Playwright (a fresh ``/lab/workspaces/<unique>/tree/...?reset`` URL),
waits for a kernel that is idle, runs all cells, moves one slider of the panel with the keyboard,
and asserts that the slider's readout changed and that the panel's figure (the base64 PNG in
its ``<img>``) changed within 2 s, as the issue asks. Kernels are shut down after each test.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.browser.conftest import ROOT, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# One flagship panel per part: (lesson, the call that displays the panel in its code cell).
PANELS = {
    "part1": ("lessons/1-motor-unit/2-resting-potential", "membrane_panel()"),
    "part2": ("lessons/2-benign-triggers/1-electrolytes", "electrolyte_panel()"),
    "part3": ("lessons/3-differential/2-motor-neuron-disease", "denervation_panel()"),
}
RESPONSE_LIMIT_MS = 2000  # the issue: "the figure changed ... within 2 s"
SETTINGS = {"@jupyterlab/apputils-extension/notification.jupyterlab-settings":
            {"fetchNews": "false", "checkForUpdates": False}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(base: str, token: str, path: str, method: str = "GET"):
    req = urllib.request.Request(f"{base}{path}", method=method,
                                 headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        body = r.read()
    return json.loads(body) if body else None


@pytest.fixture(scope="session")
def jupyter_lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving the repository; yields (base_url, token)."""
    tmp = tmp_path_factory.mktemp("jupyterlab")
    settings = tmp / "settings"
    for rel, values in SETTINGS.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), MPLBACKEND="Agg",
               NUMBA_CACHE_DIR=os.environ.get("NUMBA_CACHE_DIR",
                                              str(ROOT / "_build/numba-cache")))
    cmd = [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}",
           f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={tmp / 'ws'}",
           "--ServerApp.port_retries=0"]
    if hasattr(os, "getuid") and os.getuid() == 0:
        cmd.append("--allow-root")
    log = open(tmp / "lab.log", "w")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            _api(base, token, "/api/status")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.terminate()
                pytest.fail("JupyterLab did not start:\n" + (tmp / "lab.log").read_text()[-3000:])
            time.sleep(0.5)
    yield base, token
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture
def lab_page(browser, jupyter_lab):
    base, token = jupyter_lab
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(30000)
    yield page, base, token
    ctx.close()
    for session in _api(base, token, "/api/sessions") or []:
        _api(base, token, f"/api/sessions/{session['id']}", method="DELETE")


def _run_all_cells(page):
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()


@pytest.mark.parametrize("part", sorted(PANELS))
def test_panel_responds_live_in_jupyterlab(lab_page, part):
    page, base, token = lab_page
    lesson, call = PANELS[part]
    if not (ROOT / f"{lesson}.ipynb").exists():
        pytest.fail(f"{lesson}.ipynb does not exist (yet)")
    page.goto(f"{base}/lab/workspaces/{uuid.uuid4().hex}/tree/{lesson}.ipynb?reset&token={token}")
    # A kernel with a name, and idle, before "Run All".
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60000)
    page.wait_for_function("""() => {
        const k = document.querySelector('.jp-Toolbar-kernelName, .jp-KernelName');
        const s = document.querySelector('.jp-Notebook-ExecutionIndicator');
        return k && /python/i.test(k.textContent) && s && s.dataset.status === 'idle';
    }""", timeout=60000)
    _run_all_cells(page)
    # Every code cell has run (no "[*]" or empty prompt left) and the kernel is idle again.
    page.wait_for_function("""() => {
        const prompts = Array.from(document.querySelectorAll(
            '.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')).map(p => p.textContent.trim());
        const s = document.querySelector('.jp-Notebook-ExecutionIndicator');
        return prompts.length && prompts.every(p => /^\\[\\d+\\]:$/.test(p)) &&
            s && s.dataset.status === 'idle';
    }""", timeout=180000, polling=500)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                          " .ansi-red-fg, .jp-RenderedText[data-mime-type*='error']")
    assert errors.count() == 0, "a cell raised an error while running the lesson"

    cell = page.locator(".jp-CodeCell", has=page.locator(".jp-InputArea", has_text=call)).first
    panel = cell.locator(".jp-OutputArea")
    handle = panel.locator(".widget-slider [role='slider']").first
    readout = panel.locator(".widget-slider .widget-readout").first
    image = panel.locator("img[src^='data:image/png']").last
    handle.wait_for(state="visible", timeout=30000)
    image.wait_for(state="attached", timeout=30000)
    page.wait_for_function("el => el.textContent.trim() !== ''", arg=readout.element_handle())
    before_src, before_readout = image.get_attribute("src"), readout.text_content().strip()

    handle.scroll_into_view_if_needed()
    out = SCREENSHOTS / "live"
    out.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(out / f"{part}-before.png"))
    handle.focus()
    t0 = time.perf_counter()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    try:
        # The HTML widget replaces its <img> on every redraw: query it afresh on each poll.
        page.wait_for_function(
            """([area, old]) => {
                const imgs = area.querySelectorAll("img[src^='data:image/png']");
                const img = imgs[imgs.length - 1];
                return img && img.getAttribute('src') !== old;
            }""",
            arg=[panel.element_handle(), before_src], timeout=RESPONSE_LIMIT_MS, polling=20)
    except Exception:
        panel.screenshot(path=str(out / f"{part}-timeout.png"))
        pytest.fail(f"the figure did not change within {RESPONSE_LIMIT_MS} ms of moving the "
                    f"slider (readout {before_readout!r} -> {readout.text_content()!r})")
    first_change_ms = 1e3 * (time.perf_counter() - t0)
    # Let the last keypress finish redrawing, then judge the final state, not the first change.
    page.wait_for_timeout(500)
    after_src, after_readout = image.get_attribute("src"), readout.text_content().strip()
    panel.screenshot(path=str(out / f"{part}.png"))
    print(f"{part}: {lesson} {call}: readout {before_readout} -> {after_readout}, "
          f"first figure change after {first_change_ms:.0f} ms")
    assert after_readout != before_readout, "the slider's readout did not change"
    assert after_src != before_src, "the panel's figure did not change"
    assert after_src.startswith("data:image/png;base64,") and len(after_src) > 1000
