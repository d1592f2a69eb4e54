"""BFGS, L-BFGS and nonlinear CG (PR+) against SciPy's BFGS, L-BFGS-B and CG on the classic
Moré–Garbow–Hillstrom suite (``optlib.problems.mgh.classic_suite``).

The requirement: optlib's methods reach the published minima at least as often as SciPy's, with a
median number of function + gradient evaluations at most 1.2× SciPy's, both measured in the same
run on the same callables. Run with ``-s`` to see the per-problem table.

How the comparison is made fair:

* Both libraries get the same two callables per problem, wrapped in counters: every call of f and
  of ∇f is counted, whoever makes it (SciPy's own nfev/njev are not used).
* The same stopping test: ‖∇f(x)‖₂ ≤ GTOL. optlib's ``minimize`` uses the 2-norm; SciPy's BFGS
  and CG are given ``norm=2`` (their default is the ∞-norm). SciPy's L-BFGS-B has no such option
  (its ``gtol`` is on the ∞-norm of the projected gradient): it gets ``gtol=0`` and ``ftol=0``, so
  that neither of its own tests fires, and a callback stops it at the first iterate where
  ‖∇f‖₂ ≤ GTOL (the gradient there is the one the method last evaluated; if it is not, the
  callback evaluates it without counting it). Its memory is 10 pairs, as optlib's LBFGS.
* The same iteration limit MAX_ITER; SciPy's L-BFGS-B gets no separate limit on evaluations.
* Line-search constants are each library's defaults (SciPy's CG uses c₂ = 0.4, optlib's 0.1).
* "Reached": f(x_final) − f* ≤ 10⁻⁶·max(1, |f*|) + 5·10⁻⁶·|f*| for one of the minimum values
  that Moré, Garbow & Hillstrom publish for the problem (the global one, or a local minimum or
  limiting value they list); the second term is the rounding of the six-digit printed values.
  f(x_final) is evaluated afresh (uncounted) for both libraries.
* The medians are over the problems that both libraries reached, so that the counts compared are
  for the same successful runs.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
import pytest
import scipy.optimize

import optlib
from optlib.methods import BFGS, LBFGS, NonlinearCG
from optlib.problems.mgh import classic_suite

GTOL = 1e-6
MAX_ITER = 1000
RATIO = 1.2

PAIRS = {
    "BFGS": (BFGS, "BFGS"),
    "L-BFGS": (LBFGS, "L-BFGS-B"),
    "CG (PR+)": (NonlinearCG, "CG"),
}


class Counted:
    """A problem's f and ∇f, counting every call; remembers the last gradient evaluated."""

    def __init__(self, problem):
        self.problem = problem
        self.calls = 0
        self.last = None

    def f(self, x):
        self.calls += 1
        return self.problem.fun(x)

    def grad(self, x):
        self.calls += 1
        g = self.problem.grad(x)
        self.last = (np.array(x), g)
        return g

    def gradient_norm_at(self, x):
        """‖∇f(x)‖₂, reusing the last gradient when it was evaluated at x (else uncounted)."""
        if self.last is not None and np.array_equal(self.last[0], x):
            return float(np.linalg.norm(self.last[1]))
        return float(np.linalg.norm(self.problem.grad(x)))


class Run(NamedTuple):
    fun: float  # f at the final point
    evals: int  # calls of f plus calls of ∇f
    stop: str  # how it stopped, in a few words
    reached: str  # "global", "local" or "" (see the module docstring)


def published_minimum(problem, fun):
    """'global', 'local' or '': which published minimum value f is within tolerance of."""

    def near(value):
        return fun - value <= 1e-6 * max(1.0, abs(value)) + 5e-6 * abs(value)

    if near(problem.f_star):
        return "global"
    if any(near(0.5 * value) for value, _ in problem.other_minima):  # MGH's f is twice ours
        return "local"
    return ""


def run_optlib(problem, cls):
    counted = Counted(problem)
    wrapped = optlib.Problem(counted.f, grad=counted.grad, name=problem.name)
    wrapped.overflow_warnings = problem.overflow_warnings
    res = optlib.minimize(wrapped, problem.x0, method=cls(), gtol=GTOL, max_iter=MAX_ITER)
    fun = problem.fun(res.x)
    stop = ["converged", "max_iter", "diverged", "line search", "callback", "no progress"][
        res.status
    ]
    return Run(fun, counted.calls, stop, published_minimum(problem, fun))


def run_scipy(problem, method):
    counted = Counted(problem)
    callback = None
    if method == "L-BFGS-B":
        options = {"maxcor": 10, "gtol": 0.0, "ftol": 0.0, "maxiter": MAX_ITER, "maxfun": 10**9}

        def callback(intermediate_result):
            if counted.gradient_norm_at(intermediate_result.x) <= GTOL:
                raise StopIteration

    else:
        options = {"gtol": GTOL, "norm": 2, "maxiter": MAX_ITER}
    with warnings.catch_warnings():
        # some MGH problems overflow at trial points far out; SciPy warns about lost precision
        warnings.simplefilter("ignore", RuntimeWarning)
        res = scipy.optimize.minimize(
            counted.f,
            problem.x0,
            jac=counted.grad,
            method=method,
            options=options,
            callback=callback,
        )
    fun = problem.fun(res.x)
    converged = np.linalg.norm(problem.grad(res.x)) <= GTOL
    if method != "L-BFGS-B" and res.status == 0:
        assert converged, "SciPy reports success only when ‖∇f‖₂ ≤ GTOL (norm=2)"
    stop = "converged" if converged else f"status {res.status}"
    return Run(fun, counted.calls, stop, published_minimum(problem, fun))


@pytest.fixture(scope="module")
def suite():
    return classic_suite()


@pytest.fixture(scope="module")
def runs(suite):
    """{label: [(problem, optlib run, SciPy run)]}, computed once for all the tests."""
    cache = {}

    def get(label):
        if label not in cache:
            cls, scipy_name = PAIRS[label]
            cache[label] = [(p, run_optlib(p, cls), run_scipy(p, scipy_name)) for p in suite]
        return cache[label]

    return get


def summary(label, rows, table):
    """Print the per-problem table (if ``table``) and a summary line; return (reached counts,
    medians over the problems both reached)."""
    _, scipy_name = PAIRS[label]
    print(f"\n{label} (optlib) vs {scipy_name} (SciPy): ‖∇f‖₂ ≤ {GTOL:g}, max_iter {MAX_ITER}")
    if table:
        print(
            f"{'problem':20} {'n':>3} {'f*':>11} | {'optlib f':>11} {'evals':>6} {'stop':>11} "
            f"{'min':>6} | {'SciPy f':>11} {'evals':>6} {'stop':>11} {'min':>6}"
        )
    for p, ours, theirs in rows if table else ():
        print(
            f"{p.name:20} {p.n:3d} {p.f_star:11.5g} | {ours.fun:11.5g} {ours.evals:6d} "
            f"{ours.stop:>11} {ours.reached:>6} | {theirs.fun:11.5g} {theirs.evals:6d} "
            f"{theirs.stop:>11} {theirs.reached:>6}"
        )
    both = [
        (ours.evals, theirs.evals) for _, ours, theirs in rows if ours.reached and theirs.reached
    ]
    ours_reached = sum(bool(ours.reached) for _, ours, _ in rows)
    theirs_reached = sum(bool(theirs.reached) for _, _, theirs in rows)
    ours_global = sum(ours.reached == "global" for _, ours, _ in rows)
    theirs_global = sum(theirs.reached == "global" for _, _, theirs in rows)
    evals = np.array(both, dtype=float)
    median_ours, median_theirs = np.median(evals, axis=0)
    print(
        f"reached a published minimum: optlib {ours_reached}, SciPy {theirs_reached} of "
        f"{len(rows)} (the global one: {ours_global} and {theirs_global}); median evaluations "
        f"over the {len(both)} both reached: optlib {median_ours:g}, SciPy {median_theirs:g} "
        f"(ratio {median_ours / median_theirs:.3f}; median of per-problem ratios "
        f"{np.median(evals[:, 0] / evals[:, 1]):.3f})"
    )
    return (ours_reached, theirs_reached), (median_ours, median_theirs)


@pytest.mark.parametrize("label", list(PAIRS))
def test_reaches_the_published_minima_at_least_as_often_as_scipy(runs, label):
    (ours, theirs), _ = summary(label, runs(label), table=True)
    assert ours >= theirs


@pytest.mark.parametrize("label", list(PAIRS))
def test_median_evaluations_are_within_1_2_times_scipy(runs, label):
    _, (ours, theirs) = summary(label, runs(label), table=False)
    assert ours <= RATIO * theirs


@pytest.mark.parametrize(("beta", "better_nu", "worse_nu"), [("FR", 0.1, None), ("PR+", None, 0.1)])
def test_the_default_restart_rule_of_nonlinear_cg_is_the_cheaper_one(
    suite, beta, better_nu, worse_nu
):
    """The defaults documented in NonlinearCG: the test (11.11) for FR, none for PR+."""
    assert NonlinearCG(beta=beta).nu == better_nu

    def median_evals(nu):
        runs = [run_optlib(p, lambda nu=nu: NonlinearCG(beta=beta, nu=nu)) for p in suite]
        return np.median([run.evals for run in runs]), sum(bool(run.reached) for run in runs)

    (better, better_reached), (worse, worse_reached) = (
        median_evals(better_nu),
        median_evals(worse_nu),
    )
    print(
        f"\n{beta}: median evaluations {better:g} with nu={better_nu}, {worse:g} with nu={worse_nu}"
    )
    assert better < worse and better_reached >= worse_reached
