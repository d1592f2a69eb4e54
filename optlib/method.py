"""What every method is: an object holding hyper-parameters, with ``init`` and ``step``.

The run loop (:func:`~optlib.minimize`) owns counting, stopping, history and callbacks; a method
only says where to go next. Per-run state (a momentum buffer, an inverse-Hessian estimate) lives in
the object that ``init`` returns, never on the method itself, so one method object can serve many
runs.

A method that cannot go on raises one of the exceptions below; the run loop turns it into the
result's ``status`` and ``message``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from optlib.result import Status

__all__ = [
    "Method",
    "MethodConverged",
    "MethodFailure",
    "RoundoffLimit",
    "GradientMismatch",
    "NonFiniteTrials",
    "Step",
]


class Step(NamedTuple):
    """The next iterate, with f and ∇f there when the method already computed them."""

    x: np.ndarray
    fun: float | None = None
    grad: np.ndarray | None = None


class MethodFailure(Exception):
    """The method cannot make progress: no acceptable step, a gradient that disagrees with f, a
    model with no minimiser. The run stops with ``success=False`` and this message."""

    status = Status.METHOD_FAILED
    outcome = "failed"


class RoundoffLimit(MethodFailure):
    """No step can decrease f by more than its rounding error, or change x at all: the run has
    reached what floating point allows (its gradient tolerance cannot be met from here)."""

    status = Status.NO_PROGRESS
    outcome = "no further progress"


class GradientMismatch(MethodFailure):
    """The gradient disagrees with f: f does not fall along a direction the gradient says is
    downhill (a wrong gradient or Jacobian, or an f with a kink there)."""


class NonFiniteTrials(MethodFailure):
    """f or ∇f was not finite at every trial point of a search, however short the step."""

    status = Status.DIVERGED
    outcome = "non-finite"


class MethodConverged(Exception):
    """Raised by a method whose own convergence test holds (e.g. Levenberg–Marquardt's
    relative-reduction test); the run stops with success and this message, at the iterate the
    method was given."""


class Method:
    """Base class of the methods. Subclasses set ``needs`` and implement ``step``.

    ``needs`` lists what the problem must provide (see :attr:`optlib.Problem.provides`);
    :func:`~optlib.minimize` checks it before the run starts. ``descent`` is True for a method
    whose every step decreases f (a line search or a trust test enforces it); for such a method
    the run also stops once f and ‖∇f‖ have stopped improving (see :func:`~optlib.minimize`).
    """

    needs: frozenset[str] = frozenset({"grad"})
    descent: bool = False

    def init(self, oracle, x, fun, grad):
        """Per-run state, created at the start point; ``None`` for stateless methods."""
        return None

    def step(self, oracle, state, x, fun, grad) -> Step:
        """One iteration from x (with f(x) and ∇f(x) given); returns the next iterate."""
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"
