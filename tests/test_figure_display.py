"""A course figure returned by a notebook cell is stored as an image, whatever the backend.

Regression (issue 11.1 and 13.1): the Makefile exported ``MPLBACKEND=Agg`` to the kernels that
execute the notebooks, so every figure a cell returned was stored as the text
``<Figure size 800x800 with 12 Axes>`` and the built book had no lesson figures. These tests run
a real kernel (nbclient) with each backend a reader's machine might hand it and look at what the
cell stored: a PNG that decodes to the figure's size at twice its dpi, and no ``<Figure`` text.
"""

from __future__ import annotations

import base64
import struct

import nbformat
import pytest
from nbclient import NotebookClient

CELL = ("from widgets.figures.style import new_figure\n"
        "fig, ax = new_figure(1, 1, width_in=4.0, height_in=2.0)\n"
        "ax.plot([0, 1], [0, 1])\n"
        "fig")


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("backend", ["Agg", "module://matplotlib_inline.backend_inline", None])
def test_returned_figure_is_stored_as_png(backend, monkeypatch, tmp_path):
    if backend is None:
        monkeypatch.delenv("MPLBACKEND", raising=False)
    else:
        monkeypatch.setenv("MPLBACKEND", backend)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(CELL)]
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    kinds = [list(o.get("data", {})) for o in outputs]
    assert len(pngs) == 1, f"expected one image output, got {kinds}"
    width, height = _png_size(base64.b64decode(pngs[0]["data"]["image/png"]))
    assert (width, height) == (800, 400), "PNG is not 2x the figure's 100-dpi size"
    assert pngs[0]["metadata"]["image/png"] == {"width": 400, "height": 200}
    texts = [o["data"].get("text/plain", "") for o in outputs if "data" in o]
    assert not any("image/svg+xml" in o.get("data", {}) for o in outputs)
    # the text repr may accompany the image, but never replaces it
    assert all(t == "" or "Figure" in t for t in texts)


def test_makefile_does_not_force_a_backend_on_kernels():
    from tests.lessons import ROOT

    makefile = (ROOT / "Makefile").read_text()
    assert "MPLBACKEND" not in makefile, "a backend exported by make reaches the notebook kernels"


def test_live_figure_is_the_wide_image_only_and_drawn_once(monkeypatch):
    """Under `make live` (TWITCH_LIVE=1) a figure's HTML is its wide image alone: the phone
    variant (a second, stacked render) is for the book. The PNG is the same picture, not a
    third render."""
    from widgets.figures import style

    fig, ax = style.new_figure(1, 2, width_in=6.0, height_in=2.0)
    ax[0].plot([0, 1], [0, 1])
    monkeypatch.setenv("TWITCH_LIVE", "1")
    live_html = style.figure_html(fig)
    png, size = style.figure_png(fig)
    assert live_html.count("<img") == 1 and "<source" not in live_html
    assert base64.b64encode(png).decode() in live_html
    assert _png_size(png) == (2 * size["width"], 2 * size["height"])
    monkeypatch.delenv("TWITCH_LIVE")
    book_html = style.figure_html(fig)
    assert "<source" in book_html  # the book keeps both variants
