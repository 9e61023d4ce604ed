"""The instructor's working copy of the course, readable in JupyterLab (used by tools/live.py).

The lessons are written for the book (Sphinx): ``{doc}``, ``{cite}`` and ``{term}`` roles and
the ``{glossary}``, ``{bibliography}`` and ``{include}`` directives mean nothing to JupyterLab, even
with jupyterlab-myst (it renders admonitions, exercises and solutions, but not citations from a .bib
file, glossary terms from another page, or links between notebooks). In the working copy they
become plain Markdown:

- ``{doc}`/lessons/1-motor-unit/2-resting-potential``` -> ``[<the lesson's title>](../1-motor-unit/
  2-resting-potential.ipynb)``: a relative link, which JupyterLab opens as a notebook;
- ``{cite}`reed1963,blexrud1993``` -> "(Reed & Kurland 1963; Blexrud et al. 1993)": author-year
  text, each linked to the references notebook with the full reference as its tooltip (rendered
  from ``book/references.bib`` with pybtex; inline HTML links, because jupyterlab-myst drops the
  titles of Markdown links);
- ``{term}`motor units <motor unit>``` -> ``motor units`` linked to the glossary notebook, with
  its definition as the tooltip (definitions from ``book/glossary.md`` and the files it includes);
- ``{ref}`` -> its text; the book pages the lessons link to (disclaimer, glossary, references,
  instructor guide, how to use) become notebooks of one Markdown cell each, and
  ``START-HERE.ipynb`` links every lesson in the order of ``_toc.yml``.

:func:`sync` writes the copy without clobbering an instructor's edits (see its docstring).
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import html
import json
import os
import posixpath
import re
import shutil
import time
from pathlib import Path, PurePosixPath

import nbformat
import yaml

MANIFEST = ".twitch-live.json"
ROLE = re.compile(r"\{(doc|cite|cite:p|cite:t|term|ref)\}`([^`]+)`")
EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)
FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[a-z-]+)\}(?P<arg>[^\n]*)\n"
                   r"(?P<body>.*?)^(?P=fence)[ \t]*$", re.S | re.M)
#: Book pages copied as notebooks (those the lessons link to, and the instructor's own pages).
BOOK_PAGES = ("book/disclaimer", "book/how-to-use", "book/instructor-guide")
GLOSSARY = "book/glossary"
REFERENCES = "book/references"


@dataclasses.dataclass
class Report:
    written: list[str] = dataclasses.field(default_factory=list)
    kept: list[str] = dataclasses.field(default_factory=list)
    unchanged: list[str] = dataclasses.field(default_factory=list)


# ---------------------------------------------------------------------------------------- sources


def toc_files(root: Path) -> list[tuple[str, list[str]]]:
    """The book's parts as ``[(caption, [file, ...]), ...]`` from ``_toc.yml``."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return [(part.get("caption", ""), [ch["file"] for ch in part.get("chapters", [])])
            for part in toc.get("parts", [])]


def _plain(text: str) -> str:
    """Markdown/MyST -> one line of plain text (for tooltips)."""
    text = ROLE.sub(lambda m: _role_text(m.group(2)), text)
    text = re.sub(r"[*_`]", "", text)
    return " ".join(text.split())


def _role_text(content: str) -> str:
    m = EXPLICIT.match(content.strip())
    return " ".join((m.group(1) if m else content).split())


def glossary(root: Path) -> dict[str, tuple[str, str]]:
    """``{term (lower case): (term, definition as Markdown)}`` from the book's glossary pages."""
    text = _inline_includes(root, GLOSSARY + ".md")
    terms: dict[str, tuple[str, str]] = {}
    for block in FENCE.finditer(text):
        if block.group("name") != "glossary":
            continue
        entries: list[tuple[list[str], list[str]]] = []  # (terms, definition lines)
        for line in block.group("body").splitlines():
            if not line.strip() or line.startswith(":"):
                continue
            if line[0].isspace():
                entries[-1][1].append(line.strip())
            elif entries and not entries[-1][1]:
                entries[-1][0].append(line.strip())  # several terms share one definition
            else:
                entries.append(([line.strip()], []))
        for names, definition in entries:
            for t in names:
                terms[t.lower()] = (t, " ".join(" ".join(definition).split()))
    return terms


def bibliography(root: Path) -> dict[str, tuple[str, str]]:
    """``{key: ("Author Year", full reference as text)}`` from ``book/references.bib`` (pybtex)."""
    import latexcodec  # noqa: F401  (registers the "ulatex" codec; a dependency of pybtex)
    from pybtex.database import parse_file
    from pybtex.plugin import find_plugin

    bib = parse_file(str(root / "book/references.bib"))
    for entry in bib.entries.values():  # LaTeX accents ({\\'e}) -> Unicode, before formatting
        for field, value in list(entry.fields.items()):
            entry.fields[field] = codecs.decode(value, "ulatex").replace("{", "").replace("}", "")
        for people in entry.persons.values():
            for p in people:
                for part in ("first_names", "middle_names", "prelast_names", "last_names",
                             "lineage_names"):
                    setattr(p, part, [codecs.decode(n, "ulatex").replace("{", "").replace(
                        "}", "") for n in getattr(p, part)])
    style = find_plugin("pybtex.style.formatting", "plain")()
    backend = find_plugin("pybtex.backends", "text")()
    full = {fe.key: fe.text.render(backend)
            for fe in style.format_entries(bib.entries.values())}
    out = {}
    for key, entry in bib.entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [" ".join(p.prelast_names + p.last_names) for p in people]
        if not names:
            who = entry.fields.get("organization", key)
        elif len(names) == 1:
            who = names[0]
        elif len(names) == 2:
            who = f"{names[0]} & {names[1]}"
        else:
            who = f"{names[0]} et al."
        who = who.replace("{", "").replace("}", "")
        out[key] = (f"{who} {entry.fields.get('year', 'n.d.')}", full[key])
    return out


def _inline_includes(root: Path, rel: str) -> str:
    """The page's text with its ``{include}`` directives replaced by the included files."""
    path = root / rel
    text = path.read_text(encoding="utf-8")

    def include(m):
        if m.group("name") != "include":
            return m.group(0)
        target = (path.parent / m.group("arg").strip()).resolve()
        return target.read_text(encoding="utf-8")

    return FENCE.sub(include, text)


def _title(root: Path, rel: str) -> str:
    """A page's title: the first level-1 heading of the notebook or Markdown page ``rel``."""
    for ext in (".ipynb", ".md"):
        path = root / f"{rel}{ext}"
        if not path.exists():
            continue
        if ext == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        else:
            text = path.read_text(encoding="utf-8")
        m = re.search(r"^# (.+)$", text, re.M)
        return _plain(m.group(1)) if m else PurePosixPath(rel).name
    return PurePosixPath(rel).name


# ------------------------------------------------------------------------------------- transform


class Course:
    """What the transform needs to know about the course (read once per sync)."""

    def __init__(self, root: Path):
        self.root = root
        self.terms = glossary(root)
        self.refs = bibliography(root)
        self.parts = toc_files(root)
        files = [f for _, fs in self.parts for f in fs] + ["book/welcome"]
        self.titles = {f: _title(root, f) for f in files}
        self.pages = {f for f in files if f.startswith("lessons/")} | set(BOOK_PAGES) | {
            GLOSSARY, REFERENCES}

    def link(self, here: str, target: str) -> str | None:
        """Relative URL from page ``here`` to page ``target`` (both without extension)."""
        target = target.lstrip("/")
        if target not in self.pages:
            return None
        return posixpath.relpath(target + ".ipynb", posixpath.dirname(here))

    def transform(self, text: str, here: str) -> str:
        """MyST for Sphinx -> MyST that JupyterLab (with jupyterlab-myst) shows correctly."""
        text = FENCE.sub(lambda m: self._directive(m, here), text)
        return ROLE.sub(lambda m: self._role(m.group(1), m.group(2), here), text)

    def _directive(self, m: re.Match, here: str) -> str:
        name = m.group("name")
        if name == "glossary":
            return self.glossary_markdown(m.group("body"), here)
        if name == "bibliography":
            return self.references_markdown()
        if name == "include":
            raise ValueError("includes are inlined before transforming")
        # Directives jupyterlab-myst renders itself; transform what they contain.
        body = FENCE.sub(lambda mm: self._directive(mm, here), m.group("body"))
        return f"{m.group('fence')}{{{name}}}{m.group('arg')}\n{body}{m.group('fence')}"

    def _role(self, role: str, content: str, here: str) -> str:
        if role == "doc":
            m = EXPLICIT.match(content.strip())
            target = (m.group(2) if m else content).strip()
            if not target.startswith("/"):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(here), target))
            text = m.group(1) if m else self.titles.get(target.lstrip("/"), target)
            url = self.link(here, target)
            return f"[{_md_text(text)}]({url})" if url else f"{_md_text(text)} (in the book)"
        if role.startswith("cite"):
            refs = self.link(here, REFERENCES)
            parts = []
            for key in (k.strip() for k in content.split(",")):
                if key not in self.refs:
                    raise ValueError(f"{here}: unknown citation key {key!r}")
                label, full = self.refs[key]
                parts.append(_html_link(label, refs, full))
            return "(" + "; ".join(parts) + ")"
        if role == "term":
            m = EXPLICIT.match(content.strip())
            text = " ".join((m.group(1) if m else content).split())
            term = " ".join((m.group(2) if m else content).split())
            if term.lower() not in self.terms:
                raise ValueError(f"{here}: unknown glossary term {term!r}")
            _, definition = self.terms[term.lower()]
            return _html_link(text, self.link(here, GLOSSARY), f"{term}: {_plain(definition)}")
        return _md_text(_role_text(content))  # {ref}: its text

    def glossary_markdown(self, body: str, here: str) -> str:
        """A glossary directive's body as a Markdown definition list, sorted by term."""
        names = [line.strip() for line in body.splitlines()
                 if line.strip() and not line[0].isspace() and not line.startswith(":")]
        out = []
        for term in sorted(names, key=str.lower):
            _, definition = self.terms[term.lower()]
            out.append(f"{term}\n: {self.transform(definition, here)}\n")
        return "\n".join(out)

    def references_markdown(self) -> str:
        items = sorted(self.refs.items(), key=lambda kv: kv[1][1].lower())
        return "\n".join(f"- **{_md_text(label)}.** {_md_text(full)}"
                         for _, (label, full) in items) + "\n"


def _md_text(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


def _html_link(text: str, url: str, tooltip: str) -> str:
    """An inline HTML link: jupyterlab-myst drops Markdown link titles but keeps ``title=``."""
    return (f'<a href="{html.escape(url)}" title="{html.escape(" ".join(tooltip.split()))}">'
            f"{html.escape(text, quote=False)}</a>")


# ------------------------------------------------------------------------------------ notebooks


def _markdown_notebook(text: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    # A fixed cell id: the same page builds to the same file (sync then leaves it alone).
    nb.cells = [nbformat.v4.new_markdown_cell(text, id="page")]
    return nb


def build(root: Path) -> dict[str, nbformat.NotebookNode]:
    """Every notebook of the working copy: ``{relative path: notebook}``."""
    course = Course(root)
    out: dict[str, nbformat.NotebookNode] = {}
    for _, files in course.parts:
        for rel in files:
            if not rel.startswith("lessons/"):
                continue
            nb = nbformat.read(root / f"{rel}.ipynb", as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    cell.source = course.transform(cell.source, rel)
            out[f"{rel}.ipynb"] = nb
    for rel in BOOK_PAGES:
        if (root / f"{rel}.md").exists():
            text = _inline_includes(root, f"{rel}.md")
            out[f"{rel}.ipynb"] = _markdown_notebook(course.transform(text, rel))
    out[f"{GLOSSARY}.ipynb"] = _markdown_notebook(
        course.transform(_inline_includes(root, f"{GLOSSARY}.md"), GLOSSARY))
    out[f"{REFERENCES}.ipynb"] = _markdown_notebook(
        course.transform((root / f"{REFERENCES}.md").read_text(encoding="utf-8"), REFERENCES))
    out["START-HERE.ipynb"] = _markdown_notebook(start_page(course))
    return out


def start_page(course: Course) -> str:
    """The landing notebook: what this is, how to teach from it, and a link to every lesson."""
    here = "START-HERE"
    lines = [f"# {course.titles['book/welcome']}", "",
             "```{admonition} Educational only", ":class: warning",
             "This course explains mechanisms; it does not diagnose. See "
             f"[{course.titles['book/disclaimer']}]({course.link(here, 'book/disclaimer')}).",
             "```", "",
             "This is your **working copy** of the course for teaching live: edit and run freely; "
             "the course repository is never changed. `make live` refreshes a lesson from the "
             "course on its next start unless you have edited it here (then it keeps yours; "
             "`make live RESET=1` replaces it). To begin, open a lesson and choose "
             "**Run > Run All Cells**.", ""]
    for caption, files in course.parts:
        links = [f"- [{_md_text(course.titles[f])}]({course.link(here, f)})" for f in files
                 if course.link(here, f)]
        if links:
            lines += [f"## {caption}", "", *links, ""]
    return "\n".join(lines)


def _sources_digest(nb) -> str:
    h = hashlib.sha256()
    for cell in nb.cells:
        h.update(cell.cell_type.encode() + b"\0" + cell.source.encode("utf-8") + b"\0")
    return h.hexdigest()


def sync(root: Path, live_dir: Path, *, reset: bool = False) -> Report:
    """Create or refresh the working copy in ``live_dir``.

    A file is (re)written when it is missing, or when its cell sources are still those this
    function wrote last time (outputs JupyterLab autosaved are replaced by a fresh copy). A file
    whose sources differ (the instructor edited it) is kept and listed in ``Report.kept``, unless
    ``reset``: then it is moved aside to ``<name>.bak-<time>`` and replaced.
    """
    live_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = live_dir / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        manifest = {}
    report = Report()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for rel, nb in build(root).items():
        path = live_dir / rel
        new = _sources_digest(nb)
        text = nbformat.writes(nb) + "\n"
        if path.exists():
            try:
                current = path.read_text(encoding="utf-8")
                old = _sources_digest(nbformat.reads(current, as_version=4))
            except Exception:  # noqa: BLE001 - an unreadable file counts as edited
                current, old = None, None
            if current == text:
                report.unchanged.append(rel)
                continue
            if old != new and old != manifest.get(rel):
                if not reset:
                    report.kept.append(rel)
                    continue
                shutil.move(path, path.with_name(f"{path.name}.bak-{stamp}"))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        manifest[rel] = new
        report.written.append(rel)
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return report
