"""A fair benchmark of optimisers on a set of problems: performance and data profiles.

:func:`benchmark` runs every solver on every problem it applies to, from the problem's ``x0``,
under one budget, and records the value of f at every evaluation with the work done and the
time spent so far. Whether and when a run *solved* a problem is decided afterwards, by one test
for every solver (Moré & Wild 2009, eq. 2.2):

    f(x₀) − f(x) ≥ (1 − τ)(f(x₀) − f_L),

where f_L is the lowest value any solver reached on that problem within the budget. The
:class:`Benchmark` it returns turns the records into the two standard summaries: performance
profiles (Dolan & Moré 2002), the fraction of problems a solver solves within a factor α of the
best solver's cost, and data profiles (Moré & Wild 2009), the fraction solved within a budget of
κ simplex gradients, κ(n + 1) evaluations on a problem in n variables.

Work is counted in evaluations, with :data:`COST`: a call of f, of ∇f, or a Hessian-vector
product counts one (a call of (f, ∇f) together counts two); a dense Hessian counts n (what forming
it from n products costs); for a least-squares problem the residuals count as f and the Jacobian
as ∇f, as MINPACK counts them.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import optlib
from optlib.checks import check_count, check_nonnegative, check_positive
from optlib.problem import Problem

__all__ = [
    "Solver",
    "Benchmark",
    "Run",
    "benchmark",
    "standard_solvers",
    "Training",
    "train_tuned",
    "COST",
]

#: Evaluations charged for one call; ``"n"`` means the problem's dimension.
COST = {
    "fun": 1,
    "grad": 1,
    "fun_and_grad": 2,
    "hessp": 1,
    "hess": "n",
    "residuals": 1,
    "jac": 1,
}


@dataclass(frozen=True)
class Solver:
    """A way to minimise a problem from a start.

    Args:
      name: the label of its row and curve.
      run: ``run(problem, x0)`` minimises ``problem`` (an :class:`optlib.Problem`, counted) from
        ``x0``; what it returns is ignored, since the benchmark reads the evaluations it made.
      needs: what the problem must provide for the solver to apply (see
        :attr:`optlib.Problem.provides`); the solver skips the other problems.
      reference: True for an outside implementation drawn for comparison (SciPy's).
    """

    name: str
    run: Callable
    needs: frozenset = frozenset({"grad"})
    reference: bool = False


class _BudgetSpent(Exception):
    """Raised inside a run when its next evaluation would exceed the budget."""


class _Recorder(Problem):
    """The problem, with every call charged by :data:`COST` and every value of f recorded."""

    def __init__(self, problem, limit):
        self.problem, self.limit = problem, limit
        self.name = problem.name
        self.overflow_warnings = problem.overflow_warnings
        self.n = problem.x0.size
        self.cost = 0
        self.start = time.perf_counter()
        self.costs, self.seconds, self.values = [], [], []

    @property
    def provides(self):
        return self.problem.provides

    def _charge(self, what):
        cost = self.n if COST[what] == "n" else COST[what]
        if self.cost + cost > self.limit:
            raise _BudgetSpent
        self.cost += cost

    def _saw(self, value):
        self.costs.append(self.cost)
        self.seconds.append(time.perf_counter() - self.start)
        self.values.append(float(value))

    def fun(self, x):
        self._charge("fun")
        value = self.problem.fun(x)
        self._saw(value)
        return value

    def grad(self, x):
        self._charge("grad")
        return self.problem.grad(x)

    def fun_and_grad(self, x):
        self._charge("fun_and_grad")
        value, g = self.problem.fun_and_grad(x)
        self._saw(value)
        return value, g

    def hessp(self, x, v):
        self._charge("hessp")
        return self.problem.hessp(x, v)

    def hess(self, x):
        self._charge("hess")
        return self.problem.hess(x)

    def residuals(self, x):
        self._charge("residuals")
        r = self.problem.residuals(x)
        self._saw(0.5 * float(r @ r))
        return r

    def jac(self, x):
        self._charge("jac")
        return self.problem.jac(x)


@dataclass(frozen=True)
class Run:
    """One solver on one problem: f at each evaluation of it, the evaluations made up to
    then (``costs``) and the seconds since the start (``seconds``); how the run ended, and
    whether the solver itself reported success (``claimed``)."""

    costs: np.ndarray
    seconds: np.ndarray
    values: np.ndarray
    ending: str
    claimed: bool = False


class Benchmark:
    """The records of :func:`benchmark`, and the profiles drawn from them.

    Attributes:
      solvers: the solvers' names, in the order given.
      problems: the problems' names.
      n: each problem's dimension.
      f0: f(x₀) of each problem.
      f_low: f_L of each problem, the lowest f any solver reached.
      budget: the budget in simplex gradients.
      runs: ``{(solver, problem): Run}`` for each pair that applies.
    """

    def __init__(self, solvers, problems, n, f0, runs, budget):
        self.solvers, self.problems = tuple(solvers), tuple(problems)
        self.n, self.f0, self.runs, self.budget = np.asarray(n), np.asarray(f0), runs, budget
        lowest = np.full(len(self.problems), np.inf)
        column = {name: j for j, name in enumerate(self.problems)}
        for (_, problem), run in runs.items():
            j = column[problem]
            lowest[j] = np.fmin.reduce(run.values, initial=lowest[j])  # NaN values are ignored
        self.f_low = np.fmin(lowest, self.f0)

    def cost_to_solve(self, tau, measure="evaluations"):
        """Array (solvers, problems): the evaluations (or ``measure="seconds"``, the time) at
        which each run first passed the test f(x₀) − f ≥ (1 − τ)(f(x₀) − f_L); inf where it
        never did, NaN where the solver does not apply."""
        tau = float(tau)
        if not 0.0 <= tau <= 1.0:
            raise ValueError(f"tau must lie in [0, 1], got {tau}")
        if measure not in ("evaluations", "seconds"):
            raise ValueError(f'measure must be "evaluations" or "seconds", got {measure!r}')
        out = np.full((len(self.solvers), len(self.problems)), np.nan)
        for i, solver in enumerate(self.solvers):
            for j, problem in enumerate(self.problems):
                run = self.runs.get((solver, problem))
                if run is None:
                    continue
                goal = self.f0[j] - (1.0 - tau) * (self.f0[j] - self.f_low[j])  # (17.1)
                with np.errstate(invalid="ignore"):
                    passed = np.flatnonzero(run.values <= goal)  # NaN never passes
                where = run.costs if measure == "evaluations" else run.seconds
                out[i, j] = where[passed[0]] if passed.size else np.inf
        return out

    def _select(self, tau, measure, solvers):
        if solvers is None:  # the solvers that apply to every problem
            solvers = [s for s in self.solvers if all((s, p) in self.runs for p in self.problems)]
        names = tuple(solvers)
        unknown = [s for s in names if s not in self.solvers]
        if unknown:
            raise ValueError(f"solvers: no solver named {unknown[0]!r} in this benchmark")
        rows = [self.solvers.index(s) for s in names]
        costs = self.cost_to_solve(tau, measure)[rows]
        common = ~np.isnan(costs).any(axis=0)  # the problems every selected solver applies to
        return names, costs[:, common], common

    def performance_profile(self, tau, measure="evaluations", solvers=None, alphas=None):
        """(α, {solver: ρ(α)}): ρ(α) is the fraction of problems on which the solver's cost is
        at most α times the lowest cost of the selected solvers (Dolan & Moré 2002). Only the
        problems every selected solver applies to count; by default the solvers are those that
        apply to every problem, and α runs over 2⁰ … 2¹⁰."""
        names, costs, _ = self._select(tau, measure, solvers)
        alphas = 2.0 ** np.linspace(0, 10, 501) if alphas is None else np.asarray(alphas)
        best = np.min(costs, axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratios = np.where(np.isfinite(best), costs / np.maximum(best, 1e-300), np.inf)  # (17.2)
        profile = {  # (17.3)
            name: np.mean(ratios[i][:, None] <= alphas[None, :], axis=0)
            for i, name in enumerate(names)
        }
        return alphas, profile

    def data_profile(self, tau, solvers=None, kappas=None):
        """(κ, {solver: d(κ)}): d(κ) is the fraction of problems solved within κ(n + 1)
        evaluations, κ simplex gradients (Moré & Wild 2009); default κ: 0 … the budget."""
        names, costs, common = self._select(tau, "evaluations", solvers)
        kappas = np.linspace(0, self.budget, 401) if kappas is None else np.asarray(kappas)
        gradients = costs / (self.n[common] + 1.0)
        profile = {  # (17.4)
            name: np.mean(gradients[i][:, None] <= kappas[None, :], axis=0)
            for i, name in enumerate(names)
        }
        return kappas, profile

    def table(self, tau, solvers=None):
        """A text table, one row per solver: the problems it solved, those on which it was the
        cheapest in evaluations (ties count for each), and the median over the problems it
        solved of its cost to solve in simplex gradients, evaluations / (n + 1)."""
        names, costs, common = self._select(tau, "evaluations", solvers)
        best = np.min(costs, axis=0)
        lines = [
            f"τ = {tau:g}, {int(common.sum())} problems",
            f"{'solver':<18}{'solved':>7}{'cheapest':>9}{'median κ':>10}",
        ]
        for i, name in enumerate(names):
            solved = np.isfinite(costs[i])
            kappa = costs[i][solved] / (self.n[common][solved] + 1.0)
            median = f"{np.median(kappa):.1f}" if solved.any() else "-"
            wins = int(np.sum(solved & (costs[i] == best)))
            lines.append(f"{name:<18}{int(solved.sum()):>7}{wins:>9}{median:>10}")
        return "\n".join(lines)


def benchmark(solvers, problems, budget=100):
    """Run every solver on every problem it applies to, from ``problem.x0``, and record it.

    Args:
      solvers: an iterable of :class:`Solver` (e.g. ``standard_solvers().values()``).
      problems: an iterable of :class:`optlib.Problem` with a start ``x0`` and distinct names.
      budget: evaluations allowed per run, in simplex gradients: a run on a problem in n
        variables stops before its evaluation number ⌊budget·(n + 1)⌋ + 1.

    Returns:
      A :class:`Benchmark`. A run ends by its own test, at the budget, or with an error; its
      ``ending`` says which. What it evaluated before the end counts either way.

    Example:
      >>> from optlib.problems import classic_suite
      >>> solvers = standard_solvers()
      >>> bench = benchmark([solvers["BFGS"], solvers["GD (Wolfe)"]],
      ...                   classic_suite(["rosenbrock", "beale", "wood"]), budget=50)
      >>> print(bench.table(tau=1e-5))
      τ = 1e-05, 3 problems
      solver             solved cheapest  median κ
      BFGS                    3        3      10.2
      GD (Wolfe)              0        0         -
    """
    solvers, problems = list(solvers), list(problems)
    budget = check_positive(budget, "budget")
    for i, solver in enumerate(solvers):
        if not isinstance(solver, Solver):
            raise TypeError(f"solvers[{i}] must be an optlib.profiles.Solver")
    names = [p.name for p in problems]
    if len(set(names)) < len(names):
        raise ValueError("problems must have distinct names")
    if len({s.name for s in solvers}) < len(solvers):
        raise ValueError("solvers must have distinct names")
    runs, f0 = {}, []
    for problem in problems:
        x0 = np.asarray(problem.x0, dtype=float)
        f0.append(float(problem.fun(x0)))
        if not np.isfinite(f0[-1]):
            raise ValueError(f"problems: f(x0) of {problem.name} is {f0[-1]}, not finite")
        problem.grad(x0)  # any derivatives generated on first use are made before timing
        for solver in solvers:
            if solver.needs <= problem.provides:
                runs[solver.name, problem.name] = _record(solver, problem, x0, budget)
    return Benchmark(
        [s.name for s in solvers], names, [p.x0.size for p in problems], f0, runs, budget
    )


def _record(solver, problem, x0, budget):
    recorder = _Recorder(problem, limit=math.floor(budget * (x0.size + 1)))
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = solver.run(recorder, x0.copy())
        ending = getattr(result, "message", "ended")
        claimed = bool(getattr(result, "success", False))
    except _BudgetSpent:
        ending, claimed = "budget spent", False
    except (ArithmeticError, ValueError, np.linalg.LinAlgError) as error:
        ending, claimed = f"error: {type(error).__name__}: {error}", False
    return Run(
        np.array(recorder.costs, dtype=float),
        np.array(recorder.seconds),
        np.array(recorder.values),
        str(ending),
        claimed,
    )


def standard_solvers(gtol=1e-10):
    """The deterministic methods of optlib and their SciPy references, as {name: Solver}.

    Every run stops by its own test at ‖∇f‖₂ ≤ ``gtol`` (or its method's equivalent), and
    otherwise at the budget. optlib: gradient descent with a strong Wolfe search, nonlinear
    CG (PR+), BFGS, L-BFGS (m = 10), Newton with eigenvalue repair, Newton-CG, and for
    least-squares problems Gauss–Newton and Levenberg–Marquardt. SciPy: BFGS, L-BFGS-B, CG,
    Newton-CG and ``least_squares(method="lm")`` (MINPACK).
    """
    import scipy.optimize

    methods = optlib.methods

    def ours(make):
        def run(problem, x0):
            return optlib.minimize(problem, x0, method=make(), gtol=gtol, max_iter=10**9)

        return run

    def scipy_minimize(method, **options):
        def run(problem, x0):
            hessp = {"hessp": problem.hessp} if method == "Newton-CG" else {}
            return scipy.optimize.minimize(
                problem.fun_and_grad, x0, jac=True, method=method, options=options, **hessp
            )

        return run

    def scipy_lm(problem, x0):
        return scipy.optimize.least_squares(
            problem.residuals,
            x0,
            jac=problem.jac,
            method="lm",
            ftol=1e-15,
            xtol=1e-15,
            gtol=1e-15,
            max_nfev=10**9,
        )

    grad, hessp, hess = frozenset({"grad"}), frozenset({"hessp"}), frozenset({"hess"})
    residuals = frozenset({"residuals"})
    big = 10**9
    lbfgsb = {"maxcor": 10, "gtol": gtol, "ftol": 0.0, "maxiter": big, "maxfun": big}
    return {
        s.name: s
        for s in (
            Solver("GD (Wolfe)", ours(lambda: methods.GradientDescent(line_search="wolfe"))),
            Solver("CG (PR+)", ours(lambda: methods.NonlinearCG(beta="PR+"))),
            Solver("BFGS", ours(methods.BFGS)),
            Solver("L-BFGS", ours(lambda: methods.LBFGS(m=10))),
            Solver("Newton (eigen)", ours(methods.Newton), hess | grad),
            Solver("Newton-CG", ours(methods.NewtonCG), hessp | grad),
            Solver("Gauss-Newton", ours(methods.GaussNewton), residuals),
            Solver("LM", ours(methods.LevenbergMarquardt), residuals),
            Solver(
                "SciPy BFGS",
                scipy_minimize("BFGS", gtol=gtol, norm=2, maxiter=big),
                reference=True,
            ),
            Solver("SciPy L-BFGS-B", scipy_minimize("L-BFGS-B", **lbfgsb), reference=True),
            Solver(
                "SciPy CG", scipy_minimize("CG", gtol=gtol, norm=2, maxiter=big), reference=True
            ),
            Solver(
                "SciPy Newton-CG",
                scipy_minimize("Newton-CG", xtol=1e-14, maxiter=big),
                hessp | grad,
                reference=True,
            ),
            Solver("SciPy lm", scipy_lm, residuals, reference=True),
        )
    }


@dataclass(frozen=True)
class Training:
    """One method of :func:`train_tuned`: the grid, the step it chose and its runs.

    Attributes:
      grid: the step sizes tried; ``grid_scores``: the median final score over the seeds at each.
      lr: the chosen step, the one with the lowest median final score.
      iterations: the checkpoints (iteration numbers) at which the score was measured.
      scores: array (seeds, checkpoints) of the score at the chosen step.
      gradients: array (seeds,) of gradient-equivalents spent when the score first reached the
        target (inf where it never did); ``seconds``: the same in seconds of training, the time
        spent measuring the score left out.
      x: the final parameters of each seed's run at the chosen step.
    """

    grid: tuple
    grid_scores: np.ndarray
    lr: float
    iterations: np.ndarray
    scores: np.ndarray
    gradients: np.ndarray
    seconds: np.ndarray
    x: list


def train_tuned(methods, problems, max_iter, score, target, every=10, hessp_cost=2.0):
    """Train a network with several methods, each tuned on a grid of the same size, from
    several seeds: the stochastic half of the benchmark.

    Args:
      methods: ``{name: (make, grid)}``: ``make(lr)`` builds the method with step ``lr``; every
        grid has the same number of steps, so that every method gets the same tuning budget.
      problems: ``{seed: problem}``, stochastic problems (the seed fixes the initial weights in
        the problem and the sequence of minibatches in the run), the same for every method.
      max_iter: iterations per run.
      score: ``score(problem, x) -> float``, lower is better (a validation error, say); measured
        every ``every`` iterations and at the end.
      target: the score whose first attainment is timed.
      hessp_cost: gradient-equivalents charged per Hessian-vector product.

    Returns:
      ``{name: Training}``.

    Every iteration of these methods costs the same: one minibatch gradient, plus Hessian-vector
    products for AdaHessian; the cost of a checkpoint is its iteration number times the cost per
    iteration, read from the counts of the run.
    """
    sizes = {len(grid) for _, grid in methods.values()}
    if len(sizes) != 1:
        raise ValueError("methods: every grid must have the same number of steps")
    max_iter = check_count(max_iter, "max_iter")
    every = check_count(every, "every")
    if not isinstance(problems, dict) or not problems:
        raise ValueError("problems must be a non-empty dict {seed: problem}")
    if not callable(score):
        raise TypeError(f"score must be callable, got {type(score).__name__}")
    if not np.isfinite(target):
        raise ValueError(f"target must be finite, got {target}")
    hessp_cost = check_nonnegative(hessp_cost, "hessp_cost")
    checkpoints = np.unique(np.r_[np.arange(0, max_iter + 1, every), max_iter])
    results = {}
    for name, (make, grid) in methods.items():
        runs = {
            lr: [
                _train(make(lr), p, s, checkpoints, score, hessp_cost) for s, p in problems.items()
            ]
            for lr in grid
        }
        grid_scores = np.array([np.median([run[0][-1] for run in runs[lr]]) for lr in grid])
        lr = grid[int(np.argmin(np.where(np.isnan(grid_scores), np.inf, grid_scores)))]
        scores = np.array([run[0] for run in runs[lr]])
        gradients, seconds = [], []
        for values, clock, per_iteration, _ in runs[lr]:
            hit = np.flatnonzero(values <= target)
            gradients.append(checkpoints[hit[0]] * per_iteration if hit.size else np.inf)
            seconds.append(clock[hit[0]] if hit.size else np.inf)
        results[name] = Training(
            tuple(grid),
            grid_scores,
            lr,
            checkpoints,
            scores,
            np.array(gradients),
            np.array(seconds),
            [run[3] for run in runs[lr]],
        )
    return results


def _train(method, problem, seed, checkpoints, score, hessp_cost):
    """(scores at the checkpoints, training seconds there, gradient-equivalents per iteration,
    final x) of one run; a run that stops early (it diverged) scores inf from there on."""
    values, clock = [score(problem, problem.x0)], [0.0]
    spent = [0.0]  # seconds spent measuring the score, left out of the training time
    wanted = set(checkpoints[1:].tolist())
    start = time.perf_counter()

    def checkpoint(iterate):
        if iterate.nit in wanted:
            entered = time.perf_counter()
            value = score(problem, iterate.x) if np.all(np.isfinite(iterate.x)) else np.inf
            values.append(value if np.isfinite(value) else np.inf)
            clock.append(entered - start - spent[0])
            spent[0] += time.perf_counter() - entered

    res = optlib.minimize(
        problem,
        problem.x0,
        method=method,
        max_iter=int(checkpoints[-1]),
        gtol=0,
        seed=seed,
        keep_x=False,
        callback=checkpoint,
    )
    missing = len(checkpoints) - len(values)
    values += [np.inf] * missing
    clock += [np.inf] * missing
    per_iteration = ((res.njev - 1) + hessp_cost * res.nhev) / max(res.nit, 1)
    return np.array(values), np.array(clock), per_iteration, res.x_finite


def main():
    """The full version of chapter 17's comparison, printed as tables (several minutes)."""
    from optlib import methods as m
    from optlib.problems import MLP, classic_suite, cute_suite, digits_mlp, nist_suite, two_spirals

    problems = [*classic_suite(), *nist_suite(), *cute_suite()]  # CUTE at their default sizes
    suite = benchmark(standard_solvers().values(), problems, budget=100)
    for tau in (1e-1, 1e-3, 1e-5, 1e-7):
        print(suite.table(tau), "\n", flush=True)
    steps = lambda center: tuple(center * 10.0 ** (k / 2) for k in range(-3, 3))  # noqa: E731
    methods = {
        "SGD": (lambda lr: m.GradientDescent(lr=lr), steps(1.0)),
        "Momentum": (lambda lr: m.Momentum(lr=lr), steps(0.1)),
        "Nesterov": (lambda lr: m.Nesterov(lr=lr, form="pytorch"), steps(0.1)),
        "Adagrad": (lambda lr: m.Adagrad(lr=lr), steps(0.1)),
        "RMSProp": (lambda lr: m.RMSProp(lr=lr), steps(0.01)),
        "Adam": (lambda lr: m.Adam(lr=lr), steps(0.01)),
        "AdamW": (lambda lr: m.AdamW(lr=lr), steps(0.01)),
        "AdaHessian": (lambda lr: m.AdaHessian(lr=lr), steps(0.1)),
        "Lookahead(Adam)": (lambda lr: m.Lookahead(m.Adam(lr=lr)), steps(0.01)),
    }
    X, y = two_spirals(200, seed=0)
    X_fresh, y_fresh = two_spirals(200, seed=1)
    digits = {s: digits_mlp(batch_size=32, seed=s) for s in range(5)}
    spirals = {
        s: MLP([2, 16, 16, 2], X, y, "cross_entropy", batch_size=32, seed=s) for s in range(5)
    }
    tasks = (
        ("digits", digits, 1000, 0.05, lambda net, x: net.error_rate(x, net.X_test, net.y_test)),
        ("two spirals", spirals, 3000, 0.10, lambda net, x: net.error_rate(x, X_fresh, y_fresh)),
    )
    for task, nets, max_iter, target, score in tasks:
        print(
            f"{task}: step, final error median [min, max] over 5 seeds, gradients to {target:.0%}"
        )
        for name, r in train_tuned(methods, nets, max_iter, score, target, every=20).items():
            final, hit = r.scores[:, -1], np.isfinite(r.gradients)
            reach = f"{np.median(r.gradients[hit]):.0f} ({hit.sum()}/5)" if hit.any() else "-"
            print(
                f"  {name:<16} {r.lr:<8.3g} {np.median(final):6.1%} [{final.min():.1%}, "
                f"{final.max():.1%}]  {reach}",
                flush=True,
            )


if __name__ == "__main__":
    main()
