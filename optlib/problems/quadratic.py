"""Quadratics f(x) = ½xᵀAx − bᵀx: the model problem of gradient descent (chapter 2), and the
noisy quadratic model of stochastic gradients (chapter 16)."""

from __future__ import annotations

import numpy as np

from optlib.problem import Problem, as_symmetric_matrix, as_vector

__all__ = ["Quadratic", "DiagonalQuadratic", "NoisyQuadratic"]


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


class NoisyQuadratic(Problem):
    """The noisy quadratic model: f(x; c) = ½ Σᵢ λᵢ (xᵢ − cᵢ)², whose minimum c ~ N(0, diag σ²)
    is drawn afresh for every iteration.

    A stochastic problem whose "minibatch" is one draw of c: :func:`~optlib.minimize` draws one
    per iteration (from its ``seed``), and the gradient λ ⊙ (x − c) it then gives the method is
    an unbiased estimate of the gradient λ ⊙ x of the expected loss

        F(x) = E_c f(x; c) = ½ Σᵢ λᵢ (xᵢ² + σᵢ²),

    minimal at x = 0 with the floor ½ Σᵢ λᵢσᵢ². F and ∇F are the values "on all the data"
    (``batch=None``): what the run reports at its end and checks ``gtol`` against. Each
    coordinate is one eigen-direction, with curvature λᵢ and gradient noise of variance λᵢ²σᵢ².

    Args:
      lam: the curvatures λᵢ > 0, an (n,) array.
      sigma2: the variances σᵢ² ≥ 0 of the minimum, an (n,) array or one number for all.
      name: a label.

    Example:
      >>> import optlib
      >>> from optlib.methods import GradientDescent
      >>> p = NoisyQuadratic([1.0, 0.1], sigma2=1.0)
      >>> res = optlib.minimize(p, [0.0, 0.0], method=GradientDescent(lr=0.5), max_iter=50,
      ...                       gtol=0, seed=0)
      >>> res.minibatch, res.fun >= 0.55            # F(x) ≥ ½(1 + 0.1), the noise floor
      (True, True)

    Reference:
      Schaul, Zhang & LeCun, "No more pesky learning rates" (ICML 2013), §2; Zhang, Lucas,
      Hinton & Ba, "Lookahead optimizer" (NeurIPS 2019), §3.
    """

    stochastic = True
    overflow_warnings = False  # inf or NaN at a diverging iterate is a result

    def __init__(self, lam, sigma2, name=None):
        self.lam = as_vector(lam, "lam")
        if not np.all(self.lam > 0):
            raise ValueError("lam must hold curvatures > 0")
        n = self.lam.size
        self.sigma2 = as_vector([sigma2] * n if np.ndim(sigma2) == 0 else sigma2, "sigma2", n)
        if not np.all(self.sigma2 >= 0):
            raise ValueError("sigma2 must hold variances >= 0")
        super().__init__(self.fun, grad=self.grad, name=name or f"noisy quadratic (n={n})")

    def sample_batch(self, rng):
        """One draw of the minimum c ~ N(0, diag σ²)."""
        return np.sqrt(self.sigma2) * rng.standard_normal(self.lam.size)

    def fun(self, x, batch=None):
        if batch is None:
            return 0.5 * float(self.lam @ (x * x + self.sigma2))
        return 0.5 * float(self.lam @ (x - batch) ** 2)

    def grad(self, x, batch=None):
        return self.lam * (x if batch is None else x - batch)

    def fun_and_grad(self, x, batch=None):
        return self.fun(x, batch), self.grad(x, batch)
