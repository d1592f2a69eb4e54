"""The run loop: honest counts, explicit stopping, divergence as a result, history, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import optlib
from optlib import methods
from optlib.method import Method, MethodConverged, Step
from optlib.methods import GradientDescent
from optlib.problems import Quadratic, Rosenbrock, mgh
from optlib.result import Iterate, Status

A2 = np.diag([1.0, 10.0])


def quadratic_callables(A):
    A = np.asarray(A, dtype=float)
    return (lambda x: 0.5 * float(x @ A @ x)), (lambda x: A @ x), (lambda x, v: A @ v)


def rosenbrock_callables():
    r = Rosenbrock(2)
    return r.fun, r.grad, r.hessp


def run_quietly(*args, **kwargs):
    """minimize with every RuntimeWarning an error: divergence must be reported, not warned."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        return optlib.minimize(*args, **kwargs)


# --- evaluations are counted honestly -----------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "callables", "x0", "max_iter"),
    [
        (GradientDescent(lr=0.05), quadratic_callables(A2), [1.0, 1.0], 40),
        (GradientDescent(lr=1e-3), rosenbrock_callables(), [-1.2, 1.0], 40),
        (GradientDescent(lr=1.0, line_search="armijo"), rosenbrock_callables(), [-1.2, 1.0], 40),
        (GradientDescent(line_search="wolfe"), rosenbrock_callables(), [-1.2, 1.0], 40),
        (GradientDescent(lr=2.0, line_search="wolfe"), quadratic_callables(A2), [3.0, 1.0], 40),
    ],
    ids=["fixed-quadratic", "fixed-rosenbrock", "armijo", "wolfe-rosenbrock", "wolfe-quadratic"],
)
def test_counters_equal_the_true_number_of_calls(counted, method, callables, x0, max_iter):
    problem, calls = counted(*callables)
    res = optlib.minimize(problem, x0, method=method, max_iter=max_iter, gtol=1e-8)
    assert res.nit >= 1
    assert (res.nfev, res.njev, res.nhev) == (calls.f, calls.grad, calls.hessp)
    if method.line_search is None:
        # one f and one ∇f at x₀ and at every iterate, nothing else
        assert res.nfev == res.njev == res.nit + 1
    elif method.line_search == "armijo":
        assert res.njev == res.nit + 1  # ∇f only at the iterates
        assert res.nfev > res.nit + 1  # Rosenbrock from x₀ needs backtracking
    else:
        assert res.nfev == res.njev >= res.nit + 1  # every Wolfe trial evaluates both
    assert res.nhev == 0


def test_counters_for_exact_line_search(counting_quadratic):
    problem = counting_quadratic(A2, b=[1.0, 2.0])
    res = optlib.minimize(
        problem, [3.0, 1.0], method=GradientDescent(line_search="exact"), max_iter=15, gtol=0
    )
    calls = problem.calls
    assert res.nit == 15
    assert (res.nfev, res.njev, res.nhev) == (calls.f, calls.grad, calls.hessp + calls.hess)
    assert (res.nfev, res.njev, res.nhev) == (16, 16, 15)  # one Hessian product per step


def test_counters_of_runs_that_fail(counted, counting_quadratic):
    problem, calls = counted(lambda x: -x[0], lambda x: np.array([-1.0, 0.0]))
    res = optlib.minimize(problem, [0.0, 0.0], method=GradientDescent(line_search="wolfe"))
    assert res.status == Status.METHOD_FAILED
    assert (res.nfev, res.njev) == (calls.f, calls.grad)
    assert res.nfev > 10  # the search kept trying longer steps, and they were counted

    quad = counting_quadratic(np.diag([1.0, -1.0]))
    res = optlib.minimize(quad, [1.0, 2.0], method=GradientDescent(line_search="exact"))
    assert res.status == Status.METHOD_FAILED
    assert (res.nfev, res.njev, res.nhev) == (quad.calls.f, quad.calls.grad, quad.calls.hessp)
    assert (res.nfev, res.njev, res.nhev) == (1, 1, 1)


# --- the two call styles -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options", [{"lr": 1e-3}, {"line_search": "armijo"}, {"line_search": "wolfe", "c2": 0.5}]
)
def test_both_call_styles_give_identical_runs(options):
    f, g, _ = rosenbrock_callables()
    x0 = np.array([-1.2, 1.0])
    a = optlib.minimize(
        optlib.Problem(f, grad=g), x0, method=GradientDescent(**options), max_iter=200
    )
    b = optlib.minimize(f, x0, method="gd", jac=g, options=options, max_iter=200)
    c = optlib.minimize(f, x0, method="Gradient_Descent", jac=g, options=options, max_iter=200)
    for other in (b, c):
        np.testing.assert_array_equal(a.history.x, other.history.x)
        np.testing.assert_array_equal(a.history.fun, other.history.fun)
        for field in ("nit", "nfev", "njev", "status", "message"):
            assert getattr(a, field) == getattr(other, field)
        assert a.method == other.method
    assert a.nit == 200


# --- stopping rules ------------------------------------------------------------------------------


@pytest.mark.parametrize("gtol", [1e-2, 1e-6, 1e-10])
def test_gtol_stops_at_the_first_small_gradient(gtol):
    res = optlib.minimize(Quadratic(A2), [1.0, 1.0], method=GradientDescent(lr=0.1), gtol=gtol)
    assert res.success is True
    assert res.status == Status.CONVERGED == 0
    assert "gtol" in res.message
    norms = res.history.grad_norm
    assert norms[-1] <= gtol < norms[-2]
    assert np.all(norms[:-1] > gtol)
    assert norms[-1] == np.linalg.norm(res.jac)
    # along the slow eigenvector the gradient is 0.9ᵏ: k = ⌈log(gtol)/log(0.9)⌉
    assert res.nit == int(np.ceil(np.log(gtol) / np.log(0.9)))


def test_defaults_gtol_1e_6_and_max_iter_1000():
    res = optlib.minimize(Quadratic(A2), [1.0, 1.0], method=GradientDescent(lr=0.1))
    assert (res.success, res.nit) == (True, 132)  # 0.9ᵏ ≤ 1e-6 first at k = 132
    res = optlib.minimize(Quadratic(A2), [1.0, 1.0], method=GradientDescent(lr=1e-4))
    assert (res.status, res.nit) == (Status.MAX_ITER, 1000)


@pytest.mark.parametrize("max_iter", [0, 1, 7])
def test_max_iter_stops_with_status_1(max_iter):
    res = optlib.minimize(
        Quadratic(A2), [1.0, 1.0], method=GradientDescent(lr=0.01), max_iter=max_iter
    )
    assert res.success is False
    assert res.status == Status.MAX_ITER == 1
    assert res.nit == max_iter
    assert f"max_iter = {max_iter}" in res.message
    assert len(res.history.fun) == len(res.history.grad_norm) == max_iter + 1
    assert res.history.x.shape == (max_iter + 1, 2)
    assert (res.nfev, res.njev) == (max_iter + 1, max_iter + 1)


@pytest.mark.parametrize("gtol", [0.0, 1e-6])
def test_an_optimal_start_takes_no_iteration(counted, gtol):
    problem, calls = counted(*quadratic_callables(A2))
    res = optlib.minimize(problem, [0.0, 0.0], method=GradientDescent(lr=0.1), gtol=gtol)
    assert (res.success, res.status, res.nit) == (True, 0, 0)
    assert (calls.f, calls.grad) == (1, 1)
    np.testing.assert_array_equal(res.history.x, [[0.0, 0.0]])
    np.testing.assert_array_equal(res.x, [0.0, 0.0])


def test_callback_sees_every_iterate_and_can_stop_the_run():
    seen = []

    def callback(iterate):
        seen.append(iterate)
        return iterate.nit == 3

    res = optlib.minimize(
        Quadratic(A2), [1.0, 1.0], method=GradientDescent(lr=0.01), callback=callback
    )
    assert (res.success, res.status, res.nit) == (False, Status.CALLBACK, 3)
    assert res.status == 4
    assert "callback" in res.message and "3" in res.message
    assert [it.nit for it in seen] == [1, 2, 3]
    for it in seen:
        assert isinstance(it, Iterate)
        np.testing.assert_array_equal(it.x, res.history.x[it.nit])
        assert it.fun == res.history.fun[it.nit]
        assert np.linalg.norm(it.grad) == res.history.grad_norm[it.nit]


@pytest.mark.parametrize("answer", [None, False, 0])
def test_a_callback_that_does_not_say_true_lets_the_run_go_on(answer):
    calls = []
    res = optlib.minimize(
        Quadratic(A2),
        [1.0, 1.0],
        method=GradientDescent(lr=0.01),
        max_iter=9,
        callback=lambda it: calls.append(it.nit) or answer,
    )
    assert (res.status, res.nit) == (Status.MAX_ITER, 9)
    assert calls == list(range(1, 10))


# --- divergence is a result ----------------------------------------------------------------------


@pytest.mark.parametrize("lr", [0.21, 0.25, 1.0, 100.0])
def test_a_step_above_two_over_lambda_max_diverges_honestly(lr):
    # A = diag(1, 10): the mode λ = 10 grows by |1 − 10α| > 1 per step until f overflows.
    res = run_quietly(Quadratic(A2), [1.0, 1.0], method=GradientDescent(lr=lr), max_iter=10**6)
    assert res.success is False
    assert res.status == Status.DIVERGED == 2
    assert res.message == f"diverged: f is not finite at iteration {res.nit}"
    assert not np.isfinite(res.history.fun[-1])
    assert np.all(np.isfinite(res.history.fun[:-1]))
    # the iterates grew like |1 − 10α|ᵏ until f ≈ 5x₂² overflowed: x₂² ≈ 10³⁰⁸ / 5 (or / 10
    # when xᵀAx is formed before the ½)
    growth = abs(1.0 - 10.0 * lr)
    biggest = np.finfo(float).max
    earliest = np.log(np.sqrt(biggest / 10.0)) / np.log(growth)
    latest = np.log(np.sqrt(biggest / 5.0)) / np.log(growth)
    assert earliest - 1 <= res.nit <= latest + 1
    assert len(res.history.fun) == res.nit + 1


def test_divergence_on_rosenbrock_and_in_x_itself():
    problem = Rosenbrock(2)
    res = run_quietly(problem, problem.x0, method=GradientDescent(lr=0.1))
    assert (res.success, res.status) == (False, Status.DIVERGED)
    assert f"iteration {res.nit}" in res.message

    # f(x) = x₁ with a huge step: x₁ = −1e308, then −inf (x itself is no longer finite)
    res = run_quietly(
        lambda x: float(x[0]), [0.0], method="gd", jac=lambda x: np.ones(1), options={"lr": 1e308}
    )
    assert (res.success, res.status, res.nit) == (False, Status.DIVERGED, 2)
    assert "iteration 2" in res.message


@pytest.mark.parametrize("grad_there", ["nan", "zero"])
def test_nan_in_the_middle_of_a_run(grad_there):
    # ‖x‖² is NaN once x₁ ≤ 0.25; with α = 0.1 from x = 1 the iterates are 0.8ᵏ, and
    # 0.8⁷ = 0.21 is the first below 0.25. A zero gradient there must not pass for convergence.
    def f(x):
        return float(x @ x) if x[0] > 0.25 else np.nan

    def grad(x):
        if x[0] > 0.25:
            return 2.0 * x
        return np.full_like(x, np.nan) if grad_there == "nan" else np.zeros_like(x)

    res = optlib.minimize(f, [1.0], method="gd", jac=grad, options={"lr": 0.1}, gtol=0.0)
    assert (res.success, res.status, res.nit) == (False, Status.DIVERGED, 7)
    assert "iteration 7" in res.message


@pytest.mark.parametrize(
    ("f", "grad"),
    [
        (lambda x: np.nan, lambda x: np.ones(2)),
        (lambda x: np.inf, lambda x: np.ones(2)),
        (lambda x: 1.0, lambda x: np.array([1.0, np.nan])),
        (lambda x: np.nan, lambda x: np.zeros(2)),  # a zero gradient is no excuse
    ],
    ids=["f-nan", "f-inf", "grad-nan", "f-nan-grad-zero"],
)
def test_non_finite_at_x0_is_reported_without_an_iteration(f, grad):
    res = optlib.minimize(f, [1.0, 1.0], method="gd", jac=grad, options={"lr": 0.1})
    assert (res.success, res.status, res.nit) == (False, Status.DIVERGED, 0)
    assert "x0" in res.message
    assert (res.nfev, res.njev) == (1, 1)
    assert len(res.history.fun) == 1


# --- a method that cannot make progress ----------------------------------------------------------


def test_wolfe_on_an_unbounded_function_fails_with_status_3():
    res = optlib.minimize(
        lambda x: -x[0],
        [0.0, 0.0],
        method="gd",
        jac=lambda x: np.array([-1.0, 0.0]),
        options={"line_search": "wolfe"},
    )
    assert (res.success, res.status, res.nit) == (False, Status.METHOD_FAILED, 0)
    assert res.status == 3
    assert res.message.startswith("failed at iteration 1: strong Wolfe")
    assert "bounded below" in res.message
    np.testing.assert_array_equal(res.x, [0.0, 0.0])


class HalvesThenConverges(Method):
    """Test-only: x ← x/2 for ``k`` steps, then reports convergence by a test of its own."""

    def __init__(self, k):
        self.k = k

    def init(self, oracle, x, fun, grad):
        return [0]

    def step(self, oracle, state, x, fun, grad):
        if state[0] == self.k:
            raise MethodConverged("my own test holds")
        state[0] += 1
        return Step(x / 2)


@pytest.mark.parametrize("k", [0, 3])
def test_a_method_reporting_its_own_convergence_stops_the_run_with_success(k):
    res = optlib.minimize(Quadratic(np.eye(2)), [8.0, -4.0], method=HalvesThenConverges(k))
    assert (res.status, res.success, res.nit) == (Status.CONVERGED, True, k)
    assert res.status == 0
    assert res.message == f"converged at iteration {k}: my own test holds"
    assert len(res.history.fun) == len(res.history.grad_norm) == k + 1
    np.testing.assert_array_equal(res.x, np.array([8.0, -4.0]) / 2**k)  # the iterate it was given
    np.testing.assert_array_equal(res.jac, res.x)
    assert res.fun == pytest.approx(0.5 * res.x @ res.x)
    assert (res.nfev, res.njev) == (k + 1, k + 1)


def test_gtol_and_max_iter_are_checked_before_the_method_reports_convergence():
    p = Quadratic(np.eye(2))
    res = optlib.minimize(p, [8.0, -4.0], method=HalvesThenConverges(3), max_iter=2)
    assert (res.status, res.nit) == (Status.MAX_ITER, 2)
    res = optlib.minimize(p, [0.0, 0.0], method=HalvesThenConverges(0))
    assert (res.status, res.nit, res.message) == (
        Status.CONVERGED,
        0,
        "converged: gradient norm <= gtol",
    )


def test_exact_line_search_on_an_indefinite_quadratic_fails_with_status_3():
    res = optlib.minimize(
        Quadratic(np.diag([1.0, -1.0])), [1.0, 2.0], method=GradientDescent(line_search="exact")
    )
    assert (res.success, res.status, res.nit) == (False, Status.METHOD_FAILED, 0)
    assert "failed at iteration 1" in res.message and "unbounded below" in res.message


def test_exact_line_search_fails_later_when_the_negative_curvature_shows_up():
    # diag(1, −½) from (1, 10⁻³): the first direction is almost (−1, 0), with dᵀAd > 0, and the
    # step lands near (0, 1.5·10⁻³); the second direction is almost (0, 1), with dᵀAd < 0.
    res = optlib.minimize(
        Quadratic(np.diag([1.0, -0.5])),
        [1.0, 1e-3],
        method=GradientDescent(line_search="exact"),
        max_iter=100,
    )
    assert (res.status, res.nit) == (Status.METHOD_FAILED, 1)
    assert res.message.startswith("failed at iteration 2: exact line search")
    np.testing.assert_allclose(res.x, [0.0, 1.5e-3], atol=1e-6)


def test_armijo_that_meets_only_nan_stops_within_a_handful_of_evaluations():
    res = optlib.minimize(
        lambda x: 0.0 if x[0] == 1.0 else np.nan,
        [1.0],
        method="gd",
        jac=lambda x: np.ones(1),
        options={"line_search": "armijo"},
    )
    assert (res.success, res.status, res.nit) == (False, Status.DIVERGED, 0)
    assert res.message.startswith("non-finite at iteration 1: line search: f is not finite at 17")
    assert res.message.endswith("down to the round-off of x")
    assert res.nfev == 1 + 17  # α = 1, 0.1, …, 1e-16


# --- history -------------------------------------------------------------------------------------


def test_history_is_consistent_with_the_iterates():
    problem = Rosenbrock(3)
    res = optlib.minimize(
        problem, problem.x0, method=GradientDescent(line_search="wolfe"), max_iter=30
    )
    xs = res.history.x
    assert xs.shape == (31, 3)
    np.testing.assert_array_equal(xs[0], problem.x0)
    np.testing.assert_array_equal(xs[-1], res.x)
    assert res.history.fun[-1] == res.fun == problem.fun(res.x)
    np.testing.assert_array_equal(res.jac, problem.grad(res.x))
    np.testing.assert_allclose(res.history.fun, [problem.fun(x) for x in xs], rtol=1e-15)
    np.testing.assert_allclose(
        res.history.grad_norm, [np.linalg.norm(problem.grad(x)) for x in xs], rtol=1e-15
    )
    assert np.all(np.diff(res.history.fun) < 0)  # every Wolfe step decreases f


def sphere():
    return optlib.Problem(lambda x: 0.5 * float(x @ x), grad=lambda x: x.copy(), name="sphere")


@pytest.mark.parametrize(
    ("n", "max_iter", "kept"),
    [
        (2, 1000, True),
        (10, 10**6 - 1, True),  # n (max_iter + 1) = 10⁷ exactly: kept
        (10, 10**6, False),  # one more: not kept
        (10**6, 20, False),  # a million parameters
    ],
)
def test_keep_x_default_depends_on_problem_size(n, max_iter, kept):
    # α = 1 on ½‖x‖² lands on 0 in one step, so the runs are short whatever max_iter says
    res = optlib.minimize(sphere(), np.ones(n), method=GradientDescent(lr=1.0), max_iter=max_iter)
    assert (res.status, res.nit) == (Status.CONVERGED, 1)
    np.testing.assert_array_equal(res.history.fun, [0.5 * n, 0.0])
    np.testing.assert_array_equal(res.history.grad_norm, [np.sqrt(n), 0.0])
    if kept:
        assert res.history.x.shape == (2, n)
    else:
        with pytest.raises(AttributeError, match="keep_x"):
            res.history.x  # noqa: B018


def test_keep_x_true_and_false_are_honoured():
    big = optlib.minimize(
        sphere(), np.ones(10), method=GradientDescent(lr=1.0), max_iter=10**7, keep_x=True
    )
    np.testing.assert_array_equal(big.history.x, [np.ones(10), np.zeros(10)])
    small = optlib.minimize(Quadratic(A2), [1.0, 1.0], method=GradientDescent(lr=0.1), keep_x=False)
    with pytest.raises(AttributeError, match="keep_x"):
        small.history.x  # noqa: B018
    assert len(small.history.fun) == len(small.history.grad_norm) == small.nit + 1 == 133


# --- bad input -----------------------------------------------------------------------------------


def _gd():
    return GradientDescent(lr=0.1)


def _fg():
    return (lambda x: float(x @ x)), (lambda x: 2.0 * x)


BAD_CALLS = {
    "x0-nan": (
        lambda: optlib.minimize(sphere(), [1.0, np.nan], method=_gd()),
        ValueError,
        r"x0 must be finite",
    ),
    "x0-inf": (
        lambda: optlib.minimize(sphere(), [np.inf], method=_gd()),
        ValueError,
        r"x0 must be finite",
    ),
    "x0-2d": (
        lambda: optlib.minimize(sphere(), np.ones((2, 2)), method=_gd()),
        ValueError,
        r"x0 must be a 1-D array",
    ),
    "x0-scalar": (
        lambda: optlib.minimize(sphere(), 1.0, method=_gd()),
        ValueError,
        r"x0 must be a 1-D array",
    ),
    "x0-text": (
        lambda: optlib.minimize(sphere(), ["a"], method=_gd()),
        TypeError,
        r"x0 must be an array of real numbers",
    ),
    "lr-nonpositive": (
        lambda: optlib.minimize(sphere(), [1.0], method="gd", options={"lr": 0}),
        ValueError,
        r"lr must be a finite number > 0",
    ),
    "lr-missing": (
        lambda: optlib.minimize(_fg()[0], [1.0], jac=_fg()[1], method="gd"),
        ValueError,
        r"lr is required",
    ),
    "line-search-unknown": (
        lambda: optlib.minimize(sphere(), [1.0], method="gd", options={"line_search": "brent"}),
        ValueError,
        r"line_search must be one of \(None, 'armijo', 'wolfe', 'exact'\), got 'brent'",
    ),
    "c1-range": (
        lambda: optlib.minimize(
            sphere(), [1.0], method="gd", options={"line_search": "wolfe", "c1": 1.5}
        ),
        ValueError,
        r"c1 must lie in",
    ),
    "c2-range": (
        lambda: optlib.minimize(
            sphere(), [1.0], method="gd", options={"line_search": "wolfe", "c2": 1e-5}
        ),
        ValueError,
        r"c2 must lie in",
    ),
    "option-unknown": (
        lambda: optlib.minimize(sphere(), [1.0], method="gd", options={"learning_rate": 0.1}),
        TypeError,
        "learning_rate",
    ),
    "method-unknown": (
        lambda: optlib.minimize(sphere(), [1.0], method="newton-raphson"),
        ValueError,
        r"method 'newton-raphson' is not known",
    ),
    "method-wrong-type": (
        lambda: optlib.minimize(sphere(), [1.0], method=GradientDescent),
        TypeError,
        r"method must be",
    ),
    "options-with-object": (
        lambda: optlib.minimize(sphere(), [1.0], method=_gd(), options={"lr": 0.2}),
        TypeError,
        r"options \['lr'\] would set hyper-parameters, which only a method given by name takes",
    ),
    "jac-with-problem": (
        lambda: optlib.minimize(sphere(), [1.0], method=_gd(), jac=lambda x: x),
        TypeError,
        r"jac is only for the SciPy-style call",
    ),
    "hessp-with-problem": (
        lambda: optlib.minimize(sphere(), [1.0], method=_gd(), hessp=lambda x, v: v),
        TypeError,
        r"hessp is only for the SciPy-style call",
    ),
    "problem-wrong-type": (
        lambda: optlib.minimize(42, [1.0], method=_gd()),
        TypeError,
        r"problem must be",
    ),
    "f-returns-vector": (
        lambda: optlib.minimize(
            lambda x: x**2, [1.0, 2.0], method="gd", jac=lambda x: 2 * x, options={"lr": 0.1}
        ),
        ValueError,
        r"f\(x\) must return a scalar, got shape \(2,\)",
    ),
    "grad-wrong-shape": (
        lambda: optlib.minimize(
            lambda x: float(x @ x),
            [1.0, 2.0],
            method="gd",
            jac=lambda x: np.ones(3),
            options={"lr": 0.1},
        ),
        ValueError,
        r"grad\(x\) must return shape \(2,\), got \(3,\)",
    ),
    "grad-missing": (
        lambda: optlib.minimize(optlib.Problem(lambda x: float(x @ x)), [1.0], method=_gd()),
        ValueError,
        r"needs a gradient",
    ),
    "jac-missing": (
        lambda: optlib.minimize(lambda x: float(x @ x), [1.0], method="gd", options={"lr": 0.1}),
        ValueError,
        r"needs a gradient",
    ),
    "exact-on-rosenbrock": (
        lambda: optlib.minimize(
            Rosenbrock(2), [0.0, 0.0], method=GradientDescent(line_search="exact")
        ),
        ValueError,
        r"needs a quadratic objective",
    ),
    "exact-on-callables": (
        lambda: optlib.minimize(
            _fg()[0],
            [1.0],
            jac=_fg()[1],
            hessp=lambda x, v: 2 * v,
            method="gd",
            options={"line_search": "exact"},
        ),
        ValueError,
        r"needs a quadratic objective",
    ),
    "gtol-negative": (
        lambda: optlib.minimize(sphere(), [1.0], method=_gd(), gtol=-1e-6),
        ValueError,
        r"gtol must be a finite number >= 0",
    ),
    "gtol-nan": (
        lambda: optlib.minimize(sphere(), [1.0], method=_gd(), gtol=np.nan),
        ValueError,
        r"gtol must be a finite number >= 0",
    ),
    "gtol-text": (
        lambda: optlib.minimize(sphere(), [1.0], method=_gd(), gtol="small"),
        TypeError,
        r"gtol must be a number",
    ),
    "max-iter-negative": (
        lambda: optlib.minimize(sphere(), [1.0], method=_gd(), max_iter=-1),
        ValueError,
        r"max_iter must be a whole number >= 0",
    ),
    "max-iter-float": (
        lambda: optlib.minimize(sphere(), [1.0], method=_gd(), max_iter=10.5),
        TypeError,
        r"max_iter must be a whole number, got",
    ),
    "max-iter-bool": (
        lambda: optlib.minimize(sphere(), [1.0], method=_gd(), max_iter=True),
        TypeError,
        r"max_iter must be a whole number, got",
    ),
    "callback-not-callable": (
        lambda: optlib.minimize(sphere(), [1.0], method=_gd(), callback="print"),
        TypeError,
        r"callback must be callable",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CALLS))
def test_bad_input_raises_an_error_naming_the_argument(case):
    call, error, match = BAD_CALLS[case]
    with pytest.raises(error, match=match):
        call()


def test_argument_errors_come_before_any_evaluation(counted):
    problem, calls = counted(*quadratic_callables(A2))
    for kwargs in ({"gtol": -1.0}, {"max_iter": -3}, {"callback": 3}):
        with pytest.raises((TypeError, ValueError)):
            optlib.minimize(problem, [1.0, 1.0], method=_gd(), **kwargs)
    with pytest.raises(ValueError, match="x0"):
        optlib.minimize(problem, [1.0, np.nan], method=_gd())
    assert (calls.f, calls.grad, calls.hessp) == (0, 0, 0)


def test_grad_of_the_wrong_shape_later_in_the_run_is_caught():
    def grad(x):
        return 2.0 * x if x[0] > 0.5 else 2.0 * x[:1]

    with pytest.raises(ValueError, match=r"grad\(x\) must return shape \(2,\), got \(1,\)"):
        optlib.minimize(
            lambda x: float(x @ x), [1.0, 1.0], method="gd", jac=grad, options={"lr": 0.1}
        )


def test_x0_is_copied_and_converted():
    x0 = np.array([1, 2])
    res = optlib.minimize(sphere(), x0, method=GradientDescent(lr=0.5), max_iter=3)
    np.testing.assert_array_equal(x0, [1, 2])
    assert res.x.dtype == np.float64
    np.testing.assert_array_equal(res.history.x[0], [1.0, 2.0])
    res.history.x[0][0] = 99.0
    np.testing.assert_array_equal(x0, [1, 2])


class InPlaceGradientDescent(Method):
    """A test method that updates x in place, as PyTorch optimizers do with parameters."""

    def __init__(self, lr):
        self.lr = lr

    def step(self, oracle, state, x, fun, grad):
        x -= self.lr * grad
        return Step(x)


def test_the_run_owns_its_copies_when_a_method_updates_x_in_place():
    x0 = np.array([1.0, 1.0])
    res = optlib.minimize(Quadratic(A2), x0, method=InPlaceGradientDescent(lr=0.1), max_iter=3)
    np.testing.assert_array_equal(x0, [1.0, 1.0])  # the caller's x0 is untouched
    expected = optlib.minimize(Quadratic(A2), x0, method=GradientDescent(lr=0.1), max_iter=3)
    np.testing.assert_array_equal(res.history.x, expected.history.x)  # every row is a copy


# --- reproducibility -----------------------------------------------------------------------------


class RandomCoordinateDescent(Method):
    """A test method that moves along one coordinate drawn from the run's generator."""

    def __init__(self, lr):
        self.lr = lr

    def step(self, oracle, state, x, fun, grad):
        i = oracle.rng.integers(x.size)
        x_new = x.copy()
        x_new[i] -= self.lr * grad[i]
        return Step(x_new)


def test_two_runs_with_the_same_seed_are_bit_identical():
    problem = Rosenbrock(4)
    for method in (GradientDescent(line_search="wolfe"), RandomCoordinateDescent(lr=1e-3)):
        a = optlib.minimize(problem, problem.x0, method=method, max_iter=200, seed=7)
        b = optlib.minimize(problem, problem.x0, method=method, max_iter=200, seed=7)
        assert a.history.x.tobytes() == b.history.x.tobytes()
        assert a.history.fun.tobytes() == b.history.fun.tobytes()
        assert a.history.grad_norm.tobytes() == b.history.grad_norm.tobytes()
        assert (a.nfev, a.njev, a.nit, a.message) == (b.nfev, b.njev, b.nit, b.message)


def test_the_seed_drives_the_randomness_and_nothing_global():
    problem = Rosenbrock(4)
    method = RandomCoordinateDescent(lr=1e-3)
    a = optlib.minimize(problem, problem.x0, method=method, max_iter=50, seed=1)
    b = optlib.minimize(problem, problem.x0, method=method, max_iter=50, seed=2)
    assert not np.array_equal(a.history.x, b.history.x)
    # the coordinates moved are those numpy.random.default_rng(seed) draws
    rng = np.random.default_rng(1)
    moved = [int(np.flatnonzero(d)[0]) for d in np.diff(a.history.x, axis=0)]
    assert moved == [int(rng.integers(4)) for _ in range(50)]
    # the global numpy generator is neither used nor reseeded
    np.random.seed(123)  # noqa: NPY002 (the legacy global generator is what is checked)
    expected = np.random.random()  # noqa: NPY002
    np.random.seed(123)  # noqa: NPY002
    optlib.minimize(problem, problem.x0, method=method, max_iter=50, seed=1)
    assert np.random.random() == expected  # noqa: NPY002


# --- the result ----------------------------------------------------------------------------------


def test_result_fields():
    method = GradientDescent(lr=0.1)
    res = optlib.minimize(Quadratic(A2, b=[1.0, 1.0]), [0.0, 0.0], method=method)
    assert isinstance(res, optlib.OptimizeResult)
    np.testing.assert_allclose(res.x, [1.0, 0.1], atol=2e-6)
    assert res.fun == pytest.approx(-0.55, abs=1e-11)
    assert res.method == repr(method)
    text = repr(res)
    assert "success=True" in text and f"nit={res.nit}" in text


REQUIRED = {  # hyper-parameters some methods have no default for
    "GradientDescent": {"lr": 1e-3},
    "DeltaBarDelta": {"lr": 1e-3},
    "Lookahead": {"inner": methods.Adam(lr=1e-2)},
}


@pytest.mark.parametrize(
    "name", [name for name in methods.__all__ if isinstance(getattr(methods, name), type)]
)
def test_a_method_object_holds_no_run_state(name):
    """The per-run state lives in the run: the same method object, used twice, is unchanged
    and gives the same iterates."""
    method = getattr(methods, name)(**REQUIRED.get(name, {}))
    before = dict(vars(method))
    least_squares = "residuals" in method.needs
    problem = mgh.rosenbrock() if least_squares else Rosenbrock(3)
    first = optlib.minimize(problem, problem.x0, method=method, max_iter=40)
    second = optlib.minimize(problem, problem.x0, method=method, max_iter=40)
    assert vars(method) == before
    assert first.nit == second.nit > 0
    np.testing.assert_array_equal(first.history.x, second.history.x)
