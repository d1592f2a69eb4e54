"""Test problems with exact derivatives, one module per family.

Each is a :class:`~optlib.Problem`; where the minimiser is known it is in ``x_star`` and the
minimum in ``f_star``; where the literature fixes a start, it is in ``x0``.
"""

from optlib.problems import cute, data, mgh
from optlib.problems.cute import cute_suite
from optlib.problems.data import CurveFit, nist_suite
from optlib.problems.digits import digits, digits_mlp
from optlib.problems.logistic import LogisticRegression, rare_features_data
from optlib.problems.mgh import ExtendedRosenbrock, MGHProblem, classic_suite
from optlib.problems.mlp import MLP, sine_regression, two_spirals
from optlib.problems.quadratic import DiagonalQuadratic, NoisyQuadratic, Quadratic
from optlib.problems.rosenbrock import Rosenbrock

__all__ = [
    "Quadratic",
    "DiagonalQuadratic",
    "NoisyQuadratic",
    "Rosenbrock",
    "mgh",
    "MGHProblem",
    "ExtendedRosenbrock",
    "classic_suite",
    "cute",
    "cute_suite",
    "data",
    "CurveFit",
    "nist_suite",
    "LogisticRegression",
    "rare_features_data",
    "MLP",
    "two_spirals",
    "sine_regression",
    "digits",
    "digits_mlp",
]
