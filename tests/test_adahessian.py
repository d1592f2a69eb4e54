"""AdaHessian (chapter 14): Hutchinson's estimator (unbiased, its exact variance, error ∝ 1/√N),
spatial averaging, the update against an independent implementation fed the same probes, the
Hessian power, counts, seeds, stochastic problems and bad input."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import optlib
from optlib.methods import AdaHessian
from optlib.methods.adahessian import block_average, hutchinson_diagonal
from optlib.problems import LogisticRegression, Quadratic, rare_features_data

seeds = st.integers(min_value=0, max_value=2**32 - 1)


def symmetric(n, seed):
    rng = np.random.default_rng(seed)
    B = rng.standard_normal((n, n))
    return B + B.T + np.diag(rng.uniform(2.0, 6.0, n))


def off_diagonal_variance(H):
    """Var[(z ⊙ Hz)ᵢ] = Σⱼ≠ᵢ Hᵢⱼ² for Rademacher z (14.8)."""
    return np.sum(H * H, axis=1) - np.diag(H) ** 2


# --- Hutchinson's estimator ----------------------------------------------------------------------


def test_hutchinson_is_exact_for_a_diagonal_matrix():
    d = np.array([3.0, -1.0, 0.5, 7.0])
    D = hutchinson_diagonal(lambda v: d * v, 4, 1, np.random.default_rng(0))
    np.testing.assert_array_equal(D, d)


def test_hutchinson_mean_and_variance_over_every_sign_vector():
    # all 2⁴ sign vectors are equally likely: the exact mean and variance of z ⊙ Hz
    H = symmetric(4, 1)
    samples = np.array([z * (H @ z) for z in itertools.product([-1.0, 1.0], repeat=4)])
    np.testing.assert_allclose(samples.mean(axis=0), np.diag(H), rtol=1e-14)
    np.testing.assert_allclose(samples.var(axis=0), off_diagonal_variance(H), rtol=1e-12)


def test_hutchinson_variance_measured_matches_the_formula():
    H = symmetric(6, 2)
    rng = np.random.default_rng(3)
    N = 20_000
    samples = np.array([hutchinson_diagonal(lambda v: H @ v, 6, 1, rng) for _ in range(N)])
    variance = off_diagonal_variance(H)
    np.testing.assert_allclose(samples.var(axis=0, ddof=1), variance, rtol=0.05)
    # the mean is within 4 standard errors of diag(H)
    assert np.all(np.abs(samples.mean(axis=0) - np.diag(H)) < 4 * np.sqrt(variance / N))
    # the probes really are Rademacher: every product z ⊙ Hz is one of the 2⁵ values per row
    assert np.all(
        np.isin(
            np.round(samples[:, 0] - H[0, 0], 9),
            np.round([np.dot(H[0, 1:], s) for s in itertools.product([-1.0, 1.0], repeat=5)], 9),
        )
    )


def test_hutchinson_error_shrinks_like_one_over_root_n():
    H = symmetric(8, 4)
    exact_mse = off_diagonal_variance(H).mean()  # E‖D_N − diag H‖²/n · N
    sizes = [1, 4, 16, 64, 256]
    rms = []
    for N in sizes:
        rng = np.random.default_rng(100 + N)
        errors = [hutchinson_diagonal(lambda v: H @ v, 8, N, rng) - np.diag(H) for _ in range(120)]
        mse = np.mean(np.square(errors))
        assert N * mse == pytest.approx(exact_mse, rel=0.2)  # variance / N, measured
        rms.append(np.sqrt(mse))
    slope = np.polyfit(np.log(sizes), np.log(rms), 1)[0]
    assert slope == pytest.approx(-0.5, abs=0.05)


def test_hutchinson_uses_n_samples_products():
    calls = []
    hutchinson_diagonal(lambda v: calls.append(v.copy()) or v, 5, 7, np.random.default_rng(0))
    assert len(calls) == 7
    assert all(set(np.unique(z)) <= {-1.0, 1.0} for z in calls)


# --- spatial averaging ---------------------------------------------------------------------------


def test_block_average_by_hand():
    D = np.array([1.0, 3.0, 5.0, 7.0, 9.0])
    np.testing.assert_array_equal(block_average(D, 1), D)
    np.testing.assert_array_equal(block_average(D, 2), [2.0, 2.0, 6.0, 6.0, 9.0])  # last short
    np.testing.assert_array_equal(block_average(D, 5), np.full(5, 5.0))
    np.testing.assert_array_equal(block_average(D, 8), np.full(5, 5.0))
    # signed, as the paper's eq. 10: opposite signs in a block cancel
    np.testing.assert_array_equal(block_average(np.array([2.0, -2.0, 1.0]), 3), np.zeros(3) + 1 / 3)


# --- the update ----------------------------------------------------------------------------------


class RecordingQuadratic(Quadratic):
    """A quadratic that records every probe vector its Hessian-vector product is given."""

    def __init__(self, A, b=None):
        super().__init__(A, b)
        self.probes = []

    def hessp(self, x, v):
        self.probes.append(np.array(v))
        return super().hessp(x, v)


def adahessian_reference(A, b, x0, probes, steps, lr, betas, eps, k, block, samples):
    """Algorithm 1 of Yao et al. (with ε added as in their code), written independently."""
    x = np.array(x0, dtype=float)
    m = np.zeros_like(x)
    v = np.zeros_like(x)
    xs = [x.copy()]
    n = x.size
    for t in range(1, steps + 1):
        g = A @ x - b
        zs = probes[(t - 1) * samples : t * samples]
        D = np.mean([z * (A @ z) for z in zs], axis=0)
        Ds = np.array([D[(i // block) * block : (i // block + 1) * block].mean() for i in range(n)])
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * Ds**2
        m_hat = m / (1 - betas[0] ** t)
        v_hat = v / (1 - betas[1] ** t)
        x = x - lr * m_hat / (np.sqrt(v_hat) ** k + eps)
        xs.append(x.copy())
    return np.array(xs)


@settings(max_examples=30, deadline=None)
@given(
    seed=seeds,
    lr=st.floats(0.01, 0.5),
    beta1=st.sampled_from([0.0, 0.5, 0.9]),
    beta2=st.sampled_from([0.0, 0.9, 0.999]),
    eps=st.sampled_from([1e-8, 1e-4, 0.1]),
    k=st.sampled_from([0.0, 0.5, 1.0]),
    block=st.integers(1, 4),
    samples=st.integers(1, 3),
)
def test_adahessian_matches_an_independent_implementation(
    seed, lr, beta1, beta2, eps, k, block, samples
):
    n = 7
    A = symmetric(n, seed % 1000)
    b = np.random.default_rng(seed).standard_normal(n)
    p = RecordingQuadratic(A, b)
    x0 = np.ones(n)
    method = AdaHessian(lr, (beta1, beta2), eps, k, block, samples)
    steps = 20
    res = optlib.minimize(p, x0, method=method, max_iter=steps, gtol=0, seed=seed)
    assert res.nit == steps and len(p.probes) == steps * samples
    ref = adahessian_reference(
        A, b, x0, p.probes, steps, lr, (beta1, beta2), eps, k, block, samples
    )
    np.testing.assert_allclose(res.history.x, ref, rtol=1e-10, atol=1e-10)


@settings(max_examples=30, deadline=None)
@given(k=st.floats(0.0, 1.0), lr=st.floats(0.01, 1.0))
def test_first_step_on_a_diagonal_quadratic_is_lr_g_over_d_to_the_k(k, lr):
    d = np.array([0.5, 4.0, 100.0])
    p = Quadratic(np.diag(d))
    x0 = np.array([1.0, -2.0, 0.5])
    res = optlib.minimize(p, x0, method=AdaHessian(lr=lr, hessian_power=k), max_iter=1)
    # bias correction makes m̂₁ = g and v̂₁ = D², and D = diag exactly
    np.testing.assert_allclose(res.x, x0 - lr * (d * x0) / (d**k + 1e-4), rtol=1e-13, atol=1e-14)


def test_hessian_power_zero_is_bias_corrected_momentum():
    A = symmetric(4, 5)
    p = Quadratic(A)
    x0 = np.ones(4)
    res = optlib.minimize(p, x0, method=AdaHessian(lr=0.01, hessian_power=0), max_iter=5, gtol=0)
    x, m = x0.copy(), np.zeros(4)
    for t in range(1, 6):
        m = 0.9 * m + 0.1 * (A @ x)
        x = x - 0.01 * m / (1 - 0.9**t) / (1 + 1e-4)
    np.testing.assert_allclose(res.x, x, rtol=1e-12)


def test_counts_seeds_and_convergence():
    A = np.diag([1.0, 10.0, 100.0]) + 0.3 * (np.ones((3, 3)) - np.eye(3))
    p = Quadratic(A, np.ones(3))
    method = AdaHessian(n_samples=2)
    res = optlib.minimize(p, np.zeros(3), method=method, max_iter=2000, gtol=1e-6, seed=1)
    assert res.success
    np.testing.assert_allclose(res.x, p.x_star, atol=1e-5)
    assert res.nhev == 2 * res.nit and res.nfev == res.njev == res.nit + 1
    again = optlib.minimize(p, np.zeros(3), method=method, max_iter=50, gtol=0, seed=1)
    np.testing.assert_array_equal(again.history.x, res.history.x[:51])
    other = optlib.minimize(p, np.zeros(3), method=method, max_iter=50, gtol=0, seed=2)
    assert not np.array_equal(other.x, again.x)  # the probes come from the run's seed


def test_adahessian_trains_a_stochastic_logistic_regression():
    X, y, _ = rare_features_data(400, 3, 10, 0.1, seed=0)
    p = LogisticRegression(X, y, batch_size=32, l2=1e-3)
    full = LogisticRegression(X, y, l2=1e-3)
    w0 = np.zeros(p.n)
    res = optlib.minimize(p, w0, method=AdaHessian(lr=0.1), max_iter=300, gtol=0, seed=0)
    assert res.nit == 300 and res.nhev == 300
    assert full.fun(res.x) < 0.75 * full.fun(w0)


# --- names, needs and bad input -------------------------------------------------------------------


def test_names_and_needs():
    assert isinstance(optlib.methods.by_name("AdaHessian"), AdaHessian)
    f = optlib.Problem(lambda x: float(x @ x), grad=lambda x: 2 * x)
    with pytest.raises(ValueError, match="needs Hessian-vector products"):
        optlib.minimize(f, [1.0], method=AdaHessian())


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"lr": 0.0}, ValueError, "lr must be a finite number > 0"),
        ({"betas": (0.9, 1.0)}, ValueError, r"betas\[1\] must lie in \[0, 1\)"),
        ({"betas": (-0.1, 0.9)}, ValueError, r"betas\[0\] must lie in \[0, 1\)"),
        ({"betas": 0.9}, TypeError, r"betas must be a pair \(beta1, beta2\)"),
        ({"eps": -1e-4}, ValueError, "eps must be a finite number >= 0"),
        ({"hessian_power": 1.5}, ValueError, r"hessian_power must lie in \[0, 1\]"),
        ({"hessian_power": -0.5}, ValueError, "hessian_power must be a finite number >= 0"),
        ({"block_size": 0}, ValueError, "block_size must be a whole number >= 1"),
        ({"n_samples": 2.0}, TypeError, "n_samples must be a whole number"),
        ({"n_samples": True}, TypeError, "n_samples must be a whole number"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        AdaHessian(**kwargs)
