"""Nesterov momentum in Sutskever et al.'s form (book chapter 4)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from optlib.checks import check_choice, check_momentum, check_positive
from optlib.method import Method, Step


class Nesterov(Method):
    """Nesterov's accelerated gradient as written by Sutskever et al. (2013): the gradient is taken
    at the look-ahead point θ + μv, where the momentum alone would carry the iterate.

    With v₀ = 0, t = 1, 2, …::

        vₜ = μ vₜ₋₁ − α ∇f(θₜ₋₁ + μ vₜ₋₁)       (4.1)
        θₜ = θₜ₋₁ + vₜ                           (4.2)

    ``res.history.x`` holds θₜ. Each iteration evaluates ∇f at the look-ahead point and the run
    loop evaluates f and ∇f at θₜ, so ``res.njev`` counts two gradients per iteration (the first
    iteration reuses ∇f(θ₀), since there the look-ahead point is θ₀ itself): njev = 2·nit.
    ``form="pytorch"`` runs PyTorch's form (4.3) instead, which costs one gradient per iteration
    (njev = nit + 1) and whose iterates, in ``res.history.x``, are the look-ahead points.

    Relation to ``torch.optim.SGD(lr=α, momentum=μ, nesterov=True)``. PyTorch's documented rule
    (b₀ = 0, so b₁ = g₁) is::

        gₜ = ∇f(θ'ₜ₋₁),  bₜ = μ bₜ₋₁ + gₜ,  θ'ₜ = θ'ₜ₋₁ − α (gₜ + μ bₜ)      (4.3)

    It tracks the look-ahead point θ'ₜ = θₜ + μ vₜ. Derivation: put bₜ = −vₜ/α. Then (4.1) reads
    bₜ = μ bₜ₋₁ + ∇f(θ'ₜ₋₁), and
    θ'ₜ = θₜ₋₁ + (1 + μ) vₜ = θ'ₜ₋₁ − μ vₜ₋₁ + (1 + μ) vₜ = θ'ₜ₋₁ − α (∇f(θ'ₜ₋₁) + μ bₜ),
    using μ vₜ₋₁ = vₜ + α∇f(θ'ₜ₋₁). So PyTorch started from θ'₀ = θ₀ (v₀ = 0) produces exactly
    θₜ + μ vₜ, where vₜ = θₜ − θₜ₋₁; it needs one gradient per iteration, but its iterates are
    the look-ahead points, not θₜ. Both converge to the same minimiser, since μ vₜ → 0 there.

    Equations::

      (4.1) vₜ = μ vₜ₋₁ − α ∇f(θₜ₋₁ + μ vₜ₋₁), v₀ = 0;  (4.2) θₜ = θₜ₋₁ + vₜ;
      (4.3) PyTorch's form θ'ₜ = θ'ₜ₋₁ − α (gₜ + μ bₜ), bₜ = μ bₜ₋₁ + gₜ, gₜ = ∇f(θ'ₜ₋₁),
      with θ'ₜ = θₜ + μ vₜ and bₜ = −vₜ/α.

    A momentum schedule μₜ (a callable) replaces μ by μₜ in (4.1); in PyTorch's form the buffer
    then uses μₜ and the look-ahead μₜ₊₁, since θ'ₜ = θₜ + μₜ₊₁vₜ is where the next gradient is
    taken. (PyTorch, given μₜ in its parameter group before step t, uses μₜ for both: with a
    schedule its iterates are not exactly look-ahead points of (4.1).) :func:`nesterov_schedule`
    is the schedule of the O(1/k²) theorem.

    Args:
      lr: the step size α > 0 (default 1e-3, PyTorch's SGD default).
      momentum: μ in [0, 1) (default 0.9), or a schedule: a callable t ↦ μₜ for the iteration
        t = 1, 2, … that produces θₜ (each value is checked to lie in [0, 1)), e.g.
        :func:`nesterov_schedule`.
      form: ``"sutskever"`` (default: (4.1)–(4.2), iterates θₜ) or ``"pytorch"`` ((4.3),
        iterates θ'ₜ = θₜ + μvₜ, one gradient per iteration).

    Example:
      >>> import numpy as np, optlib
      >>> p = optlib.problems.Quadratic(np.diag([1.0, 100.0]))
      >>> res = optlib.minimize(p, [1.0, 1.0], method=Nesterov(lr=0.01, momentum=0.8))
      >>> res.success, res.nit, res.njev == 2 * res.nit
      (True, 211, True)
      >>> res = optlib.minimize(p, [1.0, 1.0], method=Nesterov(0.01, 0.8, form="pytorch"))
      >>> res.success, res.nit, res.njev == res.nit + 1
      (True, 210, True)

    References:
      Nesterov, "A method for solving the convex programming problem with convergence rate
      O(1/k²)" (1983); Sutskever, Martens, Dahl & Hinton, "On the importance of initialization and
      momentum in deep learning" (ICML 2013), eq. (3)–(4); PyTorch documentation of
      ``torch.optim.SGD``.
    """

    def __init__(self, lr=1e-3, momentum=0.9, form="sutskever"):
        self.lr = check_positive(lr, "lr")
        self.momentum = check_momentum(momentum)
        self.form = check_choice(form, "form", ("sutskever", "pytorch"))

    def init(self, oracle, x, fun, grad):
        return SimpleNamespace(velocity=np.zeros_like(x), t=0)

    def mu(self, t):
        """μₜ: the constant momentum, or the schedule's value at iteration t."""
        return self.momentum(t) if callable(self.momentum) else self.momentum

    def step(self, oracle, state, x, fun, grad):
        state.t += 1
        t = state.t
        if self.form == "pytorch":  # x is θ'ₜ₋₁ and grad is gₜ = ∇f(θ'ₜ₋₁)
            b = state.velocity  # the buffer bₜ of (4.3)
            b *= self.mu(t)
            b += grad
            return Step(x - self.lr * (grad + self.mu(t + 1) * b))  # (4.3)
        v = state.velocity
        mu = self.mu(t)
        if t > 1:
            grad = oracle.grad(x + mu * v)  # ∇f at the look-ahead point
        v *= mu
        v -= self.lr * grad  # (4.1)
        return Step(x + v)  # (4.2)


def nesterov_schedule(t):
    """μₜ = (t − 2)/(t + 1) for t ≥ 2 and 0 for t = 1: the momentum with which Nesterov's method
    reaches f(θₜ) − f* ≤ 2‖θ₀ − θ*‖² / (α(t + 1)²) on a convex f with an L-Lipschitz gradient, for
    any α ≤ 1/L.

    It is the familiar sequence (k − 1)/(k + 2) of Su, Boyd & Candès, whose look-ahead point
    yₖ = θₖ + (k − 1)/(k + 2)(θₖ − θₖ₋₁) extrapolates from θₖ; (4.1) counts by the iterate it
    produces, t = k + 1. The first two steps are gradient steps.

    Example:
      >>> [round(nesterov_schedule(t), 3) for t in (1, 2, 3, 4, 100)]
      [0.0, 0.0, 0.25, 0.4, 0.97]

    References:
      Nesterov (1983); Beck & Teboulle, "A fast iterative shrinkage-thresholding algorithm"
      (SIAM J. Imaging Sci., 2009), Theorem 4.4; Su, Boyd & Candès, "A differential equation for
      modeling Nesterov's accelerated gradient method" (NeurIPS 2014), eq. (1.3)–(1.4).
    """
    return max(t - 2, 0) / (t + 1)
