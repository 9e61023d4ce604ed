"""The print edition: build time, size, pages, figure legibility and greyscale (make pdf).

    python benchmarks/bench_pdf.py [--html _build/html] [--repeat N] [--paper a4|letter]
    python benchmarks/bench_pdf.py --fresh      # also time `make pdf` in a fresh clone of HEAD
    python benchmarks/bench_pdf.py --parts 1    # the part-only print `make test` runs

Prints the time of each stage of ``tools/print_book.py`` (assembly, each Chromium pass), the PDF's
pages and size, and for the figures: the smallest text size as printed (from the size recorded in
each PNG and the scale it printed at) and which figures use two palette colours that are close in
lightness (they look alike when printed in greyscale). That list counts colours only: whether such
a figure also separates the two by line style, marker, hatch or panel is what
``tests/test_figures_greyscale.py`` checks (5 of the 10 listed at stop 23 relied on colour alone
and were given a second cue; the other 5 separate them otherwise). Targets (issue 18): `make pdf`
under 5 min on this machine, the PDF under 30 MB. Timings on a shared machine are noisy: the load
average is printed with them.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))

import print_book  # noqa: E402

from widgets.figures.style import PALETTE  # noqa: E402


def lightness(hex_colour: str) -> float:
    """CIE L* (0 black .. 100 white) of an sRGB colour: what it looks like printed in grey."""
    rgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    y = float(lin @ np.array([0.2126, 0.7152, 0.0722]))
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else 24389 / 27 * y


def colours_in(png: Path, min_share: float = 0.002) -> list[str]:
    """Palette colours that cover at least ``min_share`` of a figure's pixels (exact matches)."""
    im = np.asarray(Image.open(png).convert("RGB")).reshape(-1, 3)
    found = []
    for name, hex_colour in PALETTE.items():
        if name == "black":
            continue
        rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
        share = np.mean(np.all(np.abs(im.astype(int) - rgb) <= 6, axis=1))
        if share >= min_share:
            found.append(name)
    return found


def greyscale_report(report: dict, html_dir: Path, close_L: float = 10.0) -> None:
    names = [n for n in PALETTE if n != "black"]
    print("Okabe-Ito palette lightness L* (greyscale):",
          ", ".join(f"{n} {lightness(PALETTE[n]):.0f}" for n in names))
    flagged = []
    for fig in report["figures"]:
        used = colours_in(html_dir / "_images" / fig["src"])
        close = [(a, b) for a, b in itertools.combinations(used, 2)
                 if abs(lightness(PALETTE[a]) - lightness(PALETTE[b])) < close_L]
        if close:
            flagged.append((fig["chapter"].split("/")[-1], fig["src"][:10],
                            ", ".join(f"{a}/{b}" for a, b in close)))
    print(f"figures using two palette colours less than {close_L:g} L* apart "
          f"({len(flagged)} of {len(report['figures'])}; tests/test_figures_greyscale.py checks "
          "that each also has a second cue where it needs one):")
    for chapter, src, pairs in flagged:
        print(f"  {chapter} {src}: {pairs}")


def fresh_clone_time() -> float:
    """Seconds for `make pdf` in a fresh clone of HEAD (venv from pip's cache, full book build)."""
    work = Path(tempfile.mkdtemp(prefix="twitch-pdf-fresh-"))
    try:
        subprocess.run(["git", "clone", "-q", str(ROOT), str(work / "twitch")], check=True)
        t0 = time.perf_counter()
        subprocess.run(["make", "pdf"], cwd=work / "twitch", check=True,
                       stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - t0
        pdf = work / "twitch/_build/pdf/twitch-a4.pdf"
        print(f"fresh clone: make pdf took {seconds:.0f} s; PDF {pdf.stat().st_size / 1e6:.1f} MB")
        return seconds
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    ap.add_argument("--paper", default="a4", choices=sorted(print_book.PAPERS))
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--fresh", action="store_true")
    ap.add_argument("--parts", help="a part-only print, e.g. 1 (what make pdf-test prints)")
    args = ap.parse_args()
    if not (args.html / "index.html").exists():
        print(f"no built book at {args.html}: run `make book` first; skipped")
        return 0
    out = Path(tempfile.mkdtemp(prefix="twitch-pdf-bench-")) / f"twitch-{args.paper}.pdf"
    totals, report = [], {}
    for _ in range(args.repeat):
        load = os.getloadavg()[0]
        parts = set(args.parts.split(",")) if args.parts else None
        report = print_book.build(args.html.resolve(), out, args.paper, log=lambda *_: None,
                                  parts=parts)
        totals.append(report["total_s"])
        print(f"print_book (parts: {report['parts']}): assembly {report['assemble_s']} s, "
              f"Chromium passes {report['passes_s']} s, outline {report['finish_s']} s, total "
              f"{report['total_s']} s (load average {load:.1f})")
    if args.repeat > 1:
        print(f"total over {args.repeat} runs: median {statistics.median(totals):.1f} s, "
              f"max {max(totals):.1f} s")
    from pypdf import PdfReader

    pages = len(PdfReader(str(out)).pages)
    print(f"PDF: {pages} pages, {report['size_MB']} MB (target < 30 MB), "
          f"{report['exercises']} solutions, {report['quizzes']} quizzes printed")
    sizes = [f["printed_text_pt"] for f in report["figures"] if f["printed_text_pt"]]
    if sizes:
        print(f"figures: {len(report['figures'])}; smallest printed text per figure: min "
              f"{min(sizes):.1f} pt, median {statistics.median(sizes):.1f} pt; "
              f"{sum(f['landscape'] for f in report['figures'])} on landscape pages "
              f"(threshold {print_book.MIN_FIGURE_TEXT_PT} pt)")
    greyscale_report(report, args.html)
    shutil.rmtree(out.parent, ignore_errors=True)
    if args.fresh:
        fresh_clone_time()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
