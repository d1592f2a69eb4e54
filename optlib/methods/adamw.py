"""AdamW: Adam with decoupled weight decay, as ``torch.optim.AdamW`` (book chapter 8)."""

from __future__ import annotations

from optlib.checks import check_nonnegative
from optlib.methods.adam import Adam


class AdamW(Adam):
    """Adam whose weight decay shrinks the parameters directly instead of entering the gradient.

    With gₜ = ∇f(θₜ₋₁) and mₜ, vₜ, m̂ₜ, v̂ₜ as in :class:`Adam` ((8.1)–(8.5))::

        θₜ = (1 − αλ) θₜ₋₁ − α m̂ₜ / (√v̂ₜ + ε)                          (8.7)

    These are the iterates of ``torch.optim.AdamW(params, lr=α, betas=(β₁, β₂), eps=ε,
    weight_decay=λ, amsgrad=…)``. Adding (λ/2)‖θ‖² to the loss instead (L2 regularisation)
    puts λθ into gₜ, where Adam's per-coordinate scaling divides it by √v̂ₜ: a weight with
    large gradients is then barely decayed. Here every weight shrinks by the same factor
    1 − αλ per step, whatever its gradients (Loshchilov & Hutter's decoupling). With λ = 0 this
    is Adam.

    Equations::

      (8.7) θₜ = (1 − αλ) θₜ₋₁ − α m̂ₜ / (√v̂ₜ + ε), with (8.1)–(8.5) as in Adam.

    Args:
      lr: the step size α > 0 (default 1e-3, PyTorch's default).
      betas: (β₁, β₂), each in [0, 1) (default (0.9, 0.999)).
      eps: ε ≥ 0 added to the denominator (default 1e-8).
      weight_decay: λ ≥ 0, with αλ < 1 (default 1e-2, PyTorch's default).
      amsgrad: use AMSGrad's maximum (8.5) (default False).

    Example:
      >>> import numpy as np, optlib
      >>> p = optlib.problems.Quadratic(np.diag([1.0, 100.0]))
      >>> res = optlib.minimize(p, [1.0, 1.0], method=AdamW(lr=0.1, weight_decay=0.5), max_iter=1)
      >>> res.history.x[1]         # (1 − 0.05)·1 − 0.1·sign(g)
      array([0.85, 0.85])

    References:
      Loshchilov & Hutter, "Decoupled weight decay regularization" (ICLR 2019), Algorithm 2;
      PyTorch documentation of ``torch.optim.AdamW``.
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(lr=lr, betas=betas, eps=eps, amsgrad=amsgrad)
        self.weight_decay = check_nonnegative(weight_decay, "weight_decay")
        if self.lr * self.weight_decay >= 1:
            raise ValueError(
                f"lr * weight_decay must be < 1 (each step keeps the fraction 1 - lr * weight_decay"
                f" of the weights), got {self.lr * self.weight_decay!r}"
            )

    def step(self, oracle, state, x, fun, grad):
        # (8.7): Adam's step (8.6), taken from the decayed point (1 − αλ)θₜ₋₁; the gradient
        # gₜ is the one at θₜ₋₁, as in PyTorch, which decays the parameters in place first.
        return super().step(oracle, state, (1.0 - self.lr * self.weight_decay) * x, fun, grad)
