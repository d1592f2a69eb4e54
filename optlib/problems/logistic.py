"""Logistic regression, full-batch or stochastic, and a data set with rare informative features.

The loss of a linear classifier w on data (xᵢ, yᵢ), yᵢ ∈ {0, 1}, over a batch B of rows:

    f_B(w) = (1/|B|) Σᵢ∈B [log(1 + e^(zᵢ)) − yᵢzᵢ] + (λ/2)‖w‖²,    zᵢ = xᵢᵀw,
    ∇f_B(w) = (1/|B|) Σᵢ∈B (σ(zᵢ) − yᵢ) xᵢ + λw,
    ∇²f_B(w) v = (1/|B|) Σᵢ∈B σ(zᵢ)(1 − σ(zᵢ)) (xᵢᵀv) xᵢ + λv,

with σ(z) = 1/(1 + e^(−z)) (the negative log-likelihood of the Bernoulli model P(y = 1) = σ(z)).
"""

from __future__ import annotations

import numpy as np

from optlib.checks import check_count
from optlib.problem import DataProblem

__all__ = ["LogisticRegression", "rare_features_data"]


def sigmoid(z):
    """σ(z) = 1/(1 + e^(−z)), computed as ½(1 + tanh(z/2)) so that it never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class LogisticRegression(DataProblem):
    """Logistic regression: mean logistic loss over a (mini)batch, plus (λ/2)‖w‖².

    With ``batch_size=None`` the problem is deterministic (every evaluation uses all rows).
    With a ``batch_size``, it is stochastic: :func:`~optlib.minimize` draws one minibatch per
    iteration with :meth:`~optlib.DataProblem.sample_batch` (``batch_size`` distinct rows,
    without replacement) and
    every evaluation of that iteration uses it. ``fun``, ``grad``, ``fun_and_grad`` and
    ``hessp`` take the batch as the keyword ``batch`` (row indices; None means all rows).

    Args:
      X: an (N, d) array of features (stored densely; keep it modest, e.g. ≤ 2000 × 200).
      y: N labels in {0, 1}.
      batch_size: rows per minibatch, 1 ≤ batch_size ≤ N, or None for full batches.
      l2: the ridge weight λ ≥ 0.

    Example:
      >>> import numpy as np
      >>> X, y, w_true = rare_features_data(200, 2, 5, 0.05, seed=0)
      >>> p = LogisticRegression(X, y, batch_size=32, l2=1e-3)
      >>> p.n, p.stochastic, round(p.fun(np.zeros(p.n)), 6)     # log 2 at w = 0
      (7, True, 0.693147)
      >>> batch = p.sample_batch(np.random.default_rng(0))
      >>> batch.shape, np.unique(batch).size
      ((32,), 32)

    Reference:
      e.g. Bishop, *Pattern Recognition and Machine Learning* (2006), §4.3.2–4.3.3.
    """

    overflow_warnings = False  # inf or NaN at a diverging iterate is a result

    def __init__(self, X, y, batch_size=None, l2=0.0):
        X = np.array(X, dtype=np.float64)
        if X.ndim != 2:
            raise ValueError(f"X must be a 2-D array, got shape {X.shape}")
        if not np.all(np.isfinite(X)):
            raise ValueError("X must be finite")
        y = np.array(y, dtype=np.float64)
        if y.shape != (X.shape[0],):
            raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
        if not np.all((y == 0) | (y == 1)):
            raise ValueError("y must hold labels 0 and 1 only")
        if batch_size is not None:
            batch_size = check_count(batch_size, "batch_size", 1, X.shape[0])
        l2 = float(l2)
        if not np.isfinite(l2) or l2 < 0:
            raise ValueError(f"l2 must be finite and >= 0, got {l2}")
        self.X, self.y = X, y
        self.n_samples, self.n = X.shape
        self.batch_size = batch_size
        self.l2 = l2
        self.stochastic = batch_size is not None
        name = "logistic regression" + ("" if batch_size is None else f" (batch {batch_size})")
        super().__init__(self.fun, grad=self.grad, hessp=self.hessp, hess=self.hess, name=name)

    def fun(self, w, batch=None):
        X, y = self.rows(batch)
        z = X @ w
        # log(1 + e^z) − yz, with log(1 + e^z) = logaddexp(0, z) free of overflow
        return float(np.mean(np.logaddexp(0.0, z) - y * z)) + 0.5 * self.l2 * float(w @ w)

    def grad(self, w, batch=None):
        X, y = self.rows(batch)
        return X.T @ (sigmoid(X @ w) - y) / y.size + self.l2 * w

    def fun_and_grad(self, w, batch=None):
        X, y = self.rows(batch)
        z = X @ w
        fun = float(np.mean(np.logaddexp(0.0, z) - y * z)) + 0.5 * self.l2 * float(w @ w)
        return fun, X.T @ (sigmoid(z) - y) / y.size + self.l2 * w

    def hessp(self, w, v, batch=None):
        X, _ = self.rows(batch)
        s = sigmoid(X @ w)
        return X.T @ (s * (1.0 - s) * (X @ v)) / X.shape[0] + self.l2 * v

    def hess(self, w, batch=None):
        """∇²f = Xᵀ D X / |B| + λI with D = diag(σ(zᵢ)(1 − σ(zᵢ))): Newton's step on it is a
        weighted least-squares solve, IRLS (book chapter 9)."""
        X, _ = self.rows(batch)
        s = sigmoid(X @ w)
        return (X.T * (s * (1.0 - s))) @ X / X.shape[0] + self.l2 * np.eye(self.n)


def rare_features_data(
    n_samples=1000, n_common=5, n_rare=50, rare_probability=0.01, seed=0, rare_weight=3.0
):
    """A binary classification set with a few frequent features and many rare ones, all
    informative: the setting where Adagrad's per-coordinate steps learn the rare features
    faster than one global step (Duchi, Hazan & Singer 2011; book chapter 6).

    Columns 0…n_common−1 are common: standard normal in every sample, with true weights drawn
    from N(0, 1). Columns n_common… are rare: each is 1 in a sample with probability
    ``rare_probability`` (≈ 1 %) and 0 otherwise, with true weights ±``rare_weight`` (random
    signs), so a rare feature, when present, moves the log-odds a lot. The labels are drawn from
    the logistic model: P(yᵢ = 1) = σ(xᵢᵀw_true).

    Args:
      n_samples: the number of rows N.
      n_common, n_rare: the numbers of common and of rare features (n_common ≥ 0, n_rare ≥ 0,
        at least one feature in all).
      rare_probability: the frequency of each rare feature, in (0, 1].
      seed: seeds ``numpy.random.default_rng``.
      rare_weight: the magnitude of the rare features' true weights (> 0).

    Returns:
      The tuple (X, y, w_true) of X, of shape (N, n_common + n_rare), the labels y in {0, 1},
      and the true weights.

    Example:
      >>> X, y, w = rare_features_data(1000, 5, 50, 0.01, seed=1)
      >>> X.shape, y.shape, w.shape
      ((1000, 55), (1000,), (55,))
      >>> bool(0.005 < X[:, 5:].mean() < 0.015)          # rare: present in ≈ 1 % of rows
      True
    """
    n_samples = check_count(n_samples, "n_samples", 1)
    n_common = check_count(n_common, "n_common", 0)
    n_rare = check_count(n_rare, "n_rare", 0)
    if n_common + n_rare == 0:
        raise ValueError("n_common + n_rare must be at least 1, got 0 features")
    rare_probability = float(rare_probability)
    if not 0.0 < rare_probability <= 1.0:
        raise ValueError(f"rare_probability must be in (0, 1], got {rare_probability}")
    rare_weight = float(rare_weight)
    if not (np.isfinite(rare_weight) and rare_weight > 0):
        raise ValueError(f"rare_weight must be finite and > 0, got {rare_weight}")
    rng = np.random.default_rng(seed)
    common = rng.standard_normal((n_samples, n_common))
    rare = (rng.random((n_samples, n_rare)) < rare_probability).astype(np.float64)
    X = np.hstack([common, rare])
    w_true = np.concatenate(
        [rng.standard_normal(n_common), rare_weight * rng.choice([-1.0, 1.0], n_rare)]
    )
    y = (rng.random(n_samples) < sigmoid(X @ w_true)).astype(np.float64)
    return X, y, w_true
