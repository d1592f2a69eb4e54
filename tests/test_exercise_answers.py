"""The graded test cells tell right answers from wrong ones, one exercise at a time.

For every exercise notebook, a list of answers a student might hand in: typical mistakes, and
correct answers written differently from the instructor's. One kernel runs the instructor's
notebook, then for each answer replaces that exercise's solution cell by it, runs the graded
test cells that follow it (a grader runs the cells top to bottom: those above never see it), and
puts the instructor's solution back. A wrong answer must fail the graded cell of its exercise
and no other (so that one mistake costs one exercise's points); a correct variant must fail
none.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from exercise_answers import ANSWERS
from jupyter_client.manager import start_new_kernel

EXERCISES = Path(__file__).resolve().parent.parent / "exercises"


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


class Kernel:
    """A Python kernel started in exercises/; ``run`` executes code and returns the error it
    raised, as "ExceptionName: message", or None."""

    def __init__(self):
        self.manager, self.client = start_new_kernel(kernel_name="python3", cwd=str(EXERCISES))

    def run(self, source):
        reply = self.client.execute_interactive(source, timeout=120, output_hook=lambda msg: None)
        content = reply["content"]
        return None if content["status"] == "ok" else f"{content['ename']}: {content['evalue']}"

    def close(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


@pytest.mark.parametrize("stem", sorted(path.stem for path in EXERCISES.glob("*.ipynb")))
def test_each_graded_cell_fails_the_wrong_answers_of_its_exercise_and_only_those(stem):
    assert stem in ANSWERS, f"tests/exercise_answers/ex{stem}.py is missing"
    nb = nbformat.read(EXERCISES / f"{stem}.ipynb", as_version=4)
    solutions = {
        grade_id(c): c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")
    }
    graded = [
        (index, c)
        for index, c in enumerate(nb.cells)
        if c.metadata.get("nbgrader", {}).get("grade")
    ]
    position = {grade_id(c): index for index, c in enumerate(nb.cells)}
    answered = {answer.solution_id for answer in ANSWERS[stem]}
    assert answered == set(solutions), "every exercise needs wrong answers and a right one"
    kernel = Kernel()
    try:
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert kernel.run(cell.source) is None, (
                    f"the instructor's cell fails: {grade_id(cell)}"
                )
        mismatches = []
        for answer in ANSWERS[stem]:
            assert kernel.run(answer.source) is None, answer.description
            failed = {}
            for index, cell in graded:
                if index < position[answer.solution_id]:
                    continue
                error = kernel.run(cell.source)
                if error is not None:
                    failed[grade_id(cell)] = error
            if set(failed) != answer.fails:
                mismatches.append((answer.solution_id, answer.description, failed))
            assert kernel.run(solutions[answer.solution_id]) is None
    finally:
        kernel.close()
    assert not mismatches, mismatches
