"""Shared test set-up: a headless matplotlib, the project root, the built book's location."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def book_html() -> Path:
    """The built book: ``BOOK_HTML``, default ``_build/test/_build/html`` (``make test``)."""
    path = Path(os.environ.get("BOOK_HTML", ROOT / "_build/test/_build/html"))
    if not (path / "index.html").exists():
        pytest.fail(f"no built book at {path}: run `make book-test` first (make test does)")
    return path
