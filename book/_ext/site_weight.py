"""Ship only what the book's pages use (issue 11.11).

The themes and vendored libraries copy more into ``_static/`` than any page loads. After an
HTML build this extension removes, from the output only (the sources and the vendored copies are
left alone):

- source maps (``*.map``, about 3.4 MB) and the ``sourceMappingURL`` comments that point at
  them: a browser fetches them only for its developer tools;
- web fonts in formats no current browser picks (``.eot``, ``.ttf``, ``.woff``, SVG fonts) where
  the same ``@font-face`` offers ``woff2`` first: the ipywidgets manager's Font Awesome and
  pydata-sphinx-theme's. MathJax's own fonts (``woff``, its only format) are kept;
- ``fontawesome.js`` (1.5 MB, loaded by every page): pydata-sphinx-theme also ships Font Awesome
  as a web font in its stylesheet, which draws every icon the book uses; the script only turns
  those icons into inline SVG;
- the theme's translation catalogues (``_static/locales``), used at build time only.

And per page (``html-page-context``): MathJax is loaded only where something needs it, that is
on pages with math, a quiz (jupyterquiz typesets its questions, and would fetch MathJax from a
CDN if the page had none) or stored widgets (the widget manager typesets labels).
"""

from __future__ import annotations

import re
from pathlib import Path

SOURCE_MAP_COMMENT = re.compile(rb"\n?/[/*][#@] sourceMappingURL=[^\n*]*(\*/)?\s*$")
FONTAWESOME_SCRIPT = re.compile(
    r'[ \t]*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\n?')
FONT_DIRS = ("html-manager", "vendor/fontawesome/webfonts")
NEEDS_MATHJAX = ('class="math', "quizQn", "show_questions", "jupyterquiz",
                 "application/vnd.jupyter.widget-view+json")


def _is_svg_font(path: Path) -> bool:
    head = path.read_bytes()[:4000]
    return b"<font" in head or b"<font-face" in head


def prune(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.builder.outdir)
    static = out / "_static"
    removed = 0
    for path in static.rglob("*.map"):
        removed += path.stat().st_size
        path.unlink()
    for path in [*static.rglob("*.js"), *static.rglob("*.css")]:
        data = path.read_bytes()
        stripped = SOURCE_MAP_COMMENT.sub(b"\n", data)
        if stripped != data:
            path.write_bytes(stripped)
    for folder in FONT_DIRS:
        for path in (static / folder).glob("*"):
            font = path.suffix in {".eot", ".ttf", ".woff"} or (
                path.suffix == ".svg" and _is_svg_font(path))
            if font and path.is_file():
                removed += path.stat().st_size
                path.unlink()
    locales = static / "locales"
    if locales.is_dir():
        for path in sorted(locales.rglob("*"), reverse=True):
            if path.is_file():
                removed += path.stat().st_size
                path.unlink()
            else:
                path.rmdir()
        locales.rmdir()
    fontawesome = static / "scripts" / "fontawesome.js"
    if fontawesome.exists():
        removed += fontawesome.stat().st_size
        fontawesome.unlink()
        for page in out.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            new = FONTAWESOME_SCRIPT.sub("", text)
            if new != text:
                page.write_text(new, encoding="utf-8")
    from sphinx.util import logging
    logging.getLogger(__name__).info(f"site weight: removed {removed / 1e6:.1f} MB of unused files")


def mathjax_where_needed(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    body = context.get("body") or ""
    if not scripts or any(marker in body for marker in NEEDS_MATHJAX):
        return
    if any("embed-amd.js" in str(getattr(js, "filename", "") or "") for js in scripts):
        return
    mathjax = app.config.mathjax_path

    def is_mathjax(js) -> bool:
        name = str(getattr(js, "filename", "") or "")
        inline = str(getattr(js, "attributes", {}).get("body", ""))
        return (mathjax and name.endswith(mathjax)) or inline.lstrip().startswith(
            "window.MathJax")

    scripts[:] = [js for js in scripts if not is_mathjax(js)]


def setup(app):
    app.connect("html-page-context", mathjax_where_needed, priority=950)
    app.connect("build-finished", prune)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
