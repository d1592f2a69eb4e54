"""scikit-learn's digits as optlib loads them: the split, the scaling, and a network that learns."""

import numpy as np
import pytest

import optlib
from optlib.problems import MLP, digits, digits_mlp


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


def test_the_books_network_trains_on_the_split_of_seed_0_and_counts_its_errors():
    net = digits_mlp(hidden=8, batch_size=32, seed=5)
    X, y, X_test, y_test = digits(1200, seed=0)
    assert np.array_equal(net.X, X) and np.array_equal(net.y_test, y_test)
    assert net.layer_sizes == (64, 8, 10) and net.batch_size == 32
    assert not np.array_equal(net.x0, digits_mlp(hidden=8, seed=6).x0)
    theta = optlib.minimize(
        net,
        net.x0,
        method=optlib.methods.Momentum(lr=0.1, momentum=0.9),
        max_iter=300,
        gtol=0.0,
        seed=0,
    ).x
    by_hand = np.mean(net.predict(theta, X_test).argmax(axis=1) != y_test)
    assert net.error_rate(theta, X_test, y_test) == by_hand < 0.2


def test_error_rate_refuses_labels_that_do_not_match_and_a_regression_network():
    net = digits_mlp(hidden=4)
    with pytest.raises(ValueError, match="y must"):
        net.error_rate(net.x0, net.X_test, net.y_test[:-1])
    regression = MLP([64, 1], net.X, net.y.astype(float))
    with pytest.raises(ValueError, match="loss"):
        regression.error_rate(regression.x0, net.X_test, net.y_test)
