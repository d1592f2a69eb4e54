"""Least-squares curve fits on real published data, with certified answers.

Each is a :class:`CurveFit`: data (tᵢ, yᵢ), a model y ≈ g(t; b), and residuals rᵢ = g(tᵢ; b) − yᵢ,
so f(b) = ½‖r(b)‖² (half the residual sum of squares); the Jacobian and the exact Hessian are
generated from the model (see :mod:`optlib.problems.symbolic`).

The NIST fits come from the NIST Statistical Reference Datasets for nonlinear regression
(NIST/ITL StRD, https://www.itl.nist.gov/div898/strd/nls/nls_main.shtml): each has two
starting points (start 1 far from the solution, start 2 near it) and *certified* parameters and
residual sum of squares, computed by NIST in 128-bit arithmetic and given to 11 significant
digits. They are the standard check that a least-squares solver, and the data typed into it,
are right.

==========================  ===========  ====  ========================================
dataset                     difficulty   m×p   model g(t; b)
==========================  ===========  ====  ========================================
:func:`misra1a`             lower        14×2  b₁(1 − e^(−b₂t))
:func:`boxbod`              higher        6×2  b₁(1 − e^(−b₂t))
:func:`thurber`             higher       37×7  (b₁ + b₂t + b₃t² + b₄t³)/(1 + b₅t + b₆t² + b₇t³)
:func:`nist_mgh09`          higher       11×4  b₁(t² + tb₂)/(t² + tb₃ + b₄)   (Kowalik–Osborne)
:func:`meyer_thermistor`    higher       16×3  b₁ exp(b₂/(t + b₃))   (NIST MGH10, Meyer)
==========================  ===========  ====  ========================================

Example:
  >>> p = misra1a()
  >>> p.m, p.n, p.t[:3], p.y[:3]
  (14, 2, array([ 77.6, 114.9, 141.1]), array([10.07, 14.73, 17.94]))
  >>> f"{2 * p.fun(p.x_star):.10e}", p.rss_certified    # 11 significant digits agree
  ('1.2455138894e-01', 0.12455138894)
"""

from __future__ import annotations

import numpy as np

from optlib.problem import as_vector
from optlib.problems.mgh import MEYER_T, MEYER_Y
from optlib.problems.symbolic import Block, SymbolicLeastSquares

__all__ = [
    "CurveFit",
    "misra1a",
    "boxbod",
    "thurber",
    "nist_mgh09",
    "meyer_thermistor",
    "nist_suite",
    "NIST_NAMES",
]


class CurveFit(SymbolicLeastSquares):
    """Fit y ≈ g(t; b) to data by least squares: rᵢ(b) = g(tᵢ; b) − yᵢ, f(b) = ½‖r(b)‖².

    Args:
      t, y: the data, arrays of one length m.
      model: ``model(sympy, b, t) -> expression``, g(t; b) in SymPy (``b`` a tuple of symbols).
      starts: the starting points (the first becomes ``x0``).
      name: a label.
      certified: the certified parameters (become ``x_star``), if known.
      certified_std: their certified standard deviations.
      rss_certified: the certified residual sum of squares Σ rᵢ² (``f_star`` is half of it).
      difficulty: NIST's level ("lower", "average", "higher").
      reference: where the data come from.
      cache_key: shares the generated functions among instances of one dataset (see
        :class:`~optlib.problems.symbolic.SymbolicLeastSquares`); None: each instance its own.

    Attributes: ``t``, ``y``, ``m``, ``n`` (the number of parameters), ``x0``, ``starts``,
    ``x_star``, ``f_star``, ``rss_certified``, ``certified_std``, ``difficulty``, ``reference``;
    ``predict(b, t)`` evaluates the model.
    """

    def __init__(
        self,
        t,
        y,
        model,
        starts,
        name,
        certified=None,
        certified_std=None,
        rss_certified=None,
        difficulty=None,
        reference=None,
        cache_key=None,
    ):
        self.t = as_vector(t, "t")
        self.y = as_vector(y, "y", self.t.size)
        self.m = self.t.size
        self.starts = tuple(as_vector(s, "starts[i]") for s in starts)
        if not self.starts:
            raise ValueError("starts must hold at least one starting point")
        self.n = self.starts[0].size
        if any(s.size != self.n for s in self.starts):
            raise ValueError("starts must all have one length")
        self.x0 = self.starts[0]
        self.x_star = None if certified is None else as_vector(certified, "certified", self.n)
        self.certified_std = None if certified_std is None else np.asarray(certified_std, float)
        self.rss_certified = None if rss_certified is None else float(rss_certified)
        self.f_star = None if rss_certified is None else 0.5 * float(rss_certified)
        self.difficulty = difficulty
        self.reference = reference
        self._model = model
        self._predict = None

        def build():
            import sympy as sp

            b = sp.symbols(f"b1:{self.n + 1}", real=True)
            ts, ys = sp.symbols("t y", real=True)
            return b, [Block([model(sp, b, ts) - ys], {ts: self.t, ys: self.y})], ["numpy"]

        super().__init__(build, name=name, cache_key=cache_key)

    def predict(self, b, t=None):
        """g(t; b), at the data's t by default."""
        if self._predict is None:
            import sympy as sp

            bs = sp.symbols(f"b1:{self.n + 1}", real=True)
            ts = sp.Symbol("t", real=True)
            self._predict = sp.lambdify([bs, ts], self._model(sp, bs, ts), modules="numpy")
        t = self.t if t is None else np.asarray(t, dtype=float)
        return np.broadcast_to(self._predict(np.asarray(b, dtype=float), t), t.shape).copy()


_NIST = "NIST/ITL StRD nonlinear regression, dataset {} ({} level of difficulty)"


def _exponential_rise(sp, b, t):
    return b[0] * (1 - sp.exp(-b[1] * t))


_MISRA1A_Y = [10.07, 14.73, 17.94, 23.93, 29.61, 35.18, 40.02]
_MISRA1A_Y += [44.82, 50.76, 55.05, 61.01, 66.40, 75.47, 81.78]
_MISRA1A_T = [77.6, 114.9, 141.1, 190.8, 239.9, 289.0, 332.8]
_MISRA1A_T += [378.4, 434.8, 477.3, 536.8, 593.1, 689.1, 760.0]


def misra1a():
    """Misra1a (NIST StRD, lower difficulty): dental research, monomolecular adsorption
    (Misra, NIST 1978); volume y against pressure t, y = b₁(1 − e^(−b₂t)); 14 observations."""
    return CurveFit(
        _MISRA1A_T,
        _MISRA1A_Y,
        _exponential_rise,
        starts=([500.0, 1e-4], [250.0, 5e-4]),
        name="nist_misra1a",
        cache_key="nist_misra1a",
        certified=[2.3894212918e02, 5.5015643181e-04],
        certified_std=[2.7070075241e00, 7.2668688436e-06],
        rss_certified=1.2455138894e-01,
        difficulty="lower",
        reference=_NIST.format("Misra1a", "lower"),
    )


def boxbod():
    """BoxBOD (NIST StRD, higher difficulty): biochemical oxygen demand y (mg/l) against
    incubation time t (days) (Box, Hunter & Hunter 1978, pp. 483–487), y = b₁(1 − e^(−b₂t));
    6 observations."""
    return CurveFit(
        [1.0, 2.0, 3.0, 5.0, 7.0, 10.0],
        [109.0, 149.0, 149.0, 191.0, 213.0, 224.0],
        _exponential_rise,
        starts=([1.0, 1.0], [100.0, 0.75]),
        name="nist_boxbod",
        cache_key="nist_boxbod",
        certified=[2.1380940889e02, 5.4723748542e-01],
        certified_std=[1.2354515176e01, 1.0455993237e-01],
        rss_certified=1.1680088766e03,
        difficulty="higher",
        reference=_NIST.format("BoxBOD", "higher"),
    )


_THURBER_Y = [
    *(80.574, 84.248, 87.264, 87.195, 89.076, 89.608, 89.868, 90.101, 92.405, 95.854),
    *(100.696, 101.060, 401.672, 390.724, 567.534, 635.316, 733.054, 759.087, 894.206),
    *(990.785, 1090.109, 1080.914, 1122.643, 1178.351, 1260.531, 1273.514, 1288.339),
    *(1327.543, 1353.863, 1414.509, 1425.208, 1421.384, 1442.962, 1464.350, 1468.705),
    *(1447.894, 1457.628),
]
_THURBER_T = [
    *(-3.067, -2.981, -2.921, -2.912, -2.840, -2.797, -2.702, -2.699, -2.633, -2.481),
    *(-2.363, -2.322, -1.501, -1.460, -1.274, -1.212, -1.100, -1.046, -0.915, -0.714),
    *(-0.566, -0.545, -0.400, -0.309, -0.109, -0.103, 0.010, 0.119, 0.377, 0.790),
    *(0.963, 1.006, 1.115, 1.572, 1.841, 2.047, 2.200),
]


def _thurber_model(sp, b, t):
    return (b[0] + b[1] * t + b[2] * t**2 + b[3] * t**3) / (
        1 + b[4] * t + b[5] * t**2 + b[6] * t**3
    )


def thurber():
    """Thurber (NIST StRD, higher difficulty): semiconductor electron mobility y against the
    log of the density t (Thurber, NIST 197?); a cubic/cubic rational model; 37 observations."""
    return CurveFit(
        _THURBER_T,
        _THURBER_Y,
        _thurber_model,
        starts=(
            [1000.0, 1000.0, 400.0, 40.0, 0.7, 0.3, 0.03],
            [1300.0, 1500.0, 500.0, 75.0, 1.0, 0.4, 0.05],
        ),
        name="nist_thurber",
        cache_key="nist_thurber",
        certified=[
            *(1.2881396800e03, 1.4910792535e03, 5.8323836877e02, 7.5416644291e01),
            *(9.6629502864e-01, 3.9797285797e-01, 4.9727297349e-02),
        ],
        certified_std=[
            *(4.6647963344e00, 3.9571156086e01, 2.8698696102e01, 5.5675370270e00),
            *(3.1333340687e-02, 1.4984928198e-02, 6.5842344623e-03),
        ],
        rss_certified=5.6427082397e03,
        difficulty="higher",
        reference=_NIST.format("Thurber", "higher"),
    )


_MGH09_T = [4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625]
_MGH09_Y = [0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627]
_MGH09_Y += [0.0456, 0.0342, 0.0323, 0.0235, 0.0246]


def nist_mgh09():
    """MGH09 (NIST StRD, higher difficulty): the Kowalik–Osborne data (MGH problem 15;
    Kowalik & Osborne 1978), y = b₁(t² + tb₂)/(t² + tb₃ + b₄); 11 observations. NIST notes the
    local minimum at (+∞, −14.07…, −∞, −∞) with residual sum of squares 1.02734…e−3."""
    return CurveFit(
        _MGH09_T,
        _MGH09_Y,
        lambda sp, b, t: b[0] * (t**2 + t * b[1]) / (t**2 + t * b[2] + b[3]),
        starts=([25.0, 39.0, 41.5, 39.0], [0.25, 0.39, 0.415, 0.39]),
        name="nist_mgh09",
        cache_key="nist_mgh09",
        certified=[1.9280693458e-01, 1.9128232873e-01, 1.2305650693e-01, 1.3606233068e-01],
        certified_std=[1.1435312227e-02, 1.9633220911e-01, 8.0842031232e-02, 9.0025542308e-02],
        rss_certified=3.0750560385e-04,
        difficulty="higher",
        reference=_NIST.format("MGH09", "higher"),
    )


def meyer_thermistor():
    """Meyer's thermistor data (MGH problem 10; NIST StRD MGH10, higher difficulty): resistance
    y (Ω) against temperature t (°C), y = b₁ exp(b₂/(t + b₃)); 16 observations (Meyer 1970).

    The same data and model as :func:`optlib.problems.mgh.meyer`, as a curve fit with ``t`` and
    ``y``; start 2 is MGH's x₀, and the certified sum of squares 87.945855171 is MGH's
    f* = 87.9458. The curve fit of book chapter 10 (Gauss–Newton and Levenberg–Marquardt)."""
    return CurveFit(
        MEYER_T,
        MEYER_Y,
        lambda sp, b, t: b[0] * sp.exp(b[1] / (t + b[2])),
        starts=([2.0, 400000.0, 25000.0], [0.02, 4000.0, 250.0]),
        name="nist_mgh10",
        cache_key="nist_mgh10",
        certified=[5.6096364710e-03, 6.1813463463e03, 3.4522363462e02],
        certified_std=[1.5687892471e-04, 2.3309021107e01, 7.8486103508e-01],
        rss_certified=8.7945855171e01,
        difficulty="higher",
        reference=_NIST.format("MGH10", "higher"),
    )


_FACTORIES = {
    "misra1a": misra1a,
    "boxbod": boxbod,
    "thurber": thurber,
    "mgh09": nist_mgh09,
    "mgh10": meyer_thermistor,
}

#: The names of :func:`nist_suite`'s datasets.
NIST_NAMES = tuple(_FACTORIES)


def nist_suite(names=NIST_NAMES):
    """Fresh instances of the NIST curve fits ``names`` (default: all of ``NIST_NAMES``)."""
    unknown = [name for name in names if name not in _FACTORIES]
    if unknown:
        raise ValueError(f"names must be among {NIST_NAMES}, got {unknown}")
    return [_FACTORIES[name]() for name in names]
