"""The one run loop: every method runs through :func:`minimize`."""

from __future__ import annotations

import inspect

import numpy as np

from optlib import methods as _methods
from optlib.checks import check_count
from optlib.linesearch import ROUNDING
from optlib.method import Method, MethodConverged, MethodFailure, Step
from optlib.oracle import Oracle
from optlib.problem import Problem, as_vector
from optlib.result import History, Iterate, OptimizeResult, Status

__all__ = ["minimize"]

#: By default the iterates are kept when n × (max_iter + 1) is at most this many numbers.
KEEP_X_LIMIT = 10_000_000

#: A run stops when x has not changed in this many iterations in a row; a descent method's run
#: when neither f nor ‖∇f‖ has fallen in twice as many, or in three times the longest wait for a
#: new lowest ‖∇f‖ seen while f still fell, whichever is more.
PATIENCE = 10

#: What each entry of ``Method.needs`` asks of a problem, in words for error messages.
_CAPABILITIES = {
    "grad": "a gradient (give grad= to the Problem, or jac= to minimize)",
    "hessp": "Hessian-vector products (hessp= or hess=)",
    "hess": "the Hessian (hess=)",
    "quadratic": "a quadratic objective (optlib.problems.Quadratic)",
    "residuals": "residuals and their Jacobian (optlib.LeastSquares)",
}

#: Keys of ``options`` that set the run rather than the method (SciPy's ``maxiter`` included).
_RUN_OPTIONS = {"gtol": "gtol", "maxiter": "max_iter", "max_iter": "max_iter", "norm": "norm"}
_RUN_DEFAULTS = {"gtol": 1e-6, "max_iter": 1000, "norm": 2}


def _as_problem(problem, jac, hess, hessp):
    if isinstance(problem, Problem):
        for name, value in (("jac", jac), ("hess", hess), ("hessp", hessp)):
            if value is not None:
                raise TypeError(
                    f"{name} is only for the SciPy-style call minimize(f, x0, ...); "
                    "give derivatives to the Problem instead"
                )
        return problem
    if callable(problem):
        return Problem(problem, grad=jac, hessp=hessp, hess=hess)
    raise TypeError(f"problem must be an optlib.Problem or a callable f(x), got {problem!r}")


def _split_options(options, method, given):
    """(run settings, method hyper-parameters) from SciPy-style ``options``."""
    if options is None:
        return {}, {}
    if not isinstance(options, dict):
        raise TypeError(f"options must be a dict, got {type(options).__name__}")
    run, hyper = {}, {}
    for key, value in options.items():
        if key in _RUN_OPTIONS:
            name = _RUN_OPTIONS[key]
            if name in run or given[name] != _RUN_DEFAULTS[name]:
                raise TypeError(f"{name} is given twice (as an argument and in options)")
            run[name] = value
        else:
            hyper[key] = value
    if hyper and not isinstance(method, str):
        raise TypeError(
            f"options {sorted(hyper)} would set hyper-parameters, which only a method given by "
            f"name takes (e.g. method='gd'); build the method object with them instead"
        )
    return run, hyper


def _as_method(method, hyper):
    if isinstance(method, Method):
        return method
    if isinstance(method, str):
        return _methods.by_name(method, **hyper)
    raise TypeError(f"method must be an optlib method object or a method name, got {method!r}")


def _as_callback(callback, scipy_style):
    """A function of the Iterate that says whether to stop, from the user's callback."""
    if callback is None:
        return None
    if not callable(callback):
        raise TypeError(f"callback must be callable, got {type(callback).__name__}")
    if scipy_style:
        try:
            wants_result = list(inspect.signature(callback).parameters) == ["intermediate_result"]
        except (TypeError, ValueError):  # a builtin without a signature
            wants_result = False
        if not wants_result:
            return lambda iterate: callback(iterate.x)  # SciPy's legacy callback(xk)
    return callback


def euclidean_norm(g):
    """‖g‖₂ without spurious underflow or overflow: numpy's sum of squares gives 0 for entries
    below about 1e-154 and inf above about 1e154, which would read as convergence or divergence;
    then the norm is recomputed on g scaled by its largest entry."""
    norm = float(np.linalg.norm(g))
    if norm == 0.0 or norm == np.inf:
        largest = float(np.max(np.abs(g), initial=0.0))
        if 0.0 < largest < np.inf:
            norm = largest * float(np.linalg.norm(g / largest))
    return norm


def _check_norm(norm):
    if norm == 2:
        return euclidean_norm
    if norm == np.inf:
        return lambda g: float(np.max(np.abs(g)))
    raise ValueError(f"norm must be 2 or numpy.inf, got {norm!r}")


def minimize(
    problem,
    x0,
    method,
    *,
    jac=None,
    hess=None,
    hessp=None,
    options=None,
    max_iter=1000,
    gtol=1e-6,
    norm=2,
    seed=0,
    callback=None,
    keep_x=None,
) -> OptimizeResult:
    """Minimise a problem from ``x0`` with a method; return an :class:`OptimizeResult`.

    Two call styles:

    * ``minimize(problem, x0, method=optlib.methods.GradientDescent(lr=0.1))``;
    * SciPy's: ``minimize(f, x0, method="gd", jac=grad, options={"lr": 0.1, "gtol": 1e-8})``,
      where ``jac=True`` means that f returns (f(x), ∇f(x)), and ``options`` holds the method's
      hyper-parameters and any of ``gtol``, ``maxiter`` and ``norm``.

    How a run ends (``res.status``, ``res.message`` in words):

    * converged (0): ‖∇f(x)‖ ≤ ``gtol``, or the method's own convergence test holds (it raises
      :class:`~optlib.method.MethodConverged`, e.g. Levenberg–Marquardt's relative-reduction
      test; the result is the iterate it was given). On a stochastic problem, a minibatch
      gradient below ``gtol`` only triggers a check of the gradient on all the data, and the
      run converges only if that gradient meets ``gtol``;
    * ``max_iter`` iterations (1);
    * non-finite (2): f, ∇f or x became non-finite, or a line search met only non-finite values;
      ``res.x_finite`` is the last iterate where f and ∇f were finite;
    * the method failed (3): no acceptable step, a gradient that disagrees with f, …;
    * the callback asked to stop (4);
    * no further progress (5): a step could not decrease f by more than its rounding error; or
      x has not changed in ``PATIENCE`` = 10 iterations in a row (a method that returns the x
      it was given, as Levenberg–Marquardt after a rejected trial, keeps it on purpose and is
      not counted); or, for a method whose steps
      decrease f (``method.descent``: the line-search and trust methods) on a deterministic
      problem, neither f (by more than its rounding error, 10⁻¹³|f|) nor ‖∇f‖ has fallen below
      its lowest value in 20 iterations, or in three times the longest such wait for ‖∇f‖ seen
      while f still fell, if that is more (a method whose ‖∇f‖ swings up and down, as gradient
      descent's does, gets the patience its own rhythm needs). ``gtol`` is then below what
      floating point allows on this problem.

    On a stochastic problem (``problem.stochastic``) one minibatch is drawn per iteration from
    the run's generator, and f and ∇f at each iterate, hence ``res.history``, are minibatch
    values; ``res.fun`` and ``res.jac`` are f and ∇f on all the data at ``res.x``, computed at
    the end (``res.minibatch`` says so; ``res.full_evals`` counts these evaluations, which
    ``nfev`` and ``njev`` do not). Minibatches and a method's own random numbers (AdaHessian's
    probes) come from two independent streams of ``seed``.

    Args:
      problem: an :class:`optlib.Problem`, or a callable f for the SciPy-style call.
      x0: the start point, a 1-D array.
      method: a method object from :mod:`optlib.methods`, or its name.
      jac, hess, hessp: derivatives, for the SciPy-style call only.
      options: SciPy-style options (see above).
      max_iter: the largest number of iterations.
      gtol: the tolerance on the gradient norm.
      norm: the norm of that test: 2 (default, Euclidean) or ``numpy.inf`` (the largest
        component, as SciPy's BFGS). ``res.history.grad_norm`` is Euclidean either way.
      seed: seeds the run's random numbers (minibatches, random probes).
      callback: called after every iteration with an :class:`~optlib.result.Iterate`; it stops
        the run by returning True or raising ``StopIteration``. In the SciPy-style call it is
        called as SciPy calls it: ``callback(xk)``, or with an object holding ``x`` and ``fun``
        if its one parameter is named ``intermediate_result``.
      keep_x: keep every iterate in ``res.history.x``; by default, when they fit in 10⁷ numbers.

    Example:
      >>> import numpy as np, optlib
      >>> p = optlib.problems.Quadratic(np.diag([1.0, 10.0]))
      >>> res = optlib.minimize(p, [1.0, 1.0], method=optlib.methods.GradientDescent(lr=0.1))
      >>> res.success, res.nit, res.message
      (True, 132, 'converged: gradient norm <= gtol')
      >>> optlib.minimize(lambda x: x @ x, [1.0, 2.0], method="gd", jac=lambda x: 2 * x,
      ...                 options={"lr": 0.5}).x
      array([0., 0.])
    """
    given = {"gtol": gtol, "max_iter": max_iter, "norm": norm}
    run_options, hyper = _split_options(options, method, given)
    given.update(run_options)
    scipy_style = not isinstance(problem, Problem)
    problem = _as_problem(problem, jac, hess, hessp)
    method = _as_method(method, hyper)
    x = as_vector(x0, "x0")
    max_iter = check_count(given["max_iter"], "max_iter", low=0)
    gtol = given["gtol"]
    try:
        gtol = float(gtol)
    except (TypeError, ValueError):
        raise TypeError(f"gtol must be a number, got {gtol!r}") from None
    if not (np.isfinite(gtol) and gtol >= 0):
        raise ValueError(f"gtol must be a finite number >= 0, got {gtol!r}")
    gradient_norm = _check_norm(given["norm"])
    euclidean = gradient_norm is euclidean_norm
    stop_asked = _as_callback(callback, scipy_style)
    missing = method.needs - problem.provides
    if missing:
        wanted = "; ".join(_CAPABILITIES[need] for need in sorted(missing))
        raise ValueError(f"{method!r} needs {wanted}, which problem {problem.name!r} lacks")
    if keep_x is None:
        keep_x = x.size * (max_iter + 1) <= KEEP_X_LIMIT

    oracle = Oracle(problem, x.size, np.random.default_rng(seed))
    path = _Rows(x.size, max_iter + 1) if keep_x else None
    funs, grad_norms = [], []
    full = None  # (x, f, ∇f) on all the data, once a stochastic run has computed them

    def record(x, fun, grad):
        if keep_x:
            path.append(x)
        funs.append(fun)
        grad_norms.append(euclidean_norm(grad))

    def converged(x, grad):
        nonlocal full
        if (grad_norms[-1] if euclidean else gradient_norm(grad)) > gtol:  # ‖∇f‖₂ is recorded
            return None
        if not oracle.stochastic:
            return "converged: gradient norm <= gtol"
        full = (x, *oracle.full_fun_and_grad(x))
        if gradient_norm(full[2]) <= gtol:
            return "converged: gradient norm on all the data <= gtol"
        return None

    # Overflow to ±inf and invalid operations giving NaN are how divergence shows: the loop
    # reports them as a result, so numpy is asked not to warn about them in the methods'
    # arithmetic (the oracle evaluates the problem under the caller's own settings).
    with np.errstate(over="ignore", invalid="ignore"):
        oracle.resample()
        fun, grad = oracle.fun_and_grad(x)
        record(x, fun, grad)
        nit, x_finite = 0, None
        status, message = None, None
        if not (np.isfinite(fun) and np.all(np.isfinite(grad))):
            status, message = Status.DIVERGED, "diverged: f or its gradient is not finite at x0"
        else:
            x_finite = x
            state = method.init(oracle, x, fun, grad)
            progress = _Progress(method.descent and not oracle.stochastic, fun, grad_norms[-1])
        while status is None:
            message = converged(x, grad)
            if message is not None:
                status = Status.CONVERGED
                break
            if nit >= max_iter:
                status, message = Status.MAX_ITER, f"stopped: max_iter = {max_iter} reached"
                break
            try:
                step = method.step(oracle, state, x, fun, grad)
            except MethodConverged as reason:
                status, message = Status.CONVERGED, f"converged at iteration {nit}: {reason}"
                break
            except MethodFailure as failure:
                status = failure.status
                message = f"{failure.outcome} at iteration {nit + 1}: {failure}"
                break
            nit += 1
            previous, previous_fun, previous_norm = x, fun, grad_norms[-1]
            del grad  # free the old gradient for reuse before ∇f is evaluated at the new x
            x, fun, grad = _complete(oracle, step)
            record(x, fun, grad)
            # a finite norm means every entry of ∇f is finite, so scan only when it is not
            finite_grad = np.isfinite(grad_norms[-1]) or np.all(np.isfinite(grad))
            if not (np.isfinite(fun) and finite_grad):
                what = _not_finite(x, fun)
                status, message = Status.DIVERGED, f"diverged: {what} not finite at iteration {nit}"
                break
            x_finite = x
            # A method that hands back the very x it was given has rejected a trial and keeps
            # x on purpose (Levenberg–Marquardt): that is no stall. Otherwise x is unchanged only
            # if f and ‖∇f‖ are (on a deterministic problem), so those are tested first.
            if step.x is previous:
                moved = None
            else:
                moved = not (
                    (oracle.stochastic or (fun == previous_fun and grad_norms[-1] == previous_norm))
                    and np.array_equal(x, previous)
                )
            del previous
            stalled = progress.stalled(moved, fun, grad_norms[-1])
            if stalled:
                status = Status.NO_PROGRESS
                message = f"no further progress at iteration {nit}: {stalled}"
            elif stop_asked is not None and _asks_to_stop(stop_asked, Iterate(nit, x, fun, grad)):
                status, message = Status.CALLBACK, f"stopped by the callback at iteration {nit}"

        if oracle.stochastic and x_finite is x:  # f and ∇f on all the data at the result
            if full is None or full[0] is not x:
                full = (x, *oracle.full_fun_and_grad(x))
            fun, grad = full[1], full[2]

    history = History(
        fun=np.array(funs), grad_norm=np.array(grad_norms), _x=path.array() if keep_x else None
    )
    return OptimizeResult(
        x=x,
        fun=fun,
        jac=grad,
        nit=nit,
        nfev=oracle.nfev,
        njev=oracle.njev,
        nhev=oracle.nhev,
        status=status,
        message=message,
        history=history,
        method=repr(method),
        x_finite=x_finite,
        minibatch=oracle.stochastic,
        full_evals=oracle.full_evals,
    )


def _not_finite(x, fun):
    if not np.all(np.isfinite(x)):
        return "x is"
    return "f is" if not np.isfinite(fun) else "the gradient is"


def _asks_to_stop(callback, iterate):
    try:
        return bool(callback(iterate))
    except StopIteration:
        return True


class _Progress:
    """Whether a run has stopped making progress (the ``PATIENCE`` rules of :func:`minimize`)."""

    def __init__(self, watch_values, fun, grad_norm):
        self.watch_values = watch_values  # a descent method on a deterministic problem
        self.unchanged = 0  # iterations in a row that left x where it was
        self.best_fun, self.since_f_fell = fun, 0  # f's lowest value, iterations since then
        self.best_grad_norm, self.since_grad_fell = grad_norm, 0  # the same for ‖∇f‖
        self.longest_wait = 0  # the most iterations ‖∇f‖ took to fall while f still fell

    def stalled(self, moved, fun, grad_norm):
        """Why the run should stop, or None (``moved``: whether x changed; None when the
        method kept it on purpose)."""
        if moved is None:
            return None
        if not moved:
            self.unchanged += 1
            if self.unchanged >= PATIENCE:
                return f"x has not changed in {PATIENCE} iterations"
            return None
        self.unchanged = 0
        if not self.watch_values:
            return None
        self.since_f_fell += 1
        self.since_grad_fell += 1
        if fun < self.best_fun - ROUNDING * abs(self.best_fun):
            self.best_fun, self.since_f_fell = fun, 0
        if grad_norm < self.best_grad_norm:
            self.best_grad_norm, self.since_grad_fell = grad_norm, 0
        if self.since_f_fell == 0:  # the method's own rhythm, learnt while f still resolves it
            self.longest_wait = max(self.longest_wait, self.since_grad_fell)
        patience = max(2 * PATIENCE, 3 * self.longest_wait)
        if self.since_f_fell < patience or self.since_grad_fell < patience:
            return None
        return (
            f"neither f (by more than its rounding error) nor ‖∇f‖ has fallen in {patience} "
            f"iterations (lowest ‖∇f‖ {self.best_grad_norm:.3g}): the round-off limit of this "
            f"problem"
        )


class _Rows:
    """The iterates, a row each, in one array that doubles in place when full and is cut to size
    at the end (``ndarray.resize`` reallocates, which the allocator does without copying large
    blocks where it can): the history is never held twice."""

    def __init__(self, n, max_rows):
        self.rows = np.empty((min(max_rows, 64), n))
        self.count, self.max_rows = 0, max_rows

    def append(self, x):
        if self.count == len(self.rows):
            grown = min(2 * len(self.rows), self.max_rows)
            self.rows.resize((grown, self.rows.shape[1]), refcheck=False)
        self.rows[self.count] = x
        self.count += 1

    def array(self):
        self.rows.resize((self.count, self.rows.shape[1]), refcheck=False)
        return self.rows


def _complete(oracle, step: Step):
    """The new iterate with f and ∇f, evaluating only what the method did not.

    On a stochastic problem the next iteration's minibatch is drawn here, and f and ∇f are
    evaluated on it: they are what the next step uses (one batch per iteration).
    """
    x = np.asarray(step.x, dtype=np.float64)
    if x.shape != (oracle.n,):
        raise ValueError(f"the method returned x of shape {x.shape}, expected ({oracle.n},)")
    if not np.all(np.isfinite(x)):
        return x, np.nan, np.full(oracle.n, np.nan)
    fun, grad = step.fun, step.grad
    if oracle.stochastic:
        oracle.resample()
        fun = grad = None
    if fun is None and grad is None:
        fun, grad = oracle.fun_and_grad(x)
    elif fun is None:
        fun = oracle.fun(x)
    elif grad is None:
        grad = oracle.grad(x)
    return x, fun, grad
