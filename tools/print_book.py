"""Build the print/PDF edition of the course from the built HTML book (``make pdf``).

    python tools/print_book.py [--html _build/html] [--paper a4|letter] [--out PDF]

Route: the HTML book that ``jupyter-book build`` has just made (same sources, same executed
notebooks, same figures) is assembled into one print document, and Debian's Chromium lays it out
and prints it with CSS paged media (``book/_print/print.css``), driven by Playwright. Nothing is
downloaded: MathJax and the fonts are served from the repository.

What the assembly does to each page (all in :class:`Assembler`):

* numbers the lessons as the book does (part.lesson, from ``_toc.yml``), adds a title page, an
  imprint, the contents with page numbers, a divider per part and a running head per chapter;
* keeps the static figures and drops what cannot work on paper: stored ipywidgets panels,
  kernel-free chart panels and audio players become a one-line note saying where they live;
* prints each self-check quiz from its JSON (``widgets/quizzes/``) as numbered questions, with the
  answer key in an appendix; moves every exercise solution to an appendix (a pointer stays);
* turns links between pages into page references ("lesson 1.4, p. 57") and prints external
  addresses after their link text.

Page numbers come from the PDF itself: pass 1 prints with placeholders, the named destinations
Chromium writes for every internal link give each target's page, pass 2 prints with the numbers
(and a blank page where a part would otherwise start on a left-hand page); if anything moved, a
further pass runs. The PDF's page numbers are its physical page numbers, so a reader's "go to
page" lands where the contents say.
"""

from __future__ import annotations

import argparse
import html
import json
import posixpath
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from bs4 import BeautifulSoup, NavigableString, Tag

ROOT = Path(__file__).resolve().parents[1]
PRINT_ASSETS = ROOT / "book" / "_print"
MATHJAX = ROOT / "book" / "_assets" / "vendor" / "mathjax" / "tex-mml-chtml.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PLACEHOLDER = "000"

#: Paper sizes (CSS page size keyword and text-block width in CSS px at 96 px/in).
PAPERS = {
    "a4": {"size": "A4", "width_mm": 210.0, "height_mm": 297.0},
    "letter": {"size": "letter", "width_mm": 215.9, "height_mm": 279.4},
}
MARGINS_MM = {"top": 22.0, "bottom": 20.0, "inner": 20.0, "outer": 15.0}
#: Headings every lesson has (the lesson template); the contents list only the others.
TEMPLATE_SECTIONS = re.compile(r"^(learning objectives|exercises|self-check( quiz)?|key takeaways|"
                               r"when to see a doctor|try this)\b", re.I)
#: Smallest text size a figure may print at, in points, before it goes on a landscape page.
MIN_FIGURE_TEXT_PT = 6.0


#: Widths of the claims audit's columns in print (ID, topic, claim, verdict, evidence, sources,
#: lesson, articles), in percent of the landscape text width.
CLAIMS_COLUMNS_PERCENT = (4, 10, 22, 7.5, 29.5, 13, 8.5, 5.5)
#: The same for the three-column table (claim with its sources and lesson, verdict, evidence),
#: on portrait pages.
CLAIMS_3_COLUMNS_PERCENT = (38, 13, 49)
#: Room kept under a figure for its caption (mm), so the image and caption fit on one page.
CAPTION_ROOM_MM = 25.0


def text_width_px(paper: str, landscape: bool = False) -> float:
    p = PAPERS[paper]
    width = p["height_mm"] if landscape else p["width_mm"]
    return (width - MARGINS_MM["inner"] - MARGINS_MM["outer"]) / 25.4 * 96


def figure_height_px(paper: str, landscape: bool = False) -> float:
    """The tallest a figure may print (CSS px): the text block less room for a caption."""
    p = PAPERS[paper]
    height = p["width_mm"] if landscape else p["height_mm"]
    return (height - MARGINS_MM["top"] - MARGINS_MM["bottom"] - CAPTION_ROOM_MM) / 25.4 * 96


# --------------------------------------------------------------------------------------------
# the table of contents


@dataclass
class Chapter:
    docname: str                 # e.g. "lessons/2-benign-triggers/1-electrolytes"
    key: str                     # id prefix in the print document
    part: str                    # part caption ("" for the root page)
    number: str = ""             # "2.1" for lessons, "" otherwise
    title: str = ""
    sections: list[tuple[str, str]] = field(default_factory=list)   # (id, title) of h2 sections

    @property
    def is_lesson(self) -> bool:
        return bool(self.number)

    @property
    def in_numbered_part(self) -> bool:
        """Chapters of "Part N: ..." get a part divider; front and back matter do not."""
        return bool(re.match(r"Part\s+\d+", self.part))


def safe_id(raw: str) -> str:
    """An id that is also a plain PDF destination name."""
    return re.sub(r"[^A-Za-z0-9_.:-]+", "-", raw)


def doc_key(docname: str) -> str:
    return "d-" + re.sub(r"[^A-Za-z0-9]+", "-", docname).strip("-")


#: Back matter a part-only print (``--parts``) keeps: short, and it has every kind of page the
#: full edition has except the claims table and the bibliography (which ``make pdf`` prints).
SUBSET_BACK_MATTER = ("book/glossary",)


def select_parts(chapters: list[Chapter], parts: set[str]) -> list[Chapter]:
    """The chapters of a part-only print: the front matter, the lessons of ``parts`` (numbers,
    e.g. {"1"}) and the glossary. Links to pages left out print as plain text."""
    out, front = [], True
    for ch in chapters:
        m = re.match(r"Part\s+(\d+)", ch.part)
        front = front and not m
        if (m and m.group(1) in parts) or front or ch.docname in SUBSET_BACK_MATTER:
            out.append(ch)
    return out


def read_toc(root: Path) -> tuple[list[Chapter], list[str]]:
    """Chapters in reading order, and the part captions, from ``_toc.yml``.

    Lessons are the chapters of parts whose caption starts with "Part N"; they are numbered N.i in
    the order the contents list them (the numbering the lessons and the HTML book use).
    """
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    chapters = [Chapter(toc["root"], doc_key(toc["root"]), "")]
    parts = []
    for part in toc.get("parts", []):
        caption = part.get("caption", "")
        parts.append(caption)
        m = re.match(r"Part\s+(\d+)", caption)
        for i, ch in enumerate(part.get("chapters", []), start=1):
            chapters.append(Chapter(ch["file"], doc_key(ch["file"]), caption,
                                    f"{m.group(1)}.{i}" if m else ""))
    return chapters, parts


# --------------------------------------------------------------------------------------------
# quizzes


def code_cells(notebook: Path) -> list[str]:
    """Sources of a notebook's code cells that the book shows (not tagged ``remove-cell``)."""
    if not notebook.exists():
        return []
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    out = []
    for cell in nb.get("cells", []):
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.get("cell_type") == "code" and "remove-cell" not in tags:
            out.append("".join(cell.get("source", [])))
    return out


def quiz_name(source: str) -> str | None:
    """The quiz a code cell shows with ``show_quiz("name")``, if it does."""
    m = re.search(r"""show_quiz\(\s*["']([^"']+)["']""", source)
    return m.group(1) if m else None


def _letters(n: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[n]


def _fmt_number(x: float) -> str:
    return f"{x:g}"


def quiz_questions_html(questions: list[dict], quiz_id: str) -> str:
    out = ['<ol class="quiz-questions">']
    for qi, q in enumerate(questions, start=1):
        kind = {"multiple_choice": "choose one", "many_choice": "choose all that apply",
                "numeric": "enter a number"}[q["type"]]
        out.append(f'<li class="quiz-question" id="{quiz_id}-q{qi}"><p>{html.escape(q["question"])}'
                   f' <span class="quiz-kind">({kind})</span></p>')
        if q["type"] == "numeric":
            out.append('<p>Answer: <span class="quiz-blank">&#8203;</span></p>')
        else:
            box = "\u25cb" if q["type"] == "multiple_choice" else "\u25a1"
            out.append('<ol class="quiz-options">')
            for ai, a in enumerate(q["answers"]):
                out.append(f'<li><span class="box">{box}</span>({_letters(ai)}) '
                           f'{html.escape(str(a["answer"]))}</li>')
            out.append("</ol>")
        out.append("</li>")
    out.append("</ol>")
    return "".join(out)


def quiz_key_html(questions: list[dict]) -> str:
    out = ['<ol class="key-answers">']
    for q in questions:
        correct = [(i, a) for i, a in enumerate(q["answers"]) if a.get("correct")]
        if q["type"] == "numeric":
            parts = []
            for _, a in correct:
                if a.get("type") == "range":
                    lo, hi = a["range"]
                    parts.append(f"from {_fmt_number(lo)} to {_fmt_number(hi)}")
                else:
                    parts.append(_fmt_number(float(a["value"])))
            answer = " or ".join(parts)
        else:
            answer = ", ".join(f"({_letters(i)}) {html.escape(str(a['answer']))}"
                               for i, a in correct)
        why = " ".join(html.escape(str(a.get("feedback", ""))) for _, a in correct[:1])
        out.append(f'<li><span class="key-correct">{answer}.</span> '
                   f'<span class="key-why">{why}</span></li>')
    out.append("</ol>")
    return "".join(out)


# --------------------------------------------------------------------------------------------
# assembling one print document


@dataclass
class Figure:
    key: str                  # the id of the <img> in the print document
    src: Path
    css_width_px: float       # its size in the book (CSS px; 96 px = 1 in on paper)
    css_height_px: float
    chapter: str
    min_text_pt: float | None = None       # smallest text in the figure at its own size
    design_width_in: float | None = None   # the figure's own width
    printed_text_pt: float | None = None   # that text as printed
    landscape: bool = False

    def printed_pt(self, column_px: float, max_height_px: float) -> float | None:
        """Smallest text size on paper when the figure is placed in a column ``column_px`` wide
        and at most ``max_height_px`` tall (it keeps its aspect ratio)."""
        if self.min_text_pt is None or not self.design_width_in:
            return None
        aspect = self.css_width_px / self.css_height_px
        placed_in = min(self.css_width_px, column_px, max_height_px * aspect) / 96
        return self.min_text_pt * placed_in / self.design_width_in


def figure_text_size(png: Path) -> tuple[float | None, float | None]:
    """(smallest text pt, figure width in inches) from a course figure's PNG, if recorded."""
    from PIL import Image

    from widgets.figures.legibility import PNG_KEY

    with Image.open(png) as im:
        text = getattr(im, "text", {}) or {}
        dpi = (im.info.get("dpi") or (None,))[0]
        width_px = im.size[0]
    if PNG_KEY not in text or not dpi:
        return None, None
    return float(text[PNG_KEY]), width_px / float(dpi)


class Assembler:
    def __init__(self, root: Path, html_dir: Path, paper: str, parts: set[str] | None = None):
        self.root, self.html_dir, self.paper = root, html_dir, paper
        self.chapters, self.parts = read_toc(root)
        if parts:
            self.chapters = select_parts(self.chapters, parts)
        self.by_doc = {c.docname: c for c in self.chapters}
        self.solutions: list[tuple] = []    # chapter, id, title, exercise id, html
        self.quiz_keys: list[tuple[Chapter, str, str, str]] = []   # chapter, id, heading, html
        self.figures: list[Figure] = []
        self.notes: list[str] = []       # what was left out of print, for the report
        self.bodies: dict[str, str] = {}
        self.soup = BeautifulSoup("", "html.parser")

    # -- reading pages -------------------------------------------------------------------
    def article(self, chapter: Chapter) -> Tag:
        page = self.html_dir / f"{chapter.docname}.html"
        if not page.exists():
            raise FileNotFoundError(f"{page} is missing: build the book first (make book)")
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        art = soup.select_one("article.bd-article")
        if art is None:
            raise ValueError(f"{page}: no <article class='bd-article'>")
        return art

    def resolve(self, chapter: Chapter, href: str) -> str | None:
        """The print-document fragment a link points to, or None if it leaves the book."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None
        frag = unquote(parts.fragment)
        if not parts.path:
            target = chapter
        else:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(chapter.docname),
                                                     unquote(parts.path)))
            if not path.endswith(".html"):
                return None
            target = self.by_doc.get(path[:-5])
            if target is None:
                return None
        return f"{target.key}--{safe_id(frag)}" if frag else target.key

    # -- transforms ----------------------------------------------------------------------
    def transform(self, chapter: Chapter) -> str:
        art = self.article(chapter)
        for el in art.select("a.headerlink, script[type='text/x-thebe-config'], .toctree-wrapper"):
            el.decompose()
        self._quizzes(chapter, art)          # before the live outputs: a quiz is a script too
        self._live_outputs(chapter, art)
        self._ids_and_links(chapter, art)
        self._figures(chapter, art)
        self._solutions(chapter, art)
        # A cell whose code the book folds away (tag hide-input: "Show code cell source")
        # prints as the book shows it by default: its output only.
        for el in art.select("details.hide.above-input"):
            el.decompose()
        for el in art.select("script, style, link, noscript"):
            el.decompose()
        for el in art.select("details"):
            el["open"] = ""
        top = art.find("section")
        h1 = top.find("h1") if top else art.find("h1")
        num = h1.select_one(".section-number") if h1 else None
        if num is not None:           # the HTML book numbers its chapters: use its number
            chapter.number = num.get_text(strip=True).rstrip(".")
            num.decompose()
        chapter.title = h1.get_text(" ", strip=True) if h1 else chapter.docname
        if h1 is not None:
            h1.extract()
        # Sections of a lesson for the contents: its h2 headings, less the template's own
        # (objectives, exercises, quiz, takeaways, when to see a doctor), which every lesson has.
        if top is not None:
            for sec in top.find_all("section", recursive=False):
                h2 = sec.find("h2")
                title = h2.get_text(" ", strip=True) if h2 is not None else ""
                if title and sec.get("id") and not TEMPLATE_SECTIONS.match(title):
                    chapter.sections.append((sec["id"], title))
        # Headings one level down inside a part (part h1 > chapter h2 > section h3), so the PDF
        # outline, which Chromium builds from the headings, has the book's structure.
        shift = 1 if chapter.in_numbered_part else 0
        for h in art.find_all(re.compile("^h[2-6]$")):
            level = int(h.name[1])
            h["class"] = h.get("class", []) + [f"sec{min(level - 1, 3)}"]
            h.name = f"h{min(level + shift, 6)}"
        if chapter.docname.endswith("claims-audit"):
            for table in art.select("table.claims-table"):
                n_cols = len(table.select("thead th"))
                widths = {3: CLAIMS_3_COLUMNS_PERCENT, 8: CLAIMS_COLUMNS_PERCENT}.get(n_cols)
                if widths is None:
                    continue
                if n_cols == 8:       # eight columns need a landscape page
                    wrap = table.find_parent(class_="claims-table-wrapper")
                    if wrap is not None:
                        wrap["class"] = wrap.get("class", []) + ["landscape"]
                # Column widths for the printed table: the long text columns get the room.
                group = self.soup.new_tag("colgroup")
                for width in widths:
                    group.append(self.soup.new_tag("col", attrs={"style": f"width: {width}%"}))
                table.insert(0, group)
        return "".join(str(c) for c in art.contents)

    def _quizzes(self, chapter: Chapter, art: Tag) -> None:
        """Print each JSON quiz as questions (answers to appendix B); note any other quiz.

        The book's code cells are the notebook's code cells in order (less ``remove-cell`` ones),
        so each quiz output is matched with the ``show_quiz("name")`` call that made it.
        """
        from widgets.quiz import load_quiz

        cells = art.select("div.cell")
        sources = code_cells(self.root / f"{chapter.docname}.ipynb")
        if cells and len(cells) != len(sources):
            raise ValueError(f"{chapter.docname}: {len(cells)} code cells in the HTML but "
                             f"{len(sources)} in the notebook")
        for cell, source in zip(cells, sources, strict=True):
            quizzes = cell.select("div[data-numquestions]")
            if not quizzes:
                continue
            name = quiz_name(source)
            if name is None and cell.select_one(".twitch-ear-training"):
                for q in quizzes:     # the ear training's own note says it has questions
                    q.decompose()
                continue
            if name is None:          # a quiz built in code (e.g. on sounds): online only
                for q in quizzes:
                    self.notes.append(f"{chapter.docname}: a quiz without JSON not printed")
                    note = self.soup.new_tag("p", attrs={"class": "print-note"})
                    note.string = ("Interactive quiz: it needs the sounds or panels above, so it "
                                   "is in the online book and in JupyterLab only.")
                    q.replace_with(note)
                continue
            self._unnest(cell)
            questions = load_quiz(name)
            quiz_id = f"{chapter.key}--quiz-{name}"
            heading = self._heading_before(cell) or "Self-check quiz"
            block = BeautifulSoup(
                f'<div class="quiz" id="{quiz_id}"><p class="quiz-title">Self-check questions</p>'
                f'{quiz_questions_html(questions, quiz_id)}'
                f'<p class="quiz-key-pointer">Answers: <a href="#{quiz_id}-key">'
                f'<span class="pageref" data-dest="{quiz_id}-key">p. {PLACEHOLDER}</span></a></p>'
                f'</div>', "html.parser")
            cell.replace_with(block)
            self.quiz_keys.append((chapter, quiz_id, heading, quiz_key_html(questions)))

    @staticmethod
    def _unnest(cell: Tag) -> None:
        """Move out of a cell what the HTML parser put inside it but is not its input or output.

        A cell whose output leaves a ``<div>`` open (jupyterquiz's HTML in some built pages)
        swallows the text and cells after it; replacing the cell would drop them from print.
        """
        anchor = cell
        for child in list(cell.children):
            if isinstance(child, Tag) and not {"cell_input", "cell_output"} & set(
                    child.get("class", [])):
                anchor.insert_after(child.extract())
                anchor = child
            elif isinstance(child, NavigableString) and child.strip():
                anchor.insert_after(child.extract())
                anchor = child

    @staticmethod
    def _heading_before(el: Tag) -> str:
        sec = el.find_parent("section")
        while sec is not None:
            h = sec.find(re.compile("^h[1-6]$"))
            if h is not None:
                return h.get_text(" ", strip=True).rstrip("#").strip()
            sec = sec.find_parent("section")
        return ""

    def _live_outputs(self, chapter: Chapter, art: Tag) -> None:
        """Replace what needs a browser or a kernel (widgets, chart panels, sound) by a note."""
        for out in art.select("div.cell_output"):
            panel = (out.select_one("script[type='application/vnd.jupyter.widget-view+json']")
                     or out.select_one(".twitch-bp, [data-twitch-book-panel], .vega-embed"))
            scripts = [s for s in out.find_all("script")
                       if "math/tex" not in (s.get("type") or "")]
            if not panel and (not scripts or out.find("img")):
                continue
            self.notes.append(f"{chapter.docname}: live panel not printed")
            note = self.soup.new_tag("p", attrs={"class": "print-note"})
            note.string = ("Live panel. In the online book and in JupyterLab this cell shows an "
                           "interactive panel; on paper, the figure beside it shows the same "
                           "model at representative settings.")
            out.replace_with(note)
        # The ear-training exercise: unlabelled sounds to tell apart by ear. Paper cannot play
        # them; one note stands for the players, and the traces that reveal each sound follow.
        for block in art.select(".twitch-ear-training"):
            n = len(block.find_all("audio"))
            self.notes.append(f"{chapter.docname}: ear training ({n} sounds) not printed")
            note = self.soup.new_tag("p", attrs={"class": "print-note"})
            note.string = (f"Ear training: {n} unlabelled sounds to name by ear, with a question "
                           "on each, in the online book and in JupyterLab. On paper, the traces "
                           "below show which pattern each sound is.")
            block.replace_with(note)
        for summary in art.select(".twitch-ear-training-reveal summary"):
            summary.string = re.sub(r"^Show the trace of s", "S",
                                    summary.get_text(" ", strip=True))
        for audio in art.find_all("audio"):
            label = (audio.get("aria-label") or "a sound").rstrip(".")
            label = re.sub(r"^Play the sound of ", "", label)
            self.notes.append(f"{chapter.docname}: audio not printed")
            note = self.soup.new_tag("p", attrs={"class": "print-note sound-note"})
            traced = audio.find_parent("figure") and audio.find_parent("figure").find("img")
            note.string = (f"Sound, in the online book and in JupyterLab: {label}."
                           + (" The trace above is the recording you would hear." if traced
                              else ""))
            audio.replace_with(note)

    def _solutions(self, chapter: Chapter, art: Tag) -> None:
        """Move each solution to appendix A; a pointer with its page stays in the lesson."""
        for i, sol in enumerate(art.select("div.solution")):
            link = sol.select_one(".admonition-title a[href^='#']")
            ex_id = link["href"][1:] if link else ""
            ex = art.find(id=ex_id) if ex_id else None
            title_el = ex.select_one(".admonition-title") if ex else None
            title = (title_el.get_text(" ", strip=True) if title_el
                     else sol.select_one(".admonition-title").get_text(" ", strip=True))
            content = sol.select_one("section") or sol
            sol_id = sol.get("id") or f"{chapter.key}--solution-{i}"
            self.solutions.append((chapter, sol_id, title, ex_id or chapter.key,
                                   "".join(str(c) for c in content.contents)))
            pointer = BeautifulSoup(
                f'<p class="solution-pointer">Solution: <a href="#{sol_id}">'
                f'<span class="pageref" data-dest="{sol_id}">p. {PLACEHOLDER}'
                f'</span></a></p>', "html.parser")
            sol.replace_with(pointer)

    def _ids_and_links(self, chapter: Chapter, art: Tag) -> None:
        mine = f"{chapter.key}--"           # ids and links this assembler made already
        for el in art.find_all(id=True):
            if not el["id"].startswith(mine):
                el["id"] = mine + safe_id(el["id"])
        for a in art.find_all("a", href=True):
            href = a["href"]
            if href.startswith("#" + mine):
                continue
            classes = a.get("class", [])
            if "image-reference" in classes:
                a.unwrap()
                continue
            parts = urlsplit(href)
            if parts.scheme in ("http", "https", "mailto"):
                self._print_url(a, href)
                continue
            dest = self.resolve(chapter, href)
            if dest is None:
                a.unwrap()
                continue
            a["href"] = f"#{dest}"
            inner = a.find("span")
            kind = " ".join(inner.get("class", [])) if inner else ""
            if kind == "doc" or "std-ref" in kind or "std-numref" in kind:
                target = self._chapter_of(dest)
                label = (f"lesson {target.number}, " if target and target.is_lesson
                         and dest == target.key else "")
                ref = self.soup.new_tag("span", attrs={"class": "pageref", "data-dest": dest,
                                                       "data-label": label})
                ref.string = f"({label}p. {PLACEHOLDER})"
                a.insert_after(ref)
                a.insert_after(NavigableString(" "))

    def _chapter_of(self, dest: str) -> Chapter | None:
        key = dest.split("--", 1)[0]
        return next((c for c in self.chapters if c.key == key), None)

    def _print_url(self, a: Tag, href: str) -> None:
        text = a.get_text(" ", strip=True)

        def bare(u: str) -> str:
            return re.sub(r"^(https?://)?(www\.)?", "", u).rstrip("/").lower()

        doi = re.match(r"https?://(dx\.)?doi\.org/(.+)", href)
        if bare(text) == bare(href) or (doi and doi.group(2).lower() in text.lower()):
            return
        url = self.soup.new_tag("span", attrs={"class": "url"})
        url.string = f"<{href}>"
        a.insert_after(url)
        a.insert_after(NavigableString(" "))

    def _figures(self, chapter: Chapter, art: Tag) -> None:
        """Figures print at their own size, shrunk to the text width; one whose smallest text
        would print below MIN_FIGURE_TEXT_PT goes on a landscape page, if that is larger."""
        # A course figure is a <picture>: the wide image and a phone variant. Paper shows the
        # wide one, loaded at once (never lazily: Chromium prints what has loaded).
        for source in art.select("picture > source"):
            source.decompose()
        for img in art.find_all("img"):
            img.attrs.pop("loading", None)
            src = img.get("src", "")
            if src.startswith("data:"):
                continue
            path = (self.html_dir / posixpath.dirname(chapter.docname) / unquote(src)).resolve()
            img["src"] = path.as_uri()
            style = img.get("style", "")
            w = re.search(r"width:\s*([\d.]+)px", style) or re.fullmatch(r"([\d.]+)",
                                                                         img.get("width", ""))
            h = re.search(r"height:\s*([\d.]+)px", style) or re.fullmatch(r"([\d.]+)",
                                                                          img.get("height", ""))
            if not (w and h):
                continue
            fig = Figure(img.get("id") or f"{chapter.key}--img-{len(self.figures)}", path,
                         float(w.group(1)), float(h.group(1)), chapter.docname)
            img["id"] = fig.key
            img["style"] = (f"width: {fig.css_width_px:.0f}px; max-width: 100%; height: auto; "
                            f"max-height: {figure_height_px(self.paper):.0f}px; "
                            f"aspect-ratio: {fig.css_width_px:.0f} / {fig.css_height_px:.0f};")
            img["class"] = img.get("class", []) + ["print-figure"]
            min_px = re.fullmatch(r"[\d.]+", img.get("data-min-text-px", ""))
            if min_px:     # the figure's smallest text, CSS px at its 1x size (ux's variants)
                fig.min_text_pt = float(min_px.group(0)) * 72 / 96
                fig.design_width_in = fig.css_width_px / 96
            else:
                fig.min_text_pt, fig.design_width_in = figure_text_size(path)
            fig.printed_text_pt = fig.printed_pt(text_width_px(self.paper),
                                                 figure_height_px(self.paper))
            wide = fig.printed_pt(text_width_px(self.paper, landscape=True),
                                  figure_height_px(self.paper, landscape=True))
            if (fig.printed_text_pt is not None and fig.printed_text_pt < MIN_FIGURE_TEXT_PT
                    and wide > fig.printed_text_pt):
                fig.landscape, fig.printed_text_pt = True, wide
                # The whole cell (its code with its figure), so the code does not stay behind.
                block = img.find_parent("div", class_="cell") or img.find_parent("figure") or img
                wrapper = self.soup.new_tag("div", attrs={"class": "wide-figure"})
                block.wrap(wrapper)
                img["style"] = (f"width: {text_width_px(self.paper, True):.0f}px; max-width: "
                                f"100%; height: auto; max-height: "
                                f"{figure_height_px(self.paper, True):.0f}px; aspect-ratio: "
                                f"{fig.css_width_px:.0f} / {fig.css_height_px:.0f};")
            self.figures.append(fig)

    # -- the whole document ---------------------------------------------------------------
    def build(self, meta: dict) -> None:
        for ch in self.chapters:
            self.bodies[ch.key] = self.transform(ch)
        self.meta = meta

    def document(self, pages: dict[str, int], blanks_before: set[str]) -> str:
        """The print document; ``pages`` maps destinations to page numbers (empty: pass 1)."""
        body = [self._title_page(), self._contents(pages)]
        current_part = None
        for ch in self.chapters:
            if ch is self.appendix_before():
                body.append(self._appendices())
            if ch.in_numbered_part and ch.part != current_part:
                current_part = ch.part
                part_key = doc_key("part " + ch.part)
                if part_key in blanks_before:
                    body.append('<div class="blank-page"></div>')
                body.append(self._part_divider(ch.part, part_key, pages))
            if ch.key in blanks_before:
                body.append('<div class="blank-page"></div>')
            body.append(self._chapter(ch))
        if self.appendix_before() is None:
            body.append(self._appendices())
        html_text = "\n".join(body)
        html_text = self._fill_pagerefs(html_text, pages)
        return self._page(html_text)

    def appendix_before(self) -> Chapter | None:
        """The appendices come before the glossary and references (or last)."""
        return next((c for c in self.chapters
                     if c.docname.endswith(("/glossary", "/references"))), None)

    def _title_page(self) -> str:
        m = self.meta
        logo = (self.root / "book/_assets/logo.svg").as_uri()
        return (f'<section class="title-page front-block" id="title-page">'
                f'<img class="logo" src="{logo}" alt="The Twitch course logo">'
                f'<p class="book-title">{html.escape(m["title"])}</p>'
                f'<p class="subtitle">From the motor unit, through the benign triggers, to the '
                f'neurological differential</p>'
                f'<p class="authors">{html.escape(m["author"])}</p>'
                + (f'<p class="print-subset">Check print: {html.escape(m["subset"])} only '
                   f'(the whole edition is make pdf)</p>' if m.get("subset") else "") +
                f'<p class="edition">Print edition, {html.escape(m["date"])}'
                f'{", from commit " + html.escape(m["commit"]) if m["commit"] else ""}</p>'
                f'</section>'
                f'<section class="imprint">'
                f'<p><strong>{html.escape(m["title"])}</strong></p>'
                f'<p>Copyright {html.escape(m["copyright"])} {html.escape(m["author"])}. Text '
                f'and code: MIT licence.</p>'
                f'<p>This PDF is built from the same sources as the online book and the lesson '
                f'notebooks: every figure and every number in it was computed by the course\'s '
                f'tested Python package when the book was built. The interactive panels, the '
                f'sounds and the quizzes\' instant feedback need the online book or JupyterLab; '
                f'here the static figures show each panel at representative settings, and the '
                f'quiz answers are in an appendix.</p>'
                f'<p>Source: <span class="url">&lt;{html.escape(m["repository"])}&gt;</span></p>'
                f'<p><a href="#contents">Contents</a>: page 3.</p>'
                f'<p>This course educates; it does not diagnose. Read the disclaimer and red flags '
                f'before the lessons.</p>'
                f'<p>Set in Source Serif 4, Source Sans 3 and Source Code Pro (SIL Open Font '
                f'Licence). Paper: {PAPERS[self.paper]["size"]}.</p>'
                f'</section>')

    def _contents(self, pages: dict[str, int]) -> str:
        def line(cls: str, dest: str, num: str, title: str) -> str:
            page = pages.get(dest, PLACEHOLDER)
            return (f'<li class="{cls}"><span class="toc-line"><span class="toc-num">{num}</span>'
                    f'<a class="toc-title" href="#{dest}">{html.escape(title)}</a>'
                    f'<span class="toc-leader"></span><a class="toc-page" href="#{dest}">{page}'
                    f'</a></span></li>')
        def appendices() -> None:
            out.append(line("toc-chapter", "appendix-solutions", "A",
                            "Solutions to the exercises"))
            out.append(line("toc-chapter", "appendix-quiz-key", "B",
                            "Answers to the self-check quizzes"))

        out = ['<section class="contents front-block" id="contents"><h1>Contents</h1><ol>']
        current_part = None
        for ch in self.chapters:
            if ch is self.appendix_before():
                appendices()
            if ch.part and ch.part != current_part:
                current_part = ch.part
                if ch.in_numbered_part:
                    out.append(line("toc-part", doc_key("part " + ch.part), "", ch.part))
                else:
                    out.append(f'<li class="toc-part">{html.escape(ch.part)}</li>')
            out.append(line("toc-chapter", ch.key, ch.number, ch.title))
            if ch.is_lesson:
                for sid, stitle in ch.sections:
                    out.append(line("toc-section", sid, "", stitle))
        if self.appendix_before() is None:
            appendices()
        out.append("</ol></section>")
        return "".join(out)

    def _part_divider(self, caption: str, key: str, pages: dict[str, int]) -> str:
        label, _, name = caption.partition(":")
        lessons = [c for c in self.chapters if c.part == caption]
        items = "".join(f'<li>{c.number} <a href="#{c.key}">{html.escape(c.title)}</a></li>'
                        for c in lessons)
        if not name:
            label, name = "", caption
        return (f'<section class="part-divider" id="{key}">'
                f'<p class="part-label">{html.escape(label)}</p>'
                f'<h1>{html.escape(name.strip())}</h1><ol>{items}</ol></section>')

    def _chapter(self, ch: Chapter) -> str:
        label = f"Lesson {ch.number}" if ch.is_lesson else ""
        h = "h2" if ch.in_numbered_part else "h1"
        return (f'<section class="chapter" id="{ch.key}" data-page="{ch.key}">'
                f'<header class="chapter-opening"><{h} class="chapter-title">'
                f'{f"<span class=chapter-label>{label}</span> " if label else ""}'
                f'{html.escape(ch.title)}</{h}></header>'
                f'<div class="chapter-body">{self.bodies[ch.key]}</div></section>')

    @staticmethod
    def _appendix_opening(key: str, letter: str, title: str, intro: str) -> str:
        return (f'<section class="chapter" id="{key}" data-page="{key}">'
                f'<header class="chapter-opening"><h1 class="chapter-title">'
                f'<span class="chapter-label">Appendix {letter}</span> {title}</h1></header>'
                f'<div class="chapter-body"><p>{intro}</p>')

    def _appendices(self) -> str:
        out = [self._appendix_opening(
            "appendix-solutions", "A", "Solutions to the exercises",
            "Try each exercise before you read its solution. Each entry gives the page of its "
            "exercise.")]
        current = None
        for ch, sol_id, title, ex_id, content in self.solutions:
            if ch is not current:
                current = ch
                out.append(f'<h2 class="appendix-lesson">Lesson {ch.number} {html.escape(ch.title)}'
                           f'</h2>' if ch.is_lesson else f'<h2 class="appendix-lesson">'
                           f'{html.escape(ch.title)}</h2>')
            ex_dest = ex_id
            out.append(f'<div class="appendix-entry" id="{sol_id}">'
                       f'<h3>{html.escape(title)}</h3><p class="back-ref">Exercise: '
                       f'<a href="#{ex_dest}"><span class="pageref" data-dest="{ex_dest}">'
                       f'p. {PLACEHOLDER}</span></a></p>{content}</div>')
        out.append('</div></section>')
        out.append(self._appendix_opening(
            "appendix-quiz-key", "B", "Answers to the self-check quizzes",
            "For each question: the right answer and why. Question numbers match the quiz in "
            "the lesson."))
        current = None
        for ch, quiz_id, heading, key_html in self.quiz_keys:
            if ch is not current:
                current = ch
                out.append(f'<h2 class="appendix-lesson">Lesson {ch.number} '
                           f'{html.escape(ch.title)}</h2>')
            out.append(f'<div class="appendix-entry" id="{quiz_id}-key">'
                       f'<h3>{html.escape(heading)}</h3><p class="back-ref">Questions: '
                       f'<a href="#{quiz_id}"><span class="pageref" data-dest="{quiz_id}">'
                       f'p. {PLACEHOLDER}</span></a></p>{key_html}</div>')
        out.append('</div></section>')
        return "".join(out)

    def _fill_pagerefs(self, text: str, pages: dict[str, int]) -> str:
        if not pages:
            return text

        def sub(m: re.Match) -> str:
            dest, body = m.group(1), m.group(4)
            page = pages.get(html.unescape(dest))
            if page is None:
                return m.group(0)
            return m.group(0).replace(body, body.replace(PLACEHOLDER, str(page)))
        return re.sub(r'<span class="pageref" data-dest="([^"]*)"( data-label="([^"]*)")?>'
                      r'([^<]*)</span>', sub, text)

    def outline(self) -> list[tuple[int, str, str]]:
        """(depth, title, destination) of the PDF outline: the contents' own structure."""
        out = [(0, "Contents", "contents")]
        current = None
        depth = 0

        def appendices(d: int) -> None:
            out.append((d, "A  Solutions to the exercises", "appendix-solutions"))
            out.append((d, "B  Answers to the self-check quizzes", "appendix-quiz-key"))
        for ch in self.chapters:
            if ch is self.appendix_before():
                appendices(depth)
            if ch.part != current:
                current = ch.part
                if ch.in_numbered_part:
                    out.append((0, ch.part, doc_key("part " + ch.part)))
                elif ch.part:
                    out.append((0, ch.part, ch.key))
                depth = 1 if ch.part else 0
            out.append((depth, f"{ch.number} {ch.title}" if ch.number else ch.title, ch.key))
            for sid, title in ch.sections if ch.is_lesson else []:
                out.append((depth + 1, title, sid))
        if self.appendix_before() is None:
            appendices(depth)
        return out

    def running_heads_css(self) -> str:
        """Named pages: one per chapter, so each chapter carries its own running head."""
        def esc(s: str) -> str:
            return s.replace("\\", "\\\\").replace('"', '\\"')
        short = "Twitch"
        rules = []
        entries = [(c.key, c.part or short, (f"{c.number}  " if c.number else "") + c.title)
                   for c in self.chapters]
        entries += [("appendix-solutions", "Appendices", "A  Solutions to the exercises"),
                    ("appendix-quiz-key", "Appendices", "B  Answers to the self-check quizzes")]
        for key, left, right in entries:
            name = f"p-{key}"
            rules.append(
                f'[data-page="{key}"] {{ page: {name}; }}\n'
                f'@page {name}:left {{ @top-left {{ content: counter(page) "\\2003\\2003" '
                f'"{esc(left)}"; }} }}\n'
                f'@page {name}:right {{ @top-right {{ content: "{esc(right)}" "\\2003\\2003" '
                f'counter(page); }} }}')
        return "\n".join(rules)

    def _page(self, body: str) -> str:
        p = PAPERS[self.paper]
        m = MARGINS_MM
        fonts = (PRINT_ASSETS / "fonts" / "fonts.css").as_uri()
        css = (PRINT_ASSETS / "print.css").as_uri()
        geometry = (
            f"@page {{ size: {p['size']}; margin: {m['top']}mm {m['outer']}mm {m['bottom']}mm "
            f"{m['inner']}mm; }}\n"
            f"@page :left {{ margin-left: {m['outer']}mm; margin-right: {m['inner']}mm; }}\n"
            f"@page :right {{ margin-left: {m['inner']}mm; margin-right: {m['outer']}mm; }}\n"
            f"@page landscape {{ size: {p['size']} landscape; }}\n"
            f"@page wide {{ size: {p['size']} landscape; }}\n"
            f"@page wide:left {{ @top-left {{ content: counter(page); }} }}\n"
            f"@page wide:right {{ @top-right {{ content: counter(page); }} }}\n"
            f"@page landscape:left {{ @top-left {{ content: counter(page) \"\\2003\\2003 "
            f"Claims audit\"; }} }}\n"
            f"@page landscape:right {{ @top-right {{ content: \"Claims audit\\2003\\2003\" "
            f"counter(page); }} }}\n")
        mathjax_config = {
            "tex": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]]},
            "options": {"processHtmlClass": "math|quiz", "ignoreHtmlClass": "tex2jax_ignore",
                        "enableMenu": False},
            "chtml": {"displayAlign": "center"},
            "startup": {"typeset": True},
        }
        return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                f'<title>{html.escape(self.meta["title"])}</title>'
                f'<meta name="author" content="{html.escape(self.meta["author"])}">'
                f'<link rel="stylesheet" href="{fonts}"><link rel="stylesheet" href="{css}">'
                f'<style>{geometry}{self.running_heads_css()}</style>'
                f'<script>window.MathJax = {json.dumps(mathjax_config)};</script>'
                f'<script src="{MATHJAX.as_uri()}" defer></script>'
                f'</head><body class="tex2jax_ignore">{body}</body></html>')


# --------------------------------------------------------------------------------------------
# printing


def print_pdf(html_path: Path, pdf_path: Path) -> float:
    """Print ``html_path`` with Chromium to ``pdf_path``; returns the seconds it took."""
    from playwright.sync_api import sync_playwright

    t0 = time.perf_counter()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            remote: list[str] = []

            def refuse(route) -> None:     # offline: nothing may come from another host
                remote.append(route.request.url)
                route.abort()
            page.route(re.compile(r"^(?!file:|data:|about:).*"), refuse)
            failed: list[str] = []
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.goto(html_path.as_uri(), wait_until="load", timeout=180_000)
            page.wait_for_function(
                "() => window.MathJax && MathJax.startup && MathJax.startup.promise &&"
                " (window.__mj || (MathJax.startup.promise.then(() => window.__mj = true), false))",
                timeout=180_000)
            page.evaluate("() => document.fonts.ready.then(() => true)")
            page.evaluate("() => Promise.all([...document.images].map(i => i.complete ? 1 :"
                          " new Promise(r => { i.onload = i.onerror = r; })))")
            left = page.evaluate("() => document.body.innerHTML.match(/\\\\\\(|\\\\\\[/g)?.length"
                                 " || 0")
            if left:
                raise RuntimeError(f"{left} formulas were not typeset by MathJax")
            if remote or failed:
                raise RuntimeError(f"the print document asked for what is not in the repository "
                                   f"(remote: {remote[:3]}, missing: {failed[:3]})")
            page.pdf(path=str(pdf_path), prefer_css_page_size=True, print_background=True,
                     tagged=True)
        finally:
            browser.close()
    return time.perf_counter() - t0


def destination_pages(pdf_path: Path) -> dict[str, int]:
    """Named destination -> 1-based page number, as Chromium wrote them for internal links."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf_path))
    out = {}
    for name, dest in reader.named_destinations.items():
        out[name.lstrip("/")] = reader.get_destination_page_number(dest) + 1
    return out


def finish_pdf(pdf_path: Path, meta: dict, outline: list[tuple[int, str, str]]) -> None:
    """Document information and the outline (bookmarks), as an incremental update: Chromium's PDF
    is kept byte for byte and the new objects are appended.

    The outline is written here from the book's structure (``outline``: depth, title, named
    destination), not by Chromium from the headings: its titles are the contents' own ("1.1 The
    motor unit") and its tree is part > lesson > section.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit

    dests = {name.lstrip("/"): d for name, d in PdfReader(str(pdf_path)).named_destinations.items()}
    writer = PdfWriter(str(pdf_path), incremental=True)
    writer.add_metadata({"/Title": meta["title"], "/Author": meta["author"],
                         "/Subject": "An executable course on muscle twitching (print edition)",
                         "/Keywords": "fasciculation, motor unit, EMG, course"})
    index = {page.indirect_reference.idnum: i for i, page in enumerate(writer.pages)}
    parents: list = []
    for depth, title, dest in outline:
        d = dests.get(dest)
        if d is None:
            raise ValueError(f"outline entry {title!r}: no destination {dest!r} in the PDF")
        del parents[depth:]
        item = writer.add_outline_item(
            title=title, page_number=page_index(index, d),
            parent=parents[-1] if parents else None,
            fit=Fit.xyz(left=d.left, top=d.top, zoom=None))
        parents.append(item)
    writer.page_mode = "/UseOutlines"
    tmp = pdf_path.with_suffix(".tmp.pdf")
    with open(tmp, "wb") as f:
        writer.write(f)
    tmp.replace(pdf_path)


def page_index(index: dict[int, int], dest) -> int:
    """The 0-based index of a destination's page (``index``: page object number -> index)."""
    ref = dest.page.indirect_reference if hasattr(dest.page, "indirect_reference") else dest.page
    try:
        return index[getattr(ref, "idnum", None)]
    except KeyError:
        raise ValueError("destination page not found") from None


def git_commit(root: Path) -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def build(html_dir: Path, out: Path, paper: str = "a4", root: Path = ROOT,
          log=print, parts: set[str] | None = None) -> dict:
    """Build the PDF; returns a report (timings, pages, figures, what was left out)."""
    t_start = time.perf_counter()
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    meta = {"title": config.get("title", "Twitch"), "author": config.get("author", ""),
            "copyright": str(config.get("copyright", "")),
            "repository": config.get("repository", {}).get("url", ""),
            "date": time.strftime("%Y-%m-%d"), "commit": git_commit(root)}
    if parts:
        meta["subset"] = "Part " + ", ".join(sorted(parts))
    asm = Assembler(root, html_dir, paper, parts)
    asm.build(meta)
    t_assembled = time.perf_counter()
    work = out.parent / f".{out.stem}-work"
    work.mkdir(parents=True, exist_ok=True)
    pages: dict[str, int] = {}
    blanks: set[str] = set()
    passes = []
    for n in range(1, 5):
        doc = work / f"print-pass{n}.html"
        doc.write_text(asm.document(pages, blanks), encoding="utf-8")
        pdf = work / f"pass{n}.pdf"
        seconds = print_pdf(doc, pdf)
        found = destination_pages(pdf)
        passes.append(round(seconds, 1))
        log(f"pass {n}: printed in {seconds:.1f} s")
        if pages and found == pages:
            break
        new_blanks = blanks_for_recto(asm, found, blanks)
        pages = shift_pages(asm, found, blanks, new_blanks)
        blanks = new_blanks
    else:
        raise RuntimeError("page numbers did not settle after 4 passes")
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.replace(out)
    (work / "print.html").write_text(doc.read_text(encoding="utf-8"), encoding="utf-8")
    t_finish = time.perf_counter()
    finish_pdf(out, meta, asm.outline())
    report = {
        "pdf": str(out), "paper": paper, "parts": sorted(parts) if parts else "all",
        "passes_s": passes,
        "assemble_s": round(t_assembled - t_start, 1),
        "finish_s": round(time.perf_counter() - t_finish, 1),
        "total_s": round(time.perf_counter() - t_start, 1),
        "size_MB": round(out.stat().st_size / 1e6, 2),
        "chapters": [{"number": c.number, "title": c.title, "page": pages.get(c.key)}
                     for c in asm.chapters],
        "figures": [{"chapter": f.chapter, "src": f.src.name, "css_width_px": f.css_width_px,
                     "min_text_pt": f.min_text_pt, "printed_text_pt": f.printed_text_pt and
                     round(f.printed_text_pt, 2), "landscape": f.landscape}
                    for f in asm.figures],
        "exercises": len(asm.solutions), "quizzes": len(asm.quiz_keys),
        "left_out": asm.notes,
    }
    (out.with_suffix(".json")).write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


def blanks_for_recto(asm: Assembler, pages: dict[str, int], blanks: set[str]) -> set[str]:
    """Parts start on a right-hand (odd) page: the parts that need a blank page before them.

    ``pages`` were measured with ``blanks`` in place; each blank added or removed before a part
    shifts every later page by one, which the loop accounts for in order.
    """
    out, shift = set(), 0
    seen = []
    for ch in asm.chapters:
        if ch.in_numbered_part and ch.part not in seen:
            seen.append(ch.part)
            key = doc_key("part " + ch.part)
            page = pages.get(key)
            if page is None:
                continue
            had = key in blanks
            base = page - (1 if had else 0) + shift      # where it lands with no blank before it
            need = base % 2 == 0
            if need:
                out.add(key)
            shift += int(need) - int(had)
    return out


def shift_pages(asm: Assembler, pages: dict[str, int], old: set[str],
                new: set[str]) -> dict[str, int]:
    """Page numbers after adding/removing the blank pages before parts (``old`` -> ``new``)."""
    steps = []
    for ch in asm.chapters:
        key = doc_key("part " + ch.part)
        if ch.in_numbered_part and key in pages and (key, pages[key]) not in steps:
            steps.append((key, pages[key]))
    out = dict(pages)
    for dest, page in pages.items():
        out[dest] = page + sum(int(k in new) - int(k in old) for k, p in steps if page >= p)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    ap.add_argument("--paper", choices=sorted(PAPERS), default="a4")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--parts", help="print only these parts (e.g. 1 or 1,3) with the front "
                    "matter and the glossary: the quick check `make test` runs")
    args = ap.parse_args(argv)
    out = args.out or ROOT / "_build" / "pdf" / f"twitch-{args.paper}.pdf"
    sys.path.insert(0, str(ROOT))
    parts = set(args.parts.split(",")) if args.parts else None
    report = build(args.html.resolve(), out.resolve(), args.paper, parts=parts)
    print(f"The PDF: {report['pdf']} ({report['size_MB']} MB, passes {report['passes_s']} s, "
          f"{report['total_s']} s in all)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
