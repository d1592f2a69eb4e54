"""Heavy-ball momentum, as ``torch.optim.SGD(momentum=μ)`` (book chapter 3)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from optlib.checks import check_momentum, check_positive
from optlib.method import Method, Step


class Momentum(Method):
    """Gradient descent with a momentum buffer (Polyak's heavy ball), in PyTorch's form.

    With gₜ = ∇f(θₜ₋₁), t = 1, 2, …::

        bₜ = μ bₜ₋₁ + gₜ,   b₀ = 0 (so b₁ = g₁)      (3.1)
        θₜ = θₜ₋₁ − α bₜ                             (3.2)

    These are the iterates of ``torch.optim.SGD(params, lr=α, momentum=μ)`` (no dampening, no
    weight decay), whose buffer starts at the first gradient. The survey's form v ← μv − αg,
    θ ← θ + v is the same method with v = −α b (for a constant α). On f = ½λθ² the two steps
    give θₜ₊₁ = (1 + μ − αλ) θₜ − μ θₜ₋₁ for t ≥ 1: a 2×2 linear recursion per eigen-direction.

    Equations::

      (3.1) bₜ = μ bₜ₋₁ + gₜ, b₀ = 0;  (3.2) θₜ = θₜ₋₁ − α bₜ.

    Args:
      lr: the step size α > 0 (default 1e-3, PyTorch's SGD default).
      momentum: μ in [0, 1) (default 0.9; PyTorch's SGD defaults to 0, which is plain gradient
        descent, i.e. :class:`~optlib.methods.GradientDescent`), or a schedule: a callable
        t ↦ μₜ used in (3.1) at iteration t = 1, 2, … (each value is checked to lie in [0, 1)),
        as when PyTorch's ``param_group["momentum"]`` is set before each step.

    Example:
      >>> import numpy as np, optlib
      >>> p = optlib.problems.Quadratic(np.diag([1.0, 100.0]))
      >>> res = optlib.minimize(p, [1.0, 1.0], method=Momentum(lr=0.033, momentum=0.67))
      >>> res.success, res.nit        # gradient descent with its best step, 2/101, needs 922
      (True, 99)

    References:
      Polyak, "Some methods of speeding up the convergence of iteration methods" (1964);
      PyTorch documentation of ``torch.optim.SGD``.
    """

    def __init__(self, lr=1e-3, momentum=0.9):
        self.lr = check_positive(lr, "lr")
        self.momentum = check_momentum(momentum)

    def init(self, oracle, x, fun, grad):
        return SimpleNamespace(buf=np.zeros_like(x), t=0)

    def mu(self, t):
        """μₜ: the constant momentum, or the schedule's value at iteration t."""
        return self.momentum(t) if callable(self.momentum) else self.momentum

    def step(self, oracle, state, x, fun, grad):
        state.t += 1
        buf = state.buf
        buf *= self.mu(state.t)
        buf += grad  # (3.1); the first step gives b₁ = 0 + g₁ = g₁ exactly
        x_new = buf * -self.lr  # one new vector, then in place (no temporaries at large n)
        x_new += x
        return Step(x_new)  # (3.2): x − αb, the same floats as x - self.lr * buf
