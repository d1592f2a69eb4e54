"""Conjugate gradients (chapter 11): linear CG's conjugacy and finite termination, and the
nonlinear variants' β formulas, restarts and first trial steps."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from hypothesis import given, settings
from hypothesis import strategies as st

import optlib
from optlib.linear_cg import LinearCGResult, linear_cg
from optlib.methods import NonlinearCG
from optlib.problems import Quadratic, Rosenbrock
from optlib.result import Status

seeds = st.integers(min_value=0, max_value=2**32 - 1)


def conjugacy_defect(directions, A):
    """max over i ≠ j of |dᵢᵀAdⱼ| / (‖dᵢ‖_A ‖dⱼ‖_A)."""
    gram = directions @ A @ directions.T
    scale = np.sqrt(np.diag(gram))
    cosines = gram / np.outer(scale, scale)
    return float(np.abs(cosines - np.eye(len(gram))).max(initial=0.0))


def random_orthogonal(n, rng):
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    return Q * np.sign(np.diag(R))


# --- linear CG: the theorems of chapter 11 --------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(n=st.integers(1, 12), seed=seeds, with_x0=st.booleans())
def test_linear_cg_terminates_in_at_most_n_steps_with_conjugate_directions(spd, n, seed, with_x0):
    A, _, _ = spd(n, seed, low=1.0, high=10.0)
    rng = np.random.default_rng(seed)
    b = rng.standard_normal(n)
    x0 = rng.standard_normal(n) if with_x0 else None

    res = linear_cg(A, b, x0=x0)

    assert (res.success, res.status) == (True, Status.CONVERGED)
    assert 1 <= res.nit <= n
    assert np.linalg.norm(A @ res.x - b) <= 1e-9 * np.linalg.norm(b)
    assert res.directions.shape == (res.nit, n)
    # In floating point, conjugacy is lost gradually as the residual shrinks (each new direction
    # is built from a residual whose relative error grows like ε‖r₀‖/‖rₖ‖), so it is checked on
    # the directions taken while ‖rₖ‖ ≥ 10⁻⁶‖r₀‖: those stay conjugate to about 10⁻⁹.
    early = np.sum(res.residual_norms[: res.nit] >= 1e-6 * res.residual_norms[0])
    assert conjugacy_defect(res.directions[:early], A) <= 1e-7
    np.testing.assert_allclose(
        res.curvatures, np.einsum("ij,jk,ik->i", res.directions, A, res.directions), rtol=1e-12
    )
    assert res.residual_norms.shape == (res.nit + 1,)
    assert res.residual_norms[0] == pytest.approx(np.linalg.norm(b if x0 is None else A @ x0 - b))
    assert res.residual_norms[-1] <= 1e-10 * np.linalg.norm(b)
    assert res.nmatvec == res.nit + (x0 is not None)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(4, 30), k=st.integers(1, 5), seed=seeds)
def test_linear_cg_takes_k_steps_when_a_has_k_distinct_eigenvalues(n, k, seed):
    rng = np.random.default_rng(seed)
    k = min(k, n)
    distinct = 0.5 * np.sort(rng.choice(np.arange(2, 60), size=k, replace=False))  # gaps ≥ ½
    lam = np.concatenate([distinct, rng.choice(distinct, size=n - k)])  # each value ≥ once
    Q = random_orthogonal(n, rng)
    A = (Q * lam) @ Q.T
    A = 0.5 * (A + A.T)
    b = rng.standard_normal(n)  # has a component in every eigenspace, almost surely

    res = linear_cg(A, b, tol=1e-8)

    assert res.success
    assert res.nit == k
    assert np.linalg.norm(A @ res.x - b) <= 1e-8 * np.linalg.norm(b)


def test_linear_cg_by_hand_on_a_2x2_system():
    # A = [[4, 1], [1, 3]], b = (1, 2), x₀ = (2, 1): r₀ = Ax₀ − b = (8, 3), d₀ = −r₀,
    # Ar₀ = (35, 17), α₀ = r₀ᵀr₀ / r₀ᵀAr₀ = 73/331; the second step lands on (1/11, 7/11).
    A = np.array([[4.0, 1.0], [1.0, 3.0]])
    res = linear_cg(A, np.array([1.0, 2.0]), x0=[2.0, 1.0])
    assert res.nit == 2
    np.testing.assert_allclose(res.x, [1 / 11, 7 / 11], rtol=1e-14)
    np.testing.assert_array_equal(res.directions[0], [-8.0, -3.0])
    assert res.curvatures[0] == 331.0
    r1 = np.array([8.0, 3.0]) - 73 / 331 * np.array([35.0, 17.0])  # (11.3)
    assert res.residual_norms[1] == pytest.approx(np.linalg.norm(r1), rel=1e-14)
    beta = (r1 @ r1) / 73  # (11.4)
    np.testing.assert_allclose(res.directions[1], -r1 + beta * np.array([-8.0, -3.0]), rtol=1e-14)


def test_linear_cg_iterates_by_hand_on_a_2x2_system():
    # The system above: x₁ = x₀ + α₀d₀ with α₀ = 73/331, d₀ = (−8, −3); x₂ is the solution.
    A = np.array([[4.0, 1.0], [1.0, 3.0]])
    res = linear_cg(A, np.array([1.0, 2.0]), x0=[2.0, 1.0])
    X = res.iterates
    assert X.shape == (3, 2)
    np.testing.assert_array_equal(X[0], [2.0, 1.0])
    np.testing.assert_allclose(X[1], [2.0 - 8 * 73 / 331, 1.0 - 3 * 73 / 331], rtol=1e-14)
    np.testing.assert_array_equal(X[-1], res.x)  # the run's own additions, in its order
    assert res.step_lengths[0] == pytest.approx(73 / 331, rel=1e-15)


def test_linear_cg_iterates_need_the_directions(spd):
    A, _, _ = spd(5, 0)
    res = linear_cg(A, np.ones(5), keep_directions=False)
    with pytest.raises(ValueError, match="keep_directions=True"):
        _ = res.iterates


def test_linear_cg_accepts_a_callable_and_gives_the_same_iterates(spd):
    A, _, _ = spd(8, 4)
    b = np.arange(8.0)
    matrix = linear_cg(A, b)
    operator = linear_cg(lambda v: A @ v, b)
    np.testing.assert_array_equal(operator.x, matrix.x)
    np.testing.assert_array_equal(operator.residual_norms, matrix.residual_norms)
    sparse = linear_cg(scipy.sparse.csr_matrix(A).dot, b)
    np.testing.assert_allclose(sparse.x, matrix.x, rtol=1e-12)


def test_linear_cg_on_a_large_diagonal_operator():
    # 10⁵ unknowns, eigenvalues 1, 2, 3, 4: four steps.
    d = np.resize([1.0, 2.0, 3.0, 4.0], 100_000)
    b = np.ones(d.size)
    res = linear_cg(lambda v: d * v, b, tol=1e-12)
    assert res.nit == 4
    np.testing.assert_allclose(res.x, 1.0 / d, rtol=1e-10)
    assert res.directions is None  # 10⁵ × 10⁶ numbers are not kept by default


def test_linear_cg_reports_non_positive_curvature():
    # A = diag(1, −1), b = (1, 2): d₀ = b has d₀ᵀAd₀ = 1 − 4 < 0 at the first step.
    A = np.diag([1.0, -1.0])
    res = linear_cg(A, np.array([1.0, 2.0]))
    assert (res.success, res.status) == (False, Status.METHOD_FAILED)
    assert res.message == (
        "non-positive curvature dᵀAd = -3 at iteration 1: A is not positive definite"
    )
    assert res.nit == 0
    np.testing.assert_array_equal(res.x, [0.0, 0.0])
    np.testing.assert_array_equal(res.curvature_direction, [1.0, 2.0])


def test_linear_cg_reports_curvature_found_after_some_steps():
    # diag(3, 2, 1, −0.01): the negative direction is found only once the others are spent.
    A = np.diag([3.0, 2.0, 1.0, -0.01])
    res = linear_cg(A, np.array([1.0, 1.0, 1.0, 0.1]))
    assert res.status == Status.METHOD_FAILED
    assert res.nit >= 1
    d = res.curvature_direction
    assert d @ A @ d <= 0
    assert res.message.startswith("non-positive curvature dᵀAd = ")
    assert f"at iteration {res.nit + 1}: A is not positive definite" in res.message


def test_linear_cg_stops_at_max_iter(spd):
    A, _, _ = spd(10, 2)
    res = linear_cg(A, np.ones(10), max_iter=3)
    assert (res.status, res.nit, res.success) == (Status.MAX_ITER, 3, False)
    assert res.message == "stopped: max_iter = 3 reached"
    assert res.residual_norms.shape == (4,)


def test_linear_cg_zero_right_hand_side():
    A = np.diag([1.0, 5.0])
    assert linear_cg(A, np.zeros(2)).nit == 0  # x₀ = 0 solves it
    res = linear_cg(A, np.zeros(2), x0=[1.0, 1.0])  # tolerance relative to ‖r₀‖
    assert res.success
    np.testing.assert_allclose(res.x, 0.0, atol=1e-10)


def test_linear_cg_reports_non_finite_products():
    res = linear_cg(lambda v: np.full(2, np.nan), np.ones(2))
    assert (res.status, res.success) == (Status.DIVERGED, False)
    assert res.message == "non-finite dᵀAd at iteration 1"


def test_linear_cg_keep_directions_switch(spd):
    A, _, _ = spd(5, 0)
    assert linear_cg(A, np.ones(5), keep_directions=False).directions is None
    kept = linear_cg(A, np.ones(5), keep_directions=True)
    assert isinstance(kept, LinearCGResult) and kept.directions.shape == (kept.nit, 5)


@pytest.mark.parametrize(
    ("A", "b", "kwargs", "error", "match"),
    [
        ([[1.0, 2.0], [0.0, 1.0]], [1.0, 1.0], {}, ValueError, r"A must be symmetric"),
        ([[1.0, 0.0]], [1.0, 1.0], {}, ValueError, r"A must be a square matrix of shape \(2, 2\)"),
        (np.eye(3), [1.0, 1.0], {}, ValueError, r"A must be a square matrix of shape \(2, 2\)"),
        ([[np.inf, 0.0], [0.0, 1.0]], [1.0, 1.0], {}, ValueError, r"A must be finite"),
        ("A", [1.0, 1.0], {}, TypeError, r"A must be a matrix or a callable"),
        (scipy.sparse.eye(2), [1.0, 1.0], {}, TypeError, r"wrap a sparse matrix"),
        (np.eye(2), [[1.0, 1.0]], {}, ValueError, r"b must be a 1-D array"),
        (np.eye(2), [1.0, np.nan], {}, ValueError, r"b must be finite"),
        (np.eye(2), [1.0, 1.0], {"x0": [1.0]}, ValueError, r"x0 must have shape \(2,\)"),
        (np.eye(2), [1.0, 1.0], {"tol": -1.0}, ValueError, r"tol must be a finite number >= 0"),
        (np.eye(2), [1.0, 1.0], {"tol": "x"}, TypeError, r"tol must be a number"),
        (np.eye(2), [1.0, 1.0], {"max_iter": -1}, ValueError, r"max_iter must be a whole"),
        (np.eye(2), [1.0, 1.0], {"max_iter": 2.5}, ValueError, r"max_iter must be a whole"),
    ],
)
def test_linear_cg_bad_input_names_the_argument(A, b, kwargs, error, match):
    with pytest.raises(error, match=match):
        linear_cg(A, b, **kwargs)


def test_linear_cg_callable_with_wrong_output_shape():
    with pytest.raises(ValueError, match=r"A\(v\) must return shape \(2,\), got \(3,\)"):
        linear_cg(lambda v: np.ones(3), np.ones(2))


def test_linear_cg_is_exported_at_the_top_level():
    assert optlib.linear_cg is linear_cg


# --- nonlinear CG --------------------------------------------------------------------------------


@pytest.mark.parametrize("beta", ["FR", "PR"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fr_and_pr_with_exact_line_searches_are_linear_cg_on_a_quadratic(spd, beta, seed):
    # With exact steps gₖ₊₁ᵀgₖ = 0, so βᶠᴿ = βᴾᴿ = linear CG's (11.4), and the gradient norms
    # are linear CG's residual norms. A tiny c₂ makes the strong Wolfe step exact (to round-off)
    # on a quadratic: the cubic interpolation of the zoom is exact there.
    n = 6
    A, _, _ = spd(n, seed, low=1.0, high=10.0)
    b = np.random.default_rng(seed).standard_normal(n)
    method = NonlinearCG(beta=beta, nu=None, c1=1e-10, c2=1e-9)
    # n − 1 steps: the n-th would look for an exact step where ∇f is round-off.
    res = optlib.minimize(Quadratic(A, b), np.zeros(n), method=method, gtol=0.0, max_iter=n - 1)
    reference = linear_cg(A, b, tol=1e-14)
    assert res.nit == n - 1 and reference.nit == n
    np.testing.assert_allclose(res.history.grad_norm, reference.residual_norms[:n], rtol=1e-6)
    assert reference.residual_norms[n] <= 1e-12 * reference.residual_norms[0]


@pytest.mark.parametrize("beta", ["FR", "PR", "PR+"])
def test_every_variant_solves_rosenbrock(beta):
    problem = Rosenbrock(2)
    res = optlib.minimize(problem, problem.x0, method=NonlinearCG(beta=beta), gtol=1e-6)
    assert res.success
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-5)
    assert res.nfev == res.njev  # every trial evaluates f and ∇f together


@pytest.mark.parametrize("beta", ["FR", "PR", "PR+"])
def test_directions_follow_the_beta_formulas_and_restart_rules(search_spy, beta):
    spy = search_spy()
    problem = Rosenbrock(4)
    nu = 0.1
    res = optlib.minimize(
        problem, problem.x0, method=NonlinearCG(beta=beta, nu=nu), max_iter=60, gtol=1e-10
    )
    assert len(spy.calls) == res.nit >= 30
    conjugate = restarts = 0
    for (_, g_old, d_old, _, _), (_, g, d, _, _) in zip(spy.calls[:-1], spy.calls[1:], strict=True):
        assert g @ d < 0  # always a descent direction
        if abs(g @ g_old) >= nu * (g @ g):  # (11.11)
            np.testing.assert_array_equal(d, -g)
            restarts += 1
            continue
        if beta == "FR":
            expected = (g @ g) / (g_old @ g_old)  # (11.7)
        else:
            expected = g @ (g - g_old) / (g_old @ g_old)  # (11.8)
            if beta == "PR+":
                expected = max(expected, 0.0)  # (11.9)
        candidate = -g + expected * d_old  # (11.10)
        if g @ candidate < 0:
            np.testing.assert_allclose(d, candidate, rtol=1e-12, atol=1e-12 * np.abs(d).max())
            conjugate += expected != 0
        else:  # not a descent direction: restart
            np.testing.assert_array_equal(d, -g)
            restarts += 1
    assert conjugate >= 10 and restarts >= 1


def test_orthogonality_test_is_on_for_fr_and_off_for_pr_by_default():
    assert NonlinearCG(beta="FR").nu == 0.1
    assert NonlinearCG(beta="PR").nu is None
    assert NonlinearCG().nu is None
    assert NonlinearCG(beta="PR+", nu=0.2).nu == 0.2
    assert NonlinearCG(beta="FR", nu=None).nu is None


@pytest.mark.parametrize("restart", [1, 3, "n"])
def test_periodic_restarts(search_spy, restart):
    spy = search_spy()
    problem = Rosenbrock(3)
    method = NonlinearCG(restart=restart, nu=None)
    optlib.minimize(problem, problem.x0, method=method, max_iter=30, gtol=1e-12)
    period = 3 if restart == "n" else restart
    for k, (_, g, d, _, _) in enumerate(spy.calls):
        if k % period == 0:
            np.testing.assert_array_equal(d, -g)
    if period > 1:
        assert any(not np.array_equal(d, -g) for _, g, d, _, _ in spy.calls)


def test_first_trial_steps_follow_n_w_3_60(search_spy):
    spy = search_spy()
    problem = Rosenbrock(2)
    optlib.minimize(problem, problem.x0, method=NonlinearCG(), max_iter=20, gtol=1e-12)
    _, g0, _, alpha0, _ = spy.calls[0]
    assert alpha0 == min(1.0, 1.0 / np.linalg.norm(g0))
    for (_, g_old, d_old, _, a_old), (_, g, d, a0, _) in zip(
        spy.calls[:-1], spy.calls[1:], strict=True
    ):
        assert a0 == pytest.approx(a_old * (g_old @ d_old) / (g @ d), rel=1e-12)  # (11.12)


def test_a_failed_search_along_a_conjugate_direction_is_retried_along_minus_g(search_spy):
    spy = search_spy(fail_on={3})
    problem = Rosenbrock(2)
    res = optlib.minimize(problem, problem.x0, method=NonlinearCG(), gtol=1e-6)
    assert res.success
    failed, retried = spy.calls[3], spy.calls[4]
    assert failed[4] is None and not np.array_equal(failed[2], -failed[1])
    np.testing.assert_array_equal(retried[0], failed[0])  # same point
    np.testing.assert_array_equal(retried[2], -retried[1])  # steepest descent


def test_a_failed_steepest_descent_search_ends_the_run(search_spy):
    search_spy(fail_on={0})
    problem = Rosenbrock(2)
    res = optlib.minimize(problem, problem.x0, method=NonlinearCG())
    assert res.status == Status.METHOD_FAILED
    assert res.message == "failed at iteration 1: spy: this search fails"


def test_names_and_defaults():
    for name in ("cg", "nonlinear_cg", "CG"):
        assert isinstance(optlib.methods.by_name(name), NonlinearCG)
    m = NonlinearCG()
    assert (m.beta, m.restart, m.nu, m.c1, m.c2) == ("PR+", None, None, 1e-4, 0.1)
    assert repr(NonlinearCG(beta="FR", restart="n")) == (
        "NonlinearCG(beta='FR', restart='n', nu=0.1, c1=0.0001, c2=0.1)"
    )
    res = optlib.minimize(
        Rosenbrock(2).fun, [-1.2, 1.0], method="cg", jac=Rosenbrock(2).grad, options={"beta": "FR"}
    )
    assert res.success


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"beta": "HS"}, ValueError, r"beta must be one of \('FR', 'PR', 'PR\+'\)"),
        ({"beta": "pr+"}, ValueError, r"beta must be one of"),
        ({"restart": 0}, ValueError, r"restart must be a whole number >= 1, got 0"),
        ({"restart": 2.5}, TypeError, r"restart must be a whole number, got 2.5"),
        ({"restart": True}, TypeError, r"restart must be a whole number, got True"),
        ({"restart": "N"}, ValueError, r"restart must be one of \('n', None\), got 'N'"),
        ({"c1": 0.5}, ValueError, r"c1 must lie in \(0.0, 0.5\)"),
        ({"nu": 0.0}, ValueError, r"nu must lie in"),
        ({"nu": -0.1}, ValueError, r"nu must lie in"),
        ({"nu": "big"}, TypeError, r"nu must be a number"),
        ({"c1": 0.0}, ValueError, r"c1 must lie in"),
        ({"c2": 1.0}, ValueError, r"c2 must lie in"),
        ({"c1": 0.2, "c2": 0.1}, ValueError, r"c2 must lie in"),
    ],
)
def test_bad_hyper_parameters_name_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        NonlinearCG(**kwargs)
