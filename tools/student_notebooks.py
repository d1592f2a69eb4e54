"""The student version of the graded exercise notebooks: solutions and hidden tests taken out.

    python -m tools.student_notebooks SRC_DIR OUT_DIR

For every ``SRC_DIR/*.ipynb`` (an instructor's notebook in nbgrader's format) this writes
``OUT_DIR/<same name>``, applying the preprocessors of ``nbgrader generate_assignment`` in its
order, without its course directory or database (``tools/course.py`` runs nbgrader itself, and
a test checks that the two agree):

* ``LockCells`` locks the test cells (and the read-only ones) against editing;
* ``ClearSolutions`` replaces each ``### BEGIN SOLUTION`` … ``### END SOLUTION`` region (or a whole
  solution cell without one) by ``raise NotImplementedError()``;
* ``ClearHiddenTests`` deletes each ``### BEGIN HIDDEN TESTS`` … ``### END HIDDEN TESTS`` region;
* ``ClearOutput`` removes outputs and execution counts;
* ``ComputeChecksums`` records each graded cell's checksum, which nbgrader uses to notice edits.

A solution or hidden-test region outside a solution or graded cell is an error, as in nbgrader.
"""

import argparse
import copy
from pathlib import Path

import nbformat
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    LockCells,
)

#: nbgrader generate_assignment's preprocessors, in its order, less those that need a course
#: (IncludeHeaderFooter, InstantiateTests, SaveCells).
PREPROCESSORS = (
    LockCells,
    ClearSolutions,
    ClearOutput,
    CheckCellMetadata,
    ComputeChecksums,
    ClearHiddenTests,
    ClearMarkScheme,
    ComputeChecksums,
    CheckCellMetadata,
)


def student_version(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook a student receives; ``nb`` itself is left unchanged."""
    nb = copy.deepcopy(nb)
    resources = {}
    for preprocessor in PREPROCESSORS:
        nb, resources = preprocessor().preprocess(nb, resources)
    return nb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path, help="directory of instructor notebooks (*.ipynb)")
    parser.add_argument("out", type=Path, help="directory to write the student notebooks to")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in sorted(args.src.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nbformat.write(student_version(nb), args.out / path.name)


if __name__ == "__main__":
    main()
