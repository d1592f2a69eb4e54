"""optlib's benchmark: ``python -m optlib.bench [--quick] [--only NAME] [--blas-threads N]``.

It prints a text report of three sections, every number measured in the same run on the machine
at hand; timings are never asserted, and each is shown as a ratio to a reference timed in the
same run, interleaved with it (best of several repeats, since the machine may be shared):

``first-order``
    The cost per iteration of ``GradientDescent``, ``Momentum`` and ``Adam`` run through
    :func:`optlib.minimize` on a 10⁶-variable :class:`~optlib.problems.DiagonalQuadratic`,
    against hand-written in-place numpy loops of the same update rules: a bare loop (gradient
    and update only), a training loop (which also computes and keeps the loss f, as a training
    loop that logs its loss does; the goal is set against it) and a fair one that also keeps
    ‖∇f‖ at every iterate, as ``minimize`` does for ``res.history``. Then the peak memory of
    a 200-iteration run with the default history, which must not keep the iterates at this
    size, against ``keep_x=True``.
``lbfgs``
    :class:`~optlib.methods.LBFGS` against SciPy's L-BFGS-B (memory m = 10 for both) on the
    extended Rosenbrock function, n = 10⁴ and 10⁵: evaluations, iterations, time, final f and
    ‖∇f‖₂.
``suite``
    Evaluations to solution against SciPy on the Moré–Garbow–Hillstrom suite
    (:func:`optlib.problems.classic_suite`), for BFGS, L-BFGS, nonlinear CG (PR+), Newton–CG
    and Levenberg–Marquardt, each against its SciPy counterpart.

Both sides of a comparison call the same counting wrappers (:class:`Counted`) of the same
callables.

``--quick`` runs small sizes and three problems (a smoke test of the report, a few seconds).
``--blas-threads N`` (default 1) restarts the interpreter with ``OPENBLAS_NUM_THREADS=N`` (and
the OpenMP and MKL equivalents) unless they are already set so; 0 keeps the environment as it
is. On a shared machine a multi-threaded BLAS (OpenBLAS threads the dot products of long
vectors) keeps waiting for a busy core: on a loaded 2-core machine it made L-BFGS at n = 10⁵
6 times slower and L-BFGS-B 12 times slower, and their ratio meaningless. Both sides use the
same BLAS, so with one thread the ratios compare the code, not the scheduler.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import sys
import time
import tracemalloc
import warnings
from dataclasses import dataclass

import numpy as np

try:
    import resource
except ImportError:  # not on Unix: no page-fault counts
    resource = None

import optlib
from optlib.minimize import KEEP_X_LIMIT
from optlib.problems import DiagonalQuadratic, ExtendedRosenbrock, mgh

__all__ = ["main", "Counted", "SECTIONS"]

SECTIONS = ("first-order", "lbfgs", "suite")

#: Sizes, repeats and problems of the full and the quick report.
FULL = {
    "n_first_order": 10**6,
    "iterations": 30,
    "repeats": 5,
    "n_memory": 10**6,
    "n_memory_keep": 10**4,
    "memory_iterations": 200,
    "n_lbfgs": (10**4, 10**5),
    "lbfgs_repeats": 3,
    "suite": mgh.SUITE_NAMES,
}
QUICK = {
    "n_first_order": 10**5,
    "iterations": 10,
    "repeats": 2,
    "n_memory": 10**5,
    "n_memory_keep": 10**3,
    "memory_iterations": 200,
    "n_lbfgs": (10**3, 10**4),
    "lbfgs_repeats": 1,
    "suite": ("rosenbrock", "beale", "wood"),
}

GOAL_FIRST_ORDER = 1.3  # optlib's time per iteration over the hand-written training loop
GOAL_LBFGS_TIME = 1.5  # optlib's time over L-BFGS-B's
LBFGS_GTOL = 1e-6  # on ‖∇f‖₂ (optlib's default)
SUITE_GTOL = 1e-8  # on ‖∇f‖₂
SUITE_MAX_ITER = 3000
SOLVED_RTOL = 1e-6  # solved: f − f* ≤ 1e-6·max(1, |f*|) for some published minimum f*


def _print(*lines):
    for line in lines:
        print(line, flush=True)


def _rule(title):
    _print("", title, "=" * len(title))


def _page_faults():
    """Minor page faults of this process so far (None where ``resource`` is missing)."""
    if resource is None:
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def _measure(runs, repeats):
    """{name: (best wall time, fewest minor page faults)} of the callables in ``runs`` over
    ``repeats`` rounds; within a round they run one after the other, so a change of load hits
    all of them alike."""
    best = {name: (math.inf, math.inf) for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            gc.collect()
            faults = _page_faults()
            start = time.perf_counter()
            run()
            seconds = time.perf_counter() - start
            faults = None if faults is None else _page_faults() - faults
            best_seconds, best_faults = best[name]
            best[name] = (
                min(best_seconds, seconds),
                None if faults is None else min(best_faults, faults),
            )
    return best


# --- counting wrappers, shared by optlib's and SciPy's runs ---------------------------------------


class Counted:
    """Counting wrappers of a problem's f, ∇f, (f, ∇f), ∇²f·v, r and J.

    ``nf`` counts calls of f (or of the residuals r, from which f = ½‖r‖² follows), ``ng`` calls
    of ∇f (or of J), ``nh`` Hessian-vector products; a call of ``fun_and_grad`` is one of each.
    The wrappers also note, for every target value in ``minima``, how many evaluations had been
    made when f first came within tolerance of it (:func:`solved_at`), and, if ``gtol`` is
    given, the calls of f and the time when ‖∇f‖₂ first fell to ``gtol``.
    """

    def __init__(self, problem, minima=(), gtol=None):
        self.problem = problem
        self.minima = tuple(minima)
        self.gtol = gtol
        self.nf = self.ng = self.nh = 0
        self.first = {}  # target minimum → evaluations when f first came within tolerance
        self.first_gtol = None  # (calls of f, seconds since start) when ‖∇f‖₂ ≤ gtol first
        self.start = time.perf_counter()

    @property
    def evaluations(self):
        return self.nf + self.ng + self.nh

    def _saw_f(self, value):
        for target in self.minima:
            if target not in self.first and solved_at(value, target):
                self.first[target] = self.evaluations

    def _saw_g(self, g):
        if self.gtol is not None and self.first_gtol is None:
            if float(np.linalg.norm(g)) <= self.gtol:
                self.first_gtol = (self.nf, time.perf_counter() - self.start)

    def fun(self, x):
        self.nf += 1
        value = self.problem.fun(x)
        self._saw_f(value)
        return value

    def grad(self, x):
        self.ng += 1
        g = self.problem.grad(x)
        self._saw_g(g)
        return g

    def fun_and_grad(self, x):
        self.nf += 1
        self.ng += 1
        value, g = self.problem.fun_and_grad(x)
        self._saw_f(value)
        self._saw_g(g)
        return value, g

    def hessp(self, x, v):
        self.nh += 1
        return self.problem.hessp(x, v)

    def residuals(self, x):
        self.nf += 1
        r = self.problem.residuals(x)
        self._saw_f(0.5 * float(r @ r))
        return r

    def jac(self, x):
        self.ng += 1
        return self.problem.jac(x)


def solved_at(value, target):
    """f is at the minimum ``target``: f − f* ≤ 1e-6·max(1, |f*|)."""
    return bool(value - target <= SOLVED_RTOL * max(1.0, abs(target)))


class _FusedProblem(optlib.Problem):
    """An optlib problem on the wrappers of a :class:`Counted`, with the fused (f, ∇f)."""

    def __init__(self, counted, name):
        super().__init__(counted.fun, grad=counted.grad, name=name)
        self._fun_and_grad = counted.fun_and_grad

    def fun_and_grad(self, x):
        return self._fun_and_grad(x)


# --- 1. first-order methods at n = 10⁶ ------------------------------------------------------------


class _HandGD:
    """x ← x − α g, in place."""

    def __init__(self, n, lr):
        self.lr, self.tmp = lr, np.empty(n)

    def __call__(self, x, g):
        np.multiply(g, self.lr, out=self.tmp)
        x -= self.tmp


class _HandMomentum:
    """b ← μb + g, x ← x − αb (PyTorch's SGD with momentum), in place."""

    def __init__(self, n, lr, momentum):
        self.lr, self.mu = lr, momentum
        self.buf, self.tmp = np.zeros(n), np.empty(n)

    def __call__(self, x, g):
        self.buf *= self.mu
        self.buf += g
        np.multiply(self.buf, self.lr, out=self.tmp)
        x -= self.tmp


class _HandAdam:
    """PyTorch's Adam, in place: m, v, their bias corrections, x ← x − α m̂/(√v̂ + ε)."""

    def __init__(self, n, lr, betas=(0.9, 0.999), eps=1e-8):
        self.lr, (self.b1, self.b2), self.eps, self.t = lr, betas, eps, 0
        self.m, self.v = np.zeros(n), np.zeros(n)
        self.tmp, self.tmp2 = np.empty(n), np.empty(n)

    def __call__(self, x, g):
        self.t += 1
        tmp, tmp2 = self.tmp, self.tmp2
        self.m *= self.b1
        np.multiply(g, 1.0 - self.b1, out=tmp)
        self.m += tmp
        self.v *= self.b2
        np.multiply(g, g, out=tmp)
        tmp *= 1.0 - self.b2
        self.v += tmp
        np.divide(self.v, 1.0 - self.b2**self.t, out=tmp)  # v̂
        np.sqrt(tmp, out=tmp)
        tmp += self.eps
        np.multiply(self.m, self.lr / (1.0 - self.b1**self.t), out=tmp2)  # α m̂
        tmp2 /= tmp
        x -= tmp2


#: What each hand-written loop computes besides ∇f and the update, by its column name.
LOOPS = {
    "bare": (),  # ∇f and the update
    "train": ("loss",),  # + f, kept in a list: a training loop that records its loss
    "fair": ("loss", "norm"),  # + ‖∇f‖₂, kept too: what minimize computes for res.history
}


def _hand_loop(problem, x0, iterations, update, extras):
    """``iterations`` steps of ``update`` from x0 with the gradient computed in place; with
    ``extras``, also f (``"loss"``) and ‖g‖ (``"norm"``) at every iterate, kept in lists."""
    d, b = problem.d, problem.b
    x, g = x0.copy(), np.empty_like(x0)
    funs, norms = [], []
    for k in range(iterations + 1):
        np.multiply(d, x, out=g)  # ∇f = d ⊙ x − b
        g -= b
        if "loss" in extras:
            funs.append(0.5 * (float(x @ g) - float(b @ x)))  # as DiagonalQuadratic computes f
        if "norm" in extras:
            norms.append(float(np.linalg.norm(g)))
        if k == iterations:
            return x
        update(x, g)


#: (name, optlib method, hand-written update) of the first-order section.
FIRST_ORDER = (
    ("GradientDescent", lambda: optlib.methods.GradientDescent(lr=0.1), lambda n: _HandGD(n, 0.1)),
    (
        "Momentum",
        lambda: optlib.methods.Momentum(lr=0.02, momentum=0.9),
        lambda n: _HandMomentum(n, 0.02, 0.9),
    ),
    ("Adam", lambda: optlib.methods.Adam(lr=0.01), lambda n: _HandAdam(n, 0.01)),
)


def _diagonal_problem(n, seed=0):
    rng = np.random.default_rng(seed)
    return DiagonalQuadratic(rng.uniform(1.0, 10.0, n), rng.standard_normal(n))


def _peak_bytes(run):
    """(result of ``run()``, the peak of the memory it allocated through Python and numpy)."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = run()
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    return result, peak


def section_first_order(cfg):
    n, iterations, repeats = cfg["n_first_order"], cfg["iterations"], cfg["repeats"]
    _rule(f"1. First-order methods: time per iteration at n = {n:,}")
    _print(
        f"how measured: wall time of {iterations} iterations / {iterations}, best of {repeats} "
        f"rounds in which the variants run in turn; ratio = optlib / loop; BLAS threads as in "
        f"the header",
        "problem: DiagonalQuadratic (fused f, ∇f), d ~ U[1, 10], b ~ N(0, 1), x₀ = 0, gtol = 0; "
        "lr 0.1 (GD), 0.02 with μ = 0.9 (Momentum), 0.01 (Adam)",
        "columns: in-place numpy loops of the rule: bare = ∇f and the update; train = bare + the "
        "loss f, kept (a training loop); fair = train + ‖∇f‖₂, kept (what minimize computes for "
        "res.history); faults = minor page faults per iteration of optlib; rel.Δx = "
        "max|x_optlib − x_fair| / max|x_fair| (same rule: ~1e-16)",
    )
    problem = _diagonal_problem(n)
    x0 = np.zeros(n)
    header = (
        f"{'method':16s} {'optlib ms':>10s} {'bare ms':>8s} {'train ms':>9s} {'fair ms':>8s} "
        f"{'vs bare':>8s} {'vs train':>9s} {'vs fair':>8s} {'faults':>7s} {'rel.Δx':>8s}"
    )
    _print(header, "-" * len(header))
    ratios = {}
    for name, make_method, make_update in FIRST_ORDER:
        method = make_method()

        def run_optlib(method=method):
            return optlib.minimize(problem, x0, method=method, max_iter=iterations, gtol=0.0)

        runs = {"optlib": run_optlib}
        for loop, extras in LOOPS.items():
            runs[loop] = lambda mk=make_update, e=extras: _hand_loop(
                problem, x0, iterations, mk(n), e
            )
        best = _measure(runs, repeats)
        x_optlib = run_optlib().x
        x_loop = runs["fair"]()
        delta = float(np.max(np.abs(x_optlib - x_loop)) / np.max(np.abs(x_loop)))
        ms = {k: 1e3 * seconds / iterations for k, (seconds, _) in best.items()}
        count = best["optlib"][1]
        faults = "-" if count is None else f"{count / iterations:.0f}"
        ratios[name] = ms["optlib"] / ms["train"]
        _print(
            f"{name:16s} {ms['optlib']:10.3f} {ms['bare']:8.3f} {ms['train']:9.3f} "
            f"{ms['fair']:8.3f} {ms['optlib'] / ms['bare']:7.2f}x "
            f"{ms['optlib'] / ms['train']:8.2f}x {ms['optlib'] / ms['fair']:7.2f}x "
            f"{faults:>7s} {delta:8.1e}"
        )
    worst = max(ratios, key=ratios.get)
    verdict = "met" if ratios[worst] <= GOAL_FIRST_ORDER else "NOT met"
    _print(
        f"summary first-order: worst ratio vs the training loop {ratios[worst]:.2f}x ({worst}); "
        f"goal <= {GOAL_FIRST_ORDER}x {verdict}"
    )
    _memory(cfg)


def _memory(cfg):
    iterations = cfg["memory_iterations"]
    _rule("1b. Memory of a run")
    _print(
        f"how measured: tracemalloc peak during minimize(GradientDescent(lr=0.1), "
        f"max_iter={iterations}, gtol=0), less what was allocated before; 8n bytes = one vector",
        f"by default res.history keeps the iterates only when n × (max_iter + 1) <= "
        f"{KEEP_X_LIMIT:,}",
    )
    header = (
        f"{'run':18s} {'n':>10s} {'iterations':>10s}  {'res.history.x':18s} "
        f"{'peak MiB':>9s} {'peak/(8n)':>10s}"
    )
    _print(header, "-" * len(header))
    for label, n, keep_x in (
        ("default history", cfg["n_memory"], None),
        ("keep_x=True", cfg["n_memory_keep"], True),
    ):
        problem = _diagonal_problem(n)
        x0 = np.zeros(n)
        method = optlib.methods.GradientDescent(lr=0.1)
        res, peak = _peak_bytes(
            lambda p=problem, x0=x0, m=method, k=keep_x: optlib.minimize(
                p, x0, method=m, max_iter=iterations, gtol=0.0, keep_x=k
            )
        )
        try:
            kept = f"kept {res.history.x.shape}"
        except AttributeError:
            kept = "not kept"
        _print(
            f"{label:18s} {n:10,d} {iterations:10d}  {kept:18s} "
            f"{peak / 2**20:9.1f} {peak / (8 * n):10.1f}"
        )


# --- 2. L-BFGS against L-BFGS-B -------------------------------------------------------------------


def section_lbfgs(cfg):
    _rule("2. L-BFGS against SciPy's L-BFGS-B on the extended Rosenbrock function (m = 10)")
    _print(
        f"how measured: both call the same counting wrapper of the fused (f, ∇f); time = best of "
        f"{cfg['lbfgs_repeats']} runs each, in turn; 'to gtol' = the first call with "
        f"‖∇f‖₂ <= {LBFGS_GTOL:g}",
        f"settings: optlib LBFGS(m=10), gtol = {LBFGS_GTOL:g} on ‖∇f‖₂; L-BFGS-B maxcor = 10, "
        f"gtol = {LBFGS_GTOL:g}/√n on ‖∇f‖∞ (so ‖∇f‖₂ <= {LBFGS_GTOL:g} too), ftol = 0; "
        f"start x₀ = (−1.2, 1, …)",
    )
    header = (
        f"{'n':>8s}  {'solver':16s} {'f+g calls':>9s} {'iters':>6s} {'time s':>8s} "
        f"{'f':>10s} {'‖∇f‖₂':>9s}  {'to gtol: calls':>14s} {'time s':>8s}"
    )
    _print(header, "-" * len(header))
    for n in cfg["n_lbfgs"]:
        _lbfgs_at(n, cfg["lbfgs_repeats"])


def _lbfgs_at(n, repeats):
    """Both solvers on ExtendedRosenbrock(n): two rows of the table and the ratio lines."""
    import scipy.optimize

    problem = ExtendedRosenbrock(n)
    x0 = problem.x0
    outcome, to_gtol = {}, {}  # the last run's counts; the best time to ‖∇f‖₂ <= gtol

    def note(key, counted, nit, x):
        outcome[key] = (counted, nit, x)
        if counted.first_gtol:
            to_gtol[key] = min(to_gtol.get(key, math.inf), counted.first_gtol[1])

    def run_optlib():
        counted = Counted(problem, gtol=LBFGS_GTOL)
        fused = _FusedProblem(counted, problem.name)
        res = optlib.minimize(
            fused, x0, method=optlib.methods.LBFGS(m=10), gtol=LBFGS_GTOL, max_iter=10 * n
        )
        note("optlib", counted, res.nit, res.x)

    def run_scipy():
        counted = Counted(problem, gtol=LBFGS_GTOL)
        options = {
            "maxcor": 10,
            "gtol": LBFGS_GTOL / math.sqrt(n),
            "ftol": 0.0,
            "maxiter": 10 * n,
            "maxfun": 100 * n,
        }
        res = scipy.optimize.minimize(
            counted.fun_and_grad, x0, jac=True, method="L-BFGS-B", options=options
        )
        note("scipy", counted, res.nit, res.x)

    measured = _measure({"optlib": run_optlib, "scipy": run_scipy}, repeats)
    best = {key: seconds for key, (seconds, _) in measured.items()}
    for key, label in (("optlib", "optlib LBFGS"), ("scipy", "SciPy L-BFGS-B")):
        counted, nit, x = outcome[key]
        fun, g = problem.fun_and_grad(x)
        to = counted.first_gtol
        to_text = f"{to[0]:14d} {to_gtol[key]:8.3f}" if to else f"{'-':>14s} {'-':>8s}"
        _print(
            f"{n if key == 'optlib' else '':>8}  {label:16s} {counted.nf:9d} "
            f"{nit:6d} {best[key]:8.3f} {fun:10.2e} {np.linalg.norm(g):9.2e}  {to_text}"
        )
    ours, ref = outcome["optlib"][0], outcome["scipy"][0]
    ratio_calls = ours.nf / ref.nf
    ratio_time = best["optlib"] / best["scipy"]
    verdict = "met" if ratio_calls <= 1.0 and ratio_time <= GOAL_LBFGS_TIME else "NOT met"
    _print(
        f"{'':8s}  ratio optlib/SciPy n={n}: calls {ratio_calls:.2f}x, time {ratio_time:.2f}x; "
        f"goal (calls <= 1x, time <= {GOAL_LBFGS_TIME}x) {verdict}"
    )
    if ref.first_gtol and ours.first_gtol:
        _print(
            f"{'':8s}  to the same ‖∇f‖₂ <= {LBFGS_GTOL:g}: calls "
            f"{ours.first_gtol[0] / ref.first_gtol[0]:.2f}x, time "
            f"{to_gtol['optlib'] / to_gtol['scipy']:.2f}x"
        )


# --- 3. evaluations to solution on the MGH suite --------------------------------------------------


@dataclass
class Pair:
    """An optlib method and its SciPy counterpart."""

    label: str
    cls: type  # the optlib method
    kwargs: dict
    scipy_label: str
    least_squares: bool = False
    hessp: bool = False


PAIRS = (
    Pair("BFGS", optlib.methods.BFGS, {}, "SciPy BFGS"),
    Pair("LBFGS", optlib.methods.LBFGS, {"m": 10}, "SciPy L-BFGS-B"),
    Pair("NonlinearCG(PR+)", optlib.methods.NonlinearCG, {"beta": "PR+"}, "SciPy CG"),
    Pair("NewtonCG", optlib.methods.NewtonCG, {}, "SciPy Newton-CG", hessp=True),
    Pair(
        "LevenbergMarquardt",
        optlib.methods.LevenbergMarquardt,
        {"ftol": 1e-15, "xtol": 1e-15},  # the tolerances SciPy's run is given
        "least_squares(lm)",
        least_squares=True,
    ),
)


def _scipy_run(pair, counted, x0):
    """SciPy's counterpart of ``pair`` on the wrappers; returns its final x."""
    import scipy.optimize

    n = x0.size
    if pair.least_squares:
        return scipy.optimize.least_squares(
            counted.residuals,
            x0,
            jac=counted.jac,
            method="lm",
            ftol=1e-15,
            xtol=1e-15,
            gtol=1e-15,
            max_nfev=SUITE_MAX_ITER,
        ).x
    options = {
        "BFGS": {"gtol": SUITE_GTOL, "norm": 2, "maxiter": SUITE_MAX_ITER},
        "CG": {"gtol": SUITE_GTOL, "norm": 2, "maxiter": SUITE_MAX_ITER},
        "L-BFGS-B": {
            "maxcor": 10,
            "gtol": SUITE_GTOL / math.sqrt(n),
            "ftol": 0.0,
            "maxiter": SUITE_MAX_ITER,
            "maxfun": 10 * SUITE_MAX_ITER,
        },
        "Newton-CG": {"xtol": 1e-14, "maxiter": SUITE_MAX_ITER},
    }
    method = pair.scipy_label.removeprefix("SciPy ")
    extra = {"hessp": counted.hessp} if pair.hessp else {}
    return scipy.optimize.minimize(
        counted.fun, x0, jac=counted.grad, method=method, options=options[method], **extra
    ).x


def _optlib_run(pair, counted, x0, name):
    if pair.least_squares:
        problem = optlib.LeastSquares(counted.residuals, counted.jac, name=name)
    else:
        hessp = counted.hessp if pair.hessp else None
        problem = optlib.Problem(counted.fun, grad=counted.grad, hessp=hessp, name=name)
    method = pair.cls(**pair.kwargs)
    return optlib.minimize(problem, x0, method=method, gtol=SUITE_GTOL, max_iter=SUITE_MAX_ITER).x


def _last_digit(printed):
    """One unit in the 6th significant digit of a value MGH print (0 for 0)."""
    return 0.0 if printed == 0 else 10.0 ** (math.floor(math.log10(abs(printed))) - 5)


def reference_minima(problem):
    """The published minima of an MGH problem on optlib's scale f = ½‖r‖² (half of MGH's):
    f* first, then the others. Where the problem gives the minimiser, the value is f there (to
    full precision); otherwise it is the printed value raised by one unit in its last digit,
    since MGH truncate to 6 digits (the true value lies below that)."""

    def value(printed, x):
        if x is not None:
            with np.errstate(all="ignore"):
                return float(problem.fun(np.asarray(x, dtype=float)))
        return 0.5 * (printed + _last_digit(printed))

    others = [value(printed, x) for printed, x in problem.other_minima]
    return (value(problem.f_star_published, problem.x_star), *others)


def _outcome(problem, counted, x):
    """(solved, total evaluations, evaluations to solution or None)."""
    with np.errstate(all="ignore"):
        final = float(problem.fun(np.asarray(x, dtype=float)))
    reached = [m for m in counted.minima if np.isfinite(final) and solved_at(final, m)]
    if not reached:
        return False, counted.evaluations, None
    return True, counted.evaluations, counted.first.get(min(reached))


def _run_side(run, problem):
    counted = Counted(problem, reference_minima(problem))
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            x = run(counted)
    except Exception as error:  # a failing run is reported, and the bench goes on
        return (False, counted.evaluations, None), f"{type(error).__name__}: {error}"
    return _outcome(problem, counted, x), None


def _show(value):
    """A minimum for the table: 0 for the round-off left at a zero minimiser."""
    return "0" if abs(value) < 1e-20 else f"{value:.4g}"


def _cell(outcome):
    solved, total, to = outcome
    return f"{'yes' if solved else 'no':>4s} {total:6d} {to if to is not None else '-':>6}"


def section_suite(cfg):
    names = cfg["suite"]
    _rule(f"3. Evaluations to solution against SciPy on the MGH suite ({len(names)} problems)")
    _print(
        "how measured: both sides call the same counting wrappers; evals = calls of f + ∇f + "
        "∇²f·v (LM: r + J); 'to sol' = evals made when f first came within tolerance of the "
        "minimum the run ends at",
        "solved: final f − f* <= 1e-6·max(1, |f*|) for f* any published minimum (f = ½Σrᵢ², half "
        "of MGH's; f* = f(x*) where x* is given, else the printed value + 1 in its last digit)",
        f"settings: optlib gtol = {SUITE_GTOL:g} on ‖∇f‖₂, max_iter = {SUITE_MAX_ITER}, default "
        f"hyper-parameters; SciPy BFGS, CG gtol = {SUITE_GTOL:g} with norm = 2; L-BFGS-B "
        f"gtol = {SUITE_GTOL:g}/√n, ftol = 0, maxcor = 10; Newton-CG xtol = 1e-14; lm ftol = "
        f"xtol = gtol = 1e-15; at most {SUITE_MAX_ITER} iterations (lm: evaluations)",
        "ratio: optlib / SciPy of the evals to solution; summary: medians of the ratios over the "
        "problems both solved",
    )
    problems = mgh.classic_suite(names)
    for problem in problems:  # generate the derivatives before any counting
        problem.fun(problem.x0)
        problem.grad(problem.x0)
        problem.hessp(problem.x0, problem.x0)
    for pair in PAIRS:
        _print("", f"{pair.label} vs {pair.scipy_label}")
        header = (
            f"{'problem':20s} {'n':>3s} {'f*':>10s}  "
            f"{'optlib: solved evals to sol':>28s}  {'SciPy: solved evals to sol':>27s}  "
            f"{'ratio':>6s}"
        )
        _print(header, "-" * len(header))
        ratios, ratios_total, solved, errors = [], [], [0, 0], []
        for problem in problems:
            ours, err_ours = _run_side(
                lambda c, p=problem, pair=pair: _optlib_run(pair, c, p.x0, p.name),
                problem,
            )
            ref, err_ref = _run_side(
                lambda c, p=problem, pair=pair: _scipy_run(pair, c, p.x0), problem
            )
            for side, err in (("optlib", err_ours), ("SciPy", err_ref)):
                if err:
                    errors.append(f"  {problem.name} ({side}): {err[:90]}")
            solved[0] += ours[0]
            solved[1] += ref[0]
            ratio = ""
            if ours[2] is not None and ref[2] is not None and ref[2] > 0:
                ratios.append(ours[2] / ref[2])
                ratios_total.append(ours[1] / ref[1])
                ratio = f"{ratios[-1]:.2f}"
            _print(
                f"{problem.name:20s} {problem.n:3d} {_show(reference_minima(problem)[0]):>10s}  "
                f"{'':>9s}{_cell(ours)}  {'':>8s}{_cell(ref)}  {ratio:>6s}"
            )
        _print(*errors)
        median = f"{np.median(ratios):.2f}x" if ratios else "-"
        median_total = f"{np.median(ratios_total):.2f}x" if ratios else "-"
        _print(
            f"summary {pair.label}: solved optlib {solved[0]}/{len(problems)}, SciPy "
            f"{solved[1]}/{len(problems)}; median ratio over {len(ratios)} both solved: to "
            f"solution {median}, whole run {median_total}"
        )


# --- the command ----------------------------------------------------------------------------------

_RUNNERS = {"first-order": section_first_order, "lbfgs": section_lbfgs, "suite": section_suite}
_BLAS_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _parse(argv):
    parser = argparse.ArgumentParser(
        prog="python -m optlib.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, three problems")
    parser.add_argument("--only", choices=SECTIONS, help="run one section")
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=1,
        help="restart with this many BLAS threads (default 1; 0 keeps the environment)",
    )
    return parser.parse_args(argv)


def _restart_with_blas_threads(argv, threads):
    """Re-execute this command with the BLAS thread variables set (they are read at load)."""
    wanted = str(threads)
    if threads <= 0 or all(os.environ.get(v) == wanted for v in _BLAS_VARIABLES):
        return
    env = dict(os.environ, **dict.fromkeys(_BLAS_VARIABLES, wanted))
    sys.stdout.flush()
    os.execve(sys.executable, [sys.executable, "-m", "optlib.bench", *argv], env)


def main(argv=None):
    """Run the report (every section, or ``--only`` one) and print it."""
    args = _parse(argv)
    cfg = QUICK if args.quick else FULL
    import scipy

    blas = ", ".join(f"{v}={os.environ[v]}" for v in _BLAS_VARIABLES if v in os.environ)
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    title = f"optlib benchmark ({'quick' if args.quick else 'full'} report)"
    _print(
        title,
        "=" * len(title),
        f"{time.strftime('%Y-%m-%d %H:%M:%S')}; Python {platform.python_version()}, numpy "
        f"{np.__version__}, SciPy {scipy.__version__}; {os.cpu_count()} CPUs; BLAS threads: "
        f"{blas or 'library default'}",
        f"load average at start: {load} (1, 5, 15 min): the machine may be shared; timings are "
        f"best of several repeats, and only their ratios are meant to be read",
    )
    start = time.perf_counter()
    for name in (args.only,) if args.only else SECTIONS:
        _RUNNERS[name](cfg)
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    _print("", f"done in {time.perf_counter() - start:.1f} s; load average at the end: {load}")


if __name__ == "__main__":
    _restart_with_blas_threads(sys.argv[1:], _parse(sys.argv[1:]).blas_threads)
    main(sys.argv[1:])
