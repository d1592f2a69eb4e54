"""The CUTE problems of cute.py: a second, plain transcription of each published formula (f and
the start), derivatives against SymPy and against finite differences, the known minima reached
by SciPy from the standard start, and clear errors for sizes a problem does not allow."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize

import optlib
from optlib.problems import cute

SUITE = {p.cute_name: p for p in cute.cute_suite()}


# --- the second transcription: plain loops, 1-based as printed, for floats or SymPy -----------


def _one_based(x):
    return [None, *list(x)]


def ref_arwhead(x, m):
    n, X = len(x), _one_based(x)
    return sum((-4 * X[i] + 3) + (X[i] ** 2 + X[n] ** 2) ** 2 for i in range(1, n))


def ref_bdqrtic(x, m):
    n, X = len(x), _one_based(x)
    return sum(
        (3 - 4 * X[i]) ** 2
        + (X[i] ** 2 + 2 * X[i + 1] ** 2 + 3 * X[i + 2] ** 2 + 4 * X[i + 3] ** 2 + 5 * X[n] ** 2)
        ** 2
        for i in range(1, n - 3)
    )


def ref_cragglvy(x, m):
    n, X = len(x), _one_based(x)
    total = 0
    for i in range(1, (n - 2) // 2 + 1):
        a, b, c, d = X[2 * i - 1], X[2 * i], X[2 * i + 1], X[2 * i + 2]
        total += (m.exp(a) - b) ** 4 + 100 * (b - c) ** 6 + (m.tan(c - d) + c - d) ** 4
        total += a**8 + (d - 1) ** 2
    return total


def _ref_dixmaan(alpha, beta, gamma, delta, k1, k2, k3, k4):
    def f(x, m):
        n, X = len(x), _one_based(x)
        mm = n // 3
        w = [None] + [sp.Rational(i, n) if m is sp else i / n for i in range(1, n + 1)]
        total = 1
        total += sum(alpha * w[i] ** k1 * X[i] ** 2 for i in range(1, n + 1))
        total += sum(
            beta * w[i] ** k2 * X[i] ** 2 * (X[i + 1] + X[i + 1] ** 2) ** 2 for i in range(1, n)
        )
        total += sum(gamma * w[i] ** k3 * X[i] ** 2 * X[i + mm] ** 4 for i in range(1, 2 * mm + 1))
        total += sum(delta * w[i] ** k4 * X[i] * X[i + 2 * mm] for i in range(1, mm + 1))
        return total

    return f


def ref_dqdrtic(x, m):
    n, X = len(x), _one_based(x)
    return sum(X[i] ** 2 + 100 * X[i + 1] ** 2 + 100 * X[i + 2] ** 2 for i in range(1, n - 1))


def ref_edensch(x, m):
    n, X = len(x), _one_based(x)
    return 16 + sum(
        (X[i] - 2) ** 4 + (X[i] * X[i + 1] - 2 * X[i + 1]) ** 2 + (X[i + 1] + 1) ** 2
        for i in range(1, n)
    )


def ref_engval1(x, m):
    n, X = len(x), _one_based(x)
    return sum((X[i] ** 2 + X[i + 1] ** 2) ** 2 - 4 * X[i] + 3 for i in range(1, n))


def ref_liarwhd(x, m):
    n, X = len(x), _one_based(x)
    return sum(4 * (X[i] ** 2 - X[1]) ** 2 + (X[i] - 1) ** 2 for i in range(1, n + 1))


def ref_nondia(x, m):
    n, X = len(x), _one_based(x)
    return (X[1] - 1) ** 2 + sum(100 * (X[1] - X[i - 1] ** 2) ** 2 for i in range(2, n + 1))


def ref_nondquar(x, m):
    n, X = len(x), _one_based(x)
    return (
        (X[1] - X[2]) ** 2
        + sum((X[i] + X[i + 1] + X[n]) ** 4 for i in range(1, n - 1))
        + (X[n - 1] - X[n]) ** 2
    )


def ref_quartc(x, m):
    n, X = len(x), _one_based(x)
    return sum((X[i] - i) ** 4 for i in range(1, n + 1))


def ref_tridia(x, m):
    n, X = len(x), _one_based(x)
    alpha, beta, gamma, delta = 2, 1, 1, 1
    return gamma * (delta * X[1] - 1) ** 2 + sum(
        i * (alpha * X[i] - beta * X[i - 1]) ** 2 for i in range(2, n + 1)
    )


def _alternating(n):
    return [1.0 if i % 2 else -1.0 for i in range(1, n + 1)]


# name: (plain f, plain start, a small n for the SymPy check)
REFERENCE = {
    "ARWHEAD": (ref_arwhead, lambda n: [1.0] * n, 5),
    "BDQRTIC": (ref_bdqrtic, lambda n: [1.0] * n, 7),
    "CRAGGLVY": (ref_cragglvy, lambda n: [1.0] + [2.0] * (n - 1), 6),
    "DIXMAANA": (
        _ref_dixmaan(1, 0, sp.Rational(1, 8), sp.Rational(1, 8), 0, 0, 0, 0),
        lambda n: [2.0] * n,
        9,
    ),
    "DIXMAANI": (
        _ref_dixmaan(1, 0, sp.Rational(1, 8), sp.Rational(1, 8), 2, 0, 0, 2),
        lambda n: [2.0] * n,
        9,
    ),
    "DQDRTIC": (ref_dqdrtic, lambda n: [3.0] * n, 5),
    "EDENSCH": (ref_edensch, lambda n: [8.0] * n, 5),
    "ENGVAL1": (ref_engval1, lambda n: [2.0] * n, 5),
    "LIARWHD": (ref_liarwhd, lambda n: [4.0] * n, 5),
    "NONDIA": (ref_nondia, lambda n: [-1.0] * n, 5),
    "NONDQUAR": (ref_nondquar, _alternating, 6),
    "QUARTC": (ref_quartc, lambda n: [2.0] * n, 4),
    "TRIDIA": (ref_tridia, lambda n: [1.0] * n, 5),
}


def random_point(p, seed=0):
    rng = np.random.default_rng(seed)
    return p.x0 + 0.1 * (1.0 + np.abs(p.x0)) * rng.standard_normal(p.n)


def plain_value(name, x):
    """The plain transcription at x, in floats (the γ, δ of DIXMAAN are SymPy rationals: 1/8 is
    exact in binary, so float() of them is exact too)."""
    return float(REFERENCE[name][0]([float(v) for v in x], math))


# --- the tests --------------------------------------------------------------------------------


def test_the_suite_has_the_problems_asked_for():
    assert tuple(SUITE) == cute.CUTE_NAMES and len(SUITE) == 13
    assert set(SUITE) == set(REFERENCE)
    mgh_names = {"ROSENBR", "EXTROSNB", "SROSENBR", "VARDIM", "PENALTY1", "PENALTY2", "WATSON"}
    assert not set(SUITE) & mgh_names  # none of them is an MGH problem
    for p in SUITE.values():
        assert isinstance(p, optlib.Problem)
        assert p.provides == {"grad", "hessp", "hess"}
        assert p.x0.shape == (p.n,) and p.n in p.sif_sizes
        assert p.name == f"{p.cute_name.lower()}{p.n}"
        assert 20 <= p.n <= 100  # small enough for a dense Newton step


@pytest.mark.parametrize("name", cute.CUTE_NAMES)
def test_start_and_f_match_a_plain_transcription(name):
    p = SUITE[name]
    _, start, _ = REFERENCE[name]
    np.testing.assert_array_equal(p.x0, start(p.n))
    for x in (p.x0, random_point(p)):
        assert p.fun(x) == pytest.approx(plain_value(name, x), rel=1e-13, abs=1e-13)


@pytest.mark.parametrize("name", cute.CUTE_NAMES)
def test_derivatives_match_sympy_on_a_small_instance(name):
    ref, _, n = REFERENCE[name]
    p = cute.cute_problem(name, n)
    xs = sp.symbols(f"x1:{n + 1}", real=True)
    F = ref(list(xs), sp)
    G = [sp.diff(F, v) for v in xs]
    H = sp.hessian(F, xs)
    f_s = sp.lambdify([xs], F, "numpy")
    g_s = sp.lambdify([xs], G, "numpy")
    h_s = sp.lambdify([xs], H, "numpy")
    rng = np.random.default_rng(4)
    for x in (p.x0, random_point(p, 1), random_point(p, 2)):
        g = np.array(g_s(x), dtype=float)
        Hs = np.array(h_s(x), dtype=float)
        v = rng.standard_normal(n)
        assert p.fun(x) == pytest.approx(float(f_s(x)), rel=1e-13, abs=1e-13)
        np.testing.assert_allclose(p.grad(x), g, rtol=1e-12, atol=1e-12 * max(1, np.abs(g).max()))
        np.testing.assert_allclose(p.hess(x), Hs, rtol=1e-12, atol=1e-12 * max(1, np.abs(Hs).max()))
        np.testing.assert_allclose(
            p.hessp(x, v), Hs @ v, rtol=1e-11, atol=1e-11 * max(1, np.abs(Hs).max())
        )


@pytest.mark.parametrize("name", cute.CUTE_NAMES)
def test_derivatives_match_finite_differences_at_the_default_size(name):
    p = SUITE[name]
    rng = np.random.default_rng(3)
    for x in (p.x0, random_point(p)):
        g = p.grad(x)
        h = 1e-6 * np.maximum(1.0, np.abs(x))
        E = np.diag(h)
        g_fd = np.array(
            [(p.fun(x + e) - p.fun(x - e)) / (2 * hi) for e, hi in zip(E, h, strict=True)]
        )
        assert np.linalg.norm(g - g_fd) <= 1e-6 * max(1.0, np.linalg.norm(g)), name
        v = rng.standard_normal(p.n)
        hv = p.hessp(x, v)
        t = 1e-5 / np.linalg.norm(v)
        hv_fd = (p.grad(x + t * v) - p.grad(x - t * v)) / (2 * t)
        assert np.linalg.norm(hv - hv_fd) <= 1e-5 * max(1.0, np.linalg.norm(hv)), name
        H = p.hess(x)
        np.testing.assert_array_equal(H, H.T)
        np.testing.assert_allclose(H @ v, hv, rtol=1e-12, atol=1e-12 * np.abs(H).max())


def agrees_to_printed(value, printed, digits):
    """True if value agrees with ``printed`` (``digits`` significant digits, rounded or
    truncated) to within one unit of its last digit; an exact value (digits None) to 1e−8."""
    if digits is None:
        return abs(value - printed) <= 1e-8 * max(1.0, abs(printed))
    last_digit = 10.0 ** (math.floor(math.log10(abs(printed))) - (digits - 1))
    return abs(value - printed) < last_digit


# trust-exact from x0, except NONDIA (trust-exact stops at a local minimum there: see below)
METHOD = {"NONDIA": "Newton-CG"}


@pytest.mark.parametrize("name", [n for n in cute.CUTE_NAMES if SUITE[n].f_star is not None])
def test_scipy_from_the_standard_start_reaches_the_known_minimum(name):
    p = SUITE[name]
    method = METHOD.get(name, "trust-exact")
    if method == "trust-exact":
        res = minimize(
            p.fun,
            p.x0,
            jac=p.grad,
            hess=p.hess,
            method=method,
            options={"gtol": 1e-10, "maxiter": 1000},
        )
    else:
        res = minimize(
            p.fun,
            p.x0,
            jac=p.grad,
            hessp=p.hessp,
            method=method,
            options={"xtol": 1e-12, "maxiter": 1000},
        )
    assert agrees_to_printed(res.fun, p.f_star, p.f_star_digits), (name, res.fun, p.f_star)
    assert np.linalg.norm(p.grad(res.x)) <= 1e-4 * max(1.0, np.linalg.norm(p.grad(p.x0)))


@pytest.mark.parametrize("name", [n for n in cute.CUTE_NAMES if SUITE[n].x_star is not None])
def test_f_at_the_closed_form_minimiser(name):
    p = SUITE[name]
    assert p.fun(p.x_star) == pytest.approx(p.f_star, abs=1e-15)
    assert np.linalg.norm(p.grad(p.x_star)) <= 1e-12
    assert np.linalg.eigvalsh(p.hess(p.x_star)).min() >= -1e-12  # second-order necessary


def test_nondia_has_a_local_minimum_that_trust_exact_finds():
    t = sp.symbols("t")
    g = (t - 1) ** 2 + 100 * t**2 * (1 - t) ** 2
    t_local = sp.nsolve(sp.diff(g, t), t, 0.01, prec=30)
    value = float(g.subs(t, t_local))
    assert value == pytest.approx(cute.NONDIA_LOCAL_MINIMUM, rel=1e-15)
    assert float(sp.diff(g, t, 2).subs(t, t_local)) > 0
    for n in (10, 50):
        p = cute.nondia(n)
        res = minimize(p.fun, p.x0, jac=p.grad, hess=p.hess, method="trust-exact")
        assert res.fun == pytest.approx(cute.NONDIA_LOCAL_MINIMUM, rel=1e-8)
        assert res.x[0] == pytest.approx(float(t_local), rel=1e-5)
    # x_n does not appear in f: the Hessian's last row and column are zero everywhere
    H = p.hess(random_point(p))
    assert not H[-1].any() and not H[:, -1].any()


def test_engval1_is_convex_and_its_minimum_is_what_three_methods_agree_on():
    p = SUITE["ENGVAL1"]
    rng = np.random.default_rng(5)
    for _ in range(5):
        assert np.linalg.eigvalsh(p.hess(3 * rng.standard_normal(p.n))).min() >= -1e-10
    values = []
    for method in ("trust-exact", "Newton-CG", "L-BFGS-B"):
        kw = (
            {"hess": p.hess}
            if method == "trust-exact"
            else {"hessp": p.hessp}
            if method == "Newton-CG"
            else {}
        )
        res = minimize(p.fun, p.x0, jac=p.grad, method=method, **kw)
        values.append(res.fun)
    assert max(values) - min(values) < 1e-6
    assert min(values) == pytest.approx(53.582214885208, rel=1e-10)
    assert cute.engval1(2).fun(np.array([1.0, 0.0])) == 0.0


@pytest.mark.parametrize(
    "factory, n",
    [
        (cute.arwhead, 1),
        (cute.bdqrtic, 4),
        (cute.cragglvy, 7),
        (cute.cragglvy, 2),
        (cute.dqdrtic, 2),
        (cute.edensch, 1),
        (cute.engval1, 1),
        (cute.liarwhd, 1),
        (cute.nondia, 1),
        (cute.nondquar, 2),
        (cute.quartc, 0),
        (cute.tridia, 1),
        (cute.arwhead, 10.0),
        (cute.tridia, True),
        (cute.liarwhd, "100"),
    ],
)
def test_sizes_a_problem_does_not_allow_raise_naming_n(factory, n):
    with pytest.raises(ValueError, match="n must be"):
        factory(n)


def test_other_bad_arguments_raise_naming_the_argument():
    with pytest.raises(ValueError, match="n must be a positive multiple of 3"):
        cute.dixmaan("A", 100)
    with pytest.raises(ValueError, match="variant must be one of"):
        cute.dixmaan("B")
    with pytest.raises(ValueError, match="name must be one of"):
        cute.cute_problem("ROSENBR")
    with pytest.raises(ValueError, match="n must be"):
        cute.cute_suite(n=100)  # DIXMAAN needs a multiple of 3
    with pytest.raises(ValueError, match="n names problems not in the suite"):
        cute.cute_suite(names=["ARWHEAD"], n={"TRIDIA": 10})


def test_cute_suite_sizes_and_shared_generated_functions():
    small = cute.cute_suite(["ARWHEAD", "DIXMAANI"], n={"DIXMAANI": 300})
    assert [p.n for p in small] == [100, 300]
    assert [p.n for p in cute.cute_suite(["TRIDIA", "QUARTC"], n=1000)] == [1000, 1000]
    keys = set(cute._COMPILED)
    again = cute.cute_suite()
    for p in again:
        p.hess(p.x0)
    assert set(cute._COMPILED) == keys  # nothing generated twice


def test_evaluations_are_fast_and_a_dense_newton_step_is_cheap():
    for p in cute.cute_suite():
        p.hess(p.x0)  # generate the derivatives first (cached afterwards)
        times = []
        for _ in range(5):  # the best of 5: robust to a busy machine
            start = time.perf_counter()
            p.fun_and_grad(p.x0)
            np.linalg.solve(p.hess(p.x0) + 1e-8 * np.eye(p.n), -p.grad(p.x0))
            times.append(time.perf_counter() - start)
        assert min(times) < 0.05, (p.name, min(times))  # about 1 ms on a quiet machine


@pytest.mark.parametrize("name", cute.CUTE_NAMES)
def test_cute_problems_run_through_optlib_minimize(name):
    p = cute.cute_problem(name)
    res = optlib.minimize(p, p.x0, method=optlib.methods.LBFGS(), max_iter=50, gtol=0.0)
    assert np.isfinite(res.fun) and res.fun < p.fun(p.x0)
