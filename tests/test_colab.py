"""The chapters' Colab copies: plain Markdown, the same code, up to date with the chapters."""

from __future__ import annotations

import re

import nbformat
import pytest
import site_audit

from tools import colab_notebooks as colab

COPIES = colab.ROOT / "colab"


@pytest.fixture(scope="module")
def converted():
    """{chapter path: its Colab copy made now} (the website must be built: objects.inv)."""
    site_audit.build_site()
    citations, elsewhere = colab.citation_labels(), colab.website_labels()
    titles = colab.numbered_titles()
    return {
        path: colab.colab_copy(
            nbformat.read(path, as_version=4), path.stem, citations, elsewhere, titles
        )
        for path in colab.chapters()
    }


def test_the_committed_copies_are_up_to_date(converted):
    for path, copy in converted.items():
        committed = COPIES / path.relative_to(colab.ROOT)
        assert committed.exists(), f"{committed} is missing: run `make colab`"
        current = nbformat.writes(nbformat.read(committed, as_version=4))
        assert current == nbformat.writes(copy), f"{committed} is stale: run `make colab`"


def test_a_copy_keeps_every_code_cell_and_starts_by_installing_optlib(converted):
    for path, copy in converted.items():
        source = nbformat.read(path, as_version=4)
        code = [c.source for c in source.cells if c.cell_type == "code"]
        assert [c.source for c in copy.cells if c.cell_type == "code"] == code
        assert "%pip install" in code[0]


def test_no_myst_is_left_and_every_link_within_a_copy_finds_its_anchor(converted):
    for copy in converted.values():
        markdown = "\n".join(c.source for c in copy.cells if c.cell_type == "markdown")
        assert not colab.LEFT_OVER_MYST.search(markdown)
        anchors = set(re.findall(r'<a id="([\w-]+)"></a>', markdown))
        links = set(re.findall(r"\]\(#([\w-]+)\)", markdown))
        assert links and links <= anchors, links - anchors
        assert "../" not in markdown  # relative links were made absolute


def test_a_solution_is_folded_and_numbers_follow_the_website(converted):
    copy = next(c for path, c in converted.items() if path.stem == "02_gradient_descent")
    markdown = "\n".join(c.source for c in copy.cells if c.cell_type == "markdown")
    assert "<details><summary>Solution to Exercise 2.2</summary>" in markdown
    assert markdown.index("**Theorem 2.1 (") < markdown.index("**Theorem 2.2 (")
    assert "[Theorem 2.1](#thm-gd-convergence)" in markdown
    website = (site_audit.SITE / "chapters" / "02_gradient_descent.html").read_text()
    assert '<span class="caption-number">Theorem 2.1 </span>' in website


def test_every_numbered_block_of_the_website_has_its_number_in_the_copy(converted):
    for path, copy in converted.items():
        website = (site_audit.SITE / "chapters" / f"{path.stem}.html").read_text()
        numbered = re.findall(r'<span class="caption-number">(\w+ [\d.]+) </span>', website)
        markdown = "\n".join(c.source for c in copy.cells if c.cell_type == "markdown")
        assert numbered, path.stem
        for title in numbered:
            assert f"**{title}" in markdown, (path.stem, title)


@pytest.mark.parametrize(
    ("markdown", "match"),
    [
        ("```{note}\nA note.\n```", r"the directive \{note\}"),
        ("See {eq}`gd-rate`.", r"the role \{eq\}"),
        ("{ref}`that <nowhere-at-all>`", "no label 'nowhere-at-all'"),
    ],
)
def test_myst_without_a_plain_form_is_an_error_not_a_silent_leftover(markdown, match):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(markdown)])
    with pytest.raises(ValueError, match=match):
        colab.colab_copy(nb, "x", {}, {})
