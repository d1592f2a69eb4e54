"""Levenberg–Marquardt for nonlinear least squares (book chapter 10)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from optlib.checks import check_choice, check_fraction, check_positive
from optlib.linesearch import CHECK_RESOLUTION, ROUNDING, no_visible_decrease
from optlib.method import Method, MethodConverged, MethodFailure, Step
from optlib.methods.gauss_newton import check_shapes, column_norms

__all__ = ["LevenbergMarquardt", "lm_step"]


def lm_step(J, r, mu, d=None):
    """The Levenberg–Marquardt step: (JᵀJ + μD) p = −Jᵀr with D = diag(``d``) (D = I if None).

    The same p minimises ‖J p + r‖² + μ‖D^½ p‖², the least-squares problem of the stacked
    matrix [J; √μ D^½] and right-hand side [−r; 0] (10.3), which is how it is solved, for the
    reason given in :func:`~optlib.methods.gauss_newton.gauss_newton_step`, here by a
    Householder QR factorisation (μDᵢᵢ > 0
    makes the stacked matrix of full rank; QR is unaffected by badly scaled columns). As μ → 0
    it tends to the Gauss–Newton step; as μ → ∞, to −(1/μ) D⁻¹Jᵀr, a short step along the
    scaled steepest-descent direction.

    Example:
      >>> import numpy as np
      >>> from optlib.methods.gauss_newton import gauss_newton_step
      >>> J, r = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]), np.array([1.0, -1.0, 3.0])
      >>> np.allclose(lm_step(J, r, 1e-12), gauss_newton_step(J, r))
      True
      >>> np.allclose(1e8 * lm_step(J, r, 1e8), -(J.T @ r), rtol=1e-6)
      True
    """
    m, n = J.shape
    root = np.sqrt(mu * (np.ones(n) if d is None else d))
    Q, R = np.linalg.qr(np.vstack([J, np.diag(root)]))  # [J; √μD^½] = QR
    return np.linalg.solve(R, -(Q[:m].T @ r))  # (10.3): R p = Qᵀ[−r; 0]


class LevenbergMarquardt(Method):
    """Levenberg–Marquardt with Nielsen's damping update: a Gauss–Newton step, damped.

    Each iteration solves (JᵀJ + μD) p = −Jᵀr (10.3), with D = I (Levenberg) or Marquardt's
    scaling D = diag(JᵀJ) (10.4), and compares the actual reduction of f with the one the
    linear model L(p) = ½‖r + Jp‖² predicts, through the gain ratio ρ (10.5). If ρ > 0 the
    step is taken and μ shrinks by Nielsen's smooth rule; otherwise x stays and μ grows,
    faster after every consecutive failure (10.6). Large μ gives a short scaled-gradient
    step, small μ the Gauss–Newton step.

    The damping starts at μ₀ = τ·maxᵢ (J₀ᵀJ₀)ᵢᵢ with D = I (Madsen, Nielsen & Tingleff) and at
    μ₀ = τ with Marquardt's D: either way the largest entry of μ₀D is τ·maxᵢ (J₀ᵀJ₀)ᵢᵢ (10.7).
    With D = I this is Madsen–Nielsen–Tingleff's Algorithm 3.16; the default is Marquardt's D,
    which needs fewer evaluations on the badly scaled NIST and MGH fits.

    Marquardt's D makes the iterates invariant to a rescaling x = Sy of the variables by a
    positive diagonal S. Taken literally, D = diag(JₖᵀJₖ) at the current point can shrink a
    coordinate's damping to nearly nothing where its column of J nearly vanishes, and on MGH's
    Penalty I and II and Brown–Dennis problems the iteration then crawls; so, as in MINPACK
    (Moré 1978, §6), Dᵢᵢ is the largest (JᵀJ)ᵢᵢ met so far, which keeps the invariance.

    One iteration is one trial step: it evaluates r once, and J once if the step is accepted.
    A rejected trial leaves x where it was, so ``res.history.x`` repeats that x and
    ``res.history.fun`` is flat there: ``nit`` counts trials, and the number of accepted steps
    is ``res.njev − 1`` (J is evaluated at x₀, then once per accepted step).

    Besides the run loop's ‖∇f‖ ≤ gtol, the method has MINPACK's two convergence tests (Moré
    1978, §8; lmder's ``ftol`` and ``xtol``, as ``scipy.optimize.least_squares(method="lm")``
    uses them), checked after each *accepted* step: the ``ftol`` test holds when both the
    actual and the predicted relative reductions of f (equivalently of ‖r‖²) are at most
    ``ftol``, and ρ ≤ 2 (10.8): f is no longer improving in its leading digits, which is how a
    run with nonzero residuals at the minimum ends; the ``xtol`` test holds when the scaled
    step is small relative to the scaled iterate, ‖D^½p‖ ≤ xtol·‖D^½x‖ (10.9) (MINPACK's D is
    our D^½: its scale factors are column norms). When either holds, the step is returned as
    usual and the next call raises :class:`~optlib.method.MethodConverged`: the run ends with
    success at that iterate, and ``res.message`` names the test. (MINPACK applies its xtol
    test to the trust radius, which also shrinks after rejected trials; here a run never
    reports success without having accepted a small step.)

    Safeguard: when a rejected trial's predicted reduction is below 10⁴ rounding errors of f,
    damping more cannot help; the run ends, and a finite difference of f along the scaled
    gradient −D⁻¹∇f says why (:func:`optlib.linesearch.no_visible_decrease`): a Jacobian that
    disagrees with the residuals (a :class:`~optlib.method.GradientMismatch`), or the round-off
    limit (a :class:`~optlib.method.RoundoffLimit`). ``MethodFailure`` is also raised when the
    damped step is not finite.

    Args:
      tau: τ, the initial damping relative to the scale of J₀ᵀJ₀ (10.7) (default 1e-3; use
        smaller, e.g. 1e-6, from a start believed to be good).
      scaling: ``"marquardt"`` (D = the running maximum of diag(JᵀJ), default) or None
        (D = I).
      ftol: the relative reduction of f below which the run stops (10.8), in [0, 1); default
        1e-8, SciPy's; 0 turns the test off.
      xtol: the relative (scaled) step size below which the run stops (10.9), in [0, 1);
        default 1e-8, SciPy's; 0 leaves only the test ‖D^½p‖ = 0 = ‖D^½x‖.

    Needs an :class:`optlib.LeastSquares` problem.

    Equations (chapter 10)::

      (10.3) (JᵀJ + μD) pₖ = −Jᵀr
      (10.4) D = I  or  D = diag(JᵀJ)  (here: Dᵢᵢ = maxⱼ≤ₖ (JⱼᵀJⱼ)ᵢᵢ)
      (10.5) ρ = (f(xₖ) − f(xₖ + pₖ)) / (L(0) − L(pₖ)),  L(p) = ½‖r + Jp‖²
      (10.6) ρ > 0: xₖ₊₁ = xₖ + pₖ, μ ← μ·max(1/3, 1 − (2ρ − 1)³), ν ← 2;
             ρ ≤ 0: xₖ₊₁ = xₖ, μ ← μν, ν ← 2ν        (ν₀ = 2)
      (10.7) μ₀ = τ·maxᵢ (J₀ᵀJ₀)ᵢᵢ  (D = I),  μ₀ = τ  (D = diag(JᵀJ))
      (10.8) ftol test (ρ > 0): (f(xₖ) − f(xₖ + pₖ)) / f(xₖ) ≤ ftol,
             (L(0) − L(pₖ)) / f(xₖ) ≤ ftol  and  ρ ≤ 2
      (10.9) xtol test (ρ > 0): ‖D^½pₖ‖ ≤ xtol·‖D^½xₖ₊₁‖

    Example:
      >>> import numpy as np, optlib
      >>> t = np.linspace(0.0, 1.0, 8)
      >>> y = 2.0 * np.exp(-1.5 * t)
      >>> fit = optlib.LeastSquares(
      ...     lambda x: x[0] * np.exp(x[1] * t) - y,
      ...     lambda x: np.stack([np.exp(x[1] * t), x[0] * t * np.exp(x[1] * t)], axis=1))
      >>> res = optlib.minimize(fit, [1.0, 0.0], method=LevenbergMarquardt(), gtol=1e-12)
      >>> res.success, np.round(res.x, 12)
      (True, array([ 2. , -1.5]))

    References:
      Levenberg (1944); Marquardt (1963); Nielsen, "Damping parameter in Marquardt's method",
      IMM-REP-1999-05, DTU (1999); Madsen, Nielsen & Tingleff, *Methods for Non-Linear Least
      Squares Problems*, 2nd ed., DTU (2004), §3.2 and Algorithm 3.16; Nocedal & Wright (2006),
      §10.3; Moré, "The Levenberg–Marquardt algorithm: implementation and theory", Lecture
      Notes in Mathematics 630 (1978), §§6 and 8 (the scaling and the convergence tests), and
      MINPACK's ``lmder`` (Moré, Garbow & Hillstrom, 1980).
    """

    needs = frozenset({"grad", "residuals"})
    descent = True

    def __init__(self, tau=1e-3, scaling="marquardt", ftol=1e-8, xtol=1e-8):
        self.tau = check_positive(tau, "tau")
        self.scaling = check_choice(scaling, "scaling", (None, "marquardt"))
        self.ftol = check_fraction(ftol, "ftol")
        self.xtol = check_fraction(xtol, "xtol")

    def _diagonal(self, J):
        """The diagonal of D: 1s, or diag(JᵀJ), the squared column norms of J, with 1 for a
        column of zeros (10.4)."""
        if self.scaling is None:
            return None
        return column_norms(J) ** 2

    def init(self, oracle, x, fun, grad):
        r, J = oracle.residuals_and_jac(x)  # kept from the run loop's evaluation at x₀
        check_shapes(J, r)
        d = self._diagonal(J)
        scale = float(np.max(np.einsum("ij,ij->j", J, J), initial=0.0))
        mu = self.tau if d is not None else self.tau * scale  # (10.7)
        tiny = np.finfo(float).tiny
        return SimpleNamespace(x=x, r=r, J=J, d=d, mu=max(mu, tiny), nu=2.0, converged=None)

    def _tests(self, state, p, x_new, fun, fun_new, predicted, rho):
        """Which of MINPACK's convergence tests hold after an accepted step ("" if none)."""
        fired = []
        if fun - fun_new <= self.ftol * fun and predicted <= self.ftol * fun and rho <= 2.0:
            fired.append(  # (10.8)
                f"ftol test: the actual and predicted relative reductions of f are <= ftol "
                f"= {self.ftol:g}"
            )
        root = 1.0 if state.d is None else np.sqrt(state.d)  # MINPACK's D is our D^½
        if np.linalg.norm(root * p) <= self.xtol * np.linalg.norm(root * x_new):  # (10.9)
            fired.append(f"xtol test: the relative scaled step is <= xtol = {self.xtol:g}")
        return "; ".join(fired)

    def step(self, oracle, state, x, fun, grad):
        if not np.array_equal(x, state.x):  # x was moved from outside (e.g. by Lookahead)
            state.x = x
            state.r, state.J = oracle.residuals_and_jac(x)
            state.converged = None  # the tests spoke of the method's own iterate
            if state.d is not None:
                state.d = np.maximum(state.d, self._diagonal(state.J))
        elif state.converged is not None:  # a test held after the last step
            raise MethodConverged(state.converged)
        J, r = state.J, state.r
        p = lm_step(J, r, state.mu, state.d)  # (10.3)
        if not np.all(np.isfinite(p)):
            raise MethodFailure(f"the damped step is not finite (μ = {state.mu:.3g})")
        x_new = x + p
        r_new = oracle.residuals(x_new)
        fun_new = 0.5 * float(r_new @ r_new)
        predicted = -float(grad @ p) - 0.5 * float(np.sum((J @ p) ** 2))  # L(0) − L(p)
        rho = (fun - fun_new) / predicted if predicted > 0 else -np.inf  # (10.5)
        if not (np.isfinite(fun_new) and rho > 0):  # rejected: x stays, μ grows (10.6)
            state.mu *= state.nu
            state.nu *= 2.0
            if predicted <= CHECK_RESOLUTION * ROUNDING * fun:  # safeguard: nothing left to see
                direction = -grad if state.d is None else -grad / state.d  # −D⁻¹∇f
                slope = float(grad @ direction)
                raise no_visible_decrease(oracle, x, fun, slope, direction)
            return Step(x, fun, grad)
        state.converged = self._tests(state, p, x_new, fun, fun_new, predicted, rho) or None
        state.mu *= max(1.0 / 3.0, 1.0 - (2.0 * rho - 1.0) ** 3)  # (10.6), accepted
        state.nu = 2.0
        J_new = oracle.jac(x_new)
        check_shapes(J_new, r_new)
        state.x, state.r, state.J = x_new, r_new, J_new
        if state.d is not None:
            state.d = np.maximum(state.d, self._diagonal(J_new))
        return Step(x_new, fun_new, J_new.T @ r_new)
