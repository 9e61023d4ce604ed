"""Small Sphinx adjustments for the Twitch book (loaded via _config.yml local_extensions).

1. Load MathJax on every page (``html_assets_policy = "always"``). jupyterquiz's inline script
   loads MathJax from a CDN when a page has none; serving ours everywhere keeps quiz pages offline.
2. Drop duplicated inline scripts. Under Jupyter Book 1.x the ``env-before-read-docs`` hooks of
   sphinx-thebe and sphinx-togglebutton run twice, so ``const THEBE_JS_URL`` is declared twice and
   the browser logs "Identifier 'THEBE_JS_URL' has already been declared". Removing the exact
   duplicates removes the cause of that console error.
"""

from __future__ import annotations


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


def setup(app):
    app.set_html_assets_policy("always")
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

