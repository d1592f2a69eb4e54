"""A small multilayer perceptron in NumPy, with exact gradients, Hessian-vector products and
Gauss–Newton products, on data made in code (two spirals, a noisy sine).

The network maps an input a₀ = x through L affine layers,

    sₗ = Wₗ aₗ₋₁ + bₗ,   aₗ = φ(sₗ) (l < L),   o = s_L (linear output),

and the loss is averaged over a (mini)batch B of rows:

    mse:            ℓ(o, y) = ½‖o − y‖²,
    cross_entropy:  ℓ(o, y) = −log softmax(o)_y = logsumexp(o) − o_y,

    f_B(θ) = (1/|B|) Σᵢ∈B ℓ(o(xᵢ; θ), yᵢ) + (λ/2)‖θ‖².

All parameters live in one flat vector θ = (W₁, b₁, W₂, b₂, …) (each Wₗ row-major).

* ``grad``: backpropagation, δ_L = ∂ℓ/∂o, δₗ₋₁ = (Wₗᵀδₗ) ⊙ φ′(sₗ₋₁), ∂f/∂Wₗ = δₗaₗ₋₁ᵀ,
  ∂f/∂bₗ = δₗ.
* ``hessp``: the R-operator R{·} = d/dt(·)(θ + tv)|ₜ₌₀ applied to the forward and the backward
  pass (Pearlmutter 1994): forward R{sₗ} = Wₗ R{aₗ₋₁} + Vₗ aₗ₋₁ + cₗ (v = (V₁, c₁, …)),
  R{aₗ} = φ′(sₗ) ⊙ R{sₗ}; backward R{δ_L} = ∇²ₒℓ R{o},
  R{δₗ₋₁} = (Wₗᵀ R{δₗ} + Vₗᵀ δₗ) ⊙ φ′(sₗ₋₁) + (Wₗᵀδₗ) ⊙ φ″(sₗ₋₁) ⊙ R{sₗ₋₁},
  R{∂f/∂Wₗ} = R{δₗ} aₗ₋₁ᵀ + δₗ R{aₗ₋₁}ᵀ, R{∂f/∂bₗ} = R{δₗ}: exactly ∇²f(θ) v, at the cost of
  about two gradients.
* ``gauss_newton_product``: G v = Jᵀ ∇²ₒℓ J v with J = ∂o/∂θ (Schraudolph 2002; Martens 2010):
  the forward R pass gives J v = R{o}; backpropagating δ_L = ∇²ₒℓ J v (first-order terms only)
  gives Jᵀ(∇²ₒℓ J v). ∇²ₒℓ is I (mse) or diag(p) − ppᵀ with p = softmax(o) (cross-entropy),
  positive semi-definite, so G is too.

References:
  Pearlmutter, "Fast exact multiplication by the Hessian", *Neural Computation* 6(1):147–160
  (1994); Schraudolph, "Fast curvature matrix-vector products for second-order gradient
  descent", *Neural Computation* 14(7):1723–1738 (2002); Glorot & Bengio (2010) and He et al.
  (2015) for the initialisations; Lang & Witbrock (1988) for the two-spirals task.
"""

from __future__ import annotations

import numpy as np

from optlib.checks import check_choice, check_count
from optlib.problem import DataProblem

__all__ = ["MLP", "two_spirals", "sine_regression"]


def _tanh(s):
    a = np.tanh(s)
    d = 1.0 - a * a
    return a, d, -2.0 * a * d  # φ, φ′, φ″


def _sigmoid(s):
    a = 0.5 * (1.0 + np.tanh(0.5 * s))
    d = a * (1.0 - a)
    return a, d, d * (1.0 - 2.0 * a)


def _relu(s):
    positive = (s > 0).astype(s.dtype)
    return s * positive, positive, np.zeros_like(s)


_ACTIVATIONS = {"tanh": _tanh, "sigmoid": _sigmoid, "relu": _relu}
_LOSSES = ("mse", "cross_entropy")


def _softmax(o):
    e = np.exp(o - o.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


class MLP(DataProblem):
    """A multilayer perceptron's training loss, as a (possibly stochastic) problem in θ.

    Args:
      layer_sizes: the widths (n₀, n₁, …, n_L): n₀ = the number of input columns, n_L = the
        number of outputs (the number of classes for cross-entropy, ≥ 2).
      X: an (N, n₀) array of inputs.
      y: targets: (N,) or (N, n_L) reals for ``"mse"``, (N,) class labels 0…n_L−1 for
        ``"cross_entropy"``.
      loss: ``"mse"`` (½‖o − y‖²) or ``"cross_entropy"`` (softmax cross-entropy).
      activation: the hidden units' φ: ``"tanh"``, ``"sigmoid"`` or ``"relu"``.
      batch_size: rows per minibatch (stochastic problem, one batch per iteration, drawn
        without replacement), or None for full batches.
      l2: the weight-decay coefficient λ ≥ 0.
      seed: seeds the initial parameters ``x0 = init_params(default_rng(seed))``.

    Every evaluation takes the minibatch as the keyword ``batch`` (row indices; None = all).

    Example:
      >>> X, y = two_spirals(100, noise=0.0, seed=0)
      >>> net = MLP([2, 8, 2], X, y, loss="cross_entropy", seed=0)
      >>> net.n, [W.shape for W, b in net.unflatten(net.x0)]
      (42, [(8, 2), (2, 8)])
      >>> round(net.fun(np.zeros(net.n)), 6)        # log 2: equal odds for both classes
      0.693147
    """

    overflow_warnings = False  # inf or NaN at a diverging iterate is a result

    def __init__(
        self,
        layer_sizes,
        X,
        y,
        loss="mse",
        activation="tanh",
        batch_size=None,
        l2=0.0,
        seed=0,
    ):
        sizes = [check_count(k, "layer_sizes[i]", 1) for k in layer_sizes]
        if len(sizes) < 2:
            raise ValueError(f"layer_sizes must have at least 2 entries, got {len(sizes)}")
        check_choice(loss, "loss", _LOSSES)
        check_choice(activation, "activation", tuple(_ACTIVATIONS))
        X = np.array(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != sizes[0]:
            raise ValueError(f"X must have shape (N, {sizes[0]}), got {X.shape}")
        if not np.all(np.isfinite(X)):
            raise ValueError("X must be finite")
        N, K = X.shape[0], sizes[-1]
        if loss == "cross_entropy":
            if K < 2:
                raise ValueError(f"layer_sizes[-1] must be >= 2 for cross_entropy, got {K}")
            labels = np.asarray(y)
            if labels.shape != (N,) or not np.all((labels == np.round(labels)) & (labels >= 0)):
                raise ValueError(f"y must be {N} class labels in 0…{K - 1}")
            if labels.max() >= K:
                raise ValueError(f"y must be {N} class labels in 0…{K - 1}, got {labels.max()}")
            self.y = labels.astype(np.intp)
        else:
            targets = np.array(y, dtype=np.float64)
            if targets.shape == (N,) and K == 1:
                targets = targets[:, None]
            if targets.shape != (N, K):
                raise ValueError(f"y must have shape ({N}, {K}) (or ({N},) for one output)")
            if not np.all(np.isfinite(targets)):
                raise ValueError("y must be finite")
            self.y = targets
        if batch_size is not None:
            batch_size = check_count(batch_size, "batch_size", 1, N)
        l2 = float(l2)
        if not np.isfinite(l2) or l2 < 0:
            raise ValueError(f"l2 must be finite and >= 0, got {l2}")
        self.layer_sizes = tuple(sizes)
        self.X = X
        self.n_samples = N
        self.loss = loss
        self.activation = activation
        self._phi = _ACTIVATIONS[activation]
        self.batch_size = batch_size
        self.l2 = l2
        self.stochastic = batch_size is not None
        # where each layer's W and b start and end in θ
        self._slices = []
        start = 0
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
            self._slices.append(((start, start + n_out * n_in), (n_out, n_in)))
            start += n_out * n_in + n_out
        self.n = start
        self.x0 = self.init_params(np.random.default_rng(seed))
        name = f"MLP {'-'.join(map(str, sizes))} ({activation}, {loss})"
        super().__init__(self.fun, grad=self.grad, hessp=self.hessp, name=name)

    # --- parameters ------------------------------------------------------------------------------

    def unflatten(self, theta):
        """[(W₁, b₁), …, (W_L, b_L)] as views into ``theta``."""
        layers = []
        for (w0, w1), shape in self._slices:
            layers.append((theta[w0:w1].reshape(shape), theta[w1 : w1 + shape[0]]))
        return layers

    def flatten(self, layers):
        """θ from [(W₁, b₁), …]: the inverse of :meth:`unflatten`."""
        return np.concatenate([np.concatenate([W.ravel(), b]) for W, b in layers])

    def init_params(self, rng):
        """A standard initialisation drawn with ``rng``: Glorot-uniform weights
        U(±√(6/(n_in + n_out))) for tanh and sigmoid, He-normal N(0, 2/n_in) for relu; zero
        biases."""
        layers = []
        for _, (n_out, n_in) in self._slices:
            if self.activation == "relu":
                W = rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)
            else:
                limit = np.sqrt(6.0 / (n_in + n_out))
                W = rng.uniform(-limit, limit, (n_out, n_in))
            layers.append((W, np.zeros(n_out)))
        return self.flatten(layers)

    # --- forward and backward --------------------------------------------------------------------

    def _forward(self, layers, X):
        """Per layer: the input aₗ₋₁, the pre-activation sₗ and φ′(sₗ), φ″(sₗ) (hidden only)."""
        a, cache = X, []
        for j, (W, b) in enumerate(layers):
            s = a @ W.T + b
            if j < len(layers) - 1:
                nxt, d1, d2 = self._phi(s)
                cache.append((a, d1, d2))
                a = nxt
            else:
                cache.append((a, None, None))
                a = s
        return a, cache

    def predict(self, theta, X=None):
        """The network's outputs o (before softmax) on ``X`` (default: the training inputs)."""
        X = self.X if X is None else np.asarray(X, dtype=np.float64)
        return self._forward(self.unflatten(np.asarray(theta, dtype=np.float64)), X)[0]

    def error_rate(self, theta, X, y):
        """The fraction of the rows of ``X`` whose largest output is not the label in ``y``."""
        labels = np.asarray(y)
        if self.loss != "cross_entropy":
            raise ValueError("error_rate needs a classifier: loss must be 'cross_entropy'")
        if labels.shape != (len(X),):
            raise ValueError(f"y must hold one label per row of X, got shape {labels.shape}")
        return float(np.mean(self.predict(theta, X).argmax(axis=1) != labels))

    def _loss(self, o, y):
        """(mean loss, ∂loss/∂o for the mean, p = softmax(o) or None)."""
        B = o.shape[0]
        if self.loss == "mse":
            diff = o - y
            return 0.5 * float(np.sum(diff * diff)) / B, diff / B, None
        shifted = o - o.max(axis=1, keepdims=True)
        log_z = np.log(np.sum(np.exp(shifted), axis=1))
        rows = np.arange(B)
        p = np.exp(shifted - log_z[:, None])
        delta = p.copy()
        delta[rows, y] -= 1.0
        return float(np.mean(log_z - shifted[rows, y])), delta / B, p

    def _loss_hessian_product(self, u, p, B):
        """∇²ₒ(mean loss) u, row by row: u/B (mse) or (p ⊙ u − p(pᵀu))/B (cross-entropy)."""
        if p is None:
            return u / B
        return (p * u - p * np.sum(p * u, axis=1, keepdims=True)) / B

    def _backward(self, layers, cache, delta):
        """Jᵀ-style backpropagation of ∂/∂o = delta: the flat gradient (without the λ term)."""
        grads = [None] * len(layers)
        for j in range(len(layers) - 1, -1, -1):
            W, _ = layers[j]
            a_prev = cache[j][0]
            grads[j] = (delta.T @ a_prev, delta.sum(axis=0))
            if j > 0:
                delta = (delta @ W) * cache[j - 1][1]  # δₗ₋₁ = (Wₗᵀδₗ) ⊙ φ′(sₗ₋₁)
        return self.flatten(grads)

    def fun(self, theta, batch=None):
        X, y = self.rows(batch)
        o, _ = self._forward(self.unflatten(theta), X)
        return self._loss(o, y)[0] + 0.5 * self.l2 * float(theta @ theta)

    def fun_and_grad(self, theta, batch=None):
        X, y = self.rows(batch)
        layers = self.unflatten(theta)
        o, cache = self._forward(layers, X)
        value, delta, _ = self._loss(o, y)
        grad = self._backward(layers, cache, delta) + self.l2 * theta
        return value + 0.5 * self.l2 * float(theta @ theta), grad

    def grad(self, theta, batch=None):
        return self.fun_and_grad(theta, batch)[1]

    def _forward_r(self, layers, directions, cache):
        """The forward R pass: per layer R{aₗ₋₁} and R{sₗ}; returns (R{o}, list of both).
        R{a₀} = 0 (the input does not depend on θ) is stored as None, and its products skipped."""
        r_a, r_cache = None, []
        for j, ((W, _), (V, c)) in enumerate(zip(layers, directions, strict=True)):
            a_prev, d1, _ = cache[j]
            r_s = a_prev @ V.T + c  # R{sₗ} = Wₗ R{aₗ₋₁} + Vₗ aₗ₋₁ + cₗ
            if r_a is not None:
                r_s += r_a @ W.T
            r_cache.append((r_a, r_s))
            if d1 is not None:
                r_a = d1 * r_s  # R{aₗ} = φ′(sₗ) ⊙ R{sₗ}
        return r_cache[-1][1], r_cache

    def hessp(self, theta, v, batch=None):
        """∇²f(θ) v, exact, by the R-operator (Pearlmutter 1994)."""
        X, y = self.rows(batch)
        layers, directions = self.unflatten(theta), self.unflatten(np.asarray(v, dtype=float))
        o, cache = self._forward(layers, X)
        _, delta, p = self._loss(o, y)
        r_o, r_cache = self._forward_r(layers, directions, cache)
        r_delta = self._loss_hessian_product(r_o, p, o.shape[0])  # R{δ_L} = ∇²ₒℓ R{o}
        out = [None] * len(layers)
        for j in range(len(layers) - 1, -1, -1):
            (W, _), (V, _) = layers[j], directions[j]
            a_prev = cache[j][0]
            r_a_prev, _ = r_cache[j]
            r_grad_W = r_delta.T @ a_prev  # R{δₗᵀaₗ₋₁} = R{δₗ}ᵀaₗ₋₁ + δₗᵀR{aₗ₋₁}
            if r_a_prev is not None:
                r_grad_W += delta.T @ r_a_prev
            out[j] = (r_grad_W, r_delta.sum(axis=0))
            if j > 0:
                _, d1, d2 = cache[j - 1]
                r_s_prev = r_cache[j - 1][1]
                back = delta @ W  # Wₗᵀδₗ
                r_delta = (r_delta @ W + delta @ V) * d1 + back * d2 * r_s_prev
                delta = back * d1
        return self.flatten(out) + self.l2 * np.asarray(v, dtype=float)

    def gauss_newton_product(self, theta, v, batch=None):
        """G v = Jᵀ ∇²ₒℓ J v (+ λv), J = ∂o/∂θ: the Gauss–Newton (Fisher, for cross-entropy)
        curvature, positive semi-definite (Schraudolph 2002)."""
        X, y = self.rows(batch)
        layers, directions = self.unflatten(theta), self.unflatten(np.asarray(v, dtype=float))
        o, cache = self._forward(layers, X)
        _, _, p = self._loss(o, y)
        j_v, _ = self._forward_r(layers, directions, cache)  # J v = R{o}
        u = self._loss_hessian_product(j_v, p, o.shape[0])
        return self._backward(layers, cache, u) + self.l2 * np.asarray(v, dtype=float)


def two_spirals(n=200, noise=0.1, seed=0, turns=1.5):
    """Two interleaved spirals in the plane, one per class (Lang & Witbrock 1988).

    Class 0 lies on r = t, angle 2π·turns·t for t ∈ (0, 1]; class 1 is class 0 rotated by π.
    The t are uniform on (0.05, 1]; Gaussian noise of standard deviation ``noise``·r is added.

    Returns:
      The pair (X, y) of X, of shape (n, 2), and y, of shape (n,), with labels 0 and 1
      (n//2 and n − n//2).

    Example:
      >>> X, y = two_spirals(6, noise=0.0, seed=0)
      >>> X.shape, y.tolist()
      ((6, 2), [0, 0, 0, 1, 1, 1])
    """
    n = check_count(n, "n", 2)
    noise = float(noise)
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be finite and >= 0, got {noise}")
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], [n // 2, n - n // 2])
    t = rng.uniform(0.05, 1.0, n)
    angle = 2 * np.pi * turns * t + np.pi * y
    X = t[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    X += noise * t[:, None] * rng.standard_normal((n, 2))
    return X, y


def sine_regression(n=200, seed=0, noise=0.1):
    """A 1-D regression set: x uniform on [−π, π], y = sin x + ``noise``·N(0, 1).

    Returns:
      The pair (X, y) of X, of shape (n, 1), and y, of shape (n,).

    Example:
      >>> X, y = sine_regression(5, seed=0, noise=0.0)
      >>> bool(np.allclose(y, np.sin(X[:, 0])))
      True
    """
    n = check_count(n, "n", 1)
    noise = float(noise)
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be finite and >= 0, got {noise}")
    rng = np.random.default_rng(seed)
    x = rng.uniform(-np.pi, np.pi, n)
    return x[:, None], np.sin(x) + noise * rng.standard_normal(n)
