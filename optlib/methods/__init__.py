"""The optimisation methods, one file each. Build one from its hyper-parameters and pass it to
:func:`optlib.minimize`; or pass its name (a key of :data:`NAMES`) with ``options``."""

from optlib.methods.gradient_descent import GradientDescent

__all__ = ["GradientDescent", "NAMES", "by_name"]

#: Method names for the SciPy-style call ``minimize(f, x0, method=name, options={...})``.
NAMES = {
    "gd": GradientDescent,
    "gradient_descent": GradientDescent,
}


def by_name(name, **options):
    """The method called ``name`` (case-insensitive), built with ``options``."""
    try:
        cls = NAMES[name.lower()]
    except KeyError:
        raise ValueError(f"method {name!r} is not known; choose one of {sorted(NAMES)}") from None
    return cls(**options)
