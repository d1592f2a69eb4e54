"""Chapter 15's graded notebook (Newton-CG, Hessian-free): the answers a student might hand in."""

from exercise_answers import mutated, right, wrong

FD = """
def fd_hessp(grad, theta, v, h):
    return (grad(theta + h * v) - grad(theta)) / h
"""
AUTO = """
def auto_hessp(grad, theta, v):
    norm = np.linalg.norm(v)
    u = v / norm
    h = np.finfo(float).eps ** (1 / 3) * (1.0 + np.linalg.norm(theta))
    return norm * (grad(theta + h * u) - grad(theta - h * u)) / (2 * h)
"""
CG = """
def truncated_cg(hessp, g, tol, max_iter):
    p = np.zeros_like(g, dtype=float)
    r = np.array(g, dtype=float)
    d = -r
    rr = r @ r
    for j in range(max_iter):
        Bd = hessp(d)
        curvature = d @ Bd
        if curvature <= 0:
            return (-np.array(g, dtype=float) if j == 0 else p), "negative curvature"
        alpha = rr / curvature
        p = p + alpha * d
        r = r + alpha * Bd
        rr_new = r @ r
        if np.sqrt(rr_new) <= tol:
            return p, "converged"
        d = -r + (rr_new / rr) * d
        rr = rr_new
    return p, "max_iter"
"""
RHO = """
def reduction_ratio(f_old, f_new, g, p, Hp):
    if not np.isfinite(f_new):
        return -np.inf
    return (f_new - f_old) / (g @ p + 0.5 * (p @ Hp))
"""
MARTENS = """
def martens_update(lam, rho, omega=1.5):
    if rho < 0.25:
        return omega * lam
    if rho > 0.75:
        return lam / omega
    return lam
"""
GN = """
def gn_product(W1, W2, X, V1, V2):
    S = X @ W1.T
    A = np.tanh(S)
    D = 1.0 - A**2
    R_a = D * (X @ V1.T)
    U = A @ V2.T + R_a @ W2.T
    N = X.shape[0]
    G2 = U.T @ A / N
    delta = (U @ W2) * D
    G1 = delta.T @ X / N
    return G1, G2
"""

ANSWERS = [
    # Exercise 1 (a)
    wrong(
        "fd_hessp",
        "fd_hessp_tests",
        "forgets to divide by h",
        mutated(FD, "(grad(theta + h * v) - grad(theta)) / h", "grad(theta + h * v) - grad(theta)"),
    ),
    wrong(
        "fd_hessp",
        "fd_hessp_tests",
        "steps by h along every coordinate (θ + h), forgetting the direction v",
        mutated(FD, "grad(theta + h * v)", "grad(theta + h)"),
    ),
    wrong(
        "fd_hessp",
        "fd_hessp_tests",
        "the difference the wrong way round",
        mutated(FD, "(grad(theta + h * v) - grad(theta))", "(grad(theta) - grad(theta + h * v))"),
    ),
    wrong(
        "fd_hessp",
        "fd_hessp_tests",
        "a central difference divided by h instead of 2h",
        mutated(FD, "grad(theta)) / h", "grad(theta - h * v)) / h"),
    ),
    wrong(
        "fd_hessp",
        "fd_hessp_tests",
        "in-place: moves the caller's θ",
        """
def fd_hessp(grad, theta, v, h):
    g0 = grad(theta)
    theta += h * v
    return (grad(theta) - g0) / h
""",
    ),
    right("fd_hessp", "the reference", FD),
    right(
        "fd_hessp",
        "a copy of θ moved in place, then the quotient",
        """
def fd_hessp(grad, theta, v, h):
    moved = np.array(theta, dtype=float)
    moved += h * np.asarray(v)
    return np.subtract(grad(moved), grad(theta)) * (1.0 / h)
""",
    ),
    # Exercise 1 (b)
    wrong(
        "auto_hessp",
        "auto_hessp_tests",
        "the textbook h = √u, not scaled by ‖v‖: round-off for a tiny v, truncation for a huge one",
        """
def auto_hessp(grad, theta, v):
    h = np.sqrt(np.finfo(float).eps)
    return (grad(theta + h * v) - grad(theta)) / h
""",
    ),
    wrong(
        "auto_hessp",
        "auto_hessp_tests",
        "h scaled by ‖v‖ the wrong way (h·v grows with ‖v‖²)",
        """
def auto_hessp(grad, theta, v):
    h = np.sqrt(np.finfo(float).eps) * np.linalg.norm(v)
    return (grad(theta + h * v) - grad(theta)) / h
""",
    ),
    wrong(
        "auto_hessp",
        "auto_hessp_tests",
        "a unit direction but a forward difference with h = 1e-4: truncation error 1e-4",
        mutated(
            AUTO,
            """    h = np.finfo(float).eps ** (1 / 3) * (1.0 + np.linalg.norm(theta))
    return norm * (grad(theta + h * u) - grad(theta - h * u)) / (2 * h)""",
            """    h = 1e-4
    return norm * (grad(theta + h * u) - grad(theta)) / h""",
        ),
    ),
    wrong(
        "auto_hessp",
        "auto_hessp_tests",
        "the smallest step is best: h = 1e-14 along a unit direction (round-off)",
        mutated(AUTO, "np.finfo(float).eps ** (1 / 3) * (1.0 + np.linalg.norm(theta))", "1e-14"),
    ),
    wrong(
        "auto_hessp",
        "auto_hessp_tests",
        "normalises v but forgets to scale the product back by ‖v‖",
        mutated(AUTO, "return norm * (", "return ("),
    ),
    right("auto_hessp", "the reference: central difference, h = u^(1/3)(1 + ‖θ‖)", AUTO),
    right(
        "auto_hessp",
        "forward difference with h = √u (1 + ‖θ‖)/‖v‖",
        """
def auto_hessp(grad, theta, v):
    h = np.sqrt(np.finfo(float).eps) * (1 + np.linalg.norm(theta)) / np.linalg.norm(v)
    return (grad(theta + h * v) - grad(theta)) / h
""",
    ),
    # Exercise 2
    wrong(
        "truncated_cg",
        "truncated_cg_tests",
        "no negative-curvature test: plain CG on an indefinite matrix",
        mutated(
            CG,
            """        if curvature <= 0:
            return (-np.array(g, dtype=float) if j == 0 else p), "negative curvature"
""",
            "",
        ),
    ),
    wrong(
        "truncated_cg",
        "truncated_cg_tests",
        "at negative curvature, takes the step along d anyway, then stops",
        mutated(
            CG,
            "(-np.array(g, dtype=float) if j == 0 else p), ",
            "p + rr / curvature * d, ",
        ),
    ),
    wrong(
        "truncated_cg",
        "truncated_cg_tests",
        "returns z₀ = 0 instead of −g when the first direction has negative curvature",
        mutated(CG, "(-np.array(g, dtype=float) if j == 0 else p)", "p"),
    ),
    wrong(
        "truncated_cg",
        "truncated_cg_tests",
        "recomputes the residual B p + g with a second product per iteration",
        mutated(CG, "        r = r + alpha * Bd\n", "        r = hessp(p) + g\n"),
    ),
    wrong(
        "truncated_cg",
        "truncated_cg_tests",
        "the residual with the wrong sign, r = −g at p = 0",
        mutated(
            CG,
            "    r = np.array(g, dtype=float)\n    d = -r",
            "    r = -np.array(g, dtype=float)\n    d = r",
        ),
    ),
    wrong(
        "truncated_cg",
        "truncated_cg_tests",
        "in-place: the residual is the caller's g, updated in place",
        mutated(CG, "    r = np.array(g, dtype=float)\n", "    r = g\n").replace(
            "        r = r + alpha * Bd\n", "        r += alpha * Bd\n"
        ),
    ),
    wrong(
        "truncated_cg",
        "truncated_cg_tests",
        "a relative tolerance tol·‖g‖ where the statement asks for an absolute one",
        mutated(CG, "if np.sqrt(rr_new) <= tol:", "if np.sqrt(rr_new) <= tol * np.linalg.norm(g):"),
    ),
    right("truncated_cg", "the reference", CG),
    right(
        "truncated_cg",
        "a while loop, with the iterate kept as z and the test on ‖r‖",
        """
def truncated_cg(hessp, g, tol, max_iter):
    g = np.asarray(g, dtype=float)
    z = np.zeros(g.size)
    r = g.copy()
    d = -g.copy()
    j = 0
    while j < max_iter:
        Bd = np.asarray(hessp(d), dtype=float)
        dBd = float(np.dot(d, Bd))
        if dBd <= 0.0:
            if j == 0:
                return -g.copy(), "negative curvature"
            return z, "negative curvature"
        step = np.dot(r, r) / dBd
        z = z + step * d
        r_next = r + step * Bd
        if np.linalg.norm(r_next) <= tol:
            return z, "converged"
        beta = np.dot(r_next, r_next) / np.dot(r, r)
        d = beta * d - r_next
        r = r_next
        j += 1
    return z, "max_iter"
""",
    ),
    # Exercise 3 (a)
    wrong(
        "reduction_ratio",
        "reduction_ratio_tests",
        "the decrease f_old − f_new over the (negative) model change: ρ with the wrong sign",
        mutated(RHO, "(f_new - f_old)", "(f_old - f_new)"),
    ),
    wrong(
        "reduction_ratio",
        "reduction_ratio_tests",
        "forgets the ½ of the quadratic term",
        mutated(RHO, "0.5 * (p @ Hp)", "(p @ Hp)"),
    ),
    wrong(
        "reduction_ratio",
        "reduction_ratio_tests",
        "the linear model gᵀp only",
        mutated(RHO, "(g @ p + 0.5 * (p @ Hp))", "(g @ p)"),
    ),
    wrong(
        "reduction_ratio",
        "reduction_ratio_tests",
        "the ratio upside down: predicted over actual",
        mutated(
            RHO,
            "(f_new - f_old) / (g @ p + 0.5 * (p @ Hp))",
            "(g @ p + 0.5 * (p @ Hp)) / (f_new - f_old)",
        ),
    ),
    wrong(
        "reduction_ratio",
        "reduction_ratio_tests",
        "no guard: inf / negative gives −inf, but NaN stays NaN",
        mutated(RHO, "    if not np.isfinite(f_new):\n        return -np.inf\n", ""),
    ),
    right("reduction_ratio", "the reference", RHO),
    right(
        "reduction_ratio",
        "the model change written as pᵀ(g + ½Hp)",
        """
def reduction_ratio(f_old, f_new, g, p, Hp):
    if np.isnan(f_new) or np.isinf(f_new):
        return float("-inf")
    predicted = np.dot(p, g + Hp / 2)
    return float((f_new - f_old) / predicted)
""",
    ),
    # Exercise 3 (b)
    wrong(
        "martens_update",
        "martens_update_tests",
        "the rule backwards: a poor step lowers the damping",
        mutated(
            MARTENS,
            "return omega * lam\n    if rho > 0.75:\n        return lam / omega",
            "return lam / omega\n    if rho > 0.75:\n        return omega * lam",
        ),
    ),
    wrong(
        "martens_update",
        "martens_update_tests",
        "the thresholds swapped (¾ for ¼)",
        mutated(MARTENS, "rho < 0.25", "rho < 0.75").replace("rho > 0.75", "rho > 0.25"),
    ),
    wrong(
        "martens_update",
        "martens_update_tests",
        "≤ ¼ where (15.8) has a strict inequality",
        mutated(MARTENS, "rho < 0.25", "rho <= 0.25"),
    ),
    wrong(
        "martens_update",
        "martens_update_tests",
        "ω fixed at 3/2, ignoring the argument",
        mutated(MARTENS, "return omega * lam", "return 1.5 * lam").replace(
            "return lam / omega", "return lam / 1.5"
        ),
    ),
    right("martens_update", "the reference", MARTENS),
    right(
        "martens_update",
        "a factor chosen from a table",
        """
def martens_update(lam, rho, omega=1.5):
    factor = omega if rho < 1 / 4 else (1 / omega if rho > 3 / 4 else 1.0)
    return lam * factor
""",
    ),
    # Exercise 4
    wrong(
        "gn_product",
        "gn_product_tests",
        "forgets tanh′ in the forward pass: R{a} = V1 x",
        mutated(GN, "R_a = D * (X @ V1.T)", "R_a = X @ V1.T"),
    ),
    wrong(
        "gn_product",
        "gn_product_tests",
        "J V without the hidden layer's change: only V2 a",
        mutated(GN, "U = A @ V2.T + R_a @ W2.T", "U = A @ V2.T"),
    ),
    wrong(
        "gn_product",
        "gn_product_tests",
        "a sum over the rows where the loss is a mean",
        mutated(GN, "    N = X.shape[0]\n", "    N = 1\n"),
    ),
    wrong(
        "gn_product",
        "gn_product_tests",
        "backpropagates without tanh′",
        mutated(GN, "delta = (U @ W2) * D", "delta = U @ W2"),
    ),
    wrong(
        "gn_product",
        "gn_product_tests",
        "returns the pair in the wrong order",
        mutated(GN, "return G1, G2", "return G2, G1"),
    ),
    right("gn_product", "the reference", GN),
    right(
        "gn_product",
        "per example, with explicit Jacobians of each output (small sizes only)",
        """
def gn_product(W1, W2, X, V1, V2):
    h, d = W1.shape
    K = W2.shape[0]
    G1, G2 = np.zeros_like(W1, dtype=float), np.zeros_like(W2, dtype=float)
    for x in X:
        a = np.tanh(W1 @ x)
        dphi = 1 - a * a
        # J1[k] = ∂o_k/∂W1 (h, d), J2[k] = ∂o_k/∂W2 (K, h)
        J1 = np.einsum("kj,j,i->kji", W2, dphi, x)
        J2 = np.einsum("kl,j->klj", np.eye(K), a)
        Jv = np.einsum("kji,ji->k", J1, V1) + np.einsum("klj,lj->k", J2, V2)
        G1 += np.einsum("kji,k->ji", J1, Jv)
        G2 += np.einsum("klj,k->lj", J2, Jv)
    return G1 / len(X), G2 / len(X)
""",
    ),
]
