"""Gradient descent, with a fixed step or a line search (book chapter 2)."""

from __future__ import annotations

from optlib import linesearch
from optlib.checks import check_choice, check_positive, check_wolfe_constants
from optlib.method import Method, Step


class GradientDescent(Method):
    """Steepest descent: θₖ₊₁ = θₖ − αₖ ∇f(θₖ)  (2.1).

    With a fixed step αₖ = ``lr``. On a quadratic with Hessian A = QΛQᵀ the error is
    then θₖ − θ* = Q(I − αΛ)ᵏQᵀ(θ₀ − θ*)  (2.4), which tends to 0 from every start
    iff 0 < αλᵢ < 2 for every eigenvalue λᵢ of A  (2.6). With a line search, ``lr``
    is the first trial step and αₖ is chosen along d = −∇f(θₖ).

    Args:
      lr: the step size α (fixed step), or the first trial step of a line search
        (default 1).
      line_search: None (fixed step), ``"armijo"`` (backtracking to sufficient
        decrease), ``"wolfe"`` (strong Wolfe conditions) or ``"exact"`` (the exact
        minimiser along d; only on quadratic problems).
      c1, c2: the sufficient-decrease and curvature constants of the line search,
        0 < c₁ < ½ and c₁ < c₂ < 1.

    Example:
      >>> import numpy as np, optlib
      >>> A = np.diag([1.0, 10.0])
      >>> res = optlib.minimize(optlib.problems.Quadratic(A), [10.0, 1.0],
      ...                       method=GradientDescent(line_search="exact"))
      >>> res.history.x[1]    # Boyd & Vandenberghe §9.3.2: 10·(9/11), (−9/11)
      array([ 8.18181818, -0.81818182])

    References:
      Cauchy (1847); Nocedal & Wright, *Numerical Optimization* (2006), §3.1–3.3.
    """

    def __init__(self, lr=None, line_search=None, c1=1e-4, c2=0.9):
        line_search = check_choice(line_search, "line_search", (None, *linesearch.KINDS))
        if lr is None and line_search is None:
            raise ValueError("lr is required for a fixed step (line_search=None)")
        self.lr = check_positive(1.0 if lr is None else lr, "lr")
        self.line_search = line_search
        self.c1, self.c2 = check_wolfe_constants(c1, c2)

    @property
    def descent(self):
        return self.line_search is not None

    @property
    def needs(self):
        exact = self.line_search == "exact"
        return frozenset({"grad", "hessp", "quadratic"} if exact else {"grad"})

    def step(self, oracle, state, x, fun, grad):
        if self.line_search is None:  # (2.1) with a fixed α, allocating one vector:
            x_new = grad * -self.lr  # −α∇f(θₖ) ...
            x_new += x  # ... + θₖ in place: at n = 10⁶ a temporary costs more than the math
            return Step(x_new)
        direction = -grad  # steepest descent
        if self.line_search == "armijo":
            ls = linesearch.armijo(oracle, x, fun, grad, direction, self.lr, self.c1)
        elif self.line_search == "wolfe":
            c1, c2 = self.c1, self.c2
            ls = linesearch.strong_wolfe(oracle, x, fun, grad, direction, self.lr, c1, c2)
        else:
            ls = linesearch.exact_quadratic(oracle, x, fun, grad, direction)  # (2.9)
        return Step(x + ls.alpha * direction, ls.fun, ls.grad)  # (2.1) with α = αₖ
