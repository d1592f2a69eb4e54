"""The first-order methods (chapters 3–8 and 16): their iterates against independent plain-numpy
transcriptions of the documented update rules (PyTorch's algorithm boxes, Sutskever et al.,
Jacobs, Zhang et al.), their properties, minibatch runs and their arguments."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import optlib
from optlib.methods import (
    Adagrad,
    Adam,
    AdamW,
    DeltaBarDelta,
    GradientDescent,
    Lookahead,
    Momentum,
    Nesterov,
    RMSProp,
)
from optlib.methods.nesterov import nesterov_schedule
from optlib.problems import Quadratic, Rosenbrock
from optlib.result import Status

STEPS = 60


# --- reference implementations, written from the documented algorithms ---------------------------
# Each is a "stepper": called with θₜ₋₁ and a gradient function, it returns θₜ. They are plain
# transcriptions with fresh arrays every step, not copies of optlib's in-place code.


class RefSGD:
    """torch.optim.SGD's documented algorithm (weight decay λ = 0, dampening τ = 0)."""

    def __init__(self, lr, momentum, nesterov=False):
        self.lr, self.mu, self.nesterov = lr, momentum, nesterov
        self.t, self.b = 0, None

    def __call__(self, theta, grad_fn):
        self.t += 1
        g = grad_fn(theta)
        if self.mu != 0:
            self.b = self.mu * self.b + g if self.t > 1 else g
            g = g + self.mu * self.b if self.nesterov else self.b
        return theta - self.lr * g


class RefSutskever:
    """Sutskever et al. (2013), eq. (3)–(4): v ← μv − α∇f(θ + μv), θ ← θ + v, v₀ = 0."""

    def __init__(self, lr, momentum):
        self.lr, self.mu, self.v = lr, momentum, 0.0

    def __call__(self, theta, grad_fn):
        self.v = self.mu * self.v - self.lr * grad_fn(theta + self.mu * self.v)
        return theta + self.v


class RefAdagrad:
    """torch.optim.Adagrad's documented algorithm (lr decay η = 0, weight decay λ = 0)."""

    def __init__(self, lr, eps=1e-10, initial_accumulator_value=0.0):
        self.lr, self.eps, self.state_sum = lr, eps, initial_accumulator_value

    def __call__(self, theta, grad_fn):
        g = grad_fn(theta)
        self.state_sum = self.state_sum + g**2
        return theta - self.lr * g / (np.sqrt(self.state_sum) + self.eps)


class RefRMSprop:
    """torch.optim.RMSprop's documented algorithm (λ = 0)."""

    def __init__(self, lr, alpha=0.99, eps=1e-8, momentum=0.0, centered=False):
        self.lr, self.alpha, self.eps, self.v = lr, alpha, eps, 0.0
        self.mu, self.centered, self.mean, self.buf = momentum, centered, 0.0, 0.0

    def __call__(self, theta, grad_fn):
        g = grad_fn(theta)
        self.v = self.alpha * self.v + (1 - self.alpha) * g**2
        v_tilde = self.v
        if self.centered:
            self.mean = self.alpha * self.mean + (1 - self.alpha) * g
            v_tilde = self.v - self.mean**2
        if self.mu > 0:
            self.buf = self.mu * self.buf + g / (np.sqrt(v_tilde) + self.eps)
            return theta - self.lr * self.buf
        return theta - self.lr * g / (np.sqrt(v_tilde) + self.eps)


class RefAdam:
    """torch.optim.Adam's documented algorithm (λ = 0, maximize = False)."""

    def __init__(self, lr, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
        self.lr, (self.b1, self.b2), self.eps, self.amsgrad = lr, betas, eps, amsgrad
        self.t, self.m, self.v, self.v_max = 0, 0.0, 0.0, 0.0

    def __call__(self, theta, grad_fn):
        self.t += 1
        g = grad_fn(theta)
        self.m = self.b1 * self.m + (1 - self.b1) * g
        self.v = self.b2 * self.v + (1 - self.b2) * g**2
        m_hat = self.m / (1 - self.b1**self.t)
        if self.amsgrad:
            self.v_max = np.maximum(self.v_max, self.v)
            v_hat = self.v_max / (1 - self.b2**self.t)
        else:
            v_hat = self.v / (1 - self.b2**self.t)
        return theta - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class RefAdamW(RefAdam):
    """torch.optim.AdamW's documented algorithm: θₜ₋₁ is first multiplied by 1 − γλ, then
    Adam's step is taken from there (with the gradient at θₜ₋₁)."""

    def __init__(self, lr, weight_decay, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
        super().__init__(lr, betas, eps, amsgrad)
        self.weight_decay = weight_decay

    def __call__(self, theta, grad_fn):
        g = grad_fn(theta)
        return super().__call__((1 - self.lr * self.weight_decay) * theta, lambda _: g)


class RefDeltaBarDelta:
    """Jacobs (1988): per-weight rates, +κ / ×(1 − φ) on the sign of δ̄ₜ₋₁δₜ, δ̄ₜ = (1 − θ)δₜ +
    θδ̄ₜ₋₁; rates clipped to the bounds; weight change −εₜδₜ plus μ times the previous change."""

    def __init__(self, lr, kappa, phi, theta, min_lr=0.0, max_lr=np.inf, momentum=0.0):
        self.rate, self.kappa, self.phi, self.theta = lr, kappa, phi, theta
        self.bounds, self.mu = (min_lr, max_lr), momentum
        self.bar, self.change = 0.0, 0.0

    def __call__(self, theta, grad_fn):
        g = grad_fn(theta)
        sign = self.bar * g
        decreased = np.where(sign < 0, (1 - self.phi) * self.rate, self.rate)
        self.rate = np.where(sign > 0, self.rate + self.kappa, decreased)
        self.rate = np.clip(self.rate, *self.bounds)
        self.bar = (1 - self.theta) * g + self.theta * self.bar
        self.change = self.mu * self.change - self.rate * g
        return theta + self.change


def reference_path(stepper, grad_at, x0, steps):
    """θ₀ … θ_steps; ``grad_at(t)`` is the gradient function used by step t (t = 0, 1, …)."""
    path = [np.array(x0, dtype=float)]
    for t in range(steps):
        path.append(stepper(path[-1], grad_at(t)))
    return np.array(path)


def reference_lookahead_path(make_inner, grad_at, x0, steps, k, alpha, keep_state=True):
    """Zhang et al.'s Algorithm 1, recorded as optlib records it: one row per inner step, with
    the synchronised slow weights in the place of the k-th fast iterate."""
    inner = make_inner()
    slow = np.array(x0, dtype=float)
    path = [slow.copy()]
    for t in range(steps):
        fast = inner(path[-1], grad_at(t))
        if (t + 1) % k == 0:
            slow = slow + alpha * (fast - slow)
            fast = slow.copy()
            if not keep_state:
                inner = make_inner()
        path.append(fast)
    return np.array(path)


# --- the problems: a random ill-conditioned quadratic, and Rosenbrock ----------------------------


def random_quadratic(spd, n=6, seed=20):
    A, _, _ = spd(n, seed, low=0.1, high=10.0)
    rng = np.random.default_rng(seed + 1)
    return Quadratic(A, rng.standard_normal(n)), rng.standard_normal(n)


def rosenbrock():
    problem = Rosenbrock(4)
    return problem, problem.x0


# (optlib method, reference stepper factory) for each problem; the step sizes are such that the
# runs stay bounded over STEPS iterations.
QUADRATIC_CASES = {
    "gradient-descent": (GradientDescent(lr=0.1), lambda: RefSGD(0.1, 0.0)),
    "momentum-0.9": (Momentum(lr=0.05, momentum=0.9), lambda: RefSGD(0.05, 0.9)),
    "momentum-0.99": (Momentum(lr=0.02, momentum=0.99), lambda: RefSGD(0.02, 0.99)),
    "momentum-0": (Momentum(lr=0.1, momentum=0.0), lambda: RefSGD(0.1, 0.0)),
    "nesterov-0.9": (Nesterov(lr=0.05, momentum=0.9), lambda: RefSutskever(0.05, 0.9)),
    "nesterov-0.99": (Nesterov(lr=0.02, momentum=0.99), lambda: RefSutskever(0.02, 0.99)),
    "adagrad": (Adagrad(lr=0.5), lambda: RefAdagrad(0.5)),
    "adagrad-accumulator": (
        Adagrad(lr=0.3, eps=1e-6, initial_accumulator_value=0.5),
        lambda: RefAdagrad(0.3, 1e-6, 0.5),
    ),
    "rmsprop": (RMSProp(lr=0.01), lambda: RefRMSprop(0.01)),
    "rmsprop-alpha": (
        RMSProp(lr=0.01, alpha=0.95, eps=1e-4),
        lambda: RefRMSprop(0.01, 0.95, 1e-4),
    ),
    "adam": (Adam(lr=0.05), lambda: RefAdam(0.05)),
    "adam-betas": (
        Adam(lr=0.01, betas=(0.5, 0.9), eps=1e-6),
        lambda: RefAdam(0.01, (0.5, 0.9), 1e-6),
    ),
    "amsgrad": (Adam(lr=0.05, amsgrad=True), lambda: RefAdam(0.05, amsgrad=True)),
    "amsgrad-betas": (
        Adam(lr=0.05, betas=(0.0, 0.99), amsgrad=True),
        lambda: RefAdam(0.05, (0.0, 0.99), amsgrad=True),
    ),
    "adamw": (AdamW(lr=0.05, weight_decay=0.5), lambda: RefAdamW(0.05, 0.5)),
    "adamw-amsgrad": (
        AdamW(lr=0.05, betas=(0.5, 0.9), weight_decay=2.0, amsgrad=True),
        lambda: RefAdamW(0.05, 2.0, (0.5, 0.9), amsgrad=True),
    ),
    "dbd": (
        DeltaBarDelta(lr=0.02, kappa=0.005, phi=0.2, theta=0.7),
        lambda: RefDeltaBarDelta(0.02, 0.005, 0.2, 0.7),
    ),
    "dbd-bounds-momentum": (
        DeltaBarDelta(lr=0.02, kappa=0.01, phi=0.3, theta=0.5, min_lr=0.01, max_lr=0.05,
                      momentum=0.5),
        lambda: RefDeltaBarDelta(0.02, 0.01, 0.3, 0.5, 0.01, 0.05, 0.5),
    ),
}  # fmt: skip

ROSENBROCK_CASES = {
    "gradient-descent": (GradientDescent(lr=1e-3), lambda: RefSGD(1e-3, 0.0)),
    "momentum-0.9": (Momentum(lr=1e-4, momentum=0.9), lambda: RefSGD(1e-4, 0.9)),
    "momentum-0.99": (Momentum(lr=2e-5, momentum=0.99), lambda: RefSGD(2e-5, 0.99)),
    "nesterov-0.9": (Nesterov(lr=1e-4, momentum=0.9), lambda: RefSutskever(1e-4, 0.9)),
    "nesterov-0.99": (Nesterov(lr=2e-5, momentum=0.99), lambda: RefSutskever(2e-5, 0.99)),
    "adagrad": (Adagrad(lr=0.1), lambda: RefAdagrad(0.1)),
    "adagrad-accumulator": (
        Adagrad(lr=0.2, initial_accumulator_value=2.0),
        lambda: RefAdagrad(0.2, 1e-10, 2.0),
    ),
    "rmsprop": (RMSProp(lr=1e-3), lambda: RefRMSprop(1e-3)),
    "rmsprop-alpha": (RMSProp(lr=1e-2, alpha=0.9), lambda: RefRMSprop(1e-2, 0.9)),
    "rmsprop-momentum": (
        RMSProp(lr=1e-3, momentum=0.9),
        lambda: RefRMSprop(1e-3, momentum=0.9),
    ),
    "rmsprop-centered": (
        RMSProp(lr=1e-3, centered=True, momentum=0.5),
        lambda: RefRMSprop(1e-3, centered=True, momentum=0.5),
    ),
    "adam": (Adam(lr=0.01), lambda: RefAdam(0.01)),
    "adam-betas": (Adam(lr=0.02, betas=(0.8, 0.99)), lambda: RefAdam(0.02, (0.8, 0.99))),
    "amsgrad": (Adam(lr=0.01, amsgrad=True), lambda: RefAdam(0.01, amsgrad=True)),
    "adamw": (AdamW(lr=0.01, weight_decay=0.1), lambda: RefAdamW(0.01, 0.1)),
    "dbd": (
        DeltaBarDelta(lr=1e-4, kappa=2e-5, phi=0.3, theta=0.7),
        lambda: RefDeltaBarDelta(1e-4, 2e-5, 0.3, 0.7),
    ),
    "dbd-bounds-momentum": (
        DeltaBarDelta(lr=1e-4, kappa=5e-5, phi=0.5, theta=0.3, min_lr=5e-5, max_lr=3e-4,
                      momentum=0.8),
        lambda: RefDeltaBarDelta(1e-4, 5e-5, 0.5, 0.3, 5e-5, 3e-4, 0.8),
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(QUADRATIC_CASES))
def test_iterates_match_the_documented_rule_on_a_random_quadratic(spd, case, same_path):
    method, make_ref = QUADRATIC_CASES[case]
    problem, x0 = random_quadratic(spd)
    res = optlib.minimize(problem, x0, method=method, max_iter=STEPS, gtol=0.0)
    assert res.nit == STEPS
    expected = reference_path(make_ref(), lambda t: problem.grad, x0, STEPS)
    same_path(res.history.x, expected)
    assert not np.allclose(expected[-1], expected[0])  # the run moved


@pytest.mark.parametrize("case", sorted(ROSENBROCK_CASES))
def test_iterates_match_the_documented_rule_on_rosenbrock(case, same_path):
    method, make_ref = ROSENBROCK_CASES[case]
    problem, x0 = rosenbrock()
    res = optlib.minimize(problem, x0, method=method, max_iter=STEPS, gtol=0.0)
    assert res.nit == STEPS
    expected = reference_path(make_ref(), lambda t: problem.grad, x0, STEPS)
    same_path(res.history.x, expected)
    assert res.fun < problem.fun(x0)


@pytest.mark.parametrize(
    ("k", "alpha", "make_inner", "inner"),
    [
        (5, 0.5, lambda: RefSGD(0.05, 0.9), Momentum(lr=0.05, momentum=0.9)),
        (3, 0.8, lambda: RefAdam(0.05), Adam(lr=0.05)),
        (1, 0.3, lambda: RefRMSprop(0.01), RMSProp(lr=0.01)),
        (7, 0.5, lambda: RefSutskever(0.02, 0.99), Nesterov(lr=0.02, momentum=0.99)),
        (4, 0.6, lambda: RefAdagrad(0.5), Adagrad(lr=0.5)),
    ],
)
def test_lookahead_matches_algorithm_1_keeping_the_inner_state(
    spd, k, alpha, make_inner, inner, same_path
):
    problem, x0 = random_quadratic(spd)
    method = Lookahead(inner, k=k, alpha=alpha)
    res = optlib.minimize(problem, x0, method=method, max_iter=STEPS, gtol=0.0)
    expected = reference_lookahead_path(make_inner, lambda t: problem.grad, x0, STEPS, k, alpha)
    same_path(res.history.x, expected)
    if k > 1:  # resetting the inner state at each synchronisation would be another method
        reset = reference_lookahead_path(
            make_inner, lambda t: problem.grad, x0, STEPS, k, alpha, keep_state=False
        )
        assert np.max(np.abs(res.history.x - reset)) > 1e-6


def test_lookahead_on_rosenbrock_with_adam_inside(same_path):
    problem, x0 = rosenbrock()
    method = Lookahead(Adam(lr=0.01, amsgrad=True), k=6, alpha=0.4)
    res = optlib.minimize(problem, x0, method=method, max_iter=STEPS, gtol=0.0)
    expected = reference_lookahead_path(
        lambda: RefAdam(0.01, amsgrad=True), lambda t: problem.grad, x0, STEPS, 6, 0.4
    )
    same_path(res.history.x, expected)


# --- Nesterov: Sutskever's θ and PyTorch's look-ahead point -------------------------------------


@pytest.mark.parametrize(("lr", "mu"), [(0.05, 0.9), (0.02, 0.99), (0.1, 0.5)])
def test_pytorch_nesterov_rule_tracks_theta_plus_mu_v(spd, lr, mu, same_path):
    problem, x0 = random_quadratic(spd)
    res = optlib.minimize(problem, x0, method=Nesterov(lr=lr, momentum=mu), max_iter=STEPS, gtol=0)
    theta = res.history.x
    v = np.diff(theta, axis=0, prepend=theta[:1])  # vₜ = θₜ − θₜ₋₁, v₀ = 0
    look_ahead = theta + mu * v
    # PyTorch's documented SGD(nesterov=True) rule, started at θ'₀ = θ₀
    torch_form = reference_path(RefSGD(lr, mu, nesterov=True), lambda t: problem.grad, x0, STEPS)
    same_path(look_ahead, torch_form)
    # … and the two sequences are not the same thing: θₜ ≠ θ'ₜ while the iterates move
    assert np.max(np.abs(theta[1:10] - torch_form[1:10])) > 1e-3


# --- momentum schedules ----------------------------------------------------------------------


def run_path(problem, x0, method):
    return optlib.minimize(problem, x0, method=method, max_iter=STEPS, gtol=0).history.x


@pytest.mark.parametrize("make", [Momentum, Nesterov])
def test_a_constant_schedule_gives_the_constant_momentum_iterates(spd, make):
    problem, x0 = random_quadratic(spd)
    constant = run_path(problem, x0, make(lr=0.05, momentum=0.9))
    np.testing.assert_array_equal(constant, run_path(problem, x0, make(0.05, lambda t: 0.9)))


def test_a_scheduled_momentum_uses_mu_t_at_step_t(spd, same_path):
    problem, x0 = random_quadratic(spd)
    warm_up = lambda t: min(1 - 2.0 ** (-1 - np.log2(t // 10 + 1)), 0.95)  # noqa: E731
    path, buffer = [np.array(x0, dtype=float)], 0.0
    for t in range(1, STEPS + 1):
        buffer = warm_up(t) * buffer + problem.grad(path[-1])  # (3.1) with μₜ
        path.append(path[-1] - 0.05 * buffer)
    same_path(run_path(problem, x0, Momentum(lr=0.05, momentum=warm_up)), np.array(path))


def test_a_scheduled_nesterov_uses_mu_t_at_step_t(spd, same_path):
    problem, x0 = random_quadratic(spd)
    path, velocity = [np.array(x0, dtype=float)], 0.0
    for t in range(1, STEPS + 1):
        mu = nesterov_schedule(t)
        velocity = mu * velocity - 0.05 * problem.grad(path[-1] + mu * velocity)  # (4.1)
        path.append(path[-1] + velocity)  # (4.2)
    same_path(run_path(problem, x0, Nesterov(0.05, nesterov_schedule)), np.array(path))


def test_pytorch_nesterov_with_a_schedule_tracks_theta_plus_next_mu_v(spd, same_path):
    problem, x0 = random_quadratic(spd)
    theta = run_path(problem, x0, Nesterov(lr=0.05, momentum=nesterov_schedule))
    look_ahead = run_path(problem, x0, Nesterov(0.05, nesterov_schedule, form="pytorch"))
    v = np.diff(theta, axis=0, prepend=theta[:1])
    next_mu = np.array([nesterov_schedule(t + 1) for t in range(len(theta))])
    same_path(theta + next_mu[:, None] * v, look_ahead)


def test_a_schedule_value_outside_0_1_is_an_error_that_names_the_iteration():
    method = Momentum(lr=0.1, momentum=lambda t: 0.5 if t < 3 else 1.0)
    with pytest.raises(ValueError, match=r"momentum\(3\) must lie in \[0, 1\), got 1.0"):
        optlib.minimize(Quadratic(np.eye(2)), [1.0, 1.0], method=method, max_iter=10, gtol=0)


@pytest.mark.parametrize("seed", range(5))
def test_nesterov_schedule_meets_the_one_over_t_squared_bound_on_convex_quadratics(seed):
    """f(θₜ) − f* ≤ 2‖θ₀ − θ*‖² / (α(t + 1)²) for α ≤ 1/L, with singular Hessians and
    eigenvalues spread down to 1e-5, where gradient descent breaks that bound."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((20, 20)))
    lam = np.concatenate([np.zeros(4), 10 ** rng.uniform(-5, 0, 15), [1.0]])  # L = 1
    problem, x0 = Quadratic((Q * lam) @ Q.T), rng.standard_normal(20)
    nearest = Q[:, :4] @ (Q[:, :4].T @ x0)  # the minimiser closest to θ₀ (f* = 0)

    def worst_ratio_to_bound(method, lr):
        res = optlib.minimize(problem, x0, method=method, max_iter=400, gtol=0)
        t = np.arange(1, res.nit + 1)
        bound = 2 * np.sum((x0 - nearest) ** 2) / (lr * (t + 1) ** 2)
        return np.max(res.history.fun[1:] / bound)

    for lr in (1.0, 0.3):
        assert worst_ratio_to_bound(Nesterov(lr, nesterov_schedule), lr) <= 1
    assert worst_ratio_to_bound(GradientDescent(0.3), 0.3) > 1


def test_nesterov_counts_the_look_ahead_gradient(counted):
    A = np.diag([1.0, 10.0])
    problem, calls = counted(lambda x: 0.5 * x @ A @ x, lambda x: A @ x)
    res = optlib.minimize(problem, [1.0, 1.0], method=Nesterov(lr=0.05, momentum=0.9), max_iter=30)
    assert res.nit == 30
    assert (res.nfev, res.njev) == (calls.f, calls.grad)
    # ∇f at x₀ and at every θₜ (the run loop), plus one look-ahead per iteration after the first
    assert res.njev == 1 + res.nit + (res.nit - 1)
    assert res.nfev == res.nit + 1


@pytest.mark.parametrize(
    "method",
    [Momentum(lr=0.05), Adagrad(lr=0.1), RMSProp(), Adam(), DeltaBarDelta(lr=0.01)],
    ids=lambda m: type(m).__name__,
)
def test_one_gradient_per_iteration(counted, method):
    A = np.diag([1.0, 10.0])
    problem, calls = counted(lambda x: 0.5 * x @ A @ x, lambda x: A @ x)
    res = optlib.minimize(problem, [1.0, 1.0], method=method, max_iter=25)
    assert (res.nfev, res.njev, res.nhev) == (calls.f, calls.grad, 0)
    assert res.nfev == res.njev == res.nit + 1 == 26


# --- Lookahead with α = 1 is its inner method ----------------------------------------------------

INNERS = [
    Momentum(lr=0.05, momentum=0.9),
    Nesterov(lr=0.05, momentum=0.9),
    Adagrad(lr=0.5, initial_accumulator_value=0.1),
    RMSProp(lr=0.02),
    Adam(lr=0.05, amsgrad=True),
    DeltaBarDelta(lr=0.02, momentum=0.3),
    GradientDescent(line_search="wolfe"),
]


@settings(max_examples=25, deadline=None)
@given(inner=st.sampled_from(INNERS), k=st.integers(1, 8), seed=st.integers(0, 2**16))
def test_lookahead_with_alpha_one_is_the_inner_method(spd, inner, k, seed):
    # Statement: with α = 1 the slow step sets φₜ₊₁ = θₜ,ₖ exactly, and since the inner state is
    # kept, every iterate — not only those at synchronisation points — is bit-identical to the
    # inner method's, and so are the evaluation counts.
    A, _, _ = spd(4, seed)
    problem = Quadratic(A, np.random.default_rng(seed).standard_normal(4))
    x0 = np.random.default_rng(seed + 1).standard_normal(4)
    plain = optlib.minimize(problem, x0, method=inner, max_iter=40, gtol=0.0)
    wrapped = optlib.minimize(problem, x0, method=Lookahead(inner, k=k, alpha=1.0), max_iter=40,
                              gtol=0.0)  # fmt: skip
    assert wrapped.nit == plain.nit
    np.testing.assert_array_equal(wrapped.history.x, plain.history.x)
    assert (wrapped.nfev, wrapped.njev) == (plain.nfev, plain.njev)


@settings(max_examples=25, deadline=None)
@given(k=st.integers(1, 8), alpha=st.floats(0.05, 0.95), seed=st.integers(0, 2**16))
def test_lookahead_first_cycle_is_the_inner_run_then_the_interpolation(spd, k, alpha, seed):
    A, _, _ = spd(3, seed)
    problem = Quadratic(A)
    x0 = np.random.default_rng(seed).standard_normal(3)
    inner = Adam(lr=0.05)
    plain = optlib.minimize(problem, x0, method=inner, max_iter=k, gtol=0.0)
    wrapped = optlib.minimize(problem, x0, method=Lookahead(inner, k, alpha), max_iter=k, gtol=0)
    # the fast iterates θ₀,₁ … θ₀,ₖ₋₁ are the inner method's; the k-th row is φ₁ = φ₀ + α(θ₀,ₖ − φ₀)
    np.testing.assert_array_equal(wrapped.history.x[:k], plain.history.x[:k])
    np.testing.assert_allclose(
        wrapped.history.x[k], x0 + alpha * (plain.history.x[k] - x0), rtol=1e-14, atol=1e-15
    )


# --- Adam: invariance to a diagonal rescaling of the gradient -----------------------------------


def separable(d):
    """f(θ) = Σᵢ dᵢ hᵢ(θᵢ), hᵢ(s) = ¼s⁴ + ½cᵢ(s − aᵢ)²: its gradient is D times that of d = 1."""
    c = np.array([0.5, 2.0, 5.0, 1.0])
    a = np.array([1.0, -2.0, 0.5, 3.0])

    def f(x):
        return float(np.sum(d * (0.25 * x**4 + 0.5 * c * (x - a) ** 2)))

    def grad(x):
        return d * (x**3 + c * (x - a))

    return optlib.Problem(f, grad=grad, name="separable")


exponents = st.lists(st.floats(-3.0, 3.0), min_size=4, max_size=4)
log_scales = exponents.map(lambda e: 10.0 ** np.array(e))


@settings(max_examples=30, deadline=None)
@given(d=log_scales, amsgrad=st.booleans(), lr=st.floats(1e-3, 0.2))
def test_adam_with_eps_zero_is_invariant_to_diagonal_rescaling_of_the_gradient(
    d, amsgrad, lr, same_path
):
    # Statement: for f_D(θ) = Σ dᵢ hᵢ(θᵢ), ∇f_D = D ∇f_1 with D = diag(d) > 0; with ε = 0, Adam
    # (and AMSGrad) produce the same iterates on f_D as on f_1: mₜ → D mₜ, vₜ → D² vₜ, and the
    # step m̂ₜ / √v̂ₜ does not change.
    x0 = np.array([0.3, -0.7, 1.1, 2.0])
    method = Adam(lr=lr, eps=0.0, amsgrad=amsgrad)
    base = optlib.minimize(separable(np.ones(4)), x0, method=method, max_iter=50, gtol=0.0)
    scaled = optlib.minimize(separable(d), x0, method=method, max_iter=50, gtol=0.0)
    assert base.nit == scaled.nit == 50
    same_path(scaled.history.x, base.history.x, rel=1e-12)


def test_adam_invariance_holds_for_any_rescaled_gradient_oracle_but_not_with_eps():
    # The same statement with the gradient oracle of Rosenbrock multiplied by D (not itself a
    # gradient field): it only depends on the gradients received being D gₜ.
    rosen = Rosenbrock(4)
    d = np.array([1e-6, 1e-3, 1.0, 1e4])
    scaled = optlib.Problem(rosen.fun, grad=lambda x: d * rosen.grad(x))
    x0 = rosen.x0
    for eps, same in ((0.0, True), (1e-8, False)):
        method = Adam(lr=0.01, eps=eps)
        a = optlib.minimize(rosen, x0, method=method, max_iter=60, gtol=0.0)
        b = optlib.minimize(scaled, x0, method=method, max_iter=60, gtol=0.0)
        deviation = np.max(np.abs(a.history.x - b.history.x))
        if same:
            assert deviation <= 1e-12 * np.max(np.abs(a.history.x))
        else:  # ε = 1e-8 is not small next to gradients of size ~1e-6 · 200
            assert deviation > 1e-6


# --- AdamW: decoupled weight decay is not L2 regularisation -------------------------------------


def test_adamw_without_decay_is_adam_and_with_decay_is_not_adam_on_the_l2_regularised_loss(spd):
    # Adam on f + (λ/2)‖θ‖² divides the decay λθ by √v̂ like the rest of the gradient; AdamW
    # shrinks θ by 1 − αλ. For plain gradient descent the two would coincide.
    A, _, _ = spd(5, seed=3)
    problem, regularised = Quadratic(A), Quadratic(A + 0.5 * np.eye(5))
    x0 = np.linspace(-1.0, 1.0, 5)

    def path(p, method):
        return optlib.minimize(p, x0, method=method, max_iter=50, gtol=0.0).history.x

    no_decay = path(problem, AdamW(lr=0.05, weight_decay=0.0))
    np.testing.assert_array_equal(no_decay, path(problem, Adam(lr=0.05)))
    decoupled = path(problem, AdamW(lr=0.05, weight_decay=0.5))
    assert np.max(np.abs(decoupled - path(regularised, Adam(lr=0.05)))) > 1e-2
    sgd_decoupled = [x0]
    for _ in range(50):
        sgd_decoupled.append((1 - 0.05 * 0.5) * sgd_decoupled[-1] - 0.05 * A @ sgd_decoupled[-1])
    coupled = path(regularised, GradientDescent(lr=0.05))
    np.testing.assert_allclose(coupled, sgd_decoupled, atol=1e-14)


# --- momentum: the 2×2 linear recursion on a 1-D quadratic ---------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    lam=st.floats(0.01, 100.0),
    mu=st.floats(0.0, 0.99),
    fraction=st.floats(0.02, 0.98),
    theta0=st.floats(-10.0, 10.0).filter(lambda v: abs(v) > 1e-3),
    b=st.floats(-5.0, 5.0),
)
def test_momentum_on_a_1d_quadratic_is_a_2x2_linear_recursion(lam, mu, fraction, theta0, b):
    # f = ½λθ² − bθ, θ* = b/λ, eₜ = θₜ − θ*. The buffer gives α bₜ = θₜ₋₁ − θₜ for t ≥ 1, hence
    # eₜ₊₁ = (1 + μ − αλ) eₜ − μ eₜ₋₁, i.e. [eₜ₊₁, eₜ] = M [eₜ, eₜ₋₁]; and e₁ = (1 − αλ) e₀.
    alpha = fraction * (2 + 2 * mu) / lam  # inside the stability region 0 < αλ < 2 + 2μ
    nit = 40
    res = optlib.minimize(
        Quadratic([[lam]], [b]), [theta0], method=Momentum(lr=alpha, momentum=mu),
        max_iter=nit, gtol=0.0,
    )  # fmt: skip
    e = res.history.x[:, 0] - b / lam
    M = np.array([[1 + mu - alpha * lam, -mu], [1.0, 0.0]])
    start = np.array([(1 - alpha * lam) * (theta0 - b / lam), theta0 - b / lam])
    expected = [start[1]] + [(np.linalg.matrix_power(M, t) @ start)[0] for t in range(res.nit)]
    scale = abs(theta0) + abs(b / lam)
    np.testing.assert_allclose(e, expected, rtol=0, atol=1e-10 * scale)


# --- delta-bar-delta: the rate rule on hand-made gradient sequences -----------------------------


class Scripted(optlib.Problem):
    """A problem whose gradient calls return the rows of ``grads`` in turn, wherever x is."""

    def __init__(self, grads):
        self.grads = np.asarray(grads, dtype=float)
        self.calls = 0
        super().__init__(lambda x: 0.0, grad=self._next, name="scripted")

    def _next(self, x):
        g = self.grads[self.calls]
        self.calls += 1
        return g


def rates_of(grads, method):
    """The rates εₜ (rows t = 1 … T) that a run with momentum 0 used, read off its steps."""
    grads = np.asarray(grads, dtype=float)
    T = len(grads)
    problem = Scripted(np.vstack([grads, np.ones(grads.shape[1])]))  # one more for θ_T
    res = optlib.minimize(problem, np.zeros(grads.shape[1]), method=method, max_iter=T, gtol=0.0)
    assert res.nit == T
    return -np.diff(res.history.x, axis=0) / grads  # θₜ − θₜ₋₁ = −εₜ gₜ


def test_delta_bar_delta_rates_by_hand():
    # θ = 0: δ̄ₜ₋₁ is the previous gradient. Signs + + + − −, κ = 0.05, φ = 0.5, max_lr = 0.18.
    method = DeltaBarDelta(lr=0.1, kappa=0.05, phi=0.5, theta=0.0, max_lr=0.18)
    rates = rates_of([[1.0], [2.0], [0.5], [-1.0], [-3.0]], method)
    np.testing.assert_allclose(rates[:, 0], [0.1, 0.15, 0.18, 0.09, 0.14], rtol=1e-12)


def test_delta_bar_delta_compares_with_the_average_not_the_last_gradient():
    # g = +1, +1, −0.1, −0.1. With θ = 0.9 the average stays positive (δ̄₂ = 0.19, δ̄₃ = 0.161), so
    # both negative gradients count as sign flips; with θ = 0 the last two agree with each other.
    grads = [[1.0], [1.0], [-0.1], [-0.1]]
    averaged = rates_of(grads, DeltaBarDelta(lr=0.1, kappa=0.05, phi=0.5, theta=0.9))
    np.testing.assert_allclose(averaged[:, 0], [0.1, 0.15, 0.075, 0.0375], rtol=1e-12)
    last_only = rates_of(grads, DeltaBarDelta(lr=0.1, kappa=0.05, phi=0.5, theta=0.0))
    np.testing.assert_allclose(last_only[:, 0], [0.1, 0.15, 0.075, 0.125], rtol=1e-12)


def test_delta_bar_delta_rates_are_per_coordinate_and_respect_the_lower_bound():
    grads = [[1.0, 1.0], [1.0, -1.0], [1.0, 1.0], [1.0, -1.0], [1.0, 1.0]]
    method = DeltaBarDelta(lr=0.1, kappa=0.01, phi=0.5, theta=0.0, min_lr=0.03)
    rates = rates_of(grads, method)
    np.testing.assert_allclose(rates[:, 0], [0.1, 0.11, 0.12, 0.13, 0.14], rtol=1e-12)
    np.testing.assert_allclose(rates[:, 1], [0.1, 0.05, 0.03, 0.03, 0.03], rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    T=st.integers(2, 15),
    n=st.integers(1, 4),
    kappa_frac=st.floats(0.01, 1.0),
    phi=st.floats(0.0, 0.5),
    theta=st.floats(0.0, 0.95),
    low_frac=st.floats(0.01, 1.0),
    high_frac=st.floats(1.0, 5.0),
)
def test_delta_bar_delta_rates_follow_the_rule_and_stay_in_bounds(
    data, T, n, kappa_frac, phi, theta, low_frac, high_frac
):
    lr = 0.1
    signs = data.draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=T * n, max_size=T * n))
    sizes = data.draw(st.lists(st.floats(0.1, 10.0), min_size=T * n, max_size=T * n))
    grads = (np.array(signs) * np.array(sizes)).reshape(T, n)
    kappa, min_lr, max_lr = kappa_frac * lr, low_frac * lr, high_frac * lr
    method = DeltaBarDelta(lr, kappa=kappa, phi=phi, theta=theta, min_lr=min_lr, max_lr=max_lr)
    rates = rates_of(grads, method)
    tol = 1e-6 * max_lr
    assert np.all(rates >= min_lr - tol) and np.all(rates <= max_lr + tol)
    np.testing.assert_allclose(rates[0], lr, rtol=1e-9)  # δ̄₀ = 0: no change at t = 1
    bar = np.zeros(n)
    for t in range(1, T):
        bar = (1 - theta) * grads[t - 1] + theta * bar  # δ̄ₜ₋₁
        before, after = rates[t - 1], rates[t]
        up = bar * grads[t] > 0
        down = bar * grads[t] < 0
        np.testing.assert_allclose(after[up], np.minimum(before[up] + kappa, max_lr), rtol=1e-6)
        np.testing.assert_allclose(
            after[down], np.maximum((1 - phi) * before[down], min_lr), rtol=1e-6
        )


# --- a stochastic problem: minibatch gradients, determinism given the seed ----------------------


class MinibatchLeastSquares(optlib.DataProblem):
    """f(x) = mean over a batch of rows i of ½(aᵢᵀx − yᵢ)²; every drawn batch is recorded."""

    stochastic = True

    def __init__(self, seed=5, m=40, n=3, batch_size=4):
        rng = np.random.default_rng(seed)
        self.X = rng.standard_normal((m, n))
        self.y = self.X @ np.arange(1.0, n + 1) + 0.1 * rng.standard_normal(m)
        self.n_samples, self.batch_size = m, batch_size
        self.batches = []
        super().__init__(self.fun, grad=self.grad, name="minibatch least squares")

    def sample_batch(self, rng):
        self.batches.append(super().sample_batch(rng))
        return self.batches[-1]

    def fun(self, x, batch=None):
        A, y = self.rows(batch)
        return 0.5 * float(np.mean((A @ x - y) ** 2))

    def grad(self, x, batch=None):
        A, y = self.rows(batch)
        return A.T @ (A @ x - y) / len(y)

    def fun_and_grad(self, x, batch=None):
        return self.fun(x, batch), self.grad(x, batch)


STOCHASTIC_CASES = {
    "momentum": (Momentum(lr=0.05, momentum=0.9), lambda: RefSGD(0.05, 0.9)),
    "nesterov": (Nesterov(lr=0.05, momentum=0.9), lambda: RefSutskever(0.05, 0.9)),
    "dbd": (
        DeltaBarDelta(lr=0.05, kappa=0.01, phi=0.3, max_lr=0.2),
        lambda: RefDeltaBarDelta(0.05, 0.01, 0.3, 0.7, max_lr=0.2),
    ),
    "adagrad": (Adagrad(lr=0.5), lambda: RefAdagrad(0.5)),
    "rmsprop": (RMSProp(lr=0.02), lambda: RefRMSprop(0.02)),
    "adam": (Adam(lr=0.05), lambda: RefAdam(0.05)),
    "lookahead": (Lookahead(Adam(lr=0.1), k=4), None),
}


@pytest.mark.parametrize("case", sorted(STOCHASTIC_CASES))
def test_minibatch_runs_use_each_iterations_batch_and_are_deterministic(case, same_path):
    method, make_ref = STOCHASTIC_CASES[case]
    nit = 80

    def run(seed):
        problem = MinibatchLeastSquares()
        res = optlib.minimize(problem, np.zeros(3), method=method, max_iter=nit, gtol=0, seed=seed)
        return problem, res

    problem, res = run(seed=11)
    again, res_again = run(seed=11)
    _, other = run(seed=12)
    assert res.nit == nit and len(problem.batches) == nit + 1
    np.testing.assert_array_equal(res.history.x, res_again.history.x)
    assert not np.array_equal(res.history.x, other.history.x)

    # step t uses the gradient on batch t (drawn for the iterate it starts from)
    def grad_at(t):
        return lambda x: problem.grad(x, problem.batches[t])

    if make_ref is None:
        expected = reference_lookahead_path(lambda: RefAdam(0.1), grad_at, np.zeros(3), nit, 4, 0.5)
    else:
        expected = reference_path(make_ref(), grad_at, np.zeros(3), nit)
    same_path(res.history.x, expected)
    # and it learns: the full-data loss falls well below its value at 0
    assert res.minibatch and res.fun == problem.fun(res.x) < 0.2 * problem.fun(np.zeros(3))


# --- runs that fail, reported honestly -----------------------------------------------------------


def test_momentum_with_too_large_a_step_diverges_as_a_result():
    problem = Rosenbrock(2)
    res = optlib.minimize(problem, problem.x0, method=Momentum(lr=0.01, momentum=0.9))
    assert (res.success, res.status) == (False, Status.DIVERGED)
    assert res.message.startswith("diverged")


@pytest.mark.parametrize(
    "method", [Adam(lr=0.1, eps=0.0), Adagrad(lr=0.1, eps=0.0), RMSProp(lr=0.1, eps=0.0)]
)
def test_eps_zero_with_a_coordinate_never_moved_is_reported_as_divergence(method):
    # ∇f = (1, 0) at x₀: the second coordinate gets 0 / 0 when ε = 0 (as in PyTorch)
    res = optlib.minimize(Quadratic(np.eye(2)), [1.0, 0.0], method=method)
    assert (res.status, res.nit) == (Status.DIVERGED, 1)
    assert res.message == "diverged: x is not finite at iteration 1"
    np.testing.assert_array_equal(res.x_finite, [1.0, 0.0])  # the last finite iterate: x₀


# --- construction: defaults, names, needs, bad input ---------------------------------------------


def test_defaults_follow_pytorch():
    assert (Momentum().lr, Momentum().momentum) == (1e-3, 0.9)
    assert (Nesterov().lr, Nesterov().momentum) == (1e-3, 0.9)
    assert vars(Adagrad()) == {"lr": 1e-2, "eps": 1e-10, "initial_accumulator_value": 0.0}
    assert vars(RMSProp()) == {
        "lr": 1e-2,
        "alpha": 0.99,
        "eps": 1e-8,
        "momentum": 0.0,
        "centered": False,
    }
    assert vars(Adam()) == {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "amsgrad": False}
    dbd = DeltaBarDelta(lr=0.1)
    assert dbd.kappa == pytest.approx(0.01)  # lr / 10
    assert (dbd.phi, dbd.theta, dbd.min_lr, dbd.max_lr, dbd.momentum) == (0.1, 0.7, 0, np.inf, 0)
    la = Lookahead(Adam())
    assert (la.k, la.alpha) == (5, 0.5)
    assert repr(la) == (
        "Lookahead(inner=Adam(lr=0.001, betas=(0.9, 0.999), eps=1e-08, amsgrad=False), "
        "k=5, alpha=0.5)"
    )


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("momentum", Momentum),
        ("heavy_ball", Momentum),
        ("nesterov", Nesterov),
        ("NAG", Nesterov),
        ("delta_bar_delta", DeltaBarDelta),
        ("adagrad", Adagrad),
        ("RMSProp", RMSProp),
        ("adam", Adam),
    ],
)
def test_scipy_style_call_by_name_gives_the_same_run(name, cls):
    options = {"lr": 0.05}
    A = np.diag([1.0, 10.0])
    by_name = optlib.minimize(
        lambda x: 0.5 * x @ A @ x, [1.0, 1.0], method=name, jac=lambda x: A @ x, options=options,
        max_iter=30,
    )  # fmt: skip
    by_object = optlib.minimize(Quadratic(A), [1.0, 1.0], method=cls(**options), max_iter=30)
    np.testing.assert_array_equal(by_name.history.x, by_object.history.x)


def test_lookahead_by_name_and_its_needs():
    method = optlib.methods.by_name("lookahead", inner=Adam(lr=0.1), k=3)
    assert isinstance(method, Lookahead) and method.k == 3
    assert Lookahead(Adam()).needs == frozenset({"grad"})
    exact = Lookahead(GradientDescent(line_search="exact"))
    assert exact.needs == GradientDescent(line_search="exact").needs
    with pytest.raises(ValueError, match="quadratic"):
        optlib.minimize(Rosenbrock(2), [0.0, 0.0], method=exact)


def test_method_objects_hold_no_run_state(spd):
    problem, x0 = random_quadratic(spd)
    for method in (Momentum(lr=0.05), Nesterov(lr=0.05), DeltaBarDelta(lr=0.02), Adagrad(),
                   RMSProp(), Adam(amsgrad=True), Lookahead(Adam(), k=3)):  # fmt: skip
        before = repr(method)
        first = optlib.minimize(problem, x0, method=method, max_iter=30, gtol=0)
        second = optlib.minimize(problem, x0, method=method, max_iter=30, gtol=0)
        assert repr(method) == before
        np.testing.assert_array_equal(first.history.x, second.history.x)


BAD = [
    (Momentum, {"lr": 0.0}, ValueError, r"lr must be a finite number > 0"),
    (Momentum, {"lr": -0.1}, ValueError, r"lr must be a finite number > 0"),
    (Momentum, {"lr": np.nan}, ValueError, r"lr must be a finite number > 0"),
    (Momentum, {"lr": "fast"}, TypeError, r"lr must be a number"),
    (Momentum, {"momentum": 1.0}, ValueError, r"momentum must lie in \[0, 1\)"),
    (Momentum, {"momentum": -0.1}, ValueError, r"momentum must lie in \[0, 1\)"),
    (Momentum, {"momentum": None}, TypeError, r"momentum must be a number"),
    (Nesterov, {"lr": 0.0}, ValueError, r"lr must be a finite number > 0"),
    (Nesterov, {"momentum": 1.5}, ValueError, r"momentum must lie in \[0, 1\)"),
    (Adagrad, {"lr": -1.0}, ValueError, r"lr must be a finite number > 0"),
    (Adagrad, {"eps": -1e-10}, ValueError, r"eps must be a finite number >= 0"),
    (Adagrad, {"eps": np.inf}, ValueError, r"eps must be a finite number >= 0"),
    (Adagrad, {"initial_accumulator_value": -0.1}, ValueError, r"initial_accumulator_value must"),
    (RMSProp, {"lr": 0.0}, ValueError, r"lr must be a finite number > 0"),
    (RMSProp, {"alpha": 1.0}, ValueError, r"alpha must lie in \[0, 1\)"),
    (RMSProp, {"alpha": -0.5}, ValueError, r"alpha must lie in \[0, 1\)"),
    (RMSProp, {"eps": -1e-8}, ValueError, r"eps must be a finite number >= 0"),
    (RMSProp, {"momentum": 1.0}, ValueError, r"momentum must lie in \[0, 1\)"),
    (RMSProp, {"centered": "yes"}, TypeError, r"centered must be True or False"),
    (Adam, {"lr": 0.0}, ValueError, r"lr must be a finite number > 0"),
    (Adam, {"betas": (1.0, 0.999)}, ValueError, r"betas\[0\] must lie in \[0, 1\)"),
    (Adam, {"betas": (-0.1, 0.999)}, ValueError, r"betas\[0\] must lie in \[0, 1\)"),
    (Adam, {"betas": (0.9, 1.0)}, ValueError, r"betas\[1\] must lie in \[0, 1\)"),
    (Adam, {"betas": (0.9, 1.5)}, ValueError, r"betas\[1\] must lie in \[0, 1\)"),
    (Adam, {"betas": 0.9}, TypeError, r"betas must be a pair"),
    (Adam, {"betas": (0.9, 0.99, 0.999)}, TypeError, r"betas must be a pair"),
    (Adam, {"eps": -1e-8}, ValueError, r"eps must be a finite number >= 0"),
    (Adam, {"amsgrad": "yes"}, TypeError, r"amsgrad must be True or False"),
    (DeltaBarDelta, {}, TypeError, r"lr"),
    (DeltaBarDelta, {"lr": 0.0}, ValueError, r"lr must be a finite number > 0"),
    (DeltaBarDelta, {"lr": 0.1, "kappa": -0.01}, ValueError, r"kappa must be a finite number >= 0"),
    (DeltaBarDelta, {"lr": 0.1, "phi": 1.0}, ValueError, r"phi must lie in \[0, 1\)"),
    (DeltaBarDelta, {"lr": 0.1, "phi": -0.1}, ValueError, r"phi must lie in \[0, 1\)"),
    (DeltaBarDelta, {"lr": 0.1, "theta": 1.0}, ValueError, r"theta must lie in \[0, 1\)"),
    (DeltaBarDelta, {"lr": 0.1, "min_lr": -1.0}, ValueError, r"min_lr must be a finite number"),
    (DeltaBarDelta, {"lr": 0.1, "max_lr": 0.0}, ValueError, r"max_lr must be a finite number > 0"),
    (DeltaBarDelta, {"lr": 0.1, "min_lr": 0.5, "max_lr": 0.2}, ValueError, r"min_lr must be <="),
    (DeltaBarDelta, {"lr": 1.0, "max_lr": 0.5}, ValueError, r"lr must lie within \[min_lr, max"),
    (DeltaBarDelta, {"lr": 0.01, "min_lr": 0.05}, ValueError, r"lr must lie within \[min_lr"),
    (DeltaBarDelta, {"lr": 0.1, "momentum": 1.0}, ValueError, r"momentum must lie in \[0, 1\)"),
    (Lookahead, {"inner": "adam"}, TypeError, r"inner must be an optlib method object"),
    (AdamW, {"weight_decay": -0.1}, ValueError, r"weight_decay must be"),
    (AdamW, {"lr": 0.1, "weight_decay": 10.0}, ValueError, r"lr \* weight_decay must be < 1"),
    (AdamW, {"betas": (0.9, 1.0)}, ValueError, r"betas"),
    (Lookahead, {"inner": None}, TypeError, r"inner must be an optlib method object"),
    (Lookahead, {"inner": Adam}, TypeError, r"inner must be a method object such as Adam"),
    (Lookahead, {"inner": Adam(), "k": 0}, ValueError, r"k must be a whole number >= 1"),
    (Lookahead, {"inner": Adam(), "k": 2.5}, TypeError, r"k must be a whole number"),
    (Lookahead, {"inner": Adam(), "k": True}, TypeError, r"k must be a whole number"),
    (Lookahead, {"inner": Adam(), "alpha": 0.0}, ValueError, r"alpha must lie in \(0, 1\]"),
    (Lookahead, {"inner": Adam(), "alpha": 1.5}, ValueError, r"alpha must lie in \(0, 1\]"),
    (Lookahead, {"inner": Adam(), "alpha": -0.5}, ValueError, r"alpha must lie in \(0, 1\]"),
]


@pytest.mark.parametrize(
    ("cls", "kwargs", "error", "match"), BAD, ids=[f"{c.__name__}-{k}" for c, k, _, _ in BAD]
)
def test_bad_hyper_parameters_raise_an_error_naming_them(cls, kwargs, error, match):
    with pytest.raises(error, match=match):
        cls(**kwargs)
