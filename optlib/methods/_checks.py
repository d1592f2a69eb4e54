"""Argument checks shared by the first-order methods (one-sentence errors naming the argument).

They complement :func:`optlib.method.check_positive` and :func:`optlib.method.check_in_interval`
with the half-open and closed ranges that momentum factors, decay rates and ε need.
"""

from __future__ import annotations

import numbers

import numpy as np

from optlib.method import Method


def _number(value, argument):
    if isinstance(value, bool | np.bool_):
        raise TypeError(f"{argument} must be a number, got {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{argument} must be a number, got {value!r}") from None


def check_nonnegative(value, argument):
    """``value`` as a float if it is a finite number ≥ 0; otherwise an error naming it."""
    number = _number(value, argument)
    if not (np.isfinite(number) and number >= 0):
        raise ValueError(f"{argument} must be a finite number >= 0, got {value!r}")
    return number


def check_fraction(value, argument):
    """``value`` as a float if 0 ≤ value < 1 (a momentum factor, a decay rate); else an error."""
    number = _number(value, argument)
    if not (0.0 <= number < 1.0):
        raise ValueError(f"{argument} must lie in [0, 1), got {value!r}")
    return number


def check_unit_interval(value, argument):
    """``value`` as a float if 0 < value ≤ 1 (an interpolation weight); otherwise an error."""
    number = _number(value, argument)
    if not (0.0 < number <= 1.0):
        raise ValueError(f"{argument} must lie in (0, 1], got {value!r}")
    return number


def check_flag(value, argument):
    """``value`` as a bool if it is one; otherwise a TypeError naming it."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{argument} must be True or False, got {value!r}")
    return bool(value)


def check_count(value, argument, low=1):
    """``value`` as an int if it is a whole number ≥ low; otherwise an error naming it."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{argument} must be a whole number, got {value!r}")
    if value < low:
        raise ValueError(f"{argument} must be a whole number >= {low}, got {value!r}")
    return int(value)


def check_method(value, argument):
    """``value`` if it is an optlib method object; otherwise a TypeError naming it."""
    if isinstance(value, type) and issubclass(value, Method):
        raise TypeError(
            f"{argument} must be a method object such as {value.__name__}(...), "
            f"got the class {value.__name__} itself"
        )
    if not isinstance(value, Method):
        raise TypeError(f"{argument} must be an optlib method object, got {value!r}")
    return value
