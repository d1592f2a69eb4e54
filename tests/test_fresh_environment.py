"""A chapter opened alone, as Colab opens it: its first cell installs the book's library.

Every chapter starts with a cell (hidden on the website) that installs ``optlib`` from the book's
repository when it is missing. Here one chapter runs top to bottom in a new virtual environment
that has only Jupyter's kernel and notebook client, with that cell pointed at a copy of this
checkout's library (``OPTBOOK_OPTLIB``) instead of the repository on GitHub. The versions pip
may choose are the pinned ones of requirements.txt.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
CHAPTERS = [
    ROOT / f"{entry['file']}.ipynb"
    for part in TOC["parts"]
    for entry in part["chapters"]
    if entry["file"].startswith("chapters/")
]

RUN_NOTEBOOK = """
import sys
import nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=300, kernel_name="python3").execute()
"""


def first_code_cell(path):
    nb = json.loads(path.read_text())
    return next(cell for cell in nb["cells"] if cell["cell_type"] == "code")


def test_every_chapter_and_exercise_notebook_starts_by_installing_optlib_from_the_repository():
    assert CHAPTERS
    for notebook in CHAPTERS + sorted((ROOT / "exercises").glob("*.ipynb")):
        cell = first_code_cell(notebook)
        source = "".join(cell["source"])
        assert f'"git+{REPOSITORY}"' in source and "%pip install" in source, notebook.name
        if notebook in CHAPTERS:  # the website does not show it
            assert "remove-cell" in cell["metadata"].get("tags", []), notebook.name


def test_every_link_into_the_repository_names_the_configured_one():
    owner_and_name = REPOSITORY.removeprefix("https://github.com/")
    for notebook in CHAPTERS + sorted((ROOT / "exercises").glob("*.ipynb")):
        named = set(re.findall(r"github(?:\.com)?/([\w.-]+/[\w.-]+?)/blob/", notebook.read_text()))
        assert named <= {owner_and_name}, (notebook.name, named)


def test_the_citation_file_names_the_same_repository():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["repository-code"] == REPOSITORY


def test_a_chapter_runs_where_only_jupyter_is_installed(tmp_path):
    environment = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", environment], check=True)
    python = environment / "bin" / "python"
    constraints = tmp_path / "constraints.txt"
    pins = (ROOT / "requirements.txt").read_text().splitlines()
    constraints.write_text("\n".join(line for line in pins if not line.startswith("-e")))
    settings = dict(os.environ, PIP_CONSTRAINT=str(constraints), PIP_DISABLE_PIP_VERSION_CHECK="1")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "nbclient", "nbformat", "ipykernel"],
        check=True,
        env=settings,
    )
    missing = subprocess.run([python, "-c", "import optlib"], capture_output=True, cwd=tmp_path)
    assert missing.returncode != 0, "the new environment should not have optlib yet"
    source = tmp_path / "optbook"  # what pip builds from (it writes build/ beside the sources)
    shutil.copytree(
        ROOT / "optlib", source / "optlib", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", source)
    # Chapter 5 uses all of optlib's dependencies (SymPy, scikit-learn's digits, the explorer)
    # and runs in a quarter of a minute; then its graded notebook.
    chapter = ROOT / "chapters" / "05_delta_bar_delta.ipynb"
    assert chapter in CHAPTERS
    for notebook in (chapter, ROOT / "exercises" / chapter.name):
        run = subprocess.run(
            [python, "-c", RUN_NOTEBOOK, notebook],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=dict(settings, OPTBOOK_OPTLIB=str(source)),
        )
        assert run.returncode == 0, run.stderr[-3000:]
