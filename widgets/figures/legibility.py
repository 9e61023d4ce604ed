"""How small a figure's text is, written into its PNG so a page layout can check it in print.

A figure's text prints at its font size times the scale the layout applies: a 10 pt label on a
7 in wide figure printed 5 in wide is 7.1 pt on paper. :func:`tag_png` records the smallest
font size (points, at the figure's own size) of the visible text in a figure as a PNG ``tEXt``
chunk (PNG 1.2, section 11.3.4.3), which the print edition (``tools/print_book.py``) reads to
work out, for each figure, the smallest text size on the page.
"""

from __future__ import annotations

import struct
import zlib

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.text import Text

#: The PNG text keyword that holds the smallest font size in points.
PNG_KEY = "Twitch-min-text-pt"


def _visible_texts(artist: Artist):
    if not artist.get_visible():
        return
    if isinstance(artist, Text) and artist.get_text().strip():
        yield artist
    hidden = ()
    if isinstance(artist, Axes) and not artist.axison:       # ax.axis("off") hides its axes
        hidden = (artist.xaxis, artist.yaxis)
    for child in artist.get_children():
        if child not in hidden:
            yield from _visible_texts(child)


def smallest_text_pt(fig) -> float | None:
    """Smallest font size (pt) of the visible, non-empty text in ``fig``; None if it has none.

    Call it after the figure has been drawn (e.g. after ``savefig``), when its tick labels exist.
    """
    sizes = [t.get_fontsize() for t in _visible_texts(fig)]
    return min(sizes) if sizes else None


def tag_png(png: bytes, fig) -> bytes:
    """``png`` with a ``tEXt`` chunk giving :func:`smallest_text_pt` of ``fig`` (if any text)."""
    size = smallest_text_pt(fig)
    if size is None:
        return png
    data = PNG_KEY.encode("latin-1") + b"\0" + f"{size:g}".encode("latin-1")
    chunk = (struct.pack(">I", len(data)) + b"tEXt" + data
             + struct.pack(">I", zlib.crc32(b"tEXt" + data) & 0xFFFFFFFF))
    ihdr_end = 8 + 4 + 4 + 13 + 4          # signature, then the IHDR chunk, which comes first
    return png[:ihdr_end] + chunk + png[ihdr_end:]


def read_png_text(png: bytes) -> dict[str, str]:
    """The ``tEXt`` chunks of a PNG (keyword -> text)."""
    out, pos = {}, 8
    while pos + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"tEXt":
            key, _, value = png[pos + 8:pos + 8 + length].partition(b"\0")
            out[key.decode("latin-1")] = value.decode("latin-1")
        if kind == b"IDAT":
            break
        pos += 12 + length
    return out
