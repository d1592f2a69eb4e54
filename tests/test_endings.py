"""How runs end when they can make no further progress: every class of ending, for every method.

* the round-off limit: f cannot decrease by more than its rounding error, or x cannot change;
* a gradient (or Jacobian) that disagrees with f;
* values that are not finite at every trial of a line search;
* and never success that was not verified (a wrong Jacobian must not end in "converged").

Each run must end on its own, with the status and message of its class, within a small number
of evaluations.
"""

from __future__ import annotations

import numpy as np
import pytest

import optlib
from optlib.methods import (
    BFGS,
    LBFGS,
    Adagrad,
    AdaHessian,
    Adam,
    DeltaBarDelta,
    GaussNewton,
    GradientDescent,
    LevenbergMarquardt,
    Lookahead,
    Momentum,
    Nesterov,
    Newton,
    NewtonCG,
    NonlinearCG,
    RMSProp,
)
from optlib.problems import Quadratic, Rosenbrock, data
from optlib.problems.mgh import classic_suite
from optlib.result import Status

#: The methods whose steps decrease f (a line search or a trust test), by a short name.
DESCENT = {
    "gd-armijo": lambda: GradientDescent(lr=1.0, line_search="armijo"),
    "gd-wolfe": lambda: GradientDescent(line_search="wolfe"),
    "bfgs": BFGS,
    "lbfgs": LBFGS,
    "cg-pr+": NonlinearCG,
    "cg-fr": lambda: NonlinearCG(beta="FR"),
    "newton": Newton,
    "newton-armijo": lambda: Newton(line_search="armijo"),
    "newton-shift": lambda: Newton(modification="shift"),
    "newton-cg": NewtonCG,
    "newton-cg-damped": lambda: NewtonCG(damping=1.0),
    "newton-cg-armijo": lambda: NewtonCG(line_search="armijo"),
}
LEAST_SQUARES = {
    "gauss-newton": GaussNewton,
    "gauss-newton-wolfe": lambda: GaussNewton(line_search="wolfe"),
    "levenberg-marquardt": LevenbergMarquardt,
}
#: The methods with a fixed step (or a step from their own state), built from a step size.
FIXED_STEP = {
    "gd": lambda lr: GradientDescent(lr=lr),
    "momentum": lambda lr: Momentum(lr=lr),
    "nesterov": lambda lr: Nesterov(lr=lr),
    "nesterov-pytorch": lambda lr: Nesterov(lr=lr, form="pytorch"),
    "delta-bar-delta": lambda lr: DeltaBarDelta(lr=lr),
    "adagrad": lambda lr: Adagrad(lr=lr),
    "rmsprop": lambda lr: RMSProp(lr=lr),
    "adam": lambda lr: Adam(lr=lr),
    "adahessian": lambda lr: AdaHessian(lr=lr),
    "lookahead": lambda lr: Lookahead(Adam(lr=lr)),
}


def floor_problem(scale, offset, sign=1.0):
    """½(x − x*)ᵀA(x − x*) scaled and shifted so that ‖∇f‖ cannot reach 0 in floating point
    (κ(A) = 100, n = 10, x* irrational); ``sign`` = −1 gives a gradient of the wrong sign."""
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((10, 10)))
    A = Q @ np.diag(np.logspace(0, 2, 10)) @ Q.T
    A = 0.5 * (A + A.T)
    b = rng.standard_normal(10)
    base = Quadratic(A, b)
    return optlib.Problem(
        lambda x: scale * base.fun(x) + offset,
        grad=lambda x: sign * scale * base.grad(x),
        hess=lambda x: scale * A,
        name=f"quadratic ×{scale:g} + {offset:g}",
    )


# --- the round-off limit --------------------------------------------------------------------


@pytest.mark.parametrize("scale, offset", [(1.0, 1e3), (1e10, 0.0)], ids=["offset", "scaled"])
@pytest.mark.parametrize("name", sorted(DESCENT))
def test_a_descent_method_stops_at_the_round_off_limit(name, scale, offset):
    # gtol = 0 cannot be met: the run must stop on its own soon after its best gradient
    problem = floor_problem(scale, offset)
    x0 = np.random.default_rng(1).standard_normal(10)
    res = optlib.minimize(problem, x0, method=DESCENT[name](), gtol=0.0, max_iter=20_000)
    assert res.status == Status.NO_PROGRESS and not res.success
    assert res.message.startswith("no further progress at iteration")
    best = int(np.argmin(res.history.grad_norm))
    # the patience: 20 iterations, or three times the longest wait for a new lowest ‖∇f‖ seen
    # while f still fell, which for gradient descent's zig-zag is longer
    assert res.nit - best <= (60 if name.startswith("gd") else 21)
    if name != "gd-armijo":  # a search from f's values alone stops where f stops resolving
        assert res.history.grad_norm[best] <= 1e-13 * scale


def test_exact_line_search_stops_at_the_round_off_limit():
    problem = floor_problem(1.0, 0.0)
    quadratic = Quadratic(problem.hess(None), problem.grad(np.zeros(10)) * -1.0)
    x0 = np.random.default_rng(1).standard_normal(10)
    method = GradientDescent(line_search="exact")
    res = optlib.minimize(quadratic, x0, method=method, gtol=0.0, max_iter=20_000)
    assert res.status == Status.NO_PROGRESS
    assert res.nit - int(np.argmin(res.history.grad_norm)) <= 60


@pytest.mark.parametrize("name", sorted(LEAST_SQUARES))
def test_a_least_squares_method_stops_at_the_round_off_limit(name):
    # Misra1a from NIST's first start: the minimum is reached in a few steps, gtol = 0 never is
    method = LEAST_SQUARES[name]()
    if name == "levenberg-marquardt":
        method = LevenbergMarquardt(ftol=0.0, xtol=0.0)  # no convergence test of its own
    problem = data.misra1a()
    res = optlib.minimize(problem, problem.x0, method=method, gtol=0.0, max_iter=2000)
    assert res.status == Status.NO_PROGRESS
    assert res.nit <= 30 and res.nfev <= 60
    assert res.fun <= problem.f_star * (1 + 1e-9)


@pytest.mark.parametrize("name", sorted(FIXED_STEP))
def test_a_step_below_the_round_off_of_x_ends_the_run_after_ten_iterations(name):
    problem = floor_problem(1.0, 0.0)
    res = optlib.minimize(problem, np.full(10, 3.0), method=FIXED_STEP[name](1e-30), gtol=0.0)
    assert res.status == Status.NO_PROGRESS
    assert res.message == "no further progress at iteration 10: x has not changed in 10 iterations"
    assert res.nit == 10 and res.nfev == 11


def test_the_gauss_newton_armijo_run_on_misra1a_no_longer_takes_null_steps():
    # The run the issue found: 283 of 300 iterations left x unchanged, 6889 evaluations.
    problem = data.misra1a()
    res = optlib.minimize(problem, problem.x0, method=GaussNewton(), max_iter=300)
    X = res.history.x
    assert not np.any(np.all(X[1:] == X[:-1], axis=1))
    assert res.status == Status.NO_PROGRESS and res.nfev < 100
    assert "f cannot decrease along the search direction" in res.message


def test_levenberg_marquardt_keeps_going_through_rejected_trials():
    # After many good steps Nielsen's rule has shrunk μ to ~1e-20 (D = I on Wood); the trials
    # are then rejected until μ has grown back, more than ten in a row: no stall
    wood = next(p for p in classic_suite() if p.name == "wood")
    res = optlib.minimize(wood, wood.x0, method=LevenbergMarquardt(scaling=None), gtol=1e-8)
    assert res.success
    rejected = np.all(res.history.x[1:] == res.history.x[:-1], axis=1)
    longest = max(len(run) for run in "".join("r" if r else "." for r in rejected).split("."))
    assert longest > 10


# --- a gradient that disagrees with f -------------------------------------------------------


@pytest.mark.parametrize("name", sorted(DESCENT))
def test_a_gradient_of_the_wrong_sign_is_named(name):
    problem = floor_problem(1.0, 0.0, sign=-1.0)
    res = optlib.minimize(problem, np.full(10, 3.0), method=DESCENT[name]())
    assert (res.status, res.nit) == (Status.METHOD_FAILED, 0)
    assert res.message.startswith("failed at iteration 1: the gradient disagrees with f")
    assert res.nfev <= 60


@pytest.mark.parametrize("name", sorted(LEAST_SQUARES))
def test_a_jacobian_of_the_wrong_sign_is_named_and_never_converges(name):
    problem = data.misra1a()
    wrong = optlib.LeastSquares(problem.residuals, lambda x: -problem.jac(x), name="wrong J")
    res = optlib.minimize(wrong, problem.x0, method=LEAST_SQUARES[name]())
    assert res.status == Status.METHOD_FAILED and not res.success
    assert "the gradient disagrees with f" in res.message
    np.testing.assert_array_equal(res.x, problem.x0)  # no step was ever accepted
    assert res.nfev <= 60


def test_no_correct_gradient_is_called_wrong_on_the_classic_suite():
    # The check behind "the gradient disagrees" must not cry wolf: runs pushed to gtol = 1e-10,
    # many of them into their round-off limit, on problems with exact derivatives.
    problems = [p for p in classic_suite() if p.n <= 4]
    messages = []
    for problem in problems:
        for make in DESCENT.values():
            res = optlib.minimize(problem, problem.x0, method=make(), gtol=1e-10, max_iter=500)
            messages.append(res.message)
    assert len(messages) == len(problems) * len(DESCENT)
    assert not [m for m in messages if "disagrees" in m]


# --- values that are not finite -------------------------------------------------------------


def rosenbrock_with_a_nan_gradient_beyond_x0():
    """Rosenbrock's f everywhere, its ∇f at x₀ only: NaN everywhere else."""
    r = Rosenbrock(2)

    def grad(x):
        return r.grad(x) if np.array_equal(x, r.x0) else np.full(2, np.nan)

    return optlib.Problem(r.fun, grad=grad, hess=r.hess, name="Rosenbrock, broken gradient")


@pytest.mark.parametrize("name", sorted(n for n in DESCENT if not n.endswith("armijo")))
def test_a_nan_gradient_inside_the_first_search_is_named_within_a_handful_of_evaluations(name):
    # every Wolfe trial has a finite f and a NaN gradient
    problem = rosenbrock_with_a_nan_gradient_beyond_x0()
    res = optlib.minimize(problem, Rosenbrock(2).x0, method=DESCENT[name]())
    assert (res.status, res.nit) == (Status.DIVERGED, 0)
    assert res.message.startswith("non-finite at iteration 1: line search: ∇f is not finite at 6")
    assert res.nfev == 1 + 6


@pytest.mark.parametrize("name", ["gd-armijo", "newton-armijo", "newton-cg-armijo"])
def test_a_nan_gradient_after_an_armijo_step_is_divergence_at_that_iterate(name):
    problem = rosenbrock_with_a_nan_gradient_beyond_x0()
    res = optlib.minimize(problem, Rosenbrock(2).x0, method=DESCENT[name]())
    assert (res.status, res.nit) == (Status.DIVERGED, 1)
    assert res.message == "diverged: the gradient is not finite at iteration 1"
    np.testing.assert_array_equal(res.x_finite, Rosenbrock(2).x0)


@pytest.mark.parametrize("name", sorted(DESCENT))
def test_trial_steps_that_leave_the_domain_of_f_still_work(name):
    # Rosenbrock plus a barrier −log(1.2 − x₁): f and ∇f are NaN for x₁ ≥ 1.2
    r = Rosenbrock(2)

    def f(x):
        return r.fun(x) - np.log(1.2 - x[0]) if x[0] < 1.2 else np.nan

    def grad(x):
        return r.grad(x) + np.array([1.0 / (1.2 - x[0]), 0.0]) if x[0] < 1.2 else np.full(2, np.nan)

    def hess(x):
        return r.hess(x) + np.diag([1.0 / (1.2 - x[0]) ** 2, 0.0])

    problem = optlib.Problem(f, grad=grad, hess=hess, name="Rosenbrock with a barrier")
    res = optlib.minimize(problem, r.x0, method=DESCENT[name](), gtol=1e-6, max_iter=5000)
    assert np.all(np.isfinite(res.history.fun))
    assert res.success, res.message


@pytest.mark.parametrize("name", ["gd-armijo", "bfgs"])
def test_f_nan_at_every_trial_is_named_once_no_shorter_step_changes_x(name):
    problem = optlib.Problem(
        lambda x: 0.0 if x[0] == 1.0 else np.nan, grad=lambda x: np.ones(1), name="nowhere"
    )
    res = optlib.minimize(problem, [1.0], method=DESCENT[name]())
    assert (res.status, res.nit) == (Status.DIVERGED, 0)
    assert "f is not finite at" in res.message and "down to the round-off of x" in res.message
    assert res.nfev <= 1 + 18  # tenfold shorter steps, from 1 to the round-off of x = 1


# --- gradients too small or too large to square: the norm is not 0 or inf -----------------------


def test_a_gradient_whose_squares_underflow_is_not_convergence_at_gtol_zero():
    # RMSProp on ½θ² passes within 1e-200 of the minimum on its way to its cycle at ±α/2
    # (chapter 7); the gradient there is tiny but not zero, so gtol = 0 must not call it converged.
    problem = Quadratic(np.eye(1))
    res = optlib.minimize(problem, [1.0], method=RMSProp(lr=0.01), max_iter=2500, gtol=0.0)
    assert np.min(np.abs(res.history.x)) < 1e-160  # the run went through the underflow range
    assert res.status == Status.MAX_ITER and res.nit == 2500


@pytest.mark.parametrize("size", [1e-170, 1e170])
def test_the_recorded_gradient_norm_is_exact_for_tiny_and_huge_gradients(size):
    g = np.array([3.0, 4.0]) * size
    problem = optlib.Problem(lambda x: float(g @ x), grad=lambda x: g)
    res = optlib.minimize(
        problem, [0.0, 0.0], method=GradientDescent(lr=1e-300), max_iter=2, gtol=0.0
    )
    np.testing.assert_allclose(res.history.grad_norm, 5 * size, rtol=1e-15)
    assert res.status == Status.MAX_ITER  # neither converged (0) nor diverged (inf)
