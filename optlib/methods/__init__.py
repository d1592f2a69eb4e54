"""The optimisation methods, one file each. Build one from its hyper-parameters and pass it to
:func:`optlib.minimize`; or pass its name (a key of ``NAMES``) with ``options``."""

from optlib.methods.adagrad import Adagrad
from optlib.methods.adahessian import AdaHessian
from optlib.methods.adam import Adam
from optlib.methods.adamw import AdamW
from optlib.methods.bfgs import BFGS
from optlib.methods.delta_bar_delta import DeltaBarDelta
from optlib.methods.gauss_newton import GaussNewton
from optlib.methods.gradient_descent import GradientDescent
from optlib.methods.lbfgs import LBFGS
from optlib.methods.levenberg_marquardt import LevenbergMarquardt
from optlib.methods.lookahead import Lookahead
from optlib.methods.momentum import Momentum
from optlib.methods.nesterov import Nesterov, nesterov_schedule
from optlib.methods.newton import Newton
from optlib.methods.newton_cg import NewtonCG
from optlib.methods.nonlinear_cg import NonlinearCG
from optlib.methods.rmsprop import RMSProp

__all__ = [
    "GradientDescent",
    "Momentum",
    "Nesterov",
    "nesterov_schedule",
    "DeltaBarDelta",
    "Adagrad",
    "RMSProp",
    "Adam",
    "AdamW",
    "Lookahead",
    "NonlinearCG",
    "BFGS",
    "LBFGS",
    "Newton",
    "GaussNewton",
    "LevenbergMarquardt",
    "NewtonCG",
    "AdaHessian",
    "NAMES",
    "by_name",
]

#: Method names for the SciPy-style call ``minimize(f, x0, method=name, options={...})``.
NAMES = {
    "gd": GradientDescent,
    "gradient_descent": GradientDescent,
    "momentum": Momentum,
    "heavy_ball": Momentum,
    "nesterov": Nesterov,
    "nag": Nesterov,
    "delta_bar_delta": DeltaBarDelta,
    "adagrad": Adagrad,
    "rmsprop": RMSProp,
    "adam": Adam,
    "adamw": AdamW,
    "lookahead": Lookahead,
    "cg": NonlinearCG,
    "nonlinear_cg": NonlinearCG,
    "bfgs": BFGS,
    "lbfgs": LBFGS,
    "l-bfgs": LBFGS,
    "newton": Newton,
    "gauss_newton": GaussNewton,
    "levenberg_marquardt": LevenbergMarquardt,
    "lm": LevenbergMarquardt,
    "newton_cg": NewtonCG,
    "newton-cg": NewtonCG,
    "adahessian": AdaHessian,
}


def by_name(name, **options):
    """The method called ``name`` (case-insensitive), built with ``options``."""
    try:
        cls = NAMES[name.lower()]
    except KeyError:
        raise ValueError(f"method {name!r} is not known; choose one of {sorted(NAMES)}") from None
    return cls(**options)
