"""Argument checks, one per kind of value: each returns the value in canonical form or raises a
one-sentence error that names the argument. Methods call them where they are built, problems
where they are constructed, :func:`~optlib.minimize` at the call.
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


def check_positive(value, argument):
    """``value`` as a float if it is a finite number > 0 (a step size, a damping)."""
    number = _number(value, argument)
    if not (np.isfinite(number) and number > 0):
        raise ValueError(f"{argument} must be a finite number > 0, got {value!r}")
    return number


def check_nonnegative(value, argument):
    """``value`` as a float if it is a finite number ≥ 0 (an ε, an initial accumulator)."""
    number = _number(value, argument)
    if not (np.isfinite(number) and number >= 0):
        raise ValueError(f"{argument} must be a finite number >= 0, got {value!r}")
    return number


def check_in_interval(value, argument, low, high):
    """``value`` as a float if low < value < high (line-search constants c₁, c₂)."""
    number = _number(value, argument)
    if not (low < number < high):
        raise ValueError(f"{argument} must lie in ({low}, {high}), got {value!r}")
    return number


def check_wolfe_constants(c1, c2):
    """(c₁, c₂) as floats if 0 < c₁ < ½ and c₁ < c₂ < 1: the line-search constants. c₁ < ½ lets
    the unit step of Newton and quasi-Newton methods pass near a minimiser (N&W Theorem 3.6)."""
    c1 = check_in_interval(c1, "c1", 0.0, 0.5)
    return c1, check_in_interval(c2, "c2", c1, 1.0)


def check_choice(value, argument, choices):
    """``value`` if it is one of ``choices``: names of options, and None where it is listed."""
    if not (value is None or isinstance(value, str)) or value not in choices:
        raise ValueError(f"{argument} must be one of {choices}, got {value!r}")
    return value


def check_fraction(value, argument):
    """``value`` as a float if 0 ≤ value < 1 (a momentum factor, a decay rate)."""
    number = _number(value, argument)
    if not (0.0 <= number < 1.0):
        raise ValueError(f"{argument} must lie in [0, 1), got {value!r}")
    return number


def check_momentum(value, argument="momentum"):
    """``value`` as a float in [0, 1), or, if it is callable, a schedule t ↦ μₜ (t = 1, 2, …)
    whose every value is checked the same way when the method uses it."""
    if not callable(value):
        return check_fraction(value, argument)

    def schedule(t):
        return check_fraction(value(t), f"{argument}({t})")

    return schedule


def check_betas(betas, argument="betas"):
    """``betas`` as a pair of floats (β₁, β₂), each in [0, 1) (the decay rates of Adam-like
    moving averages)."""
    try:
        beta1, beta2 = betas
    except (TypeError, ValueError):
        raise TypeError(f"{argument} must be a pair (beta1, beta2), got {betas!r}") from None
    return check_fraction(beta1, f"{argument}[0]"), check_fraction(beta2, f"{argument}[1]")


def check_unit_interval(value, argument):
    """``value`` as a float if 0 < value ≤ 1 (an interpolation weight)."""
    number = _number(value, argument)
    if not (0.0 < number <= 1.0):
        raise ValueError(f"{argument} must lie in (0, 1], got {value!r}")
    return number


def check_flag(value, argument):
    """``value`` as a bool if it is one."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{argument} must be True or False, got {value!r}")
    return bool(value)


def check_count(value, argument, low=1, high=None):
    """``value`` as an int if it is a whole number with low ≤ value (≤ high when given)."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{argument} must be a whole number, got {value!r}")
    if value < low or (high is not None and value > high):
        upper = "" if high is None else f" and <= {high}"
        raise ValueError(f"{argument} must be a whole number >= {low}{upper}, got {value!r}")
    return int(value)


def check_method(value, argument):
    """``value`` if it is an optlib method object (not a class, not something else)."""
    if isinstance(value, type) and issubclass(value, Method):
        raise TypeError(
            f"{argument} must be a method object such as {value.__name__}(...), "
            f"got the class {value.__name__} itself"
        )
    if not isinstance(value, Method):
        raise TypeError(f"{argument} must be an optlib method object, got {value!r}")
    return value
