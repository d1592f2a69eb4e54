"""Gradient descent: the closed forms of chapter 2, the line-search variants and the arguments."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import rosen, rosen_der

import optlib
from optlib.methods import GradientDescent
from optlib.problems import Quadratic, Rosenbrock
from optlib.spectral import gd_closed_form

seeds = st.integers(min_value=0, max_value=2**32 - 1)


def independent_iterates(Q, lam, alpha, theta0, theta_star, nit):
    """θₖ = θ* + Q(I − αΛ)ᵏQᵀ(θ₀ − θ*) for k = 0..nit, by repeated matrix powers."""
    contraction = np.diag(1.0 - alpha * lam)
    rows = [
        theta_star + Q @ np.linalg.matrix_power(contraction, k) @ Q.T @ (theta0 - theta_star)
        for k in range(nit + 1)
    ]
    return np.array(rows)


# --- fixed step on a quadratic: eq. (2.4) ---------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 8),
    seed=seeds,
    step_fraction=st.floats(0.05, 1.95),
    max_iter=st.integers(1, 60),
    with_b=st.booleans(),
)
def test_fixed_step_iterates_match_the_spectral_closed_form(
    spd, n, seed, step_fraction, max_iter, with_b
):
    A, Q, lam = spd(n, seed)
    rng = np.random.default_rng(seed + 1)
    theta0 = rng.standard_normal(n)
    b = rng.standard_normal(n) if with_b else None
    alpha = step_fraction / lam.max()  # 0 < αλᵢ < 2: every mode contracts

    res = optlib.minimize(
        Quadratic(A, b), theta0, method=GradientDescent(lr=alpha), max_iter=max_iter, gtol=0.0
    )

    assert res.nit == max_iter or res.status == optlib.Status.CONVERGED
    theta_star = np.zeros(n) if b is None else Q @ ((Q.T @ b) / lam)
    expected = independent_iterates(Q, lam, alpha, theta0, theta_star, res.nit)
    scale = np.linalg.norm(theta0) + np.linalg.norm(theta_star)
    assert res.history.x.shape == (res.nit + 1, n)
    np.testing.assert_allclose(res.history.x, expected, rtol=0, atol=1e-10 * scale)
    closed = gd_closed_form(A, theta0, alpha, np.arange(res.nit + 1), b=b)
    np.testing.assert_allclose(res.history.x, closed, rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(res.x, expected[-1], rtol=0, atol=1e-10 * scale)


def test_fixed_step_first_iterates_by_hand():
    # A = diag(1, 10), α = 0.1: θ₁ = (1 − 0.1, 1 − 1) θ₀ componentwise.
    res = optlib.minimize(
        Quadratic(np.diag([1.0, 10.0])),
        [2.0, 3.0],
        method=GradientDescent(lr=0.1),
        max_iter=3,
        gtol=0.0,
    )
    np.testing.assert_allclose(res.history.x, [[2.0, 3.0], [1.8, 0.0], [1.62, 0.0], [1.458, 0.0]])
    np.testing.assert_allclose(res.history.fun, [47.0, 1.62, 1.3122, 1.062882], rtol=1e-14)
    np.testing.assert_allclose(res.history.grad_norm, [np.hypot(2, 30), 1.8, 1.62, 1.458])


# --- exact line search: Boyd & Vandenberghe §9.3.2 --------------------------------------------


@settings(max_examples=60, deadline=None)
@given(gamma=st.floats(1.5, 100.0), k=st.integers(1, 30))
def test_exact_line_search_reproduces_boyd_vandenberghe_closed_form(gamma, k):
    # f = ½(x₁² + γx₂²) from (γ, 1): xₖ = (γcᵏ, (−c)ᵏ), c = (γ − 1)/(γ + 1).
    res = optlib.minimize(
        Quadratic(np.diag([1.0, gamma])),
        [gamma, 1.0],
        method=GradientDescent(line_search="exact"),
        max_iter=k,
        gtol=0.0,
    )
    assert res.nit == k
    c = (gamma - 1.0) / (gamma + 1.0)
    j = np.arange(k + 1)
    expected = np.stack([gamma * c**j, (-c) ** j], axis=1)
    np.testing.assert_allclose(res.history.x, expected, rtol=1e-10, atol=0)
    np.testing.assert_allclose(
        res.history.fun, 0.5 * gamma * (gamma + 1.0) * c ** (2 * j), rtol=1e-9
    )


def test_exact_line_search_docstring_example_value():
    res = optlib.minimize(
        Quadratic(np.diag([1.0, 10.0])),
        [10.0, 1.0],
        method=GradientDescent(line_search="exact"),
        max_iter=1,
    )
    np.testing.assert_allclose(res.x, [10.0 * 9 / 11, -9 / 11], rtol=1e-14)


# --- line-search variants: every accepted step meets its conditions ------------------------------


def _steps(res, problem):
    """(α_k, x_k, x_{k+1}, g_k) for every iteration of a steepest-descent run."""
    xs = res.history.x
    for x, x_next in zip(xs[:-1], xs[1:], strict=True):
        g = problem.grad(x)
        alpha = float(np.linalg.norm(x_next - x) / np.linalg.norm(g))
        np.testing.assert_allclose(x_next, x - alpha * g, rtol=1e-12, atol=1e-14)
        yield alpha, x, x_next, g


def test_armijo_run_takes_backtracked_steps_with_sufficient_decrease():
    problem = Rosenbrock(2)
    c1 = 1e-4
    method = GradientDescent(lr=1.0, line_search="armijo", initial_step="constant", c1=c1)
    res = optlib.minimize(problem, problem.x0, method=method, max_iter=200, gtol=0.0)
    assert res.nit == 200
    for alpha, x, x_next, g in _steps(res, problem):
        # backtracking from α₀ = 1 by halving gives a power of two
        assert np.log2(alpha) == pytest.approx(round(np.log2(alpha)), abs=1e-9)
        assert alpha <= 1.0
        assert problem.fun(x_next) <= problem.fun(x) - c1 * alpha * (g @ g)
    assert res.fun < problem.fun(problem.x0)


@pytest.mark.parametrize("line_search", ["armijo", "wolfe"])
def test_each_later_search_starts_from_the_step_that_repeats_the_last_decrease(
    monkeypatch, line_search
):
    # (2.18): α₀ of search k is α_{k−1}‖g_{k−1}‖²/‖g_k‖²; the first one starts from lr
    first_trials = []
    name = {"armijo": "armijo", "wolfe": "strong_wolfe"}[line_search]
    search = getattr(optlib.linesearch, name)

    def spy(oracle, x, fun, grad, d, alpha0, *args, **kwargs):
        first_trials.append((alpha0, float(grad @ grad)))
        return search(oracle, x, fun, grad, d, alpha0, *args, **kwargs)

    monkeypatch.setattr(optlib.linesearch, name, spy)
    problem = Rosenbrock(2)
    method = GradientDescent(lr=0.5, line_search=line_search)
    res = optlib.minimize(problem, problem.x0, method=method, max_iter=30, gtol=0.0)
    steps = [alpha for alpha, *_ in _steps(res, problem)]
    assert len(first_trials) == len(steps) == 30 and first_trials[0][0] == 0.5
    for k in range(1, 30):
        previous_decrease = steps[k - 1] * first_trials[k - 1][1]
        assert first_trials[k][0] == pytest.approx(previous_decrease / first_trials[k][1], rel=1e-9)


def test_wolfe_run_takes_strong_wolfe_steps():
    problem = Rosenbrock(2)
    c1, c2 = 1e-4, 0.9
    method = GradientDescent(line_search="wolfe", c1=c1, c2=c2)
    res = optlib.minimize(problem, problem.x0, method=method, max_iter=300, gtol=0.0)
    assert res.nit == 300
    assert res.fun == pytest.approx(rosen(res.x), rel=1e-15, abs=0)
    np.testing.assert_allclose(res.jac, rosen_der(res.x), rtol=1e-13, atol=1e-15)
    assert res.fun < 0.1 < rosen(problem.x0)
    for alpha, x, x_next, g in _steps(res, problem):
        slope0 = -(g @ g)
        assert problem.fun(x_next) <= problem.fun(x) + c1 * alpha * slope0
        assert abs(problem.grad(x_next) @ -g) <= c2 * abs(slope0)


@pytest.mark.parametrize("line_search", ["armijo", "wolfe", "exact"])
def test_line_search_runs_solve_an_ill_conditioned_quadratic(spd, line_search):
    A, _, lam = spd(6, 11, low=0.1, high=10.0)
    b = np.linspace(-1.0, 1.0, 6)
    problem = Quadratic(A, b)
    res = optlib.minimize(
        problem, np.zeros(6), method=GradientDescent(line_search=line_search), max_iter=10_000
    )
    assert (res.success, res.status) == (True, 0)
    # ‖x − x*‖ ≤ ‖∇f‖ / λ_min
    np.testing.assert_allclose(res.x, np.linalg.solve(A, b), rtol=0, atol=1e-6 / lam.min())


def test_exact_line_search_steps_are_the_exact_minimisers(spd):
    A, _, _ = spd(5, 3)
    problem = Quadratic(A, b=np.arange(5.0))
    res = optlib.minimize(
        problem,
        np.ones(5),
        method=GradientDescent(line_search="exact"),
        max_iter=10,
        gtol=0.0,
    )
    for alpha, _, x_next, g in _steps(res, problem):
        assert alpha == pytest.approx((g @ g) / (g @ A @ g), rel=1e-12)
        # the new gradient is orthogonal to the search direction
        assert abs(problem.grad(x_next) @ g) <= 1e-12 * (g @ g)


def test_lr_is_the_first_trial_step_of_a_line_search():
    # On ½x² from x = 1 the Armijo search accepts the first trial α₀ whenever α₀ ≤ 1.
    problem = Quadratic([[1.0]])
    for lr in (0.25, 0.5, 1.0):
        res = optlib.minimize(
            problem, [1.0], method=GradientDescent(lr=lr, line_search="armijo"), max_iter=1
        )
        assert res.x[0] == pytest.approx(1.0 - lr)
        assert res.nfev == 2  # f at x₀ and the one accepted trial


# --- construction --------------------------------------------------------------------------------


def test_defaults_and_repr():
    m = GradientDescent(line_search="wolfe")
    assert (m.lr, m.line_search, m.c1, m.c2) == (1.0, "wolfe", 1e-4, 0.9)
    assert repr(GradientDescent(lr=0.5)) == (
        "GradientDescent(lr=0.5, line_search=None, initial_step='previous', c1=0.0001, c2=0.9)"
    )


def test_needs():
    assert GradientDescent(lr=0.1).needs == frozenset({"grad"})
    assert GradientDescent(line_search="wolfe").needs == frozenset({"grad"})
    assert {"grad", "hessp", "quadratic"} <= GradientDescent(line_search="exact").needs


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"lr": 0.0}, ValueError, r"lr must be a finite number > 0"),
        ({"lr": -0.1}, ValueError, r"lr must be a finite number > 0"),
        ({"lr": np.inf}, ValueError, r"lr must be a finite number > 0"),
        ({"lr": np.nan}, ValueError, r"lr must be a finite number > 0"),
        ({"lr": "big"}, TypeError, r"lr must be a number"),
        ({}, ValueError, r"lr is required"),
        ({"lr": None, "line_search": None}, ValueError, r"lr is required"),
        ({"line_search": "newton"}, ValueError, r"line_search must be one of \(None, 'armijo'"),
        ({"lr": 0.1, "line_search": "Wolfe"}, ValueError, r"line_search must be one of"),
        ({"line_search": "wolfe", "c1": 0.0}, ValueError, r"c1 must lie in"),
        ({"line_search": "wolfe", "c1": 1.0}, ValueError, r"c1 must lie in"),
        ({"line_search": "wolfe", "c1": -1e-4}, ValueError, r"c1 must lie in"),
        ({"line_search": "wolfe", "c2": 1.0}, ValueError, r"c2 must lie in"),
        ({"line_search": "wolfe", "c1": 0.5}, ValueError, r"c1 must lie in \(0.0, 0.5\)"),
        ({"line_search": "wolfe", "c1": 0.3, "c2": 0.3}, ValueError, r"c2 must lie in"),
        ({"line_search": "wolfe", "c1": 0.3, "c2": 0.1}, ValueError, r"c2 must lie in"),
    ],
)
def test_bad_hyper_parameters_name_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        GradientDescent(**kwargs)
