"""The result of a run: SciPy's field names and meanings, plus the history the book plots."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

__all__ = ["OptimizeResult", "History", "Iterate", "Status"]


class Status:
    """``res.status`` codes; ``res.message`` says the same in words."""

    CONVERGED = 0  #: the gradient norm fell to gtol or below, or the method's own test held
    MAX_ITER = 1  #: max_iter iterations were taken
    DIVERGED = 2  #: f, ∇f or x became non-finite
    METHOD_FAILED = 3  #: the method could not make progress (e.g. its line search failed)
    CALLBACK = 4  #: the callback asked to stop


class Iterate(NamedTuple):
    """What a callback receives after each iteration."""

    nit: int
    x: np.ndarray
    fun: float
    grad: np.ndarray


@dataclass
class History:
    """The path of a run, one row per iterate, x₀ first.

    ``fun`` and ``grad_norm`` (Euclidean norm) are always kept. The iterates themselves are kept
    when ``minimize(keep_x=True)``, or by default when they fit in 10⁷ numbers.
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
    """The outcome of :func:`optlib.minimize`, with the field names of ``scipy.optimize``."""

    x: np.ndarray  #: the final iterate
    fun: float  #: f(x)
    jac: np.ndarray  #: ∇f(x)
    nit: int  #: iterations taken
    nfev: int  #: calls of f
    njev: int  #: calls of ∇f
    nhev: int  #: Hessian or Hessian-vector product evaluations
    status: int  #: a :class:`Status` code
    message: str  #: why the run stopped, in words
    history: History = field(repr=False)
    method: str = ""  #: the method, as built

    @property
    def success(self) -> bool:
        """True when the run met its gradient tolerance."""
        return self.status == Status.CONVERGED

    def __repr__(self):
        return (
            f"OptimizeResult(success={self.success}, status={self.status}, "
            f"message={self.message!r}, fun={self.fun:.6g}, nit={self.nit}, nfev={self.nfev}, "
            f"njev={self.njev}, nhev={self.nhev}, method={self.method})"
        )
