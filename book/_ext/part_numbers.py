"""Lesson numbers that carry their part: "2.1 Electrolytes and excitability", "Figure 2.1.3".

Each part of ``_toc.yml`` is its own toctree. With ``numbered: 1`` on the lesson parts and
``use_multitoc_numbering: false`` (``_config.yml``), Sphinx numbers the lessons of each part from
1, and numbers figures, exercises and tables within each lesson (``numfig_secnum_depth`` 1:
"Figure 1.3" for the third figure of a part's first lesson). Sphinx has no notion of a part
number, so after it has assigned its numbers (``env-get-updated``) this extension puts the
part's position among the numbered parts in front of every number of the part's lessons: the
section numbers (the page title, the sidebar, prev/next links) and the figure numbers (figures,
exercises, code listings, tables). Unnumbered parts ("Start here", "Reference") are untouched.
"""

from __future__ import annotations

from sphinx import addnodes


def _parts(app, env) -> dict[str, int]:
    """Document name -> its part's number (1-based among the numbered toctrees of the root)."""
    root = app.config.root_doc
    if root not in env.all_docs:
        return {}
    part_of: dict[str, int] = {}
    k = 0
    for toctree in env.get_doctree(root).findall(addnodes.toctree):
        if not toctree.get("numbered"):
            continue
        k += 1
        for _title, ref in toctree["entries"]:
            if ref and ref not in part_of:
                part_of[ref] = k
    return part_of


def _prefix(number, part: int):
    if not number:
        return number
    return type(number)([part, *number]) if isinstance(number, list) else (part, *number)


def prefix_part_numbers(app, env) -> list[str]:
    """Put the part number in front of the lesson, section and figure numbers of its lessons.

    Figure-like numbers are recounted within each lesson: Sphinx keeps one counter per
    section number, and lesson 1 of every part has section number 1, so the counters of lessons
    1.1, 2.1 and 3.1 would run on into each other.
    """
    parts = _parts(app, env)
    for doc, part in parts.items():
        secnums = env.toc_secnumbers.get(doc)
        if not secnums or not secnums.get(""):
            continue
        lesson = secnums[""][0]
        env.toc_secnumbers[doc] = {a: _prefix(n, part) for a, n in secnums.items()}
        for figtype, numbers in env.toc_fignumbers.get(doc, {}).items():
            env.toc_fignumbers[doc][figtype] = {
                fid: (part, lesson, k) for k, fid in enumerate(numbers, start=1)}
        # The numbers the sidebar, the page title and prev/next links show are stored on the
        # toc's own nodes and on the document's title.
        toc = env.tocs.get(doc)
        if toc is not None:
            for node in toc.findall():
                if "secnumber" in getattr(node, "attributes", {}) and node["secnumber"]:
                    node["secnumber"] = _prefix(node["secnumber"], part)
        title = env.titles.get(doc)
        if title is not None and title.get("secnumber"):
            title["secnumber"] = _prefix(title["secnumber"], part)
    return list(parts)


def setup(app):
    # After the toctree collector (priority 500) has assigned Sphinx's own numbers.
    app.connect("env-get-updated", prefix_part_numbers, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
