"""What every method is: an object holding hyper-parameters, with ``init`` and ``step``.

The run loop (:func:`~optlib.minimize`) owns counting, stopping, history and callbacks; a method
only says where to go next. Per-run state (a momentum buffer, an inverse-Hessian estimate) lives in
the object that ``init`` returns, never on the method itself, so one method object can serve many
runs.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["Method", "MethodConverged", "MethodFailure", "Step"]


class Step(NamedTuple):
    """The next iterate, with f and ∇f there when the method already computed them."""

    x: np.ndarray
    fun: float | None = None
    grad: np.ndarray | None = None


class MethodFailure(Exception):
    """Raised by a method that cannot make progress (a line search that found no acceptable step,
    a model with no minimiser); the run stops with ``success=False`` and this message."""


class MethodConverged(Exception):
    """Raised by a method whose own convergence test holds (e.g. Levenberg–Marquardt's
    relative-reduction test); the run stops with success and this message, at the iterate the
    method was given."""


class Method:
    """Base class of the methods. Subclasses set ``needs`` and implement ``step``.

    ``needs`` lists what the problem must provide (see :attr:`optlib.Problem.provides`);
    :func:`~optlib.minimize` checks it before the run starts.
    """

    needs: frozenset[str] = frozenset({"grad"})

    def init(self, oracle, x, fun, grad):
        """Per-run state, created at the start point; ``None`` for stateless methods."""
        return None

    def step(self, oracle, state, x, fun, grad) -> Step:
        """One iteration from x (with f(x) and ∇f(x) given); returns the next iterate."""
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"
