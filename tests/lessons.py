"""Helpers for tests that read the lessons and the table of contents (not a test module)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
TERM = re.compile(r"\{term\}`([^`]+)`")
BIBKEY = re.compile(r"^@\w+\{\s*([^,\s]+)\s*,", re.M)


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for ch in part.get("chapters", []):
            files.append(ch["file"])
            files += [s["file"] for s in ch.get("sections", [])]
    return files


def lesson_notebooks() -> list[Path]:
    return [ROOT / f"{f}.ipynb" for f in toc_files() if f.startswith("lessons/")]


def markdown_text(nb_path: Path) -> str:
    nb = nbformat.read(nb_path, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def page_sources() -> list[Path]:
    out = []
    for f in toc_files():
        for ext in (".md", ".ipynb"):
            if (ROOT / f"{f}{ext}").exists():
                out.append(ROOT / f"{f}{ext}")
    return out


def source_text(path: Path) -> str:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return "\n".join(c.source for c in nb.cells)
    return path.read_text(encoding="utf-8")


def bib_keys(path: Path | None = None) -> list[str]:
    path = path or ROOT / "book/references.bib"
    return BIBKEY.findall(path.read_text(encoding="utf-8"))


def cited_keys(text: str) -> set[str]:
    return {k.strip() for group in CITE.findall(text) for k in group.split(",")}
