"""Least-squares problems whose derivatives are generated from one SymPy expression.

A problem's residuals are written once in SymPy, for one data row (with the row's data as
symbols) or as a list of expressions; r, the Jacobian J and the residual Hessians ∇²rᵢ are
generated from it by differentiation and ``sympy.lambdify`` (with common-subexpression
elimination) at the first evaluation, and cached, so the derivatives are right by construction
and the Hessian of f = ½‖r‖² is exact:

    ∇²f(x) = J(x)ᵀJ(x) + Σᵢ rᵢ(x) ∇²rᵢ(x).

SymPy is imported only when a problem is first evaluated. The test problems of
:mod:`optlib.problems.mgh` and :mod:`optlib.problems.data` are built on this.
"""

from __future__ import annotations

import functools

import numpy as np

from optlib.problem import LeastSquares

__all__ = ["SymbolicLeastSquares", "Block"]


class Block:
    """Residuals ``exprs`` (SymPy, in the variables and the row symbols), one per data row.

    ``rows`` maps each row symbol to an array of length L (all the same length); without rows,
    L = 1. The block's residuals are ordered expression-major: all rows of ``exprs[0]``, then
    all rows of ``exprs[1]``, ...
    """

    def __init__(self, exprs, rows=None):
        self.exprs = list(exprs)
        self.rows = {} if rows is None else {s: np.asarray(v, dtype=float) for s, v in rows.items()}
        lengths = {v.size for v in self.rows.values()}
        if len(lengths) > 1:
            raise ValueError(f"row arrays must have one length, got {sorted(lengths)}")
        self.length = lengths.pop() if lengths else 1


class _Compiled:
    """r, J and Σᵢ wᵢ∇²rᵢ generated from the blocks; each evaluation is a few NumPy calls."""

    def __init__(self, xs, blocks, modules):
        import sympy as sp

        self.n = len(xs)
        self.parts = []
        offset = 0
        for block in blocks:
            syms = list(block.rows)
            args = [tuple(xs), *syms]
            values = [block.rows[s] for s in syms]
            length, k = block.length, len(block.exprs)
            jac_entries, hess_entries = [], []
            for a, expr in enumerate(block.exprs):
                # differentiate only in the variables an expression contains (the rest are 0)
                for j, xj in enumerate(xs):
                    if xj not in expr.free_symbols:
                        continue
                    d = sp.diff(expr, xj)
                    if d == 0:
                        continue
                    jac_entries.append((a, j, d))
                    for kk in range(j, self.n):
                        if xs[kk] not in d.free_symbols:
                            continue
                        dd = sp.diff(d, xs[kk])
                        if dd != 0:
                            hess_entries.append((a, j, kk, dd))
            lam = functools.partial(sp.lambdify, args, modules=modules, cse=True)
            rows_of = np.arange(length)

            def index(entries, offset=offset, length=length, rows_of=rows_of):
                # (E, L) row indices into r for entries whose first item is the expression number
                a = np.array([e[0] for e in entries], dtype=int).reshape(-1, 1)
                return offset + a * length + rows_of

            self.parts.append(
                {
                    "values": values,
                    "length": length,
                    "r": lam(block.exprs),
                    "J": lam([e[2] for e in jac_entries]),
                    "J_rows": index(jac_entries),
                    "J_cols": np.array([e[1] for e in jac_entries], dtype=int)[:, None],
                    "H": lam([e[3] for e in hess_entries]) if hess_entries else None,
                    "H_rows": index(hess_entries),
                    "H_j": np.array([e[1] for e in hess_entries], dtype=int),
                    "H_k": np.array([e[2] for e in hess_entries], dtype=int),
                }
            )
            offset += k * length
        self.m = offset

    @staticmethod
    def _stack(vals, length):
        # lambdify returns scalars for constant entries: broadcast every entry to its rows
        return np.array([np.broadcast_to(v, (length,)) for v in vals], dtype=float).reshape(
            -1, length
        )

    def residuals(self, x):
        return np.concatenate(
            [self._stack(p["r"](x, *p["values"]), p["length"]).ravel() for p in self.parts]
        )

    def jac(self, x):
        J = np.zeros((self.m, self.n))
        for p in self.parts:
            J[p["J_rows"], p["J_cols"]] = self._stack(p["J"](x, *p["values"]), p["length"])
        return J

    def second_order(self, x, r):
        """S = Σᵢ rᵢ ∇²rᵢ(x), the part of the Hessian that Gauss–Newton leaves out."""
        S = np.zeros((self.n, self.n))
        for p in self.parts:
            if p["H"] is None:
                continue
            h = self._stack(p["H"](x, *p["values"]), p["length"])
            np.add.at(S, (p["H_j"], p["H_k"]), np.sum(h * r[p["H_rows"]], axis=1))
        return S + np.triu(S, 1).T  # the entries were the upper triangle


class SymbolicLeastSquares(LeastSquares):
    """f(x) = ½‖r(x)‖² with r, J and the exact Hessian generated from SymPy (see the module).

    Args:
      build: a callable returning ``(xs, blocks, modules)`` (the SymPy variables, a list of
        ``Block``, and the ``modules`` argument of ``lambdify``), or an object with
        ``residuals(x)``, ``jac(x)`` and ``second_order(x, r)`` methods (a hand-coded problem).
        It is called once, at the first evaluation.
      name: a label for results and plots.
      cache_key: if given, the generated functions are cached under this key and shared by every
        instance built with it (so it must identify one problem and its data); if None, each
        instance generates its own.

    Example:
      >>> import numpy as np, sympy as sp
      >>> def build():
      ...     x = sp.symbols("x1 x2")
      ...     return x, [Block([10 * (x[1] - x[0] ** 2), 1 - x[0]])], ["numpy"]
      >>> p = SymbolicLeastSquares(build, name="doctest rosenbrock")
      >>> p.hess(np.array([1.0, 1.0]))
      array([[ 401., -200.],
             [-200.,  100.]])
    """

    overflow_warnings = False  # inf or NaN at a diverging iterate is a result

    def __init__(self, build, name, cache_key=None):
        self._build = build
        self._cache_key = cache_key
        self._own = None  # the generated functions, when not shared through the cache
        self._last = None  # (x, J, S) at the last point of a Hessian product
        super().__init__(self._r, self._J, name=name)

    @property
    def compiled(self):
        """The generated functions (built at the first use, then cached)."""
        if self._cache_key is not None:
            return _compile(self._cache_key, self._build)
        if self._own is None:
            self._own = _built(self._build)
        return self._own

    def _r(self, x):
        return self.compiled.residuals(np.asarray(x, dtype=float))

    def _J(self, x):
        return self.compiled.jac(np.asarray(x, dtype=float))

    @property
    def provides(self) -> frozenset[str]:
        return frozenset({"grad", "residuals", "hessp", "hess"})

    def _second_order_at(self, x):
        x = np.asarray(x, dtype=float)
        if self._last is None or not np.array_equal(self._last[0], x):
            r = self._r(x)
            J = self._J(x)
            self._last = (x.copy(), J, self.compiled.second_order(x, r))
        return self._last[1], self._last[2]

    def hessp(self, x, v):
        """∇²f(x) v = Jᵀ(Jv) + (Σᵢ rᵢ∇²rᵢ) v."""
        J, S = self._second_order_at(x)
        return J.T @ (J @ v) + S @ v

    def hess(self, x):
        """∇²f(x) = JᵀJ + Σᵢ rᵢ∇²rᵢ."""
        J, S = self._second_order_at(x)
        return J.T @ J + S


_COMPILED = {}


def _built(build):
    built = build()
    return _Compiled(*built) if isinstance(built, tuple) else built


def _compile(key, build):
    if key not in _COMPILED:
        _COMPILED[key] = _built(build)
    return _COMPILED[key]
