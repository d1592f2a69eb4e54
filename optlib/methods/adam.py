"""Adam and AMSGrad, as ``torch.optim.Adam`` (book chapter 8)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from optlib.checks import check_betas, check_flag, check_nonnegative, check_positive
from optlib.method import Method, Step


class Adam(Method):
    """Moving averages of the gradient and of its square, both bias-corrected.

    With gₜ = ∇f(θₜ₋₁), t = 1, 2, … (all operations coordinate-wise)::

        mₜ = β₁ mₜ₋₁ + (1 − β₁) gₜ,    m₀ = 0         (8.1)
        vₜ = β₂ vₜ₋₁ + (1 − β₂) gₜ²,   v₀ = 0         (8.2)
        m̂ₜ = mₜ / (1 − β₁ᵗ)                           (8.3)
        v̂ₜ = vₜ / (1 − β₂ᵗ)                           (8.4)
        θₜ = θₜ₋₁ − α m̂ₜ / (√v̂ₜ + ε)                  (8.6)

    AMSGrad (``amsgrad=True``) keeps the running maximum of the *uncorrected* vₜ and corrects
    that instead of (8.4)::

        vₜᵐᵃˣ = max(vₜ₋₁ᵐᵃˣ, vₜ),  v₀ᵐᵃˣ = 0,   v̂ₜ = vₜᵐᵃˣ / (1 − β₂ᵗ)      (8.5)

    These are the iterates of ``torch.optim.Adam(params, lr=α, betas=(β₁, β₂), eps=ε,
    amsgrad=…)`` (no weight decay): ε is added to √v̂ₜ after the bias correction.

    With ε = 0 the step is invariant to a constant positive diagonal rescaling of the gradient:
    if every gradient is replaced by D gₜ, then mₜ → D mₜ, vₜ → D² vₜ (and vₜᵐᵃˣ → D² vₜᵐᵃˣ), so
    m̂ₜ/√v̂ₜ, and with it every iterate, is unchanged.

    Equations::

      (8.1) mₜ = β₁ mₜ₋₁ + (1 − β₁) gₜ;  (8.2) vₜ = β₂ vₜ₋₁ + (1 − β₂) gₜ²;
      (8.3) m̂ₜ = mₜ / (1 − β₁ᵗ);  (8.4) v̂ₜ = vₜ / (1 − β₂ᵗ);
      (8.5) AMSGrad: vₜᵐᵃˣ = max(vₜ₋₁ᵐᵃˣ, vₜ), v̂ₜ = vₜᵐᵃˣ / (1 − β₂ᵗ);
      (8.6) θₜ = θₜ₋₁ − α m̂ₜ / (√v̂ₜ + ε).

    Args:
      lr: the step size α > 0 (default 1e-3, PyTorch's default).
      betas: (β₁, β₂), each in [0, 1) (default (0.9, 0.999)).
      eps: ε ≥ 0 added to the denominator (default 1e-8). With ε = 0, a coordinate whose
        gradients have all been zero gives 0/0 and the run stops as diverged.
      amsgrad: use AMSGrad's maximum (default False).

    Example:
      >>> import numpy as np, optlib
      >>> p = optlib.problems.Quadratic(np.diag([1.0, 100.0]))
      >>> res = optlib.minimize(p, [1.0, 1.0], method=Adam(lr=0.1), max_iter=1)
      >>> res.history.x[1]         # bias correction: the first step is α·sign(g)
      array([0.9, 0.9])

    References:
      Kingma & Ba, "Adam: a method for stochastic optimization" (ICLR 2015), Algorithm 1;
      Reddi, Kale & Kumar, "On the convergence of Adam and beyond" (ICLR 2018); PyTorch
      documentation of ``torch.optim.Adam``.
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
        self.lr = check_positive(lr, "lr")
        self.betas = check_betas(betas)
        self.eps = check_nonnegative(eps, "eps")
        self.amsgrad = check_flag(amsgrad, "amsgrad")

    def init(self, oracle, x, fun, grad):
        vmax = np.zeros_like(x) if self.amsgrad else None
        return SimpleNamespace(m=np.zeros_like(x), v=np.zeros_like(x), vmax=vmax, t=0)

    def step(self, oracle, state, x, fun, grad):
        beta1, beta2 = self.betas
        m, v = state.m, state.v
        state.t += 1
        m *= beta1
        m += (1.0 - beta1) * grad  # (8.1)
        v *= beta2
        v += (1.0 - beta2) * np.square(grad)  # (8.2)
        if self.amsgrad:
            np.maximum(state.vmax, v, out=state.vmax)  # (8.5), the uncorrected maximum
            v = state.vmax
        m_hat_scale = 1.0 / (1.0 - beta1**state.t)  # (8.3) as a factor
        v_hat = v / (1.0 - beta2**state.t)  # (8.4), or (8.5) with amsgrad
        return Step(x - (self.lr * m_hat_scale) * m / (np.sqrt(v_hat) + self.eps))  # (8.6)
