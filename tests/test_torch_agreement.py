"""optlib's first-order methods against ``torch.optim`` itself, in float64, on the same problems.

Skipped when PyTorch is not installed (it is not a requirement of the book). The gradient is the
problem's own, assigned to ``param.grad`` before every ``optimizer.step()``, so the two runs see
the same gradients at the same points and must give the same iterates up to round-off.
"""

from __future__ import annotations

import numpy as np
import pytest

import optlib
from optlib.methods import (
    Adagrad,
    Adam,
    AdamW,
    GradientDescent,
    Lookahead,
    Momentum,
    Nesterov,
    RMSProp,
)
from optlib.problems import Quadratic, Rosenbrock

torch = pytest.importorskip("torch")

STEPS = 60


def torch_path(make_optimizer, grad, x0, steps, k=None, alpha=None):
    """The iterates of a torch optimizer driven by ``grad``; with k and alpha, wrapped in
    Lookahead's Algorithm 1 (slow weights φ ← φ + α(θ − φ) every k steps, θ ← φ; the torch
    optimizer keeps its state), recorded one row per inner step as optlib records it."""
    param = torch.tensor(np.array(x0, dtype=np.float64), requires_grad=True)
    optimizer = make_optimizer([param])
    slow = param.detach().clone()
    path = [param.detach().numpy().copy()]
    for t in range(steps):
        param.grad = torch.from_numpy(grad(param.detach().numpy().copy()))
        optimizer.step()
        if k is not None and (t + 1) % k == 0:
            with torch.no_grad():
                slow.add_(param - slow, alpha=alpha)
                param.copy_(slow)
        path.append(param.detach().numpy().copy())
    return np.array(path)


def random_quadratic(n=6, seed=20):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (Q * rng.uniform(0.1, 10.0, size=n)) @ Q.T
    return Quadratic(0.5 * (A + A.T), rng.standard_normal(n)), rng.standard_normal(n)


def rosenbrock():
    problem = Rosenbrock(4)
    return problem, problem.x0


SGD, ADAGRAD, RMSPROP, ADAM, ADAMW = (
    lambda **kw: lambda params: torch.optim.SGD(params, **kw),
    lambda **kw: lambda params: torch.optim.Adagrad(params, **kw),
    lambda **kw: lambda params: torch.optim.RMSprop(params, **kw),
    lambda **kw: lambda params: torch.optim.Adam(params, **kw),
    lambda **kw: lambda params: torch.optim.AdamW(params, **kw),
)

CASES = {
    "quadratic": (
        random_quadratic,
        [
            (GradientDescent(lr=0.1), SGD(lr=0.1)),
            (Momentum(lr=0.05, momentum=0.9), SGD(lr=0.05, momentum=0.9)),
            (Momentum(lr=0.02, momentum=0.99), SGD(lr=0.02, momentum=0.99)),
            (Momentum(lr=0.1, momentum=0.0), SGD(lr=0.1)),
            (Adagrad(lr=0.5), ADAGRAD(lr=0.5)),
            (
                Adagrad(lr=0.3, eps=1e-6, initial_accumulator_value=0.5),
                ADAGRAD(lr=0.3, eps=1e-6, initial_accumulator_value=0.5),
            ),
            (RMSProp(lr=0.01), RMSPROP(lr=0.01)),
            (RMSProp(lr=0.01, alpha=0.95, eps=1e-4), RMSPROP(lr=0.01, alpha=0.95, eps=1e-4)),
            (RMSProp(lr=0.01, momentum=0.9), RMSPROP(lr=0.01, momentum=0.9)),
            (RMSProp(lr=0.01, centered=True), RMSPROP(lr=0.01, centered=True)),
            (
                RMSProp(lr=0.005, momentum=0.8, centered=True),
                RMSPROP(lr=0.005, momentum=0.8, centered=True),
            ),
            (Adam(lr=0.05), ADAM(lr=0.05)),
            (Adam(lr=0.01, betas=(0.5, 0.9), eps=1e-6), ADAM(lr=0.01, betas=(0.5, 0.9), eps=1e-6)),
            (Adam(lr=0.05, amsgrad=True), ADAM(lr=0.05, amsgrad=True)),
            (
                Adam(lr=0.05, betas=(0.0, 0.99), amsgrad=True),
                ADAM(lr=0.05, betas=(0.0, 0.99), amsgrad=True),
            ),
            (AdamW(lr=0.05, weight_decay=0.5), ADAMW(lr=0.05, weight_decay=0.5)),
            (
                AdamW(lr=0.05, weight_decay=2.0, amsgrad=True),
                ADAMW(lr=0.05, weight_decay=2.0, amsgrad=True),
            ),
        ],
    ),
    "rosenbrock": (
        rosenbrock,
        [
            (GradientDescent(lr=1e-3), SGD(lr=1e-3)),
            (Momentum(lr=1e-4, momentum=0.9), SGD(lr=1e-4, momentum=0.9)),
            (Momentum(lr=2e-5, momentum=0.99), SGD(lr=2e-5, momentum=0.99)),
            (Adagrad(lr=0.1), ADAGRAD(lr=0.1)),
            (
                Adagrad(lr=0.2, initial_accumulator_value=2.0),
                ADAGRAD(lr=0.2, initial_accumulator_value=2.0),
            ),
            (RMSProp(lr=1e-3), RMSPROP(lr=1e-3)),
            (RMSProp(lr=1e-2, alpha=0.9), RMSPROP(lr=1e-2, alpha=0.9)),
            (Adam(lr=0.01), ADAM(lr=0.01)),
            (Adam(lr=0.02, betas=(0.8, 0.99)), ADAM(lr=0.02, betas=(0.8, 0.99))),
            (Adam(lr=0.01, amsgrad=True), ADAM(lr=0.01, amsgrad=True)),
            (AdamW(lr=0.01), ADAMW(lr=0.01)),
        ],
    ),
}  # fmt: skip

PARAMS = [
    pytest.param(name, i, id=f"{name}-{case[0]!r}")
    for name, (_, cases) in CASES.items()
    for i, case in enumerate(cases)
]


@pytest.mark.parametrize(("problem_name", "index"), PARAMS)
def test_iterates_equal_torch_optim(problem_name, index, same_path):
    make_problem, cases = CASES[problem_name]
    method, make_optimizer = cases[index]
    problem, x0 = make_problem()
    res = optlib.minimize(problem, x0, method=method, max_iter=STEPS, gtol=0.0)
    assert res.nit == STEPS
    same_path(res.history.x, torch_path(make_optimizer, problem.grad, x0, STEPS))


def test_a_momentum_schedule_is_torch_setting_the_momentum_before_each_step(same_path):
    problem, x0 = random_quadratic()
    warm_up = lambda t: min(1 - 2.0 ** (-1 - np.log2(t // 10 + 1)), 0.95)  # noqa: E731
    param = torch.tensor(np.array(x0, dtype=np.float64), requires_grad=True)
    optimizer = torch.optim.SGD([param], lr=0.05, momentum=warm_up(1))
    path = [param.detach().numpy().copy()]
    for t in range(1, STEPS + 1):
        optimizer.param_groups[0]["momentum"] = warm_up(t)
        param.grad = torch.from_numpy(problem.grad(param.detach().numpy().copy()))
        optimizer.step()
        path.append(param.detach().numpy().copy())
    res = optlib.minimize(problem, x0, method=Momentum(0.05, warm_up), max_iter=STEPS, gtol=0)
    same_path(res.history.x, np.array(path))


@pytest.mark.parametrize("problem_name", ["quadratic", "rosenbrock"])
@pytest.mark.parametrize(("lr", "mu"), [(0.05, 0.9), (0.02, 0.99)])
def test_torch_nesterov_iterates_are_optlibs_look_ahead_points(problem_name, lr, mu, same_path):
    make_problem = CASES[problem_name][0]
    problem, x0 = make_problem()
    if problem_name == "rosenbrock":
        lr = lr / 500
    res = optlib.minimize(problem, x0, method=Nesterov(lr=lr, momentum=mu), max_iter=STEPS, gtol=0)
    theta = res.history.x
    v = np.diff(theta, axis=0, prepend=theta[:1])  # vₜ = θₜ − θₜ₋₁, v₀ = 0
    expected = torch_path(SGD(lr=lr, momentum=mu, nesterov=True), problem.grad, x0, STEPS)
    same_path(theta + mu * v, expected)  # θ'ₜ = θₜ + μ vₜ, θ'₀ = θ₀
    assert np.max(np.abs(theta - expected)) > 1e-6  # optlib's θₜ themselves are not torch's


@pytest.mark.parametrize(
    ("inner", "make_optimizer", "k", "alpha"),
    [
        (Adam(lr=0.05), ADAM(lr=0.05), 5, 0.5),
        (Momentum(lr=0.05, momentum=0.9), SGD(lr=0.05, momentum=0.9), 3, 0.8),
        (RMSProp(lr=0.02), RMSPROP(lr=0.02), 6, 0.3),
    ],
)
def test_lookahead_equals_algorithm_1_around_a_torch_optimizer(
    inner, make_optimizer, k, alpha, same_path
):
    problem, x0 = random_quadratic()
    res = optlib.minimize(problem, x0, method=Lookahead(inner, k, alpha), max_iter=STEPS, gtol=0)
    expected = torch_path(make_optimizer, problem.grad, x0, STEPS, k=k, alpha=alpha)
    same_path(res.history.x, expected)
