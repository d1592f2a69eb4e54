"""The graded exercise notebooks in exercises/: well formed, failing as handed out, passing solved.

Each notebook is the instructor's version in nbgrader's format; tools/student_notebooks.py makes
the student version. Run as a grader would (every cell, even after an error), the student version
must fail every graded test cell, and only by NotImplementedError or AssertionError, while the
instructor version must pass them all. nbval runs the instructor version too (``exercises`` is
in pytest's testpaths); here the run reports which graded cells fail.
"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbgrader.nbgraderformat import MetadataValidator

from tools.student_notebooks import student_version

EXERCISES = Path(__file__).resolve().parent.parent / "exercises"
NOTEBOOKS = sorted(EXERCISES.glob("*.ipynb"))
each_notebook = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])


def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def graded_ids(nb):
    return {
        nbgrader_meta(cell)["grade_id"] for cell in nb.cells if nbgrader_meta(cell).get("grade")
    }


def failures(nb):
    """Run ``nb`` in exercises/ and map each cell that raised (its grade_id, else "cell <index>")
    to its exception, as "ExceptionName: message"."""
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=60,
        allow_errors=True,
        resources={"metadata": {"path": str(EXERCISES)}},
    )
    client.execute()
    return {
        nbgrader_meta(cell).get("grade_id", f"cell {index}"): f"{output.ename}: {output.evalue}"
        for index, cell in enumerate(nb.cells)
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    }


@each_notebook
def test_notebook_is_well_formed(path):
    nb = nbformat.read(path, as_version=4)
    MetadataValidator().validate_nb(nb)  # nbgrader's schema, and grade_ids unique
    assert any(nbgrader_meta(cell).get("solution") for cell in nb.cells), "no solution cell"
    assert graded_ids(nb), "no graded test cell"
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("grade"):
            assert cell.cell_type == "code" and meta["locked"] and not meta["solution"], meta
            assert meta["points"] > 0, f"{meta['grade_id']} is worth no points"
        if cell.cell_type == "code":
            assert not cell.outputs, "outputs are stored"

    student = student_version(nb)
    for cell in student.cells:
        assert "BEGIN SOLUTION" not in cell.source and "HIDDEN TESTS" not in cell.source
        if nbgrader_meta(cell).get("solution") and cell.cell_type == "code":
            assert "raise NotImplementedError()" in cell.source


@each_notebook
def test_the_committed_student_version_is_up_to_date(path):
    committed = EXERCISES.parent / "student" / path.name
    assert committed.exists(), f"student/{path.name} is missing: run `make student`"
    expected = nbformat.writes(student_version(nbformat.read(path, as_version=4)))
    assert nbformat.writes(nbformat.read(committed, as_version=4)) == expected, "run `make student`"


@each_notebook
def test_student_version_fails_every_graded_cell(path):
    nb = nbformat.read(path, as_version=4)
    failed = failures(student_version(nb))
    raised = {error.split(":")[0] for error in failed.values()}
    assert raised <= {"NotImplementedError", "AssertionError"}, failed
    exercise_ids = {
        meta["grade_id"]
        for meta in map(nbgrader_meta, nb.cells)
        if meta.get("solution") or meta.get("grade")
    }
    assert set(failed) <= exercise_ids, f"a cell outside the exercises fails: {failed}"
    passing = graded_ids(nb) - set(failed)
    assert not passing, f"these graded cells give points without an answer: {passing}"


@each_notebook
def test_solution_passes_every_graded_cell(path):
    failed = failures(nbformat.read(path, as_version=4))
    assert not failed, f"the instructor's version fails: {failed}"
