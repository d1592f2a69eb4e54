"""Nonlinear conjugate gradients: Fletcher–Reeves, Polak–Ribière and PR+ (book chapter 11)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optlib import linesearch
from optlib.checks import check_choice, check_count, check_in_interval, check_wolfe_constants
from optlib.method import Method, MethodFailure, Step

BETAS = ("FR", "PR", "PR+")


@dataclass
class _State:
    direction: np.ndarray | None = None  # dₖ₋₁ (None: the next step is steepest descent)
    grad: np.ndarray | None = None  # gₖ₋₁
    grad_sq: float = 0.0  # ‖gₖ₋₁‖²
    alpha_slope: float = 0.0  # αₖ₋₁ gₖ₋₁ᵀdₖ₋₁, for the initial trial step (11.12)
    since_restart: int = 0  # steps since the last steepest-descent step


class NonlinearCG(Method):
    """Nonlinear conjugate gradients with a strong Wolfe line search.

    The linear CG recurrence (11.5) with the residual replaced by the gradient gₖ = ∇f(xₖ):
    dₖ₊₁ = −gₖ₊₁ + βₖ₊₁dₖ, with βₖ₊₁ by Fletcher–Reeves (equal to linear CG's (11.4) on a
    quadratic with exact line searches), Polak–Ribière, or PR+ (PR clipped at 0, which restarts
    automatically when PR turns negative). The step αₖ satisfies the strong Wolfe conditions.

    Restarts (d = −g, steepest descent) happen at the first step; every ``restart`` steps, if
    asked; when successive gradients are far from orthogonal, |gₖ₊₁ᵀgₖ|/‖gₖ₊₁‖² ≥ ν (11.11);
    whenever dₖ₊₁ is not a descent direction (possible for PR, and for FR with c₂ ≥ ½); and when
    the line search finds no acceptable step along dₖ₊₁ (the step is then retried along −gₖ₊₁).

    Default restart rules, chosen by measurement on the Moré–Garbow–Hillstrom problems (see
    ``tests/test_against_scipy.py``): Fletcher–Reeves uses the test (11.11) with ν = 0.1, without
    which it can jam, taking tiny steps for many iterations (N&W §5.2); PR and PR+ need no test,
    since βᴾᴿ ≈ 0 when successive gradients are alike, which restarts them by itself, and the
    extra restarts cost evaluations there (median evaluations over that suite's 31 problems:
    FR 1304 without the test, 216 with it; PR+ 222 without, 236 with). No periodic restart by
    default: every n steps is every few steps on small problems, and rarely fires on large ones.

    The first trial step of each line search assumes that the first-order change along the new
    direction equals the last one's (11.12); at the very first step it is α = min(1, 1/‖g₀‖), a
    step of length at most 1.

    Equations (book chapter 11; (11.1)–(11.5) are linear CG, see :func:`optlib.linear_cg`):

    * (11.6)  xₖ₊₁ = xₖ + αₖdₖ, αₖ satisfying the strong Wolfe conditions
    * (11.7)  βᶠᴿ = gₖ₊₁ᵀgₖ₊₁ / gₖᵀgₖ
    * (11.8)  βᴾᴿ = gₖ₊₁ᵀ(gₖ₊₁ − gₖ) / gₖᵀgₖ
    * (11.9)  βᴾᴿ⁺ = max(βᴾᴿ, 0)
    * (11.10) dₖ₊₁ = −gₖ₊₁ + βₖ₊₁dₖ,   d₀ = −g₀
    * (11.11) restart (dₖ₊₁ = −gₖ₊₁) when |gₖ₊₁ᵀgₖ| / gₖ₊₁ᵀgₖ₊₁ ≥ ν
    * (11.12) first trial step α = αₖ gₖᵀdₖ / gₖ₊₁ᵀdₖ₊₁

    Args:
      beta: ``"FR"``, ``"PR"`` or ``"PR+"`` (default).
      restart: restart every this many steps: a whole number ≥ 1, ``"n"`` (the dimension), or
        None (never on a schedule; the default).
      nu: the threshold ν > 0 of the orthogonality test (11.11), or None (no test); the default
        ``"auto"`` is 0.1 for ``"FR"`` and None for ``"PR"`` and ``"PR+"``.
      c1, c2: the strong Wolfe constants, 0 < c₁ < ½, c₁ < c₂ < 1; c₂ = 0.1 by default
        (Fletcher–Reeves needs c₂ < ½ to guarantee descent directions).

    Example:
      >>> import numpy as np, optlib
      >>> p = optlib.problems.Rosenbrock(2)
      >>> res = optlib.minimize(p, p.x0, method=NonlinearCG(), gtol=1e-8)
      >>> res.success, np.round(res.x, 6)
      (True, array([1., 1.]))

    References:
      Fletcher & Reeves (1964); Polak & Ribière (1969); Powell (1984, restarts; 1986, PR+);
      Nocedal & Wright, *Numerical Optimization* (2006), §5.2 (Algorithm 5.4, (5.41)–(5.45),
      (5.52)) and §3.5 ((3.60)).
    """

    descent = True

    def __init__(self, beta="PR+", restart=None, nu="auto", c1=1e-4, c2=0.1):
        self.beta = check_choice(beta, "beta", BETAS)
        if restart is None or isinstance(restart, str):
            self.restart = check_choice(restart, "restart", ("n", None))
        else:
            self.restart = check_count(restart, "restart")
        if isinstance(nu, str) and nu == "auto":
            nu = 0.1 if beta == "FR" else None
        self.nu = None if nu is None else check_in_interval(nu, "nu", 0.0, np.inf)
        self.c1, self.c2 = check_wolfe_constants(c1, c2)

    def init(self, oracle, x, fun, grad):
        return _State()

    def _direction(self, state, grad, period):
        """dₖ₊₁ from gₖ₊₁ and the state; −gₖ₊₁ when a restart rule fires."""
        grad_sq = float(np.dot(grad, grad))
        if state.direction is None or state.since_restart >= period:
            return -grad, grad_sq
        cross = float(np.dot(grad, state.grad))  # gₖ₊₁ᵀgₖ
        if self.nu is not None and abs(cross) >= self.nu * grad_sq:  # (11.11)
            return -grad, grad_sq
        if self.beta == "FR":
            beta = grad_sq / state.grad_sq  # (11.7)
        else:
            beta = (grad_sq - cross) / state.grad_sq  # (11.8)
            if self.beta == "PR+":
                beta = max(beta, 0.0)  # (11.9)
        direction = state.direction  # updated in place: dₖ is not needed any more
        direction *= beta  # (11.10)
        direction -= grad
        if not float(np.dot(grad, direction)) < 0:  # not a descent direction: restart
            return -grad, grad_sq
        return direction, grad_sq

    def step(self, oracle, state, x, fun, grad):
        period = oracle.n if self.restart == "n" else (self.restart or np.inf)
        direction, grad_sq = self._direction(state, grad, period)
        try:
            ls, slope = self._search(oracle, state, x, fun, grad, direction)
        except linesearch.PROBLEM_FAILURES:
            raise  # a wrong gradient or non-finite values: −g cannot mend them
        except MethodFailure:
            if direction is not state.direction:
                raise  # this was steepest descent already: nothing else to try
            direction = -grad  # safeguard: no acceptable step along dₖ₊₁, so restart
            ls, slope = self._search(oracle, state, x, fun, grad, direction)
        if direction is not state.direction:  # a steepest-descent step
            state.since_restart = 0
        state.direction, state.grad, state.grad_sq = direction, grad, grad_sq
        state.alpha_slope = ls.alpha * slope
        state.since_restart += 1
        return Step(x + ls.alpha * direction, ls.fun, ls.grad)  # (11.6)

    def _search(self, oracle, state, x, fun, grad, direction):
        """The strong Wolfe search along ``direction`` and the slope gᵀd there."""
        slope = float(np.dot(grad, direction))
        alpha0 = state.alpha_slope / slope if state.grad is not None else np.nan  # (11.12)
        if not np.isfinite(alpha0):  # the first step (or an overflow): length at most 1
            alpha0 = min(1.0, 1.0 / float(np.linalg.norm(grad)))
        ls = linesearch.strong_wolfe(oracle, x, fun, grad, direction, alpha0, self.c1, self.c2)
        return ls, slope
