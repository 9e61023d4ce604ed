"""Screenshot every page of the built book, for authors to look at before they stop (`make shots`).

    python tools/shots.py [BOOK_HTML] [--out _build/shots] [--only SUBSTRING ...] [--jobs 3]

Serves the built book (default ``_build/html``) on 127.0.0.1 (a free port), opens it in one
headless Debian Chromium and writes, for every page, three full-page PNGs:

    _build/shots/1280-light/<page>.png   desktop, light theme
    _build/shots/1280-dark/<page>.png    desktop, dark theme
    _build/shots/390/<page>.png          phone (390 px wide, touch, 2x pixels shown at 1x)

``<page>`` is the page's path with ``/`` replaced by ``__``. Requests that would leave the
machine are blocked. Prints one line per page and the total time.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import http.server
import os
import shutil
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
SKIP_DIRS = {"_static", "_sources", "_images", "_downloads"}
#: (folder, viewport, colour scheme, phone?)
VIEWS = [("1280-light", {"width": 1280, "height": 900}, "light", False),
         ("1280-dark", {"width": 1280, "height": 900}, "dark", False),
         ("390", {"width": 390, "height": 844}, "light", True)]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def pages(book: Path) -> list[str]:
    return sorted(p.relative_to(book).as_posix() for p in book.rglob("*.html")
                  if not SKIP_DIRS & set(p.relative_to(book).parts))


async def settle(page) -> None:
    await page.wait_for_load_state("networkidle")
    await page.evaluate("""async () => {
        if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
            await MathJax.startup.promise;
        }
    }""")
    await load_all_images(page)


async def load_all_images(page) -> None:
    """Load every image, lazy ones included (a full-page shot shows them all)."""
    await page.evaluate("""async () => {
        for (const img of document.querySelectorAll('img[loading=lazy]')) {
            img.loading = 'eager'; }
        await Promise.all(Array.from(document.images).map(img => img.complete ? null :
            new Promise(ok => { img.onload = img.onerror = ok;
                                setTimeout(ok, 10000); })));
    }""")


async def shoot(browser, base: str, rels: list[str], out: Path, jobs: int) -> None:
    sem = asyncio.Semaphore(jobs)

    async def one(ctx, folder, rel):
        async with sem:
            page = await ctx.new_page()
            await page.route("**/*", lambda route: route.continue_() if route.request.url
                             .startswith((base, "data:", "blob:")) else route.abort())
            await page.goto(base + rel, wait_until="load")
            await settle(page)
            target = out / folder / (rel.removesuffix(".html").replace("/", "__") + ".png")
            target.parent.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(target), full_page=True)
            await page.close()
            print(f"{folder:10s} {rel}", flush=True)

    tasks, contexts = [], []
    for folder, viewport, scheme, phone in VIEWS:
        ctx = await browser.new_context(viewport=viewport, color_scheme=scheme,
                                        device_scale_factor=1, is_mobile=phone, has_touch=phone,
                                        service_workers="block")
        await ctx.add_init_script(f"try {{ localStorage.setItem('mode', '{scheme}');"
                                  f" localStorage.setItem('theme', '{scheme}'); }} catch (e) {{}}")
        contexts.append(ctx)
        tasks += [one(ctx, folder, rel) for rel in rels]
    await asyncio.gather(*tasks)
    for ctx in contexts:
        await ctx.close()


async def run(book: Path, out: Path, only: list[str], jobs: int) -> None:
    from playwright.async_api import async_playwright

    rels = [r for r in pages(book) if not only or any(s in r for s in only)]
    handler = functools.partial(_QuietHandler, directory=str(book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            await shoot(browser, base, rels, out, jobs)
            await browser.close()
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("book", nargs="?", default=str(ROOT / "_build/html"))
    ap.add_argument("--out", default=str(ROOT / "_build/shots"))
    ap.add_argument("--only", nargs="*", default=[])
    ap.add_argument("--jobs", type=int, default=3)
    args = ap.parse_args(argv)
    book = Path(args.book)
    if not (book / "index.html").exists():
        print(f"{book}: no built book here (run `make book`)")
        return 1
    start = time.perf_counter()
    asyncio.run(run(book, Path(args.out), args.only, args.jobs))
    print(f"screenshots in {args.out} ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
