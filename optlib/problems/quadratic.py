"""Quadratics f(x) = ½xᵀAx − bᵀx: the model problem of gradient descent (chapter 2)."""

from __future__ import annotations

import numpy as np

from optlib.problem import Problem, as_symmetric_matrix, as_vector

__all__ = ["Quadratic", "DiagonalQuadratic"]


class Quadratic(Problem):
    """f(x) = ½xᵀAx − bᵀx with A symmetric: ∇f = Ax − b, ∇²f = A.

    Args:
      A: a symmetric (n, n) array.
      b: an (n,) array (default zero).
      name: a label.

    Example:
      >>> import numpy as np
      >>> q = Quadratic.from_spectrum([5.0, 1.0], eigenvectors=[[1, 1], [1, -1]])
      >>> q.A
      array([[3., 2.],
             [2., 3.]])
      >>> q.grad(np.array([1.0, 0.0]))
      array([3., 2.])
    """

    overflow_warnings = False  # inf or NaN at a diverging iterate is a result

    def __init__(self, A, b=None, name=None):
        A = as_symmetric_matrix(A)
        n = A.shape[0]
        self.A = 0.5 * (A + A.T)
        self.b = np.zeros(n) if b is None else as_vector(b, "b", n)
        super().__init__(self.fun, grad=self.grad, hessp=self.hessp, hess=self.hess, name=name)
        if name is None:
            self.name = f"quadratic (n={n})"

    @classmethod
    def from_spectrum(cls, eigenvalues, eigenvectors=None, b=None, name=None):
        """The quadratic with A = Q diag(λ) Qᵀ; the columns of ``eigenvectors`` are normalised
        to give Q (default: the identity, so A is diagonal)."""
        lam = as_vector(eigenvalues, "eigenvalues")
        if eigenvectors is None:
            Q = np.eye(lam.size)
        else:
            Q = np.array(eigenvectors, dtype=np.float64)
            if Q.shape != (lam.size, lam.size):
                raise ValueError(
                    f"eigenvectors must have shape {(lam.size, lam.size)}, got {Q.shape}"
                )
            Q = Q / np.linalg.norm(Q, axis=0)
            if not np.allclose(Q.T @ Q, np.eye(lam.size), atol=1e-10):
                raise ValueError("eigenvectors must be mutually orthogonal columns")
        return cls((Q * lam) @ Q.T, b=b, name=name)

    @property
    def provides(self):
        return frozenset({"grad", "hessp", "hess", "quadratic"})

    @property
    def x_star(self):
        """The minimiser A⁻¹b (A must be positive definite)."""
        if np.linalg.eigvalsh(self.A)[0] <= 0:
            raise ValueError("this quadratic has no unique minimiser: A is not positive definite")
        return np.linalg.solve(self.A, self.b)

    @property
    def f_star(self):
        """The minimum −½bᵀA⁻¹b."""
        return -0.5 * float(self.b @ self.x_star)

    def fun(self, x):
        return 0.5 * float(x @ (self.A @ x)) - float(self.b @ x)

    def grad(self, x):
        return self.A @ x - self.b

    def fun_and_grad(self, x):
        Ax = self.A @ x
        return 0.5 * float(x @ Ax) - float(self.b @ x), Ax - self.b

    def hessp(self, x, v):
        return self.A @ v

    def hess(self, x):
        return self.A.copy()


class DiagonalQuadratic(Problem):
    """f(x) = ½ Σᵢ dᵢxᵢ² − bᵢxᵢ, the quadratic with A = diag(d), in O(n) time and memory.

    In the eigenbasis every quadratic is of this form (chapter 2): each coordinate is an
    eigen-direction with eigenvalue dᵢ, and gradient descent acts on each one separately. Only
    the vectors d and b are stored, so a run on a million coordinates costs a few vectors, where
    :class:`Quadratic` would store an n × n matrix. Exact derivatives:

        ∇f(x) = d ⊙ x − b,    ∇²f(x) v = d ⊙ v,    ∇²f = diag(d).

    ``fun_and_grad`` shares the work: with g = d ⊙ x − b,
    f = ½xᵀ(d ⊙ x) − bᵀx = ½(xᵀg + bᵀx) − bᵀx = ½(xᵀg − bᵀx), two dot products after g.

    Args:
      d: the diagonal of A (its eigenvalues), a finite (n,) array.
      b: an (n,) array (default zero).
      name: a label.

    Example:
      >>> q = DiagonalQuadratic([1.0, 10.0], b=[1.0, 0.0])
      >>> q.fun_and_grad(np.array([1.0, 1.0]))      # ½(1 + 10) − 1, (1 − 1, 10 − 0)
      (4.5, array([ 0., 10.]))
      >>> q.x_star, q.f_star
      (array([1., 0.]), -0.5)
    """

    overflow_warnings = False  # inf or NaN at a diverging iterate is a result

    def __init__(self, d, b=None, name=None):
        self.d = as_vector(d, "d")
        n = self.d.size
        self.b = np.zeros(n) if b is None else as_vector(b, "b", n)
        super().__init__(self.fun, grad=self.grad, hessp=self.hessp, hess=self.hess, name=name)
        if name is None:
            self.name = f"diagonal quadratic (n={n})"

    @property
    def provides(self):
        return frozenset({"grad", "hessp", "hess", "quadratic"})

    @property
    def A(self):
        """A = diag(d) as a dense (n, n) array (for small n: plots, checks)."""
        return np.diag(self.d)

    @property
    def x_star(self):
        """The minimiser b ⊘ d (every dᵢ must be > 0)."""
        if not np.all(self.d > 0):
            raise ValueError("this quadratic has no unique minimiser: some d[i] <= 0")
        return self.b / self.d

    @property
    def f_star(self):
        """The minimum −½ bᵀ(b ⊘ d)."""
        return -0.5 * float(self.b @ self.x_star)

    def fun(self, x):
        return self.fun_and_grad(x)[0]

    def grad(self, x):
        g = self.d * x
        g -= self.b
        return g

    def fun_and_grad(self, x):
        g = self.grad(x)
        return 0.5 * (float(x @ g) - float(self.b @ x)), g

    def hessp(self, x, v):
        return self.d * v

    def hess(self, x):
        return np.diag(self.d)
