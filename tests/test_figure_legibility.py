"""A course figure's PNG records its smallest text size (for the print edition's legibility check).

Checked against the figure as drawn (font sizes set in the test) and against the PNG standard's
chunk layout and CRC, computed here independently with zlib; the image itself must still decode.
"""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

from widgets.figures.legibility import PNG_KEY, read_png_text, smallest_text_pt
from widgets.figures.style import figure_png, new_figure


def _chunks(png: bytes):
    pos = 8
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        crc = struct.unpack(">I", png[pos + 8 + length:pos + 12 + length])[0]
        yield kind, body, crc
        pos += 12 + length


def test_png_records_the_smallest_visible_text():
    fig, ax = new_figure(1, 1, width_in=4.0, height_in=2.0)
    ax.plot([0, 1], [0, 1], label="a line")
    ax.legend(fontsize=7)
    ax.set_title("title", fontsize=12)
    png, _ = figure_png(fig)
    assert read_png_text(png)[PNG_KEY] == "7"
    chunks = list(_chunks(png))
    assert chunks[0][0] == b"IHDR"
    for kind, body, crc in chunks:
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
    im = Image.open(io.BytesIO(png))
    im.load()
    assert im.size == (800, 400)
    assert im.text[PNG_KEY] == "7"


def test_hidden_text_does_not_count():
    fig, ax = new_figure(1, 1, width_in=4.0, height_in=2.0)
    ax.axis("off")                       # tick labels (10 pt in the course style) are not drawn
    ax.text(0.5, 0.5, "label", fontsize=12)
    ax.text(0.1, 0.1, "hidden", fontsize=5).set_visible(False)
    figure_png(fig)
    assert smallest_text_pt(fig) == 12
