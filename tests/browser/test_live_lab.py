"""Instructors' view: the lessons as `make live` serves them in JupyterLab, driven in Chromium.

The server is started by ``make live`` itself (``tools/live.py``: same script, same environment
for the server and its kernels), with a temporary working copy (``LIVE_DIR``), no browser, and a
5 s autosave interval so the test can wait past it. For one lesson per part, a test opens the
lesson's working copy at 1280 px, runs all cells and checks what an instructor sees:

- every static twin shows as an image (no ``<Figure size ...>`` text);
- no raw MyST (``{term}``, ``{cite}``, ``{doc}``, ``:::``, ``:class:``) is visible;
- every solution and "reasoning" drop-down is collapsed;
- every slider's track is at least 120 px wide;
- moving the panel's first slider with the keyboard changes its readout and its figure;
- no console error, and no request leaves 127.0.0.1;
- after the autosave interval has passed, JupyterLab has saved the working copy and the
  repository's ``git status`` is what it was before the server started (clean in CI).

A last test checks the newcomer's start: one printed line with the URL and token, the course's
start page opens with a link to every lesson, no news or update pop-up, and the kernels (on IPC
sockets) print no transport-encryption warning.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.request
import uuid

import nbformat
import pytest

from tests.browser.conftest import ROOT, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# One lesson per part: (lesson, the call that displays its panel in a code cell).
LESSONS = {
    "part1": ("lessons/1-motor-unit/2-resting-potential", "membrane_panel()"),
    "part2": ("lessons/2-benign-triggers/1-electrolytes", "electrolyte_panel()"),
    "part3": ("lessons/3-differential/6-reasoning-under-uncertainty", "base_rate_panel()"),
}
AUTOSAVE_S = 5
MIN_TRACK_PX = 120
RESPONSE_LIMIT_MS = 2000
RAW_MYST = re.compile(r"\{(?:term|cite|doc|ref|numref|eq|glossary)\}|^\s*:::|^\s*```|"
                      r":class:|:label:", re.M)
URL_LINE = re.compile(r"^Twitch live: (http://127\.0\.0\.1:(\d+)/lab/tree/START-HERE\.ipynb"
                      r"\?token=(\w+))", re.M)


def _git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout


def _api(base: str, token: str, path: str, method: str = "GET"):
    req = urllib.request.Request(f"{base}{path}", method=method,
                                 headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        body = r.read()
    return json.loads(body) if body else None


@pytest.fixture(scope="session")
def live_lab(tmp_path_factory):
    """``make live`` on a temporary working copy; yields a dict with base, token, dir, log."""
    tmp = tmp_path_factory.mktemp("live")
    live_dir = tmp / "working-copy"
    log_path = tmp / "make-live.log"
    status_before = _git_status()
    log = open(log_path, "w")  # noqa: SIM115 (closed below)
    cmd = ["make", "--no-print-directory", "live", f"LIVE_DIR={live_dir}",
           f"LIVE_ARGS=--no-browser --autosave-interval {AUTOSAVE_S}"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + 180
    match = None
    while match is None:
        match = URL_LINE.search(log_path.read_text())
        if match is None:
            if proc.poll() is not None or time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGTERM)
                pytest.fail("make live did not print its URL:\n" + log_path.read_text()[-3000:])
            time.sleep(0.5)
    url, port, token = match.groups()
    yield {"url": url, "base": f"http://127.0.0.1:{port}", "token": token, "dir": live_dir,
           "log": log_path, "status_before": status_before}
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


class Watched:
    """A page whose console errors and requests to other hosts are recorded (and blocked)."""

    def __init__(self, context, base: str):
        self.errors: list[str] = []
        self.external: list[str] = []
        self.page = context.new_page()
        self.page.set_default_timeout(30000)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", lambda route: self._route(route, base))

    def _route(self, route, base):
        url = route.request.url
        if url.startswith((base, "data:", "blob:")):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()


@pytest.fixture
def lab_page(browser, live_lab):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    watched = Watched(ctx, live_lab["base"])
    yield watched, live_lab
    ctx.close()
    for session in _api(live_lab["base"], live_lab["token"], "/api/sessions") or []:
        _api(live_lab["base"], live_lab["token"], f"/api/sessions/{session['id']}",
             method="DELETE")


def _open(page, lab, path: str) -> None:
    page.goto(f"{lab['base']}/lab/workspaces/{uuid.uuid4().hex}/tree/{path}"
              f"?reset&token={lab['token']}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60000)


def _wait_kernel_idle(page) -> None:
    try:
        page.wait_for_function("""() => {
            const k = document.querySelector('.jp-Toolbar-kernelName, .jp-KernelName');
            const s = document.querySelector('.jp-Notebook-ExecutionIndicator');
            return k && /python/i.test(k.textContent) && s && s.dataset.status === 'idle';
        }""", timeout=180000)
    except Exception:
        (SCREENSHOTS / "live").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "live" / "kernel-timeout.png"))
        raise


def _run_all(page) -> None:
    """Run > Run All Cells, then wait until every code cell has an execution count."""
    all_done = """() => {
        const p = Array.from(document.querySelectorAll(
            '.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')).map(x => x.textContent.trim());
        const s = document.querySelector('.jp-Notebook-ExecutionIndicator');
        return p.length && p.every(x => /^\\[\\d+\\]:$/.test(x)) && s &&
            s.dataset.status === 'idle';
    }"""
    started = """() => Array.from(document.querySelectorAll(
        '.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')).some(x => /\\[[\\d*]+\\]/.test(
        x.textContent))"""
    for _ in range(3):  # a click that lands while the kernel is still connecting does nothing
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            page.wait_for_function(started, timeout=10000)
            break
        except Exception:  # noqa: BLE001 - try the menu again
            page.keyboard.press("Escape")
    page.wait_for_function(all_done, timeout=400000, polling=500)


def _slider_tracks_px(area) -> list[float]:
    return area.evaluate("""el => Array.from(el.querySelectorAll(
        '.widget-slider .slider-container')).map(s => s.getBoundingClientRect().width)""")


@pytest.mark.parametrize("part", sorted(LESSONS))
def test_lesson_runs_live(lab_page, part):
    watched, lab = lab_page
    page = watched.page
    lesson, call = LESSONS[part]
    source = nbformat.read(ROOT / f"{lesson}.ipynb", as_version=4)
    copy = lab["dir"] / f"{lesson}.ipynb"
    saved_before = copy.stat().st_mtime
    _open(page, lab, f"{lesson}.ipynb")
    _wait_kernel_idle(page)
    _run_all(page)
    ran_at = time.time()
    out = SCREENSHOTS / "live"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{part}-lesson.png"))

    # No cell raised; every twin is an image, no figure is shown as text.
    notebook = page.locator(".jp-Notebook")
    assert notebook.locator(".jp-OutputArea-output[data-mime-type="
                            "'application/vnd.jupyter.stderr'] .ansi-red-fg").count() == 0
    assert "<Figure size" not in notebook.inner_text()
    twin_cells = [c for c in source.cells if c.cell_type == "code" and "_twin(" in c.source]
    assert twin_cells, f"{lesson} shows no static twin"
    for cell in twin_cells:
        last_line = cell.source.strip().splitlines()[-1]
        code_cell = page.locator(".jp-CodeCell", has=page.locator(".jp-InputArea",
                                                                   has_text=last_line)).first
        img = code_cell.locator(".jp-OutputArea img")
        assert img.count() >= 1, f"no image under {last_line!r}"
        assert img.first.evaluate("i => i.complete && i.naturalWidth > 100")

    # Rendered MyST: no raw roles or directives; every drop-down collapsed.
    markdown_text = "\n".join(page.locator(".jp-MarkdownCell").all_inner_texts())
    raw = sorted(set(RAW_MYST.findall(markdown_text)))
    assert not raw, f"raw MyST visible in {lesson}: {raw}"
    # Citations and glossary terms: links to the references/glossary notebooks, with the full
    # reference or the definition as their tooltip.
    tips = page.locator(".jp-MarkdownCell a[title]").evaluate_all(
        "as => as.map(a => [a.textContent, a.getAttribute('href'), a.title])")
    cites = [t for t in tips if re.search(r"\b(19|20)\d\d\b", t[0]) and "references" in t[1]]
    terms = [t for t in tips if "glossary" in t[1] and t[2].lower().startswith(t[0].lower()[:3])]
    assert cites and all(len(t[2]) > 40 for t in cites), cites[:3]
    assert terms and all(": " in t[2] for t in terms), terms[:3]
    n_hidden = sum(c.source.count("{solution}") + c.source.count("{dropdown}")
                   for c in source.cells if c.cell_type == "markdown")
    details = page.locator(".jp-MarkdownCell details")
    assert details.count() >= n_hidden > 0
    assert details.evaluate_all("ds => ds.filter(d => d.open).length") == 0, \
        "a solution or reasoning drop-down is open"
    first = details.first
    first.scroll_into_view_if_needed()
    page.wait_for_timeout(600)  # off-screen cells are painted lazily (content-visibility)
    first.locator("xpath=ancestor::div[contains(@class,'jp-MarkdownCell')]").screenshot(
        path=str(out / f"{part}-solution-collapsed.png"))

    # The panel: slider tracks wide enough; a key press changes readout and figure.
    cell = page.locator(".jp-CodeCell", has=page.locator(".jp-InputArea", has_text=call)).first
    panel = cell.locator(".jp-OutputArea")
    handle = panel.locator(".widget-slider [role='slider']").first
    handle.wait_for(state="visible", timeout=30000)
    tracks = _slider_tracks_px(panel)
    all_tracks = _slider_tracks_px(notebook)
    assert tracks and min(all_tracks) >= MIN_TRACK_PX, f"slider tracks {all_tracks} px"
    readout = panel.locator(".widget-slider .widget-readout").first
    image = panel.locator("img[src^='data:image/png']").last
    before_src, before_readout = image.get_attribute("src"), readout.text_content().strip()
    handle.scroll_into_view_if_needed()
    panel.screenshot(path=str(out / f"{part}-panel-before.png"))
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        """([area, old]) => {
            const imgs = area.querySelectorAll("img[src^='data:image/png']");
            const img = imgs[imgs.length - 1];
            return img && img.getAttribute('src') !== old;
        }""", arg=[panel.element_handle(), before_src], timeout=RESPONSE_LIMIT_MS, polling=20)
    page.wait_for_timeout(800)  # let the last key press finish; judge the final state
    panel.screenshot(path=str(out / f"{part}-panel.png"))
    assert readout.text_content().strip() != before_readout, "the slider's readout did not change"
    assert image.get_attribute("src") != before_src, "the panel's figure did not change"

    # Autosave: after the interval JupyterLab has saved the working copy, not the repository.
    page.wait_for_timeout(max(0, 1000 * (AUTOSAVE_S + 3 - (time.time() - ran_at))))
    deadline = time.time() + 30
    while copy.stat().st_mtime == saved_before and time.time() < deadline:
        time.sleep(1)
    assert copy.stat().st_mtime > saved_before, "JupyterLab did not autosave the working copy"
    assert _git_status() == lab["status_before"], "make live changed the repository"

    assert not watched.external, f"requests left the machine: {watched.external}"
    assert not watched.errors, f"console errors: {watched.errors}"


def test_newcomer_start(lab_page):
    watched, lab = lab_page
    page = watched.page
    page.goto(lab["url"])
    page.wait_for_selector(".jp-Notebook .jp-MarkdownCell", timeout=60000)
    page.wait_for_timeout(1500)
    out = SCREENSHOTS / "live"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / "start-here.png"))
    tabs = page.locator(".lm-DockPanel .lm-TabBar-tab").all_inner_texts()
    assert any("START-HERE" in t for t in tabs) and not any("Launcher" in t for t in tabs), tabs
    assert page.locator(".jp-Notebook").first.locator("a", has_text="Electrolytes").count() == 1
    links = page.locator(".jp-MarkdownCell a[href*='lessons/']").count()
    n_lessons = len(list((ROOT / "lessons").glob("*/*.ipynb")))
    assert links == n_lessons
    # A link to a lesson opens that notebook in JupyterLab (not a 404 in the whole tab).
    page.locator(".jp-MarkdownCell a", has_text="Electrolytes and excitability").first.click()
    page.wait_for_function("""() => Array.from(document.querySelectorAll(
        '.lm-DockPanel .lm-TabBar-tab')).some(t => t.textContent.includes('1-electrolytes'))""",
                           timeout=30000)
    assert "/lab" in page.url
    # No news or update toast.
    assert page.locator(".jp-Notification-Toast, .Toastify__toast").count() == 0
    # A kernel has started for the start page (it is a notebook): on IPC, so no warning.
    _wait_kernel_idle(page)
    log = lab["log"].read_text()
    assert len(URL_LINE.findall(log)) == 1
    assert "without encryption" not in log and "plain text" not in log
    assert not watched.external, f"requests left the machine: {watched.external}"
    assert not watched.errors, f"console errors: {watched.errors}"
