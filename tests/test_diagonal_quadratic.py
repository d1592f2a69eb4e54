"""DiagonalQuadratic: the same problem as the dense Quadratic with A = diag(d), in O(n)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import optlib
from optlib.problems import DiagonalQuadratic, Quadratic


@given(st.integers(1, 8), st.integers(0, 2**32 - 1))
def test_it_is_the_dense_quadratic_with_a_diagonal_matrix(n, seed):
    rng = np.random.default_rng(seed)
    d, b = rng.uniform(-3.0, 10.0, n), rng.standard_normal(n)
    x, v = rng.standard_normal(n), rng.standard_normal(n)
    diagonal, dense = DiagonalQuadratic(d, b), Quadratic(np.diag(d), b)
    scale = 1.0 + float(np.abs(d).max() * (x @ x) + np.abs(b) @ np.abs(x))
    assert diagonal.fun(x) == pytest.approx(dense.fun(x), rel=1e-13, abs=1e-13 * scale)
    np.testing.assert_allclose(diagonal.grad(x), dense.grad(x), rtol=1e-14, atol=1e-14)
    np.testing.assert_array_equal(diagonal.hessp(x, v), d * v)
    np.testing.assert_array_equal(diagonal.hess(x), np.diag(d))
    np.testing.assert_array_equal(diagonal.A, dense.A)
    fun, grad = diagonal.fun_and_grad(x)
    assert fun == diagonal.fun(x)
    np.testing.assert_array_equal(grad, diagonal.grad(x))


def test_minimiser_and_minimum():
    q = DiagonalQuadratic([2.0, 4.0, 0.5], b=[2.0, -2.0, 1.0])
    np.testing.assert_array_equal(q.x_star, [1.0, -0.5, 2.0])
    assert q.f_star == -0.5 * (2.0 + 1.0 + 2.0)
    assert q.fun(q.x_star) == pytest.approx(q.f_star, rel=1e-15)
    np.testing.assert_array_equal(q.grad(q.x_star), 0.0)
    assert DiagonalQuadratic([1.0, 1.0]).f_star == 0.0  # b defaults to zero
    with pytest.raises(ValueError, match="no unique minimiser: some d"):
        _ = DiagonalQuadratic([1.0, 0.0]).x_star


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="d must be a 1-D array"):
        DiagonalQuadratic(np.eye(2))
    with pytest.raises(ValueError, match="d must be finite"):
        DiagonalQuadratic([1.0, np.inf])
    with pytest.raises(ValueError, match=r"b must have shape \(2,\)"):
        DiagonalQuadratic([1.0, 2.0], b=[1.0, 2.0, 3.0])


def test_exact_line_search_gives_the_dense_quadratics_iterates():
    d, b = np.array([1.0, 10.0, 3.0]), np.array([1.0, -1.0, 0.5])
    method = optlib.methods.GradientDescent(line_search="exact")
    runs = [
        optlib.minimize(q, [5.0, 1.0, -2.0], method=method, max_iter=300, gtol=1e-10)
        for q in (DiagonalQuadratic(d, b), Quadratic(np.diag(d), b))
    ]
    assert runs[0].success and runs[0].nit == runs[1].nit
    np.testing.assert_allclose(runs[0].history.x, runs[1].history.x, rtol=1e-12, atol=1e-14)
    assert DiagonalQuadratic(d, b).name == "diagonal quadratic (n=3)"


def test_a_million_coordinates_cost_a_few_vectors():
    n = 10**6
    q = DiagonalQuadratic(np.linspace(1.0, 2.0, n), np.ones(n))
    res = optlib.minimize(q, np.zeros(n), method=optlib.methods.GradientDescent(lr=0.5), gtol=1e-8)
    assert res.success
    np.testing.assert_allclose(res.x, q.x_star, rtol=1e-9)
    with pytest.raises(AttributeError, match="not kept"):
        _ = res.history.x
