"""Real data without a download: scikit-learn's handwritten digits.

``load_digits`` ships with scikit-learn: 1797 grey-scale images of 8×8 pixels of the digits 0–9,
written by 43 people (the UCI "Optical Recognition of Handwritten Digits" set, Alpaydin & Kaynak
1998), each pixel a count 0–16. This scales the pixels to [0, 1] and splits the images at random
into a training and a test set, the same split for the same seed.
"""

from __future__ import annotations

import numpy as np

from optlib.checks import check_count

__all__ = ["digits"]

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
