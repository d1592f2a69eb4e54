"""AdaHessian: Adam with a Hutchinson estimate of the Hessian diagonal (book chapter 14)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from optlib.checks import check_betas, check_count, check_nonnegative, check_positive
from optlib.method import Method, Step

__all__ = ["AdaHessian", "hutchinson_diagonal", "block_average"]


def hutchinson_diagonal(hessp, n, n_samples, rng):
    """Hutchinson's estimate of diag(H): the mean of z ⊙ Hz over ``n_samples`` Rademacher z.

    With zᵢ = ±1 independent and equally likely, (z ⊙ Hz)ᵢ = Hᵢᵢ + Σⱼ≠ᵢ Hᵢⱼzᵢzⱼ, and the
    products zᵢzⱼ (j ≠ i) have mean 0 and are uncorrelated with one another, so
    E[z ⊙ Hz] = diag(H) (14.1) and Var[(z ⊙ Hz)ᵢ] = Σⱼ≠ᵢ Hᵢⱼ² (14.8): the estimate is exact
    for a diagonal H, and the mean of N probes (14.2) has variance Σⱼ≠ᵢ Hᵢⱼ² / N.

    Args:
      hessp: callable v ↦ Hv (one call per probe).
      n: the dimension.
      n_samples: N, the number of probes.
      rng: a ``numpy.random.Generator``.

    Example:
      >>> import numpy as np
      >>> H = np.array([[2.0, 0.5], [0.5, -1.0]])
      >>> D = hutchinson_diagonal(lambda v: H @ v, 2, 10_000, np.random.default_rng(0))
      >>> np.round(D, 1)
      array([ 2., -1.])
    """
    total = None
    for _ in range(n_samples):
        z = rng.integers(0, 2, size=n, dtype=bool).astype(np.float64)
        z *= 2.0
        z -= 1.0  # Rademacher: ±1
        z *= hessp(z)  # z ⊙ Hz (14.1)
        if total is None:
            total = z
        else:
            total += z
    if n_samples > 1:
        total /= n_samples  # (14.2)
    return total


def block_average(D, block_size):
    """Spatial averaging (14.3): each block of ``block_size`` consecutive entries replaced by
    its mean (a last, shorter block by the mean of what it has)."""
    if block_size == 1:
        return D
    starts = np.arange(0, D.size, block_size)
    sizes = np.minimum(block_size, D.size - starts)
    return np.repeat(np.add.reduceat(D, starts) / sizes, sizes)  # (14.3)


class AdaHessian(Method):
    """AdaHessian (Yao et al. 2021): Adam's update with the squared gradient replaced by the
    squared Hutchinson estimate of the Hessian diagonal.

    Each iteration draws ``n_samples`` Rademacher probes z from the run's generator for the
    method's own random numbers (independent of the minibatches: ``oracle.rng``) and
    estimates D = diag(∇²f) as the mean of z ⊙ ∇²f z (14.1–14.2), one Hessian-vector product
    per probe (each counted in ``nhev``); averages D over blocks of ``block_size`` consecutive
    coordinates (14.3); keeps exponential moving averages of the gradient and of D ⊙ D (14.4,
    14.5), bias-corrects both (14.6), and steps θ ← θ − lr·m̂ / ((√v̂)ᵏ + ε) (14.7), with
    k = ``hessian_power``. With k = 1 and a diagonal quadratic the step is a damped, averaged
    Newton step lr·m̂/|D|; with k = 0 it is SGD with (bias-corrected) momentum.

    The paper's Algorithm 1 and the authors' code differ in two details; this implementation
    follows the paper and says where:

    * The paper averages the signed estimate D over a block (its eq. 10, also printed in the
      survey) and squares afterwards; the official PyTorch code averages |z ⊙ Hz| = |Hz| (a
      single probe), so that entries of opposite sign in a block cannot cancel. With
      ``block_size=1`` and ``n_samples=1`` the two agree exactly, since only D ⊙ D is used.
    * The paper's update has no ε (it divides by v_t = (D̄_t)ᵏ); the code adds ε = 1e-4 after
      the power, as here. The survey prints the update without its minus sign.

    The official code's ``spatial_average_block_size`` groups by tensor shape (a 3×3
    convolution kernel is one block); a flat parameter vector has no shape, so here a block is
    ``block_size`` consecutive coordinates.

    Args:
      lr: the learning rate (default 0.15, the paper's).
      betas: (β₁, β₂), the decay rates of the two moving averages, each in [0, 1).
      eps: ε ≥ 0, added to the denominator (default 1e-4, the paper's code). With ε = 0, a
        coordinate whose curvature estimates have all been zero gives 0/0 and the run stops as
        diverged.
      hessian_power: k in [0, 1] (default 1).
      block_size: b ≥ 1, the length of the blocks of spatial averaging (default 1: none).
      n_samples: probes per iteration (default 1, as the paper).

    Equations (chapter 14)::

      (14.1) diag(H) = E[z ⊙ Hz],  zᵢ = ±1 with probability ½ each
      (14.2) Dₜ = (1/N) Σₛ zₛ ⊙ ∇²f(θₜ₋₁) zₛ
      (14.3) Dₜ⁽ˢ⁾[ib + j] = (1/b) Σₖ₌₁ᵇ Dₜ[ib + k]
      (14.4) mₜ = β₁mₜ₋₁ + (1 − β₁)gₜ
      (14.5) vₜ = β₂vₜ₋₁ + (1 − β₂) Dₜ⁽ˢ⁾ ⊙ Dₜ⁽ˢ⁾
      (14.6) m̂ₜ = mₜ / (1 − β₁ᵗ),  v̂ₜ = vₜ / (1 − β₂ᵗ)
      (14.7) θₜ = θₜ₋₁ − lr · m̂ₜ / ((√v̂ₜ)ᵏ + ε)
      (14.8) Var[(z ⊙ Hz)ᵢ] = Σⱼ≠ᵢ Hᵢⱼ²

    Example:
      >>> import numpy as np, optlib
      >>> p = optlib.problems.Quadratic(np.diag([1.0, 100.0]))     # diagonal: D is exact
      >>> res = optlib.minimize(p, [1.0, 1.0], method=AdaHessian(lr=0.5), max_iter=1)
      >>> np.round(res.x, 3)          # each coordinate moves by lr·g/(|D| + ε) ≈ lr·θ
      array([0.5, 0.5])

    References:
      Yao, Gholami, Shen, Mustafa, Keutzer & Mahoney, "ADAHESSIAN: An adaptive second order
      optimizer for machine learning", AAAI 2021 (Algorithm 1, eqs. 10–12); Hutchinson, "A
      stochastic estimator of the trace of the influence matrix for Laplacian smoothing
      splines", Commun. Stat. Simul. Comput. 18 (1989); Bekas, Kokiopoulou & Saad, "An
      estimator for the diagonal of a matrix", Appl. Numer. Math. 57 (2007).
    """

    needs = frozenset({"grad", "hessp"})

    def __init__(
        self,
        lr=0.15,
        betas=(0.9, 0.999),
        eps=1e-4,
        hessian_power=1,
        block_size=1,
        n_samples=1,
    ):
        self.lr = check_positive(lr, "lr")
        self.betas = check_betas(betas)
        self.eps = check_nonnegative(eps, "eps")
        power = check_nonnegative(hessian_power, "hessian_power")
        if power > 1:
            raise ValueError(f"hessian_power must lie in [0, 1], got {hessian_power!r}")
        self.hessian_power = power
        self.block_size = check_count(block_size, "block_size")
        self.n_samples = check_count(n_samples, "n_samples")

    def init(self, oracle, x, fun, grad):
        return SimpleNamespace(m=np.zeros_like(x), v=np.zeros_like(x), t=0)

    def step(self, oracle, state, x, fun, grad):
        beta1, beta2 = self.betas
        state.t += 1
        D = hutchinson_diagonal(  # (14.1), (14.2)
            lambda z: oracle.hessp(x, z), x.size, self.n_samples, oracle.rng
        )
        D = block_average(D, self.block_size)  # (14.3)
        state.m = beta1 * state.m + (1.0 - beta1) * grad  # (14.4)
        state.v = beta2 * state.v + (1.0 - beta2) * D * D  # (14.5)
        m_hat = state.m / (1.0 - beta1**state.t)  # (14.6)
        v_hat = state.v / (1.0 - beta2**state.t)
        denominator = np.sqrt(v_hat) ** self.hessian_power + self.eps
        return Step(x - self.lr * m_hat / denominator)  # (14.7)
