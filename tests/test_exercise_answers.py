"""The graded test cells tell right answers from wrong ones, one exercise at a time.

For every exercise notebook, a list of answers a student might hand in: typical mistakes, and
correct answers written differently from the instructor's. One kernel runs the instructor's
notebook, then for each answer replaces that exercise's solution cell by it, runs every graded
test cell, and puts the instructor's solution back. A wrong answer must fail the graded cell of
its exercise and no other (so that one mistake costs one exercise's points); a correct variant
must fail none.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel

EXERCISES = Path(__file__).resolve().parent.parent / "exercises"


class Answer(NamedTuple):
    solution_id: str  # the grade_id of the solution cell it replaces
    description: str
    source: str
    fails: frozenset  # the graded cells it must fail: its exercise's, or none


def wrong(solution_id, test_id, description, source):
    return Answer(solution_id, description, source, frozenset({test_id}))


def right(solution_id, description, source):
    return Answer(solution_id, description, source, frozenset())


def mutated(source, old, new, count=1):
    """``source`` with the change that makes the mistake (``old`` occurs ``count`` times)."""
    assert source.count(old) == count, old
    return source.replace(old, new)


# Chapter 1: right answers from which mistakes are made.
CLASSIFY = """
def classify_critical_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(H)
    scale = np.abs(lam).max()
    if scale == 0:
        return "degenerate"
    positive = lam > tol * scale
    negative = lam < -tol * scale
    if positive.any() and negative.any():
        return "saddle"
    if positive.all():
        return "minimum"
    if negative.all():
        return "maximum"
    return "degenerate"
"""
POWER = """
def top_eigenvalue(hvp, n, tol=1e-10, max_products=10_000, seed=0):
    v = np.random.default_rng(seed).standard_normal(n)
    v /= np.linalg.norm(v)
    for products in range(1, max_products + 1):
        w = hvp(v)
        rho = v @ w
        if np.linalg.norm(w - rho * v) <= tol * abs(rho):
            return rho, products
        v = w / np.linalg.norm(w)
    raise RuntimeError(f"no convergence in {max_products} products")
"""
SYMMETRIES = """
def permute_hidden(layers, order):
    (W1, b1), (W2, b2) = layers
    order = np.asarray(order)
    return [(W1[order].copy(), b1[order].copy()), (W2[:, order].copy(), b2.copy())]


def flip_hidden(layers, units):
    (W1, b1), (W2, b2) = layers
    sign = np.ones(len(b1))
    sign[list(units)] = -1.0
    return [(W1 * sign[:, None], b1 * sign), (W2 * sign, b2.copy())]
"""
FLATTEST = """
def flattest_rescaling(net, theta, scales):
    (W1, b1), (W2, b2) = net.unflatten(theta)

    def lam_max(c):
        point = net.flatten([(c * W1, c * b1), (W2 / c, b2)])
        H = sla.LinearOperator((net.n, net.n), matvec=lambda v: net.hessp(point, v))
        return sla.eigsh(H, k=1, which="LA", v0=np.ones(net.n))[0][0]

    values = [lam_max(c) for c in scales]
    best = int(np.argmin(values))
    return scales[best], values[best]
"""

# Chapter 2: right answers to exercises 1, 3(b) and 5, from which mistakes are made.
IN_EIGENBASIS = """
def gd_iterates(A, theta0, alpha, k):
    lam, Q = np.linalg.eigh(A)
    return Q @ ((1.0 - alpha * lam) ** k * (Q.T @ theta0))
"""
COUNT_EXACT = """
def count_exact_iterations(gamma, tol=1e-8):
    A = np.diag([1.0, gamma])
    theta, k = np.array([gamma, 1.0]), 0
    while np.linalg.norm(theta) > tol:
        g = A @ theta
        theta, k = theta - exact_step(A, g) * g, k + 1
    return k
"""
PREDICT_EXACT = """
def predicted_exact_iterations(gamma, tol=1e-8):
    c = (gamma - 1.0) / (gamma + 1.0)
    return math.ceil(math.log(tol / math.hypot(gamma, 1.0)) / math.log(c))
"""
ARMIJO = """
class Budget:
    def __init__(self, limit):
        self.left = limit

    def spend(self):
        if self.left == 0:
            raise RuntimeError("evaluation budget spent")
        self.left -= 1


def armijo_descent(fun, grad, x0, gtol=1e-4, c1=1e-4, max_evals=20_000):
    budget = Budget(max_evals)
    budget.spend()
    x = np.asarray(x0, dtype=float)
    f = fun(x)
    budget.spend()
    g = grad(x)
    alpha, previous = 1.0, None
    while np.linalg.norm(g) > gtol:
        if previous is not None:
            alpha *= previous / (g @ g)
        while True:
            budget.spend()
            f_new = fun(x - alpha * g)
            if f_new <= f - c1 * alpha * (g @ g):
                break
            alpha *= 0.5
        previous = g @ g
        x, f = x - alpha * g, f_new
        budget.spend()
        g = grad(x)
    return x
"""

# Chapter 3: right answers from which mistakes are made.
BEST_MOMENTUM = """
def best_momentum(eigenvalues, alpha):
    x = alpha * np.asarray(eigenvalues, dtype=float)
    worst = float(np.max(np.abs(1 - np.sqrt(x))))
    return worst**2, worst
"""
WORST_START = """
def worst_start_iterations(eigenvalues, alpha, beta, eps=1e-6, max_iter=5000):
    x = alpha * np.asarray(eigenvalues, dtype=float)
    previous, current = np.ones_like(x), 1 - x
    last_above = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, max_iter + 1):
            if not np.all(np.abs(current) <= eps):
                last_above = k
            previous, current = current, (1 + beta - x) * current - beta * previous
    return None if last_above == max_iter else last_above + 1
"""
BETTER_PAIR = """
def better_pair(lam_min, lam_max):
    r_star = (np.sqrt(lam_max) - np.sqrt(lam_min)) / (np.sqrt(lam_max) + np.sqrt(lam_min))
    r = r_star + 0.03 * (1 - r_star)
    alpha = (1 - r) * (1 + r) / np.sqrt(lam_min * lam_max)
    return alpha, r * r
"""
COVARIANCE = """
def stationary_covariance(alpha, beta, lam, sigma):
    T = np.array([[1 + beta - alpha * lam, -beta], [1.0, 0.0]])
    W = np.array([[(alpha * sigma) ** 2, 0.0], [0.0, 0.0]])
    return scipy.linalg.solve_discrete_lyapunov(T, W)
"""
STEP_STD = """
def step_std(alpha, beta, lam, sigma):
    P = stationary_covariance(alpha, beta, lam, sigma)
    return float(np.sqrt(2 * (P[0, 0] - P[0, 1])))
"""

# Chapter 4: right answers from which mistakes are made.
NESTEROV = """
def nesterov(grad, theta0, lr, momentum, steps):
    schedule = momentum if callable(momentum) else (lambda t: momentum)
    theta = np.array(theta0, dtype=float)
    velocity = np.zeros_like(theta)
    path = [theta.copy()]
    for t in range(1, steps + 1):
        mu = schedule(t)
        velocity = mu * velocity - lr * grad(theta + mu * velocity)
        theta = theta + velocity
        path.append(theta.copy())
    return np.array(path)
"""
FORMS = """
def to_look_ahead(thetas, momentum):
    thetas = np.asarray(thetas, dtype=float)
    velocities = np.diff(thetas, axis=0, prepend=thetas[:1])
    return thetas + momentum * velocities


def from_look_ahead(look_aheads, momentum):
    look_aheads = np.asarray(look_aheads, dtype=float)
    thetas = np.empty_like(look_aheads)
    thetas[0] = look_aheads[0]
    for k in range(1, len(look_aheads)):
        thetas[k] = (look_aheads[k] + momentum * thetas[k - 1]) / (1 + momentum)
    return thetas
"""
RATE = """
def nesterov_rate(alpha_lambda, beta):
    c = 1.0 - alpha_lambda
    roots = np.roots([1.0, -(1.0 + beta) * c, beta * c])
    return float(np.max(np.abs(roots)))
"""
PAIR = """
def best_nesterov_pair(kappa):
    ends = np.array([1.0 / kappa, 1.0])

    def worst(steps, betas):
        c = 1.0 - steps[..., None] * ends
        trace, product = (1.0 + betas[..., None]) * c, betas[..., None] * c
        root = np.sqrt(trace**2 - 4.0 * product + 0j)
        return (np.maximum(np.abs(trace + root), np.abs(trace - root)) / 2).max(axis=-1)

    low, high = np.array([0.05, 0.0]), np.array([2.0, 0.999])
    for _ in range(12):
        steps, betas = np.meshgrid(
            np.linspace(low[0], high[0], 61), np.linspace(low[1], high[1], 61), indexing="ij"
        )
        rates = worst(steps, betas)
        i, j = np.unravel_index(np.argmin(rates), rates.shape)
        best = np.array([steps[i, j], betas[i, j]])
        half_width = (high - low) / 6
        low = np.maximum(best - half_width, [1e-6, 0.0])
        high = np.minimum(best + half_width, [4.0, 0.9999])
    return float(best[0]), float(best[1]), float(rates[i, j])
"""
RATES = RATE + "\n" + PAIR


ANSWERS = {
    "01_loss_landscape": [
        wrong(
            "classify_critical_point",
            "classify_critical_point_tests",
            "the determinant and trace rule of two dimensions",
            """
def classify_critical_point(H, tol=1e-8):
    det, trace = np.linalg.det(H), np.trace(H)
    if abs(det) <= tol:
        return "degenerate"
    if det < 0:
        return "saddle"
    return "minimum" if trace > 0 else "maximum"
""",
        ),
        wrong(
            "classify_critical_point",
            "classify_critical_point_tests",
            "no tolerance: round-off counts as a sign",
            mutated(CLASSIFY, "tol * scale", "0.0 * scale", count=2),
        ),
        wrong(
            "classify_critical_point",
            "classify_critical_point_tests",
            "an absolute tolerance",
            mutated(CLASSIFY, "tol * scale", "tol", count=2),
        ),
        right(
            "classify_critical_point",
            "counting signs of eigvals",
            """
def classify_critical_point(H, tol=1e-8):
    lam = np.linalg.eigvals(np.asarray(H, dtype=float)).real
    big = np.abs(lam).max()
    n_pos = int(np.sum(lam > tol * big)) if big > 0 else 0
    n_neg = int(np.sum(lam < -tol * big)) if big > 0 else 0
    if n_pos and n_neg:
        return "saddle"
    if n_pos == len(lam):
        return "minimum"
    if n_neg == len(lam):
        return "maximum"
    return "degenerate"
""",
        ),
        wrong(
            "top_eigenvalue",
            "top_eigenvalue_tests",
            "the norm of Hv, which loses the sign",
            mutated(POWER, "rho = v @ w", "rho = np.linalg.norm(w)"),
        ),
        wrong(
            "top_eigenvalue",
            "top_eigenvalue_tests",
            "stops when the Rayleigh quotient stops changing",
            """
def top_eigenvalue(hvp, n, tol=1e-10, max_products=10_000, seed=0):
    v = np.random.default_rng(seed).standard_normal(n)
    v /= np.linalg.norm(v)
    previous = np.inf
    for products in range(1, max_products + 1):
        w = hvp(v)
        rho = v @ w
        if abs(rho - previous) <= tol * abs(rho):
            return rho, products
        v, previous = w / np.linalg.norm(w), rho
    raise RuntimeError("no convergence")
""",
        ),
        wrong(
            "top_eigenvalue",
            "top_eigenvalue_tests",
            "two products per step, one of them not counted",
            mutated(POWER, "rho = v @ w", "rho = v @ hvp(v)"),
        ),
        right(
            "top_eigenvalue",
            "a while loop and a separate residual",
            """
def top_eigenvalue(hvp, n, tol=1e-10, max_products=10_000, seed=0):
    v = np.random.default_rng(seed).standard_normal(n)
    v = v / np.sqrt(v @ v)
    products = 0
    while products < max_products:
        Hv = hvp(v)
        products += 1
        rho = float(np.dot(v, Hv))
        residual = Hv - rho * v
        if np.sqrt(residual @ residual) <= tol * abs(rho):
            return rho, products
        v = Hv / np.sqrt(Hv @ Hv)
    raise RuntimeError("the budget of products is spent")
""",
        ),
        wrong(
            "hidden_symmetries",
            "permute_hidden_tests",
            "the rows of W2 permuted instead of its columns",
            mutated(SYMMETRIES, "W2[:, order].copy()", "W2[order].copy()"),
        ),
        wrong(
            "hidden_symmetries",
            "permute_hidden_tests",
            "the biases left where they were",
            mutated(SYMMETRIES, "b1[order].copy()", "b1.copy()"),
        ),
        wrong(
            "hidden_symmetries",
            "flip_hidden_tests",
            "the outgoing weights flipped by rows",
            mutated(
                SYMMETRIES, "(W2 * sign, b2.copy())", "(W2 * sign[:, None][: len(W2)], b2.copy())"
            ),
        ),
        right(
            "hidden_symmetries",
            "permutation and sign matrices",
            """
def permute_hidden(layers, order):
    (W1, b1), (W2, b2) = layers
    P = np.eye(len(b1))[order]
    return [(P @ W1, P @ b1), (W2 @ P.T, b2.copy())]


def flip_hidden(layers, units):
    (W1, b1), (W2, b2) = layers
    D = np.diag([-1.0 if i in set(units) else 1.0 for i in range(len(b1))])
    return [(D @ W1, D @ b1), (W2 @ D, b2.copy())]
""",
        ),
        wrong(
            "flattest_rescaling",
            "flattest_rescaling_tests",
            "the sharpest scale instead of the flattest",
            mutated(FLATTEST, "np.argmin(values)", "np.argmax(values)"),
        ),
        wrong(
            "flattest_rescaling",
            "flattest_rescaling_tests",
            "both layers multiplied by c",
            mutated(FLATTEST, "(W2 / c, b2)", "(W2 * c, b2)"),
        ),
        right(
            "flattest_rescaling",
            "the whole Hessian and eigvalsh",
            """
def flattest_rescaling(net, theta, scales):
    (W1, b1), (W2, b2) = net.unflatten(theta)
    best = None
    for c in scales:
        point = net.flatten([(c * W1, c * b1), (W2 / c, b2)])
        H = np.column_stack([net.hessp(point, e) for e in np.eye(net.n)])
        top = np.linalg.eigvalsh((H + H.T) / 2)[-1]
        if best is None or top < best[1]:
            best = (c, top)
    return best
""",
        ),
    ],
    "02_gradient_descent": [
        wrong(
            "gd_iterates",
            "gd_iterates_tests",
            "a loop over the k steps",
            """
def gd_iterates(A, theta0, alpha, k):
    theta = np.array(theta0, dtype=float)
    for _ in range(k):
        theta = theta - alpha * A @ theta
    return theta
""",
        ),
        wrong(
            "gd_iterates",
            "gd_iterates_tests",
            "the factor without its sign",
            mutated(IN_EIGENBASIS, "(1.0 - alpha * lam)", "np.abs(1.0 - alpha * lam)"),
        ),
        wrong(
            "gd_iterates",
            "gd_iterates_tests",
            "Q and Qᵀ swapped",
            mutated(
                IN_EIGENBASIS,
                "Q @ ((1.0 - alpha * lam) ** k * (Q.T",
                "Q.T @ ((1.0 - alpha * lam) ** k * (Q",
            ),
        ),
        right(
            "gd_iterates",
            "a matrix power",
            """
def gd_iterates(A, theta0, alpha, k):
    return np.linalg.matrix_power(np.eye(len(theta0)) - alpha * A, k) @ theta0
""",
        ),
        wrong(
            "best_step_and_rate",
            "best_step_and_rate_tests",
            "the step 1/λ_max",
            """
def best_step_and_rate(A):
    lam = np.linalg.eigvalsh(A)
    return 1.0 / lam[-1], 1.0 - lam[0] / lam[-1]
""",
        ),
        wrong(
            "best_step_and_rate",
            "best_step_and_rate_tests",
            "the ends of eigvals' list, which is not sorted",
            """
def best_step_and_rate(A):
    lam = np.linalg.eigvals(A).real
    kappa = lam[-1] / lam[0]
    return 2.0 / (lam[0] + lam[-1]), abs(kappa - 1.0) / (kappa + 1.0)
""",
        ),
        right(
            "best_step_and_rate",
            "the smallest and largest of eigvals",
            """
def best_step_and_rate(A):
    lam = np.linalg.eigvals(A).real
    low, high = lam.min(), lam.max()
    return 2.0 / (low + high), (high - low) / (high + low)
""",
        ),
        wrong(
            "exact_step",
            "exact_step_tests",
            "the Rayleigh quotient instead of its inverse",
            """
def exact_step(A, g):
    return float(g @ (A @ g)) / float(g @ g)
""",
        ),
        right(
            "exact_step",
            "with np.dot",
            """
def exact_step(A, g):
    return np.dot(g, g) / np.dot(A @ g, g)
""",
        ),
        wrong(
            "exact_iterations",
            "exact_iterations_tests",
            "floor instead of ceiling",
            COUNT_EXACT + mutated(PREDICT_EXACT, "math.ceil", "math.floor"),
        ),
        wrong(
            "exact_iterations",
            "exact_iterations_tests",
            "the count stops on the gradient, not on θ",
            mutated(COUNT_EXACT, "norm(theta) > tol", "norm(A @ theta) > tol") + PREDICT_EXACT,
        ),
        right(
            "exact_iterations",
            "a for loop and a logarithm to base c",
            """
def count_exact_iterations(gamma, tol=1e-8):
    A = np.diag([1.0, gamma])
    theta = np.array([gamma, 1.0])
    for k in range(10**6):
        if np.linalg.norm(theta) <= tol:
            return k
        g = A @ theta
        theta = theta - exact_step(A, g) * g
    raise RuntimeError("no convergence")


def predicted_exact_iterations(gamma, tol=1e-8):
    return math.ceil(math.log(tol / math.sqrt(gamma**2 + 1.0), (gamma - 1.0) / (gamma + 1.0)))
""",
        ),
        wrong(
            "exact_step_symbolic",
            "exact_step_symbolic_tests",
            "c with floating-point constants",
            """
def exact_step_symbolic(theta, gamma):
    A = sp.diag(1, gamma)
    g = A * theta
    return theta - (g.T * g)[0, 0] / (g.T * A * g)[0, 0] * g


def exact_search_factor(gamma):
    return (gamma - 1.0) / (gamma + 1.0)
""",
        ),
        wrong(
            "exact_step_symbolic",
            "exact_step_symbolic_tests",
            "the step 1/γ, exact only along the steep axis",
            """
def exact_step_symbolic(theta, gamma):
    return theta - sp.diag(1, gamma) * theta / gamma


def exact_search_factor(gamma):
    return sp.simplify(-exact_step_symbolic(sp.Matrix([gamma, 1]), gamma)[1])
""",
        ),
        right(
            "exact_step_symbolic",
            "the step from solving φ'(α) = 0",
            """
def exact_step_symbolic(theta, gamma):
    a = sp.Symbol("a", positive=True)
    g = sp.diag(1, gamma) * theta
    moved = theta - a * g
    phi = (moved[0] ** 2 + gamma * moved[1] ** 2) / 2
    (alpha,) = sp.solve(sp.diff(phi, a), a)
    return theta - alpha * g


def exact_search_factor(gamma):
    return sp.factor(-exact_step_symbolic(sp.Matrix([gamma, 1]), gamma)[1])
""",
        ),
        wrong(
            "armijo_descent",
            "armijo_descent_tests",
            "every search from α = 1",
            mutated(ARMIJO, "alpha *= previous / (g @ g)", "alpha = 1.0"),
        ),
        wrong(
            "armijo_descent",
            "armijo_descent_tests",
            "a budget that is counted but not kept",
            mutated(ARMIJO, 'raise RuntimeError("evaluation budget spent")', "pass"),
        ),
        right("armijo_descent", "a counter object and the ratio of squared norms", ARMIJO),
    ],
    "03_momentum": [
        # Exercise 1: the best momentum for a given step
        wrong(
            "best_momentum",
            "best_momentum_tests",
            "the chapter's β* of (3.12), whatever the step",
            """
def best_momentum(eigenvalues, alpha):
    lam = np.asarray(eigenvalues, dtype=float)
    r = (np.sqrt(lam.max()) - np.sqrt(lam.min())) / (np.sqrt(lam.max()) + np.sqrt(lam.min()))
    return r * r, r
""",
        ),
        wrong(
            "best_momentum",
            "best_momentum_tests",
            "critical damping of the flattest direction only",
            mutated(
                BEST_MOMENTUM,
                "float(np.max(np.abs(1 - np.sqrt(x))))",
                "float(1 - np.sqrt(x.min()))",
            ),
        ),
        wrong(
            "best_momentum",
            "best_momentum_tests",
            "β = |1 − √(αλ)| without the square",
            mutated(BEST_MOMENTUM, "return worst**2, worst", "return worst, np.sqrt(worst)"),
        ),
        wrong(
            "best_momentum",
            "best_momentum_tests",
            "gradient descent's factor |1 − αλ| in place of |1 − √(αλ)|",
            mutated(BEST_MOMENTUM, "np.abs(1 - np.sqrt(x))", "np.abs(1 - x)"),
        ),
        right(
            "best_momentum",
            "the larger of the two extreme critical-damping momenta",
            """
def best_momentum(eigenvalues, alpha):
    lam = sorted(float(v) for v in eigenvalues)
    beta = max((1 - (alpha * lam[0]) ** 0.5) ** 2, (1 - (alpha * lam[-1]) ** 0.5) ** 2)
    return beta, beta**0.5
""",
        ),
        # Exercise 2(a): worst-start iterations
        wrong(
            "worst_start_iterations",
            "worst_start_iterations_tests",
            "the first crossing below eps, not the last",
            """
def worst_start_iterations(eigenvalues, alpha, beta, eps=1e-6, max_iter=5000):
    x = alpha * np.asarray(eigenvalues, dtype=float)
    previous, current = np.ones_like(x), 1 - x
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, max_iter + 1):
            if np.all(np.abs(current) <= eps):
                return k
            previous, current = current, (1 + beta - x) * current - beta * previous
    return None
""",
        ),
        wrong(
            "worst_start_iterations",
            "worst_start_iterations_tests",
            "a zero velocity taken as z₋₁ = 0 instead of z₋₁ = z₀",
            mutated(
                WORST_START,
                "previous, current = np.ones_like(x), 1 - x",
                "previous, current = np.ones_like(x), 1 + beta - x",
            ),
        ),
        wrong(
            "worst_start_iterations",
            "worst_start_iterations_tests",
            "off by one: the last step above eps",
            mutated(WORST_START, "else last_above + 1", "else last_above"),
        ),
        wrong(
            "worst_start_iterations",
            "worst_start_iterations_tests",
            "overflow not handled: NaN compares as below eps",
            mutated(
                WORST_START,
                "if not np.all(np.abs(current) <= eps):",
                "if np.any(np.abs(current) > eps):",
            ),
        ),
        right(
            "worst_start_iterations",
            "powers of the companion matrix, one eigenvalue at a time",
            """
def worst_start_iterations(eigenvalues, alpha, beta, eps=1e-6, max_iter=5000):
    worst = 0
    for lam in np.atleast_1d(eigenvalues):
        T = np.array([[1 + beta - alpha * lam, -beta], [1.0, 0.0]])
        state = np.array([1.0, 1.0])
        last = 0
        with np.errstate(over="ignore", invalid="ignore"):
            for k in range(1, max_iter + 1):
                state = T @ state
                if not abs(state[0]) <= eps:
                    last = k
        if last == max_iter:
            return None
        worst = max(worst, last + 1)
    return worst
""",
        ),
        # Exercise 2(b): a better pair
        wrong(
            "better_pair",
            "better_pair_tests",
            "the chapter's optimal pair (α*, β*)",
            """
def better_pair(lam_min, lam_max):
    r = (np.sqrt(lam_max) - np.sqrt(lam_min)) / (np.sqrt(lam_max) + np.sqrt(lam_min))
    return (2 / (np.sqrt(lam_max) + np.sqrt(lam_min))) ** 2, r * r
""",
        ),
        wrong(
            "better_pair",
            "better_pair_tests",
            "Nesterov's momentum (√κ − 1)/(√κ + 1) with the step α*",
            """
def better_pair(lam_min, lam_max):
    r = (np.sqrt(lam_max) - np.sqrt(lam_min)) / (np.sqrt(lam_max) + np.sqrt(lam_min))
    return (2 / (np.sqrt(lam_max) + np.sqrt(lam_min))) ** 2, r
""",
        ),
        wrong(
            "better_pair",
            "better_pair_tests",
            "numbers tuned for λ = 1 … 100, at that scale only",
            """
def better_pair(lam_min, lam_max):
    return 0.0321, 0.678
""",
        ),
        right(
            "better_pair",
            "a search over √β with the spectrum centred in the band, counted on the two ends",
            """
def better_pair(lam_min, lam_max):
    r_star = (np.sqrt(lam_max) - np.sqrt(lam_min)) / (np.sqrt(lam_max) + np.sqrt(lam_min))
    rs = r_star + np.linspace(0.0, 0.2, 41) * (1 - r_star)
    alphas = (1 - rs) * (1 + rs) / np.sqrt(lam_min * lam_max)
    x = alphas[:, None] * np.array([lam_min, lam_max])
    beta = (rs * rs)[:, None]
    previous, current = np.ones_like(x), 1 - x
    last = np.zeros(len(rs), dtype=int)
    for k in range(1, 4000):
        last[np.any(np.abs(current) > 1e-6, axis=1)] = k
        previous, current = current, (1 + beta - x) * current - beta * previous
    best = int(np.argmin(last))
    return alphas[best], rs[best] ** 2
""",
        ),
        # Exercise 3(a): the stationary covariance
        wrong(
            "stationary_covariance",
            "stationary_covariance_tests",
            "noise in both entries of the state",
            mutated(
                COVARIANCE,
                "W = np.array([[(alpha * sigma) ** 2, 0.0], [0.0, 0.0]])",
                "W = (alpha * sigma) ** 2 * np.eye(2)",
            ),
        ),
        wrong(
            "stationary_covariance",
            "stationary_covariance_tests",
            "the noise of the gradient, not of the step (α² forgotten)",
            mutated(COVARIANCE, "(alpha * sigma) ** 2, 0.0]", "sigma**2, 0.0]"),
        ),
        wrong(
            "stationary_covariance",
            "stationary_covariance_tests",
            "the transposed equation P = TᵀPT + W",
            mutated(COVARIANCE, "solve_discrete_lyapunov(T, W)", "solve_discrete_lyapunov(T.T, W)"),
        ),
        wrong(
            "stationary_covariance",
            "stationary_covariance_tests",
            "the variance (3.17) on the diagonal, consecutive errors taken as uncorrelated",
            """
def stationary_covariance(alpha, beta, lam, sigma):
    x = alpha * lam
    v = (alpha * sigma) ** 2 * (1 + beta) / ((1 - beta) * x * (2 + 2 * beta - x))
    return np.diag([v, v])
""",
        ),
        right(
            "stationary_covariance",
            "the closed form, with c = sv/(1 + β)",
            """
def stationary_covariance(alpha, beta, lam, sigma):
    x = alpha * lam
    v = (alpha * sigma) ** 2 * (1 + beta) / ((1 - beta) * x * (2 + 2 * beta - x))
    c = (1 + beta - x) * v / (1 + beta)
    return np.array([[v, c], [c, v]])
""",
        ),
        right(
            "stationary_covariance",
            "the vectorised equation (I − T⊗T) vec P = vec W",
            """
def stationary_covariance(alpha, beta, lam, sigma):
    T = np.array([[1 + beta - alpha * lam, -beta], [1.0, 0.0]])
    W = np.array([[(alpha * sigma) ** 2, 0.0], [0.0, 0.0]])
    vec = np.linalg.solve(np.eye(4) - np.kron(T, T), W.reshape(-1))
    return vec.reshape(2, 2)
""",
        ),
        # Exercise 3(b): the steps
        wrong(
            "step_std",
            "step_std_tests",
            "the variance, not the standard deviation",
            mutated(
                STEP_STD,
                "float(np.sqrt(2 * (P[0, 0] - P[0, 1])))",
                "float(2 * (P[0, 0] - P[0, 1]))",
            ),
        ),
        wrong(
            "step_std",
            "step_std_tests",
            "Var(z_{k+1} − z_k) = 2(v + c): a sign slip",
            mutated(STEP_STD, "P[0, 0] - P[0, 1]", "P[0, 0] + P[0, 1]"),
        ),
        wrong(
            "step_std",
            "step_std_tests",
            "the noise of one gradient step, ασ, as if the steps did not feed back",
            """
def step_std(alpha, beta, lam, sigma):
    return float(alpha * sigma)
""",
        ),
        right(
            "step_std",
            "the closed form 2α²σ²/((1 − β)(2 + 2β − αλ))",
            """
def step_std(alpha, beta, lam, sigma):
    return float(alpha * sigma * np.sqrt(2 / ((1 - beta) * (2 + 2 * beta - alpha * lam))))
""",
        ),
    ],
    "04_nesterov": [
        # Exercise 1
        wrong(
            "nesterov",
            "nesterov_tests",
            "the heavy ball: the gradient at θ_k, not at the look-ahead point",
            mutated(NESTEROV, "grad(theta + mu * velocity)", "grad(theta)"),
        ),
        wrong(
            "nesterov",
            "nesterov_tests",
            "the survey's letters read literally: the look-ahead point θ + αv",
            mutated(NESTEROV, "grad(theta + mu * velocity)", "grad(theta + lr * velocity)"),
        ),
        wrong(
            "nesterov",
            "nesterov_tests",
            "the schedule one step late: momentum(t − 1)",
            mutated(NESTEROV, "mu = schedule(t)", "mu = schedule(t - 1)"),
        ),
        wrong(
            "nesterov",
            "nesterov_tests",
            "the look-ahead points returned instead of θ_k",
            mutated(NESTEROV, "path.append(theta.copy())", "path.append(theta + mu * velocity)"),
        ),
        wrong(
            "nesterov",
            "nesterov_tests",
            "θ moved by the old velocity, then the velocity updated",
            mutated(
                NESTEROV,
                """        velocity = mu * velocity - lr * grad(theta + mu * velocity)
        theta = theta + velocity""",
                """        theta_next = theta + velocity
        velocity = mu * velocity - lr * grad(theta + mu * velocity)
        theta = theta_next""",
            ),
        ),
        wrong(
            "nesterov",
            "nesterov_tests",
            "a second gradient per step, at θ_k, to watch the run",
            mutated(
                NESTEROV,
                "        theta = theta + velocity\n",
                "        theta = theta + velocity\n        grad(theta)\n",
            ),
        ),
        right(
            "nesterov",
            "Nesterov's original form: y = θ_k + β(θ_k − θ_k−1), θ_k+1 = y − α∇f(y)",
            """
def nesterov(grad, theta0, lr, momentum, steps):
    mu = momentum if callable(momentum) else (lambda t: momentum)
    previous = current = np.asarray(theta0, dtype=float)
    path = [current]
    for t in range(1, steps + 1):
        y = current + mu(t) * (current - previous)
        previous, current = current, y - lr * grad(y)
        path.append(current)
    return np.stack(path)
""",
        ),
        # Exercise 2
        wrong(
            "forms",
            "to_look_ahead_tests",
            "the next velocity v_k+1 = θ_k+1 − θ_k instead of v_k",
            mutated(FORMS, "prepend=thetas[:1]", "append=thetas[-1:]"),
        ),
        wrong(
            "forms",
            "to_look_ahead_tests",
            "θ'_k = θ_k + βθ_k−1: the previous iterate instead of the velocity",
            mutated(
                FORMS,
                "return thetas + momentum * velocities",
                "return thetas + momentum * np.vstack([thetas[:1] * 0, thetas[:-1]])",
            ),
        ),
        wrong(
            "forms",
            "from_look_ahead_tests",
            "the previous look-ahead point instead of the previous θ",
            mutated(FORMS, "momentum * thetas[k - 1]", "momentum * look_aheads[k - 1]"),
        ),
        wrong(
            "forms",
            "from_look_ahead_tests",
            "the forward map run backwards: θ_k = θ'_k − β(θ'_k − θ'_k−1)",
            mutated(
                FORMS,
                "thetas[k] = (look_aheads[k] + momentum * thetas[k - 1]) / (1 + momentum)",
                "thetas[k] = look_aheads[k] - momentum * (look_aheads[k] - look_aheads[k - 1])",
            ),
        ),
        right(
            "forms",
            "(1 + β)θ_k − βθ_k−1, and the inverse as one triangular solve",
            """
def to_look_ahead(thetas, momentum):
    thetas = np.array(thetas, dtype=float)
    result = thetas.copy()
    result[1:] = (1 + momentum) * thetas[1:] - momentum * thetas[:-1]
    return result


def from_look_ahead(look_aheads, momentum):
    look_aheads = np.array(look_aheads, dtype=float)
    K = len(look_aheads)
    M = (1 + momentum) * np.eye(K) - momentum * np.eye(K, k=-1)
    M[0, 0] = 1.0
    return np.linalg.solve(M, look_aheads)
""",
        ),
        # Exercise 3
        wrong(
            "rates",
            "nesterov_rate_tests",
            "the modulus of complex roots, √|β(1 − αλ)|, also where the roots are real",
            mutated(
                RATES,
                """    roots = np.roots([1.0, -(1.0 + beta) * c, beta * c])
    return float(np.max(np.abs(roots)))""",
                """    return float(np.sqrt(abs(beta * c)))""",
            ),
        ),
        wrong(
            "rates",
            "nesterov_rate_tests",
            "the heavy ball's polynomial z² − (1 + β − αλ)z + β",
            mutated(
                RATES,
                "np.roots([1.0, -(1.0 + beta) * c, beta * c])",
                "np.roots([1.0, -(1.0 + beta - alpha_lambda), beta])",
            ),
        ),
        wrong(
            "rates",
            "nesterov_rate_tests",
            "the smaller root instead of the larger",
            mutated(RATES, "float(np.max(np.abs(roots)))", "float(np.min(np.abs(roots)))"),
        ),
        wrong(
            "rates",
            "best_nesterov_pair_tests",
            "the chapter's pair: α = 1/L, β = (√κ − 1)/(√κ + 1)",
            RATE
            + """
def best_nesterov_pair(kappa):
    s = np.sqrt(kappa)
    return 1.0, (s - 1) / (s + 1), 1 - 1 / s
""",
        ),
        wrong(
            "rates",
            "best_nesterov_pair_tests",
            "the step kept at 1/L, only β searched",
            mutated(RATES, "np.array([2.0, 0.999])", "np.array([1.0, 0.999])")
            .replace("np.array([0.05, 0.0])", "np.array([1.0, 0.0])")
            .replace("[4.0, 0.9999]", "[1.0, 0.9999]"),
        ),
        wrong(
            "rates",
            "best_nesterov_pair_tests",
            "the worst case taken at λ_min only",
            mutated(RATES, "ends = np.array([1.0 / kappa, 1.0])", "ends = np.array([1.0 / kappa])"),
        ),
        right(
            "rates",
            "the companion matrix's eigenvalues, and Lessard et al.'s closed form",
            """
def nesterov_rate(alpha_lambda, beta):
    c = 1.0 - alpha_lambda
    T = np.array([[(1.0 + beta) * c, -beta * c], [1.0, 0.0]])
    return float(np.abs(np.linalg.eigvals(T)).max())


def best_nesterov_pair(kappa):
    q = np.sqrt(3 * kappa + 1)
    step, beta = 4 / (3 + 1 / kappa), (q - 2) / (q + 2)
    return step, beta, max(nesterov_rate(step / kappa, beta), nesterov_rate(step, beta))
""",
        ),
        right(
            "rates",
            "a grid, then scipy's Nelder–Mead on the worst of the two ends",
            RATE
            + """
def best_nesterov_pair(kappa):
    def worst(pair):
        step, beta = pair
        if step <= 0 or not 0 <= beta < 1:
            return np.inf
        return max(nesterov_rate(step / kappa, beta), nesterov_rate(step, beta))

    grid = [(s, b) for s in np.linspace(0.1, 2.0, 39) for b in np.linspace(0.0, 0.99, 100)]
    start = min(grid, key=worst)
    res = scipy.optimize.minimize(
        worst, start, method="Nelder-Mead", options={"xatol": 1e-9, "fatol": 1e-12}
    )
    return float(res.x[0]), float(res.x[1]), worst(res.x)
""",
        ),
    ],
}


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


class Kernel:
    """A Python kernel started in exercises/; ``run`` executes code and returns the error it
    raised, as "ExceptionName: message", or None."""

    def __init__(self):
        self.manager, self.client = start_new_kernel(kernel_name="python3", cwd=str(EXERCISES))

    def run(self, source):
        reply = self.client.execute_interactive(source, timeout=120, output_hook=lambda msg: None)
        content = reply["content"]
        return None if content["status"] == "ok" else f"{content['ename']}: {content['evalue']}"

    def close(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


@pytest.mark.parametrize("stem", sorted(ANSWERS))
def test_each_graded_cell_fails_the_wrong_answers_of_its_exercise_and_only_those(stem):
    nb = nbformat.read(EXERCISES / f"{stem}.ipynb", as_version=4)
    solutions = {
        grade_id(c): c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")
    }
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    answered = {answer.solution_id for answer in ANSWERS[stem]}
    assert answered == set(solutions), "every exercise needs wrong answers and a right one"
    kernel = Kernel()
    try:
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert kernel.run(cell.source) is None, (
                    f"the instructor's cell fails: {grade_id(cell)}"
                )
        mismatches = []
        for answer in ANSWERS[stem]:
            assert kernel.run(answer.source) is None, answer.description
            failed = {}
            for cell in graded:
                error = kernel.run(cell.source)
                if error is not None:
                    failed[grade_id(cell)] = error
            if set(failed) != answer.fails:
                mismatches.append((answer.solution_id, answer.description, failed))
            assert kernel.run(solutions[answer.solution_id]) is None
    finally:
        kernel.close()
    assert not mismatches, mismatches
