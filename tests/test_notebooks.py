"""Static checks of the stored notebooks: what nbval will check is really stored, nothing else is,
and the table of contents lists exactly the chapters that exist.

nbval (run on every notebook by the same pytest command) silently skips a cell tagged
``nbval-check-output`` that stores no output or no execution count; these tests turn that into a
failure.
"""

import json
import pathlib

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(
    p.relative_to(ROOT).as_posix()
    for folder in ("chapters", "exercises")
    for p in (ROOT / folder).glob("*.ipynb")
)
CHECK, KEEP = "nbval-check-output", "keep_output"


def code_cells(path):
    nb = json.loads((ROOT / path).read_text())
    return [
        (i, cell, set(cell.get("metadata", {}).get("tags", [])))
        for i, cell in enumerate(nb["cells"])
        if cell["cell_type"] == "code"
    ]


def test_there_are_notebooks():
    assert any(p.startswith("chapters/") for p in NOTEBOOKS)
    assert any(p.startswith("exercises/") for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_checked_cells_store_what_nbval_compares(path):
    for i, cell, tags in code_cells(path):
        if CHECK in tags:
            assert KEEP in tags, f"{path} cell {i}: tagged {CHECK} but not {KEEP} (nbstripout)"
            assert cell["outputs"], f"{path} cell {i}: tagged {CHECK} but stores no output"
            assert cell["execution_count"] is not None, f"{path} cell {i}: no execution count"
        if KEEP in tags:
            assert CHECK in tags, f"{path} cell {i}: keeps its output but nbval does not check it"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_unchecked_cells_store_no_output(path):
    for i, cell, tags in code_cells(path):
        if CHECK not in tags:
            assert not cell["outputs"], f"{path} cell {i}: stores outputs nbval does not check"
        for output in cell["outputs"]:
            assert output["output_type"] != "error", f"{path} cell {i}: stores an error"


def test_toc_lists_exactly_the_chapters():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    listed = {
        entry["file"]
        for part in toc["parts"]
        for entry in part["chapters"]
        if entry["file"].startswith("chapters/")
    }
    present = {p[: -len(".ipynb")] for p in NOTEBOOKS if p.startswith("chapters/")}
    assert listed == present


def test_chapters_are_numbered_as_their_files_and_listed_in_that_order():
    """Every chapter sits in a numbered part of the table of contents, so the website calls its
    blocks "Theorem 3.2" with the number its file name gives (_ext/chapter_numbers.py); the
    chapters are listed in that order, and the front matter makes JupyterLab (jupyterlab-myst)
    number the blocks the same way."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    chapters = [
        (entry["file"], part.get("numbered", False))
        for part in toc["parts"]
        for entry in part["chapters"]
        if entry["file"].startswith("chapters/")
    ]
    numbers = [int(pathlib.Path(chapter).name.split("_")[0]) for chapter, _ in chapters]
    assert numbers == sorted(set(numbers)), "chapters out of order, or two with one number"
    for number, (chapter, numbered) in zip(numbers, chapters, strict=True):
        assert numbered, f"{chapter} is in a part without numbered: true"
        nb = json.loads((ROOT / f"{chapter}.ipynb").read_text())
        front_matter = "".join(nb["cells"][0]["source"]).split("---\n")[1]
        assert yaml.safe_load(front_matter)["numbering"]["enumerator"] == f"{number}.%s", chapter


def test_every_chapter_has_a_graded_notebook():
    chapters = {pathlib.Path(p).name for p in NOTEBOOKS if p.startswith("chapters/")}
    exercises = {pathlib.Path(p).name for p in NOTEBOOKS if p.startswith("exercises/")}
    assert chapters <= exercises, f"chapters without graded exercises: {chapters - exercises}"
