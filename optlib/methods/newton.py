"""Newton's method with a line search and a repair for indefinite Hessians (book chapter 9)."""

from __future__ import annotations

import numpy as np
import scipy.linalg

from optlib import linesearch
from optlib.checks import check_choice, check_positive, check_wolfe_constants
from optlib.method import Method, MethodFailure, Step

__all__ = ["Newton", "newton_direction", "MODIFICATIONS"]

#: The Hessian repairs ``Newton(modification=...)`` accepts (None: no repair).
MODIFICATIONS = ("eigen", "shift")

#: How many times the shift loop of Algorithm 3.3 may double τ before it gives up.
_MAX_SHIFTS = 200


def _cholesky_solve(H, b):
    """x with H x = b for a positive definite H, by Cholesky (LAPACK potrf and potrs); raises
    numpy.linalg.LinAlgError when H is not positive definite."""
    try:
        factor = scipy.linalg.cho_factor(H, check_finite=False)
    except scipy.linalg.LinAlgError as error:
        raise np.linalg.LinAlgError(str(error)) from None
    return scipy.linalg.cho_solve(factor, b, check_finite=False)


def newton_direction(H, g, modification=None, delta=1e-8, beta=1e-3):
    """The Newton direction p from ∇²f = ``H`` and ∇f = ``g``, repaired or not.

    * ``modification=None``: p solves H p = −g (9.2), by Cholesky when H is positive definite,
      else by an LU solve; whether p is a descent direction is left to the caller.
    * ``"eigen"``: with H = Q diag(λ) Qᵀ, p = −Q diag(1 / max(|λᵢ|, δ)) Qᵀ g (9.4).
    * ``"shift"``: p solves (H + τI) p = −g with the smallest τ of the sequence 0 (if every
      Hᵢᵢ > 0; else −min Hᵢᵢ + β), then max(2τ, β), … for which Cholesky succeeds (9.5).

    Raises :class:`~optlib.method.MethodFailure` when H is not finite, or when it is singular
    and no repair was asked for.

    Example:
      >>> import numpy as np
      >>> H, g = np.diag([2.0, -2.0]), np.array([2.0, -0.2])    # f = x² − y² at (1, 0.1)
      >>> newton_direction(H, g)                  # straight to the saddle (0, 0)
      array([-1. , -0.1])
      >>> newton_direction(H, g, "eigen")         # the y-component turned downhill
      array([-1. ,  0.1])
    """
    if not (np.all(np.isfinite(H)) and np.all(np.isfinite(g))):
        raise MethodFailure("the Hessian or the gradient is not finite")
    if modification == "eigen":
        lam, Q = np.linalg.eigh(H)
        return -(Q @ ((Q.T @ g) / np.maximum(np.abs(lam), delta)))  # (9.4)
    if modification == "shift":
        # Nocedal & Wright Algorithm 3.3, Cholesky with added multiple of the identity.
        min_diagonal = float(np.min(np.diag(H)))
        tau = 0.0 if min_diagonal > 0 else beta - min_diagonal
        identity = np.eye(H.shape[0])
        for _ in range(_MAX_SHIFTS):
            try:
                return _cholesky_solve(H + tau * identity, -g)  # (9.5)
            except np.linalg.LinAlgError:
                tau = max(2.0 * tau, beta)
        raise MethodFailure(f"no shift τ up to {tau:.3g} makes the Hessian positive definite")
    try:
        return _cholesky_solve(H, -g)  # (9.2), H positive definite
    except np.linalg.LinAlgError:
        pass
    try:
        return np.linalg.solve(H, -g)  # (9.2), H indefinite
    except np.linalg.LinAlgError:
        raise MethodFailure(
            "the Hessian is singular: the Newton step is not defined "
            "(use modification='eigen' or 'shift')"
        ) from None


class Newton(Method):
    """Newton's method: xₖ₊₁ = xₖ + αₖpₖ, where pₖ minimises the quadratic model of f at xₖ.

    The model mₖ(p) = f(xₖ) + ∇f(xₖ)ᵀp + ½pᵀ∇²f(xₖ)p (9.1) has its stationary point where
    ∇²f(xₖ) p = −∇f(xₖ) (9.2). When ∇²f(xₖ) is positive definite this is the model's minimiser
    and a descent direction; then the iterates are invariant under any invertible linear
    change of variables x = Ty, and near a minimiser with a positive definite, Lipschitz Hessian
    they converge quadratically with αₖ = 1 (Nocedal & Wright, Theorem 3.5). Every line search
    tries αₖ = 1 first. Each iteration evaluates the Hessian once (one count in ``nhev``) and
    factors it, O(n³).

    Where ∇²f(xₖ) is indefinite, the solution of (9.2) is a stationary point of the model that
    may be a saddle or a maximum, and the step may point uphill. ``modification`` repairs the
    Hessian before solving:

    * ``"eigen"``: the eigenvalues λᵢ are replaced by their absolute values, at least δ (9.4):
      a direction of negative curvature keeps its curvature's size and the step along it turns
      downhill. This is the |H| of the saddle-free Newton method (Dauphin et al. 2014); the
      smallest repair in the Frobenius norm, Nocedal & Wright's (3.41), would instead raise
      every λᵢ < δ to δ, making the step along such a direction long. Both leave a Hessian whose
      eigenvalues are all ≥ δ untouched. Cost: one symmetric eigendecomposition per iteration.
    * ``"shift"``: H + τI with τ found by Nocedal & Wright's Algorithm 3.3 (Cholesky with added
      multiple of the identity, τ doubling from β) (9.5).
    * ``None``: no repair. When the step is not a descent direction (∇fᵀp ≥ 0) the run stops
      with ``MethodFailure``; when the Hessian is singular too. Otherwise the step is taken,
      even toward a saddle: from (1, 0.1) on f = x² − y² + y⁴/4, one full step lands near the
      saddle at the origin.

    Args:
      line_search: ``"wolfe"`` (strong Wolfe, default), ``"armijo"`` (backtracking from 1) or
        None (the full step, αₖ = 1: "pure" Newton).
      modification: ``"eigen"`` (default), ``"shift"`` or None.
      delta: δ, the smallest eigenvalue magnitude the ``"eigen"`` repair leaves (default 1e-8).
      beta: β, the first non-zero shift of the ``"shift"`` repair (default 1e-3, as N&W).
      c1, c2: the sufficient-decrease and curvature constants of the line search,
        0 < c₁ < ½ and c₁ < c₂ < 1.

    Equations (chapter 9)::

      (9.1) mₖ(p) = fₖ + ∇fₖᵀp + ½pᵀ∇²fₖp
      (9.2) ∇²fₖ pₖ = −∇fₖ
      (9.3) xₖ₊₁ = xₖ + αₖpₖ
      (9.4) pₖ = −Q diag(1/max(|λᵢ|, δ)) Qᵀ∇fₖ,  with ∇²fₖ = Q diag(λ) Qᵀ
      (9.5) (∇²fₖ + τI) pₖ = −∇fₖ,  τ ∈ {0 or β − minᵢ (∇²fₖ)ᵢᵢ, then doubling, at least β}

    Example:
      >>> import numpy as np, optlib
      >>> p = optlib.problems.Quadratic(np.array([[3.0, 1.0], [1.0, 2.0]]), b=[1.0, 1.0])
      >>> res = optlib.minimize(p, [5.0, -7.0], method=Newton())
      >>> res.nit, np.allclose(res.x, p.x_star)       # one step to the minimiser
      (1, True)

    References:
      Nocedal & Wright, *Numerical Optimization*, 2nd ed. (2006), §3.3–3.4 (Algorithm 3.3,
      eq. 3.41) and Theorem 3.5; Dauphin, Pascanu, Gulcehre, Cho, Ganguli & Bengio,
      "Identifying and attacking the saddle point problem in high-dimensional non-convex
      optimization", NeurIPS 2014 (the absolute-value repair).
    """

    needs = frozenset({"grad", "hess"})

    def __init__(
        self, line_search="wolfe", modification="eigen", delta=1e-8, beta=1e-3, c1=1e-4, c2=0.9
    ):
        self.line_search = check_choice(line_search, "line_search", (None, "wolfe", "armijo"))
        self.modification = check_choice(modification, "modification", (None, *MODIFICATIONS))
        self.delta = check_positive(delta, "delta")
        self.beta = check_positive(beta, "beta")
        self.c1, self.c2 = check_wolfe_constants(c1, c2)

    @property
    def descent(self):
        return self.line_search is not None

    def step(self, oracle, state, x, fun, grad):
        H = oracle.hess(x)
        p = newton_direction(H, grad, self.modification, self.delta, self.beta)  # (9.2)
        slope = float(grad @ p)
        if not slope < 0:
            raise MethodFailure(
                f"the Newton step is not a descent direction (∇fᵀp = {slope:.3g}): the Hessian "
                "is not positive definite here (use modification='eigen' or 'shift')"
            )
        if self.line_search is None:
            return Step(x + p)  # (9.3) with αₖ = 1
        if self.line_search == "wolfe":
            ls = linesearch.strong_wolfe(oracle, x, fun, grad, p, 1.0, self.c1, self.c2)
        else:
            ls = linesearch.armijo(oracle, x, fun, grad, p, 1.0, self.c1)
        return Step(x + ls.alpha * p, ls.fun, ls.grad)  # (9.3)
