"""optlib: the optimisers of deep learning, written to be read next to their equations.

>>> import numpy as np, optlib
>>> problem = optlib.problems.Rosenbrock(2)
>>> method = optlib.methods.GradientDescent(line_search="wolfe")
>>> res = optlib.minimize(problem, problem.x0, method=method, max_iter=20_000, gtol=1e-5)
>>> res.success, np.round(res.x, 4)
(True, array([1., 1.]))
"""

from optlib import linesearch, methods, problems, spectral
from optlib.linear_cg import linear_cg
from optlib.minimize import minimize
from optlib.oracle import Oracle
from optlib.problem import DataProblem, LeastSquares, Problem
from optlib.result import History, Iterate, OptimizeResult, Status

__all__ = [
    "Problem",
    "DataProblem",
    "Oracle",
    "LeastSquares",
    "minimize",
    "linear_cg",
    "OptimizeResult",
    "History",
    "Iterate",
    "Status",
    "methods",
    "problems",
    "spectral",
    "linesearch",
]
