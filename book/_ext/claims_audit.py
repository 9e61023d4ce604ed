"""The claims audit as a sortable, filterable table (loaded via _config.yml local_extensions).

    ```{claims-audit} claims.yml
    ```

reads the YAML file (relative to the page) and renders, first, the legend of the seed articles
(``seeds:`` in the file: the codes 000-004 the rows use), then one table row per claim in three
columns, so that the verdict sits next to the claim and the page stays short on a desktop:

- **Claim**: its id, topic and kind, and the popular claim (in our words);
- **Verdict**: a badge (always written out, never colour alone);
- **What the evidence says**: the correct statement, then its sources: citations (``{cite:p}``,
  so every key must exist in the bibliography), the lesson that teaches it (``{doc}``, so a
  missing lesson is a build warning) and the articles that make the claim.

Rows carry ``verdict-*`` and ``category-*`` classes, cells a class per column, so that
``claims-audit.css`` can show each row as a card on a narrow screen (with the column's name on
each part) and keep the header in view on a wide one. ``claims-audit.js`` (vanilla, no CDN)
adds the sort buttons and filters.

The same extension loads ``a11y.js`` on every page (small accessibility repairs
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
#: (heading, relative width, sort key) of the table's columns.
COLUMNS = [("Claim", 36, "id"), ("Verdict", 10, "verdict"), ("What the evidence says", 54, None)]


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
        self.seeds = {str(k): str(v) for k, v in (data.get("seeds") or {}).items()}
        counts = Counter(c.get("verdict") for c in claims)
        summary = nodes.paragraph(classes=["claims-summary"])
        summary += nodes.Text(f"{len(claims)} claims checked: " + ", ".join(
            f"{counts.get(v, 0)} {VERDICT_LABELS[v].lower()}" for v in VERDICTS) + ".")

        table = nodes.table(classes=["claims-table"])
        group = nodes.tgroup(cols=len(COLUMNS))
        table += group
        for _, width, _key in COLUMNS:
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        hrow = nodes.row()
        for title, _, key in COLUMNS:
            hrow += nodes.entry("", nodes.paragraph(text=title),
                                classes=[f"sort-{key}"] if key else [])
        head += hrow
        body = nodes.tbody()
        group += body
        for claim in claims:
            body += self._row(claim)
        wrapper = nodes.container(classes=["claims-table-wrapper"])
        wrapper += table
        return [summary, self._legend(), wrapper]

    def _legend(self) -> nodes.Element:
        """The articles the codes in the Sources column stand for (``seeds:`` in the file)."""
        box = nodes.container(classes=["claims-legend"])
        intro = nodes.paragraph()
        intro += nodes.strong(text="The articles. ")
        intro += nodes.Text("Each claim lists the popular articles that make it, by number:")
        box += intro
        items = nodes.bullet_list(classes=["claims-legend-list"])
        for code, title in self.seeds.items():
            item = nodes.list_item()
            para = nodes.paragraph()
            para += nodes.inline(text=code, classes=["claims-article-code"])
            para += nodes.Text(f" {title}")
            item += para
            items += item
        box += items
        return box

    def _inline(self, text: str) -> list[nodes.Node]:
        parsed, messages = self.state.inline_text(text, self.lineno)
        return [*parsed, *messages]

    def _cell(self, *children, classes=()) -> nodes.entry:
        entry = nodes.entry("", classes=list(classes))
        for child in children:
            entry += child
        return entry

    def _row(self, claim: dict) -> nodes.row:
        verdict = str(claim.get("verdict", ""))
        category = str(claim.get("category", ""))
        row = nodes.row(classes=[f"verdict-{verdict}", f"category-{category.replace(' ', '-')}"])
        row["ids"].append(f"claim-{claim['id'].lower()}")
        cites = ",".join(claim.get("cite") or [])
        lesson = claim.get("lesson", "")

        head = nodes.paragraph(classes=["claim-head"])
        head += nodes.inline(text=claim["id"], classes=["claim-id"])
        head += nodes.Text(" ")
        head += nodes.strong(text=claim.get("topic", ""), classes=["claim-topic"])
        head += nodes.Text(" ")
        head += nodes.inline(text=category, classes=["claim-category"])
        text = nodes.paragraph(text=claim.get("claim", ""), classes=["claim-text"])
        badge = nodes.paragraph()
        badge += nodes.inline(text=VERDICT_LABELS.get(verdict, verdict),
                              classes=["verdict", f"verdict-{verdict}"])
        correct = nodes.paragraph(text=claim.get("correct", ""))

        sources = []
        if cites:
            para = nodes.paragraph(classes=["claim-cites"])
            para.extend(self._inline(f"{{cite:p}}`{cites}`"))
            sources.append(para)
        if lesson:
            para = nodes.paragraph(classes=["claim-lesson"])
            para += nodes.Text("Lesson: ")
            para.extend(self._inline(f"{{doc}}`/{lesson}`"))
            sources.append(para)
        seeds = [str(s) for s in claim.get("seeds") or []]
        if seeds:
            para = nodes.paragraph(classes=["claim-seeds"])
            para += nodes.Text("Articles: ")
            for k, code in enumerate(seeds):
                if k:
                    para += nodes.Text(", ")
                para += nodes.abbreviation(text=code, explanation=self.seeds.get(code, ""))
            sources.append(para)
        row += self._cell(head, text, classes=["claim-cell"])
        row += self._cell(badge, classes=["verdict-cell"])
        sources_box = nodes.container(classes=["claim-sources"])
        sources_box.extend(sources)
        row += self._cell(correct, sources_box, classes=["correct-cell"])
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
    app.add_js_file("claims-audit.js", priority=800)
    app.add_css_file("claims-audit.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
