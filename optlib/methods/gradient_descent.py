"""Gradient descent, with a fixed step or a line search (book chapter 2)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from optlib import linesearch
from optlib.checks import check_choice, check_positive, check_wolfe_constants
from optlib.method import Method, Step


class GradientDescent(Method):
    """Steepest descent: θₖ₊₁ = θₖ − αₖ ∇f(θₖ)  (2.1).

    With a fixed step αₖ = ``lr``. On a quadratic with Hessian A = QΛQᵀ the error is
    then θₖ − θ* = Q(I − αΛ)ᵏQᵀ(θ₀ − θ*)  (2.4), which tends to 0 from every start
    iff 0 < αλᵢ < 2 for every eigenvalue λᵢ of A  (2.7). With a line search, αₖ is
    chosen along d = −∇f(θₖ); the first search tries ``lr`` first, and each later one
    the step that would repeat the previous iteration's first-order decrease (Nocedal &
    Wright's (3.60)): αₖ⁽⁰⁾ = αₖ₋₁ ‖gₖ₋₁‖² / ‖gₖ‖²  (2.18).

    Args:
      lr: the step size α (fixed step), or the first trial step of the first line
        search (default 1).
      line_search: None (fixed step), ``"armijo"`` (backtracking to sufficient
        decrease), ``"wolfe"`` (strong Wolfe conditions) or ``"exact"`` (the exact
        minimiser along d; only on quadratic problems).
      initial_step: the first trial step of the later Armijo and Wolfe searches:
        ``"previous"`` (2.18) (default), or ``"constant"`` (``lr`` every time).
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

    def __init__(self, lr=None, line_search=None, initial_step="previous", c1=1e-4, c2=0.9):
        line_search = check_choice(line_search, "line_search", (None, *linesearch.KINDS))
        if lr is None and line_search is None:
            raise ValueError("lr is required for a fixed step (line_search=None)")
        self.lr = check_positive(1.0 if lr is None else lr, "lr")
        self.line_search = line_search
        self.initial_step = check_choice(initial_step, "initial_step", ("previous", "constant"))
        self.c1, self.c2 = check_wolfe_constants(c1, c2)

    @property
    def descent(self):
        return self.line_search is not None

    @property
    def needs(self):
        exact = self.line_search == "exact"
        return frozenset({"grad", "hessp", "quadratic"} if exact else {"grad"})

    def init(self, oracle, x, fun, grad):
        # αₖ₋₁gₖ₋₁ᵀdₖ₋₁, the previous first-order decrease, for (2.18)
        return SimpleNamespace(first_order_change=None)

    def step(self, oracle, state, x, fun, grad):
        if self.line_search is None:  # (2.1) with a fixed α, allocating one vector:
            x_new = grad * -self.lr  # −α∇f(θₖ) ...
            x_new += x  # ... + θₖ in place: at n = 10⁶ a temporary costs more than the math
            return Step(x_new)
        direction = -grad  # steepest descent
        if self.line_search == "exact":
            ls = linesearch.exact_quadratic(oracle, x, fun, grad, direction)  # (2.10)
        else:
            slope = -float(np.dot(grad, grad))  # gₖᵀd = −‖gₖ‖²
            alpha0 = self.lr
            if state.first_order_change is not None and self.initial_step == "previous":
                alpha0 = state.first_order_change / slope  # (2.18)
            if self.line_search == "armijo":
                ls = linesearch.armijo(oracle, x, fun, grad, direction, alpha0, self.c1)
            else:
                c1, c2 = self.c1, self.c2
                ls = linesearch.strong_wolfe(oracle, x, fun, grad, direction, alpha0, c1, c2)
            state.first_order_change = ls.alpha * slope
        return Step(x + ls.alpha * direction, ls.fun, ls.grad)  # (2.1) with α = αₖ
