"""The benchmark of chapter 17 (optlib.profiles): the convergence test of Moré & Wild, the
budget, the cost of each kind of evaluation, both profiles on cases worked by hand, and the
tuned training of the stochastic half."""

import numpy as np
import pytest

import optlib
from optlib.methods import AdaHessian, GradientDescent
from optlib.problems import classic_suite, digits_mlp
from optlib.profiles import COST, Solver, benchmark, standard_solvers, train_tuned


def _walker(values):
    """A solver that evaluates f at points whose values are ``values`` in turn (on f(x) = x₀,
    one call of f each), so that the test's cost is known in advance."""

    def run(problem, x0):
        for value in values:
            problem.fun(np.array([value, 0.0]))

    return Solver(f"walk{values}", run)


def _line(name="line", start=10.0):
    problem = optlib.Problem(lambda x: float(x[0]), grad=lambda x: np.array([1.0, 0.0]), name=name)
    problem.x0 = np.array([start, 0.0])
    return problem


def test_the_test_of_more_and_wild_with_f_low_the_best_any_solver_reached():
    # f(x0) = 10; solver A reaches 0 (so f_L = 0), solver B only 1.
    bench = benchmark([_walker((5.0, 1.0, 0.0)), _walker((9.0, 1.0))], [_line()], budget=10)
    assert bench.f_low.tolist() == [0.0]
    # τ = 0.1: f ≤ 10 − 0.9·10 = 1, reached at A's 2nd and B's 2nd evaluation
    assert bench.cost_to_solve(0.1)[:, 0].tolist() == [2.0, 2.0]
    # τ = 0.01: f ≤ 0.1, only A's 3rd evaluation
    assert bench.cost_to_solve(0.01)[:, 0].tolist() == [3.0, np.inf]


def test_a_nan_value_neither_sets_f_low_nor_passes_the_test():
    bench = benchmark([_walker((np.nan, 4.0)), _walker((6.0, np.nan))], [_line()], budget=10)
    assert bench.f_low.tolist() == [4.0]
    assert bench.cost_to_solve(0.0)[:, 0].tolist() == [2.0, np.inf]


def test_the_budget_stops_a_run_that_would_go_on_for_ever():
    def forever(problem, x0):
        while True:
            problem.fun(x0)

    bench = benchmark([Solver("forever", forever)], [_line()], budget=7)  # 7·(2 + 1) = 21
    run = bench.runs["forever", "line"]
    assert run.ending == "budget spent" and run.costs[-1] == 21 and run.costs.size == 21


def test_each_kind_of_call_is_charged_as_COST_says():
    problem = classic_suite(["wood"])[0]  # n = 4, least squares with a Hessian

    def calls(problem, x0):
        problem.fun(x0)  # 1
        problem.grad(x0)  # 1
        problem.fun_and_grad(x0)  # 2
        problem.hessp(x0, x0)  # 1
        problem.hess(x0)  # n = 4
        problem.residuals(x0)  # 1
        problem.jac(x0)  # 1

    bench = benchmark([Solver("calls", calls)], [problem], budget=10)
    assert COST["hess"] == "n"
    assert bench.runs["calls", "wood"].costs.tolist() == [1.0, 4.0, 10.0]  # at f, (f, ∇f), r


def test_errors_end_a_run_and_what_it_evaluated_still_counts():
    def breaks(problem, x0):
        problem.fun(np.array([0.0, 0.0]))
        raise ValueError("no step")

    bench = benchmark([Solver("breaks", breaks)], [_line()], budget=5)
    assert bench.runs["breaks", "line"].ending == "error: ValueError: no step"
    assert bench.cost_to_solve(1e-9)[0, 0] == 1.0


def test_performance_profile_on_costs_worked_by_hand():
    # costs: A = (2, 8), B = (4, inf) on two problems: ratios A = (1, 1), B = (2, inf)
    a = Solver("A", lambda p, x0: [p.fun(np.array([v, 0.0])) for v in (5, 0, 5, 5, 5, 5, 5, 0)])
    b = Solver("B", lambda p, x0: [p.fun(np.array([v, 0.0])) for v in (5, 5, 5, 0)])
    bench = benchmark([a, b], [_line("p1"), _line("p2", start=0.5)], budget=10)
    # on p2 (f(x0) = 0.5): A first reaches 0 at its 2nd call, B at its 4th; on p1 the same
    costs = bench.cost_to_solve(1e-6)
    assert costs.tolist() == [[2.0, 2.0], [4.0, 4.0]]
    alphas, rho = bench.performance_profile(1e-6, alphas=[1.0, 1.9, 2.0, 4.0])
    assert rho["A"].tolist() == [1.0, 1.0, 1.0, 1.0]
    assert rho["B"].tolist() == [0.0, 0.0, 1.0, 1.0]
    kappas, d = bench.data_profile(1e-6, kappas=[0.5, 2 / 3, 4 / 3])  # n + 1 = 3
    assert d["A"].tolist() == [0.0, 1.0, 1.0] and d["B"].tolist() == [0.0, 0.0, 1.0]


def test_solvers_that_do_not_apply_are_skipped_and_left_out_of_the_profiles():
    solvers = standard_solvers()
    bench = benchmark([solvers["BFGS"], solvers["LM"]], [*classic_suite(["beale"]), _line()], 20)
    assert ("LM", "line") not in bench.runs and ("LM", "beale") in bench.runs
    assert np.isnan(bench.cost_to_solve(1e-3)[1, 1])
    assert set(bench.performance_profile(1e-3)[1]) == {"BFGS"}  # LM does not apply to "line"
    _, rho = bench.performance_profile(1e-3, solvers=["BFGS", "LM"])  # only beale is common
    assert all(r.shape == (501,) for r in rho.values())


@pytest.mark.parametrize("name", ["SciPy L-BFGS-B", "SciPy lm", "SciPy BFGS", "SciPy Newton-CG"])
def test_scipy_references_stop_at_the_budget_too(name):
    problem = classic_suite(["rosenbrock"])[0]
    bench = benchmark([standard_solvers(gtol=0.0)[name]], [problem], budget=3)  # 9 evaluations
    run = bench.runs[name, "rosenbrock"]
    assert run.ending == "budget spent" and run.costs[-1] <= 9


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="tau"):
        benchmark([_walker((1.0,))], [_line()]).cost_to_solve(1.5)
    with pytest.raises(ValueError, match="measure"):
        benchmark([_walker((1.0,))], [_line()]).cost_to_solve(0.1, measure="flops")
    with pytest.raises(ValueError, match="solvers: no solver named 'X'"):
        benchmark([_walker((1.0,))], [_line()]).performance_profile(0.1, solvers=["X"])
    with pytest.raises(ValueError, match="budget"):
        benchmark([_walker((1.0,))], [_line()], budget=0)
    with pytest.raises(TypeError, match=r"solvers\[0\]"):
        benchmark([GradientDescent(lr=1.0)], [_line()])
    with pytest.raises(ValueError, match="distinct names"):
        benchmark([_walker((1.0,))], [_line(), _line()])
    with pytest.raises(ValueError, match="f\\(x0\\) of line is nan"):
        benchmark([_walker((1.0,))], [_line(start=np.nan)])


def _digits(seeds=(0, 1)):
    return {s: digits_mlp(hidden=8, batch_size=32, seed=s) for s in seeds}


def _test_error(net, x):
    return net.error_rate(x, net.X_test[:200], net.y_test[:200])


def test_train_tuned_chooses_the_best_median_and_never_a_diverging_step():
    methods = {"SGD": (lambda lr: GradientDescent(lr=lr), (0.3, 1e4))}  # 1e4 diverges
    result = train_tuned(methods, _digits(), max_iter=60, score=_test_error, target=0.5, every=20)
    sgd = result["SGD"]
    assert sgd.lr == 0.3 and sgd.iterations.tolist() == [0, 20, 40, 60]
    assert np.isinf(sgd.grid_scores[1]) or sgd.grid_scores[1] > sgd.grid_scores[0]
    # one gradient an iteration: the target is met at a checkpoint, so a multiple of 20
    assert np.all(np.isfinite(sgd.gradients)) and np.all(sgd.gradients % 20 == 0)
    assert sgd.scores.shape == (2, 4) and len(sgd.x) == 2


def test_train_tuned_charges_hessian_vector_products():
    methods = {"AdaHessian": (lambda lr: AdaHessian(lr=lr), (0.1,))}
    result = train_tuned(
        methods,
        _digits((0,)),
        max_iter=40,
        score=_test_error,
        target=1.0,
        every=10,
        hessp_cost=2.0,
    )
    # the target is met at x0 (error ≤ 1): no cost; then check the cost per iteration
    assert result["AdaHessian"].gradients.tolist() == [0.0]
    result = train_tuned(
        methods,
        _digits((0,)),
        max_iter=40,
        score=lambda net, x: -float(np.sum(x != net.x0)),
        target=-1.0,
        every=10,
        hessp_cost=2.0,
    )
    assert result["AdaHessian"].gradients.tolist() == [30.0]  # 10 iterations, 1 + 2 each


def test_train_tuned_needs_grids_of_one_size():
    methods = {
        "A": (lambda lr: GradientDescent(lr=lr), (0.1, 0.3)),
        "B": (lambda lr: GradientDescent(lr=lr), (0.1,)),
    }
    with pytest.raises(ValueError, match="same number of steps"):
        train_tuned(methods, _digits((0,)), max_iter=5, score=_test_error, target=0.1)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"max_iter": 2.5}, "max_iter"),
        ({"every": 0}, "every"),
        ({"problems": {}}, "problems"),
        ({"score": "error"}, "score"),
        ({"target": np.nan}, "target"),
        ({"hessp_cost": -1.0}, "hessp_cost"),
    ],
)
def test_train_tuned_names_a_bad_argument(change, match):
    arguments = {
        "methods": {"SGD": (lambda lr: GradientDescent(lr=lr), (0.1,))},
        "problems": _digits((0,)),
        "max_iter": 5,
        "score": _test_error,
        "target": 0.1,
    } | change
    with pytest.raises((TypeError, ValueError), match=match):
        train_tuned(**arguments)
