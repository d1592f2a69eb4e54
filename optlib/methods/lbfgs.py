"""L-BFGS: BFGS from the m most recent correction pairs, in O(mn) per step (book chapter 13)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from optlib.checks import check_choice, check_count, check_wolfe_constants
from optlib.method import Method, Step
from optlib.methods.bfgs import quasi_newton_search, steepest_descent_search

SCALINGS = ("latest", "first")


def two_loop(g, pairs, gamma):
    """Hg, where H is the result of BFGS-updating γI with ``pairs``, oldest first.

    N&W Algorithm 7.4: H is never formed; 4mn multiplications for m pairs.

    Args:
      g: the vector, shape (n,).
      pairs: a sequence of (sᵢ, yᵢ, ρᵢ), oldest first, with ρᵢ = 1/yᵢᵀsᵢ.
      gamma: the initial matrix is γI.

    >>> s, y = np.array([1.0, 0.0]), np.array([2.0, 1.0])
    >>> two_loop(y, [(s, y, 1 / (s @ y))], gamma=1.0)     # the secant equation: Hy = s
    array([1., 0.])
    """
    q = np.array(g, dtype=np.float64)
    a = []
    for s, y, rho in reversed(pairs):  # newest pair first
        a.append(rho * float(np.dot(s, q)))  # (13.3)
        q -= a[-1] * y
    r = q
    r *= gamma  # (13.4)
    for (s, y, rho), a_i in zip(pairs, reversed(a), strict=True):  # oldest pair first
        b = rho * float(np.dot(y, r))  # (13.5)
        r += (a_i - b) * s
    return r


@dataclass
class _State:
    pairs: deque  # (sᵢ, yᵢ, ρᵢ) of the m most recent steps, oldest first
    gamma: float | None = None  # γ of the initial matrix γI (None until the first pair)


class LBFGS(Method):
    """Limited-memory BFGS with a strong Wolfe line search.

    Hₖ is never formed: it is the BFGS update (12.6) of Hₖ⁰ = γₖI with the m most recent pairs
    (sᵢ, yᵢ), and dₖ = −Hₖgₖ comes from the two-loop recursion
    (:func:`~optlib.methods.lbfgs.two_loop`) in O(mn).
    Until the first pair is stored the direction is −g with first trial step min(1, 1/‖g₀‖),
    as in :class:`~optlib.methods.BFGS`; afterwards every line search tries α = 1 first.

    Safeguards, as in :class:`~optlib.methods.BFGS`: a pair with sᵀy ≤ 0 (impossible under the
    Wolfe conditions but for round-off) is not stored; if −Hₖgₖ is not a descent direction or
    the line search finds no acceptable step along it, the memory is cleared and the step is
    retried along −gₖ.

    With ``scaling="first"``, γ is fixed at γ from the first pair (BFGS's (12.7)): with
    m ≥ the number of steps, the iterates are then exactly those of BFGS.

    Equations (book chapter 13; aᵢ, bᵢ are N&W's αᵢ, β, renamed so as not to clash with the step):

    * (13.1) dₖ = −Hₖgₖ, Hₖgₖ by the two-loop recursion over the m most recent pairs
    * (13.2) Hₖ⁰ = γₖI,   γₖ = sₖ₋₁ᵀyₖ₋₁ / yₖ₋₁ᵀyₖ₋₁
    * (13.3) for i = k−1, …, k−m:  aᵢ = ρᵢsᵢᵀq,  q ← q − aᵢyᵢ   (q starts as gₖ)
    * (13.4) r = Hₖ⁰q
    * (13.5) for i = k−m, …, k−1:  bᵢ = ρᵢyᵢᵀr,  r ← r + (aᵢ − bᵢ)sᵢ   (then r = Hₖgₖ)
    * (13.6) xₖ₊₁ = xₖ + αₖdₖ, αₖ satisfying the strong Wolfe conditions
    * (13.7) sₖ = αₖdₖ, yₖ = gₖ₊₁ − gₖ, ρₖ = 1/yₖᵀsₖ replace the oldest stored pair

    Args:
      m: the number of pairs kept (default 10).
      c1, c2: the strong Wolfe constants, 0 < c₁ < ½, c₁ < c₂ < 1 (defaults 1e-4 and 0.9).
      scaling: ``"latest"`` (default): γₖ from the most recent pair (13.2), N&W (7.20);
        ``"first"``: γ from the first pair, kept for the whole run.

    Example:
      >>> import numpy as np, optlib
      >>> p = optlib.problems.Rosenbrock(100)
      >>> res = optlib.minimize(p, p.x0, method=LBFGS(m=5), gtol=1e-8)
      >>> res.success, np.allclose(res.x, 1.0)
      (True, True)

    References:
      Nocedal (1980); Liu & Nocedal (1989); Nocedal & Wright, *Numerical Optimization* (2006),
      §7.2 (Algorithms 7.4 and 7.5, (7.20)).
    """

    descent = True

    def __init__(self, m=10, c1=1e-4, c2=0.9, scaling="latest"):
        self.m = check_count(m, "m")
        self.c1, self.c2 = check_wolfe_constants(c1, c2)
        self.scaling = check_choice(scaling, "scaling", SCALINGS)

    def init(self, oracle, x, fun, grad):
        return _State(pairs=deque(maxlen=self.m))

    def step(self, oracle, state, x, fun, grad):
        if state.pairs:
            direction = -two_loop(grad, state.pairs, state.gamma)  # (13.1)
            ls, direction, restarted = quasi_newton_search(self, oracle, x, fun, grad, direction)
            if restarted:  # safeguard: no step along −Hg, so the memory is cleared
                state.pairs.clear()
                state.gamma = None
        else:  # no pairs yet: steepest descent, a first step of length at most 1
            ls, direction = steepest_descent_search(self, oracle, x, fun, grad)
        s = ls.alpha * direction  # (13.7)
        y = ls.grad - grad
        sy, yy = float(np.dot(s, y)), float(np.dot(y, y))
        if sy > 0:  # safeguard: only round-off can break yᵀs > 0 after a Wolfe step
            state.pairs.append((s, y, 1.0 / sy))  # the oldest pair drops out when m are kept
            if self.scaling == "latest" or state.gamma is None:
                state.gamma = sy / yy  # (13.2)
        return Step(x + s, ls.fun, ls.grad)  # (13.6)
