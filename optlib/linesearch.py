"""Line searches: how far to go along a descent direction d from x.

Each search looks at φ(α) = f(x + α d), with φ(0) = f(x) and φ'(0) = ∇f(x)ᵀd < 0, and returns a
step α with f (and, when it computed it, ∇f) at x + α d. Every evaluation goes through the run's
oracle, so it is counted.

Conditions (Nocedal & Wright, *Numerical Optimization*, 2nd ed., §3.1, their (3.4) and (3.7b);
the book's (2.14) and (2.15)), with 0 < c₁ < c₂ < 1:

* sufficient decrease (Armijo):  φ(α) ≤ φ(0) + c₁ α φ'(0)                      (2.14)
* strong curvature:              |φ'(α)| ≤ c₂ |φ'(0)|                          (2.15)

Floating point. A computed f carries a rounding error, taken here as ε_f = ``ROUNDING``·|φ(0)|,
and a decrease smaller than ε_f cannot be seen. So the searches

* never accept a step that leaves x unchanged;
* stop shrinking the step once even the decrease the slope promises, α|φ'(0)|, is below ε_f, and
  then settle why no step was acceptable (:func:`no_visible_decrease`): a finite difference of f
  along d either contradicts φ'(0) — the gradient disagrees with f, a
  :class:`~optlib.method.GradientMismatch` — or confirms it, and then f cannot decrease along d by
  more than its rounding error, a :class:`~optlib.method.RoundoffLimit`;
* treat a trial where f or ∇f is not finite as a step too long (it may have left f's domain)
  and shorten it tenfold; give up, with a :class:`~optlib.method.NonFiniteTrials`, when f is
  not finite even at the shortest step that still changes x, or after ``NONFINITE_TRIALS``
  trials in a row where ∇f is not finite though f is (something is wrong with ∇f); where f
  still falls at the edge of the region where f and ∇f are finite (within ``EDGE`` of the first
  non-finite trial), the strong Wolfe search takes a step with sufficient decrease there, since
  the curvature condition would need a step beyond that edge.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

from optlib.method import GradientMismatch, MethodFailure, NonFiniteTrials, RoundoffLimit

__all__ = [
    "LineSearchResult",
    "armijo",
    "strong_wolfe",
    "exact_quadratic",
    "no_visible_decrease",
    "KINDS",
]

#: The names ``GradientDescent(line_search=...)`` and friends accept.
KINDS = ("armijo", "wolfe", "exact")

#: Factor by which :func:`strong_wolfe` lengthens the trial step until it brackets an acceptable
#: one. Measured on the Moré–Garbow–Hillstrom suite and on extended Rosenbrock (n = 10⁴, 10⁵),
#: 4 needed fewer evaluations than 2, 3 or 5 for BFGS, L-BFGS and nonlinear CG together
#: (MINPACK's dcsrch extrapolates by at most 5×).
EXPANSION = 4.0

#: Relative size of the rounding error in a computed f: ε_f = ROUNDING·|f|.
ROUNDING = 1e-13

#: A trial where f or ∇f is not finite shortens the step by this factor ...
BACKOFF = 0.1
#: ... and this many such trials in a row end the search.
NONFINITE_TRIALS = 6

#: Failures that say something about the problem rather than the search direction: a search
#: along another direction (−∇f) cannot mend them.
PROBLEM_FAILURES = (GradientMismatch, NonFiniteTrials)

#: Where f still falls toward a trial at which f or ∇f is not finite, a step within this
#: fraction of that trial is taken without the curvature condition.
EDGE = 0.01

#: The gradient check of :func:`no_visible_decrease` steps so far that the change in f it
#: measures is this many times f's rounding error.
CHECK_RESOLUTION = 1e4


class LineSearchResult(NamedTuple):
    alpha: float
    fun: float | None = None
    grad: np.ndarray | None = None


def _descent_slope(grad, d, fun, alpha0):
    """φ'(0) = ∇fᵀd, which must be negative. A positive one that the step α₀ would turn into a
    change below f's rounding error is round-off in the direction, not a wrong direction."""
    slope = float(np.dot(grad, d))  # np.dot: faster than @ on 1-D arrays in this numpy
    if not slope < 0:
        if abs(alpha0 * slope) <= ROUNDING * abs(fun):
            raise RoundoffLimit(
                f"line search: d is not a descent direction (∇fᵀd = {slope:.3g}), by less "
                f"than f's rounding error over the step"
            )
        raise MethodFailure(f"line search: d is not a descent direction (∇fᵀd = {slope:.3g})")
    return slope


class _NonFiniteStreak:
    """The trials in a row at which f or ∇f was not finite. Where f itself is not finite the
    step may have left f's domain, and the search backs off as far as the round-off of x
    allows (:meth:`out_of_reach`); where only ∇f is not finite, though f is, something is wrong
    with ∇f, and the ``NONFINITE_TRIALS``-th such trial in a row ends the search."""

    def __init__(self):
        self.trials, self.gradient_only, self.first_alpha = 0, 0, None

    def hit(self, evals, alpha, value):
        if self.trials == 0:
            self.first_alpha, self.first_trial = alpha, evals
        self.trials += 1
        self.gradient_only = self.gradient_only + 1 if np.isfinite(value) else 0
        if self.gradient_only == NONFINITE_TRIALS:
            raise NonFiniteTrials(
                f"line search: ∇f is not finite at {self.trials} trial steps in a row, where f "
                f"is, from α = {self.first_alpha:.3g} (trial {self.first_trial} of this "
                f"search) down to α = {alpha:.3g}"
            )

    def reset(self):
        self.trials, self.gradient_only = 0, 0

    def out_of_reach(self):
        """The failure to raise when the step cannot shrink further and the last trial was not
        finite, or None."""
        if self.trials == 0:
            return None
        return NonFiniteTrials(
            f"line search: f is not finite at {self.trials} trial steps in a row, from "
            f"α = {self.first_alpha:.3g} (trial {self.first_trial} of this search) down to "
            f"the round-off of x"
        )


def _slope_estimate(fun, a, f_a, b, f_b):
    """(φ'(0) estimated from φ(a) and φ(b), 0 < a < b; the bound on its rounding error).

    The difference quotients D(α) = (φ(α) − φ(0))/α are φ'(0) + ½αφ'' + O(α²), so
    (bD(a) − aD(b))/(b − a) = φ'(0) + O(ab) has no curvature term; rounding errors of ε_f in
    each value move it by at most 2ε_f(b/a + a/b)/(b − a).
    """
    near, far = (f_a - fun) / a, (f_b - fun) / b
    rounding = 2.0 * ROUNDING * abs(fun) * (b / a + a / b) / (b - a)
    return (b * near - a * far) / (b - a), rounding


def gradient_mismatch(fun, slope, trials):
    """A :class:`~optlib.method.GradientMismatch` if f's values at three steps contradict the
    slope φ'(0) = ``slope`` that the gradient gives, else None.

    ``trials`` holds (α, φ(α)) at three steps a < b < c. They contradict the gradient when f,
    over those steps, changes along a straight line whose slope says that f falls less than half
    as fast as φ'(0) says: the estimate of φ'(0) from (a, b) (``_slope_estimate``) exceeds
    φ'(0)/2 by more than its rounding error, and every difference quotient (φ(α) − φ(0))/α lies
    within a quarter of that excess from the estimate. A correct gradient with steps too long
    for a derivative estimate gives quotients that vary with the step (f curves), and proves
    nothing; so does f at its round-off limit, where no step is short enough.
    """
    (a, f_a), (b, f_b), _ = trials = sorted(trials)
    estimate, rounding = _slope_estimate(fun, a, f_a, b, f_b)
    discrepancy = estimate - rounding - 0.5 * slope
    quotients = np.array([(value - fun) / step for step, value in trials])
    if np.isfinite(estimate) and discrepancy > 0:
        if np.all(np.abs(quotients - estimate) <= 0.25 * discrepancy):
            return GradientMismatch(
                f"the gradient disagrees with f: along the search direction d, ∇fᵀd = "
                f"{slope:.3g}, but f changes at the rate {estimate:.3g} (check the gradient)"
            )
    return None


def no_visible_decrease(oracle, x, fun, slope, d):
    """The failure to raise when a search can shorten its step no further and no step along d
    has decreased f visibly: a :class:`~optlib.method.GradientMismatch`, or the round-off limit.

    Three more values of f settle which, at steps h, 2h and 4h with
    h|φ'(0)| = ``CHECK_RESOLUTION``·ε_f (so that rounding errors move the estimates of φ'(0) by
    about 5·10⁻⁴|φ'(0)|): see :func:`gradient_mismatch`. If they do not contradict the
    gradient, f cannot decrease along d by more than its rounding error: a
    :class:`~optlib.method.RoundoffLimit`.
    """
    tolerance = ROUNDING * abs(fun)
    h = CHECK_RESOLUTION * tolerance / -slope
    if h > 0 and not np.array_equal(x + h * d, x):
        trials = [(step, oracle.fun(x + step * d)) for step in (h, 2.0 * h, 4.0 * h)]
        mismatch = gradient_mismatch(fun, slope, trials)
        if mismatch is not None:
            return mismatch
    return RoundoffLimit(
        "f cannot decrease along the search direction by more than its rounding error "
        f"(about {tolerance:.2g} at |f| = {abs(fun):.3g})"
    )


def armijo(oracle, x, fun, grad, d, alpha0=1.0, c1=1e-4, shrink=0.5, at_alpha0=None):
    """Backtracking: try α₀, α₀ρ, α₀ρ², … until sufficient decrease (2.14) holds.

    Uses only values of f (``at_alpha0``: f at x + α₀d, if the caller has it already). Where
    even α₀|φ'(0)| is below f's rounding error (next to a minimiser), α₀, the method's own
    step, is taken if f has not risen by more than that error.
    """
    slope = _descent_slope(grad, d, fun, alpha0)  # φ'(0) = ∇fᵀd < 0
    tolerance = ROUNDING * abs(fun)  # ε_f, the rounding error of f
    streak, alpha = _NonFiniteStreak(), alpha0
    for trial in itertools.count(1):
        x_trial = x + alpha * d
        if np.array_equal(x_trial, x):  # safeguard: the step no longer changes x
            raise streak.out_of_reach() or no_visible_decrease(oracle, x, fun, slope, d)
        value = at_alpha0 if trial == 1 and at_alpha0 is not None else oracle.fun(x_trial)
        if not np.isfinite(value):  # safeguard: outside f's domain, perhaps; back off
            streak.hit(trial, alpha, value)
            alpha *= BACKOFF
            continue
        streak.reset()
        if value <= fun + c1 * alpha * slope and value < fun:  # (2.14), a real decrease
            return LineSearchResult(alpha, value)
        if -alpha * slope <= tolerance:  # safeguard: f cannot see a decrease this small
            if alpha == alpha0 and value <= fun + tolerance:
                return LineSearchResult(alpha, value)
            raise no_visible_decrease(oracle, x, fun, slope, d)
        alpha *= shrink  # α ← ρα


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


def _towards_the_lower_end(a, fa, da, b, fb, db):
    """Moré & Thuente's trial (1994, §4, case 1) when f is higher at b than at a: the cubic's
    minimiser, or halfway from it to the parabola's through (a, fa, da) and (b, fb) when that
    is nearer a — the cubic alone shortens too timidly where f rises steeply beyond a."""
    cubic = _cubic_minimizer(a, fa, da, b, fb, db)
    quadratic = a + 0.5 * da / ((fa - fb) / (b - a) + da) * (b - a)
    if cubic is None or not np.isfinite(quadratic):
        return cubic
    return cubic if abs(cubic - a) < abs(quadratic - a) else cubic + 0.5 * (quadratic - cubic)


def _secant_root(a, da, b, db):
    """Where the line through (a, da) and (b, db) crosses zero: the minimiser of the parabola
    with slopes da and db at a and b (Moré & Thuente's secant step), or None."""
    if da == db:
        return None
    return a - da * (b - a) / (db - da)


def strong_wolfe(
    oracle,
    x,
    fun,
    grad,
    d,
    alpha0=1.0,
    c1=1e-4,
    c2=0.9,
    alpha_max=1e10,
    max_evals=50,
    at_alpha0=None,
):
    """A step satisfying the strong Wolfe conditions (2.14) and (2.15).

    Bracketing phase: Nocedal & Wright Algorithm 3.5 (the trial step grows by the factor
    ``EXPANSION`` until it brackets an acceptable step); zoom phase: Algorithm 3.6, with the
    trial inside the bracket chosen by cubic interpolation (3.59) — moved halfway toward the
    quadratic interpolant's minimiser where that is nearer the lower end, and replaced by the
    secant of the slopes where f's values at the ends differ by less than f's rounding error —
    clamped into the middle 80% of the bracket; bisection when the interpolant has no
    minimiser, or when two trials have not shrunk the bracket below 66% of its width (the
    trial rules and safeguards of Moré & Thuente 1994, which MINPACK's dcsrch implements).
    Each trial evaluates f and ∇f together.

    Sufficient decrease (2.14) is checked up to f's rounding error ε_f, so that near a minimiser,
    where f no longer resolves the decrease, the slope decides. ``at_alpha0``: (f, ∇f) at
    x + α₀d, if the caller has them already.
    """
    slope0 = _descent_slope(grad, d, fun, alpha0)
    # Near a minimiser the decrease c₁αφ'(0) that (2.14) asks for can be smaller than the
    # rounding error in f itself, and then no step passes. A rise in f within that rounding error
    # is therefore not counted as a rise, and the slope, computed to full relative accuracy from
    # ∇f, decides. Hager & Zhang (2005) make the same observation; their "approximate Wolfe"
    # conditions replace (2.14) near a minimiser by a test on the slope, for f within ε|f|.
    tolerance = ROUNDING * abs(fun)
    streak, evals = _NonFiniteStreak(), 0

    def phi(alpha):
        nonlocal evals
        known = at_alpha0 is not None and evals == 0
        evals += 1
        value, g = at_alpha0 if known else oracle.fun_and_grad(x + alpha * d)
        slope = float(np.dot(g, d))
        if np.isfinite(value) and np.isfinite(slope):
            streak.reset()
        else:
            streak.hit(evals, alpha, value)
        return value, g, slope

    def too_long(alpha, value, slope, previous_value):
        return (
            not (np.isfinite(value) and np.isfinite(slope))
            or value > fun + c1 * alpha * slope0 + tolerance  # (2.14), up to rounding
            or value > previous_value + tolerance  # N&W's φ(α) ≥ φ(α_lo), up to rounding
        )

    def stuck(failure):
        """What to raise when the bracket can shrink no further: a gradient that disagrees
        with f, if two more values of f show it; else ``failure``, or by default the round-off
        limit of :func:`no_visible_decrease`."""
        checked = no_visible_decrease(oracle, x, fun, slope0, d)
        return failure if failure and not isinstance(checked, GradientMismatch) else checked

    def zoom(lo, f_lo, s_lo, hi, f_hi, s_hi):
        widths = [np.inf, np.inf]  # the bracket's width one and two trials ago
        while evals < max_evals:
            left, right = min(lo, hi), max(lo, hi)
            width = right - left
            if not (np.isfinite(f_hi) and np.isfinite(s_hi)):  # the far end is not finite:
                # back off from it fast until a finite step is found, then bisect toward it
                alpha = lo + BACKOFF * (hi - lo) if lo == 0 else 0.5 * (lo + hi)
            else:
                alpha = None
                if width > 0.66 * widths[0]:
                    pass  # two trials have not shrunk the bracket enough: bisect
                elif abs(f_hi - f_lo) <= tolerance:  # f cannot tell the ends apart: the slopes can
                    alpha = _secant_root(lo, s_lo, hi, s_hi)
                elif f_hi > f_lo:
                    alpha = _towards_the_lower_end(lo, f_lo, s_lo, hi, f_hi, s_hi)
                else:
                    alpha = _cubic_minimizer(lo, f_lo, s_lo, hi, f_hi, s_hi)
                if alpha is None or not np.isfinite(alpha):
                    alpha = 0.5 * (lo + hi)
                else:  # the middle 80%: each trial shrinks the bracket by at least 10%
                    alpha = min(max(alpha, left + 0.1 * width), right - 0.1 * width)
            if np.array_equal(x + alpha * d, x + lo * d):  # the bracket is one point of x
                if streak.trials:
                    raise streak.out_of_reach()
                raise stuck(
                    RoundoffLimit(
                        f"strong Wolfe line search: no step meets the curvature condition "
                        f"before the bracket [{left:.3g}, {right:.3g}] shrinks below the "
                        f"round-off of x"
                    )
                    if lo > 0
                    else None
                )
            widths = [widths[1], width]
            value, g, slope = phi(alpha)
            if too_long(alpha, value, slope, f_lo):
                hi, f_hi, s_hi = alpha, value, slope
                continue
            if abs(slope) <= -c2 * slope0:  # (2.15)
                return LineSearchResult(alpha, value, g)
            if slope < 0 and not np.isfinite(f_hi + s_hi) and hi - alpha <= EDGE * hi:
                # f still falls at the edge of the region where f and ∇f are finite: (2.15)
                # cannot hold inside it, and this step, with (2.14), is taken
                return LineSearchResult(alpha, value, g)
            if slope * (hi - lo) >= 0:
                hi, f_hi, s_hi = lo, f_lo, s_lo
            lo, f_lo, s_lo = alpha, value, slope
        raise stuck(
            MethodFailure(
                f"strong Wolfe line search: no acceptable step in [{min(lo, hi):.3g}, "
                f"{max(lo, hi):.3g}] after {evals} evaluations"
            )
        )

    previous, f_previous, s_previous = 0.0, fun, slope0
    alpha = alpha0
    while evals < max_evals:
        value, g, slope = phi(alpha)
        if too_long(alpha, value, slope, f_previous if previous > 0 else np.inf):
            return zoom(previous, f_previous, s_previous, alpha, value, slope)
        if abs(slope) <= -c2 * slope0:  # (2.15)
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

    φ(α) = f(x) + α ∇fᵀd + ½α² dᵀAd is a parabola, minimised at α = −∇fᵀd / dᵀAd (2.10); one
    Hessian-vector product gives dᵀAd. Only valid when the Hessian is the same everywhere.
    """
    slope = _descent_slope(grad, d, fun, 1.0)
    curvature = float(d @ oracle.hessp(x, d))
    if not curvature > 0:
        raise MethodFailure(
            f"exact line search: f is unbounded below along d (dᵀAd = {curvature:.3g})"
        )
    return LineSearchResult(-slope / curvature, None)
