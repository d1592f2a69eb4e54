"""Jacobs' delta-bar-delta rule: a learning rate per weight (book chapter 5)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from optlib.checks import check_fraction, check_nonnegative, check_positive
from optlib.method import Method, Step


class DeltaBarDelta(Method):
    """Each coordinate has its own rate εᵢ: it grows by κ while the gradient keeps the sign of its
    recent average, and shrinks by the factor (1 − φ) when the sign flips.

    With gₜ = ∇f(θₜ₋₁), t = 1, 2, … (all operations coordinate-wise)::

        εₜ = εₜ₋₁ + κ          where δ̄ₜ₋₁ gₜ > 0
        εₜ = (1 − φ) εₜ₋₁      where δ̄ₜ₋₁ gₜ < 0                           (5.1)
        εₜ = εₜ₋₁              elsewhere;   then εₜ is clipped to [min_lr, max_lr]
        δ̄ₜ = (1 − θ) gₜ + θ δ̄ₜ₋₁,   δ̄₀ = 0                                (5.2)
        Δₜ = μ Δₜ₋₁ − εₜ gₜ,        Δ₀ = 0                                (5.3)
        θₜ = θₜ₋₁ + Δₜ                                                   (5.4)

    with ε₀ = ``lr`` in every coordinate. The increase is additive and the decrease
    multiplicative, so a rate that has grown large falls quickly once an oscillation turns the
    sign of the average δ̄. With θ > 0 a small oscillation may not: the test then agrees and
    disagrees in turn, and the rate drifts towards κ/φ whatever the curvature (book chapter 5).
    Since δ̄₀ = 0, the first step is a plain gradient step with rate ``lr``. With ``momentum`` μ = 0
    (the default) the step is Jacobs' rule θₜ = θₜ₋₁ − εₜ gₜ; with μ > 0 each weight change also
    carries μ times the previous one (5.3): adaptive rates combined with the classical momentum
    term, as Jacobs proposes. The sign test stays against δ̄ in both cases; the variant that
    tests the gradient against the velocity Δ instead is not implemented.

    Equations::

      (5.1) the rate update above (+κ on sign agreement of δ̄ₜ₋₁ and gₜ, ×(1 − φ) on
      disagreement, then clipped);  (5.2) δ̄ₜ = (1 − θ) gₜ + θ δ̄ₜ₋₁;
      (5.3) Δₜ = μ Δₜ₋₁ − εₜ gₜ;  (5.4) θₜ = θₜ₋₁ + Δₜ.

    Args:
      lr: the initial rate ε₀ > 0 of every coordinate (required).
      kappa: κ ≥ 0, the additive increase (default ``lr / 10``).
      phi: φ in [0, 1), the fraction removed on a decrease (default 0.1).
      theta: θ in [0, 1), the weight of the past in the average δ̄ (default 0.7).
      min_lr, max_lr: bounds on every rate, 0 ≤ min_lr ≤ lr ≤ max_lr (default 0 and ∞).
      momentum: μ in [0, 1) (default 0).

    Example:
      >>> import numpy as np, optlib
      >>> p = optlib.problems.Quadratic(np.diag([1.0, 100.0]))
      >>> method = DeltaBarDelta(lr=0.001, kappa=0.002, phi=0.5)
      >>> res = optlib.minimize(p, [1.0, 1.0], method=method)
      >>> res.success, res.nit
      (True, 113)

    References:
      Jacobs, "Increased rates of convergence through learning rate adaptation", *Neural
      Networks* 1(4) (1988); the survey's §2.3.
    """

    def __init__(self, lr, kappa=None, phi=0.1, theta=0.7, min_lr=0.0, max_lr=np.inf, momentum=0.0):
        self.lr = check_positive(lr, "lr")
        self.kappa = check_nonnegative(self.lr / 10 if kappa is None else kappa, "kappa")
        self.phi = check_fraction(phi, "phi")
        self.theta = check_fraction(theta, "theta")
        self.min_lr = check_nonnegative(min_lr, "min_lr")
        if max_lr != np.inf:
            max_lr = check_positive(max_lr, "max_lr")
        self.max_lr = float(max_lr)
        if self.min_lr > self.max_lr:
            raise ValueError(f"min_lr must be <= max_lr, got min_lr={min_lr!r} > max_lr={max_lr!r}")
        if not (self.min_lr <= self.lr <= self.max_lr):
            raise ValueError(
                f"lr must lie within [min_lr, max_lr] = [{self.min_lr}, {self.max_lr}], got {lr!r}"
            )
        self.momentum = check_fraction(momentum, "momentum")

    def init(self, oracle, x, fun, grad):
        return SimpleNamespace(
            rate=np.full_like(x, self.lr),
            grad_avg=np.zeros_like(x),
            delta=np.zeros_like(x),
        )

    def step(self, oracle, state, x, fun, grad):
        rate, grad_avg, delta = state.rate, state.grad_avg, state.delta
        agreement = grad_avg * grad  # δ̄ₜ₋₁ gₜ
        np.add(rate, self.kappa, out=rate, where=agreement > 0)  # (5.1) increase
        np.multiply(rate, 1.0 - self.phi, out=rate, where=agreement < 0)  # (5.1) decrease
        np.clip(rate, self.min_lr, self.max_lr, out=rate)  # (5.1) bounds
        grad_avg *= self.theta
        grad_avg += (1.0 - self.theta) * grad  # (5.2)
        delta *= self.momentum
        delta -= rate * grad  # (5.3)
        return Step(x + delta)  # (5.4)
