"""Gauss–Newton and Levenberg–Marquardt (chapter 10): the steps and their limits, the accuracy of
solving by least squares rather than normal equations, quadratic convergence on zero residuals,
Nielsen's damping against an independent implementation, scaling invariance, rejected steps,
honest counts through the oracle, and bad input."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import optlib
from optlib.methods import GaussNewton, LevenbergMarquardt
from optlib.methods.gauss_newton import gauss_newton_step
from optlib.methods.levenberg_marquardt import lm_step
from optlib.oracle import Oracle
from optlib.result import Status

seeds = st.integers(min_value=0, max_value=2**32 - 1)

T_DATA = np.linspace(0.0, 2.0, 12)


def exp_fit(noise=0.0, seed=0):
    """y ≈ x₁ exp(x₂ t) on exact (noise = 0: zero residual at (2, −1.5)) or noisy data."""
    y = 2.0 * np.exp(-1.5 * T_DATA) + noise * np.random.default_rng(seed).standard_normal(12)

    def residuals(x):
        return x[0] * np.exp(x[1] * T_DATA) - y

    def jac(x):
        e = np.exp(x[1] * T_DATA)
        return np.stack([e, x[0] * T_DATA * e], axis=1)

    return residuals, jac


def rosenbrock_residuals():
    """MGH 1: r = (10(x₂ − x₁²), 1 − x₁), ½‖r‖² = ½ Rosenbrock."""
    return (
        lambda x: np.array([10.0 * (x[1] - x[0] ** 2), 1.0 - x[0]]),
        lambda x: np.array([[-20.0 * x[0], 10.0], [-1.0, 0.0]]),
    )


class CountedLS:
    """A LeastSquares problem whose r and J calls are counted."""

    def __init__(self, residuals, jac):
        self.nr = self.nj = 0
        self._r, self._J = residuals, jac
        self.problem = optlib.LeastSquares(self.residuals, self.jac, name="counted")

    def residuals(self, x):
        self.nr += 1
        return self._r(x)

    def jac(self, x):
        self.nj += 1
        return self._J(x)


# --- the steps ----------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(m=st.integers(2, 12), seed=seeds)
def test_gauss_newton_step_solves_the_normal_equations(m, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, m + 1))
    J, r = rng.standard_normal((m, n)), rng.standard_normal(m)
    if np.linalg.cond(J) > 1e6:
        return
    p = gauss_newton_step(J, r)
    np.testing.assert_allclose(J.T @ J @ p, -J.T @ r, atol=1e-9 * np.abs(J.T @ r).max() + 1e-12)


@settings(max_examples=40, deadline=None)
@given(seed=seeds)
def test_gauss_newton_step_is_a_descent_direction_when_j_is_rank_deficient(seed):
    rng = np.random.default_rng(seed)
    J = rng.standard_normal((8, 3))
    J = np.column_stack([J, J[:, 0] - 2 * J[:, 1]])  # rank 3 of 4
    r = rng.standard_normal(8)
    p = gauss_newton_step(J, r)
    g = J.T @ r
    # ∇fᵀp = −‖P r‖² with P the projection onto J's range
    P = J @ np.linalg.pinv(J)
    assert g @ p == pytest.approx(-np.sum((P @ r) ** 2), rel=1e-8)
    assert g @ p < 0


def test_least_squares_is_more_accurate_than_the_normal_equations():
    # κ(J) = 10⁷ so κ(JᵀJ) = 10¹⁴: the normal equations lose about twice the digits
    rng = np.random.default_rng(0)
    U, _ = np.linalg.qr(rng.standard_normal((30, 2)))
    V, _ = np.linalg.qr(rng.standard_normal((2, 2)))
    J = U @ np.diag([1.0, 1e-7]) @ V.T
    p_true = np.array([1.0, -2.0])
    r = -J @ p_true  # zero residual at p_true
    ours = np.linalg.norm(gauss_newton_step(J, r) - p_true) / np.linalg.norm(p_true)
    normal = np.linalg.norm(np.linalg.solve(J.T @ J, -J.T @ r) - p_true) / np.linalg.norm(p_true)
    assert ours < 1e-7
    assert normal > 1e3 * ours


def test_gauss_newton_step_is_not_fooled_by_badly_scaled_columns():
    # columns of lengths 1 and 1e-12: well conditioned once scaled, and both must move
    rng = np.random.default_rng(1)
    J = rng.standard_normal((6, 2)) * np.array([1.0, 1e-12])
    p_true = np.array([0.5, 3e11])
    p = gauss_newton_step(J, -J @ p_true)
    np.testing.assert_allclose(p, p_true, rtol=1e-9)
    np.testing.assert_allclose(
        lm_step(J, -J @ p_true, 1e-30, np.array([1.0, 1e-24])), p_true, rtol=1e-9
    )


@settings(max_examples=60, deadline=None)
@given(seed=seeds, log_mu=st.floats(-6, 6), marquardt=st.booleans())
def test_lm_step_solves_the_damped_normal_equations(seed, log_mu, marquardt):
    rng = np.random.default_rng(seed)
    J, r = rng.standard_normal((7, 3)), rng.standard_normal(7)
    mu = 10.0**log_mu
    d = np.sum(J * J, axis=0) if marquardt else None
    p = lm_step(J, r, mu, d)
    D = np.diag(d) if marquardt else np.eye(3)
    lhs = (J.T @ J + mu * D) @ p
    np.testing.assert_allclose(lhs, -J.T @ r, atol=1e-10 * (1 + mu) * np.abs(J.T @ r).max())


@pytest.mark.parametrize("marquardt", [False, True])
def test_lm_step_limits_scaled_gradient_descent_and_gauss_newton(marquardt):
    rng = np.random.default_rng(2)
    J, r = rng.standard_normal((9, 4)) * np.array([1.0, 3.0, 0.2, 5.0]), rng.standard_normal(9)
    d = np.sum(J * J, axis=0) if marquardt else np.ones(4)
    descent = -(J.T @ r) / d  # −D⁻¹Jᵀr
    errors = []
    for mu in (1e4, 1e6, 1e8):
        p = lm_step(J, r, mu, d if marquardt else None)
        errors.append(np.linalg.norm(mu * p - descent) / np.linalg.norm(descent))
    assert errors[-1] < 1e-4
    assert errors[1] < errors[0] / 50 and errors[2] < errors[1] / 50  # error O(1/μ)
    gn = gauss_newton_step(J, r)
    for mu, tol in ((1e-6, 1e-4), (1e-10, 1e-8)):
        p = lm_step(J, r, mu, d if marquardt else None)
        assert np.linalg.norm(p - gn) <= tol * np.linalg.norm(gn)


# --- Gauss–Newton ------------------------------------------------------------------------------


def test_gauss_newton_converges_quadratically_on_a_zero_residual_problem():
    residuals, jac = exp_fit()
    p = optlib.LeastSquares(residuals, jac)
    res = optlib.minimize(p, [1.0, -1.0], method=GaussNewton(), gtol=1e-13)
    assert res.success and res.nit <= 10
    errors = np.linalg.norm(res.history.x - [2.0, -1.5], axis=1)
    tail = [
        (e, e2) for e, e2 in zip(errors[:-1], errors[1:], strict=True) if e < 0.1 and e2 > 1e-14
    ]
    assert len(tail) >= 2
    assert max(e2 / e**2 for e, e2 in tail) < 10.0


def test_gauss_newton_is_only_linear_when_the_residuals_do_not_vanish():
    residuals, jac = exp_fit(noise=0.15, seed=3)
    p = optlib.LeastSquares(residuals, jac)
    lm = LevenbergMarquardt(ftol=1e-15, xtol=1e-15)  # to round-off, not just SciPy's 1e-8
    x_star = optlib.minimize(p, [2.0, -1.5], method=lm, gtol=1e-13).x
    res = optlib.minimize(p, [1.5, -1.0], method=GaussNewton(), gtol=1e-12, max_iter=200)
    assert res.success
    errors = np.linalg.norm(res.history.x - x_star, axis=1)
    # (x* is known to about √ε only: f cannot resolve x more finely, see below)
    ratios = [e2 / e for e, e2 in zip(errors[:-1], errors[1:], strict=True) if e2 > 1e-7][-4:]
    # the dropped term Σ rᵢ∇²rᵢ leaves a constant contraction factor, not a vanishing one
    assert len(ratios) == 4 and min(ratios) > 0.05 and max(ratios) < 0.5


@pytest.mark.parametrize("line_search", ["armijo", "wolfe", None])
def test_gauss_newton_counts_residuals_and_jacobians_honestly(line_search):
    counted = CountedLS(*rosenbrock_residuals())
    res = optlib.minimize(counted.problem, [-1.2, 1.0], method=GaussNewton(line_search), gtol=1e-10)
    assert res.success
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-9)
    assert (res.nfev, res.njev, res.nhev) == (counted.nr, counted.nj, 0)
    if line_search != "wolfe":
        # J once at x₀ (the run loop's evaluation, which the method reuses), then once per
        # iterate
        assert res.njev == res.nit + 1


# --- Levenberg–Marquardt -------------------------------------------------------------------------


def nielsen_reference(residuals, jac, x0, tau, marquardt, steps):
    """Madsen–Nielsen–Tingleff's Algorithm 3.16, written independently: normal equations, their
    formula L(0) − L(p) = ½pᵀ(μDp − g), Moré's running-maximum D for Marquardt's scaling."""
    x = np.array(x0, dtype=float)
    r, J = residuals(x), jac(x)
    d = np.maximum(np.sum(J * J, axis=0), 0) if marquardt else np.ones(x.size)
    mu = tau if marquardt else tau * np.max(np.sum(J * J, axis=0))
    nu = 2.0
    xs, accepted = [x.copy()], []
    for _ in range(steps):
        g = J.T @ r
        p = np.linalg.solve(J.T @ J + mu * np.diag(d), -g)
        r_new = residuals(x + p)
        rho = (r @ r - r_new @ r_new) / 2 / (0.5 * p @ (mu * d * p - g))
        if rho > 0:
            x = x + p
            r, J = r_new, jac(x)
            if marquardt:
                d = np.maximum(d, np.sum(J * J, axis=0))
            mu *= max(1 / 3, 1 - (2 * rho - 1) ** 3)
            nu = 2.0
        else:
            mu *= nu
            nu *= 2
        xs.append(x.copy())
        accepted.append(rho > 0)
    return np.array(xs), accepted


@pytest.mark.parametrize("scaling", [None, "marquardt"])
@pytest.mark.parametrize(
    ("problem", "x0", "tau"),
    [(rosenbrock_residuals, [-1.2, 1.0], 1e-3), (exp_fit, [0.5, -4.0], 1e-3)],
    ids=["rosenbrock", "exp-fit"],
)
def test_levenberg_marquardt_matches_an_independent_nielsen_implementation(
    problem, x0, tau, scaling
):
    residuals, jac = problem()
    counted = CountedLS(residuals, jac)
    steps = 10
    res = optlib.minimize(
        counted.problem, x0, method=LevenbergMarquardt(tau, scaling), max_iter=steps, gtol=0
    )
    xs, accepted = nielsen_reference(residuals, jac, x0, tau, scaling == "marquardt", steps)
    assert res.nit == steps and not all(accepted)  # some trials were rejected
    np.testing.assert_allclose(res.history.x, xs, rtol=1e-9, atol=1e-12)
    # a rejected trial repeats x and leaves f flat; every trial costs one r, an accepted one a J
    for k, ok in enumerate(accepted):
        assert np.array_equal(res.history.x[k + 1], res.history.x[k]) == (not ok)
        assert (res.history.fun[k + 1] < res.history.fun[k]) == ok
    assert (res.nfev, res.njev) == (counted.nr, counted.nj)
    assert res.nfev == res.nit + 1 and res.njev == sum(accepted) + 1


def test_marquardt_scaling_makes_lm_invariant_to_rescaling_the_variables():
    residuals, jac = exp_fit(noise=0.05)
    S = np.array([1e3, 1e-2])  # x = S y
    x0 = np.array([1.0, 0.5])
    fx = optlib.LeastSquares(residuals, jac)
    fy = optlib.LeastSquares(lambda y: residuals(S * y), lambda y: jac(S * y) * S)
    runs = {}
    for scaling in (None, "marquardt"):
        lm = LevenbergMarquardt(scaling=scaling, ftol=0.0, xtol=0.0)  # 6 trials, whatever happens
        rx = optlib.minimize(fx, x0, method=lm, max_iter=6, gtol=0)
        ry = optlib.minimize(fy, x0 / S, method=lm, max_iter=6, gtol=0)
        assert rx.nit == ry.nit == 6
        runs[scaling] = np.abs(ry.history.x * S / rx.history.x - 1.0).max()
    assert runs["marquardt"] < 1e-10
    assert runs[None] > 1e-3
    # MINPACK's tests (10.8), (10.9) are invariant too: both runs stop at the same trial
    rx = optlib.minimize(fx, x0, method=LevenbergMarquardt(), gtol=0)
    ry = optlib.minimize(fy, x0 / S, method=LevenbergMarquardt(), gtol=0)
    assert rx.status == ry.status == Status.CONVERGED and rx.nit == ry.nit
    assert rx.message == ry.message and "ftol test" in rx.message
    np.testing.assert_allclose(ry.x * S, rx.x, rtol=1e-10)


def test_lm_rejects_a_trial_where_the_residuals_are_not_finite():
    # r(x) = log x: from x = 10 the Gauss–Newton step lands at x < 0, where r is NaN
    p = optlib.LeastSquares(lambda x: np.log(x), lambda x: np.array([[1.0 / x[0]]]))
    with pytest.warns(RuntimeWarning, match="invalid value encountered in log"):  # the user's
        res = optlib.minimize(p, [10.0], method=LevenbergMarquardt(tau=1e-8), gtol=1e-12)
    assert res.success and res.x == pytest.approx([1.0])
    assert np.all(np.isfinite(res.history.fun))
    assert np.array_equal(res.history.x[1], res.history.x[0])  # the NaN trial was rejected


def test_lm_stops_by_minpacks_ftol_test_where_the_residuals_do_not_vanish():
    # an inconsistent linear system: the minimum is reached, ‖∇f‖ = 0 never is exactly; f stops
    # decreasing in its leading digits, and the ftol test (10.8) ends the run with success
    rng = np.random.default_rng(4)
    A, b = rng.standard_normal((10, 3)), rng.standard_normal(10)
    counted = CountedLS(lambda x: A @ x - b, lambda x: A)
    res = optlib.minimize(counted.problem, np.zeros(3), method=LevenbergMarquardt(), gtol=0.0)
    assert (res.status, res.success) == (Status.CONVERGED, True)
    assert res.message.startswith(f"converged at iteration {res.nit}: ftol test: the actual")
    assert "xtol test" not in res.message
    x_star = np.linalg.lstsq(A, b, rcond=None)[0]
    np.testing.assert_allclose(res.x, x_star, rtol=1e-6)
    assert res.nit <= 6
    # the run ends at the last trial's iterate, with no evaluation after it
    np.testing.assert_array_equal(res.x, res.history.x[-1])
    assert res.nfev == counted.nr == res.nit + 1 and res.njev == counted.nj
    # with both tests off, the round-off limit ends it: a rejected trial whose predicted
    # reduction f cannot resolve, and a Jacobian that agrees with f's differences
    p = counted.problem
    method = LevenbergMarquardt(ftol=0.0, xtol=0.0)
    res = optlib.minimize(p, np.zeros(3), method=method, gtol=0.0)
    assert (res.status, res.success) == (Status.NO_PROGRESS, False)
    assert "f cannot decrease along the search direction" in res.message
    assert res.nit < 10 and p.fun(res.x) <= p.fun(x_star) * (1 + 1e-14)


def test_lm_stops_by_minpacks_xtol_test_on_a_zero_residual_fit():
    # zero residual: f falls by nearly all of itself at every step, so the ftol test never
    # holds; the steps shrink quadratically until one is below xtol relative to x
    residuals, jac = exp_fit()
    p = optlib.LeastSquares(residuals, jac)
    res = optlib.minimize(p, [1.0, 0.0], method=LevenbergMarquardt(xtol=1e-6), gtol=0.0)
    assert res.success and res.message.startswith(f"converged at iteration {res.nit}: xtol test")
    steps = np.linalg.norm(np.diff(res.history.x, axis=0), axis=1)
    steps = steps[steps > 0]  # the accepted ones
    assert steps[-1] <= 1e-6 * np.linalg.norm(res.x) * 20  # D^½ is within a factor of 20 of I
    assert steps[-2] > 1e-6 * np.linalg.norm(res.x) / 20  # ... and the run did not stop sooner
    np.testing.assert_allclose(res.x, [2.0, -1.5], rtol=1e-10)


def test_the_ftol_test_needs_a_gain_ratio_of_at_most_two():
    # as in MINPACK: a reduction far larger than predicted says the model is not yet reliable
    lm = LevenbergMarquardt()
    state = SimpleNamespace(d=None)
    p, x = np.array([1.0, 0.0]), np.array([1e3, 0.0])  # ‖p‖ = 1 > 1e-8·1e3: no xtol test
    small = lm._tests(state, p, x, 1.0, 1.0 - 5e-9, 4e-9, 5e-9 / 4e-9)
    assert small.startswith("ftol test")
    assert lm._tests(state, p, x, 1.0, 1.0 - 9e-9, 4e-9, 9e-9 / 4e-9) == ""  # ρ = 2.25 > 2
    assert lm._tests(state, p, x, 1.0, 1.0 - 5e-9, 2e-8, 5e-9 / 2e-8) == ""  # predicted > ftol


def test_lm_starts_again_from_a_point_moved_from_outside():
    # a wrapper such as Lookahead may hand the method an x it did not produce
    residuals, jac = rosenbrock_residuals()
    p = optlib.LeastSquares(residuals, jac)
    oracle = Oracle(p, 2, np.random.default_rng(0))
    method = LevenbergMarquardt(scaling=None)
    x0 = np.array([-1.2, 1.0])
    state = method.init(oracle, x0, p.fun(x0), p.grad(x0))
    mu = state.mu
    x = np.array([0.5, 0.5])
    step = method.step(oracle, state, x, p.fun(x), p.grad(x))
    assert (oracle.nfev, oracle.njev) == (3, 3)  # r, J at x₀; r, J at x; r at the trial
    trial = x + lm_step(jac(x), residuals(x), mu)
    assert p.fun(trial) < p.fun(x)  # so the trial is accepted
    np.testing.assert_allclose(step.x, trial, rtol=1e-14)


# --- the oracle's residuals and Jacobian ---------------------------------------------------------


def test_the_oracle_counts_and_checks_residuals_and_jacobians():
    p = optlib.LeastSquares(lambda x: np.array([x[0], 2 * x[1], 3.0]), lambda x: np.ones((3, 2)))
    oracle = Oracle(p, 2, np.random.default_rng(0))
    assert oracle.residuals(np.ones(2)).shape == (3,)
    assert oracle.jac(np.ones(2)).shape == (3, 2)
    assert (oracle.nfev, oracle.njev, oracle.nhev) == (1, 1, 0)
    bad_r = optlib.LeastSquares(lambda x: np.ones((3, 1)), lambda x: np.ones((3, 2)), name="bad")
    with pytest.raises(ValueError, match=r"bad: residuals\(x\) must return a 1-D array"):
        Oracle(bad_r, 2, None).residuals(np.ones(2))
    bad_j = optlib.LeastSquares(lambda x: np.ones(3), lambda x: np.ones((3, 3)), name="bad")
    with pytest.raises(ValueError, match=r"bad: jac\(x\) must return shape \(m, 2\)"):
        Oracle(bad_j, 2, None).jac(np.ones(2))


def test_a_jacobian_with_the_wrong_number_of_rows_is_named():
    p = optlib.LeastSquares(lambda x: np.ones(3), lambda x: np.ones((4, 2)))
    x = np.ones(2)
    for method in (GaussNewton(), LevenbergMarquardt()):
        oracle = Oracle(p, 2, None)
        with pytest.raises(ValueError, match="the Jacobian has 4 rows but there are 3 residuals"):
            method.init(oracle, x, 1.5, np.zeros(2))


# --- names, needs and bad input -------------------------------------------------------------------


def test_names_and_needs():
    assert isinstance(optlib.methods.by_name("lm"), LevenbergMarquardt)
    assert isinstance(optlib.methods.by_name("Levenberg_Marquardt"), LevenbergMarquardt)
    assert isinstance(optlib.methods.by_name("gauss_newton"), GaussNewton)
    f = optlib.problems.Rosenbrock(2)
    for method in (GaussNewton(), LevenbergMarquardt()):
        with pytest.raises(
            ValueError, match=r"residuals and their Jacobian \(optlib.LeastSquares\)"
        ):
            optlib.minimize(f, f.x0, method=method)


@pytest.mark.parametrize(
    ("cls", "kwargs", "error", "match"),
    [
        (GaussNewton, {"line_search": "exact"}, ValueError, r"line_search must be one of \(None,"),
        (GaussNewton, {"c1": 0.5}, ValueError, "c1 must lie in"),
        (LevenbergMarquardt, {"tau": 0.0}, ValueError, "tau must be a finite number > 0"),
        (LevenbergMarquardt, {"tau": "big"}, TypeError, "tau must be a number"),
        (LevenbergMarquardt, {"scaling": "jac"}, ValueError, r"scaling must be one of \(None,"),
        (LevenbergMarquardt, {"xtol": -1.0}, ValueError, r"xtol must lie in \[0, 1\)"),
        (LevenbergMarquardt, {"ftol": 1.0}, ValueError, r"ftol must lie in \[0, 1\)"),
        (LevenbergMarquardt, {"ftol": None}, TypeError, "ftol must be a number"),
    ],
)
def test_bad_arguments_are_named(cls, kwargs, error, match):
    with pytest.raises(error, match=match):
        cls(**kwargs)
