"""BFGS and L-BFGS (chapters 12 and 13): the update and its properties, the two-loop recursion,
the equivalence of L-BFGS with full memory and BFGS, and the methods' behaviour."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import optlib
from optlib.methods import BFGS, LBFGS
from optlib.methods.bfgs import bfgs_update
from optlib.methods.lbfgs import two_loop
from optlib.oracle import Oracle
from optlib.problems import Quadratic, Rosenbrock
from optlib.problems.mgh import ExtendedRosenbrock, classic_suite
from optlib.result import Status

seeds = st.integers(min_value=0, max_value=2**32 - 1)


def random_pair(n, rng, B=None):
    """(s, y) with sᵀy > 0: y = Bs for a random SPD B (the curvature a Wolfe step guarantees)."""
    if B is None:
        M = rng.standard_normal((n, n))
        B = M @ M.T + 0.1 * np.eye(n)
    s = rng.standard_normal(n)
    return s, B @ s


def product_form(H, s, y):
    """N&W (6.17) written literally, with two matrix products."""
    rho = 1.0 / (y @ s)
    V = np.eye(len(s)) - rho * np.outer(y, s)
    return V.T @ H @ V + rho * np.outer(s, s)


# --- the update (12.6) ---------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 10), seed=seeds)
def test_bfgs_update_satisfies_the_secant_equation_and_stays_spd(spd, n, seed):
    H, _, _ = spd(n, seed, low=0.1, high=10.0)
    rng = np.random.default_rng(seed)
    s, y = random_pair(n, rng)
    assert s @ y > 0

    H_new = bfgs_update(H, s, y)

    scale = np.linalg.norm(s) + np.linalg.norm(H_new, 2) * np.linalg.norm(y)
    np.testing.assert_allclose(H_new @ y, s, rtol=0, atol=1e-12 * scale)  # (12.1)
    np.testing.assert_array_equal(H_new, H_new.T)  # exactly symmetric
    assert np.linalg.eigvalsh(H_new)[0] > 0
    np.testing.assert_allclose(
        H_new, product_form(H, s, y), rtol=0, atol=1e-12 * np.abs(H_new).max()
    )
    np.testing.assert_array_equal(H, spd(n, seed, low=0.1, high=10.0)[0])  # H is untouched


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 8), seed=seeds)
def test_without_positive_curvature_the_update_is_not_positive_definite(spd, n, seed):
    # Why the methods skip a pair with sᵀy ≤ 0: (12.6) then has yᵀH₊y = sᵀy ≤ 0.
    H, _, _ = spd(n, seed)
    rng = np.random.default_rng(seed)
    s, y = random_pair(n, rng)
    y = -y  # sᵀy < 0
    updated = product_form(H, s, y)
    assert y @ updated @ y == pytest.approx(s @ y, rel=1e-8)
    assert np.linalg.eigvalsh(0.5 * (updated + updated.T))[0] < 0
    with pytest.raises(ValueError, match=r"the BFGS update needs sᵀy > 0, got -"):
        bfgs_update(H, s, y)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 8), seed=seeds)
def test_the_update_keeps_h_exactly_symmetric_and_leaves_it_unchanged(spd, n, seed):
    H, _, _ = spd(n, seed)
    H = H @ H.T  # exactly symmetric
    before = H.copy()
    s, y = random_pair(n, np.random.default_rng(seed))
    updated = bfgs_update(H, s, y)
    np.testing.assert_array_equal(updated, updated.T)
    np.testing.assert_array_equal(H, before)


def test_n_updates_with_exact_steps_recover_the_inverse_of_a_quadratic_hessian(spd):
    # On ½xᵀAx with conjugate steps sᵢ (yᵢ = Asᵢ), n updates give H = A⁻¹ (N&W §6.4).
    n = 5
    A, _, _ = spd(n, 7)
    directions = np.linalg.cholesky(np.linalg.inv(A))  # columns are A-conjugate: LᵀAL = I
    H = np.eye(n)
    for s in directions.T:
        H = bfgs_update(H, s, A @ s)
    np.testing.assert_allclose(H, np.linalg.inv(A), rtol=0, atol=1e-12 * np.abs(H).max())


# --- the two-loop recursion (13.3)–(13.5) ------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 10), m=st.integers(1, 8), seed=seeds, gamma=st.floats(0.01, 100.0))
def test_two_loop_equals_m_explicit_bfgs_updates_of_gamma_identity(n, m, seed, gamma):
    rng = np.random.default_rng(seed)
    pairs = [random_pair(n, rng) for _ in range(m)]
    g = rng.standard_normal(n)

    H = gamma * np.eye(n)
    for s, y in pairs:  # oldest first
        H = bfgs_update(H, s, y)

    expected = H @ g
    scale = np.abs(H).max() * np.linalg.norm(g)
    stored = [(s, y, 1.0 / (s @ y)) for s, y in pairs]
    np.testing.assert_allclose(two_loop(g, stored, gamma), expected, rtol=0, atol=1e-10 * scale)


def test_two_loop_does_not_change_its_inputs():
    rng = np.random.default_rng(0)
    S, Y, g = rng.standard_normal((3, 4)), rng.standard_normal((3, 4)), rng.standard_normal(4)
    Y += 3 * S  # keep sᵀy > 0
    copies = S.copy(), Y.copy(), g.copy()
    two_loop(g, [(s, y, 1.0 / (s @ y)) for s, y in zip(S, Y, strict=True)], 0.5)
    for before, after in zip(copies, (S, Y, g), strict=True):
        np.testing.assert_array_equal(before, after)


# --- L-BFGS with enough memory is BFGS -----------------------------------------------------------


def _assert_same_iterates(problem, x0, iterations):
    bfgs = optlib.minimize(problem, x0, method=BFGS(), max_iter=iterations, gtol=0.0)
    lbfgs = optlib.minimize(
        problem, x0, method=LBFGS(m=iterations, scaling="first"), max_iter=iterations, gtol=0.0
    )
    assert bfgs.nit == lbfgs.nit == iterations
    scale = np.abs(bfgs.history.x).max()
    np.testing.assert_allclose(lbfgs.history.x, bfgs.history.x, rtol=0, atol=1e-8 * scale)
    assert (lbfgs.nfev, lbfgs.njev) == (bfgs.nfev, bfgs.njev)  # the same line searches
    return bfgs


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 8), seed=seeds)
def test_lbfgs_with_full_memory_gives_bfgs_iterates_on_quadratics(spd, n, seed):
    A, _, _ = spd(n, seed, low=0.5, high=20.0)
    rng = np.random.default_rng(seed)
    _assert_same_iterates(Quadratic(A, rng.standard_normal(n)), rng.standard_normal(n), n)


@pytest.mark.parametrize(
    ("name", "iterations"),
    [("rosenbrock", 25), ("helical_valley", 15), ("wood", 30), ("chebyquad8", 15)],
)
def test_lbfgs_with_full_memory_gives_bfgs_iterates_on_mgh_problems(name, iterations):
    (problem,) = classic_suite([name])
    _assert_same_iterates(problem, problem.x0, iterations)


def test_lbfgs_default_scaling_differs_from_bfgs():
    # γₖ from the latest pair (N&W (7.20)) changes the initial matrix at every step.
    problem = Rosenbrock(2)
    bfgs = optlib.minimize(problem, problem.x0, method=BFGS(), max_iter=10, gtol=0.0)
    lbfgs = optlib.minimize(problem, problem.x0, method=LBFGS(m=10), max_iter=10, gtol=0.0)
    np.testing.assert_array_equal(lbfgs.history.x[:3], bfgs.history.x[:3])  # γ₁ is γ₀
    assert np.abs(lbfgs.history.x[4:] - bfgs.history.x[4:]).max() > 1e-3


# --- the methods -------------------------------------------------------------------------------


def test_bfgs_directions_follow_the_update_from_the_scaled_identity(search_spy):
    spy = search_spy()
    problem = Rosenbrock(3)
    optlib.minimize(problem, problem.x0, method=BFGS(), max_iter=12, gtol=0.0)
    x0, g0, d0, alpha0, _ = spy.calls[0]
    np.testing.assert_array_equal(d0, -g0)  # H₀ = I for the first step
    assert alpha0 == min(1.0, 1.0 / np.linalg.norm(g0))
    H = None
    for (x, g, d, _, alpha), (x_next, g_next, d_next, a0_next, _) in zip(
        spy.calls[:-1], spy.calls[1:], strict=True
    ):
        s, y = alpha * d, g_next - g  # (12.4)
        np.testing.assert_allclose(x_next, x + s, rtol=1e-15, atol=1e-15)
        if H is None:
            H = (s @ y) / (y @ y) * np.eye(3)  # (12.7)
        H = bfgs_update(H, s, y)
        np.testing.assert_allclose(d_next, -H @ g_next, rtol=1e-9, atol=1e-12)  # (12.2)
        assert a0_next == 1.0


@pytest.mark.parametrize("method", [BFGS(), LBFGS(m=3)], ids=["bfgs", "lbfgs"])
def test_a_failed_quasi_newton_search_restarts_from_steepest_descent(search_spy, method):
    spy = search_spy(fail_on={4})
    problem = Rosenbrock(2)
    res = optlib.minimize(problem, problem.x0, method=method, gtol=1e-8)
    assert res.success
    failed, retried, after = spy.calls[4], spy.calls[5], spy.calls[6]
    assert failed[4] is None and failed[3] == 1.0
    np.testing.assert_array_equal(retried[0], failed[0])  # same point, now along −g
    np.testing.assert_array_equal(retried[2], -retried[1])
    assert retried[3] == min(1.0, 1.0 / np.linalg.norm(retried[1]))
    # the estimate restarted: after one pair, H = BFGS update of γI with that pair
    s, y = retried[4] * retried[2], after[1] - retried[1]
    H = bfgs_update((s @ y) / (y @ y) * np.eye(2), s, y)
    np.testing.assert_allclose(after[2], -H @ after[1], rtol=1e-10)


@pytest.mark.parametrize("method", [BFGS(), LBFGS()], ids=["bfgs", "lbfgs"])
def test_a_failed_steepest_descent_search_ends_the_run(search_spy, method):
    search_spy(fail_on={0})
    problem = Rosenbrock(2)
    res = optlib.minimize(problem, problem.x0, method=method)
    assert res.status == Status.METHOD_FAILED
    assert res.message == "failed at iteration 1: spy: this search fails"


@pytest.mark.parametrize("method", [BFGS(), LBFGS(), LBFGS(m=1)], ids=["bfgs", "lbfgs", "m=1"])
def test_rosenbrock_is_solved_with_honest_counts(counted, method):
    problem = Rosenbrock(2)
    counted_problem, calls = counted(problem.fun, problem.grad)
    res = optlib.minimize(counted_problem, problem.x0, method=method, gtol=1e-8)
    assert res.success
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-7)
    assert (res.nfev, res.njev) == (calls.f, calls.grad)
    assert res.nfev == res.njev  # every trial evaluates f and ∇f together


def test_bfgs_converges_superlinearly_on_rosenbrock():
    problem = Rosenbrock(2)
    res = optlib.minimize(problem, problem.x0, method=BFGS(), gtol=1e-12)
    errors = np.linalg.norm(res.history.x - 1.0, axis=1)
    ratios = errors[1:] / errors[:-1]
    tail = ratios[-4:]
    assert res.success and errors[-1] < 1e-10
    assert tail.min() < 0.05  # superlinear: the error ratio goes to 0 (linear would stay put)


def test_lbfgs_on_a_hundred_thousand_variables():
    n = 100_000
    problem = ExtendedRosenbrock(n)
    start = time.perf_counter()
    res = optlib.minimize(problem, problem.x0, method=LBFGS(), gtol=1e-6 * np.sqrt(n))
    elapsed = time.perf_counter() - start
    assert res.success, res.message
    assert np.abs(res.x - 1.0).max() < 1e-5
    assert res.nit < 100
    assert elapsed < 20.0  # about 1 s on a laptop; generous for a loaded 2-core machine
    state = LBFGS(m=7).init(Oracle(problem, n, None), problem.x0, None, None)
    assert state.pairs.maxlen == 7  # at most m pairs (sᵢ, yᵢ, ρᵢ): all the memory there is


def test_names_defaults_and_repr():
    assert isinstance(optlib.methods.by_name("bfgs"), BFGS)
    for name in ("lbfgs", "l-bfgs", "L-BFGS"):
        assert isinstance(optlib.methods.by_name(name), LBFGS)
    assert repr(BFGS()) == "BFGS(c1=0.0001, c2=0.9)"
    assert repr(LBFGS()) == "LBFGS(m=10, c1=0.0001, c2=0.9, scaling='latest')"
    res = optlib.minimize(
        Rosenbrock(2).fun, [-1.2, 1.0], method="l-bfgs", jac=Rosenbrock(2).grad, options={"m": 3}
    )
    assert res.success


@pytest.mark.parametrize(
    ("cls", "kwargs", "error", "match"),
    [
        (BFGS, {"c1": 0.0}, ValueError, r"c1 must lie in"),
        (BFGS, {"c1": 1.0}, ValueError, r"c1 must lie in"),
        (BFGS, {"c2": 1.0}, ValueError, r"c2 must lie in"),
        (BFGS, {"c1": 0.5}, ValueError, r"c1 must lie in \(0.0, 0.5\)"),
        (BFGS, {"c1": 0.3, "c2": 0.2}, ValueError, r"c2 must lie in"),
        (BFGS, {"c2": "x"}, TypeError, r"c2 must be a number"),
        (LBFGS, {"m": 0}, ValueError, r"m must be a whole number >= 1, got 0"),
        (LBFGS, {"m": 2.5}, TypeError, r"m must be a whole number, got 2.5"),
        (LBFGS, {"m": 10.0}, TypeError, r"m must be a whole number, got 10.0"),
        (LBFGS, {"m": True}, TypeError, r"m must be a whole number, got True"),
        (LBFGS, {"scaling": "last"}, ValueError, r"scaling must be one of \('latest', 'first'\)"),
        (LBFGS, {"c2": 0.0}, ValueError, r"c2 must lie in"),
    ],
)
def test_bad_hyper_parameters_name_the_argument(cls, kwargs, error, match):
    with pytest.raises(error, match=match):
        cls(**kwargs)
