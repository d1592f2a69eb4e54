"""The course kit, end to end through nbgrader itself, for every graded notebook.

``tools/course.py`` builds a course directory and generates every assignment; submissions are
then autograded by nbgrader and their scores read from its gradebook: the untouched student
version scores nothing, correct answers written differently from the reference score everything,
and each typical mistake (the wrong answers of tests/exercise_answers/), set among the
reference's solutions of the other exercises, loses exactly the points of the exercise it is in,
and so do, in the first assignment, an infinite loop and an exception; the feedback shows the
failed check, and the grades export to CSV.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from exercise_answers import ANSWERS
from nbgrader.api import Gradebook

from tools import course

ASSIGNMENTS = course.assignments()
TIMEOUT = 20  # seconds per cell in grading: a loaded machine passes, a loop costs little


def meta(cell):
    return cell.metadata.get("nbgrader", {})


@pytest.fixture(scope="module")
def grader(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    return root, course.build_course(root, timeout=TIMEOUT)


def released(root, name):
    return nbformat.read(root / "release" / name / f"{name}.ipynb", as_version=4)


def score(grader, name, student, nb):
    """Autograde ``nb`` as ``student``'s submission of assignment ``name``: (score, max)."""
    root, api = grader
    folder = root / "submitted" / student / name
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")
    result = api.autograde(name, student, force=True, create=True)
    assert result["success"], result["log"][-3000:]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course.COURSE_ID) as gradebook:
        submission = gradebook.find_submission(name, student)
        return submission.score, submission.max_score


def answered(nb, answers):
    """``nb`` with the solution cells named in ``answers`` ({solution id: source}) replaced."""
    nb = nbformat.from_dict(nb)  # a copy
    for cell in nb.cells:
        if meta(cell).get("grade_id") in answers:
            cell.source = answers[meta(cell)["grade_id"]]
    return nb


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_release_is_the_committed_student_notebook_without_answers(grader, name):
    root, _ = grader
    release = released(root, name)
    committed = nbformat.read(course.ROOT / "student" / f"{name}.ipynb", as_version=4)
    assert nbformat.writes(release) == nbformat.writes(committed)
    hidden = [
        line.strip()
        for cell in nbformat.read(ASSIGNMENTS[name], as_version=4).cells
        for line in cell.source.split("### BEGIN HIDDEN TESTS")[1:]
    ]
    text = nbformat.writes(release)
    assert hidden and not [line for line in hidden if line[:60] in text]
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_scores_from_nothing_to_everything(grader, name):
    root, _ = grader
    reference = nbformat.read(ASSIGNMENTS[name], as_version=4)
    total = sum(meta(c)["points"] for c in reference.cells if meta(c).get("grade"))
    assert score(grader, name, "untouched", released(root, name)) == (0, total)
    # The instructor's own solutions pass their tests (tests/test_exercises.py); here nbgrader
    # gives full marks to a release completed with correct answers written differently.
    right = {a.solution_id: a.source for a in ANSWERS[name] if not a.fails}
    assert score(grader, name, "other-right", answered(released(root, name), right)) == (
        total,
        total,
    )


def failed_cells(grader, name, student, nb):
    """Autograde ``nb`` as ``student``'s submission: the graded cells that lost points."""
    score(grader, name, student, nb)
    root, _ = grader
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course.COURSE_ID) as gradebook:
        graded = gradebook.find_submission_notebook(name, name, student).grades
        return {grade.name for grade in graded if grade.score < grade.max_score}


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_each_mistake_loses_the_points_of_its_exercise_and_no_more(grader, name):
    """Two submissions, each with half the exercises broken by their first typical mistake
    (tests/test_exercise_answers.py checks every mistake alone) and the other half the
    reference's: exactly the graded cells of the broken exercises lose their points, and the
    feedback page shows the failed check."""
    reference = nbformat.read(ASSIGNMENTS[name], as_version=4)
    first_mistake = {}
    for answer in ANSWERS[name]:
        if answer.fails:
            first_mistake.setdefault(answer.solution_id, answer)
    mistakes = list(first_mistake.values())
    for student, chosen in {"odd": mistakes[0::2], "even": mistakes[1::2]}.items():
        broken = answered(reference, {answer.solution_id: answer.source for answer in chosen})
        expected = set().union(*(answer.fails for answer in chosen))
        assert failed_cells(grader, name, student, broken) == expected, student
    # The student gets feedback that shows which check failed.
    root, api = grader
    result = api.generate_feedback(name, "odd", force=True)
    assert result["success"], result["log"][-3000:]
    (page,) = (root / "feedback" / "odd" / name).glob("*.html")
    assert "AssertionError" in page.read_text()


def test_a_function_that_never_returns_or_raises_loses_only_its_exercise(grader):
    """The cell timeout and the handling of errors are the course's, the same for every
    assignment: the first assignment shows them."""
    name = next(iter(ASSIGNMENTS))
    reference = nbformat.read(ASSIGNMENTS[name], as_version=4)
    mistakes = [answer for answer in ANSWERS[name] if answer.fails]
    looping = mistakes[0]
    raising = next(answer for answer in mistakes if answer.solution_id != looping.solution_id)

    def first_function_starting_with(line, source):
        changed = re.sub(r"^(def [^\n]*:\n)", rf"\1    {line}\n", source, count=1, flags=re.M)
        assert changed != source
        return changed

    broken = answered(
        reference,
        {
            looping.solution_id: first_function_starting_with("while True: pass", looping.source),
            raising.solution_id: first_function_starting_with(
                "raise RuntimeError('no answer yet')", raising.source
            ),
        },
    )
    expected = looping.fails | raising.fails
    assert failed_cells(grader, name, "loops-and-raises", broken) == expected


def test_grades_export_to_csv(grader):
    root, _ = grader
    name = next(iter(ASSIGNMENTS))
    wrong = next(a for a in ANSWERS[name] if a.fails)
    reference = nbformat.read(ASSIGNMENTS[name], as_version=4)
    score(grader, name, "exported", answered(reference, {wrong.solution_id: wrong.source}))
    exported = subprocess.run(
        [Path(sys.executable).parent / "nbgrader", "export"],
        cwd=root,
        capture_output=True,
        text=True,
        env=dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"),
    )
    assert exported.returncode == 0, exported.stderr[-2000:]
    rows = (root / "grades.csv").read_text().splitlines()
    assert rows[0].startswith("assignment,") and any(",exported," in row for row in rows)
