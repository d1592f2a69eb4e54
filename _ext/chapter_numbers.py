"""A Sphinx extension that gives each chapter the number of the book's plan, from its file name.

The plan (BOOK.md) numbers the chapters 1–17 in the survey's order, and a chapter's file says
its number: chapters/16_lookahead is chapter 16. Sphinx numbers the chapters by their place in
the table of contents instead, so while chapters 9–15 are still being written chapter 16 would be
called 9, and so would its theorems ("Theorem 9.1") and figures. After Sphinx has numbered the
sections and the numbered blocks, this puts the file's number in the first place of every number
of a chapter; the rest (section, block count) stays as Sphinx made it. With no gaps in the plan's
order it changes nothing.
"""

import re

from docutils import nodes

_CHAPTER_FILE = re.compile(r"chapters/(\d+)_")


def _with_chapter(number, chapter):
    """``number`` (a tuple, or Sphinx's list on a title or a reference) with ``chapter`` first."""
    return type(number)((chapter, *number[1:])) if number else number


def _number_chapters_as_planned(app, env):
    for docname, anchors in env.toc_secnumbers.items():
        match = _CHAPTER_FILE.match(docname)
        if not match:
            continue
        chapter = int(match.group(1))
        for anchor, number in anchors.items():
            anchors[anchor] = _with_chapter(number, chapter)
        numbered_nodes = [env.titles[docname], *env.tocs[docname].findall(nodes.reference)]
        for node in numbered_nodes:  # the page's title, and its entries in the contents
            if node.get("secnumber"):
                node["secnumber"] = _with_chapter(node["secnumber"], chapter)
        for numbers in env.toc_fignumbers.get(docname, {}).values():
            for node_id, number in numbers.items():
                if len(number) > 1:  # (chapter, count); a bare count has no chapter to fix
                    numbers[node_id] = _with_chapter(number, chapter)
    return []  # the documents to rewrite are those Sphinx's own numbering already listed


def setup(app):
    # After Sphinx's table-of-contents collector (priority 500) has assigned the numbers.
    app.connect("env-get-updated", _number_chapters_as_planned, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
