"""Lookahead: k fast steps of another method, then one slow step back (book chapter 16)."""

from __future__ import annotations

from types import SimpleNamespace

from optlib.checks import check_count, check_method, check_unit_interval
from optlib.method import Method, Step


class Lookahead(Method):
    """Slow weights φ that follow the fast weights θ of an inner method, k steps at a time.

    Zhang et al.'s Algorithm 1: for t = 0, 1, …, start the fast weights at the slow ones and run
    k steps of the inner method A::

        θₜ,₀ = φₜ                                                     (16.1)
        θₜ,ᵢ = θₜ,ᵢ₋₁ + A(f, θₜ,ᵢ₋₁),   i = 1, …, k                    (16.2)
        φₜ₊₁ = φₜ + α (θₜ,ₖ − φₜ)                                     (16.3)

    then synchronise θₜ₊₁,₀ = φₜ₊₁ (16.1). Each iteration of :func:`~optlib.minimize` is one inner
    step, so ``res.history.x`` holds the fast iterates θₜ,₁, …, θₜ,ₖ₋₁ and, in the place of θₜ,ₖ,
    the synchronised point φₜ₊₁ = θₜ₊₁,₀ from which the next inner step starts. ``res.x`` is the
    slow weights when ``res.nit`` is a multiple of k, and the current fast weights otherwise.

    The inner method's state (momentum buffer, moving averages, step count) is *kept* across
    synchronisations: Algorithm 1 resets only the weights, and calls the same optimiser A
    throughout. A consequence: with α = 1, φₜ₊₁ = θₜ,ₖ and Lookahead's iterates are exactly the
    inner method's, at every iteration.

    Equations::

      (16.1) θₜ,₀ = φₜ;  (16.2) θₜ,ᵢ = θₜ,ᵢ₋₁ + A(f, θₜ,ᵢ₋₁), i = 1…k;
      (16.3) φₜ₊₁ = φₜ + α (θₜ,ₖ − φₜ).

    Args:
      inner: the inner method, an optlib method object (e.g. ``Adam(lr=1e-3)``).
      k: the number of inner steps between synchronisations, a whole number ≥ 1 (default 5).
      alpha: the slow step size α in (0, 1] (default 0.5).

    Example:
      >>> import numpy as np, optlib
      >>> from optlib.methods import Adam
      >>> p = optlib.problems.Quadratic(np.diag([1.0, 100.0]))
      >>> res = optlib.minimize(p, [1.0, 1.0], method=Lookahead(Adam(lr=0.1), k=5, alpha=0.5))
      >>> res.success, res.nit        # Adam(lr=0.1) alone needs 291
      (True, 190)

    References:
      Zhang, Lucas, Hinton & Ba, "Lookahead optimizer: k steps forward, 1 step back" (NeurIPS
      2019), Algorithm 1.
    """

    def __init__(self, inner, k=5, alpha=0.5):
        self.inner = check_method(inner, "inner")
        self.k = check_count(k, "k", low=1)
        self.alpha = check_unit_interval(alpha, "alpha")

    @property
    def needs(self):
        return self.inner.needs

    def init(self, oracle, x, fun, grad):
        inner_state = self.inner.init(oracle, x, fun, grad)
        return SimpleNamespace(inner=inner_state, slow=x.copy(), i=0)

    def step(self, oracle, state, x, fun, grad):
        fast = self.inner.step(oracle, state.inner, x, fun, grad)  # (16.2)
        state.i += 1
        if state.i < self.k:
            return fast
        state.i = 0
        # (16.3) as the convex combination (1 − α) φ + α θ, which is θ exactly when α = 1
        state.slow *= 1.0 - self.alpha
        state.slow += self.alpha * fast.x
        if self.alpha == 1.0:  # φ = θₜ,ₖ: f and ∇f there, if the inner step gave them, still hold
            return Step(state.slow.copy(), fast.fun, fast.grad)
        return Step(state.slow.copy())  # (16.1): the fast weights restart at φ
