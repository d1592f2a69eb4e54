"""BFGS: the quasi-Newton method that updates an inverse-Hessian estimate (book chapter 12)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optlib import linesearch
from optlib.checks import check_wolfe_constants
from optlib.method import Method, MethodFailure, Step


def bfgs_update(H, s, y):
    """The BFGS update of an inverse-Hessian estimate H with the pair (s, y) — N&W (6.17):

        H₊ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ,   ρ = 1 / yᵀs.

    H₊ satisfies the secant equation H₊y = s, and is symmetric positive definite when H is and
    yᵀs > 0. Computed in O(n²) operations, without a matrix product; exactly symmetric when H
    is.

    >>> H = bfgs_update(np.eye(2), s=np.array([1.0, 0.0]), y=np.array([2.0, 1.0]))
    >>> H @ np.array([2.0, 1.0])       # the secant equation: H₊y = s
    array([1., 0.])
    """
    sy = float(np.dot(s, y))
    if not sy > 0:
        raise ValueError(f"the BFGS update needs sᵀy > 0, got {sy:.3g}")
    rho = 1.0 / sy  # (12.5)
    Hy = H @ y
    # (12.6) multiplied out, with yᵀH = (Hy)ᵀ since H is symmetric:
    #   H₊ = H − ρ (s(Hy)ᵀ + (Hy)sᵀ) + (ρ²yᵀHy + ρ) ssᵀ
    return (
        H
        - rho * (np.outer(s, Hy) + np.outer(Hy, s))
        + (rho * rho * float(np.dot(y, Hy)) + rho) * np.outer(s, s)
    )


def first_trial_step(grad):
    """The first trial step along −g when there is no curvature information yet: min(1, 1/‖g‖),
    a step of length at most 1."""
    return min(1.0, 1.0 / float(np.linalg.norm(grad)))


def quasi_newton_search(method, oracle, x, fun, grad, direction):
    """(search result, the direction searched, whether it restarted): the strong Wolfe search
    along a quasi-Newton direction from α = 1 — or, when the direction is not a descent
    direction (the estimate lost definiteness to round-off) or no step along it is acceptable
    (an ill-conditioned estimate can give a direction so nearly orthogonal to g that the decrease
    it promises is below f's rounding error), along −g from min(1, 1/‖g‖); the caller then
    restarts its estimate. A failure that says something about the problem (a gradient that
    disagrees with f, non-finite values) is raised instead: −g cannot mend it."""
    if float(np.dot(grad, direction)) < 0:
        try:
            ls = linesearch.strong_wolfe(oracle, x, fun, grad, direction, 1.0, method.c1, method.c2)
            return ls, direction, False
        except linesearch.PROBLEM_FAILURES:
            raise
        except MethodFailure:
            pass
    ls, steepest = steepest_descent_search(method, oracle, x, fun, grad)
    return ls, steepest, True


def steepest_descent_search(method, oracle, x, fun, grad):
    """(search result, −g): the strong Wolfe search along −g from min(1, 1/‖g‖)."""
    alpha0 = first_trial_step(grad)
    ls = linesearch.strong_wolfe(oracle, x, fun, grad, -grad, alpha0, method.c1, method.c2)
    return ls, -grad


@dataclass
class _State:
    H: np.ndarray  # Hₖ, the inverse-Hessian estimate
    scaled: bool = False  # whether H₀ = I has been rescaled by (12.7) yet


class BFGS(Method):
    """BFGS with a strong Wolfe line search: dₖ = −Hₖgₖ, Hₖ updated by (12.6) after each step.

    Hₖ estimates the inverse Hessian. It starts as the identity, so the first step is steepest
    descent, with first trial step min(1, 1/‖g₀‖) (a step of length at most 1). After that first
    step, before the first update, H₀ is rescaled to (yᵀs / yᵀy)·I (12.7), which gives it the
    size of the inverse curvature along the step; every later line search tries α = 1 first,
    the step of the quasi-Newton model.

    Safeguards: the strong Wolfe conditions guarantee yᵀs > 0, which keeps Hₖ positive
    definite; the update is skipped if round-off breaks that. If −Hₖgₖ is not a descent
    direction, or the line search finds no acceptable step along it, Hₖ restarts from the
    identity and the step is retried along −gₖ.

    Memory and work per step are O(n²): for large n use :class:`~optlib.methods.LBFGS`.

    Equations (book chapter 12):

    * (12.1) the secant equation Hₖ₊₁yₖ = sₖ
    * (12.2) dₖ = −Hₖgₖ
    * (12.3) xₖ₊₁ = xₖ + αₖdₖ, αₖ satisfying the strong Wolfe conditions
    * (12.4) sₖ = xₖ₊₁ − xₖ = αₖdₖ,   yₖ = gₖ₊₁ − gₖ
    * (12.5) ρₖ = 1 / yₖᵀsₖ
    * (12.6) Hₖ₊₁ = (I − ρₖsₖyₖᵀ) Hₖ (I − ρₖyₖsₖᵀ) + ρₖsₖsₖᵀ
      (see :func:`~optlib.methods.bfgs.bfgs_update`)
    * (12.7) H₀ ← (y₀ᵀs₀ / y₀ᵀy₀) I, before the first update

    Args:
      c1, c2: the strong Wolfe constants, 0 < c₁ < ½, c₁ < c₂ < 1 (defaults 1e-4 and 0.9).

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

    descent = True

    def __init__(self, c1=1e-4, c2=0.9):
        self.c1, self.c2 = check_wolfe_constants(c1, c2)

    def init(self, oracle, x, fun, grad):
        return _State(H=np.eye(x.size))

    def step(self, oracle, state, x, fun, grad):
        if state.scaled:
            direction = -(state.H @ grad)  # (12.2)
            ls, direction, restarted = quasi_newton_search(self, oracle, x, fun, grad, direction)
            if restarted:  # safeguard: no step along −Hg, so Hₖ restarts from I
                state.H, state.scaled = np.eye(x.size), False
        else:  # H₀ = I: the first step is steepest descent, of length at most 1
            ls, direction = steepest_descent_search(self, oracle, x, fun, grad)
        s = ls.alpha * direction  # (12.4)
        y = ls.grad - grad
        sy, yy = float(np.dot(s, y)), float(np.dot(y, y))
        if sy > 0:  # safeguard: only round-off can break yᵀs > 0 after a Wolfe step
            if not state.scaled:
                state.H = (sy / yy) * np.eye(x.size)  # (12.7)
                state.scaled = True
            state.H = bfgs_update(state.H, s, y)  # (12.5), (12.6)
        return Step(x + s, ls.fun, ls.grad)  # (12.3)
