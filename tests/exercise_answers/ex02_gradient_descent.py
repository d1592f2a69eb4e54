"""Chapter 2's graded notebook (gradient descent): the answers a student might hand in."""

from exercise_answers import mutated, right, wrong

# Right answers to exercises 1, 3(b) and 5, from which mistakes are made.
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

ANSWERS = [
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
]
