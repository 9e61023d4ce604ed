"""Kernel-free book panels: redraw latency in Chromium, panel data per page, grid compute time.

    python benchmarks/bench_book_panels.py [BOOK_HTML] [--moves N] [--grids]

* **Latency**: for every book panel of every built page (default ``_build/html``), each control
  is moved ``N`` times with the arrow keys (turning back at the ends); for each move the page's
  own timer (``data-render-ms``: from the control's input event to the chart's ``runAsync``
  resolving, i.e. the new SVG is in the page) is read. Median and 95th percentile per panel.
* **Data per page**: the panels' JSON payloads on each page, raw and gzip-compressed (level 6,
  what a web server would send); the budget is 300 KB compressed per page.
* ``--grids``: the time to evaluate each panel's grid from scratch (no cache), which is what
  the book build (or nbval, whichever runs first) adds once per change of the package source.

Served from 127.0.0.1 (a free port); Debian's chromium; other requests blocked.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import re
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MARK = "data-twitch-book-panel"


def _p95(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def data_sizes(book: Path) -> list[tuple[str, int, int, int]]:
    rows = []
    for page in sorted(book.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        if MARK not in text:
            continue
        payloads = re.findall(r'<script type="application/json" class="twitch-bp-data">(.*?)'
                              r"</script>", text, flags=re.S)
        raw = sum(len(p.encode()) for p in payloads)
        gz = sum(len(gzip.compress(p.encode(), 6)) for p in payloads)
        rows.append((page.relative_to(book).as_posix(), len(payloads), raw, gz))
    return rows


def latencies(book: Path, moves: int) -> list[tuple[str, str, list[float]]]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(book)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    out = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base)
                       else r.abort())
            for rel, *_ in data_sizes(book):
                page.goto(base + rel)
                page.wait_for_function(f"""() => Array.from(document.querySelectorAll(
                    '[{MARK}]')).every(r => r.dataset.renders)""", timeout=30000)
                panels = page.locator(f"[{MARK}]")
                for k in range(panels.count()):
                    panel = panels.nth(k)
                    times = []
                    for c in range(panel.locator("[data-control]").count()):
                        ctrl = panel.locator(f'[data-control="{c}"]')
                        ctrl.focus()
                        is_range = ctrl.evaluate("e => e.tagName === 'INPUT'")
                        fwd, back = (("ArrowRight", "ArrowLeft") if is_range
                                     else ("ArrowDown", "ArrowUp"))
                        key = fwd
                        for _ in range(moves):
                            at_end = ctrl.evaluate(
                                "e => e.tagName === 'INPUT' ? +e.value >= +e.max : "
                                "e.selectedIndex >= e.options.length - 1")
                            at_start = ctrl.evaluate(
                                "e => e.tagName === 'INPUT' ? +e.value <= +e.min : "
                                "e.selectedIndex <= 0")
                            key = back if at_end else fwd if at_start else key
                            n = int(panel.get_attribute("data-renders"))
                            page.keyboard.press(key)
                            page.wait_for_function("([r, n]) => +r.dataset.renders > n",
                                                   arg=[panel.element_handle(), n])
                            times.append(float(panel.get_attribute("data-render-ms")))
                    out.append((rel, panel.get_attribute(MARK), times))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


def grid_times():
    from tests.book_parity import PARITY

    rows = []
    for key, (make, _, _) in PARITY.items():
        bp = make()
        t0 = time.perf_counter()
        bp._compute()
        rows.append((key, len(bp.points()), time.perf_counter() - t0))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("book", nargs="?", default=str(ROOT / "_build/html"))
    ap.add_argument("--moves", type=int, default=20)
    ap.add_argument("--grids", action="store_true")
    args = ap.parse_args()
    book = Path(args.book)
    if not (book / "index.html").exists():
        print(f"no built book at {book}: run `make book` first")
        return 1
    print("== panel data per page (budget: 300 KB compressed)")
    print(f"{'page':55s} {'panels':>6s} {'raw KB':>8s} {'gzip KB':>8s}")
    for rel, n, raw, gz in data_sizes(book):
        print(f"{rel:55s} {n:6d} {raw / 1e3:8.1f} {gz / 1e3:8.1f}")
    print(f"== control move -> redrawn chart, Chromium, {args.moves} moves per control "
          "(goal: median < 16 ms, p95 < 50 ms)")
    print(f"{'page':55s} {'panel':18s} {'moves':>5s} {'median ms':>9s} {'p95 ms':>7s}")
    for rel, key, times in latencies(book, args.moves):
        print(f"{rel:55s} {key:18s} {len(times):5d} {statistics.median(times):9.1f} "
              f"{_p95(times):7.1f}")
    if args.grids:
        print("== grid evaluation from scratch (what a build adds once per source change)")
        total = 0.0
        for key, n, secs in grid_times():
            total += secs
            print(f"{key:18s} {n:6d} settings {secs:7.1f} s")
        print(f"{'total':18s} {'':6s}          {total:7.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
