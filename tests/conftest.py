"""Shared helpers for the optlib tests: random SPD matrices and problems that count their calls."""

from __future__ import annotations

import json
import os
import time

import numpy as np
import pytest
from hypothesis import settings

import optlib
from optlib.problems import Quadratic

# Every kernel the tests start (nbval, the graded notebooks, nbgrader, JupyterLab, a fresh
# environment) runs with one BLAS thread: two test processes whose kernels each start a thread per
# core slow each other down by half as much again. `make test` also starts the test processes
# themselves with one thread (their numpy is loaded before this line runs); a bare `pytest` keeps
# the library's default in this process.
os.environ["OMP_NUM_THREADS"] = os.environ["OPENBLAS_NUM_THREADS"] = "1"

# Deterministic: the same examples on every run (derandomize) and no example database, so a run
# does not depend on what earlier runs found; a failing example is printed in full.
settings.register_profile("optlib", database=None, deadline=None, derandomize=True)
settings.load_profile("optlib")


def make_spd(n, seed, low=0.1, high=10.0):
    """(A, Q, lam): A = Q diag(lam) Qᵀ with Q a random orthogonal matrix and lam in [low, high]."""
    rng = np.random.default_rng(seed)
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    Q = Q * np.sign(np.diag(R))  # a uniformly distributed orthogonal matrix
    lam = rng.uniform(low, high, size=n)
    A = (Q * lam) @ Q.T
    return 0.5 * (A + A.T), Q, lam


class Calls:
    """Counts the calls of the callables it wraps, by name."""

    def __init__(self):
        self.f = 0
        self.grad = 0
        self.hessp = 0
        self.hess = 0

    def wrap(self, fn, name):
        def counted(*args):
            setattr(self, name, getattr(self, name) + 1)
            return fn(*args)

        return counted


def counting_problem(f, grad=None, hessp=None):
    """(Problem, Calls): a Problem whose f, grad and hessp are counting closures."""
    calls = Calls()
    problem = optlib.Problem(
        calls.wrap(f, "f"),
        grad=None if grad is None else calls.wrap(grad, "grad"),
        hessp=None if hessp is None else calls.wrap(hessp, "hessp"),
        name="counted",
    )
    return problem, calls


class CountingQuadratic(Quadratic):
    """A Quadratic (so exact line search accepts it) whose every evaluation is counted.

    ``fun_and_grad`` is one call of f and one of grad, as the oracle counts it.
    """

    def __init__(self, A, b=None):
        super().__init__(A, b)
        self.calls = Calls()

    def fun(self, x):
        self.calls.f += 1
        return super().fun(x)

    def grad(self, x):
        self.calls.grad += 1
        return super().grad(x)

    def fun_and_grad(self, x):
        return self.fun(x), self.grad(x)

    def hessp(self, x, v):
        self.calls.hessp += 1
        return super().hessp(x, v)

    def hess(self, x):
        self.calls.hess += 1
        return super().hess(x)


def assert_same_path(actual, expected, rel=1e-12):
    """max |actual − expected| ≤ rel · max |expected| over the whole path."""
    assert actual.shape == expected.shape
    assert np.all(np.isfinite(expected)), "the reference run itself diverged"
    err = np.max(np.abs(actual - expected))
    scale = np.max(np.abs(expected))
    assert err <= rel * scale, f"max deviation {err:.3g} > {rel:g} × {scale:.3g}"


@pytest.fixture(scope="session")
def same_path():
    """:func:`assert_same_path`: two runs' iterates agree to a relative tolerance."""
    return assert_same_path


@pytest.fixture(scope="session")
def spd():
    """The :func:`make_spd` factory."""
    return make_spd


@pytest.fixture(scope="session")
def counted():
    """The :func:`counting_problem` factory."""
    return counting_problem


@pytest.fixture(scope="session")
def counting_quadratic():
    """The :class:`CountingQuadratic` class."""
    return CountingQuadratic


class WolfeSearchSpy:
    """Stands in for ``optlib.linesearch.strong_wolfe`` and records every search a method makes
    as (x, g, d, alpha0, alpha); the searches whose indices are in ``fail_on`` fail instead."""

    def __init__(self, monkeypatch, fail_on=()):
        self.calls = []
        self.fail_on = set(fail_on)
        self.real = optlib.linesearch.strong_wolfe
        monkeypatch.setattr(optlib.linesearch, "strong_wolfe", self)

    def __call__(self, oracle, x, fun, grad, d, alpha0, c1, c2):
        if len(self.calls) in self.fail_on:
            self.calls.append((x.copy(), grad.copy(), d.copy(), alpha0, None))
            raise optlib.method.MethodFailure("spy: this search fails")
        result = self.real(oracle, x, fun, grad, d, alpha0, c1, c2)
        self.calls.append((x.copy(), grad.copy(), d.copy(), alpha0, result.alpha))
        return result


@pytest.fixture
def search_spy(monkeypatch):
    """``search_spy(fail_on=())`` installs a :class:`WolfeSearchSpy` for one test."""
    return lambda fail_on=(): WolfeSearchSpy(monkeypatch, fail_on)


def pytest_sessionstart(session):
    session.config.started_at = time.time()


def pytest_terminal_summary(terminalreporter, config):
    """After a run that visited the website (tests/test_site.py): each page's weight, console
    errors and serious accessibility violations, and the size of the whole site."""
    import site_audit as audit

    path = audit.SUMMARY
    if not path.exists() or path.stat().st_mtime < getattr(config, "started_at", time.time()):
        return
    summary = json.loads(path.read_text())
    write = terminalreporter.write_line
    terminalreporter.section("website")
    write(f"{'page':<44} {'weight':>9} {'errors':>7} {'axe':>4}")
    for page, found in summary["pages"].items():
        weight = found["weight"] / 1e6
        write(f"{page:<44} {weight:>7.2f}MB {found['errors']:>7} {found['violations']:>4}")
    write(f"whole site: {summary['site'] / 1e6:.1f} MB in _build/html")
