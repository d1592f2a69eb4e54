"""Line-search Newton–CG ("Hessian-free"), with optional Martens damping (book chapter 15)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from optlib import linesearch
from optlib.checks import (
    check_choice,
    check_count,
    check_in_interval,
    check_positive,
    check_wolfe_constants,
)
from optlib.method import Method, Step

__all__ = ["NewtonCG", "truncated_cg", "TruncatedCG", "martens_damping"]


class TruncatedCG(NamedTuple):
    """What :func:`truncated_cg` returns."""

    p: np.ndarray  #: the direction
    exit: str  #: "converged", "negative curvature" or "max_iter"
    iterations: int  #: CG iterations, = the number of products with B
    model_decrease: float  #: q_B(p) − q_B(0) = gᵀp + ½pᵀBp (≤ 0)


def truncated_cg(hessp, g, tol, max_iter, damping=0.0):
    """Conjugate gradients on B p = −g from p = 0, B = H + μI, stopped early (N&W Alg. 7.1).

    ``hessp(v)`` gives Hv. The iteration stops when the residual ‖Bp + g‖ is below ``tol``
    (15.2), when a direction of non-positive curvature dᵀBd ≤ 0 appears (15.5) — then it
    returns the iterate so far, or −g if that happens at the first iteration — or after
    ``max_iter`` products. Every CG iterate from 0 is a descent direction while the curvature
    stays positive, so what is returned is always one (for g ≠ 0).

    The model decrease q_B(p) − q_B(0) = gᵀp + ½pᵀBp is available without another product:
    the CG residual is r = Bp + g, so pᵀBp = pᵀ(r − g) and gᵀp + ½pᵀBp = ½(gᵀp + pᵀr).

    Example:
      >>> import numpy as np
      >>> A = np.array([[4.0, 1.0], [1.0, 3.0]]); g = np.array([1.0, 2.0])
      >>> out = truncated_cg(lambda v: A @ v, g, tol=1e-12, max_iter=10)
      >>> out.exit, out.iterations, np.allclose(out.p, np.linalg.solve(A, -g))
      ('converged', 2, True)
      >>> truncated_cg(lambda v: -v, g, tol=1e-12, max_iter=10).exit
      'negative curvature'
    """
    p = np.zeros_like(g)
    r = g.copy()  # r = Bp + g at p = 0
    d = -r
    rr = float(r @ r)
    for j in range(max_iter):
        Bd = hessp(d)
        if damping:
            Bd = Bd + damping * d  # a new array: hessp's output is not ours to change
        curvature = float(d @ Bd)
        if curvature <= 0:  # (15.5)
            if j == 0:
                return TruncatedCG(-g, "negative curvature", 1, -rr + 0.5 * curvature)
            return TruncatedCG(p, "negative curvature", j + 1, 0.5 * float(g @ p + p @ r))
        alpha = rr / curvature  # (15.3)
        p += alpha * d
        r += alpha * Bd
        rr_new = float(r @ r)
        if np.sqrt(rr_new) <= tol:  # (15.2)
            return TruncatedCG(p, "converged", j + 1, 0.5 * float(g @ p + p @ r))
        d = (rr_new / rr) * d - r  # (15.4)
        rr = rr_new
    return TruncatedCG(p, "max_iter", max_iter, 0.5 * float(g @ p + p @ r))


def martens_damping(damping, rho, factor=1.5):
    """Martens' update of the damping μ from the reduction ratio ρ (15.8): μ·ω if ρ < ¼,
    μ/ω if ρ > ¾, else μ unchanged (ω = ``factor``, 3/2 in Martens 2010)."""
    if rho < 0.25:
        return damping * factor
    if rho > 0.75:
        return damping / factor
    return damping


class NewtonCG(Method):
    """Line-search Newton–CG: an inexact Newton step from a few CG iterations, then a line search.

    The Newton equation ∇²f pₖ = −∇fₖ is solved only approximately, by conjugate gradients that
    need Hessian-vector products only (each one counted in ``nhev``), never the Hessian itself:
    CG stops once the residual is below ηₖ‖∇fₖ‖, with the forcing term ηₖ = min(0.5, √‖∇fₖ‖)
    (superlinear convergence) or min(0.5, ‖∇fₖ‖) (quadratic) (15.2); or at a direction of
    non-positive curvature, which keeps the step a descent direction where the Hessian is
    indefinite (15.5). A line search from αₖ = 1 then sets the step length (15.6). This is
    Nocedal & Wright's Algorithm 7.1.

    With ``damping`` = μ₀ > 0, CG runs on B = ∇²f + μI instead, which shortens the step and
    keeps away from directions of tiny or negative curvature (Martens 2010). After each step
    the reduction ratio ρ of the actual to the predicted decrease (15.7) adapts μ by Martens'
    Levenberg–Marquardt-style rule (15.8): μ ← ωμ if ρ < ¼, μ ← μ/ω if ρ > ¾, with
    ω = ``damping_factor`` = 3/2. The survey writes this rule with the symbol α for ω (and its
    inverse), which clashes with the step length. The predicted decrease is that of the
    undamped model, q(p) − q(0) = ∇fₖᵀp + ½pᵀ∇²fₖp: the damping term's share of the damped
    model's decrease is not a promise about f. ρ needs f(xₖ + pₖ), which is also the line
    search's first trial: it is evaluated once and handed to the search.

    Args:
      forcing: ``"sqrt"`` (η = min(0.5, √‖∇f‖), default), ``"norm"`` (η = min(0.5, ‖∇f‖)), or
        a number η in (0, 1) (a constant forcing term).
      damping: None (no damping, default) or the initial μ > 0.
      damping_factor: ω > 1 in Martens' rule (default 1.5).
      line_search: ``"wolfe"`` (strong Wolfe, default) or ``"armijo"`` (backtracking).
      max_cg: the largest number of CG iterations (Hessian-vector products) per step; default
        20·n (SciPy's).
      c1, c2: the sufficient-decrease and curvature constants of the line search,
        0 < c₁ < ½ and c₁ < c₂ < 1.

    Equations (chapter 15)::

      (15.1) q(p) = fₖ + ∇fₖᵀp + ½pᵀBₖp,  Bₖ = ∇²fₖ + μI  (μ = 0 without damping)
      (15.2) ‖Bₖpₖ + ∇fₖ‖ ≤ ηₖ‖∇fₖ‖,  ηₖ = min(0.5, √‖∇fₖ‖)
      (15.3) αⱼ = rⱼᵀrⱼ / dⱼᵀBₖdⱼ,  zⱼ₊₁ = zⱼ + αⱼdⱼ,  rⱼ₊₁ = rⱼ + αⱼBₖdⱼ   (z₀ = 0, r₀ = ∇fₖ)
      (15.4) βⱼ₊₁ = rⱼ₊₁ᵀrⱼ₊₁ / rⱼᵀrⱼ,  dⱼ₊₁ = −rⱼ₊₁ + βⱼ₊₁dⱼ   (d₀ = −∇fₖ)
      (15.5) dⱼᵀBₖdⱼ ≤ 0  ⇒  pₖ = zⱼ, or −∇fₖ if j = 0
      (15.6) xₖ₊₁ = xₖ + αₖpₖ
      (15.7) ρₖ = (f(xₖ + pₖ) − f(xₖ)) / (q(pₖ) − q(0)),  q with μ = 0
      (15.8) ρₖ < ¼ ⇒ μ ← ωμ;  ρₖ > ¾ ⇒ μ ← μ/ω   (ω = 3/2)

    Example:
      >>> import numpy as np, optlib
      >>> p = optlib.problems.Rosenbrock(2)
      >>> res = optlib.minimize(p, p.x0, method=NewtonCG(), gtol=1e-8)
      >>> res.success, np.round(res.x, 6)
      (True, array([1., 1.]))

    References:
      Nocedal & Wright, *Numerical Optimization*, 2nd ed. (2006), §7.1 (Algorithm 7.1,
      Theorem 7.2); Dembo, Eisenstat & Steihaug, "Inexact Newton methods", SIAM J. Numer. Anal.
      19 (1982); Martens, "Deep learning via Hessian-free optimization", ICML 2010, §4.1.
    """

    needs = frozenset({"grad", "hessp"})
    descent = True

    def __init__(
        self,
        forcing="sqrt",
        damping=None,
        damping_factor=1.5,
        line_search="wolfe",
        max_cg=None,
        c1=1e-4,
        c2=0.9,
    ):
        if isinstance(forcing, str):
            self.forcing = check_choice(forcing, "forcing", ("sqrt", "norm"))
        else:
            self.forcing = check_in_interval(forcing, "forcing", 0.0, 1.0)
        self.damping = None if damping is None else check_positive(damping, "damping")
        self.damping_factor = check_in_interval(damping_factor, "damping_factor", 1.0, np.inf)
        self.line_search = check_choice(line_search, "line_search", ("wolfe", "armijo"))
        self.max_cg = None if max_cg is None else check_count(max_cg, "max_cg")
        self.c1, self.c2 = check_wolfe_constants(c1, c2)

    def init(self, oracle, x, fun, grad):
        return SimpleNamespace(damping=self.damping or 0.0)

    def _eta(self, grad_norm):
        if self.forcing == "sqrt":
            return min(0.5, np.sqrt(grad_norm))
        if self.forcing == "norm":
            return min(0.5, grad_norm)
        return self.forcing

    def _search(self, oracle, x, fun, grad, p, at_alpha0=None):
        if self.line_search == "wolfe":
            return linesearch.strong_wolfe(
                oracle, x, fun, grad, p, 1.0, self.c1, self.c2, at_alpha0=at_alpha0
            )
        return linesearch.armijo(
            oracle,
            x,
            fun,
            grad,
            p,
            1.0,
            self.c1,
            at_alpha0=None if at_alpha0 is None else at_alpha0[0],
        )

    def step(self, oracle, state, x, fun, grad):
        grad_norm = float(np.linalg.norm(grad))
        tol = self._eta(grad_norm) * grad_norm  # (15.2)
        max_cg = self.max_cg or 20 * x.size
        cg = truncated_cg(lambda v: oracle.hessp(x, v), grad, tol, max_cg, state.damping)
        p = cg.p
        if self.damping is None:
            ls = self._search(oracle, x, fun, grad, p)
            return Step(x + ls.alpha * p, ls.fun, ls.grad)  # (15.6)
        # Martens' rule: μ follows how well the undamped model predicted f at the full step,
        # which is then the line search's first trial.
        if self.line_search == "wolfe":
            full = oracle.fun_and_grad(x + p)
        else:
            full = (oracle.fun(x + p), None)
        predicted = cg.model_decrease - 0.5 * state.damping * float(p @ p)  # q(p) − q(0), μ = 0
        rho = (full[0] - fun) / predicted if np.isfinite(full[0]) else -np.inf  # (15.7)
        state.damping = martens_damping(state.damping, rho, self.damping_factor)  # (15.8)
        ls = self._search(oracle, x, fun, grad, p, at_alpha0=full)
        return Step(x + ls.alpha * p, ls.fun, ls.grad)  # (15.6)
