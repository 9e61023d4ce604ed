"""Course figures in the book: one ``<picture>`` with a wide and a narrow (phone) image.

A displayed course figure (``widgets.figures.style.CourseFigure``) stores two outputs in the
notebook: ``image/png`` (the wide figure) and ``text/html`` (a ``<picture>`` whose ``<source>``
holds a stacked, single-column version for narrow screens, as a data URI). myst-nb renders both
into the doctree and would later keep only the HTML, which has neither the cell's alt text nor
an image file. This module, on ``doctree-read`` (before Sphinx collects the images):

- writes the narrow PNG next to the wide one and adds it as an image node (so Sphinx copies it to
  ``_images/`` like any other figure);
- replaces the pair by a :class:`course_picture` node holding the wide image (with the cell's
  ``image: alt`` and inside its ``mystnb: figure`` caption and number) and the narrow one;
- drops the ``text/html`` output, so every builder renders the same node.

HTML: ``<picture>`` with a ``<source media=...>`` (the narrow file) and the wide ``<img>``, both
with their 1x ``width``/``height`` and ``data-min-text-px`` (the figure's smallest text, px at
1x, recorded by the package; tests multiply it by the displayed scale). Below the fold images
load lazily. Other builders (LaTeX/PDF): the wide image only.
"""

from __future__ import annotations

import base64
import hashlib
import html
import posixpath
import re
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform


class course_picture(nodes.General, nodes.Element):
    """A wide image (first child) and its narrow variant (second child), shown by media query."""


class _PictureParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.source: dict[str, str] = {}
        self.img: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "source":
            self.source = dict(attrs)
        elif tag == "img":
            self.img = dict(attrs)


def _bundle_parts(bundle: nodes.Element) -> dict[str, nodes.Element]:
    return {c.get("mime_type"): c for c in bundle.children if isinstance(c, nodes.container)}


def _convert(app, doctree) -> None:
    srcdir = Path(app.srcdir)
    for bundle in list(doctree.findall(nodes.container)):
        if bundle.get("nb_element") != "mime_bundle":
            continue
        parts = _bundle_parts(bundle)
        html_part, png_part = parts.get("text/html"), parts.get("image/png")
        if html_part is None or png_part is None:
            continue
        raw = html_part.next_node(nodes.raw)
        wide = png_part.next_node(nodes.image)
        if raw is None or wide is None or 'class="course-figure"' not in raw.astext():
            continue
        parser = _PictureParser()
        parser.feed(raw.astext())
        srcset = parser.source.get("srcset", "")
        match = re.fullmatch(r"data:image/png;base64,([A-Za-z0-9+/=\s]+)", srcset)
        if not match:
            continue
        data = base64.b64decode(match.group(1))
        wide_path = srcdir / wide["uri"].lstrip("/")
        narrow_path = wide_path.with_name(hashlib.sha256(data).hexdigest() + ".png")
        if not narrow_path.exists():
            narrow_path.write_bytes(data)
        narrow_uri = "/" + narrow_path.relative_to(srcdir).as_posix() if wide["uri"].startswith(
            "/") else posixpath.join(posixpath.dirname(wide["uri"]), narrow_path.name)
        narrow = nodes.image(uri=narrow_uri, alt=wide.get("alt", ""), classes=["no-scaled-link"])
        picture = course_picture(
            media=parser.source.get("media", ""),
            narrow_width=parser.source.get("width", ""),
            narrow_height=parser.source.get("height", ""),
            narrow_min_text_px=parser.source.get("data-min-text-px", ""),
            wide_width=parser.img.get("width", ""), wide_height=parser.img.get("height", ""),
            wide_min_text_px=parser.img.get("data-min-text-px", ""))
        wide["classes"].append("no-scaled-link")
        wide.replace_self(picture)
        picture += wide
        picture += narrow
        bundle.remove(html_part)


def _image_src(translator, image: nodes.image) -> str:
    uri = image["uri"]
    if uri in translator.builder.images:
        return posixpath.join(translator.builder.imgpath,
                              urllib.parse.quote(translator.builder.images[uri]))
    return uri


def visit_course_picture_html(self, node: course_picture) -> None:
    wide, narrow = node.children[0], node.children[1]
    wide_src, narrow_src = _image_src(self, wide), _image_src(self, narrow)
    attr = html.escape
    self.body.append(
        f'<a class="reference internal image-reference" href="{attr(wide_src)}">'
        f'<picture class="course-figure">'
        f'<source media="{attr(node["media"])}" srcset="{attr(narrow_src)}" '
        f'width="{attr(node["narrow_width"])}" height="{attr(node["narrow_height"])}" '
        f'data-min-text-px="{attr(node["narrow_min_text_px"])}">'
        f'<img src="{attr(wide_src)}" alt="{attr(wide.get("alt", ""))}" '
        f'width="{attr(node["wide_width"])}" height="{attr(node["wide_height"])}" '
        f'data-min-text-px="{attr(node["wide_min_text_px"])}" loading="lazy" decoding="async">'
        f'</picture></a>\n')
    raise nodes.SkipNode


class WideImageOnly(SphinxPostTransform):
    """Builders other than HTML (LaTeX/PDF, text): the wide image alone."""

    default_priority = 5

    def run(self, **kwargs) -> None:
        if self.app.builder.format == "html":
            return
        for node in list(self.document.findall(course_picture)):
            node.replace_self(node.children[0])


def setup(app):
    app.add_node(course_picture, html=(visit_course_picture_html, None))
    # Before Sphinx's image collector (doctree-read, priority 500) so the narrow file is copied.
    app.connect("doctree-read", _convert, priority=400)
    app.add_post_transform(WideImageOnly)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
