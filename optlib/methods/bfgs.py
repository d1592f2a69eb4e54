"""BFGS: the quasi-Newton method that updates an inverse-Hessian estimate (book chapter 12)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optlib import linesearch
from optlib.checks import check_in_interval
from optlib.method import Method, MethodFailure, Step


def bfgs_update(H, s, y, out=None):
    """The BFGS update of an inverse-Hessian estimate H with the pair (s, y) — N&W (6.17):

        H₊ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ,   ρ = 1 / yᵀs.

    H₊ satisfies the secant equation H₊y = s, and is symmetric positive definite when H is and
    yᵀs > 0. Computed in O(n²) operations (never a matrix product); ``out=H`` updates H in place.
    The result is exactly symmetric when H is.

    >>> H = bfgs_update(np.eye(2), s=np.array([1.0, 0.0]), y=np.array([2.0, 1.0]))
    >>> H @ np.array([2.0, 1.0])       # the secant equation: H₊y = s
    array([1., 0.])
    """
    sy = float(np.dot(s, y))
    if not sy > 0:
        raise ValueError(f"the BFGS update needs sᵀy > 0, got {sy:.3g}")
    rho = 1.0 / sy  # (12.5)
    Hy = H @ y
    # (12.6) expanded: with H symmetric, yᵀH = (Hy)ᵀ, so
    #   (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ = H − ρ(s(Hy)ᵀ + (Hy)sᵀ) + (ρ²yᵀHy + ρ)ssᵀ
    #                                = H + swᵀ + wsᵀ,  w = ½(ρ²yᵀHy + ρ)s − ρHy.
    w = (0.5 * (rho * rho * float(np.dot(y, Hy)) + rho)) * s - rho * Hy
    correction = np.outer(s, w)
    correction += correction.T  # swᵀ + wsᵀ; exactly symmetric (a + b = b + a in floating point)
    return np.add(H, correction, out=out)


def first_trial_step(grad):
    """The first trial step along −g when there is no curvature information yet: min(1, 1/‖g‖),
    a step of length at most 1."""
    return min(1.0, 1.0 / float(np.linalg.norm(grad)))


def quasi_newton_search(method, oracle, x, fun, grad, direction):
    """The strong Wolfe search along a quasi-Newton direction from the trial step 1, or None when
    the direction is not a descent direction (the estimate lost definiteness to round-off) or no
    step is acceptable along it (an ill-conditioned estimate can give a direction so nearly
    orthogonal to g that the decrease it promises is below f's round-off). The caller then falls
    back to steepest descent rather than stopping."""
    if not float(np.dot(grad, direction)) < 0:
        return None
    try:
        return linesearch.strong_wolfe(oracle, x, fun, grad, direction, 1.0, method.c1, method.c2)
    except MethodFailure:
        return None


@dataclass
class _State:
    H: np.ndarray | None = None  # Hₖ; None means the identity, before the first update


class BFGS(Method):
    """BFGS with a strong Wolfe line search: dₖ = −Hₖgₖ, Hₖ updated by (12.6) after each step.

    Hₖ estimates the inverse Hessian. It starts as the identity, so the first step is steepest
    descent, with first trial step min(1, 1/‖g₀‖) (a step of length at most 1). After that first
    step, before the first update, H₀ is rescaled to (yᵀs / yᵀy)·I (12.7), which gives it the
    size of the inverse curvature along the step; every later line search tries α = 1 first,
    the step of the quasi-Newton model. The strong Wolfe conditions guarantee yᵀs > 0, which keeps
    Hₖ positive definite; the update is skipped if round-off breaks that, and Hₖ is reset to the
    identity (and the step retried along −g) if −Hₖgₖ fails to be a descent direction or the
    line search finds no acceptable step along it.

    Memory and work per step are O(n²): for large n use :class:`~optlib.methods.LBFGS`.

    Equations (book chapter 12):

    * (12.1) the secant equation Hₖ₊₁yₖ = sₖ
    * (12.2) dₖ = −Hₖgₖ
    * (12.3) xₖ₊₁ = xₖ + αₖdₖ, αₖ satisfying the strong Wolfe conditions
    * (12.4) sₖ = xₖ₊₁ − xₖ = αₖdₖ,   yₖ = gₖ₊₁ − gₖ
    * (12.5) ρₖ = 1 / yₖᵀsₖ
    * (12.6) Hₖ₊₁ = (I − ρₖsₖyₖᵀ) Hₖ (I − ρₖyₖsₖᵀ) + ρₖsₖsₖᵀ   (see :func:`bfgs_update`)
    * (12.7) H₀ ← (y₀ᵀs₀ / y₀ᵀy₀) I, before the first update

    Args:
      c1, c2: the strong Wolfe constants (defaults 1e-4 and 0.9).

    Example:
      >>> import numpy as np, optlib
      >>> p = optlib.problems.Rosenbrock(2)
      >>> res = optlib.minimize(p, p.x0, method=BFGS(), gtol=1e-8)
      >>> res.success, np.round(res.x, 6)
      (True, array([1., 1.]))

    References:
      Broyden (1970); Fletcher (1970); Goldfarb (1970); Shanno (1970); Nocedal & Wright,
      *Numerical Optimization* (2006), §6.1 (Algorithm 6.1, (6.17), (6.20)).
    """

    def __init__(self, c1=1e-4, c2=0.9):
        self.c1 = check_in_interval(c1, "c1", 0.0, 1.0)
        self.c2 = check_in_interval(c2, "c2", self.c1, 1.0)

    def init(self, oracle, x, fun, grad):
        return _State()

    def step(self, oracle, state, x, fun, grad):
        ls = None
        if state.H is not None:
            direction = -(state.H @ grad)  # (12.2)
            ls = quasi_newton_search(self, oracle, x, fun, grad, direction)
        if ls is None:  # no H yet, or no step along −Hg: steepest descent, H restarts from I
            state.H = None
            direction = -grad  # (12.2) with H = I
            alpha0 = first_trial_step(grad)
            ls = linesearch.strong_wolfe(oracle, x, fun, grad, direction, alpha0, self.c1, self.c2)
        s = ls.alpha * direction  # (12.4)
        y = ls.grad - grad
        sy, yy = float(np.dot(s, y)), float(np.dot(y, y))
        # The strong Wolfe conditions give yᵀs ≥ (c₂ − 1) α gᵀd > 0 in exact arithmetic; only
        # round-off can break it, and then the update is skipped (H would lose definiteness).
        if sy > 0 and yy > 0:
            if state.H is None:
                state.H = np.diag(np.full(x.size, sy / yy))  # (12.7)
            bfgs_update(state.H, s, y, out=state.H)  # (12.5), (12.6)
        return Step(x + s, ls.fun, ls.grad)  # (12.3)
