"""The run's access to a problem: every evaluation is counted and its output checked."""

from __future__ import annotations

import numpy as np

__all__ = ["Oracle"]


class Oracle:
    """Wraps a :class:`~optlib.Problem` for one run of :func:`~optlib.minimize`.

    Methods call ``oracle.fun``, ``oracle.grad``, ``oracle.fun_and_grad``, ``oracle.hessp`` and
    ``oracle.hess`` (and, on a :class:`~optlib.LeastSquares` problem, ``oracle.residuals``,
    counted in ``nfev``, and ``oracle.jac``, counted in ``njev``); each call increments
    ``nfev``, ``njev`` or ``nhev``, so the counts in the result are exactly the work done.
    Outputs of the wrong shape raise a ``ValueError`` naming the function; non-finite values
    are passed on, for the run loop to report as divergence. The problem is evaluated under the
    caller's numpy error settings (``numpy.errstate``), so its own warnings show, except for
    problems that return inf or NaN on purpose (``problem.overflow_warnings`` False).

    For a stochastic problem, every evaluation uses the current minibatch, which
    :meth:`resample` replaces (the run loop calls it once per iteration);
    :meth:`full_fun_and_grad` evaluates on all the data, counted apart in ``full_evals``.

    Attributes:
      problem: the wrapped problem.
      n: the dimension.
      rng: the ``numpy.random.Generator`` for a method's own random numbers (random probes), or
        None where nothing is random.
      batch_rng: an independent generator, spawned from ``rng``, that draws the minibatches.
      stochastic: whether evaluations use minibatches.
    """

    def __init__(self, problem, n, rng):
        self.problem = problem
        self.n = n
        self.rng = rng
        self.batch_rng = None if rng is None else rng.spawn(1)[0]
        self.stochastic = bool(problem.stochastic)
        self._batch = {}
        self.nfev = 0
        self.njev = 0
        self.nhev = 0
        self.full_evals = 0
        self._least_squares_at = None  # (x, r(x), J(x)) from the last fun_and_grad, if any
        self._errstate = np.geterr()
        if not problem.overflow_warnings:
            self._errstate.update(over="ignore", invalid="ignore")

    def resample(self):
        """Draw the minibatch that the following evaluations use (no-op if not stochastic)."""
        if self.stochastic:
            self._batch = {"batch": self.problem.sample_batch(self.batch_rng)}

    def _call(self, function, *args, **batch):
        with np.errstate(**self._errstate):
            return function(*args, **batch)

    def _scalar(self, value, what):
        if np.ndim(value) != 0:
            raise ValueError(f"{what} must return a scalar, got shape {np.shape(value)}")
        return float(value)

    def _vector(self, value, what):
        value = np.asarray(value, dtype=np.float64)
        if value.shape != (self.n,):
            raise ValueError(f"{what} must return shape ({self.n},), got {value.shape}")
        return value

    def fun(self, x):
        """f(x)."""
        self.nfev += 1
        value = self._call(self.problem.fun, x, **self._batch)
        return self._scalar(value, f"{self.problem.name}: f(x)")

    def grad(self, x):
        """∇f(x)."""
        self.njev += 1
        value = self._call(self.problem.grad, x, **self._batch)
        return self._vector(value, f"{self.problem.name}: grad(x)")

    def fun_and_grad(self, x):
        """(f(x), ∇f(x)), counted as one call of each.

        On a least-squares problem, f = ½‖r‖² and ∇f = Jᵀr are computed from r(x) and J(x),
        which are kept for :meth:`residuals_and_jac` at the same x.
        """
        self.nfev += 1
        self.njev += 1
        return self._fun_and_grad(x, self._batch)

    def full_fun_and_grad(self, x):
        """(f(x), ∇f(x)) on all the data of a stochastic problem, counted in ``full_evals``."""
        self.full_evals += 1
        return self._fun_and_grad(x, {"batch": None})

    def _fun_and_grad(self, x, batch):
        name = self.problem.name
        if "residuals" in self.problem.provides:
            r, J = self._residuals(x, batch), self._jac(x, batch)
            self._least_squares_at = (np.array(x), r, J)
            with np.errstate(**self._errstate):
                return 0.5 * float(r @ r), self._vector(J.T @ r, f"{name}: grad(x)")
        fun, grad = self._call(self.problem.fun_and_grad, x, **batch)
        return self._scalar(fun, f"{name}: f(x)"), self._vector(grad, f"{name}: grad(x)")

    def residuals_and_jac(self, x):
        """(r(x), J(x)), counted as one call of f and one of ∇f — unless the last call of
        :meth:`fun_and_grad` was at this x and already computed (and counted) them."""
        if self._least_squares_at is not None and np.array_equal(self._least_squares_at[0], x):
            _, r, J = self._least_squares_at
            return r, J
        return self.residuals(x), self.jac(x)

    def residuals(self, x):
        """r(x) of a least-squares problem, counted as a call of f (f = ½‖r‖² costs just r)."""
        self.nfev += 1
        return self._residuals(x, self._batch)

    def jac(self, x):
        """J(x), the (m, n) Jacobian of the residuals, counted as a call of ∇f."""
        self.njev += 1
        return self._jac(x, self._batch)

    def _residuals(self, x, batch):
        value = np.asarray(self._call(self.problem.residuals, x, **batch), dtype=np.float64)
        if value.ndim != 1:
            raise ValueError(
                f"{self.problem.name}: residuals(x) must return a 1-D array, "
                f"got shape {value.shape}"
            )
        return value

    def _jac(self, x, batch):
        value = np.asarray(self._call(self.problem.jac, x, **batch), dtype=np.float64)
        if value.ndim != 2 or value.shape[1] != self.n:
            raise ValueError(
                f"{self.problem.name}: jac(x) must return shape (m, {self.n}), got {value.shape}"
            )
        return value

    def hessp(self, x, v):
        """∇²f(x) v."""
        self.nhev += 1
        value = self._call(self.problem.hessp, x, v, **self._batch)
        return self._vector(value, f"{self.problem.name}: hessp(x, v)")

    def hess(self, x):
        """∇²f(x), counted as one Hessian evaluation."""
        self.nhev += 1
        value = np.asarray(self._call(self.problem.hess, x, **self._batch), dtype=np.float64)
        if value.shape != (self.n, self.n):
            raise ValueError(
                f"{self.problem.name}: hess(x) must return shape ({self.n}, {self.n}), "
                f"got {value.shape}"
            )
        return value
