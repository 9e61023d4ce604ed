"""Shared test set-up: a headless matplotlib, the project root, the built book's location."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings

matplotlib.use("Agg")

# Every hypothesis test draws the same examples on every run (the project's rule: every random
# generator is seeded; two runs report the same), and keeps no example database between runs.
settings.register_profile("course", derandomize=True, database=None)
settings.load_profile("course")

#: Examples per panel control-space sweep: each renders the panel; 150 derandomized draws cover
#: every control's range (with its ends) inside the make test budget.
PANEL_SWEEP_EXAMPLES = 150

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


@pytest.fixture(autouse=True)
def _small_png_in_panel_sweeps(request, monkeypatch):
    """Hypothesis sweeps over a panel's controls render its figure at 12 dpi.

    Every example still runs the model, updates the artists, draws the whole figure to a real
    PNG and builds the alt text; only the pixel count is small, which keeps a 500-example sweep
    to seconds on two cores. Each panel module also renders its figure at full size elsewhere.
    """
    if not (request.module.__name__.split(".")[-1].startswith("test_panels")
            and hasattr(request.function, "hypothesis")):
        return
    import base64
    import html
    import io

    from widgets.panels import base

    def small_png(fig, alt):
        assert alt.strip(), "panel image without alt text"
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=12)
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        return f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}">'

    monkeypatch.setattr(base, "figure_to_img_html", small_png)
