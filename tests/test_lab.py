"""The chapters as a learner opens them in JupyterLab (Binder's environment), in Chromium.

A JupyterLab server runs on a copy of the chapters and student notebooks, configured as postBuild
configures Binder (tools/learner_setup.py: no nbgrader tools). Each chapter must read as the book:
its MyST rendered by jupyterlab-myst, no raw directive or role in view. Chapter 2 is then run top
to bottom, its explorer used, and the notebook reopened as a learner would find it later. Skipped
like the website's browser tests when Chromium is missing, except in CI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
import site_audit as audit

from tools import colab_notebooks as colab

ROOT = audit.ROOT
CHAPTER = "chapters/02_gradient_descent.ipynb"
STUDENT = "student/02_gradient_descent.ipynb"
#: What MyST looks like when nothing renders it.
RAW_MYST = ["```{", "{cite}`", "{ref}`", "{prf:", ":label:", ":class:", "(gd-"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The URL of a JupyterLab server configured for learners, on copies of the notebooks."""
    if not audit.chromium():
        advice = "these tests need Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(advice)
        pytest.skip(advice)
    base = tmp_path_factory.mktemp("lab")
    for folder in ("chapters", "student"):
        shutil.copytree(ROOT / folder, base / "root" / folder)
    config, settings = base / "config", base / "settings"
    environment = dict(os.environ, JUPYTER_CONFIG_DIR=str(config))
    environment.pop("JPY_SESSION_NAME", None)
    subprocess.run(
        [sys.executable, "-m", "tools.learner_setup", "--level", "user"],
        check=True,
        cwd=ROOT,
        env=environment,
    )
    for plugin, values in {
        "notebook-extension/tracker": {"windowingMode": "none"},  # every cell in the page
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }.items():
        path = settings / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
            f"--port={port}", "--ServerApp.token=", "--ServerApp.password=",
            f"--ServerApp.root_dir={base / 'root'}", f"--LabApp.user_settings_dir={settings}",
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "api/status", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start")
        yield url, base / "root"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=audit.chromium(), args=audit.CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def open_notebook(browser, lab, path, rendered=None):
    """A tab with the notebook at ``path`` open. Without ``rendered``, once its kernel is idle and
    jupyterlab-myst has had time to render; with it, as soon as the rendered markdown contains
    every string of ``rendered`` (reading needs no kernel)."""
    url, _ = lab
    tab = browser.new_page(viewport={"width": 1400, "height": 1000})
    tab.goto(f"{url}lab/tree/{path}?reset")
    notebook = tab.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
    notebook.wait_for(timeout=60_000)
    if rendered:
        tab.wait_for_function(
            """strings => {
              const text = [...document.querySelectorAll('.jp-MarkdownCell')]
                .map(cell => cell.innerText).join('\\n');
              return strings.every(s => text.includes(s));
            }""",
            arg=list(rendered),
            timeout=60_000,
        )
        return tab, notebook
    tab.get_by_text("| Idle").first.wait_for(timeout=60_000)
    tab.wait_for_timeout(2000)  # jupyterlab-myst renders after the cells appear
    return tab, notebook


def rendered_markdown(notebook):
    return "\n".join(notebook.locator(".jp-MarkdownCell").all_inner_texts())


def test_every_chapter_reads_as_the_book(browser, lab):
    for chapter in colab.chapters():
        number = colab.chapter_number(chapter)  # as on the website
        first_block = re.search(r"\{prf:(theorem|proposition)\}", chapter.read_text()).group(1)
        expected = (f"{first_block.title()} {number}.1", f"Exercise {number}.1")
        tab, notebook = open_notebook(browser, lab, f"chapters/{chapter.name}", expected)
        text = rendered_markdown(notebook)
        assert not [raw for raw in RAW_MYST if raw in text], chapter.name
        assert "$$" not in text and "\\frac" not in text, "math left untypeset"
        solution_code = notebook.locator(".jp-CodeCell .jp-InputPlaceholder")
        assert solution_code.count() >= 1, "the solution's code cell is folded"
        tab.close()


def test_learners_see_no_instructor_tools(browser, lab):
    tab, _ = open_notebook(browser, lab, STUDENT)
    menus = tab.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    assert "Nbgrader" not in menus and "Run" in menus
    assert not tab.get_by_text("Create Assignment").count()
    assert not tab.get_by_role("button", name="Validate").count()
    tab.close()


def test_the_chapter_links_to_the_student_notebook(browser, lab):
    tab, notebook = open_notebook(browser, lab, CHAPTER)
    notebook.get_by_role("link", name="student/02_gradient_descent.ipynb").click()
    tab.locator(".lm-TabBar-tab", has_text="02_gradient_descent.ipynb").nth(1).wait_for()
    tab.close()


def run_all(tab):
    tab.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
    tab.get_by_text("Run All Cells", exact=True).click()
    tab.wait_for_function(
        "() => ![...document.querySelectorAll('.jp-InputPrompt')]"
        ".some(p => p.textContent.includes('*'))",
        timeout=240_000,
    )


def explorer_frame(tab):
    return tab.locator(".optlib-explorer img").get_attribute("src")


def test_a_learner_runs_the_chapter_uses_the_explorer_and_finds_it_again_later(browser, lab):
    tab, notebook = open_notebook(browser, lab, CHAPTER)
    run_all(tab)
    assert not notebook.locator(".jp-OutputArea-output[data-mime-type*='error']").count()
    explorer = notebook.locator(".optlib-explorer")
    step = explorer.locator("input[type=range]").first
    assert step.input_value() == "4"  # initial step α/α* = 1.0, the fifth value
    step.wait_for(state="attached")
    tab.wait_for_function(
        "() => !document.querySelector('.optlib-explorer input[type=range]').disabled",
        timeout=120_000,
    )  # the other frames rendered in the background
    before = explorer_frame(tab)
    step.focus()
    tab.keyboard.press("ArrowRight")
    assert explorer_frame(tab) != before
    tab.keyboard.press("Control+s")
    tab.wait_for_timeout(1500)
    tab.close()
    # Later: the notebook reopened without running anything.
    tab, notebook = open_notebook(browser, lab, CHAPTER)
    explorer = notebook.locator(".optlib-explorer")
    assert explorer.count() == 1 and explorer_frame(tab).startswith("data:image/png")
    assert not tab.get_by_text("Error displaying").count()
    tab.close()
