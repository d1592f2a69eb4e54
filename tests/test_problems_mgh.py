"""The Moré–Garbow–Hillstrom problems: derivatives against finite differences, the published
minimisers and minimum values, and SciPy's Levenberg–Marquardt reaching the published minima."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from scipy.optimize import least_squares, minimize

import optlib
from optlib.problems import mgh, symbolic

SUITE = {p.name: p for p in mgh.classic_suite()}


def central_jacobian(fn, x, h=1e-6):
    """The Jacobian of fn at x by central differences, one column per coordinate."""
    columns = []
    for i in range(x.size):
        step = h * max(1.0, abs(x[i]))
        e = np.zeros_like(x)
        e[i] = step
        columns.append((np.asarray(fn(x + e)) - np.asarray(fn(x - e))) / (2 * step))
    return np.array(columns).T


def agrees_to_printed(value, printed):
    """True if ``value`` agrees with ``printed`` (6 significant digits, as MGH print them,
    rounded or truncated) to within one unit of its last digit; 0 is printed as exactly 0."""
    if printed == 0.0:
        return abs(value) < 1e-20
    last_digit = 10.0 ** (math.floor(math.log10(abs(printed))) - 5)
    return abs(value - printed) < last_digit


def test_the_suite_has_the_problems_asked_for():
    numbers = {p.number for p in SUITE.values()}
    assert numbers == set(range(1, 27)) | {35}
    assert len(SUITE) == len(mgh.SUITE_NAMES) == 31
    for p in SUITE.values():
        assert p.provides == {"grad", "residuals", "hessp", "hess"}
        assert p.f_star == 0.5 * p.f_star_published
        assert p.residuals(p.x0).shape == (p.m,)
        assert p.jac(p.x0).shape == (p.m, p.n)


def points(p):
    rng = np.random.default_rng(p.number)
    return [p.x0, p.x0 + 0.1 * (1.0 + np.abs(p.x0)) * rng.standard_normal(p.n)]


@pytest.mark.parametrize("name", mgh.SUITE_NAMES)
def test_jacobian_and_hessian_products_match_finite_differences(name):
    p = SUITE[name]
    rng = np.random.default_rng(1)
    for x in points(p):
        J = p.jac(x)
        J_fd = central_jacobian(p.residuals, x)
        np.testing.assert_allclose(J, J_fd, rtol=1e-5, atol=1e-6 * np.abs(J).max())
        v = rng.standard_normal(p.n)
        hv = p.hessp(x, v)
        # the gradient's directional derivative by central differences (error O(h²))
        h = 1e-5 / np.linalg.norm(v)
        hv_fd = (p.grad(x + h * v) - p.grad(x - h * v)) / (2 * h)
        scale = np.linalg.norm(hv) + 1e-8 * np.abs(p.hess(x)).max()
        assert np.linalg.norm(hv - hv_fd) <= 1e-5 * scale, name
        H = p.hess(x)
        np.testing.assert_array_equal(H, H.T)
        np.testing.assert_allclose(H @ v, hv, rtol=1e-12, atol=1e-12 * np.abs(H).max())
        # the Hessian is Gauss–Newton plus the residual curvature, which is not zero here
        assert p.gauss_newton_product(x, v) == pytest.approx(J.T @ (J @ v))


@pytest.mark.parametrize("name", [n for n in mgh.SUITE_NAMES if SUITE[n].x_star is not None])
def test_f_at_the_published_minimiser_is_the_published_minimum(name):
    p = SUITE[name]
    assert agrees_to_printed(2 * p.fun(p.x_star), p.f_star_published)
    if p.x_star_published is not None:  # a refined point: it starts with the printed digits
        for ours, printed in zip(p.x_star, p.x_star_published, strict=True):
            last_digit = 10.0 ** (math.floor(math.log10(abs(printed))) - 3)  # 4 digits printed
            assert 0 <= ours - printed < last_digit
    # a minimiser: the gradient vanishes there (relative to the problem's scale)
    assert np.linalg.norm(p.grad(p.x_star)) <= 1e-8 * max(1.0, np.linalg.norm(p.grad(p.x0)))


@pytest.mark.parametrize("name", mgh.SUITE_NAMES)
def test_levenberg_marquardt_from_x0_reaches_a_published_minimum(name):
    p = SUITE[name]
    res = least_squares(
        p.residuals,
        p.x0,
        jac=p.jac,
        method="lm",
        xtol=1e-15,
        ftol=1e-15,
        gtol=1e-15,
        max_nfev=10**4,
    )
    reached = 2 * res.cost
    published = [p.f_star_published] + [value for value, _ in p.other_minima]
    assert any(agrees_to_printed(reached, value) for value in published), (name, reached)


def test_published_local_minima_that_lm_reaches():
    # Freudenstein–Roth from x0 goes to the local minimum 48.9842… at (11.41…, −0.8968…)
    p = SUITE["freudenstein_roth"]
    res = least_squares(p.residuals, p.x0, jac=p.jac, method="lm", xtol=1e-15, ftol=1e-15)
    ((value, x_printed),) = p.other_minima
    assert agrees_to_printed(2 * res.cost, value)
    np.testing.assert_allclose(res.x, x_printed, atol=1e-2)
    assert res.x[0] == pytest.approx(11.4128, abs=1e-4) and res.x[1] == pytest.approx(
        -0.8968, abs=1e-4
    )
    # Biggs EXP6 from x0: BFGS stops at the published local minimum 5.65565e−3 (LM finds 0)
    p = SUITE["biggs_exp6"]
    res = minimize(p.fun, p.x0, jac=p.grad, method="BFGS", options={"gtol": 1e-10})
    assert agrees_to_printed(res.fun * 2, p.other_minima[0][0])
    # Trigonometric (n = 10): LM stops at the published local minimum 2.79506e−5
    p = SUITE["trigonometric10"]
    res = least_squares(p.residuals, p.x0, jac=p.jac, method="lm", xtol=1e-15, ftol=1e-15)
    assert agrees_to_printed(2 * res.cost, 2.79506e-5) and not agrees_to_printed(2 * res.cost, 0.0)


def test_watson_and_others_reject_unpublished_sizes():
    with pytest.raises(ValueError, match="n must be one of"):
        mgh.watson(7)
    with pytest.raises(ValueError, match="n has no published case"):
        mgh.penalty1(5)
    with pytest.raises(ValueError, match="m must be an integer in"):
        mgh.gulf(100)
    with pytest.raises(ValueError, match="name must be one of"):
        mgh.problem("himmelblau")


def test_helical_valley_angle_follows_mgh_branches():
    p = SUITE["helical_valley"]
    # r₁ = 10(x₃ − 10θ): θ = ½ at (−1, 0), ¼ at (0, 1), −¼ at (0, −1), in (½, ¾) for x₁, x₂ < 0
    assert p.residuals(np.array([-1.0, 0.0, 0.0]))[0] == pytest.approx(-50.0)
    assert p.residuals(np.array([-1.0, -0.0, 0.0]))[0] == pytest.approx(-50.0)
    assert p.residuals(np.array([0.0, 1.0, 0.0]))[0] == pytest.approx(-25.0)
    assert p.residuals(np.array([0.0, -1.0, 0.0]))[0] == pytest.approx(25.0)
    theta = -p.residuals(np.array([-1.0, -1.0, 0.0]))[0] / 100
    assert theta == pytest.approx(0.625)


def test_instances_share_the_generated_functions_and_build_quickly():
    # a name not built before: time one generation from scratch
    symbolic._COMPILED.pop("mgh:osborne2", None)
    start = time.perf_counter()
    p = mgh.osborne2()
    p.fun(p.x0)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0  # about 0.15 s on a quiet machine
    assert mgh.osborne2().compiled is p.compiled


def test_mgh_problems_run_through_minimize():
    p = SUITE["rosenbrock"]
    method = optlib.methods.GradientDescent(line_search="wolfe")
    res = optlib.minimize(p, p.x0, method=method, max_iter=50, gtol=0.0)
    assert res.nit == 50 and res.fun < p.fun(p.x0)


# --- the vectorised extended Rosenbrock ----------------------------------------------------------


def test_extended_rosenbrock_matches_the_generated_problem():
    small = SUITE["ext_rosenbrock10"]
    big = mgh.ExtendedRosenbrock(10)
    rng = np.random.default_rng(2)
    for x in (big.x0, rng.standard_normal(10)):
        v = rng.standard_normal(10)
        assert big.fun(x) == pytest.approx(small.fun(x), rel=1e-14)
        np.testing.assert_allclose(big.grad(x), small.grad(x), rtol=1e-13, atol=1e-12)
        np.testing.assert_allclose(big.hessp(x, v), small.hessp(x, v), rtol=1e-13, atol=1e-12)
        np.testing.assert_allclose(big.jac(x), central_jacobian(big.residuals, x), atol=1e-6)
        assert big.fun(x) == pytest.approx(0.5 * big.residuals(x) @ big.residuals(x))
        fun, grad = big.fun_and_grad(x)
        assert fun == pytest.approx(big.fun(x), rel=1e-15)
        np.testing.assert_array_equal(grad, big.grad(x))
    np.testing.assert_array_equal(big.x0, small.x0)


def test_extended_rosenbrock_at_a_million_variables():
    p = mgh.ExtendedRosenbrock(10**6)
    rng = np.random.default_rng(3)
    x = rng.standard_normal(p.n)
    v = rng.standard_normal(p.n)
    h = 1e-6
    hv_fd = (p.grad(x + h * v) - p.grad(x - h * v)) / (2 * h)
    np.testing.assert_allclose(p.hessp(x, v), hv_fd, rtol=1e-5, atol=1e-5)
    assert p.fun(p.x_star) == 0.0 and not p.grad(p.x_star).any()
    assert p.fun(p.x0) == pytest.approx(0.5 * 10**6 / 2 * (100 * 0.44**2 + 2.2**2))


@pytest.mark.parametrize("n", [1, 3, 0, 2.0, True])
def test_extended_rosenbrock_needs_an_even_integer(n):
    with pytest.raises(ValueError, match="n must be an even integer"):
        mgh.ExtendedRosenbrock(n)
