"""RMSProp, as ``torch.optim.RMSprop`` (book chapter 7)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from optlib.checks import check_flag, check_fraction, check_nonnegative, check_positive
from optlib.method import Method, Step


class RMSProp(Method):
    """Per-coordinate steps scaled by the root of a moving average of squared gradients.

    With gₜ = ∇f(θₜ₋₁), t = 1, 2, … (all operations coordinate-wise)::

        vₜ = a vₜ₋₁ + (1 − a) gₜ²,   v₀ = 0           (7.1)
        θₜ = θₜ₋₁ − α gₜ / (√vₜ + ε)                  (7.2)

    where a is ``alpha`` (the decay of the average) and α is ``lr``. These are the iterates of
    ``torch.optim.RMSprop(params, lr=α, alpha=a, eps=ε)`` with its defaults ``centered=False``,
    ``momentum=0``, no weight decay: ε is added *outside* the square root, and there is no bias
    correction, so the first step is α g₁/(√(1 − a) |g₁| + ε) ≈ 10 α in each coordinate for
    a = 0.99.

    PyTorch's two options follow its documented rules. ``centered=True`` divides by the root of a
    variance estimate instead, vₜ − ḡₜ², with ḡₜ = a ḡₜ₋₁ + (1 − a) gₜ (ḡ₀ = 0) the moving
    average of the gradients (7.3). ``momentum=μ > 0`` accumulates the scaled gradients in a
    buffer, bₜ = μ bₜ₋₁ + gₜ/(√ṽₜ + ε) (b₀ = 0), and steps θₜ = θₜ₋₁ − α bₜ (7.4), where ṽₜ is
    vₜ or its centred version.

    Equations::

      (7.1) vₜ = a vₜ₋₁ + (1 − a) gₜ², v₀ = 0;  (7.2) θₜ = θₜ₋₁ − α gₜ / (√vₜ + ε);
      (7.3) ḡₜ = a ḡₜ₋₁ + (1 − a) gₜ, ṽₜ = vₜ − ḡₜ²;  (7.4) bₜ = μ bₜ₋₁ + gₜ / (√ṽₜ + ε),
      θₜ = θₜ₋₁ − α bₜ.

    Args:
      lr: the step size α > 0 (default 1e-2, PyTorch's default).
      alpha: the decay a of the moving average, in [0, 1) (default 0.99).
      eps: ε ≥ 0 added to the denominator (default 1e-8).
      momentum: μ in [0, 1) (default 0: no buffer, (7.2)).
      centered: divide by the root of the centred second moment (7.3) (default False).

    Example:
      >>> import numpy as np, optlib
      >>> p = optlib.problems.Quadratic(np.diag([1.0, 100.0]))
      >>> res = optlib.minimize(p, [1.0, 1.0], method=RMSProp(lr=0.01), max_iter=1)
      >>> res.history.x[1].round(6)   # no bias correction: a first step of 0.1 = 10·lr
      array([0.9, 0.9])

    References:
      Tieleman & Hinton, *Neural Networks for Machine Learning*, lecture 6.5 (2012); PyTorch
      documentation of ``torch.optim.RMSprop``.
    """

    def __init__(self, lr=1e-2, alpha=0.99, eps=1e-8, momentum=0.0, centered=False):
        self.lr = check_positive(lr, "lr")
        self.alpha = check_fraction(alpha, "alpha")
        self.eps = check_nonnegative(eps, "eps")
        self.momentum = check_fraction(momentum, "momentum")
        self.centered = check_flag(centered, "centered")

    def init(self, oracle, x, fun, grad):
        return SimpleNamespace(
            square_avg=np.zeros_like(x), grad_avg=np.zeros_like(x), buf=np.zeros_like(x)
        )

    def step(self, oracle, state, x, fun, grad):
        v = state.square_avg
        v *= self.alpha
        v += (1.0 - self.alpha) * np.square(grad)  # (7.1)
        if self.centered:
            mean = state.grad_avg
            mean *= self.alpha
            mean += (1.0 - self.alpha) * grad
            scaled = grad / (np.sqrt(v - np.square(mean)) + self.eps)  # (7.3)
        else:
            scaled = grad / (np.sqrt(v) + self.eps)
        if self.momentum == 0.0:
            return Step(x - self.lr * scaled)  # (7.2)
        buf = state.buf
        buf *= self.momentum
        buf += scaled
        return Step(x - self.lr * buf)  # (7.4)
