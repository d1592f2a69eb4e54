"""Gauss–Newton for nonlinear least squares (book chapter 10)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from optlib import linesearch
from optlib.checks import check_choice, check_wolfe_constants
from optlib.method import Method, MethodFailure, Step

__all__ = ["GaussNewton", "gauss_newton_step"]


def column_norms(J):
    """‖J's columns‖, with 1 for a column of zeros (as MINPACK does)."""
    norms = np.sqrt(np.einsum("ij,ij->j", J, J))
    norms[norms == 0] = 1.0
    return norms


def gauss_newton_step(J, r):
    """The Gauss–Newton step: the p that minimises ‖J p + r‖², i.e. JᵀJ p = −Jᵀr (10.2).

    Solved as a linear least-squares problem in J itself (an SVD-based ``lstsq``), not through
    the normal equations: κ(JᵀJ) = κ(J)², so forming JᵀJ would lose twice as many digits as the
    problem's own conditioning costs (Nocedal & Wright §10.2). The columns of J are first
    scaled to unit length, so that the SVD's threshold for "numerically zero" singular values
    compares like with like: a variable measured in units that make its column 10¹⁶ times
    shorter than another's is not thereby dropped. Where J has deficient rank the step is the
    minimum-(scaled-)norm solution, still a descent direction: ∇fᵀp = −‖Pr‖² < 0, with P the
    projection onto J's range, unless ∇f = Jᵀr = 0.
    """
    scale = column_norms(J)
    return np.linalg.lstsq(J / scale, -r, rcond=None)[0] / scale  # (10.2)


class _KeepResiduals:
    """Stands in for the oracle inside a line search: f = ½‖r‖², keeping r (and J) of the last
    trial, so that the accepted point's residuals are not evaluated twice. Every evaluation
    still goes through (and is counted by) the real oracle."""

    def __init__(self, oracle):
        self.oracle = oracle
        self.x = self.r = self.J = None

    def fun(self, x):
        self.x, self.r, self.J = x, self.oracle.residuals(x), None
        return 0.5 * float(self.r @ self.r)

    def fun_and_grad(self, x):
        value = self.fun(x)
        self.J = self.oracle.jac(x)
        return value, self.J.T @ self.r


def check_shapes(J, r):
    """A clear error when J and r disagree on the number of residuals."""
    if J.shape[0] != r.shape[0]:
        raise ValueError(f"the Jacobian has {J.shape[0]} rows but there are {r.shape[0]} residuals")


class GaussNewton(Method):
    """Gauss–Newton: Newton's method on f(x) = ½‖r(x)‖² with ∇²f replaced by JᵀJ.

    The Hessian of f is J(x)ᵀJ(x) + Σᵢ rᵢ(x)∇²rᵢ(x) (10.1); dropping the second term leaves a
    model that needs only first derivatives of r and whose step, JᵀJ p = −Jᵀr (10.2), is the
    linear least-squares fit of the linearised residuals. Where the residuals vanish at the
    solution the dropped term vanishes too, and convergence is quadratic; with large residuals
    it can be slow or fail. Each iteration evaluates J once; the line search evaluates r.

    Args:
      line_search: ``"armijo"`` (backtracking from α = 1, default), ``"wolfe"`` (strong Wolfe;
        every trial also evaluates J) or None (the full step).
      c1, c2: the sufficient-decrease and curvature constants of the line search,
        0 < c₁ < ½ and c₁ < c₂ < 1.

    Needs an :class:`optlib.LeastSquares` problem.

    Equations (chapter 10)::

      (10.1) f = ½‖r‖²,  ∇f = Jᵀr,  ∇²f = JᵀJ + Σᵢ rᵢ∇²rᵢ
      (10.2) JᵀJ pₖ = −Jᵀr, i.e. pₖ = argmin ‖J pₖ + r‖²;  xₖ₊₁ = xₖ + αₖpₖ

    Example:
      >>> import numpy as np, optlib
      >>> t = np.linspace(0.0, 1.0, 8)
      >>> y = 2.0 * np.exp(-1.5 * t)                                  # exact data
      >>> fit = optlib.LeastSquares(
      ...     lambda x: x[0] * np.exp(x[1] * t) - y,
      ...     lambda x: np.stack([np.exp(x[1] * t), x[0] * t * np.exp(x[1] * t)], axis=1))
      >>> res = optlib.minimize(fit, [1.0, 0.0], method=GaussNewton(), gtol=1e-12)
      >>> res.success, np.round(res.x, 12)
      (True, array([ 2. , -1.5]))

    References:
      Nocedal & Wright, *Numerical Optimization*, 2nd ed. (2006), §10.3.
    """

    needs = frozenset({"grad", "residuals"})

    def __init__(self, line_search="armijo", c1=1e-4, c2=0.9):
        self.line_search = check_choice(line_search, "line_search", (None, "armijo", "wolfe"))
        self.c1, self.c2 = check_wolfe_constants(c1, c2)

    @property
    def descent(self):
        return self.line_search is not None

    def init(self, oracle, x, fun, grad):
        r, J = oracle.residuals_and_jac(x)  # kept from the run loop's evaluation at x₀
        check_shapes(J, r)
        return SimpleNamespace(x=x, r=r, J=J)

    def step(self, oracle, state, x, fun, grad):
        if not np.array_equal(x, state.x):  # x was moved from outside (e.g. by Lookahead)
            state.x = x
            state.r, state.J = oracle.residuals_and_jac(x)
        p = gauss_newton_step(state.J, state.r)  # (10.2)
        if self.line_search is None:
            x_new = x + p
            r_new, J_new = oracle.residuals(x_new), oracle.jac(x_new)
        else:
            keep = _KeepResiduals(oracle)
            if self.line_search == "armijo":
                ls = linesearch.armijo(keep, x, fun, grad, p, 1.0, self.c1)
            else:
                ls = linesearch.strong_wolfe(keep, x, fun, grad, p, 1.0, self.c1, self.c2)
            x_new = x + ls.alpha * p
            if not np.array_equal(keep.x, x_new):
                raise MethodFailure("internal: the line search's last trial is not its step")
            r_new = keep.r
            J_new = keep.J if keep.J is not None else oracle.jac(x_new)
        check_shapes(J_new, r_new)
        state.x, state.r, state.J = x_new, r_new, J_new
        return Step(x_new, 0.5 * float(r_new @ r_new), J_new.T @ r_new)
