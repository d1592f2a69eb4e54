"""The answers a student might hand in for each graded notebook: typical mistakes, each with the
graded cell it must fail, and correct answers written differently from the instructor's.

One module per notebook, ``ex<stem>.py`` for ``exercises/<stem>.ipynb``, defines ``ANSWERS``, a
list of :func:`wrong` and :func:`right` records; ``ANSWERS`` here maps each stem to its list.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import NamedTuple


class Answer(NamedTuple):
    solution_id: str  # the grade_id of the solution cell it replaces
    description: str
    source: str
    fails: frozenset  # the graded cells it must fail: its exercise's, or none


def wrong(solution_id, test_id, description, source):
    return Answer(solution_id, description, source, frozenset({test_id}))


def right(solution_id, description, source):
    return Answer(solution_id, description, source, frozenset())


def mutated(source, old, new, count=1):
    """``source`` with the change that makes the mistake (``old`` occurs ``count`` times)."""
    assert source.count(old) == count, old
    return source.replace(old, new)


ANSWERS = {
    module.name.removeprefix("ex"): importlib.import_module(f"{__name__}.{module.name}").ANSWERS
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)
}
