"""Line searches: how far to go along a descent direction d from x.

Each search looks at φ(α) = f(x + α d), with φ(0) = f(x) and φ'(0) = ∇f(x)ᵀd < 0, and returns a
step α with f (and, when it computed it, ∇f) at x + α d. Every evaluation goes through the run's
oracle, so it is counted. A search that finds no acceptable step raises
:class:`~optlib.method.MethodFailure`, which ends the run with an honest status.

Conditions (Nocedal & Wright, *Numerical Optimization*, 2nd ed., §3.1, their (3.4) and (3.7b);
the book's (2.12) and (2.13)), with 0 < c₁ < c₂ < 1:

* sufficient decrease (Armijo):  φ(α) ≤ φ(0) + c₁ α φ'(0)                      (2.12)
* strong curvature:              |φ'(α)| ≤ c₂ |φ'(0)|                          (2.13)

:func:`strong_wolfe` checks (2.12) up to the rounding error in f, ``ROUNDING``·|φ(0)|.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from optlib.method import MethodFailure

__all__ = ["LineSearchResult", "armijo", "strong_wolfe", "exact_quadratic", "KINDS"]

#: The names ``GradientDescent(line_search=...)`` and friends accept.
KINDS = ("armijo", "wolfe", "exact")

#: Factor by which :func:`strong_wolfe` lengthens the trial step until it brackets an acceptable
#: one. Measured on the Moré–Garbow–Hillstrom suite and on extended Rosenbrock (n = 10⁴, 10⁵),
#: 4 needed fewer evaluations than 2, 3 or 5 for BFGS, L-BFGS and nonlinear CG together
#: (MINPACK's dcsrch extrapolates by at most 5×).
EXPANSION = 4.0

#: Relative size of the rounding error in a computed f that :func:`strong_wolfe` tolerates.
ROUNDING = 1e-13


class LineSearchResult(NamedTuple):
    alpha: float
    fun: float | None = None
    grad: np.ndarray | None = None


def _descent_slope(grad, d):
    slope = float(np.dot(grad, d))  # np.dot: faster than @ on 1-D arrays in this numpy
    if not slope < 0:
        raise MethodFailure(f"line search: d is not a descent direction (∇fᵀd = {slope:.3g})")
    return slope


def armijo(oracle, x, fun, grad, d, alpha0=1.0, c1=1e-4, shrink=0.5, max_evals=60):
    """Backtracking: try α₀, α₀ρ, α₀ρ², … until sufficient decrease (2.12) holds.

    A trial where f is not finite counts as too long a step. Uses only values of f.
    """
    slope = _descent_slope(grad, d)
    alpha = alpha0
    for _ in range(max_evals):
        trial = oracle.fun(x + alpha * d)
        if np.isfinite(trial) and trial <= fun + c1 * alpha * slope:
            return LineSearchResult(alpha, trial)
        alpha *= shrink
    raise MethodFailure(f"Armijo search: no sufficient decrease in {max_evals} trials")


def _cubic_minimizer(a, fa, da, b, fb, db):
    """Minimiser of the cubic through (a, fa, da) and (b, fb, db) — N&W (3.59) — or None."""
    with np.errstate(over="ignore", invalid="ignore"):  # huge values: None, then bisection
        d1 = da + db - 3.0 * (fa - fb) / (a - b)
        radicand = d1 * d1 - da * db
        if not np.isfinite(radicand) or radicand < 0:
            return None
        d2 = np.copysign(np.sqrt(radicand), b - a)
        denominator = db - da + 2.0 * d2
        if denominator == 0:
            return None
        return b - (b - a) * (db + d2 - d1) / denominator


def strong_wolfe(
    oracle, x, fun, grad, d, alpha0=1.0, c1=1e-4, c2=0.9, alpha_max=1e10, max_evals=50
):
    """A step satisfying the strong Wolfe conditions (2.12) and (2.13).

    Bracketing phase: Nocedal & Wright Algorithm 3.5 (the trial step grows by the factor
    ``EXPANSION`` until it brackets an acceptable step); zoom phase: Algorithm 3.6, with the
    trial inside the bracket chosen by cubic interpolation (3.59), clamped into the middle 80%
    of the bracket; bisection when the cubic has no minimiser, or when two trials have not
    shrunk the bracket below 66% of its width (the safeguard of Moré & Thuente 1994). Each
    trial evaluates f and ∇f together.
    """
    slope0 = _descent_slope(grad, d)
    evals = 0

    def phi(alpha):
        nonlocal evals
        evals += 1
        value, g = oracle.fun_and_grad(x + alpha * d)
        return value, g, float(g @ d)

    # Near a minimiser the decrease c₁αφ'(0) that (2.12) asks for can be smaller than the
    # rounding error in f itself, and then no step passes. A rise in f within that rounding error
    # is therefore not counted as a rise, and the slope, computed to full relative accuracy from
    # ∇f, decides. Hager & Zhang (2005) make the same observation; their "approximate Wolfe"
    # conditions replace (2.12) near a minimiser by a test on the slope, for f within ε|f|.
    rounding = ROUNDING * abs(fun)

    def armijo_fails(alpha, value, previous_value):
        return (
            not np.isfinite(value)
            or value > fun + c1 * alpha * slope0 + rounding
            or value > previous_value + rounding  # N&W's φ(α) ≥ φ(α_lo), up to rounding
        )

    def zoom(lo, f_lo, s_lo, hi, f_hi, s_hi):
        widths = [np.inf, np.inf]  # the bracket's width one and two trials ago
        while evals < max_evals:
            left, right = min(lo, hi), max(lo, hi)
            width = right - left
            if width <= 1e-14 * max(1.0, right):
                break
            alpha = None
            if np.isfinite(f_hi) and np.isfinite(s_hi) and width <= 0.66 * widths[0]:
                alpha = _cubic_minimizer(lo, f_lo, s_lo, hi, f_hi, s_hi)
            if alpha is None or not np.isfinite(alpha):
                alpha = 0.5 * (lo + hi)
            else:  # the middle 80%: each trial shrinks the bracket by at least 10%
                alpha = min(max(alpha, left + 0.1 * width), right - 0.1 * width)
            widths = [widths[1], width]
            value, g, slope = phi(alpha)
            if armijo_fails(alpha, value, f_lo):
                hi, f_hi, s_hi = alpha, value, slope
                continue
            if abs(slope) <= -c2 * slope0:
                return LineSearchResult(alpha, value, g)
            if slope * (hi - lo) >= 0:
                hi, f_hi, s_hi = lo, f_lo, s_lo
            lo, f_lo, s_lo = alpha, value, slope
        raise MethodFailure(
            f"strong Wolfe line search: no acceptable step in [{min(lo, hi):.3g}, "
            f"{max(lo, hi):.3g}] after {evals} evaluations"
        )

    previous, f_previous, s_previous = 0.0, fun, slope0
    alpha = alpha0
    while evals < max_evals:
        value, g, slope = phi(alpha)
        if armijo_fails(alpha, value, f_previous if previous > 0 else np.inf):
            return zoom(previous, f_previous, s_previous, alpha, value, slope)
        if abs(slope) <= -c2 * slope0:
            return LineSearchResult(alpha, value, g)
        if slope >= 0:
            return zoom(alpha, value, slope, previous, f_previous, s_previous)
        if alpha >= alpha_max:
            break
        previous, f_previous, s_previous = alpha, value, slope
        alpha = min(EXPANSION * alpha, alpha_max)
    raise MethodFailure(
        f"strong Wolfe line search: f keeps decreasing up to step {alpha:.3g} "
        "(is it bounded below?)"
    )


def exact_quadratic(oracle, x, fun, grad, d):
    """The exact minimiser of φ on a quadratic f(x) = ½xᵀAx − bᵀx.

    φ(α) = f(x) + α ∇fᵀd + ½α² dᵀAd is a parabola, minimised at α = −∇fᵀd / dᵀAd (2.9); one
    Hessian-vector product gives dᵀAd. Only valid when the Hessian is the same everywhere.
    """
    slope = _descent_slope(grad, d)
    curvature = float(d @ oracle.hessp(x, d))
    if not curvature > 0:
        raise MethodFailure(
            f"exact line search: f is unbounded below along d (dᵀAd = {curvature:.3g})"
        )
    return LineSearchResult(-slope / curvature, None)
