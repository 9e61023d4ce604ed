"""The print/PDF edition, as a reader receives it (`make pdf-check`; `make test` runs Part 1 only).

``BOOK_PDF_PARTS`` (e.g. "1") says the PDF is a part-only print (``print_book.py --parts``): the
front matter, those parts' lessons and the glossary. The checks then expect exactly that:
``make pdf-test`` (in ``make test``) prints Part 1 of the fresh build; ``make pdf-check`` prints
and checks the whole edition.

The PDF is checked against the book it was printed from and against the sources, never against
the print tool's own output: lesson titles come from the notebooks, figures from the built HTML
pages, quiz questions and answers from ``widgets/quizzes/*.json``, page numbers from the PDF's
own outline. Poppler (``pdftotext``, ``pdfimages``, ``pdffonts``) reads the PDF like a viewer.
"""

from __future__ import annotations

import base64
import json
import os
import re
import struct
import subprocess
from collections import Counter
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from tests.lessons import ROOT, lesson_notebooks, toc_files

pytestmark = pytest.mark.pdf

#: Part numbers of a part-only print ("" or unset: the whole edition).
PARTS = {p for p in os.environ.get("BOOK_PDF_PARTS", "").split(",") if p.strip()}
SUBSET_BACK_MATTER = ("book/glossary",)


def printed_docs() -> list[str]:
    """The pages the PDF prints, in order, from ``_toc.yml`` (all of them, or for a part-only
    print the root page, the parts before Part 1, the chosen parts and the glossary)."""
    if not PARTS:
        return toc_files()
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    docs, front = [toc["root"]], True
    for part in toc["parts"]:
        m = re.match(r"Part\s+(\d+)", part.get("caption", ""))
        front = front and not m
        for ch in part["chapters"]:
            if front or (m and m.group(1) in PARTS) or ch["file"] in SUBSET_BACK_MATTER:
                docs.append(ch["file"])
    return docs


def printed_lessons() -> list[Path]:
    docs = set(printed_docs())
    return [nb for nb in lesson_notebooks() if str(nb.relative_to(ROOT))[:-6] in docs]

#: The smallest text size a figure may print at (points): Nature's figure guide asks for text of
#: 5 pt at least (between 5 and 7 pt) at final size. The print edition aims higher (6 pt: a figure
#: that would print smaller goes on a landscape page when that helps; bench_pdf.py lists the rest).
MIN_FIGURE_TEXT_PT = 5.0


@pytest.fixture(scope="module")
def pdf() -> Path:
    """The PDF: ``BOOK_PDF``, default ``_build/test/pdf/twitch-a4.pdf`` (``make pdf-test``)."""
    path = Path(os.environ.get("BOOK_PDF", ROOT / "_build/test/pdf/twitch-a4.pdf"))
    if not path.exists():
        pytest.fail(f"no PDF at {path}: run `make pdf-test` first (make test does)")
    return path


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pages_text(pdf) -> list[str]:
    return _run("pdftotext", "-enc", "UTF-8", str(pdf), "-").split("\f")


@pytest.fixture(scope="module")
def outline(pdf) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) for every outline entry, in order."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    out = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item) + 1))
    walk(reader.outline, 0)
    return out


def _lesson_titles() -> list[tuple[str, str]]:
    """(number, title) of each lesson: its position in ``_toc.yml`` and its notebook's # heading."""
    out = []
    for nb_path in printed_lessons():
        nb = nbformat.read(nb_path, as_version=4)
        first = next(c.source for c in nb.cells if c.cell_type == "markdown")
        title = re.match(r"#\s+(.+)", first).group(1).strip()
        part, lesson = nb_path.parent.name.split("-")[0], nb_path.name.split("-")[0]
        out.append((f"{part}.{lesson}", title))
    return out


def test_page_count_is_that_of_a_course_book(pdf):
    from pypdf import PdfReader

    n = len(PdfReader(str(pdf)).pages)
    lessons = len(printed_lessons())
    assert lessons >= 5
    # Lessons of 4-20 pages, front matter, appendices, glossary (and, for the whole edition, the
    # claims table and the references).
    assert 4 * lessons + 10 <= n <= 20 * lessons + (60 if PARTS else 150), f"{n} pages"


def test_every_lesson_is_in_the_outline_under_its_part(outline):
    titles = [(depth, t) for depth, t, _ in outline]
    for number, title in _lesson_titles():
        at = titles.index((1, f"{number} {title}")) if (1, f"{number} {title}") in titles else -1
        assert at >= 0, f"lesson {number} {title!r} is not in the PDF outline under a part"
        part = next(t for d, t in reversed(titles[:at]) if d == 0)
        assert part.startswith(f"Part {number.split('.')[0]}:"), f"lesson {number} under {part!r}"


def test_contents_page_numbers_are_where_the_lessons_start(pdf, outline, pages_text):
    starts = {}
    for depth, t, page in outline:
        m = re.match(r"(\d\.\d+) ", t)
        if depth == 1 and m:
            starts[m.group(1)] = page
    contents = _run("pdftotext", "-layout", "-f", "1", "-l", "8", str(pdf), "-")
    for number, title in _lesson_titles():
        line = re.search(rf"^\s*{re.escape(number)}\s+{re.escape(title)}\s+(\d+)\s*$", contents,
                         re.M)
        assert line, f"lesson {number} not in the contents"
        assert int(line.group(1)) == starts[number], f"contents say p. {line.group(1)} for " \
            f"lesson {number}; it starts on p. {starts[number]}"
        assert f"Lesson {number}" in pages_text[starts[number] - 1], "page does not open the lesson"


def test_no_unresolved_page_reference_or_raw_output(pages_text):
    text = "\n".join(pages_text)
    assert "<Figure size" not in text
    assert not re.search(r"\bp\. 000\b|\(lesson [\d.]+, p\. 000\)", text), "placeholder left"
    for tex in (r"\frac", r"\mathrm", r"\left", r"\begin{", r"\(", r"\[", "$$"):
        assert tex not in text, f"raw TeX {tex!r} in the PDF text"
    # Dead widgets print as nothing or as an error text; neither may appear.
    assert "Error displaying widget" not in text and "Loading widget" not in text
    # MyST that did not become text: roles, directives, fences, substitutions.
    for raw in ("{ref}", "{numref}", "{doc}", "{cite", "{term}", "{eq}", "```", ":::", "{{"):
        assert raw not in text, f"raw MyST {raw!r} in the PDF text"


#: Text that only the online versions of a panel or a player carry (a dead control on paper).
ONLINE_ONLY = ("This panel needs JavaScript", "Live in this page, precomputed",
               "Snapshot, not live", "Play the sound of", "Show the trace of",
               "Show code cell source", "Hide code cell source")


def test_live_panels_and_sounds_print_as_notes(pages_text, book_html):
    """Each live output of a printed page (ipywidgets view, kernel-free chart panel, sound player)
    prints as a one-line note saying where it lives, and none of its controls' text is left."""
    text = _squash(" ".join(pages_text))
    for phrase in ONLINE_ONLY:
        assert phrase not in text, f"online-only text on paper: {phrase!r}"
    panels = sounds = 0
    for doc in printed_docs():
        art = BeautifulSoup((book_html / f"{doc}.html").read_text(encoding="utf-8"),
                            "html.parser").select_one("article.bd-article")
        for out in art.select("div.cell_output"):
            if out.select_one("script[type='application/vnd.jupyter.widget-view+json'], "
                              "[data-twitch-book-panel], .twitch-bp-snapshot"):
                panels += 1
        # a kernel-free panel's own player (the EMG panel) goes with the panel's one note
        sounds += sum(1 for a in art.find_all("audio")
                      if a.find_parent(class_="twitch-ear-training") is None
                      and a.find_parent(attrs={"data-twitch-book-panel": True}) is None)
    assert text.count("Live panel. In the online book and in JupyterLab") == panels
    assert text.count("Sound, in the online book and in JupyterLab:") == sounds


def test_running_heads_name_the_lesson(pdf, outline, pages_text):
    from pypdf import PdfReader

    pages = PdfReader(str(pdf)).pages
    for depth, t, page in outline:
        m = re.match(r"(\d\.\d+) (.+)", t)
        if depth == 1 and m:
            # The lesson's next portrait page (a landscape figure page carries only its number).
            nxt = next(i for i in range(page, len(pages))
                       if pages[i].mediabox.width < pages[i].mediabox.height)
            head = " ".join(pages_text[nxt].strip().splitlines()[:3])
            assert f"{m.group(1)} {m.group(2)}" in head or "Part" in head, \
                f"page {nxt + 1} head: {head!r}"


def _book_figures(book_html: Path) -> Counter:
    """(width, height) in pixels of every image a reader sees in the book's pages."""
    sizes = Counter()
    for doc in printed_docs():
        page = book_html / f"{doc}.html"
        art = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(
            "article.bd-article")
        for img in art.find_all("img"):
            src = img.get("src", "")
            if src.startswith("data:image/png;base64,"):
                data = base64.b64decode(src.split(",", 1)[1][:64] + "==")
            elif src.endswith(".png"):
                data = (page.parent / src).read_bytes()[:32]
            else:
                continue
            sizes[struct.unpack(">II", data[16:24])] += 1
    return sizes


def _pdf_images(pdf: Path) -> list[dict]:
    rows = _run("pdfimages", "-list", str(pdf)).splitlines()[2:]
    out = []
    for row in rows:
        f = row.split()
        if f[2] == "image":
            out.append({"page": int(f[0]), "w": int(f[3]), "h": int(f[4]), "ppi": float(f[12])})
    return out


def test_every_figure_of_the_book_is_embedded(pdf, book_html):
    want = _book_figures(book_html)
    assert sum(want.values()) >= len(printed_lessons()), "fewer figures than lessons"
    have = Counter((i["w"], i["h"]) for i in _pdf_images(pdf))
    missing = want - have
    assert not missing, f"figures of the book not in the PDF (pixel size: count): {dict(missing)}"


def test_figure_text_is_legible_on_paper(pdf, book_html):
    """Each figure's smallest text, scaled as printed, is at least MIN_FIGURE_TEXT_PT.

    The smallest text comes from the book page (``data-min-text-px`` on each course figure: CSS
    px at the figure's 1x width, recorded when it was drawn); the scale from where Chromium
    placed the image (its pixels and pixels per inch in the PDF).
    """
    images = _pdf_images(pdf)
    too_small, checked = [], 0
    for doc in printed_docs():
        page = book_html / f"{doc}.html"
        art = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(
            "article.bd-article")
        for img in art.select("img[data-min-text-px]"):
            if not img.get("data-min-text-px") or not img.get("width"):
                continue
            src = img["src"]
            data = (base64.b64decode(src.split(",", 1)[1][:64] + "==")
                    if src.startswith("data:") else (page.parent / src).read_bytes()[:32])
            w, h = struct.unpack(">II", data[16:24])
            text_fraction = float(img["data-min-text-px"]) / float(img["width"])
            for i in (i for i in images if (i["w"], i["h"]) == (w, h)):
                checked += 1
                printed = text_fraction * w / i["ppi"] * 72
                if printed < MIN_FIGURE_TEXT_PT:
                    too_small.append(f"{doc.split('/')[-1]} {src[-16:]} p.{i['page']}: "
                                     f"{printed:.1f} pt")
    assert checked >= len(printed_lessons()), f"only {checked} figures checked"
    assert not too_small, f"figure text below {MIN_FIGURE_TEXT_PT} pt: {sorted(set(too_small))}"


def test_fonts_are_embedded(pdf):
    rows = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert rows, "no fonts"
    not_embedded = [r for r in rows if r.split()[-5] != "yes"]
    assert not not_embedded, not_embedded


def _shown_quizzes() -> list[str]:
    names = []
    for nb_path in printed_lessons():
        nb = nbformat.read(nb_path, as_version=4)
        for c in nb.cells:
            if c.cell_type == "code":
                names += re.findall(r"""show_quiz\(\s*["']([^"']+)["']""", c.source)
    return names


def _squash(s: str) -> str:
    """Text as a reader reads it: one space between words, none inside brackets (pdftotext puts
    a space between an italic word and the bracket after it)."""
    s = re.sub(r"\s+", " ", s.replace("\u00ad", "")).strip()
    return re.sub(r"([(\[]) | ([)\].,;:])", lambda m: m.group(1) or m.group(2), s)


def test_quizzes_are_printed_with_an_answer_key(pages_text):
    text = _squash(" ".join(pages_text))
    key_at = text.find("Answers to the self-check quizzes", text.find("Appendix B") + 1)
    body, key = text[:key_at], text[key_at:]
    names = _shown_quizzes()
    assert len(names) >= len(printed_lessons())
    for name in names:
        questions = json.loads((ROOT / "widgets/quizzes" / f"{name}.json").read_text())
        for q in questions:
            assert _squash(q["question"])[:60] in body, f"{name}: question not printed"
            right = next(a for a in q["answers"] if a.get("correct"))
            assert _squash(right["feedback"])[:50] in key, f"{name}: answer not in the key"
            if q["type"] != "numeric":
                assert _squash(str(right["answer"]))[:40] in key, f"{name}: right answer missing"


def test_every_exercise_solution_is_printed(pdf, pages_text, book_html):
    text = _squash(_without_heads(pages_text))
    layout = _squash(_without_heads(_run("pdftotext", "-layout", "-enc", "UTF-8", str(pdf),
                                         "-").split("\f")))
    n_solutions = 0
    for doc in printed_docs():
        soup = BeautifulSoup((book_html / f"{doc}.html").read_text(encoding="utf-8"),
                             "html.parser")
        for sol in soup.select("article.bd-article div.solution"):
            n_solutions += 1
            content = sol.find("section")
            first = content.find("p") if content is not None else None
            if first is not None:
                for math in first.select(".math"):        # typeset in the PDF, TeX here
                    math.replace_with("\x00")
                words = max(_squash(first.get_text()).split("\x00"), key=len).strip()
                # pdftotext's reading order can put a line with sub/superscripts out of place;
                # its -layout mode keeps lines in visual order: either reading will do.
                assert words[:50] in text or words[:50] in layout, \
                    f"{doc}: a solution is missing ({words[:50]!r})"
    assert n_solutions >= len(printed_lessons())
    assert text.count("Solution: p.") == n_solutions


def _without_heads(pages_text: list[str]) -> str:
    """The PDF's text without running heads and page numbers, which sit between the two halves
    of a paragraph that a page break splits (the first lines of a page that are its number or a
    head that recurs on other pages)."""
    firsts = Counter(line.strip() for page in pages_text for line in page.strip().splitlines()[:3])
    body = []
    for n, page in enumerate(pages_text, start=1):
        lines = page.strip().splitlines()
        while lines and (not lines[0].strip() or lines[0].strip() == str(n)
                         or (firsts[lines[0].strip()] >= 2 and len(lines[0]) < 90)):
            lines.pop(0)
        body.append("\n".join(lines))
    return " ".join(body)


def _unhyphenated(s: str) -> str:
    """Text with every hyphen and the space after it removed (Chromium hyphenates at line ends;
    pdftotext keeps the hyphen), so a word broken across lines matches its source."""
    return re.sub(r"[-\u2010\u00ad]\s?", "", s)


def test_every_paragraph_of_the_book_is_printed(pages_text, book_html):
    """No text a reader of the HTML book sees is lost on paper: every paragraph of every printed
    page (outside code cells and solutions, which other tests check) appears in the PDF text.
    Math and links are cut out (typeset, or followed by a page reference, in print)."""
    text = _unhyphenated(_squash(_without_heads(pages_text)))
    missing = []
    for doc in printed_docs():
        art = BeautifulSoup((book_html / f"{doc}.html").read_text(encoding="utf-8"),
                            "html.parser").select_one("article.bd-article")
        for p in art.find_all("p"):
            if p.find_parent(["div"], class_=["cell", "solution", "toctree-wrapper"]) or \
                    "admonition-title" in p.get("class", []) or p.find_parent(["nav", "td"]):
                continue
            for el in p.select(".math, a, sup, code"):
                el.replace_with("\x00")
            chunk = max(_squash(p.get_text()).split("\x00"), key=len).strip(" .,;:()[]")
            if len(chunk) >= 25 and _unhyphenated(chunk)[:45] not in text:
                missing.append(f"{doc}: {chunk[:60]!r}")
        # Table cells: pdftotext interleaves a table's columns, so each row is found by its
        # first cell (the claims audit's claim IDs).
        for row in art.select("table tbody tr"):
            first = row.find("td")
            key = _squash(first.get_text()) if first is not None else ""
            if key and re.fullmatch(r"[A-Z]\d{3}", key) and key not in text:
                missing.append(f"{doc}: table row {key}")
    assert not missing, f"{len(missing)} paragraphs not in the PDF: {missing[:8]}"


def test_external_addresses_are_printed(pages_text):
    text = " ".join(pages_text)
    if not PARTS:
        assert "doi:10." in text                  # references keep their DOIs
    repo = "github.com/twitch-course/twitch"
    assert repo in text, "the source repository's address is not printed"


def test_glossary_references_and_disclaimer_are_there(outline, pages_text):
    titles = [t for _, t, _ in outline]
    for title in ("Glossary", "Medical disclaimer and red flags", "Solutions to the exercises",
                  "Answers to the self-check quizzes") + (() if PARTS else ("References",)):
        assert any(title in t for t in titles), f"{title} not in the outline"
    text = " ".join(pages_text)
    assert "Red flags" in text or "red flags" in text
