"""Kernel-free book panels in the built book (loaded via _config.yml local_extensions).

1. Notebooks executed for the book write each panel's book version (``widgets/panels/book.py``):
   ``TWITCH_BOOK_PANELS=1`` is set here, before any notebook runs, and the kernels that
   myst-nb starts inherit it. A ``jupyter-book build`` by hand therefore behaves like ``make book``.
2. Pages with a book panel load the vendored vega, vega-lite and vega-embed (and only those
   pages). They are loaded before require.js: their UMD wrappers would otherwise register as
   anonymous AMD modules instead of the globals the panels use.
3. A page whose every panel is shown as its book version (no widget view left in the page) does
   not need the stored ipywidgets state or the widget manager: both are dropped from that page.
4. Each panel's output inlines the panels' page script and style (marked ``data-twitch-asset``).
   When a page is written they are refreshed from ``widgets/panels/`` (an execution cache can
   hold outputs made with an older script) and kept once per page.
5. A panel with sounds (the EMG panel: one per needle setting) names its files in
   ``data-twitch-sounds``; the files that pages name are copied from the panel cache's
   ``sounds/`` folder into ``_static/panel-sounds/`` when the build finishes, and fetched by the
   page only when a reader presses play.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

VEGA_FILES = ("vega/vega.min.js", "vega/vega-lite.min.js", "vega/vega-embed.min.js")
PANEL_MARK = "data-twitch-book-panel"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
PANELS_DIR = Path(__file__).resolve().parents[2] / "widgets" / "panels"
SOUNDS_ATTR = re.compile(r'data-twitch-sounds="([^"]*)"')
SOUND_START = re.compile(r'data-twitch-sound="([\w.]+)"')
ASSET_TAG = re.compile(r'<(style|script) data-twitch-asset="([\w.-]+)">.*?</\1>', re.S)


def refresh_assets(body: str) -> str:
    """``body`` with each marked panel script or style replaced by the file's current text, once
    per page (later copies are dropped: the script scans the whole page when it has loaded)."""
    seen: set[str] = set()

    def current(m: re.Match) -> str:
        tag, name = m.group(1), m.group(2)
        if name in seen:
            return ""
        seen.add(name)
        text = (PANELS_DIR / name).read_text(encoding="utf-8")
        return f'<{tag} data-twitch-asset="{name}">{text}</{tag}>'

    return ASSET_TAG.sub(current, body)


def _is_widget_js(js, ipywidgets_js) -> bool:
    filename = str(getattr(js, "filename", None) or "").removeprefix("_static/")
    attrs = getattr(js, "attributes", {}) or {}
    return attrs.get("type") == WIDGET_STATE or filename in ipywidgets_js


def _page_assets(app, pagename, templatename, context, doctree):
    body = context.get("body") or ""
    scripts = context.get("script_files")
    if scripts is None:
        return
    if "data-twitch-asset" in body:
        body = context["body"] = refresh_assets(body)
    if "data-twitch-sound=" in body:  # the starting file, relative to this page
        pathto = context["pathto"]
        body = context["body"] = SOUND_START.sub(
            lambda m: f'src="{pathto("_static/panel-sounds/" + m.group(1), 1)}"', body)
    for names in SOUNDS_ATTR.findall(body):
        app.env.twitch_panel_sounds = getattr(app.env, "twitch_panel_sounds", set()) | set(
            names.split())
    if PANEL_MARK in body:
        for i, name in enumerate(VEGA_FILES):
            app.add_js_file(name, priority=200 + i)
    if WIDGET_VIEW not in body:
        widget_js = set(getattr(app.config, "nb_ipywidgets_js", {}) or {})
        scripts[:] = [js for js in scripts if not _is_widget_js(js, widget_js)]


def _copy_sounds(app, exception):
    """Copy the sound files the pages name into ``_static/panel-sounds`` (see item 5 above)."""
    names = getattr(app.env, "twitch_panel_sounds", set())
    if exception is not None or not names or app.builder.format != "html":
        return
    import shutil

    from widgets.panels import book

    source = book.sound_dir()
    target = Path(app.outdir) / "_static" / book.SOUND_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    missing = sorted(n for n in names if not (source / n).exists())
    if missing:
        raise RuntimeError(f"panel sounds not found in {source}: {missing[:3]} ...")
    for name in names:
        shutil.copyfile(source / name, target / name)


def setup(app):
    os.environ.setdefault("TWITCH_BOOK_PANELS", "1")
    app.connect("build-finished", _copy_sounds)
    # after myst-nb adds a page's widget files (priority 500), before the page is written
    app.connect("html-page-context", _page_assets, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
