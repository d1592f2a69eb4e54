"""Linear conjugate gradients: solve Ax = b for a symmetric positive definite A (chapter 11)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from optlib.problem import as_vector
from optlib.result import Status

__all__ = ["linear_cg", "LinearCGResult"]

#: By default the directions are kept when nit × n can reach at most this many numbers.
KEEP_DIRECTIONS_LIMIT = 10_000_000


@dataclass
class LinearCGResult:
    """What :func:`~optlib.linear_cg` returns.

    Attributes:
      x: the last iterate.
      residual_norms: ‖rₖ‖₂ = ‖Axₖ − b‖₂ for k = 0..nit (the recurrence's rₖ, see (11.3)).
      directions: array (nit, n), row k the direction dₖ of step k; ``None`` when not kept.
      curvatures: array (nit,), dₖᵀAdₖ, so that ‖dₖ‖_A = √curvatures[k].
      step_lengths: array (nit,), the αₖ of (11.1).
      x0: the start.
      nit: the number of steps taken.
      nmatvec: the number of products Av computed.
      status: 0 converged, 1 max_iter reached, 2 non-finite values,
        3 non-positive curvature (A is not positive definite).
      message: the same, in words.
      curvature_direction: when status is 3, the direction d with dᵀAd ≤ 0; else ``None``.
    """

    x: np.ndarray
    residual_norms: np.ndarray
    directions: np.ndarray | None = field(repr=False)
    curvatures: np.ndarray = field(repr=False)
    step_lengths: np.ndarray = field(repr=False)
    x0: np.ndarray = field(repr=False)
    nit: int
    nmatvec: int
    status: int
    message: str
    curvature_direction: np.ndarray | None = field(default=None, repr=False)

    @property
    def success(self) -> bool:
        """True when the residual met the tolerance."""
        return self.status == Status.CONVERGED

    @property
    def iterates(self) -> np.ndarray:
        """The iterates x₀, x₁, … as the rows of an array of shape (nit + 1, n), rebuilt from
        the kept directions by (11.2) with the run's own additions in its order, so that the last
        row is ``x`` exactly."""
        if self.directions is None:
            raise ValueError("the iterates need the directions: run with keep_directions=True")
        steps = self.step_lengths[:, None] * self.directions
        return np.cumsum(np.vstack([self.x0, steps]), axis=0)


def _operator(A, n):
    """v ↦ Av for a callable or a dense symmetric matrix; a clear error naming A otherwise."""
    if callable(A) and not isinstance(A, np.ndarray):

        def matvec(v):
            Av = np.asarray(A(v), dtype=np.float64)
            if Av.shape != (n,):
                raise ValueError(f"A(v) must return shape ({n},), got {Av.shape}")
            return Av

        return matvec
    try:
        M = np.asarray(A, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"A must be a matrix or a callable v -> Av, got {type(A).__name__} "
            "(wrap a sparse matrix or a LinearOperator as A.dot)"
        ) from None
    if M.shape != (n, n):
        raise ValueError(f"A must be a square matrix of shape ({n}, {n}) to match b, got {M.shape}")
    if not np.all(np.isfinite(M)):
        raise ValueError("A must be finite")
    asymmetry = np.abs(M - M.T).max(initial=0.0)
    if asymmetry > 1e-10 * np.abs(M).max(initial=0.0):
        raise ValueError(
            f"A must be symmetric (max |A - Aᵀ| = {asymmetry:.3g}); conjugate gradients "
            "needs a symmetric positive definite A"
        )
    return M.__matmul__


def linear_cg(A, b, x0=None, tol=1e-10, max_iter=None, *, keep_directions=None):
    """Solve Ax = b, i.e. minimise ½xᵀAx − bᵀx, by the conjugate gradient method.

    Nocedal & Wright's Algorithm 5.2 (the practical form of Hestenes & Stiefel's method): each
    step moves along a direction dₖ that is A-conjugate to all the earlier ones (dᵢᵀAdⱼ = 0 for
    i ≠ j), with the exact minimising step along it. In exact arithmetic it terminates in at most
    n steps, and in at most k steps when A has k distinct eigenvalues.

    Equations (book chapter 11), with rₖ = Axₖ − b the residual (= the gradient of ½xᵀAx − bᵀx):

    * (11.1) αₖ = rₖᵀrₖ / dₖᵀAdₖ
    * (11.2) xₖ₊₁ = xₖ + αₖdₖ
    * (11.3) rₖ₊₁ = rₖ + αₖAdₖ
    * (11.4) βₖ₊₁ = rₖ₊₁ᵀrₖ₊₁ / rₖᵀrₖ
    * (11.5) dₖ₊₁ = −rₖ₊₁ + βₖ₊₁dₖ,   d₀ = −r₀

    Args:
      A: a symmetric positive definite (n, n) array, or a callable v ↦ Av (trusted to be
        symmetric: a callable's symmetry is not checked). A matrix that is not symmetric raises a
        ValueError.
      b: the right-hand side, shape (n,).
      x0: the start (default 0).
      tol: stop when ‖rₖ‖₂ ≤ tol·‖b‖₂ (relative residual); when b = 0, relative to ‖r₀‖₂.
      max_iter: the largest number of steps (default 10n: round-off can delay the n-step
        termination of exact arithmetic on ill-conditioned systems).
      keep_directions: keep every dₖ in ``result.directions``; by default when
        n × max_iter ≤ 10⁷.

    Returns:
      A :class:`~optlib.linear_cg.LinearCGResult`. A direction with dᵀAd ≤ 0 (A is not positive
      definite) is not an
      exception: the run stops with status 3, a message giving dᵀAd, and that direction in
      ``curvature_direction`` (the iterate is the last one before it).

    Example:
      >>> import numpy as np, optlib
      >>> A = np.array([[4.0, 1.0], [1.0, 3.0]])
      >>> res = optlib.linear_cg(A, np.array([1.0, 2.0]))
      >>> res.x, res.nit, res.message
      (array([0.09090909, 0.63636364]), 2, 'converged: ‖r‖ <= tol·‖b‖')
      >>> d = res.directions
      >>> bool(abs(d[0] @ A @ d[1]) < 1e-15)
      True

    References:
      Hestenes & Stiefel (1952); Nocedal & Wright, *Numerical Optimization* (2006), §5.1,
      Algorithm 5.2 and Theorems 5.3–5.4.
    """
    b = as_vector(b, "b")
    n = b.size
    matvec = _operator(A, n)
    try:
        tol = float(tol)
    except (TypeError, ValueError):
        raise TypeError(f"tol must be a number, got {tol!r}") from None
    if not (np.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be a finite number >= 0, got {tol!r}")
    if max_iter is None:
        max_iter = 10 * n
    if isinstance(max_iter, bool) or not isinstance(max_iter, int | np.integer) or max_iter < 0:
        raise ValueError(f"max_iter must be a whole number >= 0, got {max_iter!r}")
    if keep_directions is None:
        keep_directions = n * max_iter <= KEEP_DIRECTIONS_LIMIT

    if x0 is None:
        x = np.zeros(n)
        r = -b  # r₀ = A·0 − b
        nmatvec = 0
    else:
        x = as_vector(x0, "x0", n)
        r = matvec(x) - b
        nmatvec = 1
    d = -r  # d₀ = −r₀: the first step is steepest descent
    rr = float(np.dot(r, r))
    b_norm = float(np.linalg.norm(b))
    threshold = tol * (b_norm if b_norm > 0 else np.sqrt(rr))
    start = x.copy()
    norms, curvatures, directions, step_lengths = [np.sqrt(rr)], [], [], []
    status, message, bad_direction = None, None, None
    nit = 0
    while status is None:
        if not np.isfinite(rr):
            status, message = Status.DIVERGED, f"non-finite residual at iteration {nit}"
        elif norms[-1] <= threshold:
            status, message = Status.CONVERGED, "converged: ‖r‖ <= tol·‖b‖"
        elif nit >= max_iter:
            status, message = Status.MAX_ITER, f"stopped: max_iter = {max_iter} reached"
        else:
            Ad = matvec(d)
            nmatvec += 1
            curvature = float(np.dot(d, Ad))
            if not np.isfinite(curvature):
                status, message = Status.DIVERGED, f"non-finite dᵀAd at iteration {nit + 1}"
            elif curvature <= 0:
                status = Status.METHOD_FAILED
                message = (
                    f"non-positive curvature dᵀAd = {curvature:.3g} at iteration {nit + 1}: "
                    "A is not positive definite"
                )
                bad_direction = d.copy()
            else:
                if keep_directions:
                    directions.append(d.copy())
                curvatures.append(curvature)
                alpha = rr / curvature  # (11.1)
                step_lengths.append(alpha)
                x += alpha * d  # (11.2)
                r += alpha * Ad  # (11.3)
                rr_new = float(np.dot(r, r))
                beta = rr_new / rr  # (11.4)
                d *= beta  # (11.5), in place: d ← βd − r
                d -= r
                rr = rr_new
                nit += 1
                norms.append(np.sqrt(rr))
    return LinearCGResult(
        x=x,
        residual_norms=np.array(norms),
        directions=np.array(directions).reshape(-1, n) if keep_directions else None,
        curvatures=np.array(curvatures),
        step_lengths=np.array(step_lengths),
        x0=start,
        nit=nit,
        nmatvec=nmatvec,
        status=status,
        message=message,
        curvature_direction=bad_direction,
    )
