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
