"""Colab copies of the chapters: the same notebooks with plain Markdown in place of MyST.

    python -m tools.colab_notebooks OUT_DIR

Colab renders Markdown, HTML and math, but none of MyST's directives and roles, which the chapters
use for theorems, proofs, exercises, solutions, citations and cross-references. For every chapter
in _toc.yml this writes OUT_DIR/chapters/<name>.ipynb with the code cells unchanged and each
Markdown cell rewritten:

* ``prf:theorem``, ``prf:lemma``, ``prf:proposition``, ``prf:algorithm``, ``exercise``: a bold
  heading numbered as on the website, each kind counted apart ("Theorem 3.2": the chapter's
  number, from its file name, then the count);
  ``prf:proof``: *Proof.* ... ∎; ``admonition``: a quoted block under its title;
* ``solution``: a folded ``<details>`` block; a gated solution (``solution-start`` ...
  ``solution-end``, with code cells between) a heading instead, since HTML cannot span cells;
* ``(label)=`` and ``:label:``: an HTML anchor; ``{ref}`` and ``{prf:ref}``: a link to the anchor
  when the label is in the same chapter, otherwise to the website (its ``objects.inv``, or the
  chapter that numbers the theorem);
  ``{cite}``: "[Author, year]" linking to the website's bibliography;
* the front matter that jupyterlab-myst reads is dropped, and relative links become links to the
  website or to Colab.

MyST syntax it does not know is an error, so that a chapter never reaches Colab half converted.
The website must be built first (``make book``): its ``objects.inv`` resolves labels in other
pages. ``tests/test_colab.py`` checks that the committed copies are these.
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import re
from pathlib import Path

import nbformat
import yaml
from pybtex.database import parse_file
from sphinx.util.inventory import InventoryFile

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
SITE_URL = CONFIG["html"]["baseurl"].rstrip("/") + "/"
REPOSITORY = CONFIG["repository"]["url"].removeprefix("https://github.com/")
COLAB = (
    f"https://colab.research.google.com/github/{REPOSITORY}/blob/{CONFIG['repository']['branch']}/"
)

#: Directives that become a numbered bold heading, with the word the website uses.
NUMBERED = {
    "prf:theorem": "Theorem",
    "prf:lemma": "Lemma",
    "prf:proposition": "Proposition",
    "prf:algorithm": "Algorithm",
    "exercise": "Exercise",
}
FENCE = re.compile(r"^(`{3,})\{([\w:-]+)\}[ \t]*(.*)$")
OPTION = re.compile(r"^:([\w-]+):[ \t]*(.*)$")
TARGET = re.compile(r"^\(([\w-]+)\)=[ \t]*$", re.MULTILINE)
ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
AMSMATH = re.compile(
    r"^\\begin\{equation\*\}\n(.*?)\n\\end\{equation\*\}$", re.DOTALL | re.MULTILINE
)
RELATIVE_LINK = re.compile(r'(href="|\]\()(\.\./[^")#\s]+?)(\.ipynb|\.md)?(#[^")]*)?(["\)])')
LEFT_OVER_MYST = re.compile(r"```\{|\{[\w:-]+\}`|^:[\w-]+:", re.MULTILINE)


def chapters():
    """The chapter notebooks in the order of _toc.yml."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [
        ROOT / f"{entry['file']}.ipynb"
        for part in toc["parts"]
        for entry in part["chapters"]
        if entry["file"].startswith("chapters/")
    ]


def chapter_number(path):
    """A chapter's number in the book's plan, from its file name: chapters/16_lookahead.ipynb is
    16, as the website numbers it (_ext/chapter_numbers.py)."""
    return int(Path(path).stem.split("_")[0])


def citation_labels():
    """{bibtex key: "Author, year"}: the website's labels (_ext/author_year_bibliography.py)."""
    spec = importlib.util.spec_from_file_location(
        "author_year_bibliography", ROOT / "_ext" / "author_year_bibliography.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    entries = parse_file(ROOT / CONFIG["bibtex_bibfiles"][0]).entries
    keys = list(entries)
    labels = module.AuthorYearLabels().format_labels([entries[k] for k in keys])
    return dict(zip(keys, labels, strict=True))


def website_labels():
    """{label: URL} of every label on the built website: those of its ``objects.inv`` and the
    theorems and algorithms of the chapters (which sphinx-proof leaves out of the inventory)."""
    with open(ROOT / "_build" / "html" / "objects.inv", "rb") as stream:
        inventory = InventoryFile.load(stream, SITE_URL, lambda base, uri: base + uri)
    labels = {name: entry[2] for name, entry in inventory.get("std:label", {}).items()}
    labels.update({label: url for label, (url, _) in numbered_blocks().items()})
    return labels


def numbered_blocks():
    """{label: (URL, "Theorem 3")}: the theorems, algorithms and exercises of every chapter,
    with how a {prf:ref} names them."""
    blocks = {}
    for path in chapters():
        nb = nbformat.read(path, as_version=4)
        chapter = Chapter(nb, {}, {}, number=chapter_number(path))
        for label, title in chapter.titles.items():
            blocks[label] = (f"{SITE_URL}chapters/{path.stem}.html#{label}", title)
    return blocks


def numbered_titles():
    """{label: "Theorem 3"} for every chapter's numbered blocks."""
    return {label: title for label, (_, title) in numbered_blocks().items()}


def directives(markdown):
    """Split Markdown into text and top-level directive blocks: a list of strings and
    (name, argument, options, body) tuples."""
    pieces, text, lines = [], [], iter(markdown.split("\n"))
    for line in lines:
        opening = FENCE.match(line)
        if not opening:
            text.append(line)
            continue
        pieces.append("\n".join(text))
        text = []
        fence, name, argument = opening.groups()
        options, body, in_options = {}, [], True
        for inner in lines:
            if inner.rstrip() == fence:
                break
            option = OPTION.match(inner) if in_options else None
            if option:
                options[option.group(1)] = option.group(2)
            else:
                in_options = False
                body.append(inner)
        else:
            raise ValueError(f"the directive {{{name}}} is never closed")
        pieces.append((name, argument.strip(), options, "\n".join(body).strip("\n")))
    pieces.append("\n".join(text))
    return pieces


class Chapter:
    """One chapter's conversion: its labels and numbers, then its cells."""

    def __init__(self, nb, citations, elsewhere, titles_elsewhere=None, number=None):
        self.citations, self.elsewhere = citations, elsewhere
        self.titles_elsewhere = titles_elsewhere or {}
        self.prefix = f"{number}." if number else ""  # "Theorem 3.2" in chapter 3
        self.titles = {}  # label -> how a {prf:ref} names it ("Theorem 2")
        self.numbers = {}  # label -> number, for exercises that solutions refer to
        counts = dict.fromkeys(NUMBERED.values(), 0)
        self.local = set()
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            self.local.update(TARGET.findall(cell.source))
            for piece in directives(cell.source):
                if isinstance(piece, tuple) and piece[0] in NUMBERED:
                    kind = NUMBERED[piece[0]]
                    counts[kind] += 1
                    label = piece[2].get("label")
                    if label:
                        self.local.add(label)
                        self.titles[label] = f"{kind} {self.prefix}{counts[kind]}"
                        self.numbers[label] = f"{self.prefix}{counts[kind]}"
        self.counts = dict.fromkeys(NUMBERED.values(), 0)

    def link(self, label):
        if label in self.local:
            return f"#{label}"
        if label in self.elsewhere:
            return self.elsewhere[label]
        raise ValueError(f"no label {label!r} in this chapter or on the website")

    def role(self, match):
        name, content = match.groups()
        if name == "cite":
            keys = [key.strip() for key in content.split(",")]
            names = "; ".join(self.citations[key] for key in keys)
            return f"[[{names}]]({SITE_URL}appendices/bibliography.html)"
        if name == "ref":
            text, label = re.fullmatch(r"(.*?)\s*<([\w-]+)>", content, re.DOTALL).groups()
            return f"[{text}]({self.link(label)})"
        if name == "prf:ref":
            title = self.titles.get(content) or self.titles_elsewhere.get(content)
            if title is None:
                raise ValueError(f"no theorem or algorithm labelled {content!r}")
            return f"[{title}]({self.link(content)})"
        raise ValueError(f"the role {{{name}}} has no plain-Markdown form here")

    def inline(self, text):
        text = AMSMATH.sub(lambda m: f"$$\n{m.group(1)}\n$$", text)  # Colab wants $$ around it
        text = TARGET.sub(lambda m: f'<a id="{m.group(1)}"></a>', text)
        text = ROLE.sub(self.role, text)
        return RELATIVE_LINK.sub(self.relative_link, text)

    @staticmethod
    def relative_link(match):
        opening, path, suffix, anchor, closing = match.groups()
        target = path.removeprefix("../")
        if suffix == ".ipynb" and not target.startswith(("chapters/", "appendices/")):
            return f"{opening}{COLAB}{target}{suffix}{closing}"  # a notebook to run: in Colab
        return f"{opening}{SITE_URL}{target}.html{anchor or ''}{closing}"

    def block(self, name, argument, options, body):
        anchor = f'<a id="{options["label"]}"></a>\n\n' if "label" in options else ""
        body = self.convert(body)
        if name in NUMBERED:
            kind = NUMBERED[name]
            self.counts[kind] += 1
            title = f" ({argument})" if argument else ""
            return f"{anchor}**{kind} {self.prefix}{self.counts[kind]}{title}.**\n\n{body}"
        if name == "prf:proof":
            return f"*Proof.* {body} ∎"
        if name == "admonition":
            quoted = "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))
            return f"> **{argument}**\n>\n{quoted}"
        if name == "solution":
            number = self.numbers[argument]
            return (
                f"<details><summary>Solution to Exercise {number}</summary>\n\n{body}\n\n</details>"
            )
        if name == "solution-start":
            return f"**Solution to Exercise {self.numbers[argument]}**\n\n{body}"
        if name == "solution-end":
            return body
        raise ValueError(f"the directive {{{name}}} has no plain-Markdown form here")

    def convert(self, markdown):
        converted = "\n".join(
            self.block(*piece) if isinstance(piece, tuple) else self.inline(piece)
            for piece in directives(markdown)
        )
        return re.sub(r"\n{3,}", "\n\n", converted).strip("\n")


def colab_copy(nb, name, citations, elsewhere, titles_elsewhere=None):
    """The Colab copy of the chapter notebook ``nb`` (left unchanged), chapters/<name>.ipynb;
    ``titles_elsewhere`` names the numbered blocks of other chapters ({label: "Theorem 3"})."""
    number = chapter_number(name) if name in {path.stem for path in chapters()} else None
    chapter = Chapter(nb, citations, elsewhere, titles_elsewhere, number)
    result = copy.deepcopy(nb)
    note = nbformat.v4.new_markdown_cell(
        f"*The Colab copy of a chapter of the book, in plain Markdown; [the website]"
        f"({SITE_URL}chapters/{name}.html) shows it as the book does.*"
    )
    note.id = "colab-copy-note"  # a fixed id: the copy is the same on every run
    cells = [note]
    for cell in result.cells:
        if cell.cell_type == "markdown":
            cell.source = chapter.convert(FRONT_MATTER.sub("", cell.source))
            if not cell.source.strip():
                continue
            if LEFT_OVER_MYST.search(cell.source):
                raise ValueError(f"MyST left in a converted cell: {cell.source[:200]!r}")
        cells.append(cell)
    result.cells = cells
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="directory to write chapters/<name>.ipynb to")
    out = parser.parse_args(argv).out
    citations, elsewhere = citation_labels(), website_labels()
    titles = numbered_titles()
    for path in chapters():
        target = out / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        nb = nbformat.read(path, as_version=4)
        nbformat.write(colab_copy(nb, path.stem, citations, elsewhere, titles), target)


if __name__ == "__main__":
    main()
