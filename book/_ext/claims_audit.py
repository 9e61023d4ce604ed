"""The claims audit as a sortable, filterable table (loaded via _config.yml local_extensions).

    ```{claims-audit} claims.yml
    ```

reads the YAML file (relative to the page) and renders one table row per claim: the popular claim
(in our words), its verdict, the correct statement, its sources (``{cite:p}``, so every key must
exist in the bibliography) and the lesson that teaches it (``{doc}``, so a missing lesson is a
build warning). Rows carry ``verdict-*`` and ``category-*`` classes; ``claims-audit.js`` (vanilla,
no CDN) adds the sort buttons and filters, and ``claims-audit.css`` the verdict badges.

The same extension loads ``a11y.js`` / ``a11y.css`` on every page (small accessibility repairs
to third-party output that axe-core flags in the built book) and, on pages with stored widgets,
``widget-manager-fixes.js`` right after require.js (fonts offline; MathJax 3 compatibility).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.builders.html._assets import _JavaScript
from sphinx.util.docutils import SphinxDirective

VERDICTS = ("supported", "partly", "unsupported", "wrong")
VERDICT_LABELS = {"supported": "Supported", "partly": "Partly true", "unsupported": "Unsupported",
                  "wrong": "Wrong"}
COLUMNS = [("ID", 5), ("Topic", 10), ("What the internet says", 20), ("Verdict", 8),
           ("What the evidence says", 29), ("Sources", 14), ("Lesson", 9), ("Articles", 5)]


def load_claims(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise ValueError(f"{path}: expected a mapping with a 'claims' list")
    return data


class ClaimsAuditDirective(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self):
        rel, abs_path = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(rel)
        data = load_claims(Path(abs_path))
        claims = data["claims"]
        counts = Counter(c.get("verdict") for c in claims)
        summary = nodes.paragraph(classes=["claims-summary"])
        summary += nodes.Text(f"{len(claims)} claims checked: " + ", ".join(
            f"{counts.get(v, 0)} {VERDICT_LABELS[v].lower()}" for v in VERDICTS) + ".")

        table = nodes.table(classes=["claims-table"])
        group = nodes.tgroup(cols=len(COLUMNS))
        table += group
        for _, width in COLUMNS:
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        hrow = nodes.row()
        for title, _ in COLUMNS:
            hrow += nodes.entry("", nodes.paragraph(text=title))
        head += hrow
        body = nodes.tbody()
        group += body
        for claim in claims:
            body += self._row(claim)
        # The wrapper lets claims-audit.css widen this page's article column (the page has no
        # right-hand sidebar), so the eight columns fit without sideways scrolling on a desktop.
        wide = nodes.container(classes=["claims-table-wrapper"])
        wide += table
        return [summary, wide]

    def _inline(self, text: str) -> list[nodes.Node]:
        parsed, messages = self.state.inline_text(text, self.lineno)
        return [*parsed, *messages]

    def _cell(self, *children, classes=()) -> nodes.entry:
        para = nodes.paragraph()
        para.extend(children)
        return nodes.entry("", para, classes=list(classes))

    def _row(self, claim: dict) -> nodes.row:
        verdict = str(claim.get("verdict", ""))
        category = str(claim.get("category", "")).replace(" ", "-")
        row = nodes.row(classes=[f"verdict-{verdict}", f"category-{category}"])
        row["ids"].append(f"claim-{claim['id'].lower()}")
        badge = nodes.inline(text=VERDICT_LABELS.get(verdict, verdict),
                             classes=["verdict", f"verdict-{verdict}"])
        cites = ",".join(claim.get("cite") or [])
        lesson = claim.get("lesson", "")
        row += self._cell(nodes.Text(claim["id"]))
        row += self._cell(nodes.strong(text=claim.get("topic", "")),
                          nodes.inline(text=f" ({claim.get('category', '')})",
                                       classes=["claim-category"]))
        row += self._cell(nodes.Text(claim.get("claim", "")))
        row += self._cell(badge, classes=["verdict-cell"])
        row += self._cell(nodes.Text(claim.get("correct", "")))
        row += self._cell(*self._inline(f"{{cite:p}}`{cites}`") if cites else [])
        row += self._cell(*self._inline(f"{{doc}}`/{lesson}`") if lesson else [])
        row += self._cell(nodes.Text(", ".join(claim.get("seeds") or [])))
        return row


def _widget_assets_path(app, pagename, templatename, context, doctree):
    """Insert ``widget-manager-fixes.js`` right after require.js on pages with stored widgets."""
    scripts = context.get("script_files")
    if not scripts:
        return
    for i, js in enumerate(scripts):
        if str(getattr(js, "filename", js) or "").endswith("requirejs/require.js"):
            scripts.insert(i + 1, _JavaScript("_static/widget-manager-fixes.js",
                                              priority=getattr(js, "priority", 500)))
            return


def setup(app):
    app.add_directive("claims-audit", ClaimsAuditDirective)
    # After myst-nb has added require.js and embed-amd.js for this page (priority 500).
    app.connect("html-page-context", _widget_assets_path, priority=900)
    # Before the widget manager and jupyterquiz scripts, so the repairs watch them render.
    app.add_js_file("a11y.js", priority=200)
    app.add_css_file("a11y.css")
    app.add_js_file("claims-audit.js", priority=800)
    app.add_css_file("claims-audit.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
