"""Real data without a download: scikit-learn's handwritten digits.

``load_digits`` ships with scikit-learn: 1797 grey-scale images of 8×8 pixels of the digits 0–9,
written by 43 people (the UCI "Optical Recognition of Handwritten Digits" set, Alpaydin & Kaynak
1998), each pixel a count 0–16. This scales the pixels to [0, 1] and splits the images at random
into a training and a test set, the same split for the same seed.
"""

from __future__ import annotations

import numpy as np

from optlib.checks import check_count
from optlib.problems.mlp import MLP

__all__ = ["digits", "digits_mlp"]

#: Number of images in scikit-learn's digits set.
N_DIGITS = 1797


def digits(n_train=1200, seed=0):
    """The digits as (X_train, y_train, X_test, y_test).

    Args:
      n_train: how many of the 1797 images go to the training set (1 ≤ n_train < 1797); the
        others form the test set.
      seed: seeds the random split.

    Returns:
      X_train, of shape (n_train, 64), and X_test, of shape (1797 − n_train, 64), with pixels in
      [0, 1]; y_train and y_test, the labels 0–9 as integers.

    Example:
      >>> X, y, X_test, y_test = digits(1200, seed=0)
      >>> X.shape, X_test.shape, float(X.min()), float(X.max()), sorted(set(y.tolist()))[:3]
      ((1200, 64), (597, 64), 0.0, 1.0, [0, 1, 2])
    """
    from sklearn.datasets import load_digits

    n_train = check_count(n_train, "n_train", 1, N_DIGITS - 1)
    data = load_digits()
    order = np.random.default_rng(seed).permutation(N_DIGITS)
    train, test = order[:n_train], order[n_train:]
    X = data.data / 16.0
    return X[train], data.target[train], X[test], data.target[test]


def digits_mlp(hidden=16, batch_size=None, seed=0, l2=1e-4, activation="tanh", n_train=1200):
    """The book's small network: a 64-``hidden``-10 MLP with softmax cross-entropy on digits.

    It trains on the first part of ``digits(n_train, seed=0)`` (the same split whatever the
    network's ``seed``); the held-out images are the problem's ``X_test`` and ``y_test``, to
    measure the test error with ``net.error_rate(theta, net.X_test, net.y_test)``.

    Args:
      hidden: the width of the hidden layer.
      batch_size: images per minibatch (a stochastic problem), or None for full batches.
      seed: seeds the initial parameters ``x0``.
      l2: the weight-decay coefficient λ ≥ 0.
      activation: the hidden units' φ (``"tanh"``, ``"sigmoid"`` or ``"relu"``).
      n_train: the size of the training set.

    Example:
      >>> net = digits_mlp(batch_size=32, seed=1)
      >>> net.n, net.n_samples, net.X_test.shape, net.stochastic
      (1210, 1200, (597, 64), True)
      >>> round(net.error_rate(net.x0, net.X_test, net.y_test), 2)   # about 9 in 10 at random
      0.9
    """
    X, y, X_test, y_test = digits(n_train, seed=0)
    net = MLP(
        [64, hidden, 10],
        X,
        y,
        loss="cross_entropy",
        activation=activation,
        batch_size=batch_size,
        l2=l2,
        seed=seed,
    )
    net.X_test, net.y_test = X_test, y_test
    return net
