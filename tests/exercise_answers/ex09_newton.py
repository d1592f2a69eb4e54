"""Chapter 9's graded notebook (Newton's method): the answers a student might hand in."""

from exercise_answers import mutated, right, wrong

STEP = """
def newton_step(H, g):
    return np.linalg.solve(H, -np.asarray(g, dtype=float))
"""
EIGEN = """
def eigen_direction(H, g, delta=1e-8):
    lam, Q = np.linalg.eigh(H)
    return -(Q @ ((Q.T @ g) / np.maximum(np.abs(lam), delta)))
"""
SHIFT = """
def shift_direction(H, g, beta=1e-3):
    n = H.shape[0]
    smallest = float(np.min(np.diag(H)))
    tau = 0.0 if smallest > 0 else beta - smallest
    while True:
        try:
            L = np.linalg.cholesky(H + tau * np.eye(n))
            break
        except np.linalg.LinAlgError:
            tau = max(2 * tau, beta)
    p = -np.linalg.solve(L.T, np.linalg.solve(L, g))
    return p, tau
"""
NEWTON1D = """
def newton_1d(df, d2f, x0, n):
    xs = [float(x0)]
    for _ in range(n):
        x = xs[-1]
        xs.append(x - df(x) / d2f(x))
    return np.array(xs)
"""
ORDER = """
def observed_order(errors):
    logs = np.log(np.asarray(errors, dtype=float))
    steps = np.diff(logs)
    return steps[1:] / steps[:-1]
"""
RATIO = """
def degenerate_ratio(m):
    return (2 * m - 2) / (2 * m - 1)
"""
IRLS = """
def irls_step(X, y, w, l2):
    m = X.shape[0]
    z = X @ w
    s = 0.5 * (1 + np.tanh(0.5 * z))
    d = s * (1 - s)
    u = z - (s - y) / d
    A = (X.T * d) @ X / m + l2 * np.eye(X.shape[1])
    return np.linalg.solve(A, X.T @ (d * u) / m)
"""
PRODUCTS = """
def hessian_from_products(hessp, n):
    H = np.empty((n, n))
    for i in range(n):
        e = np.zeros(n)
        e[i] = 1.0
        H[:, i] = hessp(e)
    return H
"""

ANSWERS = [
    # Exercise 1(a)
    wrong(
        "newton_step",
        "newton_step_tests",
        "the sign: H p = g",
        mutated(STEP, "-np.asarray(g, dtype=float)", "np.asarray(g, dtype=float)"),
    ),
    wrong(
        "newton_step",
        "newton_step_tests",
        "the diagonal only: p = −g / diag(H)",
        mutated(
            STEP,
            "np.linalg.solve(H, -np.asarray(g, dtype=float))",
            "-np.asarray(g, dtype=float) / np.diag(H)",
        ),
    ),
    wrong(
        "newton_step",
        "newton_step_tests",
        "g negated in place, the caller's g changed",
        """
def newton_step(H, g):
    g *= -1
    return np.linalg.solve(H, g)
""",
    ),
    wrong(
        "newton_step",
        "newton_step_tests",
        "a gradient step instead: p = −g",
        mutated(
            STEP, "np.linalg.solve(H, -np.asarray(g, dtype=float))", "-np.asarray(g, dtype=float)"
        ),
    ),
    right(
        "newton_step",
        "with the explicit inverse",
        """
def newton_step(H, g):
    return -np.linalg.inv(H) @ g
""",
    ),
    right(
        "newton_step",
        "by SciPy's symmetric solver",
        """
import scipy.linalg


def newton_step(H, g):
    return -scipy.linalg.solve(H, g, assume_a="sym")
""",
    ),
    # Exercise 1(b)
    wrong(
        "eigen_direction",
        "eigen_direction_tests",
        "Nocedal and Wright's floor max(λ, δ) instead of max(|λ|, δ)",
        mutated(EIGEN, "np.maximum(np.abs(lam), delta)", "np.maximum(lam, delta)"),
    ),
    wrong(
        "eigen_direction",
        "eigen_direction_tests",
        "no floor δ: |λ| alone",
        mutated(EIGEN, "np.maximum(np.abs(lam), delta)", "np.abs(lam)"),
    ),
    wrong(
        "eigen_direction",
        "eigen_direction_tests",
        "Q and Qᵀ swapped",
        mutated(EIGEN, "-(Q @ ((Q.T @ g)", "-(Q.T @ ((Q @ g)"),
    ),
    wrong(
        "eigen_direction",
        "eigen_direction_tests",
        "the sign: uphill",
        mutated(EIGEN, "return -(Q @", "return (Q @"),
    ),
    right(
        "eigen_direction",
        "by building the repaired matrix and solving with it",
        """
def eigen_direction(H, g, delta=1e-8):
    lam, Q = np.linalg.eigh(H)
    repaired = Q @ np.diag(np.maximum(np.abs(lam), delta)) @ Q.T
    return np.linalg.solve(repaired, -g)
""",
    ),
    # Exercise 1(c)
    wrong(
        "shift_direction",
        "shift_direction_tests",
        "τ starts at 0 even when a diagonal entry is not positive",
        mutated(SHIFT, "tau = 0.0 if smallest > 0 else beta - smallest", "tau = 0.0"),
    ),
    wrong(
        "shift_direction",
        "shift_direction_tests",
        "τ grows by β instead of doubling",
        mutated(SHIFT, "tau = max(2 * tau, beta)", "tau = tau + beta"),
    ),
    wrong(
        "shift_direction",
        "shift_direction_tests",
        "τ starts at β − min Hᵢᵢ even when the diagonal is positive",
        mutated(SHIFT, "tau = 0.0 if smallest > 0 else beta - smallest", "tau = beta - smallest"),
    ),
    wrong(
        "shift_direction",
        "shift_direction_tests",
        "p solves H p = −g, without the shift",
        mutated(
            SHIFT, "p = -np.linalg.solve(L.T, np.linalg.solve(L, g))", "p = -np.linalg.solve(H, g)"
        ),
    ),
    right(
        "shift_direction",
        "positive definiteness tested by the eigenvalues",
        """
def shift_direction(H, g, beta=1e-3):
    n = len(g)
    tau = 0.0 if np.all(np.diag(H) > 0) else beta - np.diag(H).min()
    while np.linalg.eigvalsh(H + tau * np.eye(n))[0] <= 0:
        tau = max(2 * tau, beta)
    return np.linalg.solve(H + tau * np.eye(n), -g), tau
""",
    ),
    # Exercise 2(a)
    wrong(
        "newton_1d",
        "newton_1d_tests",
        "the fraction upside down: x − f''/f'",
        mutated(NEWTON1D, "x - df(x) / d2f(x)", "x - d2f(x) / df(x)"),
    ),
    wrong(
        "newton_1d",
        "newton_1d_tests",
        "the curvature frozen at x0 (the chord method)",
        mutated(NEWTON1D, "x - df(x) / d2f(x)", "x - df(x) / d2f(x0)"),
    ),
    wrong(
        "newton_1d",
        "newton_1d_tests",
        "x_0 left out: n iterates",
        mutated(NEWTON1D, "return np.array(xs)", "return np.array(xs[1:])"),
    ),
    right(
        "newton_1d",
        "a preallocated array",
        """
def newton_1d(df, d2f, x0, n):
    xs = np.empty(n + 1)
    xs[0] = x0
    for k in range(n):
        xs[k + 1] = xs[k] - df(xs[k]) / d2f(xs[k])
    return xs
""",
    ),
    # Exercise 2(b)
    wrong(
        "observed_order",
        "observed_order_tests",
        "the rate e_(k+1)/e_k, not the order",
        """
def observed_order(errors):
    e = np.asarray(errors, dtype=float)
    return e[2:] / e[1:-1]
""",
    ),
    wrong(
        "observed_order",
        "observed_order_tests",
        "log e_(k+1) / log e_k",
        """
def observed_order(errors):
    logs = np.log(np.asarray(errors, dtype=float))
    return logs[2:] / logs[1:-1]
""",
    ),
    wrong(
        "observed_order",
        "observed_order_tests",
        "the ratio upside down",
        mutated(ORDER, "steps[1:] / steps[:-1]", "steps[:-1] / steps[1:]"),
    ),
    wrong(
        "observed_order",
        "observed_order_tests",
        "one estimate too many, a wrapped index",
        """
def observed_order(errors):
    logs = np.log(np.asarray(errors, dtype=float))
    steps = np.diff(logs)
    return steps / np.roll(steps, 1)
""",
    ),
    right(
        "observed_order",
        "a loop over k",
        """
def observed_order(errors):
    e = list(errors)
    return np.array(
        [math.log(e[k + 1] / e[k]) / math.log(e[k] / e[k - 1]) for k in range(1, len(e) - 1)]
    )
""",
    ),
    # Exercise 2(c)
    wrong(
        "degenerate_ratio",
        "degenerate_ratio_tests",
        "1/(2m − 1), the part removed",
        mutated(RATIO, "(2 * m - 2) / (2 * m - 1)", "1 / (2 * m - 1)"),
    ),
    wrong(
        "degenerate_ratio",
        "degenerate_ratio_tests",
        "(2m − 1)/(2m)",
        mutated(RATIO, "(2 * m - 2) / (2 * m - 1)", "(2 * m - 1) / (2 * m)"),
    ),
    wrong(
        "degenerate_ratio",
        "degenerate_ratio_tests",
        "integer division",
        mutated(RATIO, "(2 * m - 2) / (2 * m - 1)", "(2 * m - 2) // (2 * m - 1)"),
    ),
    wrong(
        "degenerate_ratio",
        "degenerate_ratio_tests",
        "measured on x⁴ and hard-coded",
        mutated(RATIO, "(2 * m - 2) / (2 * m - 1)", "2 / 3"),
    ),
    right(
        "degenerate_ratio",
        "written as 1 − 1/(2m − 1)",
        """
def degenerate_ratio(m):
    return 1.0 - 1.0 / (2.0 * m - 1.0)
""",
    ),
    # Exercise 3(a)
    wrong(
        "irls_step",
        "irls_step_tests",
        "sums instead of means, λ kept",
        mutated(IRLS, "A = (X.T * d) @ X / m + l2", "A = (X.T * d) @ X + l2").replace(
            "X.T @ (d * u) / m", "X.T @ (d * u)"
        ),
    ),
    wrong(
        "irls_step",
        "irls_step_tests",
        "the ridge term forgotten",
        mutated(IRLS, " + l2 * np.eye(X.shape[1])", ""),
    ),
    wrong(
        "irls_step",
        "irls_step_tests",
        "weights σ instead of σ(1 − σ)",
        mutated(IRLS, "d = s * (1 - s)", "d = s"),
    ),
    wrong(
        "irls_step",
        "irls_step_tests",
        "the working response with the wrong sign",
        mutated(IRLS, "u = z - (s - y) / d", "u = z + (s - y) / d"),
    ),
    right(
        "irls_step",
        "as w − H⁻¹∇f, the Newton form",
        """
def irls_step(X, y, w, l2):
    m = X.shape[0]
    s = 0.5 * (1 + np.tanh(0.5 * (X @ w)))
    grad = X.T @ (s - y) / m + l2 * w
    H = X.T @ (X * (s * (1 - s))[:, None]) / m + l2 * np.eye(len(w))
    return w - np.linalg.solve(H, grad)
""",
    ),
    # Exercise 3(b)
    wrong(
        "hessian_from_products",
        "hessian_from_products_tests",
        "one basis vector reused without resetting: cumulative sums",
        """
def hessian_from_products(hessp, n):
    e = np.zeros(n)
    columns = []
    for i in range(n):
        e[i] = 1.0
        columns.append(hessp(e))
    return np.column_stack(columns)
""",
    ),
    wrong(
        "hessian_from_products",
        "hessian_from_products_tests",
        "an extra product at 0",
        mutated(
            PRODUCTS,
            "    H = np.empty((n, n))\n",
            "    H = np.empty((n, n))\n    hessp(np.zeros(n))\n",
        ),
    ),
    wrong(
        "hessian_from_products",
        "hessian_from_products_tests",
        "products stored as rows",
        mutated(PRODUCTS, "H[:, i] = hessp(e)", "H[i, :] = hessp(e)"),
    ),
    right(
        "hessian_from_products",
        "the columns of the identity, stacked",
        """
def hessian_from_products(hessp, n):
    return np.column_stack([hessp(e) for e in np.eye(n)])
""",
    ),
]
