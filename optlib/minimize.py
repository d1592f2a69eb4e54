"""The one run loop: every method runs through :func:`minimize`."""

from __future__ import annotations

import numpy as np

from optlib import methods as _methods
from optlib.checks import check_count
from optlib.method import Method, MethodConverged, MethodFailure, Step
from optlib.oracle import Oracle
from optlib.problem import Problem, as_vector
from optlib.result import History, Iterate, OptimizeResult, Status

__all__ = ["minimize"]

#: By default the iterates are kept when n × (max_iter + 1) is at most this many numbers.
KEEP_X_LIMIT = 10_000_000


#: What each entry of ``Method.needs`` asks of a problem, in words for error messages.
_CAPABILITIES = {
    "grad": "a gradient (give grad= to the Problem, or jac= to minimize)",
    "hessp": "Hessian-vector products (hessp= or hess=)",
    "hess": "the Hessian (hess=)",
    "quadratic": "a quadratic objective (optlib.problems.Quadratic)",
    "residuals": "residuals and their Jacobian (optlib.LeastSquares)",
}


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


def _as_method(method, options):
    if isinstance(method, Method):
        if options:
            raise TypeError("options is only for a method given by name, e.g. method='gd'")
        return method
    if isinstance(method, str):
        return _methods.by_name(method, **(options or {}))
    raise TypeError(f"method must be an optlib method object or a method name, got {method!r}")


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
    seed=0,
    callback=None,
    keep_x=None,
) -> OptimizeResult:
    """Minimise a problem from ``x0`` with a method; return an :class:`OptimizeResult`.

    Two call styles:

    * ``minimize(problem, x0, method=optlib.methods.GradientDescent(lr=0.1))``;
    * SciPy's: ``minimize(f, x0, method="gd", jac=grad, options={"lr": 0.1})``.

    The run stops when ‖∇f(x)‖₂ ≤ ``gtol`` (success), when the method's own convergence test
    holds (success: it raises :class:`~optlib.method.MethodConverged`, e.g. Levenberg–Marquardt's
    relative-reduction test; the result is the iterate it was given), after ``max_iter``
    iterations, when f, ∇f or x becomes non-finite (divergence), when the method cannot make
    progress (it raises :class:`~optlib.method.MethodFailure`), or when
    ``callback(Iterate(nit, x, fun, grad))`` returns True. ``res.message`` says which.

    On a stochastic problem (``problem.stochastic``) one minibatch is drawn per iteration from
    the run's generator; f and ∇f at each iterate, and so ``res.history``, are minibatch values.

    Args:
      problem: an :class:`optlib.Problem`, or a callable f for the SciPy-style call.
      x0: the start point, a 1-D array.
      method: a method object from :mod:`optlib.methods`, or its name.
      jac, hess, hessp: derivatives, for the SciPy-style call only.
      options: hyper-parameters, for a method given by name only.
      max_iter: the largest number of iterations.
      gtol: tolerance on the Euclidean norm of the gradient.
      seed: seeds the run's ``numpy.random.default_rng`` (minibatches, random probes).
      callback: called after every iteration; return True to stop.
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
    problem = _as_problem(problem, jac, hess, hessp)
    method = _as_method(method, options)
    x = as_vector(x0, "x0")
    max_iter = check_count(max_iter, "max_iter", low=0)
    try:
        gtol = float(gtol)
    except (TypeError, ValueError):
        raise TypeError(f"gtol must be a number, got {gtol!r}") from None
    if not (np.isfinite(gtol) and gtol >= 0):
        raise ValueError(f"gtol must be a finite number >= 0, got {gtol!r}")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable, got {type(callback).__name__}")
    missing = method.needs - problem.provides
    if missing:
        wanted = "; ".join(_CAPABILITIES[need] for need in sorted(missing))
        raise ValueError(f"{method!r} needs {wanted}, which problem {problem.name!r} lacks")
    if keep_x is None:
        keep_x = x.size * (max_iter + 1) <= KEEP_X_LIMIT

    oracle = Oracle(problem, x.size, np.random.default_rng(seed))
    path, funs, grad_norms = [], [], []

    def record(x, fun, grad):
        if keep_x:
            path.append(np.array(x))
        funs.append(fun)
        grad_norms.append(float(np.linalg.norm(grad)))

    # Overflow to ±inf and invalid operations giving NaN are how divergence shows: the loop
    # reports them as a result, so numpy is asked not to warn about them during the run.
    with np.errstate(over="ignore", invalid="ignore"):
        oracle.resample()
        fun, grad = oracle.fun_and_grad(x)
        record(x, fun, grad)
        nit = 0
        status, message = None, None
        if not (np.isfinite(fun) and np.all(np.isfinite(grad))):
            status, message = Status.DIVERGED, "diverged: f or its gradient is not finite at x0"
        else:
            state = method.init(oracle, x, fun, grad)
        while status is None:
            if grad_norms[-1] <= gtol:
                status, message = Status.CONVERGED, "converged: gradient norm <= gtol"
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
                status, message = Status.METHOD_FAILED, f"failed at iteration {nit + 1}: {failure}"
                break
            nit += 1
            del x, grad  # free the old iterate for reuse before f, ∇f are evaluated at the new one
            x, fun, grad = _complete(oracle, step)
            record(x, fun, grad)
            # a finite norm means every entry of ∇f is finite, so scan only when it is not
            finite_grad = np.isfinite(grad_norms[-1]) or np.all(np.isfinite(grad))
            if not (np.isfinite(fun) and finite_grad):
                status, message = (
                    Status.DIVERGED,
                    f"diverged: non-finite f or gradient at iteration {nit}",
                )
            elif callback is not None and callback(Iterate(nit, x, fun, grad)):
                status, message = Status.CALLBACK, f"stopped by the callback at iteration {nit}"

    history = History(
        fun=np.array(funs), grad_norm=np.array(grad_norms), _x=np.array(path) if keep_x else None
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
    )


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
