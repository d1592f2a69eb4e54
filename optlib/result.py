"""The result of a run: SciPy's field names and meanings, plus the history the book plots."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import NamedTuple

import numpy as np

__all__ = ["OptimizeResult", "History", "Iterate", "Status"]


class Status:
    """``res.status`` codes; ``res.message`` says the same in words."""

    CONVERGED = 0  #: ‖∇f‖ ≤ gtol (on all the data), or the method's own test held
    MAX_ITER = 1  #: max_iter iterations were taken
    DIVERGED = 2  #: a non-finite f, ∇f or x (at an iterate, or at every trial of a search)
    METHOD_FAILED = 3  #: no acceptable step, a gradient that disagrees with f, …
    CALLBACK = 4  #: the callback asked to stop
    NO_PROGRESS = 5  #: f, ‖∇f‖ and x have stopped improving (the round-off limit)


class Iterate(NamedTuple):
    """What a callback receives after each iteration."""

    nit: int
    x: np.ndarray
    fun: float
    grad: np.ndarray

    @property
    def jac(self):
        """∇f(x), under SciPy's name."""
        return self.grad


@dataclass
class History:
    """The path of a run, one row per iterate, x₀ first.

    ``fun`` and ``grad_norm`` (Euclidean norm) are always kept; on a stochastic problem they
    are minibatch values. The iterates themselves are kept when ``minimize(keep_x=True)``, or
    by default when they fit in 10⁷ numbers.
    """

    fun: np.ndarray
    grad_norm: np.ndarray
    _x: np.ndarray | None = field(default=None, repr=False)

    @property
    def x(self) -> np.ndarray:
        """Array (nit + 1, n) of the iterates."""
        if self._x is None:
            raise AttributeError("the iterates were not kept: call minimize(..., keep_x=True)")
        return self._x


@dataclass
class OptimizeResult:
    """The outcome of :func:`optlib.minimize`, with the field names of ``scipy.optimize``.

    As SciPy's result, it can also be read as a mapping: ``res["x"]``, ``res.keys()``.
    """

    x: np.ndarray  #: the final iterate
    fun: float  #: f(x) (on all the data, for a stochastic problem)
    jac: np.ndarray  #: ∇f(x) (on all the data, for a stochastic problem)
    nit: int  #: iterations taken
    nfev: int  #: calls of f
    njev: int  #: calls of ∇f
    nhev: int  #: Hessian or Hessian-vector product evaluations
    status: int  #: a :class:`Status` code
    message: str  #: why the run stopped, in words
    history: History = field(repr=False)
    method: str = ""  #: the method, as built
    #: the last iterate at which f and ∇f were finite: x itself unless the run diverged (None if
    #: they were not finite even at x₀)
    x_finite: np.ndarray | None = field(default=None, repr=False)
    #: True on a stochastic problem: ``history`` holds minibatch values, ``fun`` and ``jac`` are
    #: computed on all the data at the end
    minibatch: bool = False
    #: evaluations of f and ∇f on all the data (a stochastic run's convergence checks and its
    #: final ``fun`` and ``jac``), not counted in nfev and njev
    full_evals: int = 0

    @property
    def success(self) -> bool:
        """Whether the run verified convergence, that is ‖∇f(x)‖ ≤ gtol with ∇f on all the data
        (a minibatch gradient is never enough), or the method's own convergence test held
        (Levenberg–Marquardt's, after an accepted step)."""
        return self.status == Status.CONVERGED

    def keys(self):
        """The field names, as SciPy's result (a dict) has them."""
        return [f.name for f in fields(self)] + ["success"]

    def __getitem__(self, key):
        if key not in self.keys():
            raise KeyError(key)
        return getattr(self, key)

    def __repr__(self):
        return (
            f"OptimizeResult(success={self.success}, status={self.status}, "
            f"message={self.message!r}, fun={self.fun:.6g}, nit={self.nit}, nfev={self.nfev}, "
            f"njev={self.njev}, nhev={self.nhev}, method={self.method})"
        )
