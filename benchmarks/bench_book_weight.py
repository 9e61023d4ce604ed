"""Weight of the built book: what the site ships and what a reader's browser downloads.

    python benchmarks/bench_book_weight.py [BOOK_HTML] [--pages N] [--phone]

Prints the site's total size on disk (and the biggest kinds of file), then opens every page in
headless Debian Chromium (served from 127.0.0.1; requests leaving the machine are blocked) at
1280 px (``--phone``: 390 px) and prints, per page, the requests and bytes it loads on opening
(images below the fold load lazily) and after scrolling to its end; then the heaviest page and
the flagship lesson (2.1, electrolytes). Bytes are response bodies as served (no compression).
Default BOOK_HTML: ``_build/html``.
"""

from __future__ import annotations

import argparse
import collections
import functools
import http.server
import os
import shutil
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
FLAGSHIP = "lessons/2-benign-triggers/1-electrolytes.html"
SKIP_DIRS = {"_static", "_sources", "_images", "_downloads"}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def mb(n: float) -> str:
    return f"{n / 1e6:6.2f} MB"


def site_on_disk(book: Path) -> None:
    files = [p for p in book.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    by_kind: collections.Counter = collections.Counter()
    for p in files:
        kind = p.suffix.lower() or "(none)"
        if p.name.endswith(".map"):
            kind = ".map"
        by_kind[kind] += p.stat().st_size
    print(f"site on disk: {mb(total)} in {len(files)} files")
    for kind, size in by_kind.most_common(8):
        print(f"  {kind:8s} {mb(size)}")


def measure(book: Path, limit: int | None, phone: bool) -> None:
    from playwright.sync_api import sync_playwright

    pages = sorted(p.relative_to(book).as_posix() for p in book.rglob("*.html")
                   if not SKIP_DIRS & set(p.relative_to(book).parts))
    if limit:
        pages = [p for p in pages if p == FLAGSHIP] + [p for p in pages if p != FLAGSHIP][:limit]
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(book)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    results = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for rel in pages:
            ctx = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone,
                                      service_workers="block")
            page = ctx.new_page()
            loaded: list[tuple[str, int]] = []

            def on_response(response, loaded=loaded):
                try:
                    loaded.append((response.url, len(response.body())))
                except Exception:  # redirects and aborted requests have no body
                    loaded.append((response.url, 0))

            page.on("response", on_response)
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
                (base, "data:", "blob:")) else route.abort())
            page.goto(base + rel, wait_until="load")
            page.wait_for_load_state("networkidle")
            opened = (len(loaded), sum(n for _, n in loaded))
            page.evaluate("""async () => {
                for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight) {
                    window.scrollTo(0, y); await new Promise(r => setTimeout(r, 60)); }
            }""")
            page.wait_for_load_state("networkidle")
            scrolled = (len(loaded), sum(n for _, n in loaded))
            results[rel] = (opened, scrolled, list(loaded))
            ctx.close()
        browser.close()
    server.shutdown()
    print(f"\nper page at {viewport['width']} px: requests / bytes on opening -> after scrolling")
    for rel, (opened, scrolled, _) in sorted(results.items(), key=lambda kv: -kv[1][1][1]):
        print(f"  {rel:60s} {opened[0]:3d} {mb(opened[1])} -> {scrolled[0]:3d} {mb(scrolled[1])}")
    heaviest = max(results, key=lambda r: results[r][1][1])
    print(f"\nheaviest page (after scrolling): {heaviest}: {results[heaviest][1][0]} requests, "
          f"{mb(results[heaviest][1][1])}")
    if FLAGSHIP in results:
        opened, scrolled, loaded = results[FLAGSHIP]
        print(f"flagship lesson {FLAGSHIP}: on opening {opened[0]} requests, {mb(opened[1])}; "
              f"after scrolling {scrolled[0]} requests, {mb(scrolled[1])}")
        print("  its largest responses:")
        for url, n in sorted(loaded, key=lambda x: -x[1])[:8]:
            print(f"    {mb(n)}  {url.removeprefix(base)[:90]}")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("book", nargs="?", default=str(ROOT / "_build/html"))
    ap.add_argument("--pages", type=int, default=None, help="only the flagship and N more")
    ap.add_argument("--phone", action="store_true")
    args = ap.parse_args(argv)
    book = Path(args.book)
    if not (book / "index.html").exists():
        print(f"{book}: no built book here; run `make book` first (nothing measured)")
        return 0
    site_on_disk(book)
    measure(book, args.pages, args.phone)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
