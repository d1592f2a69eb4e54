"""The website, as a reader meets it in a real browser: every page of the built site.

The site is built first if it is missing or older than its sources. Each page is opened in
Debian's Chromium (driven by Playwright) in the light colour scheme, then switched to the dark
one; the checks below read what those visits recorded (see tests/site_audit.py). Without Chromium
or the local MathJax these tests skip and say how to install them, except in CI (CI=true), where
they fail.
"""

from __future__ import annotations

import os

import pytest
import site_audit as audit


@pytest.fixture(scope="session")
def site_pages():
    audit.build_site()
    found = audit.pages()
    assert "chapters/02_gradient_descent.html" in found
    return found


@pytest.fixture(scope="session")
def visits(site_pages):
    advice = audit.missing_tools()
    if advice:
        if os.environ.get("CI") == "true":
            pytest.fail(advice)
        pytest.skip(advice)
    from playwright.sync_api import sync_playwright

    server = audit.Server()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=audit.chromium(), args=audit.CHROMIUM_ARGS
            )
            for page in site_pages:
                for scheme, record in audit.visit(browser, server.url, page).items():
                    audit.VISITS[page, scheme] = record
            browser.close()
    finally:
        server.close()
    audit.save_summary(audit.VISITS)
    return audit.VISITS


def findings(visits, name):
    """{(page, scheme): what was found} for the visits where ``name`` found something."""
    return {key: getattr(v, name) for key, v in visits.items() if getattr(v, name)}


def test_no_console_error_and_nothing_fetched_from_outside_the_site(visits):
    assert not findings(visits, "errors")
    assert not findings(visits, "outside")


def test_every_formula_is_typeset(visits):
    assert not findings(visits, "untypeset")
    assert not findings(visits, "math_errors")
    assert not findings(visits, "raw_tex")
    assert not findings(visits, "cut_formulas")  # wide ones scroll instead (_static/custom.css)
    assert not findings(visits, "hidden_numbers")  # but a numbered one fits the column


def test_every_image_loads_and_has_a_text_alternative(visits):
    assert not findings(visits, "unloaded")
    assert not findings(visits, "no_alt")


def test_figures_stay_readable_in_the_dark_scheme(visits):
    assert not findings(visits, "dark_figures")


def test_no_serious_or_critical_accessibility_violation(visits):
    assert not findings(visits, "violations")


def test_every_explorer_answers_its_sliders_and_play_button(visits):
    chapter = visits["chapters/02_gradient_descent.html", "light"]
    assert chapter.explorers, "chapter 2 has an explorer"
    for (page, _), record in visits.items():
        for explorer in record.explorers:
            assert all(explorer["sliders_move_frame"]), (page, explorer)
            assert all(explorer["labelled"]), (page, explorer)
            assert explorer["play"], (page, explorer)
            assert explorer["note_hidden"], (page, explorer)  # "run the cell" is for notebooks


def test_solutions_are_folded_until_the_reader_opens_them(visits):
    chapter = visits["chapters/02_gradient_descent.html", "light"]
    assert chapter.solutions, "chapter 2 has solutions"
    for (page, _), record in visits.items():
        assert all(hidden and shown for hidden, shown in record.solutions), page


def test_every_internal_link_and_anchor_resolves(site_pages):
    broken = {page: audit.broken_links(page) for page in site_pages}
    assert not {page: links for page, links in broken.items() if links}


def test_every_page_is_within_its_weight_budget(site_pages):
    weights = {page: audit.page_weight(page) for page in site_pages}
    assert not {page: w for page, w in weights.items() if w > audit.PAGE_BUDGET}


def test_every_chapter_can_be_launched_in_binder_and_colab(site_pages):
    for page in site_pages:
        if page.startswith("chapters/"):
            html = (audit.SITE / page).read_text(encoding="utf-8")
            assert "https://mybinder.org/v2/gh/" in html, page
            assert "https://colab.research.google.com/github/" in html, page
