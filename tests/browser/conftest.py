"""Fixtures for the browser tests: the built book served from 127.0.0.1, and headless Chromium.

Chromium is Debian's (``/usr/bin/chromium``, or ``CHROMIUM``) launched through Python Playwright's
``executable_path``: Playwright's own browser download cannot work here (no internet), so
``playwright install`` is never needed. Every page visit routes all requests through a handler
that lets only the local server (and ``data:``/``blob:`` URLs) through and records anything else,
so a test can assert that no request leaves the machine.

Each built page is visited once per session in the light theme (:func:`light_report`), and the
visit's findings (console errors, failed and external requests, images, math, widgets, axe-core
violations) are cached for the parametrized tests that check them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
SKIP_DIRS = {"_static", "_sources", "_images", "_downloads"}
SCREENSHOTS = Path(os.environ.get("BOOK_SCREENSHOTS", ROOT / "_build/screenshots"))


def book_dir() -> Path:
    """The built book (known at collection time; same rule as the ``book_html`` fixture)."""
    return Path(os.environ.get("BOOK_HTML", ROOT / "_build/test/_build/html"))


def built_pages() -> list[str]:
    """Every HTML page a reader can open (relative paths), excluding the theme's asset folders."""
    root = book_dir()
    if not root.exists():
        return []
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html")
                  if not SKIP_DIRS & set(p.relative_to(root).parts))


def lesson_pages() -> list[str]:
    return [p for p in built_pages() if p.startswith("lessons/") and "/_" not in p]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture(scope="session")
def book_url(book_html):
    """Base URL of the built book served by a local HTTP server on 127.0.0.1 (random port)."""
    handler = functools.partial(_QuietHandler, directory=str(book_html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: install Debian's chromium (or set CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Visit:
    """What happened while one page loaded: console errors, requests, and the rendered DOM."""

    def __init__(self, context, url: str, local_prefix: str):
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.failed: list[str] = []
        self.external: list[str] = []
        self.page = context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(
            f"{m.text} @ {m.location.get('url', '')}"))
        self.page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        self.page.on("requestfailed", lambda r: r.url.startswith(local_prefix)
                     and self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(
            f"{r.url} (HTTP {r.status})"))
        self.local_prefix = local_prefix
        self.page.route("**/*", self._route)
        self.page.goto(url, wait_until="load")
        settle(self.page)

    def _route(self, route):
        url = route.request.url
        if url.startswith((self.local_prefix, "data:", "blob:")):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()


def settle(page) -> None:
    """Wait until MathJax has typeset and the stored widgets have been rendered."""
    page.wait_for_load_state("networkidle")
    page.evaluate("""async () => {
        if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
            await MathJax.startup.promise;
        }
    }""")
    if page.locator("script[type='application/vnd.jupyter.widget-state+json']").count():
        page.wait_for_selector(".jupyter-widgets", state="attached", timeout=15000)
        page.wait_for_load_state("networkidle")
    load_all_images(page)


def load_all_images(page) -> None:
    """Load every image, the lazy ones below the fold too (so tests can check each decodes)."""
    page.evaluate("""async () => {
        for (const img of document.querySelectorAll('img[loading=lazy]')) {
            img.loading = 'eager'; }
        await Promise.all(Array.from(document.images).map(img => img.complete ? null :
            new Promise(ok => { img.onload = img.onerror = ok; setTimeout(ok, 15000); })));
    }""")


# ---------------------------------------------------------------- what a reader sees (JS probes)
#: Every ``<figure>`` in the article (but a sound player without a picture): does its image
#: decode, is it blank (luminance variance of
#: the picture as drawn, 64 x 64), which variant of a course figure is shown (the phone one comes
#: from the ``<source>``), the figure's smallest text (px at the variant's 1x size, recorded by
#: the package) and the variant's 1x width and displayed width.
FIGURES_JS = """() => Array.from(document.querySelectorAll('main figure'))
  .filter(fig => fig.querySelector('img') || !fig.querySelector('audio, video'))  // sound only
  .map(fig => {
    const img = fig.querySelector('img');
    if (!img) return {missing: true, html: fig.outerHTML.slice(0, 160)};
    const pic = img.closest('picture.course-figure');
    const source = pic ? pic.querySelector('source') : null;
    const narrowUrl = source ? new URL(source.getAttribute('srcset'), document.baseURI).href
                             : null;
    const narrow = !!(narrowUrl && img.currentSrc === narrowUrl);
    const chosen = narrow ? source : img;
    let variance = null;
    if (img.complete && img.naturalWidth > 0) {
        const c = document.createElement('canvas'); c.width = 64; c.height = 64;
        const g = c.getContext('2d'); g.drawImage(img, 0, 0, 64, 64);
        const d = g.getImageData(0, 0, 64, 64).data;
        let s = 0, s2 = 0, n = 0;
        for (let i = 0; i < d.length; i += 4) {
            const y = 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
            s += y; s2 += y * y; n += 1; }
        variance = s2 / n - (s / n) ** 2;
    }
    return {alt: img.alt || '', decoded: img.complete && img.naturalWidth > 0, variance,
            numbered: !!fig.querySelector('.caption-number'),
            course: !!pic, narrow, minText: parseFloat(chosen.getAttribute('data-min-text-px')),
            declared: parseFloat(chosen.getAttribute('width')),
            rendered: img.getBoundingClientRect().width,
            caption: (fig.querySelector('figcaption') || {}).textContent || ''};
})"""

#: Every slider a reader can see: native range inputs (kernel-free panels) and stored
#: ipywidgets sliders (their track is the noUi target), with the width of the track.
SLIDERS_JS = """() => {
    const out = [];
    for (const el of document.querySelectorAll('main input[type=range]')) {
        if (!el.offsetParent) continue;
        const label = (el.labels && el.labels.length ? el.labels[0].textContent :
                       el.getAttribute('aria-label')) || el.name || '';
        out.push({kind: 'range', label: label.trim(), width: el.getBoundingClientRect().width});
    }
    for (const el of document.querySelectorAll('main .widget-slider')) {
        if (!el.offsetParent) continue;
        const track = el.querySelector('.noUi-target') || el.querySelector('.slider-container');
        out.push({kind: 'stored ipywidgets', label: ((el.querySelector('.widget-label') || {})
            .textContent || '').trim(), width: track ? track.getBoundingClientRect().width : 0});
    }
    return out;
}"""

#: Text a phone reader cannot see: a text-bearing element whose box runs past the viewport, or
#: past an ancestor that clips it (overflow hidden/clip), unless an ancestor scrolls sideways
#: (overflow auto/scroll). Visually hidden elements (screen-reader text, a 1 px box) are skipped.
CUT_OFF_JS = """() => {
  const vw = document.documentElement.clientWidth;
  const out = [];
  const leaves = Array.from(document.querySelectorAll('main article *')).filter(e =>
      e.offsetParent && e.getClientRects().length &&
      Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()));
  for (const e of leaves) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    let limit = vw, by = 'viewport', scrolls = false;
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll') { scrolls = true; break; }
      if (o === 'hidden' || o === 'clip') {
        const ar = a.getBoundingClientRect();
        if (ar.width < 2 || ar.height < 2) { scrolls = true; break; }  // visually hidden
        if (ar.right < limit) {
          limit = ar.right;
          by = a.tagName.toLowerCase() + '.' + String(a.className).split(' ')[0];
        }
      }
    }
    if (scrolls) continue;
    if (r.right > limit + 1) {
      out.push(`${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 50)}" ends at `
               + `${Math.round(r.right)} px, past ${by} (${Math.round(limit)} px)`);
    }
  }
  return out;
}"""

#: Content tables of at most 8 columns that are wider than their box (so they scroll sideways,
#: their last columns out of sight) and whether each is shown as one card per row.
WIDE_TABLES_JS = """() => Array.from(document.querySelectorAll('main article table.table'))
    .filter(t => t.offsetParent && t.querySelectorAll('thead th').length <= 8)
    .map(t => ({head: (t.querySelector('thead') || t).textContent.trim().slice(0, 50),
                cards: getComputedStyle(t.querySelector('tbody tr') || t).display === 'block',
                width: t.scrollWidth, room: t.parentElement.clientWidth}))
    .filter(t => t.width > t.room + 1)"""

#: What each kernel-free book panel's chart SVG shows, measured in the page: every visible
#: text's box (px), the SVG's box, and per axis that the spec gives fixed tick ``values``, how
#: many labels Vega drew (``labelOverlap`` hides a label silently: opacity 0). Axes are matched
#: to the compiled Vega spec by their order (Vega draws a scope's axes in the order of its
#: ``axes`` list).
CHART_TEXT_JS = """r => {
    const charts = [];
    r.querySelectorAll('.twitch-bp-chart').forEach((slot, i) => {
        const svg = slot.querySelector('svg');
        if (!svg) { return; }                     // a canvas chart: no text elements to measure
        const box = e => { const b = e.getBoundingClientRect();
                           return [b.left, b.top, b.right, b.bottom]; };
        const shown = t => { for (let e = t; e && e !== svg; e = e.parentNode) {
            const o = e.getAttribute('opacity');
            if ((o !== null && +o === 0) || getComputedStyle(e).display === 'none') return false;
        } return true; };
        const texts = Array.from(svg.querySelectorAll('text'))
            .filter(t => t.textContent.trim() && shown(t))
            .map(t => ({text: t.textContent.trim(), box: box(t)}));
        const asked = [];
        (function walk(n) {
            if (Array.isArray(n)) { n.forEach(walk); return; }
            if (!n || typeof n !== 'object') return;
            (n.axes || []).forEach(a => asked.push(a.labels === false ? null : a.values || null));
            (n.marks || []).forEach(walk);
        })(vegaLite.compile(r.twitchPanel.cfg.charts[i].spec).spec);
        const drawn = Array.from(svg.querySelectorAll('g.role-axis')).map(a => Array.from(
            a.querySelectorAll('g.role-axis-label text')).filter(t => shown(t)).length);
        charts.push({chart: i, svg: box(svg), texts: texts, asked: asked, drawn: drawn});
    });
    return charts;
}"""

def book_panel_charts(page) -> list[dict]:
    """Every kernel-free book panel on the page, with :data:`CHART_TEXT_JS` of its charts,
    measured once every panel has drawn (tests/browser/test_book_panels.py checks them)."""
    if not page.locator("[data-twitch-book-panel]").count():
        return []
    page.wait_for_function("""() => Array.from(document.querySelectorAll(
        '[data-twitch-book-panel]')).every(r => r.dataset.renders)""", timeout=30000)
    each = ("r => ({key: r.getAttribute('data-twitch-book-panel'), charts: ("
            + CHART_TEXT_JS + ")(r)})")
    return page.evaluate("() => Array.from(document.querySelectorAll('[data-twitch-book-panel]'))"
                         f".map({each})")


#: Code and output blocks whose text runs past their box (cut off, or behind a sideways scroll).
CLIPPED_PRE_JS = """() => Array.from(document.querySelectorAll('main pre'))
    .filter(p => p.offsetParent && p.scrollWidth > p.clientWidth + 1)
    .map(p => p.textContent.trim().split('\\n')[0].slice(0, 70))"""

#: Choice questions of the quizzes on the page: the position of the (first) right answer among
#: the answers as shown, and how many answers there are.
QUIZ_POSITIONS_JS = """() => {
    const groups = new Map();
    for (const b of document.querySelectorAll('label.MCButton')) {
        const g = b.parentElement;
        if (!groups.has(g)) groups.set(g, []);
        groups.get(g).push(b);
    }
    return Array.from(groups.values()).map(bs => ({
        n: bs.length, correct: bs.findIndex(b => b.dataset.correct === 'true'),
        answers: bs.map(b => b.textContent.trim().slice(0, 30))}));
}"""


#: Numbers a reader sees: the article title, the current sidebar entry, figure and exercise
#: caption numbers.
NUMBERS_JS = """() => ({
    h1: ((document.querySelector('main article.bd-article h1') || {}).innerText || '').trim(),
    current: ((document.querySelector('#pst-primary-sidebar a.current') || {}).innerText || '')
        .trim(),
    figures: Array.from(document.querySelectorAll('main figure .caption-number'))
        .map(e => e.textContent.trim()),
    exercises: Array.from(document.querySelectorAll(
        'main .exercise .caption-number, main .admonition.exercise > .admonition-title'))
        .map(e => e.textContent.trim()),
    launchers: Array.from(document.querySelectorAll('.dropdown-launch-buttons a'))
        .map(a => a.getAttribute('href')),
    download: Array.from(document.querySelectorAll("a.btn-download-source-button"))
        .map(a => a.getAttribute('href')),
})"""

#: Moves every kernel-free stored ipywidgets slider with the keyboard (as a reader can) and
#: watches the panel it belongs to: a slider whose own value changes while the panel's images
#: and readouts stay the same pretends to work. Run last on a page (it changes the page).
PRETENDING_JS = """async () => {
    const out = [];
    const snap = el => [Array.from(el.querySelectorAll('img'))
        .map(i => i.src.length + ':' + i.src.slice(-40)).join('|'),
        Array.from(el.querySelectorAll('.widget-html-content')).map(e => e.textContent)
        .join('|')];
    for (const handle of document.querySelectorAll(
            '.jupyter-widgets-disconnected.widget-slider [role=slider]')) {
        if (handle.hasAttribute('disabled') || !handle.offsetParent) continue;
        let panel = handle.closest('.widget-slider');
        for (let a = panel; a; a = a.parentElement) {
            if (a.classList && a.classList.contains('widget-vbox')) panel = a; }
        const before = snap(panel), value = handle.getAttribute('aria-valuenow');
        handle.focus();
        for (let k = 0; k < 3; k++) {
            handle.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight',
                                                                bubbles: true}));
        }
        await new Promise(r => setTimeout(r, 150));
        const moved = handle.getAttribute('aria-valuenow') !== value;
        if (moved && JSON.stringify(snap(panel)) === JSON.stringify(before)) {
            out.push(`${handle.getAttribute('aria-label')}: ${value} -> ` +
                     `${handle.getAttribute('aria-valuenow')}, panel unchanged`);
        }
    }
    return out;
}"""


def visit_findings(page) -> dict:
    """What a reader sees on an open page: figures, sliders, overflow, clipped code, quizzes."""
    load_all_images(page)
    return {
        "figures": page.evaluate(FIGURES_JS),
        "sliders": page.evaluate(SLIDERS_JS),
        "cut_off": page.evaluate(CUT_OFF_JS),
        "clipped_pre": page.evaluate(CLIPPED_PRE_JS),
        "wide_tables": page.evaluate(WIDE_TABLES_JS),
        "charts": book_panel_charts(page),
        "quiz_positions": page.evaluate(QUIZ_POSITIONS_JS),
        "figure_repr_text": page.evaluate(
            r"() => (document.body.innerText.match(/<Figure size \d+x\d+[^>]*>/g) || [])"),
        "scroll_width": page.evaluate("""() => ({inner: window.innerWidth,
            doc: document.documentElement.scrollWidth, body: document.body.scrollWidth})"""),
        "numbers": page.evaluate(NUMBERS_JS),
    }


@pytest.fixture(scope="session")
def light_context(browser, book_url):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light",
                              service_workers="block")
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def light_report(light_context, book_url):
    """``light_report(rel)``: the cached :class:`Visit` findings for one page, light theme."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    cache: dict[str, dict] = {}

    def report(rel: str) -> dict:
        if rel in cache:
            return cache[rel]
        visit = Visit(light_context, book_url + rel, book_url)
        page = visit.page
        # Copies taken before axe runs: axe fetches stylesheets itself to parse @import rules and
        # resolves them against the page, not the sheet, which logs 404s a reader never sees.
        findings = {
            "console_errors": list(visit.console_errors), "page_errors": list(visit.page_errors),
            "failed": list(visit.failed), "external": visit.external,
            "broken_images": page.evaluate("""() => Array.from(document.images)
                .filter(i => !(i.complete && i.naturalWidth > 0))
                .map(i => (i.getAttribute('src') || '').slice(0, 80))"""),
            "has_math": page.locator(".math, mjx-container").count() > 0,
            "mjx": page.locator("mjx-container").count(),
            "mjx_errors": page.locator("mjx-merror").count(),
            "raw_tex": page.evaluate(r"""() => {
                const t = document.querySelector('main') ? document.querySelector('main')
                    .innerText : '';
                return /\\\(|\\\[|\$\$/.test(t); }"""),
            "widget_state": page.locator(
                "script[type='application/vnd.jupyter.widget-state+json']").count() > 0,
            "widget_views": page.locator(
                "script[type='application/vnd.jupyter.widget-view+json']").count(),
            "rendered_widgets": page.locator(".jupyter-widgets").count(),
            "widget_pngs": page.evaluate("""() => Array.from(
                document.querySelectorAll('.jupyter-widgets img[src^="data:image/png"]'))
                .filter(i => i.naturalWidth > 0 && (i.alt || '').trim()).length"""),
            "seen": visit_findings(page),
            "axe": [v for v in axe.run(page).response["violations"]
                    if v.get("impact") in ("serious", "critical")],
        }
        findings["pretending"] = page.evaluate(PRETENDING_JS)  # last: it moves the sliders
        page.close()
        cache[rel] = findings
        return findings

    report.cache = cache
    return report


@pytest.fixture(scope="session")
def quiz_positions(light_context, light_report, book_url):
    """``quiz_positions(rel)``: where the right answer of each quiz question stands on one page.

    Read from this worker's full visit of the page when it has made one; else from a plain visit
    (the page's own tests run on the other worker: no second accessibility audit for this)."""

    def positions(rel: str) -> list[dict]:
        if rel in light_report.cache:
            return light_report.cache[rel]["seen"]["quiz_positions"]
        visit = Visit(light_context, book_url + rel, book_url)
        found = visit.page.evaluate(QUIZ_POSITIONS_JS)
        visit.page.close()
        return found

    return positions


@pytest.fixture(scope="session")
def phone_context(browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                              is_mobile=True, has_touch=True, service_workers="block")
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def phone_report(phone_context, book_url):
    """``phone_report(rel)``: :func:`visit_findings` for one page on a 390 px phone (cached)."""
    cache: dict[str, dict] = {}

    def report(rel: str) -> dict:
        if rel not in cache:
            visit = Visit(phone_context, book_url + rel, book_url)
            cache[rel] = visit_findings(visit.page)
            out = SCREENSHOTS / "phone"
            out.mkdir(parents=True, exist_ok=True)
            visit.page.screenshot(path=str(out / f"{rel.removesuffix('.html').replace('/', '__')}"
                                                 ".png"))
            visit.page.close()
        return cache[rel]

    return report


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Keep every test of one page on one xdist worker (``make test-browser`` runs two, with
    ``--dist loadgroup``), so each page is visited once per theme and viewport: the visits are
    cached per worker (``light_report``, ``phone_report``).

    ``tryfirst``: xdist reads the marks in its own ``pytest_collection_modifyitems``, which
    otherwise runs before this one and finds none (every group was silently split, and every page
    visited on both workers; ``tests/test_xdist_groups.py`` checks it)."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if item.path.name in ONE_WORKER_MODULES:
            item.add_marker(pytest.mark.xdist_group(f"module:{item.path.name}"))
        elif "rel" in params:
            item.add_marker(pytest.mark.xdist_group(f"page:{params['rel']}"))


#: Modules whose expensive fixture (a JupyterLab server with its kernels; every sound page
#: decoded) must be built once, on one worker.
ONE_WORKER_MODULES = {"test_live_lab.py", "test_audio.py"}
