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
            "axe": [v for v in axe.run(page).response["violations"]
                    if v.get("impact") in ("serious", "critical")],
        }
        page.close()
        cache[rel] = findings
        return findings

    return report
