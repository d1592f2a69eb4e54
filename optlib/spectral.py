"""Spectral helpers: gradient descent on a quadratic seen through the eigenbasis of its Hessian.

On f(θ) = ½θᵀAθ − bᵀθ with A = QΛQᵀ, a fixed step α gives (chapter 2, eq. 2.4)

    θₖ − θ* = Q (I − αΛ)ᵏ Qᵀ (θ₀ − θ*),

so along eigenvector i the error is multiplied by the contraction factor 1 − αλᵢ at every step.
"""

from __future__ import annotations

import numpy as np

from optlib.problem import as_symmetric_matrix

__all__ = [
    "eigh",
    "condition_number",
    "contraction_factors",
    "gd_rate",
    "best_fixed_step",
    "gd_closed_form",
]


def _eigenvalues(A_or_eigenvalues):
    arr = np.asarray(A_or_eigenvalues, dtype=np.float64)
    if arr.ndim == 2:
        return np.linalg.eigvalsh(as_symmetric_matrix(arr))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError("eigenvalues must be a non-empty 1-D array (or pass a symmetric matrix)")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"eigenvalues must be finite, got {arr}")
    return np.sort(arr)


def eigh(A):
    """Eigenvalues in increasing order and orthonormal eigenvectors (columns of Q): A = QΛQᵀ.

    >>> lam, Q = eigh([[3.0, 2.0], [2.0, 3.0]])
    >>> lam
    array([1., 5.])
    """
    return np.linalg.eigh(as_symmetric_matrix(A))


def condition_number(A_or_eigenvalues):
    """κ = λ_max / λ_min of a symmetric positive definite matrix (or of its eigenvalues).

    >>> condition_number([[1.0, 0.0], [0.0, 10.0]])
    10.0
    """
    lam = _eigenvalues(A_or_eigenvalues)
    if lam[0] <= 0:
        raise ValueError(
            f"the condition number needs positive eigenvalues; the smallest is {lam[0]:.3g}"
        )
    return float(lam[-1] / lam[0])


def contraction_factors(eigenvalues, lr):
    """1 − αλᵢ: the factor that one step of size α applies to the error along eigenvector i."""
    return 1.0 - lr * _eigenvalues(eigenvalues)


def gd_rate(eigenvalues, lr):
    """max_i |1 − αλᵢ|: the worst per-step contraction (the rate of convergence when < 1)."""
    return float(np.max(np.abs(contraction_factors(eigenvalues, lr))))


def best_fixed_step(eigenvalues):
    """α* = 2 / (λ_min + λ_max), the fixed step that minimises :func:`gd_rate` (2.8).

    >>> best_fixed_step([1.0, 10.0])
    0.18181818181818182
    """
    lam = _eigenvalues(eigenvalues)
    if lam[0] <= 0:
        raise ValueError("the best fixed step needs positive eigenvalues")
    return float(2.0 / (lam[0] + lam[-1]))


def gd_closed_form(A, x0, lr, k, b=None):
    """The fixed-step iterates θₖ = θ* + Q(I − αΛ)ᵏQᵀ(θ₀ − θ*) for each k in ``k`` (2.4).

    Returns an array (len(k), n), or (n,) for a single k. θ* solves Aθ = b (b = 0 by default).
    """
    lam, Q = eigh(A)
    x0 = np.asarray(x0, dtype=np.float64)
    x_star = np.zeros_like(x0) if b is None else np.linalg.solve(np.asarray(A, float), b)
    ks = np.asarray(k)
    powers = (1.0 - lr * lam)[None, :] ** ks.reshape(-1, 1)  # (I − αΛ)ᵏ, one row per k
    coordinates = Q.T @ (x0 - x_star)  # the start in the eigenbasis
    iterates = x_star + (powers * coordinates) @ Q.T
    return iterates[0] if ks.ndim == 0 else iterates
