"""What a SciPy or PyTorch user tries first works as they expect: SciPy's options, jac=True,
callbacks and StopIteration, the result as a mapping, the ∞-norm test; numpy's warnings from
their own f; the last finite iterate after divergence; the history never held twice."""

from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pytest
import scipy.optimize

import optlib
from optlib.methods import BFGS, GradientDescent, Nesterov, NewtonCG
from optlib.problems import DiagonalQuadratic, Quadratic, Rosenbrock
from optlib.result import Status

ROSEN = Rosenbrock(2)


# --- options ------------------------------------------------------------------------------------


def test_scipy_options_set_the_run_and_the_method_at_once():
    res = optlib.minimize(
        ROSEN.fun,
        ROSEN.x0,
        method="bfgs",
        jac=ROSEN.grad,
        options={"gtol": 1e-10, "maxiter": 5, "c2": 0.5},
    )
    assert (res.status, res.nit) == (Status.MAX_ITER, 5)
    assert res.method == "BFGS(c1=0.0001, c2=0.5)"
    res = optlib.minimize(
        ROSEN.fun, ROSEN.x0, method="bfgs", jac=ROSEN.grad, options={"gtol": 1e-10}
    )
    assert res.success and res.history.grad_norm[-1] <= 1e-10 < res.history.grad_norm[-2]


def test_run_options_are_accepted_with_a_method_object_too():
    res = optlib.minimize(ROSEN, ROSEN.x0, method=BFGS(), options={"maxiter": 3, "norm": np.inf})
    assert (res.status, res.nit) == (Status.MAX_ITER, 3)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"gtol": 1e-3, "options": {"gtol": 1e-4}}, "gtol is given twice"),
        ({"max_iter": 10, "options": {"maxiter": 20}}, "max_iter is given twice"),
        ({"options": {"maxiter": 2, "max_iter": 3}}, "max_iter is given twice"),
        ({"options": {"c2": 0.5}}, r"options \['c2'\] would set hyper-parameters"),
        ({"options": [("gtol", 1.0)]}, "options must be a dict"),
    ],
)
def test_options_that_conflict_are_refused(kwargs, match):
    with pytest.raises(TypeError, match=match):
        optlib.minimize(ROSEN, ROSEN.x0, method=BFGS(), **kwargs)


def test_an_unknown_option_of_a_named_method_names_itself():
    with pytest.raises(TypeError, match="unexpected keyword argument 'disp'"):
        optlib.minimize(ROSEN.fun, ROSEN.x0, method="bfgs", jac=ROSEN.grad, options={"disp": True})


# --- jac=True -----------------------------------------------------------------------------------


def test_jac_true_means_f_returns_f_and_its_gradient_and_is_called_once_per_point():
    calls = []

    def fun_and_grad(x):
        calls.append(np.array(x))
        return ROSEN.fun(x), ROSEN.grad(x)

    res = optlib.minimize(fun_and_grad, ROSEN.x0, method="bfgs", jac=True)
    reference = optlib.minimize(ROSEN, ROSEN.x0, method=BFGS())
    assert res.success and res.nit == reference.nit
    np.testing.assert_array_equal(res.x, reference.x)
    assert len(calls) == res.nfev == res.njev  # every f came with its ∇f, in one call
    # a method that asks for f and ∇f separately at one point still calls f once
    armijo = optlib.minimize(fun_and_grad, ROSEN.x0, method="gd", jac=True, max_iter=3,
                             options={"line_search": "armijo"})  # fmt: skip
    assert armijo.nit == 3


# --- callbacks -----------------------------------------------------------------------------------


def test_a_scipy_style_callback_gets_xk_and_can_stop_the_run_with_stop_iteration():
    seen = []

    def callback(xk):
        seen.append(xk.copy())
        if len(seen) == 4:
            raise StopIteration

    res = optlib.minimize(ROSEN.fun, ROSEN.x0, method="bfgs", jac=ROSEN.grad, callback=callback)
    assert (res.status, res.nit) == (Status.CALLBACK, 4)
    np.testing.assert_array_equal(np.array(seen), res.history.x[1:])
    # SciPy does the same with the same callback
    seen.clear()
    scipy.optimize.minimize(ROSEN.fun, ROSEN.x0, jac=ROSEN.grad, method="BFGS", callback=callback)
    assert len(seen) == 4


def test_a_callback_with_scipys_intermediate_result_gets_x_and_fun():
    values = []

    def callback(intermediate_result):
        values.append((intermediate_result.fun, ROSEN.fun(intermediate_result.x)))

    optlib.minimize(ROSEN.fun, ROSEN.x0, method="bfgs", jac=ROSEN.grad, callback=callback)
    assert values and all(a == b for a, b in values)


def test_an_optlib_callback_can_stop_with_stop_iteration_too():
    def callback(iterate):
        if iterate.nit == 2:
            raise StopIteration

    res = optlib.minimize(ROSEN, ROSEN.x0, method=BFGS(), callback=callback)
    assert (res.status, res.nit) == (Status.CALLBACK, 2)
    assert res.message == "stopped by the callback at iteration 2"


# --- the result ---------------------------------------------------------------------------------


def test_the_result_reads_as_a_mapping_with_scipys_keys():
    res = optlib.minimize(ROSEN, ROSEN.x0, method=BFGS())
    reference = scipy.optimize.minimize(ROSEN.fun, ROSEN.x0, jac=ROSEN.grad, method="BFGS")
    for key in ("x", "fun", "jac", "nit", "nfev", "njev", "status", "message", "success"):
        assert key in reference and key in res.keys()
        assert res[key] is getattr(res, key) or res[key] == getattr(res, key)
    with pytest.raises(KeyError):
        res["hess_inv"]


def test_the_infinity_norm_test_is_scipys_default_for_bfgs():
    gtol = 1e-5
    ours = optlib.minimize(ROSEN, ROSEN.x0, method=BFGS(), gtol=gtol, norm=np.inf)
    assert ours.success and np.max(np.abs(ours.jac)) <= gtol
    # it stops no later than the 2-norm test, which is the stricter one
    two = optlib.minimize(ROSEN, ROSEN.x0, method=BFGS(), gtol=gtol)
    assert ours.nit <= two.nit
    assert np.linalg.norm(ours.history.grad_norm[-1]) >= np.max(np.abs(ours.jac))
    with pytest.raises(ValueError, match="norm must be 2 or numpy.inf"):
        optlib.minimize(ROSEN, ROSEN.x0, method=BFGS(), norm=1)


def test_after_divergence_the_last_finite_iterate_is_kept():
    res = optlib.minimize(ROSEN, ROSEN.x0, method=GradientDescent(lr=0.01))
    assert res.status == Status.DIVERGED and not np.isfinite(res.fun)
    np.testing.assert_array_equal(res.x_finite, res.history.x[-2])
    assert np.isfinite(ROSEN.fun(res.x_finite))
    converged = optlib.minimize(ROSEN, ROSEN.x0, method=BFGS())
    assert converged.x_finite is converged.x


# --- numpy's warnings ---------------------------------------------------------------------------


def test_warnings_from_the_users_own_f_are_not_silenced():
    def f(x):
        return float(np.sum(np.exp(1000.0 * x)))  # overflows at x = 1

    def grad(x):
        return 1000.0 * np.exp(1000.0 * x)

    with pytest.warns(RuntimeWarning, match="overflow encountered in exp"):
        res = optlib.minimize(f, [1.0], method="gd", jac=grad, options={"lr": 0.1})
    assert res.status == Status.DIVERGED


def test_optlibs_own_problems_report_divergence_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = optlib.minimize(ROSEN, ROSEN.x0, method=GradientDescent(lr=0.01))
    assert res.status == Status.DIVERGED


def test_a_problem_can_declare_its_non_finite_values_a_result():
    problem = optlib.Problem(lambda x: float(np.exp(1000.0 * x[0])), grad=lambda x: np.ones(1))
    problem.overflow_warnings = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = optlib.minimize(problem, [1.0], method=GradientDescent(lr=0.1))
    assert res.status == Status.DIVERGED


# --- costs --------------------------------------------------------------------------------------


def test_a_hessian_given_alone_is_formed_once_per_point_for_its_products():
    r = Rosenbrock(10)
    formed = []

    def hess(x):
        formed.append(np.array(x))
        return r.hess(x)

    problem = optlib.Problem(r.fun, grad=r.grad, hess=hess)
    res = optlib.minimize(problem, r.x0, method=NewtonCG(), gtol=1e-8)
    assert res.success
    assert res.nhev > 2 * len(formed)  # several products per Hessian (359 here, 124 Hessians)
    points = {x.tobytes() for x in formed}
    assert len(points) == len(formed) == res.nit  # once at each iterate, never twice


def test_nesterov_in_pytorchs_form_pays_one_gradient_per_iteration():
    p = Quadratic(np.diag([1.0, 100.0]))
    sutskever = optlib.minimize(p, [1.0, 1.0], method=Nesterov(lr=0.01, momentum=0.8))
    pytorch = optlib.minimize(p, [1.0, 1.0], method=Nesterov(lr=0.01, momentum=0.8, form="pytorch"))
    assert sutskever.njev == 2 * sutskever.nit and pytorch.njev == pytorch.nit + 1
    # PyTorch's iterates are the look-ahead points θ + μv of Sutskever's (4.3)
    theta = sutskever.history.x
    k = min(len(theta), len(pytorch.history.x)) - 1
    lookahead = theta[1:k] + 0.8 * (theta[1:k] - theta[: k - 1])
    np.testing.assert_allclose(pytorch.history.x[1:k], lookahead, rtol=1e-12, atol=1e-15)


def test_the_history_of_iterates_is_never_held_twice():
    n, iterations = 20_000, 300
    rng = np.random.default_rng(0)
    problem = DiagonalQuadratic(rng.uniform(1.0, 10.0, n), rng.standard_normal(n))
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        res = optlib.minimize(
            problem, np.zeros(n), method=GradientDescent(lr=0.1), max_iter=iterations, gtol=0.0,
            keep_x=True,
        )  # fmt: skip
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    vector = 8 * n
    assert res.history.x.shape == (iterations + 1, n)
    assert peak < (iterations + 1 + 10) * vector  # the rows, and a few vectors besides
