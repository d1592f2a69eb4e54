"""Test problems with exact derivatives, one module per family.

Each is a :class:`~optlib.Problem`; where the minimiser is known it is in ``x_star`` and the
minimum in ``f_star``; where the literature fixes a start, it is in ``x0``.
"""

from optlib.problems.quadratic import Quadratic
from optlib.problems.rosenbrock import Rosenbrock

__all__ = ["Quadratic", "Rosenbrock"]
