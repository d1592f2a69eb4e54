"""Logistic regression, the MLP and the noisy quadratic: exact derivatives against finite
differences and against independent formulas, minibatches, the rare-features data set, the MLP's
symmetries, and the noisy quadratic's noise."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize as scipy_minimize

import optlib
from optlib.methods import GradientDescent
from optlib.problems import (
    MLP,
    LogisticRegression,
    NoisyQuadratic,
    rare_features_data,
    sine_regression,
    two_spirals,
)


def fd_gradient(fun, x, h=1e-6):
    return np.array([(fun(x + h * e) - fun(x - h * e)) / (2 * h) for e in np.eye(x.size)])


def fd_directional(grad, x, v, h=1e-6):
    return (grad(x + h * v) - grad(x - h * v)) / (2 * h)


def relative_error(a, b):
    return np.linalg.norm(a - b) / np.linalg.norm(b)


def hessian_from_products(hessp, n):
    return np.column_stack([hessp(e) for e in np.eye(n)])


# --- logistic regression -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rare():
    return rare_features_data(1000, 5, 50, 0.01, seed=0)


def test_logistic_loss_is_the_bernoulli_negative_log_likelihood(rare):
    X, y, _ = rare
    p = LogisticRegression(X, y, l2=0.1)
    w = np.random.default_rng(0).standard_normal(p.n)
    prob = 1 / (1 + np.exp(-(X @ w)))
    nll = -np.mean(y * np.log(prob) + (1 - y) * np.log(1 - prob))
    assert p.fun(w) == pytest.approx(nll + 0.05 * w @ w, rel=1e-12)
    # huge margins do not overflow: log(1 + e^z) is computed as logaddexp(0, z)
    assert np.isfinite(p.fun(1e4 * w)) and np.all(np.isfinite(p.grad(1e4 * w)))


@pytest.mark.parametrize("batch", [None, np.arange(0, 1000, 7)])
def test_logistic_gradient_and_hessian_products_match_finite_differences(rare, batch):
    X, y, _ = rare
    p = LogisticRegression(X, y, batch_size=None if batch is None else batch.size, l2=1e-3)
    rng = np.random.default_rng(1)
    w, v = rng.standard_normal(p.n), rng.standard_normal(p.n)
    g = p.grad(w, batch=batch)
    assert relative_error(g, fd_gradient(lambda u: p.fun(u, batch=batch), w)) < 1e-7
    hv = p.hessp(w, v, batch=batch)
    assert relative_error(hv, fd_directional(lambda u: p.grad(u, batch=batch), w, v)) < 1e-7
    fun, grad = p.fun_and_grad(w, batch=batch)
    assert fun == p.fun(w, batch=batch) and np.array_equal(grad, g)
    H = hessian_from_products(lambda e: p.hessp(w, e, batch=batch), p.n)
    np.testing.assert_allclose(H, H.T, atol=1e-14)
    assert np.linalg.eigvalsh(H).min() >= 1e-3 - 1e-12  # convex: H ⪰ λI
    np.testing.assert_allclose(p.hess(w, batch=batch), H, rtol=1e-12, atol=1e-15)


def test_newton_on_logistic_regression_is_irls(rare):
    """Newton's step solves the weighted least-squares problem of IRLS: with D = σ(1 − σ) and
    the working response u = Xw − (σ − y)/D, (XᵀDX/N + λI) w₊ = XᵀDu/N."""
    X, y, _ = rare
    p = LogisticRegression(X, y, l2=1e-3)
    w = np.random.default_rng(2).standard_normal(p.n) * 0.1
    res = optlib.minimize(p, w, method=optlib.methods.Newton(line_search=None), max_iter=1)
    s = 1 / (1 + np.exp(-(X @ w)))
    D = s * (1 - s)
    u = X @ w - (s - y) / D
    irls = np.linalg.solve((X.T * D) @ X / len(y) + 1e-3 * np.eye(p.n), X.T @ (D * u) / len(y))
    np.testing.assert_allclose(res.x, irls, rtol=1e-9)
    assert res.nhev == 1


def test_a_minibatch_loss_is_the_mean_over_its_rows(rare):
    X, y, _ = rare
    p = LogisticRegression(X, y, batch_size=16)
    w = np.random.default_rng(2).standard_normal(p.n)
    batch = p.sample_batch(np.random.default_rng(3))
    assert batch.shape == (16,) and np.unique(batch).size == 16
    assert 0 <= batch.min() and batch.max() < 1000
    per_row = [p.fun(w, batch=[i]) for i in batch]
    assert p.fun(w, batch=batch) == pytest.approx(np.mean(per_row), rel=1e-13)
    np.testing.assert_array_equal(batch, p.sample_batch(np.random.default_rng(3)))


def test_stochastic_runs_draw_from_the_seed(rare):
    X, y, _ = rare
    p = LogisticRegression(X, y, batch_size=32)
    assert p.stochastic and not LogisticRegression(X, y).stochastic
    method = optlib.methods.GradientDescent(lr=0.5)

    def run(seed):
        return optlib.minimize(p, np.zeros(p.n), method=method, max_iter=30, gtol=0.0, seed=seed)

    first, again, other = run(0), run(0), run(1)
    np.testing.assert_array_equal(first.x, again.x)
    assert not np.array_equal(first.x, other.x)
    assert LogisticRegression(X, y).fun(first.x) < np.log(2)
    with pytest.raises(NotImplementedError, match="not stochastic"):
        LogisticRegression(X, y).sample_batch(np.random.default_rng(0))


def test_rare_features_are_rare_and_informative(rare):
    X, y, w_true = rare
    assert X.shape == (1000, 55) and set(np.unique(y)) == {0.0, 1.0}
    frequency = X[:, 5:].mean(axis=0)
    assert 0.007 < frequency.mean() < 0.013 and frequency.max() < 0.03  # each ≈ 1 %
    assert np.all(np.abs(X[:, :5]) > 0)  # common features are in every sample
    assert np.array_equal(np.unique(X[:, 5:]), [0.0, 1.0])
    # informative: the fitted weights of the rare features have the true weights' signs
    p = LogisticRegression(X, y, l2=1e-3)
    w_fit = scipy_minimize(p.fun, np.zeros(p.n), jac=p.grad, method="BFGS").x
    assert np.mean(np.sign(w_fit[5:]) == np.sign(w_true[5:])) >= 0.95
    # a minibatch without a rare feature gives that feature a zero gradient coordinate
    q = LogisticRegression(X, y, batch_size=32)
    batch = q.sample_batch(np.random.default_rng(5))
    absent = np.flatnonzero(X[batch, 5:].sum(axis=0) == 0) + 5
    assert absent.size > 30 and not q.grad(w_fit, batch=batch)[absent].any()


def test_adagrad_learns_the_rare_features_faster_than_sgd(rare):
    # the book's chapter-6 claim on this data: per-coordinate steps reach the rare weights first
    X, y, _ = rare
    w_best = scipy_minimize(
        LogisticRegression(X, y, l2=1e-3).fun,
        np.zeros(55),
        jac=LogisticRegression(X, y, l2=1e-3).grad,
        method="BFGS",
    ).x
    p = LogisticRegression(X, y, batch_size=32, l2=1e-3)

    def rare_error(adagrad, lr):
        rng, w, squares = np.random.default_rng(0), np.zeros(p.n), np.zeros(p.n)
        for _ in range(300):
            g = p.grad(w, batch=p.sample_batch(rng))
            if adagrad:
                squares += g * g
                w -= lr * g / (np.sqrt(squares) + 1e-10)
            else:
                w -= lr * g
        return relative_error(w[5:], w_best[5:])

    adagrad = rare_error(True, 0.5)
    assert adagrad < 0.25
    assert adagrad < 0.5 * rare_error(False, 0.5) and adagrad < 0.8 * rare_error(False, 2.0)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"y": np.full(10, 2.0)}, ValueError, "y must hold labels 0 and 1"),
        ({"batch_size": 0}, ValueError, "batch_size must be a whole number >= 1"),
        ({"batch_size": 11}, ValueError, "batch_size must be a whole number >= 1 and <= 10"),
        ({"batch_size": 2.5}, TypeError, "batch_size must be a whole number"),
        ({"l2": -1.0}, ValueError, "l2 must be finite and >= 0"),
        ({"X": np.ones(10)}, ValueError, "X must be a 2-D array"),
    ],
)
def test_logistic_rejects_bad_arguments(kwargs, error, match):
    arguments = {"X": np.ones((10, 2)), "y": np.zeros(10)} | kwargs
    with pytest.raises(error, match=match):
        LogisticRegression(**arguments)


def test_rare_features_data_rejects_bad_arguments():
    with pytest.raises(ValueError, match="rare_probability must be in"):
        rare_features_data(10, 1, 1, 0.0)
    with pytest.raises(ValueError, match="at least 1"):
        rare_features_data(10, 0, 0)
    with pytest.raises(ValueError, match="n_samples must be a whole number >= 1"):
        rare_features_data(0)


# --- the MLP -------------------------------------------------------------------------------------

CASES = [
    ("cross_entropy", "tanh", [2, 5, 4, 3]),
    ("cross_entropy", "relu", [2, 6, 2]),
    ("mse", "tanh", [1, 6, 5, 1]),
    ("mse", "sigmoid", [1, 4, 2]),
]


def make_net(loss, activation, sizes, l2=0.01, batch_size=None, n=30):
    if loss == "cross_entropy":
        X, y = two_spirals(n, noise=0.1, seed=0)
        y = y + (np.arange(n) % 3 == 0) * (sizes[-1] > 2)  # a third class if there is room
    else:
        X, y = sine_regression(n, seed=1)
        if sizes[-1] == 2:
            y = np.column_stack([y, np.cos(X[:, 0])])
    return MLP(sizes, X, y, loss=loss, activation=activation, l2=l2, batch_size=batch_size, seed=1)


def random_point(net, seed=0):
    rng = np.random.default_rng(seed)
    return net.x0 + 0.3 * rng.standard_normal(net.n), rng.standard_normal(net.n)


@pytest.mark.parametrize(("loss", "activation", "sizes"), CASES)
def test_backprop_gradient_matches_finite_differences(loss, activation, sizes):
    net = make_net(loss, activation, sizes)
    theta, _ = random_point(net)
    assert relative_error(net.grad(theta), fd_gradient(net.fun, theta)) < 1e-7
    fun, grad = net.fun_and_grad(theta)
    assert fun == net.fun(theta) and np.array_equal(grad, net.grad(theta))


@pytest.mark.parametrize(("loss", "activation", "sizes"), CASES)
def test_r_operator_is_the_exact_hessian_product(loss, activation, sizes):
    net = make_net(loss, activation, sizes)
    theta, v = random_point(net)
    hv = net.hessp(theta, v)
    assert relative_error(hv, fd_directional(net.grad, theta, v, h=1e-5)) < 1e-6
    H = hessian_from_products(lambda e: net.hessp(theta, e), net.n)
    # built column by column, the Hessian is symmetric (an independent check of the R pass)
    assert np.abs(H - H.T).max() <= 1e-12 * np.abs(H).max()
    np.testing.assert_allclose(H @ v, hv, rtol=1e-10, atol=1e-12)
    # and it is the finite-difference Hessian, column by column
    H_fd = np.column_stack([fd_directional(net.grad, theta, e, h=1e-5) for e in np.eye(net.n)])
    assert np.abs(H - H_fd).max() <= 1e-6 * np.abs(H).max()


def output_jacobian(net, theta, h=1e-6):
    """∂o/∂θ by central differences: shape (N·K, n)."""
    columns = [
        (net.predict(theta + h * e) - net.predict(theta - h * e)).ravel() / (2 * h)
        for e in np.eye(net.n)
    ]
    return np.column_stack(columns)


@pytest.mark.parametrize(("loss", "activation", "sizes"), CASES)
def test_gauss_newton_product_is_jt_hl_j_and_positive_semidefinite(loss, activation, sizes):
    net = make_net(loss, activation, sizes, l2=0.0, n=12)
    theta, v = random_point(net, seed=3)
    J = output_jacobian(net, theta)
    o = net.predict(theta)
    N, K = o.shape
    if loss == "mse":
        H_loss = np.eye(N * K) / N
    else:
        p = np.exp(o - o.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        blocks = [np.diag(row) - np.outer(row, row) for row in p]
        H_loss = np.zeros((N * K, N * K))  # block-diagonal, one K×K block per row
        for i, block in enumerate(blocks):
            H_loss[i * K : (i + 1) * K, i * K : (i + 1) * K] = block / N
    explicit = J.T @ (H_loss @ (J @ v))
    gv = net.gauss_newton_product(theta, v)
    assert relative_error(gv, explicit) < 1e-6
    G = hessian_from_products(lambda e: net.gauss_newton_product(theta, e), net.n)
    assert np.abs(G - G.T).max() <= 1e-12 * np.abs(G).max()
    assert np.linalg.eigvalsh(0.5 * (G + G.T)).min() >= -1e-12 * np.abs(G).max()
    rng = np.random.default_rng(4)
    assert all(
        u @ net.gauss_newton_product(theta, u) >= 0 for u in rng.standard_normal((20, net.n))
    )
    # for mse with a linear net (no hidden layer) the Hessian is the Gauss–Newton matrix
    if loss == "mse":
        X, y = sine_regression(12, seed=1)
        linear = MLP([1, 1], X, y, seed=0)
        t, u = np.array([0.3, -0.2]), np.array([1.0, 2.0])
        np.testing.assert_allclose(linear.gauss_newton_product(t, u), linear.hessp(t, u))


@pytest.mark.parametrize(("loss", "activation", "sizes"), CASES)
def test_permuting_hidden_units_leaves_the_loss_unchanged(loss, activation, sizes):
    net = make_net(loss, activation, sizes)
    theta, _ = random_point(net)
    layers = [(W.copy(), b.copy()) for W, b in net.unflatten(theta)]
    rng = np.random.default_rng(6)
    for k in range(len(layers) - 1):  # each hidden layer: its rows and the next layer's columns
        perm = rng.permutation(layers[k][0].shape[0])
        assert not np.array_equal(perm, np.arange(perm.size))
        W, b = layers[k]
        layers[k] = (W[perm], b[perm])
        layers[k + 1] = (layers[k + 1][0][:, perm], layers[k + 1][1])
    permuted = net.flatten(layers)
    assert not np.array_equal(permuted, theta)
    # equal up to the order of the floating-point sums in the next layer (a few ulps)
    assert net.fun(permuted) == pytest.approx(net.fun(theta), rel=1e-14, abs=0)
    np.testing.assert_allclose(net.predict(permuted), net.predict(theta), rtol=1e-13, atol=1e-15)


def test_mlp_minibatches_are_the_loss_on_those_rows():
    X, y = two_spirals(60, noise=0.1, seed=2)
    net = MLP([2, 6, 2], X, y, loss="cross_entropy", batch_size=10, seed=0)
    assert net.stochastic
    batch = net.sample_batch(np.random.default_rng(0))
    assert batch.shape == (10,) and np.unique(batch).size == 10
    sub = MLP([2, 6, 2], X[batch], y[batch], loss="cross_entropy", seed=0)
    theta, v = random_point(net)
    assert net.fun(theta, batch=batch) == pytest.approx(sub.fun(theta), rel=1e-14)
    np.testing.assert_allclose(net.grad(theta, batch=batch), sub.grad(theta), rtol=1e-12)
    np.testing.assert_allclose(net.hessp(theta, v, batch=batch), sub.hessp(theta, v), rtol=1e-12)
    np.testing.assert_allclose(
        net.gauss_newton_product(theta, v, batch=batch), sub.gauss_newton_product(theta, v)
    )
    res = optlib.minimize(
        net, net.x0, method=optlib.methods.GradientDescent(lr=0.2), max_iter=100, gtol=0.0, seed=0
    )
    full = MLP([2, 6, 2], X, y, loss="cross_entropy")  # the loss on all the rows
    assert res.nit == 100 and res.minibatch and res.full_evals == 1
    assert res.fun == full.fun(res.x) < full.fun(net.x0)


def test_the_spirals_are_learnable():
    X, y = two_spirals(200, noise=0.05, seed=0)
    net = MLP([2, 16, 16, 2], X, y, loss="cross_entropy", seed=0)
    res = scipy_minimize(net.fun, net.x0, jac=net.grad, method="L-BFGS-B", options={"maxiter": 800})
    accuracy = np.mean(np.argmax(net.predict(res.x), axis=1) == y)
    assert accuracy >= 0.95
    # and a linear classifier cannot separate them
    flat = MLP([2, 2], X, y, loss="cross_entropy", seed=0)
    res = scipy_minimize(flat.fun, flat.x0, jac=flat.grad, method="L-BFGS-B")
    assert np.mean(np.argmax(flat.predict(res.x), axis=1) == y) < 0.75


def test_init_params_is_a_standard_initialisation():
    X, y = sine_regression(10, seed=0)
    net = MLP([1, 400, 300, 1], X, y, seed=0)
    (W1, b1), (W2, b2), _ = net.unflatten(net.x0)
    assert np.abs(W2).max() <= np.sqrt(6 / 700) and np.abs(W2).max() > 0.95 * np.sqrt(6 / 700)
    assert not b1.any() and not b2.any()
    np.testing.assert_array_equal(net.x0, MLP([1, 400, 300, 1], X, y, seed=0).x0)
    relu = MLP([1, 400, 300, 1], X, y, activation="relu", seed=0)
    W2 = relu.unflatten(relu.x0)[1][0]
    assert W2.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    np.testing.assert_array_equal(net.flatten(net.unflatten(net.x0)), net.x0)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"layer_sizes": [3, 4, 1]}, ValueError, r"X must have shape \(N, 3\)"),
        ({"layer_sizes": [1]}, ValueError, "layer_sizes must have at least 2 entries"),
        ({"layer_sizes": [1, 0, 1]}, ValueError, r"layer_sizes\[i\] must be a whole number >= 1"),
        ({"loss": "hinge"}, ValueError, "loss must be one of"),
        ({"activation": "gelu"}, ValueError, "activation must be one of"),
        ({"loss": "cross_entropy"}, ValueError, "must be >= 2 for cross_entropy"),
        ({"y": np.ones((10, 2))}, ValueError, r"y must have shape \(10, 1\)"),
        ({"batch_size": 11}, ValueError, "batch_size must be a whole number >= 1 and <= 10"),
        ({"l2": np.nan}, ValueError, "l2 must be finite"),
    ],
)
def test_mlp_rejects_bad_arguments(kwargs, error, match):
    X, y = sine_regression(10, seed=0)
    arguments = {"layer_sizes": [1, 4, 1], "X": X, "y": y} | kwargs
    with pytest.raises(error, match=match):
        MLP(**arguments)


def test_mlp_rejects_labels_outside_the_classes():
    X, y = two_spirals(10, seed=0)
    with pytest.raises(ValueError, match="class labels in 0…1"):
        MLP([2, 3, 2], X, y + 1, loss="cross_entropy")
    with pytest.raises(ValueError, match="class labels"):
        MLP([2, 3, 2], X, y - 0.5, loss="cross_entropy")


# --- the noisy quadratic -------------------------------------------------------------------------


def test_noisy_quadratic_gradients_are_unbiased_with_the_stated_variance():
    p = NoisyQuadratic([2.0, 0.5], sigma2=[1.0, 4.0])
    x = np.array([0.3, -1.0])
    rng = np.random.default_rng(0)
    grads = np.array([p.grad(x, batch=p.sample_batch(rng)) for _ in range(40_000)])
    spread = np.sqrt(p.lam**2 * p.sigma2 / len(grads))  # standard error of the mean
    assert np.all(np.abs(grads.mean(axis=0) - p.grad(x)) < 4 * spread)
    np.testing.assert_allclose(grads.var(axis=0), p.lam**2 * p.sigma2, rtol=0.03)
    batch = p.sample_batch(rng)
    assert p.fun(x, batch) == pytest.approx(0.5 * p.lam @ (x - batch) ** 2)
    assert p.fun(x) == pytest.approx(0.5 * p.lam @ (x**2 + p.sigma2))  # E f(x; c)
    np.testing.assert_allclose(p.grad(x), fd_gradient(p.fun, x), atol=1e-8)


def test_sgd_on_the_noisy_quadratic_settles_at_its_stationary_variance():
    """One coordinate: xₙ₊₁ = (1 − αλ)xₙ + αλc, whose variance tends to αλσ²/(2 − αλ)."""
    lam, sigma2, lr = np.array([1.0, 0.1]), np.array([1.0, 1.0]), 0.5
    res = optlib.minimize(
        NoisyQuadratic(lam, sigma2),
        np.zeros(2),
        method=GradientDescent(lr=lr),
        max_iter=60_000,
        gtol=0,
        seed=3,
    )
    measured = np.mean(res.history.x[1000:] ** 2, axis=0)
    np.testing.assert_allclose(measured, lr * lam * sigma2 / (2 - lr * lam), rtol=0.1)
    assert res.minibatch and res.status == 1
    assert res.fun == pytest.approx(0.5 * lam @ (res.x**2 + sigma2))  # F, not one draw's f


def test_noisy_quadratic_runs_draw_from_the_seed():
    p, method = NoisyQuadratic([1.0, 0.1], sigma2=1.0), GradientDescent(lr=0.5)
    runs = [
        optlib.minimize(p, np.zeros(2), method=method, max_iter=20, gtol=0, seed=seed)
        for seed in (4, 4, 5)
    ]
    np.testing.assert_array_equal(runs[0].history.x, runs[1].history.x)
    assert not np.array_equal(runs[0].history.x, runs[2].history.x)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"lam": [1.0, 0.0], "sigma2": 1.0}, "lam"),
        ({"lam": [1.0, -2.0], "sigma2": 1.0}, "lam"),
        ({"lam": [1.0, 2.0], "sigma2": [1.0, -1.0]}, "sigma2"),
        ({"lam": [1.0, 2.0], "sigma2": [1.0, 1.0, 1.0]}, "sigma2"),
        ({"lam": [1.0, np.nan], "sigma2": 1.0}, "lam"),
    ],
)
def test_noisy_quadratic_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        NoisyQuadratic(**kwargs)
