"""An nbgrader course directory with every chapter's graded notebook as an assignment, generated.

    python -m tools.course COURSE_DIR [--timeout SECONDS]

For every ``exercises/NN_name.ipynb`` (the instructor's version) this copies it to
``COURSE_DIR/source/NN_name/`` and runs nbgrader's ``generate_assignment``, which records the
graded cells and their hidden tests in ``COURSE_DIR/gradebook.db`` and writes the student version,
with locked test cells and checksums, to ``COURSE_DIR/release/NN_name/``. It also writes
``COURSE_DIR/nbgrader_config.py``, so that nbgrader's commands run in that directory as they ran
here (the course id, the time a cell may run while grading). The instructor's guide in the book
(appendices/instructors.md) goes on from there: collect, autograde, export, feedback.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
COURSE_ID = "optbook"
#: Seconds a cell may run while autograding: a graded cell runs in a second or two, so this
#: stops an infinite loop in a submission without cutting a correct answer short.
CELL_TIMEOUT = 60

CONFIG_FILE = """# nbgrader's settings for this course, written by `python -m tools.course`.
c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.course_id = "{course_id}"
c.Execute.timeout = {timeout}  # seconds a cell may run while autograding
"""


def assignments():
    """{assignment name: instructor notebook}, one per graded notebook."""
    return {path.stem: path for path in sorted(EXERCISES.glob("*.ipynb"))}


def course_config(root, timeout=CELL_TIMEOUT):
    """The nbgrader configuration of the course in ``root``."""
    config = Config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.course_id = COURSE_ID
    config.Execute.timeout = timeout
    return config


def api(root, timeout=CELL_TIMEOUT):
    """nbgrader's Python API on the course in ``root``. nbgrader runs ``alembic`` (its database
    migrations) as a command, so this environment's scripts go first on the PATH."""
    from nbgrader.apps import NbGraderAPI

    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ["PATH"].split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ["PATH"]
    return NbGraderAPI(config=course_config(root, timeout))


def build_course(root, timeout=CELL_TIMEOUT):
    """Create (or refresh) the course directory ``root`` with every assignment generated."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(
        CONFIG_FILE.format(course_id=COURSE_ID, timeout=timeout)
    )
    grader = api(root, timeout)
    for name, notebook in assignments().items():
        source = root / "source" / name
        source.mkdir(parents=True, exist_ok=True)
        shutil.copy(notebook, source / notebook.name)
        result = grader.generate_assignment(name, force=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader could not generate {name}:\n{result['log']}")
    return grader


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", type=Path, help="the course directory to create or refresh")
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT, help="seconds per cell")
    args = parser.parse_args(argv)
    build_course(args.course, args.timeout)
    names = ", ".join(assignments())
    print(f"{args.course}: assignments {names} generated; students get release/<name>/")


if __name__ == "__main__":
    main()
