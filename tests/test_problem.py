"""Problems: Problem, LeastSquares and the test problems, checked against independent values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import rosen, rosen_der, rosen_hess, rosen_hess_prod

import optlib
from optlib.methods import GradientDescent
from optlib.problems import Quadratic, Rosenbrock


def central_difference(fn, x, h=1e-6):
    """The Jacobian of fn at x by central differences, one column per coordinate."""
    columns = []
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h * max(1.0, abs(x[i]))
        columns.append((np.asarray(fn(x + e)) - np.asarray(fn(x - e))) / (2 * e[i]))
    return np.array(columns).T


# --- Problem -------------------------------------------------------------------------------------


def test_problem_provides_what_it_was_given():
    def f(x):
        return float(x @ x)

    def grad(x):
        return 2 * x

    H = np.array([[2.0, 0.0], [0.0, 2.0]])
    assert optlib.Problem(f).provides == frozenset()
    assert optlib.Problem(f, grad=grad).provides == {"grad"}
    assert optlib.Problem(f, grad=grad, hessp=lambda x, v: 2 * v).provides == {"grad", "hessp"}
    assert optlib.Problem(f, hess=lambda x: H).provides == {"hessp", "hess"}
    assert "quadratic" not in optlib.Problem(f).provides
    assert optlib.Problem(f).name == "f"
    assert optlib.Problem(lambda x: 0.0, name="zero").name == "zero"
    assert repr(optlib.Problem(f, name="sphere")) == "Problem('sphere')"


def test_problem_passes_calls_through_and_builds_products_from_hess():
    x, v = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    H = np.array([[2.0, 1.0], [1.0, 4.0]])
    p = optlib.Problem(lambda x: 0.5 * float(x @ H @ x), grad=lambda x: H @ x, hess=lambda x: H)
    assert p.fun(x) == 11.0
    np.testing.assert_array_equal(p.grad(x), [4.0, 9.0])
    np.testing.assert_array_equal(p.hessp(x, v), [5.0, -1.0])
    np.testing.assert_array_equal(p.hess(x), H)
    assert p.fun_and_grad(x)[0] == 11.0
    np.testing.assert_array_equal(p.fun_and_grad(x)[1], [4.0, 9.0])


@pytest.mark.parametrize("argument", ["grad", "hessp", "hess"])
def test_problem_rejects_a_derivative_that_is_not_callable(argument):
    with pytest.raises(TypeError, match=f"{argument} must be a callable"):
        optlib.Problem(lambda x: 0.0, **{argument: np.ones(2)})


def test_problem_rejects_an_objective_that_is_not_callable():
    with pytest.raises(TypeError, match="f must be callable"):
        optlib.Problem(3.0)


def test_a_problem_with_a_constant_hessian_is_still_not_a_quadratic_to_optlib():
    H = np.diag([1.0, 3.0])
    p = optlib.Problem(
        lambda x: 0.5 * float(x @ H @ x), grad=lambda x: H @ x, hess=lambda x: H, name="diag"
    )
    # only Quadratic promises the same Hessian everywhere: exact line search is refused
    with pytest.raises(ValueError, match="quadratic"):
        optlib.minimize(p, [1.0, 1.0], method=GradientDescent(line_search="exact"))


# --- LeastSquares -------------------------------------------------------------------------------


def small_least_squares():
    # r(x) = (x₁ + 2x₂ − 3, x₁x₂ − 1, exp(x₁) − 2)
    def residuals(x):
        return np.array([x[0] + 2 * x[1] - 3, x[0] * x[1] - 1, np.exp(x[0]) - 2])

    def jac(x):
        return np.array([[1.0, 2.0], [x[1], x[0]], [np.exp(x[0]), 0.0]])

    return optlib.LeastSquares(residuals, jac, name="small")


def test_least_squares_values_by_hand():
    p = small_least_squares()
    x = np.array([0.5, -1.0])
    s = np.sqrt(np.e)
    # r = (−4.5, −1.5, √e − 2); J = [[1, 2], [−1, 0.5], [√e, 0]]
    assert p.fun(x) == pytest.approx(0.5 * (4.5**2 + 1.5**2 + (s - 2) ** 2), rel=1e-15)
    np.testing.assert_allclose(p.residuals(x), [-4.5, -1.5, s - 2], rtol=1e-15)
    np.testing.assert_allclose(p.jac(x), [[1, 2], [-1, 0.5], [s, 0]], rtol=1e-15)
    # Jᵀr = (−4.5 + 1.5 + √e(√e − 2), −9 − 0.75)
    np.testing.assert_allclose(p.grad(x), [-3 + np.e - 2 * s, -9.75], rtol=1e-14)
    # v = (1, −2): Jv = (−3, −2, √e), JᵀJv = (−3 + 2 + e, −6 − 1)
    np.testing.assert_allclose(
        p.gauss_newton_product(x, np.array([1.0, -2.0])), [-1 + np.e, -7.0], rtol=1e-14
    )
    fun, grad = p.fun_and_grad(x)
    assert fun == p.fun(x)
    np.testing.assert_array_equal(grad, p.grad(x))


@settings(max_examples=30, deadline=None)
@given(x=st.lists(st.floats(-2.0, 2.0), min_size=2, max_size=2))
def test_least_squares_gradient_is_the_derivative_of_half_the_squares(x):
    p = small_least_squares()
    x = np.array(x)
    fd = central_difference(p.fun, x)
    np.testing.assert_allclose(p.grad(x), fd, rtol=1e-6, atol=1e-6)
    J = p.jac(x)
    v = np.array([0.3, -1.7])
    np.testing.assert_allclose(p.gauss_newton_product(x, v), J.T @ J @ v, rtol=1e-13, atol=1e-13)


def test_least_squares_provides_residuals_but_not_hessp():
    p = small_least_squares()
    assert p.provides == {"grad", "residuals"}
    assert optlib.LeastSquares(lambda x: x, lambda x: np.eye(x.size)).name == "least squares"
    with pytest.raises(TypeError, match="residuals must be callable"):
        optlib.LeastSquares(np.ones(2), lambda x: np.eye(2))
    with pytest.raises(TypeError, match="jac must be callable"):
        optlib.LeastSquares(lambda x: x, np.eye(2))


def test_the_oracle_reuses_r_and_j_from_fun_and_grad_at_the_same_point():
    p = small_least_squares()
    oracle = optlib.Oracle(p, 2, np.random.default_rng(0))
    x = np.array([0.5, -1.0])
    fun, grad = oracle.fun_and_grad(x)
    assert fun == p.fun(x)
    np.testing.assert_array_equal(grad, p.grad(x))
    r, J = oracle.residuals_and_jac(x.copy())  # the same point: nothing evaluated again
    np.testing.assert_array_equal(r, p.residuals(x))
    np.testing.assert_array_equal(J, p.jac(x))
    assert (oracle.nfev, oracle.njev) == (1, 1)
    x[0] = 0.25  # a caller changing its array does not change what was kept
    r, J = oracle.residuals_and_jac(x)  # another point: one call of each, counted
    np.testing.assert_array_equal(r, p.residuals(x))
    assert (oracle.nfev, oracle.njev) == (2, 2)
    with pytest.raises(ValueError, match="residuals\\(x\\) must return a 1-D array"):
        optlib.Oracle(
            optlib.LeastSquares(lambda x: np.eye(2), lambda x: np.eye(2)), 2, None
        ).fun_and_grad(x)


def test_gradient_descent_on_linear_least_squares_finds_the_lstsq_solution():
    rng = np.random.default_rng(4)
    M = rng.standard_normal((8, 3))
    y = rng.standard_normal(8)
    p = optlib.LeastSquares(lambda x: M @ x - y, lambda x: M)
    lr = 1.0 / np.linalg.eigvalsh(M.T @ M).max()
    res = optlib.minimize(p, np.zeros(3), method=GradientDescent(lr=lr), gtol=1e-10)
    assert res.success
    np.testing.assert_allclose(res.x, np.linalg.lstsq(M, y, rcond=None)[0], atol=1e-8)


# --- Quadratic -----------------------------------------------------------------------------------


def test_quadratic_values_by_hand():
    q = Quadratic([[2.0, 1.0], [1.0, 3.0]], b=[1.0, -1.0], name="q")
    x, v = np.array([1.0, 2.0]), np.array([0.0, 1.0])
    # ½xᵀAx = ½(2 + 4 + 12) = 9, bᵀx = −1
    assert q.fun(x) == 10.0
    np.testing.assert_array_equal(q.grad(x), [3.0, 8.0])
    np.testing.assert_array_equal(q.hessp(x, v), [1.0, 3.0])
    np.testing.assert_array_equal(q.hess(x), [[2.0, 1.0], [1.0, 3.0]])
    fun, grad = q.fun_and_grad(x)
    assert fun == 10.0
    np.testing.assert_array_equal(grad, [3.0, 8.0])
    np.testing.assert_allclose(q.x_star, [0.8, -0.6], rtol=1e-15)
    assert q.f_star == pytest.approx(-0.5 * (0.8 + 0.6), rel=1e-15)
    assert q.name == "q"
    assert Quadratic(np.eye(3)).name == "quadratic (n=3)"
    assert {"grad", "hessp", "hess", "quadratic"} <= q.provides


def test_quadratic_hess_is_a_copy():
    q = Quadratic(np.eye(2))
    q.hess(np.zeros(2))[0, 0] = 100.0
    np.testing.assert_array_equal(q.A, np.eye(2))


def test_quadratic_from_spectrum(spd):
    q = Quadratic.from_spectrum([5.0, 1.0], eigenvectors=[[1, 1], [1, -1]])
    np.testing.assert_allclose(q.A, [[3.0, 2.0], [2.0, 3.0]], rtol=1e-15)
    np.testing.assert_array_equal(Quadratic.from_spectrum([2.0, 7.0]).A, np.diag([2.0, 7.0]))
    _, Q, lam = spd(5, 8)
    q = Quadratic.from_spectrum(lam, eigenvectors=3.0 * Q, b=np.ones(5))
    np.testing.assert_allclose(np.linalg.eigvalsh(q.A), np.sort(lam), rtol=1e-13)
    with pytest.raises(ValueError, match="orthogonal"):
        Quadratic.from_spectrum([1.0, 2.0], eigenvectors=[[1, 1], [0, 1]])
    with pytest.raises(ValueError, match="eigenvectors must have shape"):
        Quadratic.from_spectrum([1.0, 2.0], eigenvectors=np.eye(3))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"A": [[1.0, 2.0], [0.0, 1.0]]}, "A must be symmetric"),
        ({"A": [[1.0, 1e-6], [0.0, 1.0]]}, "A must be symmetric"),
        ({"A": np.ones((2, 3))}, "A must be a square matrix"),
        ({"A": np.ones(3)}, "A must be a square matrix"),
        ({"A": [[1.0, np.nan], [np.nan, 1.0]]}, "A must be finite"),
        ({"A": np.eye(2), "b": [1.0, 2.0, 3.0]}, r"b must have shape \(2,\)"),
        ({"A": np.eye(2), "b": [1.0, np.inf]}, "b must be finite"),
    ],
)
def test_quadratic_rejects_bad_matrices(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Quadratic(**kwargs)


def test_quadratic_x_star_needs_a_positive_definite_matrix():
    with pytest.raises(ValueError, match="not positive definite"):
        Quadratic(np.diag([1.0, -1.0])).x_star  # noqa: B018
    with pytest.raises(ValueError, match="not positive definite"):
        Quadratic(np.diag([1.0, 0.0])).f_star  # noqa: B018


# --- Rosenbrock ----------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 5, 10])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rosenbrock_against_scipy_and_finite_differences(n, seed):
    p = Rosenbrock(n)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, size=n)
    v = rng.standard_normal(n)
    assert p.fun(x) == pytest.approx(rosen(x), rel=1e-14)
    g = p.grad(x)
    np.testing.assert_allclose(g, rosen_der(x), rtol=1e-13, atol=1e-12)
    scale = max(1.0, np.abs(g).max())
    np.testing.assert_allclose(g, central_difference(p.fun, x), rtol=0, atol=1e-6 * scale)
    hv = p.hessp(x, v)
    np.testing.assert_allclose(hv, rosen_hess_prod(x, v), rtol=1e-13, atol=1e-12)
    np.testing.assert_allclose(
        hv, central_difference(p.grad, x) @ v, rtol=0, atol=1e-5 * max(1.0, np.abs(hv).max())
    )
    np.testing.assert_allclose(p.hess(x), rosen_hess(x), rtol=1e-14, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 10), seed=st.integers(0, 2**32 - 1))
def test_rosenbrock_hessian_is_symmetric_and_matches_its_products(n, seed):
    p = Rosenbrock(n)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3.0, 3.0, size=n)
    v = rng.standard_normal(n)
    H = p.hess(x)
    np.testing.assert_array_equal(H, H.T)
    np.testing.assert_allclose(p.hessp(x, v), H @ v, rtol=1e-12, atol=1e-10)
    np.testing.assert_allclose(H, rosen_hess(x), rtol=1e-14, atol=1e-12)


@pytest.mark.parametrize("n", [2, 3, 7])
def test_rosenbrock_minimiser_and_start(n):
    p = Rosenbrock(n)
    np.testing.assert_array_equal(p.x_star, np.ones(n))
    assert p.f_star == 0.0 == p.fun(np.ones(n))
    np.testing.assert_array_equal(p.grad(np.ones(n)), np.zeros(n))
    assert np.all(np.linalg.eigvalsh(p.hess(np.ones(n))) > 0)
    np.testing.assert_array_equal(p.x0[:2], [-1.2, 1.0])
    assert p.x0.shape == (n,)
    assert p.name == f"Rosenbrock (n={n})"
    assert p.provides == {"grad", "hessp", "hess"}


@pytest.mark.parametrize("n", [1, 0, -3, 2.5, "2", True, None])
def test_rosenbrock_needs_an_integer_dimension_of_at_least_two(n):
    with pytest.raises(ValueError, match="n must be an integer >= 2"):
        Rosenbrock(n)


def test_rosenbrock_accepts_numpy_integers():
    assert Rosenbrock(np.int64(4)).n == 4
