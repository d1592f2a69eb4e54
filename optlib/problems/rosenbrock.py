"""The Rosenbrock function, the classic curved valley."""

from __future__ import annotations

import numpy as np

from optlib.problem import Problem

__all__ = ["Rosenbrock"]


class Rosenbrock(Problem):
    """The Rosenbrock function in n ≥ 2 variables (the chained form of ``scipy.optimize.rosen``):

    f(x) = Σᵢ₌₁ⁿ⁻¹ 100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²,

    minimised at x* = (1, …, 1) with f* = 0. The standard start is (−1.2, 1, −1.2, 1, …).

    Example:
      >>> Rosenbrock(2).fun(np.array([1.0, 1.0]))
      0.0
    """

    overflow_warnings = False  # inf or NaN at a diverging iterate is a result

    def __init__(self, n=2):
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2:
            raise ValueError(f"n must be an integer >= 2, got {n!r}")
        self.n = int(n)
        super().__init__(
            self.fun, grad=self.grad, hessp=self.hessp, hess=self.hess, name=f"Rosenbrock (n={n})"
        )
        self.x_star = np.ones(self.n)
        self.f_star = 0.0
        self.x0 = np.where(np.arange(self.n) % 2 == 0, -1.2, 1.0)

    def fun(self, x):
        return float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2))

    def grad(self, x):
        inner = x[1:] - x[:-1] ** 2
        g = np.zeros_like(x)
        g[:-1] = -400.0 * x[:-1] * inner - 2.0 * (1.0 - x[:-1])
        g[1:] += 200.0 * inner
        return g

    def _hess_diagonals(self, x):
        main = np.zeros_like(x)
        main[:-1] = 1200.0 * x[:-1] ** 2 - 400.0 * x[1:] + 2.0
        main[1:] += 200.0
        off = -400.0 * x[:-1]
        return main, off

    def hessp(self, x, v):
        main, off = self._hess_diagonals(x)
        hv = main * v
        hv[:-1] += off * v[1:]
        hv[1:] += off * v[:-1]
        return hv

    def hess(self, x):
        main, off = self._hess_diagonals(x)
        return np.diag(main) + np.diag(off, 1) + np.diag(off, -1)
