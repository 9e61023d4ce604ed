"""Tables that a phone can read: on a narrow screen each row becomes a card.

A lesson's comparison tables (three to five columns of short phrases with citations) are wider
than a 390 px phone: the theme puts them in a box that scrolls sideways, so the last column was
cut off at the screen's edge and few readers notice that it scrolls. This extension marks every
content table that has a header row and :data:`MIN_COLUMNS` to :data:`MAX_COLUMNS` columns with
the class ``twitch-stack``, and gives each body cell its column's header text as ``data-label``.
``twitch.css`` then shows such a table as it is on a wide screen, and below 576 px as one card
per row in which each cell is preceded by its column's name (no script is needed).

It works on the rendered page body (``html-page-context``): docutils' HTML writer cannot put
``data-`` attributes on table cells. Only tables the Markdown writer made (``<table
class="table">``) are touched; code-cell outputs (pandas tables) and the claims audit, which has
its own phone layout, are not.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

#: Tables with fewer columns fit a phone as they are; a grid with more (the instructor guide's
#: lessons-by-strands matrix) is read across, so it keeps its sideways scroll.
MIN_COLUMNS = 3
MAX_COLUMNS = 8
STACK_CLASS = "twitch-stack"
_TABLE = re.compile(r'<table class="table">.*?</table>', re.S)


def label_cells(table_html: str) -> str:
    """The table with ``data-label`` on each body cell and the stacking class, or unchanged
    when it has no header row, fewer than :data:`MIN_COLUMNS` or more than :data:`MAX_COLUMNS`
    columns, or merged cells."""
    soup = BeautifulSoup(table_html, "html.parser")
    table = soup.table
    head = table.find("thead")
    if head is None or table.find("table") is not None:
        return table_html
    heads = head.find_all("tr")
    if len(heads) != 1:
        return table_html
    names = [" ".join(th.get_text(" ", strip=True).split()) for th in heads[0].find_all("th")]
    if not MIN_COLUMNS <= len(names) <= MAX_COLUMNS or any(c.get("colspan") or c.get("rowspan")
                                       for c in table.find_all(["th", "td"])):
        return table_html
    for body in table.find_all("tbody"):
        for row in body.find_all("tr"):
            cells = row.find_all(["td", "th"], recursive=False)
            if len(cells) != len(names):
                return table_html
            for cell, name in zip(cells, names, strict=True):
                cell["data-label"] = name
    table["class"] = table.get("class", []) + [STACK_CLASS]
    return str(table)


def stack_tables(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and '<table class="table">' in body:
        context["body"] = _TABLE.sub(lambda m: label_cells(m.group()), body)


def setup(app):
    app.connect("html-page-context", stack_tables, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
