"""Plotting helpers, one per kind of figure the book draws. Matplotlib only; no numerics here."""

from __future__ import annotations

import numpy as np

__all__ = ["contour_paths", "convergence", "profile_plot", "decade_label"]

#: The book's colours for successive paths or curves (colour-blind safe, Okabe & Ito).
COLORS = ["#d55e00", "#0072b2", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"]


def _grid_values(problem, xs, ys):
    X, Y = np.meshgrid(xs, ys)
    points = np.stack([X.ravel(), Y.ravel()], axis=1)
    if "quadratic" in problem.provides:  # vectorised ½xᵀAx − bᵀx on every grid point
        values = 0.5 * np.einsum("pi,ij,pj->p", points, problem.A, points) - points @ problem.b
    else:
        values = np.array([problem.fun(p) for p in points])
    return X, Y, values.reshape(X.shape)


def contour_paths(ax, problem, paths=None, *, xlim, ylim, levels=12, resolution=160, title=None):
    """Level sets of a 2-D problem with optimisation paths drawn on top.

    Args:
      ax: a matplotlib Axes.
      problem: an :class:`optlib.Problem` in two variables.
      paths: ``{label: array (k, 2)}`` of iterates, drawn as joined dots from a square start;
        the legend names them, unless every label is empty.
      xlim, ylim: the window, (low, high) each.
      levels: a number of levels spaced geometrically above the window's minimum, or the
        explicit level values.
      title: the axes title.
    """
    xs = np.linspace(*xlim, resolution)
    ys = np.linspace(*ylim, resolution)
    X, Y, Z = _grid_values(problem, xs, ys)
    if np.isscalar(levels):
        low, high = Z.min(), Z.max()
        span = high - low
        levels = low + span * np.geomspace(1e-3, 1.0, int(levels))
    ax.contour(X, Y, Z, levels=levels, colors="0.6", linewidths=0.8)
    for i, (label, path) in enumerate((paths or {}).items()):
        path = np.asarray(path)
        color = COLORS[i % len(COLORS)]
        ax.plot(path[:, 0], path[:, 1], "o-", color=color, ms=3, lw=1.2, label=label)
        ax.plot(path[0, 0], path[0, 1], "s", color=color, ms=6)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_aspect("equal")
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    if title:
        ax.set_title(title)
    if any(paths or {}):  # a legend for the paths that have a label
        ax.legend(loc="upper right", fontsize="small", framealpha=0.9)
    return ax


def convergence(ax, curves, *, ylabel, logy=True, xlabel="iteration $k$", title=None):
    """Curves against the iteration number, one per entry of ``{label: values}``.

    A label ending in ``(theory)`` is drawn as a dashed line without markers, so that measured
    and predicted values can share one axes.
    """
    for i, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float)
        if label.endswith("(theory)"):
            ax.plot(values, "--", color="0.3", lw=1.2, label=label)
        else:
            ax.plot(values, "o-", color=COLORS[i % len(COLORS)], ms=2.5, lw=1, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def profile_plot(ax, x, fractions, *, xlabel, dashed=(), colors=None, log2=False, title=None):
    """Performance or data profiles: one step curve per entry of ``{solver: fractions}``
    against ``x`` (α or κ), the fraction of problems on the y-axis from 0 to 1.

    Solvers named in ``dashed`` (references, say) are drawn dashed; ``colors`` maps a solver to
    its colour (a reference can share its counterpart's); ``log2`` puts x on a base-2
    logarithmic axis, as performance profiles are drawn.
    """
    for i, (label, values) in enumerate(fractions.items()):
        style = "--" if label in dashed else "-"
        color = (colors or {}).get(label, COLORS[i % len(COLORS)])
        ax.step(x, values, style, where="post", color=color, lw=1.4, label=label)
    if log2:
        ax.set_xscale("log", base=2)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlim(x[0], x[-1])
    ax.set_xlabel(xlabel)
    ax.set_ylabel("fraction of problems")
    if title:
        ax.set_title(title, fontsize=10)
    ax.grid(True, alpha=0.3)
    return ax


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def decade_label(value, _position=None):
    """A log axis's tick label at a power of ten, "10⁻³" (and "1"): give it to matplotlib as
    ``ax.yaxis.set_major_formatter(decade_label)``.

    Example:
      >>> [decade_label(v) for v in (1e-3, 1.0, 100.0)]
      ['10⁻³', '1', '10²']
    """
    return "10" + str(round(np.log10(value))).translate(_SUPERSCRIPT) if value != 1 else "1"
