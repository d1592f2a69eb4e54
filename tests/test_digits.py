"""scikit-learn's digits as optlib loads them: the split, the scaling, and a network that learns."""

import numpy as np
import pytest

import optlib
from optlib.problems import MLP, digits


def test_the_split_covers_every_image_once_and_repeats_for_a_seed():
    X, y, X_test, y_test = digits(1500, seed=3)
    assert X.shape == (1500, 64) and X_test.shape == (297, 64)
    assert y.shape == (1500,) and y_test.shape == (297,)
    rows = {row.tobytes() for row in np.vstack([X, X_test])}
    assert len(rows) > 1700  # a few images repeat exactly in the set itself
    again = digits(1500, seed=3)
    assert all(np.array_equal(a, b) for a, b in zip((X, y, X_test, y_test), again, strict=True))
    assert not np.array_equal(digits(1500, seed=4)[1], y)


def test_pixels_lie_in_the_unit_interval_and_every_class_is_present():
    X, y, X_test, y_test = digits()
    assert X.min() == 0.0 and X.max() == 1.0 and X_test.max() <= 1.0
    assert set(y.tolist()) == set(y_test.tolist()) == set(range(10))


@pytest.mark.parametrize("n_train", [0, 1797, 2.5])
def test_a_split_that_leaves_a_set_empty_is_refused(n_train):
    with pytest.raises((ValueError, TypeError), match="n_train"):
        digits(n_train)


def test_a_small_network_learns_the_digits():
    X, y, X_test, y_test = digits(600, seed=0)
    net = MLP([64, 8, 10], X, y, loss="cross_entropy", l2=1e-4, seed=0)
    res = optlib.minimize(net, net.x0, method=optlib.methods.LBFGS(), max_iter=300)
    accuracy = np.mean(net.predict(res.x, X_test).argmax(axis=1) == y_test)
    assert accuracy > 0.9  # chance is 0.1
