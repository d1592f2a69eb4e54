"""L-BFGS: BFGS from the m most recent correction pairs, in O(mn) per step (book chapter 13)."""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from optlib import linesearch
from optlib.checks import check_in_interval
from optlib.method import Method, Step
from optlib.methods.bfgs import first_trial_step, quasi_newton_search

SCALINGS = ("latest", "first")


def two_loop(g, S, Y, gamma, rho=None, order=None):
    """Hg, where H is the result of BFGS-updating γI with the pairs (sᵢ, yᵢ), oldest first.

    N&W Algorithm 7.4: never forms H; 4mn multiplications for m pairs.

    Args:
      g: the vector, shape (n,).
      S, Y: arrays (rows, n) holding the pairs sᵢ, yᵢ row by row.
      gamma: the initial matrix is γI.
      rho: 1/(yᵢᵀsᵢ) per row (computed when not given).
      order: the rows to use, oldest pair first (default: every row, in order).

    >>> S, Y = np.array([[1.0, 0.0]]), np.array([[2.0, 1.0]])
    >>> two_loop(np.array([2.0, 1.0]), S, Y, gamma=1.0)     # the secant equation: Hy = s
    array([1., 0.])
    """
    if order is None:
        order = range(len(S))
    if rho is None:
        rho = 1.0 / np.einsum("ij,ij->i", S, Y)
    # Vector·vector products use np.dot: for two 1-D arrays it goes straight to BLAS ddot, while
    # ``@`` can be several times slower at large n on a busy multi-core machine.
    a = np.empty(len(order))
    q = np.array(g, dtype=np.float64)
    for j in reversed(range(len(order))):  # newest pair first
        i = order[j]
        a[j] = rho[i] * float(np.dot(S[i], q))  # (13.3)
        q -= a[j] * Y[i]
    r = q
    r *= gamma  # (13.4)
    for j, i in enumerate(order):  # oldest pair first
        b = rho[i] * float(np.dot(Y[i], r))  # (13.5)
        r += (a[j] - b) * S[i]
    return r


@dataclass
class _State:
    S: np.ndarray  # (m, n) ring buffer of the sᵢ
    Y: np.ndarray  # (m, n) ring buffer of the yᵢ
    rho: np.ndarray  # (m,) the ρᵢ = 1/yᵢᵀsᵢ
    count: int = 0  # pairs stored (≤ m)
    head: int = 0  # the row the next pair goes to (the oldest row once the buffer is full)
    gamma: float | None = None  # γ of the initial matrix γI (None until the first pair)


class LBFGS(Method):
    """Limited-memory BFGS with a strong Wolfe line search.

    Hₖ is never formed: it is the BFGS update (12.6) of Hₖ⁰ = γₖI with the m most recent pairs
    (sᵢ, yᵢ), and dₖ = −Hₖgₖ comes from the two-loop recursion (:func:`two_loop`) in O(mn). The
    pairs live in two (m, n) ring buffers overwritten in place. Until the first pair is stored
    the direction is −g with first trial step min(1, 1/‖g₀‖), as in :class:`BFGS`; afterwards
    every line search tries α = 1 first. A pair with sᵀy ≤ 0 (impossible under the Wolfe
    conditions but for round-off) is not stored. As in :class:`BFGS`, if −Hₖgₖ is not a descent
    direction or the line search finds no acceptable step along it, the memory is cleared and
    the step is retried along −gₖ.

    With ``scaling="first"``, γ is fixed at γ from the first pair (BFGS's (12.7)): with
    m ≥ the number of steps, the iterates are then exactly those of :class:`BFGS`.

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
      c1, c2: the strong Wolfe constants (defaults 1e-4 and 0.9).
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

    def __init__(self, m=10, c1=1e-4, c2=0.9, scaling="latest"):
        if isinstance(m, bool) or not isinstance(m, numbers.Integral) or m < 1:
            raise ValueError(f"m must be a whole number >= 1, got {m!r}")
        if scaling not in SCALINGS:
            raise ValueError(f"scaling must be one of {SCALINGS}, got {scaling!r}")
        self.m = int(m)
        self.c1 = check_in_interval(c1, "c1", 0.0, 1.0)
        self.c2 = check_in_interval(c2, "c2", self.c1, 1.0)
        self.scaling = scaling

    def init(self, oracle, x, fun, grad):
        return _State(
            S=np.empty((self.m, x.size)), Y=np.empty((self.m, x.size)), rho=np.empty(self.m)
        )

    def step(self, oracle, state, x, fun, grad):
        ls = None
        if state.count:
            order = (state.head - state.count + np.arange(state.count)) % self.m  # oldest first
            direction = two_loop(grad, state.S, state.Y, state.gamma, state.rho, order)
            direction *= -1.0  # (13.1)
            ls = quasi_newton_search(self, oracle, x, fun, grad, direction)
        if ls is None:  # no pairs yet, or no step along −Hg: steepest descent, memory cleared
            state.count, state.gamma = 0, None
            direction = -grad
            alpha0 = first_trial_step(grad)
            ls = linesearch.strong_wolfe(oracle, x, fun, grad, direction, alpha0, self.c1, self.c2)
        s = ls.alpha * direction  # (13.7)
        y = ls.grad - grad
        sy, yy = float(np.dot(s, y)), float(np.dot(y, y))
        # Wolfe gives yᵀs > 0 in exact arithmetic; a pair spoilt by round-off is not stored.
        if sy > 0 and yy > 0:
            state.S[state.head] = s
            state.Y[state.head] = y
            state.rho[state.head] = 1.0 / sy
            state.head = (state.head + 1) % self.m
            state.count = min(state.count + 1, self.m)
            if self.scaling == "latest" or state.gamma is None:
                state.gamma = sy / yy  # (13.2)
        return Step(x + s, ls.fun, ls.grad)  # (13.6)
