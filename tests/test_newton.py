"""Newton's method (chapter 9) and line-search Newton–CG (chapter 15): one step on a quadratic,
quadratic and superlinear convergence, affine invariance, indefinite Hessians and their
repairs, truncated CG, Martens' damping, honest counts and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import optlib
from optlib.method import MethodFailure
from optlib.methods import GradientDescent, Newton, NewtonCG
from optlib.methods.newton import newton_direction
from optlib.methods.newton_cg import martens_damping, truncated_cg
from optlib.problems import Quadratic, Rosenbrock
from optlib.result import Status

seeds = st.integers(min_value=0, max_value=2**32 - 1)


def softplus_regression(n=12, m=40, seed=0, ridge=0.1, T=None):
    """f(x) = Σ softplus(aᵢᵀx − bᵢ) − 0.3 Σ (aᵢᵀx − bᵢ) + ½ ridge ‖x‖², strictly convex,
    with exact derivatives; with T, the same function of y where x = Ty."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((m, n))
    b = rng.standard_normal(m)
    if T is not None:
        A = A @ T
    R = ridge * (np.eye(n) if T is None else T.T @ T)

    def fun(x):
        z = A @ x - b
        return float(np.sum(np.logaddexp(0.0, z)) - 0.3 * np.sum(z) + 0.5 * x @ R @ x)

    def grad(x):
        z = A @ x - b
        return A.T @ (0.5 * (1.0 + np.tanh(0.5 * z)) - 0.3) + R @ x

    def hess(x):
        s = 0.5 * (1.0 + np.tanh(0.5 * (A @ x - b)))
        return (A.T * (s * (1.0 - s))) @ A + R

    return optlib.Problem(fun, grad=grad, hessp=lambda x, v: hess(x) @ v, hess=hess)


def saddle_problem():
    """f = x² − y² + y⁴/4: a saddle at the origin, minima f = −1 at (0, ±√2)."""
    return optlib.Problem(
        lambda z: float(z[0] ** 2 - z[1] ** 2 + z[1] ** 4 / 4),
        grad=lambda z: np.array([2 * z[0], -2 * z[1] + z[1] ** 3]),
        hess=lambda z: np.diag([2.0, -2.0 + 3 * z[1] ** 2]),
    )


# --- Newton: one step on a quadratic, quadratic convergence, affine invariance --------------------


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 8),
    seed=seeds,
    line_search=st.sampled_from(["wolfe", "armijo", None]),
    modification=st.sampled_from(["eigen", "shift", None]),
)
def test_newton_takes_one_step_to_the_minimiser_of_a_strongly_convex_quadratic(
    spd, n, seed, line_search, modification
):
    A, _, _ = spd(n, seed)
    rng = np.random.default_rng(seed + 1)
    p = Quadratic(A, rng.standard_normal(n))
    x0 = 10 * rng.standard_normal(n)
    method = Newton(line_search=line_search, modification=modification)
    res = optlib.minimize(p, x0, method=method, gtol=1e-8 * (1 + np.linalg.norm(p.grad(x0))))
    assert res.success and res.nit == 1
    np.testing.assert_allclose(res.x, p.x_star, rtol=1e-9, atol=1e-9 * np.linalg.norm(x0))
    assert (res.nfev, res.njev, res.nhev) == (2, 2, 1)  # x₀ and x₁; one Hessian


def test_newton_converges_quadratically_on_rosenbrock():
    p = Rosenbrock(2)
    res = optlib.minimize(p, p.x0, method=Newton(), gtol=1e-14, max_iter=100)
    assert res.success and 18 <= res.nit <= 30  # N&W report about 21 iterations
    errors = np.linalg.norm(res.history.x - p.x_star, axis=1)
    near = [(e, e_next) for e, e_next in zip(errors[:-1], errors[1:], strict=True) if e < 0.1]
    near = [(e, e_next) for e, e_next in near if e_next > 1e-14]  # above round-off
    assert len(near) >= 3
    ratios = [e_next / e**2 for e, e_next in near]
    assert max(ratios) < 25.0  # ‖eₖ₊₁‖ ≤ C‖eₖ‖²
    # within 1e-2 of x*, the number of correct digits about doubles at every step (2.8, 5.2, 9.2)
    digits = -np.log10(errors[(errors > 0) & (errors < 1e-2)])
    assert len(digits) >= 3 and np.all(digits[1:] >= 1.7 * digits[:-1]) and errors[-1] < 1e-14


@settings(max_examples=15, deadline=None)
@given(seed=seeds, line_search=st.sampled_from(["wolfe", "armijo", None]))
def test_newton_iterates_are_invariant_under_a_linear_change_of_variables(seed, line_search):
    n = 6
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((n, n)))
    V, _ = np.linalg.qr(rng.standard_normal((n, n)))
    T = U @ np.diag(np.geomspace(0.2, 5.0, n)) @ V  # invertible, κ(T) = 25
    fx = softplus_regression(n=n, seed=seed % 1000)
    gy = softplus_regression(n=n, seed=seed % 1000, T=T)  # g(y) = f(Ty)
    x_star = optlib.minimize(fx, np.zeros(n), method=Newton(), gtol=1e-9).x
    x0 = x_star + 0.2 * rng.standard_normal(n)  # near enough for the full step too
    y0 = np.linalg.solve(T, x0)
    method = Newton(line_search=line_search)
    rx = optlib.minimize(fx, x0, method=method, gtol=1e-7, max_iter=30)
    ry = optlib.minimize(gy, y0, method=method, gtol=0.0, max_iter=rx.nit)
    assert rx.success and ry.nit == rx.nit
    np.testing.assert_allclose(ry.history.x @ T.T, rx.history.x, rtol=0, atol=1e-9)
    np.testing.assert_allclose(ry.history.fun, rx.history.fun, rtol=1e-11, atol=1e-12)


def test_gradient_descent_is_not_invariant_under_the_same_change_of_variables():
    n = 6
    rng = np.random.default_rng(3)
    T = np.diag(np.geomspace(0.2, 5.0, n)) @ np.linalg.qr(rng.standard_normal((n, n)))[0]
    fx, gy = softplus_regression(n=n), softplus_regression(n=n, T=T)
    x0 = rng.standard_normal(n)
    gd = GradientDescent(lr=0.05)
    rx = optlib.minimize(fx, x0, method=gd, max_iter=5, gtol=0)
    ry = optlib.minimize(gy, np.linalg.solve(T, x0), method=gd, max_iter=5, gtol=0)
    assert np.linalg.norm(ry.history.x[-1] @ T.T - rx.history.x[-1]) > 1e-2


# --- indefinite Hessians: the step toward a saddle, and the repairs -------------------------------


def test_unmodified_newton_steps_to_the_saddle_then_stops_honestly():
    p = saddle_problem()
    # from (1, 0.1) the Newton step is still downhill in f (the x-part dominates) ...
    res = optlib.minimize(p, [1.0, 0.1], method=Newton(line_search=None, modification=None))
    first = res.history.x[1]
    assert abs(first[0]) < 1e-15 and abs(first[1]) < 2e-3  # ... and lands next to the saddle
    assert res.history.fun[1] < res.history.fun[0]
    # there it points uphill (toward the saddle along y): an honest failure, not a silent step
    assert res.status == Status.METHOD_FAILED and res.nit == 1
    assert "not a descent direction" in res.message and "modification" in res.message


@pytest.mark.parametrize("modification", ["eigen", "shift"])
@pytest.mark.parametrize("line_search", ["wolfe", "armijo"])
def test_modified_newton_leaves_the_saddle_for_a_minimum(modification, line_search):
    p = saddle_problem()
    x0 = np.array([0.05, 0.1])
    g, H = p.grad(x0), p.hess(x0)
    step = newton_direction(H, g, modification)
    assert g @ step < 0  # a descent direction, although H is indefinite
    assert np.linalg.eigvalsh(H)[0] < 0
    res = optlib.minimize(p, x0, method=Newton(line_search, modification), gtol=1e-10)
    assert res.success
    np.testing.assert_allclose(res.x, [0.0, np.sqrt(2.0)], atol=1e-9)
    assert res.fun == pytest.approx(-1.0, abs=1e-14)
    # the unrepaired step from there heads for the saddle: uphill, so the run fails at once
    bad = optlib.minimize(p, x0, method=Newton(line_search, None))
    assert bad.status == Status.METHOD_FAILED and bad.nit == 0


def test_eigen_modification_flips_and_floors_the_eigenvalues():
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    lam = np.array([-3.0, -1e-12, 0.5, 4.0])
    H = (Q * lam) @ Q.T
    g = rng.standard_normal(4)
    delta = 1e-6
    expected = -Q @ ((Q.T @ g) / np.array([3.0, delta, 0.5, 4.0]))
    np.testing.assert_allclose(newton_direction(H, g, "eigen", delta), expected, rtol=1e-9)
    # a positive definite H with every λ ≥ δ is left alone: the Newton step itself
    A = (Q * np.abs(lam + 1.0)) @ Q.T
    np.testing.assert_allclose(
        newton_direction(A, g, "eigen", 1e-8), np.linalg.solve(A, -g), rtol=1e-10
    )


def test_shift_modification_follows_algorithm_3_3():
    g = np.array([1.0, -2.0])
    # negative diagonal: τ₀ = β − min Hᵢᵢ, and that first shift already succeeds here
    H = np.diag([2.0, -1.97])
    tau = 1e-3 + 1.97
    np.testing.assert_allclose(newton_direction(H, g, "shift"), -g / (np.diag(H) + tau), rtol=1e-12)
    # positive diagonal but indefinite (λ = −1, 3): τ = 0 fails, then β·2ᵏ until Cholesky
    # succeeds: 1e-3·2¹⁰ = 1.024 is the first above 1
    H = np.array([[1.0, 2.0], [2.0, 1.0]])
    np.testing.assert_allclose(
        newton_direction(H, g, "shift"), np.linalg.solve(H + 1.024 * np.eye(2), -g), rtol=1e-12
    )
    np.testing.assert_allclose(
        newton_direction(H, g, "shift", beta=0.1),
        np.linalg.solve(H + 1.6 * np.eye(2), -g),  # 0.1·2⁴
        rtol=1e-12,
    )
    # positive definite: no shift
    H = np.array([[3.0, 1.0], [1.0, 2.0]])
    np.testing.assert_allclose(newton_direction(H, g, "shift"), np.linalg.solve(H, -g))


def test_a_singular_hessian_without_repair_is_a_method_failure():
    p = optlib.Problem(
        lambda z: float(z[0] ** 4 + z[1] ** 2),
        grad=lambda z: np.array([4 * z[0] ** 3, 2 * z[1]]),
        hess=lambda z: np.diag([12 * z[0] ** 2, 2.0]),
    )
    res = optlib.minimize(p, [0.0, 1.0], method=Newton(modification=None))
    assert res.status == Status.METHOD_FAILED and "singular" in res.message
    res = optlib.minimize(p, [0.0, 1.0], method=Newton(modification="eigen"))
    assert res.success and res.nit == 1


def test_a_non_finite_hessian_is_a_method_failure():
    p = optlib.Problem(
        lambda z: float(z @ z),
        grad=lambda z: 2 * z,
        hess=lambda z: np.full((2, 2), np.nan),
    )
    res = optlib.minimize(p, [1.0, 1.0], method=Newton())
    assert res.status == Status.METHOD_FAILED and "not finite" in res.message


def test_newton_counts_one_hessian_per_iteration():
    calls = {"f": 0, "g": 0, "h": 0}
    r = Rosenbrock(2)

    def counted(name, fn):
        def wrapper(*args):
            calls[name] += 1
            return fn(*args)

        return wrapper

    p = optlib.Problem(counted("f", r.fun), grad=counted("g", r.grad), hess=counted("h", r.hess))
    res = optlib.minimize(p, r.x0, method=Newton(line_search="armijo"), gtol=1e-10)
    assert res.success
    assert (res.nfev, res.njev, res.nhev) == (calls["f"], calls["g"], calls["h"])
    assert res.nhev == res.nit and res.njev == res.nit + 1


# --- truncated CG -------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 10), seed=seeds, damping=st.sampled_from([0.0, 0.3]))
def test_truncated_cg_solves_a_positive_definite_system_in_at_most_n_products(
    spd, n, seed, damping
):
    A, _, lam = spd(n, seed, low=0.5, high=5.0)
    g = np.random.default_rng(seed).standard_normal(n)
    calls = []
    out = truncated_cg(
        lambda v: calls.append(1) or A @ v, g, 1e-10 * np.linalg.norm(g), 5 * n, damping
    )
    B = A + damping * np.eye(n)
    assert out.exit == "converged" and out.iterations == len(calls) <= n + 2
    np.testing.assert_allclose(B @ out.p, -g, atol=1e-9 * np.linalg.norm(g))
    # the model decrease it reports, computed without another product
    assert out.model_decrease == pytest.approx(g @ out.p + 0.5 * out.p @ B @ out.p, rel=1e-9)


@settings(max_examples=50, deadline=None)
@given(n=st.integers(2, 10), seed=seeds, eta=st.sampled_from([0.5, 0.1, 0.01]))
def test_truncated_cg_stops_at_the_forcing_tolerance(spd, n, seed, eta):
    A, _, _ = spd(n, seed, low=0.1, high=10.0)
    g = np.random.default_rng(seed).standard_normal(n)
    out = truncated_cg(lambda v: A @ v, g, eta * np.linalg.norm(g), 10 * n)
    assert out.exit == "converged"
    assert np.linalg.norm(A @ out.p + g) <= eta * np.linalg.norm(g)
    assert g @ out.p < 0  # every CG iterate is a descent direction


def test_truncated_cg_exits_on_negative_curvature():
    g = np.array([1.0, 1.0])
    # the first direction −g already has dᵀHd ≤ 0: return −g
    out = truncated_cg(lambda v: np.array([1.0, -2.0]) * v, g, 1e-12, 10)
    assert out.exit == "negative curvature" and out.iterations == 1
    np.testing.assert_array_equal(out.p, -g)
    assert out.model_decrease == pytest.approx(-2.0 + 0.5 * (1.0 - 2.0))
    # positive along −g, negative along the next direction: return the first CG iterate
    H = np.diag([4.0, -1.0])
    g = np.array([1.0, 0.1])
    out = truncated_cg(lambda v: H @ v, g, 1e-12, 10)
    assert out.exit == "negative curvature" and out.iterations == 2
    np.testing.assert_allclose(out.p, -(g @ g) / (g @ H @ g) * g)
    # the step limit
    A = np.diag(np.arange(1.0, 11.0))
    out = truncated_cg(lambda v: A @ v, np.ones(10), 1e-12, 3)
    assert out.exit == "max_iter" and out.iterations == 3


# --- Newton–CG ----------------------------------------------------------------------------------


def test_newton_cg_with_an_exact_inner_solve_takes_one_step_on_a_quadratic(spd):
    A, _, _ = spd(6, 4)
    p = Quadratic(A, np.arange(6.0))
    res = optlib.minimize(p, np.ones(6), method=NewtonCG(forcing=1e-12), gtol=1e-9)
    assert res.success and res.nit == 1 and res.nhev <= 6
    np.testing.assert_allclose(res.x, p.x_star, rtol=1e-10)


def _tail(res, x_star, floor=1e-12):
    errors = np.linalg.norm(res.history.x - x_star, axis=1)
    return [
        (e, e_next) for e, e_next in zip(errors[:-1], errors[1:], strict=True) if e_next > floor
    ]


def test_the_forcing_term_sets_the_rate_of_newton_cg():
    p = softplus_regression(n=20, m=60)
    x_star = optlib.minimize(p, np.zeros(20), method=Newton(), gtol=1e-13).x
    x0 = np.full(20, 3.0)

    def run(forcing, gtol=1e-12):
        res = optlib.minimize(p, x0, method=NewtonCG(forcing=forcing), gtol=gtol, max_iter=200)
        assert res.success
        return _tail(res, x_star)

    # η = min(0.5, ‖∇f‖): quadratic, eₖ₊₁ ≤ C eₖ² near the solution
    quadratic = [e_next / e**2 for e, e_next in run("norm") if e < 0.1]
    assert len(quadratic) >= 3 and max(quadratic) < 10.0
    # η = min(0.5, √‖∇f‖): superlinear, the ratio eₖ₊₁/eₖ goes to zero
    ratios = [e_next / e for e, e_next in run("sqrt")]
    assert ratios[-1] < 1e-3 and ratios[-2] < 1e-2
    # a constant η = 0.5: only linear, the ratio stays away from zero
    ratios = [e_next / e for e, e_next in run(0.5, gtol=1e-9)]
    assert max(ratios[-4:]) > 0.1


def test_newton_cg_counts_every_hessian_vector_product(counted):
    r = Rosenbrock(2)
    for method in (NewtonCG(), NewtonCG(line_search="armijo"), NewtonCG(damping=1.0)):
        problem, calls = counted(r.fun, r.grad, r.hessp)
        res = optlib.minimize(problem, r.x0, method=method, gtol=1e-8)
        assert res.success
        np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-7)
        assert (res.nfev, res.njev, res.nhev) == (calls.f, calls.grad, calls.hessp)
        assert res.nhev >= res.nit


def test_martens_rule():
    assert martens_damping(2.0, 0.1) == 3.0  # ρ < ¼: μ ← (3/2)μ
    assert martens_damping(2.0, -5.0) == 3.0
    assert martens_damping(3.0, 0.9) == pytest.approx(2.0)  # ρ > ¾: μ ← (2/3)μ
    assert martens_damping(2.0, 0.5) == 2.0  # in between: unchanged
    assert martens_damping(2.0, 0.25) == 2.0 and martens_damping(2.0, 0.75) == 2.0
    assert martens_damping(2.0, 0.1, factor=2.0) == 4.0


@pytest.mark.parametrize("line_search", ["wolfe", "armijo"])
def test_damped_newton_cg_on_a_quadratic_shrinks_the_damping_by_two_thirds(spd, line_search):
    # on a quadratic the model is exact, so ρ = 1 > ¾ at every step and μₖ = μ₀(2/3)ᵏ; with an
    # exact inner solve the steps are −(A + μₖI)⁻¹∇f, taken in full (μ₀ is small enough that
    # the full step meets the Wolfe conditions)
    A, _, _ = spd(5, 7, low=1.0, high=10.0)
    p = Quadratic(A, np.ones(5))
    method = NewtonCG(forcing=1e-13, damping=2.0, line_search=line_search)
    res = optlib.minimize(p, np.full(5, 4.0), method=method, max_iter=6, gtol=0)
    xs = res.history.x
    for k in range(6):
        lam = 2.0 * (2.0 / 3.0) ** k
        expected = xs[k] - np.linalg.solve(A + lam * np.eye(5), p.grad(xs[k]))
        np.testing.assert_allclose(xs[k + 1], expected, rtol=1e-9, atol=1e-12)


def test_damped_newton_cg_raises_the_damping_after_a_bad_step():
    # f(x) = √(1 + x²): far from 0 the quadratic model promises far more than f gives
    seen = []

    def fun(x):
        seen.append(float(x[0]))
        return float(np.sqrt(1.0 + x[0] ** 2))

    def grad(x):
        return x / np.sqrt(1.0 + x**2)

    def hessp(x, v):
        return v / (1.0 + x**2) ** 1.5

    p = optlib.Problem(fun, grad=grad, hessp=hessp)
    lam0 = 0.01
    res = optlib.minimize(
        p, [2.0], method=NewtonCG(damping=lam0, line_search="armijo"), max_iter=2, gtol=0
    )
    x0, x1 = 2.0, res.history.x[1, 0]
    # the first trial is the full damped step, f rises there (ρ < 0): μ₁ = (3/2)μ₀
    first_trial = x0 - grad(np.array([x0]))[0] / (hessp(np.array([x0]), 1.0)[0] + lam0)
    assert seen[1] == pytest.approx(first_trial, rel=1e-12)
    assert fun(np.array([first_trial])) > fun(np.array([x0]))
    # the second iteration's first trial reveals μ₁: x₁ − g₁/(H₁ + μ₁)
    trial = seen[seen.index(x1) + 1]
    g1, h1 = grad(np.array([x1]))[0], hessp(np.array([x1]), 1.0)[0]
    lam1 = -g1 / (trial - x1) - h1
    assert lam1 == pytest.approx(1.5 * lam0, rel=1e-9)


# --- names, needs and bad input -------------------------------------------------------------------


def test_names_and_needs():
    assert isinstance(optlib.methods.by_name("newton"), Newton)
    assert isinstance(optlib.methods.by_name("Newton-CG"), NewtonCG)
    assert isinstance(optlib.methods.by_name("newton_cg"), NewtonCG)
    f = optlib.Problem(lambda x: float(x @ x), grad=lambda x: 2 * x)
    with pytest.raises(ValueError, match=r"needs the Hessian \(hess=\)"):
        optlib.minimize(f, [1.0], method=Newton())
    with pytest.raises(ValueError, match="needs Hessian-vector products"):
        optlib.minimize(f, [1.0], method=NewtonCG())
    res = optlib.minimize(
        lambda x: float(x @ x),
        [3.0, 4.0],
        method="newton",
        jac=lambda x: 2 * x,
        hess=lambda x: 2 * np.eye(2),
    )
    assert res.success and res.nit == 1


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"line_search": "exact"}, ValueError, r"line_search must be one of \(None, 'wolfe',"),
        ({"modification": "abs"}, ValueError, r"modification must be one of \(None, 'eigen',"),
        ({"delta": 0.0}, ValueError, "delta must be a finite number > 0"),
        ({"beta": -1.0}, ValueError, "beta must be a finite number > 0"),
        ({"c1": 0.6}, ValueError, r"c1 must lie in \(0.0, 0.5\)"),
        ({"c2": 1e-5}, ValueError, "c2 must lie in"),
        ({"delta": "small"}, TypeError, "delta must be a number"),
    ],
)
def test_newton_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        Newton(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"forcing": "quadratic"}, ValueError, r"forcing must be one of \('sqrt', 'norm'\)"),
        ({"forcing": 1.5}, ValueError, r"forcing must lie in \(0.0, 1.0\)"),
        ({"damping": 0.0}, ValueError, "damping must be a finite number > 0"),
        ({"damping_factor": 1.0}, ValueError, r"damping_factor must lie in \(1.0, inf\)"),
        ({"line_search": None}, ValueError, r"line_search must be one of \('wolfe', 'armijo'\)"),
        ({"max_cg": 0}, ValueError, "max_cg must be a whole number >= 1"),
        ({"max_cg": 2.5}, TypeError, "max_cg must be a whole number"),
        ({"c1": 0.0}, ValueError, "c1 must lie in"),
    ],
)
def test_newton_cg_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        NewtonCG(**kwargs)


def test_newton_cg_reports_a_failed_line_search_honestly():
    # f decreases without bound along every direction: the Wolfe search cannot bracket a step
    p = optlib.Problem(
        lambda x: float(-x[0] - x[1]),
        grad=lambda x: np.array([-1.0, -1.0]),
        hessp=lambda x, v: np.zeros(2),
    )
    res = optlib.minimize(p, [0.0, 0.0], method=NewtonCG())
    assert res.status == Status.METHOD_FAILED and "line search" in res.message


def test_newton_direction_raises_method_failure_on_bad_hessians():
    with pytest.raises(MethodFailure, match="singular"):
        newton_direction(np.zeros((2, 2)), np.ones(2))
    with pytest.raises(MethodFailure, match="not finite"):
        newton_direction(np.eye(2), np.array([np.inf, 0.0]))


def test_newton_methods_reach_a_gradient_tolerance_below_the_resolution_of_f():
    # Near the minimiser f changes by less than its rounding error while ‖∇f‖ is still above
    # 1e-11; the line search then decides on the slope (optlib.linesearch.ROUNDING). Without
    # that tolerance, 50 of the first 400 of these runs failed for Newton and 91 for Newton–CG.
    for seed in range(40):
        p = softplus_regression(n=10, m=30, seed=seed)
        for method in (Newton(), NewtonCG()):
            res = optlib.minimize(p, np.zeros(10), method=method, gtol=1e-11)
            assert res.success, (seed, method, res.message)
