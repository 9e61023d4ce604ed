"""book/_ext/phone_tables.py: which tables become cards on a phone, and the labels they get."""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("phone_tables", ROOT / "book/_ext/phone_tables.py")
pt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pt)


def _table(head: list[str], rows: list[list[str]], extra: str = "") -> str:
    th = "".join(f'<th class="head"><p>{h}</p></th>' for h in head)
    body = "".join("<tr>" + "".join(f"<td{extra}><p>{c}</p></td>" for c in r) + "</tr>"
                   for r in rows)
    return f'<table class="table"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def test_each_cell_gets_its_columns_name_and_the_table_stacks():
    from bs4 import BeautifulSoup

    html = _table(["ion, direction", "model <em>prediction</em>", "clinical picture"],
                  [["K⁺ low", "silent", 'weakness <a href="#x">[1]</a>'],
                   ["Ca²⁺ low", "fires", "tetany"]])
    table = BeautifulSoup(pt.label_cells(html), "html.parser").table
    assert "twitch-stack" in table["class"]
    labels = [[td["data-label"] for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")]
    assert labels == [["ion, direction", "model prediction", "clinical picture"]] * 2
    # the cells' content is kept, links and all
    assert table.find("a")["href"] == "#x"
    assert table.tbody.find_all("td")[2].get_text(" ", strip=True) == "weakness [1]"


@pytest.mark.parametrize("html", [
    _table(["term", "meaning"], [["a", "b"]]),                      # two columns fit a phone
    _table([f"{k}" for k in range(9)], [list("abcdefghi")]),        # a wide grid keeps scrolling
    _table(["a", "b", "c"], [["1", "2", "3"]], extra=' colspan="2"'),  # merged cells
    '<table class="table"><tbody><tr><td>1</td><td>2</td><td>3</td></tr></tbody></table>',
], ids=["two-columns", "nine-columns", "merged-cells", "no-header"])
def test_tables_that_fit_or_cannot_be_labelled_are_left_alone(html):
    assert pt.label_cells(html) == html


def test_only_markdown_tables_of_the_page_body_are_rewritten():
    body = ("<p>text</p>" + _table(["a", "b", "c"], [["1", "2", "3"]])
            + '<table class="dataframe"><tr><td>out</td></tr></table>')
    context = {"body": body}
    pt.stack_tables(None, "page", "page.html", context, None)
    assert context["body"].count("twitch-stack") == 1
    assert '<table class="dataframe"><tr><td>out</td></tr></table>' in context["body"]
    assert context["body"].startswith("<p>text</p>")
