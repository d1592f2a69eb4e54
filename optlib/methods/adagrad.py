"""Adagrad, as ``torch.optim.Adagrad`` (book chapter 6)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from optlib.checks import check_nonnegative, check_positive
from optlib.method import Method, Step


class Adagrad(Method):
    """Per-coordinate steps scaled by the root of the sum of all past squared gradients.

    With gₜ = ∇f(θₜ₋₁), t = 1, 2, … (all operations coordinate-wise)::

        sₜ = sₜ₋₁ + gₜ²,   s₀ = τ                    (6.1)
        θₜ = θₜ₋₁ − α gₜ / (√sₜ + ε)                 (6.2)

    These are the iterates of ``torch.optim.Adagrad(params, lr=α, eps=ε,
    initial_accumulator_value=τ)`` (no learning-rate decay, no weight decay): ε is added after
    the square root. A coordinate that has seen large gradients takes small steps from then on;
    since sₜ only grows, the effective step α/(√sₜ + ε) only shrinks.

    Equations::

      (6.1) sₜ = sₜ₋₁ + gₜ², s₀ = τ;  (6.2) θₜ = θₜ₋₁ − α gₜ / (√sₜ + ε).

    Args:
      lr: the step size α > 0 (default 1e-2, PyTorch's default).
      eps: ε ≥ 0 added to the denominator (default 1e-10). With ε = 0 and τ = 0, a coordinate
        whose gradients have all been zero gives 0/0 and the run stops as diverged.
      initial_accumulator_value: τ ≥ 0, the start of every sₜ (default 0).

    Example:
      >>> import numpy as np, optlib
      >>> p = optlib.problems.Quadratic(np.diag([1.0, 100.0]))
      >>> res = optlib.minimize(p, [1.0, 1.0], method=Adagrad(lr=0.5), max_iter=2)
      >>> res.history.x[1]         # the first step is α·sign(g) in every coordinate
      array([0.5, 0.5])

    References:
      Duchi, Hazan & Singer, "Adaptive subgradient methods for online learning and stochastic
      optimization" (JMLR 2011); PyTorch documentation of ``torch.optim.Adagrad``.
    """

    def __init__(self, lr=1e-2, eps=1e-10, initial_accumulator_value=0.0):
        self.lr = check_positive(lr, "lr")
        self.eps = check_nonnegative(eps, "eps")
        self.initial_accumulator_value = check_nonnegative(
            initial_accumulator_value, "initial_accumulator_value"
        )

    def init(self, oracle, x, fun, grad):
        return SimpleNamespace(sum=np.full_like(x, self.initial_accumulator_value))

    def step(self, oracle, state, x, fun, grad):
        s = state.sum
        s += np.square(grad)  # (6.1)
        return Step(x - self.lr * grad / (np.sqrt(s) + self.eps))  # (6.2)
