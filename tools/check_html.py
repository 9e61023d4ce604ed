"""Checks on the built HTML that a reader relies on when offline.

    python tools/check_html.py _build/html [--no-browser]

1. No page loads anything from another host: every ``src`` / stylesheet ``href`` / ``data``
   points inside the book (links to other sites are fine; loads are not).
2. Every ``<img>`` has non-empty alt text.
   Every local file a page loads (script, stylesheet, image, source) exists in the build, and no
   page shows a matplotlib figure as its text (``<Figure size 800x800 with 12 Axes>``).
   The site ships no source maps (``*.map``; see book/_ext/site_weight.py).
3. In headless Chromium (``--dump-dom``, served from 127.0.0.1): on pages with math, MathJax
   rendered it (``mjx-container`` present, no raw TeX delimiters left); on pages with stored
   widget state, the widgets rendered.

Prints one line per problem, naming the file, and exits 1 if there is any.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

from bs4 import BeautifulSoup

LOADING_ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
                 "audio": "src", "embed": "src", "track": "src", "object": "data"}
LOADING_LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon", "prefetch", "manifest"}
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic",
                  "--virtual-time-budget=15000"]
RAW_TEX = re.compile(r"\\\(|\\\[|\$\$")
FIGURE_REPR = re.compile(r"<Figure size \d+x\d+[^>]*>")


def _external(url: str | None) -> bool:
    if not url:
        return False
    url = url.strip()
    if url.startswith("//"):
        return True
    return urlparse(url).scheme in {"http", "https", "ftp", "ws", "wss"}


def static_problems(html_path: Path, root: Path) -> tuple[list[str], dict]:
    rel = html_path.relative_to(root)
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    problems = []
    for tag, attr in LOADING_ATTRS.items():
        for el in soup.find_all(tag):
            if _external(el.get(attr)):
                problems.append(f"{rel}: <{tag}> loads from another host: {el.get(attr)}")
    for el in soup.find_all("link"):
        rels = set(el.get("rel") or [])
        if rels & LOADING_LINK_RELS and _external(el.get("href")):
            problems.append(f"{rel}: <link rel={'/'.join(rels)}> loads from another host: "
                            f"{el.get('href')}")
    for el in soup.find_all("style"):
        for url in re.findall(r"url\(['\"]?([^)'\"]+)", el.get_text()):
            if _external(url):
                problems.append(f"{rel}: <style> loads from another host: {url}")
    for el in soup.find_all("img"):
        if not (el.get("alt") or "").strip():
            problems.append(f"{rel}: <img src={str(el.get('src'))[:60]!r}> has no alt text")
    for tag, attr in (*LOADING_ATTRS.items(), ("link", "href"), ("source", "srcset")):
        for el in soup.find_all(tag):
            url = el.get(attr)
            if tag == "link" and not set(el.get("rel") or []) & LOADING_LINK_RELS:
                continue
            if not url or _external(url) or url.startswith(("data:", "#", "blob:")):
                continue
            target = (html_path.parent / urlparse(url).path).resolve()
            if not target.exists():
                problems.append(f"{rel}: <{tag}> loads a file the build lacks: {url}")
    if FIGURE_REPR.search(soup.get_text()):
        problems.append(f"{rel}: a figure shown as text: {FIGURE_REPR.search(soup.get_text())[0]}")
    main = soup.find("main") or soup
    info = {
        "math": bool(main.find(class_="math")),
        "widgets": bool(soup.find("script", type="application/vnd.jupyter.widget-view+json")),
    }
    return problems, info


def _serve(root: Path):
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _dump_dom(chromium: str, url: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        out = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                              "--dump-dom", url], capture_output=True, text=True, timeout=120)
    return out.stdout


def browser_problems(root: Path, pages: dict[Path, dict]) -> list[str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        return ["chromium not found: install Debian's chromium (make test's .ci/run does)"]
    server = _serve(root)
    port = server.server_address[1]
    todo = [(p, info) for p, info in pages.items() if info["math"] or info["widgets"]]

    def check(item):
        path, info = item
        rel = path.relative_to(root)
        dom = _dump_dom(chromium, f"http://127.0.0.1:{port}/{rel.as_posix()}")
        soup = BeautifulSoup(dom, "html.parser")
        main = soup.find("main") or soup
        out = []
        if info["math"]:
            if not main.find("mjx-container"):
                out.append(f"{rel}: math was not rendered (no mjx-container in the DOM)")
            for el in main.find_all(class_="math"):
                if RAW_TEX.search(el.get_text()) and not el.find("mjx-container"):
                    out.append(f"{rel}: raw TeX left on the page: {el.get_text()[:60]!r}")
                    break
        if info["widgets"]:
            if not main.find(class_=re.compile(r"\bjupyter-widgets\b|\bwidget-")):
                out.append(f"{rel}: stored widget state was not rendered")
        return out

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(check, todo))
    finally:
        server.shutdown()
    print(f"browser: checked {len(todo)} pages with math or widgets in headless Chromium")
    return [p for r in results for p in r]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    root = Path(argv[0])
    if not (root / "index.html").exists():
        print(f"{root}: no built book here (index.html missing)")
        return 1
    pages, problems = {}, []
    for path in sorted(root.rglob("*.html")):
        if "_static" in path.parts or "_sources" in path.parts:
            continue
        probs, info = static_problems(path, root)
        problems += probs
        pages[path] = info
    maps = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.map"))
    if maps:
        problems.append(f"source maps shipped ({len(maps)}, e.g. {maps[0]})")
    print(f"static: checked {len(pages)} pages for external loads, missing files and alt text")
    if "--no-browser" not in argv:
        problems += browser_problems(root, pages)
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
