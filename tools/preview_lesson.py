"""Build one lesson with the book's configuration, for authors: fast feedback before `make test`.

    python tools/preview_lesson.py lessons/1-motor-unit/1-motor-unit.ipynb [--out DIR]

Builds a small book (the front matter, glossary, references and this lesson) with ``-W`` into
DIR (default /tmp/preview-<lesson>), executing the lesson, and prints every warning except
links to other lessons (those resolve in the full book). Exit 1 if any other warning remains.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOK_PAGES = ["book/how-to-use", "book/disclaimer", "book/glossary", "book/claims-audit",
              "book/instructor-guide", "book/references"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("lesson")
    ap.add_argument("--out")
    args = ap.parse_args()
    lesson = Path(args.lesson).resolve().relative_to(ROOT).with_suffix("")
    out = Path(args.out or f"/tmp/preview-{lesson.name}")
    pages = [p for p in BOOK_PAGES if (ROOT / f"{p}.md").exists()]
    toc = "format: jb-book\nroot: book/welcome\nchapters:\n" + "".join(
        f"  - file: {p}\n" for p in [*pages, lesson.as_posix()])
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        f.write(toc)
    shutil.rmtree(out, ignore_errors=True)
    done = subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", "-W",
                           "--keep-going", "--toc", f.name, "--path-output", str(out), str(ROOT)],
                          capture_output=True, text=True)
    text = done.stdout + done.stderr
    other_lesson = re.compile(r"unknown document: '?/?lessons/")
    warnings = [ln for ln in text.splitlines() if re.search(r"WARNING|ERROR|Error", ln)
                and "IPKernelApp" not in ln and not other_lesson.search(ln)]
    for ln in warnings:
        print(re.sub(r"\x1b\[[0-9;]*m", "", ln))
    page = out / "_build/html" / f"{lesson.as_posix()}.html"
    print(f"{len(warnings)} warning(s); page: {page}")
    return 1 if warnings or not page.exists() else 0


if __name__ == "__main__":
    sys.exit(main())
