"""The test problems of Moré, Garbow & Hillstrom (1981), as least-squares problems.

Moré, Garbow & Hillstrom, "Testing unconstrained optimization software", *ACM Transactions on
Mathematical Software* 7(1):17–41 (1981), collect 35 problems f(x) = Σᵢ rᵢ(x)² with a standard
start x₀ and, for most, the minimum value found. Here each is an :class:`MGHProblem`, a
:class:`~optlib.LeastSquares` problem with f(x) = ½‖r(x)‖² (half of MGH's f), that also has the
exact Hessian

    ∇²f(x) = J(x)ᵀJ(x) + Σᵢ rᵢ(x) ∇²rᵢ(x),

so Newton-type methods run on them. Each problem's residuals are written once, in SymPy, in the
form the paper prints; r, J and the second derivatives ∇²rᵢ are generated from that one
expression by differentiation and ``sympy.lambdify`` (with common-subexpression elimination) at
the first evaluation, and cached per problem, so the derivatives are right by construction.
Problems with data (Bard, Meyer, Osborne, …) are written for one data row and evaluated on all
rows at once. Chebyquad (35) is hand-coded, with its derivation in :class:`_Chebyquad`: its
generated form takes seconds to build.

The data are those of the paper (checked against the MINPACK test routine ``ssqfcn`` of Garbow,
Hillstrom & Moré, 1980). One misprint of the paper is corrected: in problem 11 (Gulf) the
residual is exp(−|yᵢ − x₂|^x₃ / x₁) − tᵢ (the printed "yᵢmi x₂" is yᵢ − x₂). Where the paper
leaves m free, we take the case whose minimum it prints (Jennrich–Sampson m = 10, Box m = 10,
Brown–Dennis m = 20, Biggs m = 13; Gulf, whose f* = 0 holds for every m, m = 99) and state
the choice; the variable-dimension problems come with the n of their published values.
Minima "at infinity" (Bard, Kowalik–Osborne) are kept as values only. Minimum values are
printed in the paper to 6 significant digits, truncated (e.g. Kowalik–Osborne: 3.075056…e−4
is printed 3.07505e−4).

Attributes of every problem:
  number: the problem's number in the paper (1–35).
  n, m: the numbers of variables and residuals.
  x0: the paper's standard start.
  f_star_published: the minimum value printed in the paper (MGH's f = Σ rᵢ², twice ours).
  f_star: our minimum value, ``f_star_published / 2``.
  x_star: the minimiser, where the paper gives one (to full precision; see below), else None.
  x_star_published: the minimiser's digits as printed (where it is not exact), else None.
  other_minima: the other published values (MGH's scale) as ``(f, x or None)`` pairs: local
    minima, or values approached as some coordinates go to infinity.

Where the paper prints a minimiser to a few digits only (Powell badly scaled, Jennrich–Sampson),
``x_star`` is that point refined to double precision (by solving r(x) = 0, respectively
∇f(x) = 0 on the diagonal x₁ = x₂, in 40-digit arithmetic with mpmath), and it agrees with the
printed digits.

Example:
  >>> import numpy as np
  >>> p = beale()
  >>> p.name, p.n, p.m, p.f_star_published, p.f_star
  ('beale', 2, 3, 0.0, 0.0)
  >>> p.fun(p.x_star)
  0.0
  >>> float(p.fun(p.x0)), p.grad(p.x0)
  (7.1015625, array([ 0.   , 13.875]))
  >>> p.hessp(p.x0, np.array([1.0, 0.0]))
  array([ 0.   , 13.875])
"""

from __future__ import annotations

import functools

import numpy as np

from optlib.problem import Problem, as_vector
from optlib.problems.symbolic import Block as _Block
from optlib.problems.symbolic import SymbolicLeastSquares

__all__ = [
    "MGHProblem",
    "ExtendedRosenbrock",
    "classic_suite",
    "problem",
    "SUITE_NAMES",
    "MEYER_T",
    "MEYER_Y",
    *(
        "rosenbrock freudenstein_roth powell_badly_scaled brown_badly_scaled beale"
        " jennrich_sampson helical_valley bard gaussian meyer gulf box_3d powell_singular wood"
        " kowalik_osborne brown_dennis osborne1 biggs_exp6 osborne2 watson extended_rosenbrock"
        " extended_powell penalty1 penalty2 variably_dimensioned trigonometric chebyquad"
    ).split(),
]


# --- the machinery: residuals in SymPy, derivatives generated ------------------------------------


@functools.cache
def _helical_theta_function():
    """The angle θ(x₁, x₂) of problem 7 as a SymPy function with a NumPy implementation.

    MGH define 2πθ = arctan(x₂/x₁) for x₁ > 0 and arctan(x₂/x₁) + π for x₁ < 0 (and ±π/2 at
    x₁ = 0, as in MINPACK), so θ ∈ [−¼, ¾): it jumps by 1 across the ray x₁ < 0, x₂ = 0 only in
    atan2's convention, never in MGH's. Its derivatives are those of atan2(x₂, x₁)/(2π).
    """
    import sympy as sp

    class mgh_theta(sp.Function):  # noqa: N801 (SymPy function names are lower case)
        nargs = 2

        def fdiff(self, argindex=1):
            x1, x2 = self.args
            r2 = 2 * sp.pi * (x1**2 + x2**2)
            return -x2 / r2 if argindex == 1 else x1 / r2

    def numeric(x1, x2):
        # atan2/(2π) lies in (−½, ½]; shifting by ¼ and wrapping gives MGH's range [−¼, ¾)
        return np.mod(np.arctan2(x2, x1) / (2 * np.pi) + 0.25, 1.0) - 0.25

    return mgh_theta, {"mgh_theta": numeric}


class MGHProblem(SymbolicLeastSquares):
    """A least-squares test problem of Moré, Garbow & Hillstrom (1981) with exact Hessians.

    f(x) = ½‖r(x)‖², ∇f = Jᵀr, ∇²f = JᵀJ + Σᵢ rᵢ∇²rᵢ (see
    :class:`~optlib.problems.symbolic.SymbolicLeastSquares`). Build one with the module's
    functions (``mgh.rosenbrock``, ``mgh.bard``, ``mgh.watson``, …) or :func:`classic_suite`;
    the attributes are described in the module docstring.

    Args:
      number: the problem's number in the paper.
      name: a short name.
      x0: the standard start.
      build: see :class:`~optlib.problems.symbolic.SymbolicLeastSquares`.
      m: the number of residuals.
      f_star_published: the paper's minimum value (of Σ rᵢ²).
      x_star, x_star_published, other_minima: see the module docstring.
      cache_key: shares the generated functions among instances (see
        :class:`~optlib.problems.symbolic.SymbolicLeastSquares`); the module's functions use
        ``"mgh:" + name``.
    """

    def __init__(
        self,
        number,
        name,
        x0,
        build,
        m,
        f_star_published,
        x_star=None,
        x_star_published=None,
        other_minima=(),
        cache_key=None,
    ):
        self.number = number
        self.x0 = as_vector(x0, "x0")
        self.n = self.x0.size
        self.m = m
        self.f_star_published = float(f_star_published)
        self.f_star = 0.5 * self.f_star_published
        self.x_star = None if x_star is None else as_vector(x_star, "x_star", self.n)
        self.x_star_published = x_star_published
        self.other_minima = tuple(other_minima)
        super().__init__(build, name=name, cache_key=cache_key)


def _symbols(n):
    import sympy as sp

    return sp.symbols(f"x1:{n + 1}", real=True)


def _numpy_modules(extra=None):
    return [extra, "numpy"] if extra else ["numpy"]


def _problem(number, name, x0, m, f_published, exprs_fn, **kwargs):
    """An MGHProblem whose ``exprs_fn(sympy, xs)`` returns its list of blocks."""

    def build():
        import sympy as sp

        xs = _symbols(len(x0))
        blocks, extra = exprs_fn(sp, xs)
        return xs, blocks, _numpy_modules(extra)

    return MGHProblem(number, name, x0, build, m, f_published, cache_key=f"mgh:{name}", **kwargs)


# --- the problems --------------------------------------------------------------------------------


def rosenbrock():
    """MGH 1, Rosenbrock: r = (10(x₂ − x₁²), 1 − x₁); f* = 0 at (1, 1)."""

    def exprs(sp, x):
        return [_Block([10 * (x[1] - x[0] ** 2), 1 - x[0]])], None

    return _problem(1, "rosenbrock", [-1.2, 1.0], 2, 0.0, exprs, x_star=[1.0, 1.0])


def freudenstein_roth():
    """MGH 2, Freudenstein & Roth: f* = 0 at (5, 4); a local minimum 48.9842… at
    (11.41…, −0.8968…)."""

    def exprs(sp, x):
        r1 = -13 + x[0] + ((5 - x[1]) * x[1] - 2) * x[1]
        r2 = -29 + x[0] + ((x[1] + 1) * x[1] - 14) * x[1]
        return [_Block([r1, r2])], None

    return _problem(
        2,
        "freudenstein_roth",
        [0.5, -2.0],
        2,
        0.0,
        exprs,
        x_star=[5.0, 4.0],
        other_minima=((48.9842, (11.41, -0.8968)),),
    )


def powell_badly_scaled():
    """MGH 3, Powell badly scaled: r = (10⁴x₁x₂ − 1, e^(−x₁) + e^(−x₂) − 1.0001); f* = 0 at
    (1.098…e−5, 9.106…)."""

    def exprs(sp, x):
        return [_Block([10**4 * x[0] * x[1] - 1, sp.exp(-x[0]) + sp.exp(-x[1]) - 1.0001])], None

    return _problem(
        3,
        "powell_badly_scaled",
        [0.0, 1.0],
        2,
        0.0,
        exprs,
        x_star=[1.0981593296998175e-05, 9.106146739866524],
        x_star_published=(1.098e-5, 9.106),
    )


def brown_badly_scaled():
    """MGH 4, Brown badly scaled: r = (x₁ − 10⁶, x₂ − 2·10⁻⁶, x₁x₂ − 2); f* = 0 at
    (10⁶, 2·10⁻⁶)."""

    def exprs(sp, x):
        return [_Block([x[0] - 10**6, x[1] - sp.Rational(2, 10**6), x[0] * x[1] - 2])], None

    return _problem(4, "brown_badly_scaled", [1.0, 1.0], 3, 0.0, exprs, x_star=[1e6, 2e-6])


def beale():
    """MGH 5, Beale: rᵢ = yᵢ − x₁(1 − x₂ⁱ), y = (1.5, 2.25, 2.625); f* = 0 at (3, 0.5)."""

    def exprs(sp, x):
        y = [sp.Rational(3, 2), sp.Rational(9, 4), sp.Rational(21, 8)]
        return [_Block([y[i - 1] - x[0] * (1 - x[1] ** i) for i in (1, 2, 3)])], None

    return _problem(5, "beale", [1.0, 1.0], 3, 0.0, exprs, x_star=[3.0, 0.5])


def jennrich_sampson(m=10):
    """MGH 6, Jennrich & Sampson: rᵢ = 2 + 2i − (e^(i x₁) + e^(i x₂)), i = 1…m; for m = 10,
    f* = 124.362 at (0.2578…, 0.2578…)."""
    if m != 10:
        raise ValueError(f"m must be 10 (the paper's published case), got {m!r}")

    def exprs(sp, x):
        i = sp.Symbol("i")
        expr = 2 + 2 * i - (sp.exp(i * x[0]) + sp.exp(i * x[1]))
        return [_Block([expr], {i: np.arange(1, m + 1)})], None

    return _problem(
        6,
        "jennrich_sampson",
        [0.3, 0.4],
        m,
        124.362,
        exprs,
        x_star=[0.2578252136703641, 0.2578252136703641],
        x_star_published=(0.2578, 0.2578),
    )


def helical_valley():
    """MGH 7, helical valley: r = (10(x₃ − 10θ), 10(√(x₁² + x₂²) − 1), x₃); f* = 0 at (1, 0, 0)."""

    def exprs(sp, x):
        theta, numeric = _helical_theta_function()
        r1 = 10 * (x[2] - 10 * theta(x[0], x[1]))
        r2 = 10 * (sp.sqrt(x[0] ** 2 + x[1] ** 2) - 1)
        return [_Block([r1, r2, x[2]])], numeric

    return _problem(7, "helical_valley", [-1.0, 0.0, 0.0], 3, 0.0, exprs, x_star=[1.0, 0.0, 0.0])


_BARD_Y = [0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39]


def bard():
    """MGH 8, Bard: rᵢ = yᵢ − (x₁ + uᵢ/(vᵢx₂ + wᵢx₃)), uᵢ = i, vᵢ = 16 − i, wᵢ = min(uᵢ, vᵢ);
    f* = 8.21487e−3; f → 17.4286 at (0.8406…, −∞, −∞)."""

    def exprs(sp, x):
        u, v, w, y = sp.symbols("u v w y")
        i = np.arange(1, 16)
        rows = {u: i, v: 16 - i, w: np.minimum(i, 16 - i), y: _BARD_Y}
        return [_Block([y - (x[0] + u / (v * x[1] + w * x[2]))], rows)], None

    return _problem(
        8, "bard", [1.0, 1.0, 1.0], 15, 8.21487e-3, exprs, other_minima=((17.4286, None),)
    )


_GAUSSIAN_Y = [0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989]
_GAUSSIAN_Y = _GAUSSIAN_Y + _GAUSSIAN_Y[-2::-1]  # symmetric about t = 0


def gaussian():
    """MGH 9, Gaussian: rᵢ = x₁ exp(−x₂(tᵢ − x₃)²/2) − yᵢ, tᵢ = (8 − i)/2; f* = 1.12793e−8."""

    def exprs(sp, x):
        t, y = sp.symbols("t y")
        i = np.arange(1, 16)
        expr = x[0] * sp.exp(-x[1] * (t - x[2]) ** 2 / 2) - y
        return [_Block([expr], {t: (8 - i) / 2, y: _GAUSSIAN_Y})], None

    return _problem(9, "gaussian", [0.4, 1.0, 0.0], 15, 1.12793e-8, exprs)


#: Meyer's thermistor data (MGH problem 10): temperatures tᵢ = 45 + 5i (°C), i = 1…16, and
#: resistances yᵢ (Ω); the model is y = x₁ exp(x₂/(t + x₃)).
MEYER_T = 45.0 + 5.0 * np.arange(1, 17)
MEYER_Y = np.array(
    [34780, 28610, 23650, 19630, 16370, 13720, 11540, 9744]
    + [8261, 7030, 6005, 5147, 4427, 3820, 3307, 2872],
    dtype=float,
)


def meyer():
    """MGH 10, Meyer: rᵢ = x₁ exp(x₂/(tᵢ + x₃)) − yᵢ (:data:`MEYER_T`, :data:`MEYER_Y`);
    f* = 87.9458."""

    def exprs(sp, x):
        t, y = sp.symbols("t y")
        return [_Block([x[0] * sp.exp(x[1] / (t + x[2])) - y], {t: MEYER_T, y: MEYER_Y})], None

    return _problem(10, "meyer", [0.02, 4000.0, 250.0], 16, 87.9458, exprs)


def gulf(m=99):
    """MGH 11, Gulf research and development: rᵢ = exp(−|yᵢ − x₂|^x₃ / x₁) − tᵢ, tᵢ = i/100,
    yᵢ = 25 + (−50 ln tᵢ)^(2/3), i = 1…m; f* = 0 at (50, 25, 1.5).

    The paper allows 3 ≤ m ≤ 100 and fixes none; we take m = 99, the usual choice (CUTEst's
    GULF, Buckley 1989): with m = 100 the last row has y₁₀₀ = 25 = x₂* and |yᵢ − x₂|^x₃ is not
    twice differentiable there.
    """
    if not 3 <= m <= 99:
        raise ValueError(f"m must be an integer in [3, 99], got {m!r}")

    def exprs(sp, x):
        t, y = sp.symbols("t y")
        ti = np.arange(1, m + 1) / 100
        yi = 25 + (-50 * np.log(ti)) ** (2 / 3)
        # |y − x₂|^x₃ written as ((y − x₂)²)^(x₃/2): the same value, and smooth for y ≠ x₂
        expr = sp.exp(-(((y - x[1]) ** 2) ** (x[2] / 2)) / x[0]) - t
        return [_Block([expr], {t: ti, y: yi})], None

    return _problem(11, "gulf", [5.0, 2.5, 0.15], m, 0.0, exprs, x_star=[50.0, 25.0, 1.5])


def box_3d(m=10):
    """MGH 12, Box three-dimensional: rᵢ = e^(−tᵢx₁) − e^(−tᵢx₂) − x₃(e^(−tᵢ) − e^(−10tᵢ)),
    tᵢ = i/10, i = 1…m (m = 10); f* = 0 at (1, 10, 1), at (10, 1, −1) and wherever x₁ = x₂,
    x₃ = 0."""

    def exprs(sp, x):
        t = sp.Symbol("t")
        expr = sp.exp(-t * x[0]) - sp.exp(-t * x[1]) - x[2] * (sp.exp(-t) - sp.exp(-10 * t))
        return [_Block([expr], {t: np.arange(1, m + 1) / 10})], None

    return _problem(12, "box_3d", [0.0, 10.0, 20.0], m, 0.0, exprs, x_star=[1.0, 10.0, 1.0])


def powell_singular():
    """MGH 13, Powell singular: r = (x₁ + 10x₂, √5(x₃ − x₄), (x₂ − 2x₃)², √10(x₁ − x₄)²);
    f* = 0 at the origin, where the Hessian is singular."""

    def exprs(sp, x):
        return [
            _Block(
                [
                    x[0] + 10 * x[1],
                    sp.sqrt(5) * (x[2] - x[3]),
                    (x[1] - 2 * x[2]) ** 2,
                    sp.sqrt(10) * (x[0] - x[3]) ** 2,
                ]
            )
        ], None

    return _problem(13, "powell_singular", [3.0, -1.0, 0.0, 1.0], 4, 0.0, exprs, x_star=np.zeros(4))


def wood():
    """MGH 14, Wood: r = (10(x₂ − x₁²), 1 − x₁, √90(x₄ − x₃²), 1 − x₃, √10(x₂ + x₄ − 2),
    (x₂ − x₄)/√10); f* = 0 at (1, 1, 1, 1)."""

    def exprs(sp, x):
        return [
            _Block(
                [
                    10 * (x[1] - x[0] ** 2),
                    1 - x[0],
                    sp.sqrt(90) * (x[3] - x[2] ** 2),
                    1 - x[2],
                    sp.sqrt(10) * (x[1] + x[3] - 2),
                    (x[1] - x[3]) / sp.sqrt(10),
                ]
            )
        ], None

    return _problem(14, "wood", [-3.0, -1.0, -3.0, -1.0], 6, 0.0, exprs, x_star=np.ones(4))


_KOWALIK_U = [4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625]
_KOWALIK_Y = [0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323, 0.0235]
_KOWALIK_Y = _KOWALIK_Y + [0.0246]


def kowalik_osborne():
    """MGH 15, Kowalik & Osborne: rᵢ = yᵢ − x₁(uᵢ² + uᵢx₂)/(uᵢ² + uᵢx₃ + x₄); f* = 3.07505e−4;
    f → 1.02734e−3 at (+∞, −14.07…, −∞, −∞)."""

    def exprs(sp, x):
        u, y = sp.symbols("u y")
        expr = y - x[0] * (u**2 + u * x[1]) / (u**2 + u * x[2] + x[3])
        return [_Block([expr], {u: _KOWALIK_U, y: _KOWALIK_Y})], None

    return _problem(
        15,
        "kowalik_osborne",
        [0.25, 0.39, 0.415, 0.39],
        11,
        3.07505e-4,
        exprs,
        other_minima=((1.02734e-3, None),),
    )


def brown_dennis(m=20):
    """MGH 16, Brown & Dennis: rᵢ = (x₁ + tᵢx₂ − e^tᵢ)² + (x₃ + x₄ sin tᵢ − cos tᵢ)², tᵢ = i/5,
    i = 1…m (m = 20); f* = 85822.2."""
    if m != 20:
        raise ValueError(f"m must be 20 (the paper's published case), got {m!r}")

    def exprs(sp, x):
        t = sp.Symbol("t")
        expr = (x[0] + t * x[1] - sp.exp(t)) ** 2 + (x[2] + x[3] * sp.sin(t) - sp.cos(t)) ** 2
        return [_Block([expr], {t: np.arange(1, m + 1) / 5})], None

    return _problem(16, "brown_dennis", [25.0, 5.0, -5.0, -1.0], m, 85822.2, exprs)


_OSBORNE1_Y = [
    *(0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751),
    *(0.718, 0.685, 0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490),
    *(0.478, 0.467, 0.457, 0.448, 0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406),
]


def osborne1():
    """MGH 17, Osborne 1: rᵢ = yᵢ − (x₁ + x₂e^(−tᵢx₄) + x₃e^(−tᵢx₅)), tᵢ = 10(i − 1), i = 1…33;
    f* = 5.46489e−5."""

    def exprs(sp, x):
        t, y = sp.symbols("t y")
        expr = y - (x[0] + x[1] * sp.exp(-t * x[3]) + x[2] * sp.exp(-t * x[4]))
        return [_Block([expr], {t: 10.0 * np.arange(33), y: _OSBORNE1_Y})], None

    return _problem(17, "osborne1", [0.5, 1.5, -1.0, 0.01, 0.02], 33, 5.46489e-5, exprs)


def biggs_exp6(m=13):
    """MGH 18, Biggs EXP6: rᵢ = x₃e^(−tᵢx₁) − x₄e^(−tᵢx₂) + x₆e^(−tᵢx₅) − yᵢ, tᵢ = i/10,
    yᵢ = e^(−tᵢ) − 5e^(−10tᵢ) + 3e^(−4tᵢ), i = 1…m (m = 13); f* = 0 at (1, 10, 1, 5, 4, 3), and
    the paper reports the local minimum 5.65565e−3."""
    if m != 13:
        raise ValueError(f"m must be 13 (the paper's published case), got {m!r}")

    def exprs(sp, x):
        t = sp.Symbol("t")
        y = sp.exp(-t) - 5 * sp.exp(-10 * t) + 3 * sp.exp(-4 * t)
        expr = x[2] * sp.exp(-t * x[0]) - x[3] * sp.exp(-t * x[1]) + x[5] * sp.exp(-t * x[4]) - y
        return [_Block([expr], {t: np.arange(1, m + 1) / 10})], None

    return _problem(
        18,
        "biggs_exp6",
        [1.0, 2.0, 1.0, 1.0, 1.0, 1.0],
        m,
        0.0,
        exprs,
        x_star=[1.0, 10.0, 1.0, 5.0, 4.0, 3.0],
        other_minima=((5.65565e-3, None),),
    )


_OSBORNE2_Y = [
    *(1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725, 0.746, 0.679),
    *(0.608, 0.655, 0.616, 0.606, 0.602, 0.626, 0.651, 0.724, 0.649, 0.649, 0.694, 0.644),
    *(0.624, 0.661, 0.612, 0.558, 0.533, 0.495, 0.500, 0.423, 0.395, 0.375, 0.372, 0.391),
    *(0.396, 0.405, 0.428, 0.429, 0.523, 0.562, 0.607, 0.653, 0.672, 0.708, 0.633, 0.668),
    *(0.645, 0.632, 0.591, 0.559, 0.597, 0.625, 0.739, 0.710, 0.729, 0.720, 0.636, 0.581),
    *(0.428, 0.292, 0.162, 0.098, 0.054),
]


def osborne2():
    """MGH 19, Osborne 2: rᵢ = yᵢ − (x₁e^(−tᵢx₅) + x₂e^(−(tᵢ−x₉)²x₆) + x₃e^(−(tᵢ−x₁₀)²x₇)
    + x₄e^(−(tᵢ−x₁₁)²x₈)), tᵢ = (i − 1)/10, i = 1…65; f* = 4.01377e−2."""

    def exprs(sp, x):
        t, y = sp.symbols("t y")
        model = x[0] * sp.exp(-t * x[4])
        for amp, width, centre in ((1, 5, 8), (2, 6, 9), (3, 7, 10)):
            model += x[amp] * sp.exp(-((t - x[centre]) ** 2) * x[width])
        return [_Block([y - model], {t: np.arange(65) / 10, y: _OSBORNE2_Y})], None

    x0 = [1.3, 0.65, 0.65, 0.7, 0.6, 3.0, 5.0, 7.0, 2.0, 4.5, 5.5]
    return _problem(19, "osborne2", x0, 65, 4.01377e-2, exprs)


_WATSON_F = {6: 2.28767e-3, 9: 1.39976e-6, 12: 4.72238e-10}


def watson(n=6):
    """MGH 20, Watson: rᵢ = Σⱼ₌₂ⁿ (j−1)xⱼtᵢ^(j−2) − (Σⱼ₌₁ⁿ xⱼtᵢ^(j−1))² − 1, tᵢ = i/29,
    i = 1…29; r₃₀ = x₁, r₃₁ = x₂ − x₁² − 1; f* = 2.28767e−3 (n = 6), 1.39976e−6 (n = 9),
    4.72238e−10 (n = 12)."""
    if n not in _WATSON_F:
        raise ValueError(f"n must be one of {sorted(_WATSON_F)} (published cases), got {n!r}")

    def exprs(sp, x):
        t = sp.Symbol("t")
        s1 = sum((j - 1) * x[j - 1] * t ** (j - 2) for j in range(2, n + 1))
        s2 = sum(x[j - 1] * t ** (j - 1) for j in range(1, n + 1))
        data = _Block([s1 - s2**2 - 1], {t: np.arange(1, 30) / 29})
        return [data, _Block([x[0], x[1] - x[0] ** 2 - 1])], None

    return _problem(20, f"watson{n}", np.zeros(n), 31, _WATSON_F[n], exprs)


def _check_n(n, allowed, argument="n"):
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not allowed(n):
        raise ValueError(f"{argument} has no published case here: got {n!r}")
    return int(n)


def extended_rosenbrock(n=10):
    """MGH 21, extended Rosenbrock (n even): r₂ᵢ₋₁ = 10(x₂ᵢ − x₂ᵢ₋₁²), r₂ᵢ = 1 − x₂ᵢ₋₁; f* = 0 at
    (1, …, 1). (For large n use the vectorised :class:`ExtendedRosenbrock`.)"""
    n = _check_n(n, lambda k: 2 <= k <= 40 and k % 2 == 0)

    def exprs(sp, x):
        # all 10(x₂ᵢ − x₂ᵢ₋₁²) first, then all 1 − x₂ᵢ₋₁: the order of the terms does not change f
        odd, even = x[0::2], x[1::2]
        curved = [10 * (b - a**2) for a, b in zip(odd, even, strict=True)]
        return [_Block(curved + [1 - a for a in odd])], None

    x0 = np.tile([-1.2, 1.0], n // 2)
    return _problem(21, f"ext_rosenbrock{n}", x0, n, 0.0, exprs, x_star=np.ones(n))


def extended_powell(n=8):
    """MGH 22, extended Powell singular (n a multiple of 4): Powell's singular function (MGH 13)
    on each block of four; f* = 0 at the origin."""
    n = _check_n(n, lambda k: 4 <= k <= 40 and k % 4 == 0)

    def exprs(sp, x):
        a, b, c, d = x[0::4], x[1::4], x[2::4], x[3::4]
        return [
            _Block(
                [ai + 10 * bi for ai, bi in zip(a, b, strict=True)]
                + [sp.sqrt(5) * (ci - di) for ci, di in zip(c, d, strict=True)]
                + [(bi - 2 * ci) ** 2 for bi, ci in zip(b, c, strict=True)]
                + [sp.sqrt(10) * (ai - di) ** 2 for ai, di in zip(a, d, strict=True)]
            )
        ], None

    x0 = np.tile([3.0, -1.0, 0.0, 1.0], n // 4)
    return _problem(22, f"ext_powell{n}", x0, n, 0.0, exprs, x_star=np.zeros(n))


_PENALTY1_F = {4: 2.24997e-5, 10: 7.08765e-5}


def penalty1(n=10):
    """MGH 23, penalty I: rᵢ = √a(xᵢ − 1), i = 1…n, a = 10⁻⁵, rₙ₊₁ = Σⱼ xⱼ² − ¼;
    f* = 2.24997e−5 (n = 4), 7.08765e−5 (n = 10)."""
    n = _check_n(n, lambda k: k in _PENALTY1_F)

    def exprs(sp, x):
        sqrt_a = sp.sqrt(sp.Rational(1, 10**5))
        return [
            _Block([sqrt_a * (xi - 1) for xi in x] + [sum(xi**2 for xi in x) - sp.Rational(1, 4)])
        ], None

    return _problem(23, f"penalty1_{n}", np.arange(1.0, n + 1), n + 1, _PENALTY1_F[n], exprs)


_PENALTY2_F = {4: 9.37629e-6, 10: 2.93660e-4}


def penalty2(n=10):
    """MGH 24, penalty II: r₁ = x₁ − 0.2; rᵢ = √a(e^(xᵢ/10) + e^(xᵢ₋₁/10) − yᵢ), 2 ≤ i ≤ n;
    rᵢ = √a(e^(xᵢ₋ₙ₊₁/10) − e^(−1/10)), n < i < 2n; r₂ₙ = Σⱼ (n − j + 1)xⱼ² − 1; a = 10⁻⁵,
    yᵢ = e^(i/10) + e^((i−1)/10); f* = 9.37629e−6 (n = 4), 2.93660e−4 (n = 10)."""
    n = _check_n(n, lambda k: k in _PENALTY2_F)

    def exprs(sp, x):
        sqrt_a = sp.sqrt(sp.Rational(1, 10**5))
        e = [sp.exp(xi / 10) for xi in x]
        first = [x[0] - sp.Rational(1, 5)]
        pairs = [
            sqrt_a
            * (e[i - 1] + e[i - 2] - (sp.exp(sp.Rational(i, 10)) + sp.exp(sp.Rational(i - 1, 10))))
            for i in range(2, n + 1)
        ]
        singles = [sqrt_a * (e[i - n] - sp.exp(sp.Rational(-1, 10))) for i in range(n + 1, 2 * n)]
        last = [sum((n - j) * x[j] ** 2 for j in range(n)) - 1]
        return [_Block(first + pairs + singles + last)], None

    return _problem(24, f"penalty2_{n}", np.full(n, 0.5), 2 * n, _PENALTY2_F[n], exprs)


def variably_dimensioned(n=10):
    """MGH 25, variably dimensioned: rᵢ = xᵢ − 1, i = 1…n, rₙ₊₁ = Σⱼ j(xⱼ − 1), rₙ₊₂ = rₙ₊₁²;
    x₀ⱼ = 1 − j/n; f* = 0 at (1, …, 1)."""
    n = _check_n(n, lambda k: 2 <= k <= 40)

    def exprs(sp, x):
        s = sum((j + 1) * (x[j] - 1) for j in range(n))
        return [_Block([xi - 1 for xi in x] + [s, s**2])], None

    x0 = 1 - np.arange(1, n + 1) / n
    return _problem(25, f"variably_dim{n}", x0, n + 2, 0.0, exprs, x_star=np.ones(n))


def trigonometric(n=10):
    """MGH 26, trigonometric: rᵢ = n − Σⱼ cos xⱼ + i(1 − cos xᵢ) − sin xᵢ, i = 1…n; x₀ = 1/n;
    f* = 0 (for n = 10 the paper also reports the local minimum 2.79506e−5)."""
    n = _check_n(n, lambda k: 2 <= k <= 40)

    def exprs(sp, x):
        c = sum(sp.cos(xi) for xi in x)
        return [
            _Block([n - c + i * (1 - sp.cos(x[i - 1])) - sp.sin(x[i - 1]) for i in range(1, n + 1)])
        ], None

    other = ((2.79506e-5, None),) if n == 10 else ()
    return _problem(26, f"trigonometric{n}", np.full(n, 1 / n), n, 0.0, exprs, other_minima=other)


_CHEBYQUAD_F = {2: 0.0, 4: 0.0, 6: 0.0, 8: 3.51687e-3, 9: 0.0, 10: 6.50395e-3}


def chebyquad(n=8):
    """MGH 35, Chebyquad (m = n): rᵢ = (1/n) Σⱼ Tᵢ*(xⱼ) − ∫₀¹ Tᵢ*, with Tᵢ* the Chebyshev
    polynomial shifted to [0, 1] (∫₀¹ Tᵢ* = 0 for odd i, −1/(i² − 1) for even i);
    x₀ⱼ = j/(n + 1); f* = 0 for n ≤ 7 and n = 9, 3.51687e−3 for n = 8, 6.50395e−3 for n = 10."""
    n = _check_n(n, lambda k: k in _CHEBYQUAD_F)

    def build():
        return _Chebyquad(n)

    x0 = np.arange(1, n + 1) / (n + 1)
    name = f"chebyquad{n}"
    return MGHProblem(35, name, x0, build, n, _CHEBYQUAD_F[n], cache_key=f"mgh:{name}")


class _Chebyquad:
    """Chebyquad's r, J and Σᵢ rᵢ∇²rᵢ, hand-coded: rᵢ is a sum of one polynomial in each xⱼ,
    so the generated version would differentiate n² large polynomials (seconds to build).

    With u = 2x − 1, T₀ = 1, T₁ = u, Tₖ₊₁ = 2uTₖ − Tₖ₋₁; differentiating the recurrence once
    and twice in u gives T′ₖ₊₁ = 2Tₖ + 2uT′ₖ − T′ₖ₋₁ and T″ₖ₊₁ = 4T′ₖ + 2uT″ₖ − T″ₖ₋₁; the chain
    rule gives d/dx = 2 d/du.
    """

    def __init__(self, n):
        self.n = self.m = n
        i = np.arange(1, n + 1)
        self.integral = np.where(i % 2 == 0, -1.0 / np.maximum(i * i - 1.0, 1.0), 0.0)  # ∫₀¹ Tᵢ*

    def _tables(self, x):
        # rows k = 0…n: T_k(u), T′_k(u), T″_k(u) at u = 2x − 1, one column per coordinate
        u = 2.0 * np.asarray(x, dtype=float) - 1.0
        T, D, D2 = (np.zeros((self.n + 1, u.size)) for _ in range(3))
        T[0], T[1], D[1] = 1.0, u, 1.0
        for k in range(1, self.n):  # over the degree, vectorised over the coordinates
            T[k + 1] = 2 * u * T[k] - T[k - 1]
            D[k + 1] = 2 * T[k] + 2 * u * D[k] - D[k - 1]
            D2[k + 1] = 4 * D[k] + 2 * u * D2[k] - D2[k - 1]
        return T[1:], 2.0 * D[1:], 4.0 * D2[1:]

    def residuals(self, x):
        return self._tables(x)[0].mean(axis=1) - self.integral

    def jac(self, x):
        return self._tables(x)[1] / self.n

    def second_order(self, x, r):
        # ∇²rᵢ is diagonal, with entries Tᵢ*″(xⱼ)/n
        return np.diag(r @ self._tables(x)[2] / self.n)


#: The names of :func:`classic_suite`'s problems, in MGH order.
SUITE_NAMES = (
    "rosenbrock",
    "freudenstein_roth",
    "powell_badly_scaled",
    "brown_badly_scaled",
    "beale",
    "jennrich_sampson",
    "helical_valley",
    "bard",
    "gaussian",
    "meyer",
    "gulf",
    "box_3d",
    "powell_singular",
    "wood",
    "kowalik_osborne",
    "brown_dennis",
    "osborne1",
    "biggs_exp6",
    "osborne2",
    "watson6",
    "watson9",
    "ext_rosenbrock10",
    "ext_powell8",
    "penalty1_4",
    "penalty1_10",
    "penalty2_4",
    "penalty2_10",
    "variably_dim10",
    "trigonometric10",
    "chebyquad8",
    "chebyquad10",
)

_FACTORIES = {
    "rosenbrock": rosenbrock,
    "freudenstein_roth": freudenstein_roth,
    "powell_badly_scaled": powell_badly_scaled,
    "brown_badly_scaled": brown_badly_scaled,
    "beale": beale,
    "jennrich_sampson": jennrich_sampson,
    "helical_valley": helical_valley,
    "bard": bard,
    "gaussian": gaussian,
    "meyer": meyer,
    "gulf": gulf,
    "box_3d": box_3d,
    "powell_singular": powell_singular,
    "wood": wood,
    "kowalik_osborne": kowalik_osborne,
    "brown_dennis": brown_dennis,
    "osborne1": osborne1,
    "biggs_exp6": biggs_exp6,
    "osborne2": osborne2,
    "watson6": functools.partial(watson, 6),
    "watson9": functools.partial(watson, 9),
    "ext_rosenbrock10": functools.partial(extended_rosenbrock, 10),
    "ext_powell8": functools.partial(extended_powell, 8),
    "penalty1_4": functools.partial(penalty1, 4),
    "penalty1_10": functools.partial(penalty1, 10),
    "penalty2_4": functools.partial(penalty2, 4),
    "penalty2_10": functools.partial(penalty2, 10),
    "variably_dim10": functools.partial(variably_dimensioned, 10),
    "trigonometric10": functools.partial(trigonometric, 10),
    "chebyquad8": functools.partial(chebyquad, 8),
    "chebyquad10": functools.partial(chebyquad, 10),
}


def problem(name):
    """The suite problem called ``name`` (one of ``SUITE_NAMES``), a fresh instance."""
    if name not in _FACTORIES:
        raise ValueError(f"name must be one of {SUITE_NAMES}, got {name!r}")
    return _FACTORIES[name]()


def classic_suite(names=SUITE_NAMES):
    """Fresh instances of the MGH problems ``names`` (default: all of ``SUITE_NAMES``).

    Cheap to call: the derivatives of a problem are generated at its first evaluation and
    shared by all its instances afterwards.
    """
    return [problem(name) for name in names]


class ExtendedRosenbrock(Problem):
    """MGH problem 21 for large even n, vectorised: f(x) = ½ Σᵢ (r₂ᵢ₋₁² + r₂ᵢ²) with
    r₂ᵢ₋₁ = 10(x₂ᵢ − x₂ᵢ₋₁²), r₂ᵢ = 1 − x₂ᵢ₋₁ (i = 1…n/2): n/2 uncoupled 2-D Rosenbrock valleys,
    half the MGH value, so each pair contributes 50(x₂ᵢ − x₂ᵢ₋₁²)² + ½(1 − x₂ᵢ₋₁)².

    Exact f, gradient and Hessian-vector product in O(n) time and memory (the Hessian is
    block-diagonal with 2×2 blocks); the residuals and their Jacobian, as a dense matrix, only
    for small n. The start is x₀ = (−1.2, 1, −1.2, 1, …), the minimum f* = 0 at (1, …, 1).

    Args:
      n: an even number of variables ≥ 2.

    Example:
      >>> p = ExtendedRosenbrock(10**6)
      >>> p.fun(p.x0), p.fun(p.x_star)
      (6050000.0, 0.0)
      >>> p.grad(p.x0)[:2]
      array([-107.8,  -44. ])
    """

    overflow_warnings = False  # inf or NaN at a diverging iterate is a result

    def __init__(self, n=10**4):
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2 or n % 2:
            raise ValueError(f"n must be an even integer >= 2, got {n!r}")
        self.n = int(n)
        self.number = 21
        super().__init__(
            self.fun, grad=self.grad, hessp=self.hessp, name=f"ext_rosenbrock (n={self.n})"
        )
        self.x0 = np.tile([-1.2, 1.0], self.n // 2)
        self.x_star = np.ones(self.n)
        self.f_star = 0.0
        self.f_star_published = 0.0

    def fun(self, x):
        a, b = x[0::2], x[1::2]
        return 0.5 * float(np.sum(100.0 * (b - a * a) ** 2 + (1.0 - a) ** 2))

    def grad(self, x):
        a, b = x[0::2], x[1::2]
        inner = b - a * a
        g = np.empty_like(x, dtype=float)
        g[0::2] = -200.0 * a * inner - (1.0 - a)  # ∂/∂a of 50(b − a²)² + ½(1 − a)²
        g[1::2] = 100.0 * inner
        return g

    def fun_and_grad(self, x):
        a, b = x[0::2], x[1::2]
        inner = b - a * a
        one_minus_a = 1.0 - a
        fun = 0.5 * float(np.sum(100.0 * inner * inner + one_minus_a * one_minus_a))
        g = np.empty_like(x, dtype=float)
        g[0::2] = -200.0 * a * inner - one_minus_a
        g[1::2] = 100.0 * inner
        return fun, g

    def hessp(self, x, v):
        # each 2×2 block: [[600a² − 200b + 1, −200a], [−200a, 100]]
        a, b = x[0::2], x[1::2]
        va, vb = v[0::2], v[1::2]
        hv = np.empty_like(x, dtype=float)
        hv[0::2] = (600.0 * a * a - 200.0 * b + 1.0) * va - 200.0 * a * vb
        hv[1::2] = -200.0 * a * va + 100.0 * vb
        return hv

    def residuals(self, x):
        """r(x), ordered as in MGH (r₂ᵢ₋₁, r₂ᵢ interleaved)."""
        r = np.empty_like(x, dtype=float)
        r[0::2] = 10.0 * (x[1::2] - x[0::2] ** 2)
        r[1::2] = 1.0 - x[0::2]
        return r

    def jac(self, x):
        """J(x) as a dense (n, n) array (for small n: it has only 3n/2 nonzeros)."""
        J = np.zeros((self.n, self.n))
        k = np.arange(0, self.n, 2)
        J[k, k] = -20.0 * x[0::2]
        J[k, k + 1] = 10.0
        J[k + 1, k] = -1.0
        return J
