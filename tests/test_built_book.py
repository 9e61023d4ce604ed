"""The built book, as a reader receives it (needs `make book-test`; run by `make test-browser`).

Static checks on the HTML: every page of the table of contents is there; lessons carry their
figures (with alt text), exercises with drop-down solutions, a self-check quiz, the stored state of
their panels, the download and launch buttons; the offline assets are served by the book.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.lessons import toc_files

pytestmark = pytest.mark.book


def _page(book_html, doc):
    path = book_html / ("index.html" if doc == "index" else f"{doc}.html")
    assert path.exists(), f"{path} was not built"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("doc", toc_files())
def test_every_toc_page_is_built(book_html, doc):
    soup = _page(book_html, doc)
    assert soup.find("main").find("h1"), f"{doc}: no title"


LESSON_DOCS = [d for d in toc_files() if d.startswith("lessons/")]


@pytest.mark.parametrize("doc", LESSON_DOCS)
def test_lesson_page_has_what_a_reader_needs(book_html, doc):
    soup = _page(book_html, doc)
    main = soup.find("main")
    imgs = main.find_all("img")
    assert imgs and all((i.get("alt") or "").strip() for i in imgs), f"{doc}: figures/alt text"
    assert main.find(class_="exercise"), f"{doc}: no exercise"
    assert main.find(class_="solution"), f"{doc}: no solution"
    assert main.find("div", attrs={"data-shuffleanswers": True, "data-numquestions": True}), \
        f"{doc}: no quiz output (jupyterquiz container)"
    assert main.find(attrs={"data-twitch-book-panel": True}) or main.find(
        attrs={"data-twitch-book-snapshot": True}), f"{doc}: no panel (book panel or snapshot)"
    links = [a.get("href", "") for a in soup.find_all("a")]
    assert any(h.endswith(".ipynb") for h in links), f"{doc}: no download-notebook link"
    assert any("mybinder.org" in h for h in links), f"{doc}: no Binder launch button"
    assert any("colab.research.google.com" in h for h in links), f"{doc}: no Colab launch button"


def test_offline_assets_are_served_by_the_book(book_html):
    for rel in ("_static/mathjax/tex-mml-chtml.js", "_static/requirejs/require.js",
                "_static/html-manager/embed-amd.js", "_static/vega/vega.min.js",
                "_static/vega/vega-lite.min.js", "_static/vega/vega-embed.min.js",
                "_static/mathjax/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff"):
        assert (book_html / rel).exists(), rel
    assert (book_html / "searchindex.js").exists()


def test_copyright_and_references_page(book_html):
    soup = _page(book_html, "book/references")
    assert "2026" in soup.get_text()
    assert len(soup.find_all(class_="citation")) >= 5 or len(soup.find_all("dt")) >= 5
