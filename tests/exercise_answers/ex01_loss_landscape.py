"""Chapter 1's graded notebook (the loss landscape): the answers a student might hand in."""

from exercise_answers import mutated, right, wrong

# Right answers from which mistakes are made.
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

ANSWERS = [
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
        mutated(SYMMETRIES, "(W2 * sign, b2.copy())", "(W2 * sign[:, None][: len(W2)], b2.copy())"),
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
]
