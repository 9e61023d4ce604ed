"""Course figures carry a wide and a phone variant, each legible where the book shows it.

Legibility is arithmetic on published layout numbers, not a self-check: the book shows a wide
figure in a text column at least ``WIDE_MIN_COLUMN_px`` wide and the phone variant in one at
least ``NARROW_MIN_COLUMN_px`` wide (measured in Chromium, see ``widgets/figures/style.py``); an
image is never enlarged. So text of ``f`` px at the figure's 1x width ``W`` reads as
``f * min(1, column / W)`` CSS px, which must reach ``MIN_TEXT_px``. The browser suite
(``tests/browser/test_static_book.py``) measures the same thing on the built book.
"""

from __future__ import annotations

import base64
import re
import struct

import nbformat
import pytest
from nbclient import NotebookClient

from widgets.figures import style


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _grid(nrows=2, ncols=3, width_in=10.0, height_in=4.0, **kw):
    fig, axes = style.new_figure(nrows, ncols, width_in=width_in, height_in=height_in, **kw)
    for k, ax in enumerate(axes.flat):
        ax.plot([0, 1, 2], [k, k + 1, k - 1])
        ax.set_title(f"panel {k}", fontsize=7)
        ax.set_xlabel("time (ms)")
    axes.flat[0].set_ylabel("membrane potential (mV)")
    return fig, axes


def test_wide_variant_is_legible_in_the_narrowest_column():
    fig, _ = _grid()
    wide, _ = style.figure_variants(fig)
    assert (wide.width_px, wide.height_px) == (1000, 400)
    assert _png_size(wide.png) == (2000, 800), "not drawn at twice its 1x size"
    on_screen = wide.min_text_px * min(1.0, style.WIDE_MIN_COLUMN_px / wide.width_px)
    assert on_screen >= style.MIN_TEXT_px - 0.01
    # 7 pt titles at 100 dpi are 9.7 px; in a 640 px column a 1000 px figure is shown at 0.64:
    # 6.2 px. They had to be raised to 9.5 / 0.64 = 14.8 px (10.7 pt).
    assert wide.min_text_px == pytest.approx(style.MIN_TEXT_px * 1000 / 640, abs=0.02)


def test_narrow_variant_stacks_the_panels_in_one_legible_column():
    fig, axes = _grid()
    _, narrow = style.figure_variants(fig)
    assert narrow.width_px == round(style.NARROW_WIDTH_in * 100)
    assert narrow.height_px > 3 * narrow.width_px / 2, "six panels should be stacked"
    assert narrow.min_text_px * min(1.0, style.NARROW_MIN_COLUMN_px / narrow.width_px) \
        >= style.MIN_TEXT_px - 0.01
    stacked = style._copy(fig)
    style._stack(stacked)
    stacked.canvas.draw()
    boxes = sorted((ax.get_position() for ax in stacked.axes), key=lambda b: -b.y1)
    assert len({round(b.x0, 3) for b in boxes}) == 1, "panels are not in one column"
    assert all(a.y0 >= b.y1 - 1e-6 for a, b in zip(boxes, boxes[1:], strict=False)), \
        "stacked panels overlap"


def test_shared_axes_get_their_labels_back_when_stacked():
    fig, axes = style.new_figure(1, 3, width_in=9.0, height_in=3.0, sharey=True)
    for ax in axes:
        ax.plot([0, 1], [0, 1])
    axes[0].set_ylabel("force (N)")
    stacked = style._copy(fig)
    style._stack(stacked)
    stacked.canvas.draw()
    for ax in stacked.axes:
        assert ax.get_ylabel() == "force (N)"
        assert any(t.get_visible() and t.get_text() for t in ax.get_yticklabels())


def test_drawing_the_variants_leaves_the_figure_as_it_was():
    fig, axes = _grid()
    before = (tuple(fig.get_size_inches()), [ax.get_subplotspec().get_geometry()
                                             for ax in fig.axes], axes[0, 0].title.get_fontsize())
    style.figure_variants(fig)
    after = (tuple(fig.get_size_inches()), [ax.get_subplotspec().get_geometry()
                                            for ax in fig.axes], axes[0, 0].title.get_fontsize())
    assert before == after


def test_long_titles_are_wrapped_inside_the_figure():
    fig, ax = style.new_figure(1, 1, width_in=8.0, height_in=3.0)
    ax.plot([0, 1], [0, 1])
    ax.set_title("a very long title that would run past the right edge of a phone-wide figure "
                 "if nothing wrapped it")
    stacked = style._copy(fig)
    style._stack(stacked)
    style._wrap_long_text(stacked)
    stacked.canvas.draw()
    box = stacked.axes[0].title.get_window_extent(stacked.canvas.get_renderer())
    assert "\n" in stacked.axes[0].get_title()
    assert box.x0 >= 0 and box.x1 <= stacked.get_size_inches()[0] * stacked.get_dpi()


def test_picture_html_offers_the_phone_image_by_media_query():
    fig, _ = _grid()
    html = style.picture_html(*style.figure_variants(fig), alt="six panels")
    source = re.search(r'<source media="([^"]+)" srcset="data:image/png;base64,([^"]+)" '
                       r'width="(\d+)" height="(\d+)" data-min-text-px="([\d.]+)">', html)
    img = re.search(r'<img src="data:image/png;base64,([^"]+)" width="(\d+)" height="(\d+)" '
                    r'data-min-text-px="([\d.]+)" alt="six panels"', html)
    assert source and img, html[:300]
    assert source.group(1) == style.NARROW_MEDIA
    assert _png_size(base64.b64decode(source.group(2)))[0] == 2 * int(source.group(3))
    assert _png_size(base64.b64decode(img.group(1)))[0] == 2 * int(img.group(2))


def test_a_notebook_cell_stores_both_variants(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "from widgets.figures.style import new_figure\n"
        "fig, axes = new_figure(1, 2, width_in=8.0, height_in=3.0)\n"
        "axes[0].plot([0, 1], [0, 1]); axes[1].plot([0, 1], [1, 0])\n"
        "fig")]
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    bundles = [o for o in nb.cells[0].outputs if "image/png" in o.get("data", {})]
    assert len(bundles) == 1
    data = bundles[0]["data"]
    assert '<picture class="course-figure">' in data["text/html"]
    assert bundles[0]["metadata"]["image/png"] == {"width": 800, "height": 300}


def test_titles_of_side_by_side_panels_do_not_run_into_each_other():
    """Lesson 1.4's four-panel figure has two-line titles wider than a panel: in the book's wide
    image no two titles overlap (they once ran into each other), and the author's line breaks
    are kept (the setting's name stays on its own line)."""
    from widgets.panels.axon_channels import TWIN_SETTINGS, axon_channels_twin

    wide = style._copy(axon_channels_twin())
    style._variant(wide, style.WIDE_MIN_COLUMN_px)  # what the book's wide image is made from
    wide.canvas.draw()
    renderer = wide.canvas.get_renderer()
    boxes = [ax.title.get_window_extent(renderer) for ax in wide.axes]
    for left, right in zip(boxes, boxes[1:], strict=False):
        assert left.x1 <= right.x0, (left, right)
    for ax, (label, _, _) in zip(wide.axes, TWIN_SETTINGS, strict=True):
        assert ax.get_title().startswith(label + "\n"), ax.get_title()
