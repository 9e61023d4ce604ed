"""Small Sphinx adjustments for the Twitch book (loaded via _config.yml local_extensions).

1. Load MathJax on every page (``html_assets_policy = "always"``). jupyterquiz's inline script
   loads MathJax from a CDN when a page has none; serving ours everywhere keeps quiz pages offline.
2. Drop duplicated inline scripts. Under Jupyter Book 1.x the ``env-before-read-docs`` hooks of
   sphinx-thebe and sphinx-togglebutton run twice, so ``const THEBE_JS_URL`` is declared twice and
   the browser logs "Identifier 'THEBE_JS_URL' has already been declared". Removing the exact
   duplicates removes the cause of that console error.
3. One set of sidebar toggles (the navigation on phones and tablets). pydata-sphinx-theme 0.17
   fills ``navbar_persistent`` with its search field whenever the option is absent (its
   ``update_config``), and any navbar item makes it render its own header bar, with a second
   ``.primary-toggle`` / ``.secondary-toggle`` pair and a second search box, ahead of
   sphinx-book-theme's toggles in the article header. Both themes' scripts wire the first
   ``.primary-toggle`` in the page (``document.querySelector``): the hidden header one. So below
   992 px the visible button opened nothing, and on a desktop it could not collapse the sidebar
   (pydata-sphinx-theme issue 2451; sphinx-book-theme issues 917, 988). sphinx-book-theme's
   layout wants no navbar (its ``theme.conf`` empties every other ``navbar_*`` option): we set
   ``navbar_persistent`` to empty as well, so the header bar and its duplicates are not built.
4. Course figures as ``<picture>`` (wide and phone variants): :mod:`course_figures`.
5. Lesson, figure and exercise numbers that carry the part ("Figure 2.1.3"): :mod:`part_numbers`.
6. One glossary. ``book/glossary.md`` assembles its terms from several files (one per part, so
   that authors of different parts can edit them apart), each a sorted ``{glossary}`` of its
   own; a reader wants one alphabetical list. On that page the glossaries are merged into the
   first and sorted as Sphinx sorts one (``:sorted:``); term links and anchors are unchanged.
7. Numeric quiz answers get a visible hint and a "Check" button (``quiz-help.js``).
8. The site ships only what its pages use: :mod:`site_weight`.
9. Launch buttons: the JupyterHub button appears only when a hub is configured (``_config.yml``
   ``launch_buttons.jupyterhub_url``, or the environment variable ``TWITCH_JUPYTERHUB_URL``).
10. Comparison tables become one card per row on a phone: :mod:`phone_tables`.
"""

from __future__ import annotations

import os
import unicodedata

from sphinx import addnodes

#: The page whose glossaries are merged into one alphabetical list.
MERGED_GLOSSARY_PAGE = "book/glossary"


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        key = (getattr(js, "filename", str(js)) or "",
               tuple(sorted((k, str(v)) for k, v in getattr(js, "attributes", {}).items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(js)
    scripts[:] = unique


def _term_key(item) -> str:
    term = item.next_node(lambda n: n.tagname == "term")
    return unicodedata.normalize("NFD", term.astext().lower()) if term is not None else ""


def _merge_glossaries(app, doctree):
    if app.env.docname != MERGED_GLOSSARY_PAGE:
        return
    glossaries = list(doctree.findall(addnodes.glossary))
    if len(glossaries) < 2:
        return
    lists = [g.next_node(lambda n: n.tagname == "definition_list") for g in glossaries]
    items = [item for dl in lists if dl is not None for item in dl.children]
    target = lists[0]
    target.children = []
    for item in sorted(items, key=_term_key):
        target.append(item)
    for g in glossaries[1:]:
        g.parent.remove(g)


def _one_header(app, config):
    options = dict(config.html_theme_options or {})
    options.setdefault("navbar_persistent", [])
    # A logo for each theme: the light one is a white card, which was a white box in the dark
    # theme (pydata-sphinx-theme shows the one that matches the reader's theme).
    options.setdefault("logo", {"image_light": "book/_assets/logo.svg",
                                "image_dark": "book/_assets/logo-dark.svg"})
    hub = os.environ.get("TWITCH_JUPYTERHUB_URL", "").strip()
    if hub and isinstance(options.get("launch_buttons"), dict):
        options["launch_buttons"] = {**options["launch_buttons"], "jupyterhub_url": hub}
    config.html_theme_options = options


def setup(app):
    app.connect("config-inited", _one_header)
    app.connect("doctree-read", _merge_glossaries)
    app.add_js_file("quiz-help.js", priority=200)
    app.setup_extension("course_figures")
    app.setup_extension("part_numbers")
    app.setup_extension("site_weight")
    app.setup_extension("phone_tables")
    app.set_html_assets_policy("always")
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

