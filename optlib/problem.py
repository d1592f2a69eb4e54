"""Problems: an objective and whatever derivatives it has.

A method never calls a problem directly: the run loop hands it an :class:`~optlib.oracle.Oracle`,
which counts every call and checks what comes back.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Problem", "DataProblem", "LeastSquares"]


def _check_callable(value, argument):
    if value is not None and not callable(value):
        raise TypeError(f"{argument} must be a callable or None, got {type(value).__name__}")
    return value


class Problem:
    """An objective f: ℝⁿ → ℝ, with optional gradient, Hessian-vector product and Hessian.

    Args:
      f: callable ``f(x) -> float``.
      grad: callable ``grad(x) -> array (n,)``, the gradient ∇f(x); or True, when ``f`` returns
        the pair (f(x), ∇f(x)) (SciPy's ``jac=True``).
      hessp: callable ``hessp(x, v) -> array (n,)``, the product ∇²f(x) v.
      hess: callable ``hess(x) -> array (n, n)``; when given without ``hessp``, products use it
        (the Hessian is formed once per x, not once per product).
      name: a label for results and plots.

    Example:
      >>> import numpy as np, optlib
      >>> p = optlib.Problem(lambda x: float(x @ x), grad=lambda x: 2 * x, name="sphere")
      >>> sorted(p.provides)
      ['grad']
      >>> p.fun(np.array([3.0, 4.0]))
      25.0
      >>> q = optlib.Problem(lambda x: (float(x @ x), 2 * x), grad=True)   # f returns (f, ∇f)
      >>> q.fun_and_grad(np.array([3.0, 4.0]))
      (25.0, array([6., 8.]))
    """

    #: True for problems whose evaluations use a minibatch (see
    #: :meth:`~optlib.Problem.sample_batch`).
    stochastic = False

    #: Whether numpy's overflow and invalid-value warnings show during this problem's
    #: evaluations in a run. optlib's test problems set it False: at a diverging iterate they
    #: return inf or NaN on purpose, and the run reports that as divergence.
    overflow_warnings = True

    def __init__(self, f, grad=None, hessp=None, hess=None, name=None):
        if not callable(f):
            raise TypeError(f"f must be callable, got {type(f).__name__}")
        self._f = f
        self._fused = grad is True
        self._grad = None if self._fused else _check_callable(grad, "grad")
        self._hessp = _check_callable(hessp, "hessp")
        self._hess = _check_callable(hess, "hess")
        self._memo = {}  # function → (x, its value there), for a fused f and for hess
        self.name = name if name is not None else getattr(f, "__name__", "problem")

    @property
    def provides(self) -> frozenset[str]:
        """The derivatives this problem can evaluate, a subset of {'grad', 'hessp', 'hess'}."""
        have = set()
        if self._grad is not None or self._fused:
            have.add("grad")
        if self._hessp is not None or self._hess is not None:
            have.add("hessp")
        if self._hess is not None:
            have.add("hess")
        return frozenset(have)

    def _remembered(self, function, x):
        """function(x), reusing the last value when x is the last point it was called at."""
        last = self._memo.get(function)
        if last is None or not np.array_equal(last[0], x):
            last = self._memo[function] = (np.array(x), function(x))
        return last[1]

    def fun(self, x):
        """f(x)."""
        if self._fused:
            return self._remembered(self._f, x)[0]
        return self._f(x)

    def grad(self, x):
        """∇f(x)."""
        if self._fused:
            return self._remembered(self._f, x)[1]
        return self._grad(x)

    def fun_and_grad(self, x):
        """(f(x), ∇f(x)); problems that share work between the two override this."""
        if self._fused:
            return self._remembered(self._f, x)
        return self.fun(x), self.grad(x)

    def hessp(self, x, v):
        """∇²f(x) v."""
        if self._hessp is not None:
            return self._hessp(x, v)
        return self._remembered(self._hess, x) @ v

    def hess(self, x):
        """∇²f(x) as a dense (n, n) array."""
        return self._hess(x)

    def sample_batch(self, rng):
        """A minibatch for the next iteration, drawn with ``rng`` (stochastic problems only).

        A stochastic problem returns a batch here, and every evaluation it has (``fun``,
        ``grad``, ``fun_and_grad``, ``hessp``, and ``hess``, ``residuals``, ``jac`` if it has
        them) accepts it as the keyword ``batch``, with ``batch=None`` meaning all the data.
        :func:`~optlib.minimize` draws one batch per iteration and every evaluation of that
        iteration uses it, so a method never needs to know that its gradients are stochastic.
        """
        raise NotImplementedError(f"{self.name} is not a stochastic problem")

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r})"


class DataProblem(Problem):
    """A loss averaged over the rows of a data set ``X``, ``y``: stochastic when the subclass
    sets ``batch_size`` (minibatches of distinct rows), deterministic when it is None.

    Subclasses set ``X``, ``y``, ``n_samples`` and ``batch_size`` and read their rows with
    :meth:`rows`.
    """

    def sample_batch(self, rng):
        """``batch_size`` distinct row indices, drawn with ``rng``."""
        if self.batch_size is None:
            raise NotImplementedError(f"{self.name} is not stochastic (batch_size=None)")
        return rng.choice(self.n_samples, self.batch_size, replace=False)

    def rows(self, batch):
        """(X, y) restricted to the rows of ``batch``, or all rows when it is None."""
        if batch is None:
            return self.X, self.y
        return self.X[batch], self.y[batch]


class LeastSquares(Problem):
    """A nonlinear least-squares problem f(x) = ½‖r(x)‖².

    Its gradient is J(x)ᵀ r(x) and its Gauss–Newton product is J(x)ᵀ J(x) v, where J is the
    Jacobian of the residuals. The Gauss–Newton product is *not* the Hessian-vector product: the
    Hessian also has the term Σᵢ rᵢ ∇²rᵢ, so this problem does not provide ``hessp``.

    Args:
      residuals: callable ``residuals(x) -> array (m,)``.
      jac: callable ``jac(x) -> array (m, n)``.
      name: a label for results and plots.

    Example:
      >>> import numpy as np, optlib
      >>> p = optlib.LeastSquares(lambda x: x - 1.0, lambda x: np.eye(2), name="shift")
      >>> p.fun(np.zeros(2)), p.grad(np.zeros(2))
      (1.0, array([-1., -1.]))
    """

    def __init__(self, residuals, jac, name=None):
        if not callable(residuals):
            raise TypeError(f"residuals must be callable, got {type(residuals).__name__}")
        if not callable(jac):
            raise TypeError(f"jac must be callable, got {type(jac).__name__}")
        self._residuals = residuals
        self._jac = jac
        super().__init__(self._sum_of_squares, grad=self._jtr, name=name or "least squares")

    @property
    def provides(self) -> frozenset[str]:
        return frozenset({"grad", "residuals"})

    def _sum_of_squares(self, x):
        r = self._residuals(x)
        return 0.5 * float(r @ r)

    def _jtr(self, x):
        return self._jac(x).T @ self._residuals(x)

    def fun_and_grad(self, x):
        r = self._residuals(x)
        return 0.5 * float(r @ r), self._jac(x).T @ r

    def residuals(self, x):
        """r(x)."""
        return self._residuals(x)

    def jac(self, x):
        """J(x), the (m, n) Jacobian of the residuals."""
        return self._jac(x)

    def gauss_newton_product(self, x, v):
        """J(x)ᵀ J(x) v, computed as two matrix-vector products."""
        jac = self._jac(x)
        return jac.T @ (jac @ v)


def as_vector(x, argument, n=None):
    """``x`` as a fresh 1-D float64 array; a clear error names ``argument`` if it cannot be."""
    try:
        arr = np.array(x, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{argument} must be an array of real numbers: {err}") from None
    if arr.ndim != 1:
        raise ValueError(f"{argument} must be a 1-D array, got shape {arr.shape}")
    if n is not None and arr.shape != (n,):
        raise ValueError(f"{argument} must have shape ({n},), got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{argument} must be finite, got {arr}")
    return arr


def as_symmetric_matrix(A, argument="A"):
    """``A`` as a float64 array if it is a finite, square, symmetric matrix (to round-off)."""
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"{argument} must be a square matrix, got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError(f"{argument} must be finite")
    if not np.allclose(A, A.T, rtol=1e-12, atol=1e-12 * np.abs(A).max(initial=0.0)):
        raise ValueError(f"{argument} must be symmetric")
    return A
