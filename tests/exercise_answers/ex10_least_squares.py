"""Chapter 10's graded notebook (Gauss–Newton and Levenberg–Marquardt): the answers a student
might hand in."""

from exercise_answers import mutated, right, wrong

GN = """
def gauss_newton_step(J, r):
    return np.linalg.solve(J.T @ J, -(J.T @ r))
"""
LM = """
def lm_step(J, r, mu, marquardt=False):
    JtJ = J.T @ J
    D = np.diag(np.diag(JtJ)) if marquardt else np.eye(J.shape[1])
    return np.linalg.solve(JtJ + mu * D, -(J.T @ r))
"""
NIELSEN = """
def nielsen_update(mu, nu, rho):
    if rho > 0:
        return True, mu * max(1 / 3, 1 - (2 * rho - 1) ** 3), 2.0
    return False, mu * nu, 2 * nu
"""
HESSIAN = """
def softmax_hessian(o):
    e = np.exp(o - np.max(o))
    p = e / e.sum()
    return np.diag(p) - np.outer(p, p)
"""
GGN = """
def ggn_product(W, X, V):
    logits = X @ W.T
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    u = X @ V.T
    hu = p * u - p * np.sum(p * u, axis=1, keepdims=True)
    return hu.T @ X / X.shape[0]
"""

ANSWERS = [
    # Exercise 1
    wrong(
        "gauss_newton_step",
        "gauss_newton_step_tests",
        "the survey's step: no minus sign",
        mutated(GN, "-(J.T @ r)", "J.T @ r"),
    ),
    wrong(
        "gauss_newton_step",
        "gauss_newton_step_tests",
        "'a diagonal approximation to the Hessian': −Jᵀr / diag(JᵀJ)",
        mutated(GN, "np.linalg.solve(J.T @ J, -(J.T @ r))", "-(J.T @ r) / np.diag(J.T @ J)"),
    ),
    wrong(
        "gauss_newton_step",
        "gauss_newton_step_tests",
        "a gradient step −Jᵀr instead of the Gauss–Newton step",
        mutated(GN, "np.linalg.solve(J.T @ J, -(J.T @ r))", "-(J.T @ r)"),
    ),
    wrong(
        "gauss_newton_step",
        "gauss_newton_step_tests",
        "J r where Jᵀr belongs, with the inverse formed",
        mutated(GN, "np.linalg.solve(J.T @ J, -(J.T @ r))", "-np.linalg.inv(J.T @ J) @ (J @ r)"),
    ),
    wrong(
        "gauss_newton_step",
        "gauss_newton_step_tests",
        "in-place: negates the caller's residuals",
        """
def gauss_newton_step(J, r):
    r *= -1
    return np.linalg.lstsq(J, r, rcond=None)[0]
""",
    ),
    right(
        "gauss_newton_step",
        "the normal equations, as the chapter warns against, still right on these problems",
        GN,
    ),
    right(
        "gauss_newton_step",
        "QR of J: R p = −Qᵀr",
        """
def gauss_newton_step(J, r):
    Q, R = np.linalg.qr(J)
    return np.linalg.solve(R, -(Q.T @ r))
""",
    ),
    # Exercise 2(a)
    wrong(
        "lm_step",
        "lm_step_tests",
        "μ added to every entry of JᵀJ, not to its diagonal",
        mutated(LM, "JtJ + mu * D", "JtJ + mu"),
    ),
    wrong(
        "lm_step",
        "lm_step_tests",
        "Marquardt's D as the vector diag(JᵀJ), broadcast along the rows",
        mutated(LM, "np.diag(np.diag(JtJ)) if marquardt", "np.diag(JtJ) if marquardt"),
    ),
    wrong(
        "lm_step",
        "lm_step_tests",
        "MINPACK's D (column norms, not their squares) in (10.3)",
        mutated(
            LM, "np.diag(np.diag(JtJ)) if marquardt", "np.diag(np.sqrt(np.diag(JtJ))) if marquardt"
        ),
    ),
    wrong(
        "lm_step",
        "lm_step_tests",
        "the marquardt flag ignored: always D = I",
        mutated(
            LM, "np.diag(np.diag(JtJ)) if marquardt else np.eye(J.shape[1])", "np.eye(J.shape[1])"
        ),
    ),
    wrong(
        "lm_step",
        "lm_step_tests",
        "no minus sign",
        mutated(LM, "-(J.T @ r)", "J.T @ r"),
    ),
    right(
        "lm_step",
        "the stacked least-squares problem [J; √(μD)] p ≈ [−r; 0]",
        """
def lm_step(J, r, mu, marquardt=False):
    n = J.shape[1]
    d = np.sum(J**2, axis=0) if marquardt else np.ones(n)
    A = np.vstack([J, np.diag(np.sqrt(mu * d))])
    b = np.concatenate([-r, np.zeros(n)])
    return np.linalg.lstsq(A, b, rcond=None)[0]
""",
    ),
    # Exercise 2(b)
    wrong(
        "nielsen_update",
        "nielsen_update_tests",
        "ν not reset to 2 after a success",
        mutated(NIELSEN, "(2 * rho - 1) ** 3), 2.0", "(2 * rho - 1) ** 3), nu"),
    ),
    wrong(
        "nielsen_update",
        "nielsen_update_tests",
        "a square where the cube belongs",
        mutated(NIELSEN, "(2 * rho - 1) ** 3", "(2 * rho - 1) ** 2"),
    ),
    wrong(
        "nielsen_update",
        "nielsen_update_tests",
        "ρ = 0 accepted (ρ ≥ 0)",
        mutated(NIELSEN, "if rho > 0:", "if rho >= 0:"),
    ),
    wrong(
        "nielsen_update",
        "nielsen_update_tests",
        "ν doubled before it multiplies μ",
        mutated(NIELSEN, "return False, mu * nu, 2 * nu", "return False, mu * 2 * nu, 2 * nu"),
    ),
    wrong(
        "nielsen_update",
        "nielsen_update_tests",
        "Marquardt's ÷3 without the smooth factor: μ/3 on every success",
        mutated(NIELSEN, "mu * max(1 / 3, 1 - (2 * rho - 1) ** 3)", "mu / 3"),
    ),
    right(
        "nielsen_update",
        "the factor written with min and a cube expanded",
        """
def nielsen_update(mu, nu, rho):
    if not rho > 0:
        return False, mu * nu, nu * 2
    s = 2 * rho - 1
    return True, mu * max(1 - s * s * s, 1 / 3), 2
""",
    ),
    # Exercise 3(a)
    wrong(
        "softmax_hessian",
        "softmax_hessian_tests",
        "diag(p) only, without −ppᵀ",
        mutated(HESSIAN, "np.diag(p) - np.outer(p, p)", "np.diag(p)"),
    ),
    wrong(
        "softmax_hessian",
        "softmax_hessian_tests",
        "pᵀp (a number) instead of the outer product ppᵀ",
        mutated(HESSIAN, "np.outer(p, p)", "p @ p"),
    ),
    wrong(
        "softmax_hessian",
        "softmax_hessian_tests",
        "the softmax without the shift: overflows at logits of several hundred",
        mutated(HESSIAN, "np.exp(o - np.max(o))", "np.exp(o)"),
    ),
    wrong(
        "softmax_hessian",
        "softmax_hessian_tests",
        "the logits used in place of the probabilities",
        mutated(HESSIAN, "p = e / e.sum()", "p = o"),
    ),
    right(
        "softmax_hessian",
        "the log-softmax first, then p = exp(log p)",
        """
def softmax_hessian(o):
    o = np.asarray(o, dtype=float)
    log_p = o - (np.max(o) + np.log(np.sum(np.exp(o - np.max(o)))))
    p = np.exp(log_p)
    H = -p[:, None] * p[None, :]
    H[np.diag_indices_from(H)] += p
    return H
""",
    ),
    # Exercise 3(b)
    wrong(
        "ggn_product",
        "ggn_product_tests",
        "sum over the rows instead of the mean",
        mutated(GGN, "return hu.T @ X / X.shape[0]", "return hu.T @ X"),
    ),
    wrong(
        "ggn_product",
        "ggn_product_tests",
        "diag(p) only: the −ppᵀ part of (10.11) forgotten",
        mutated(GGN, "hu = p * u - p * np.sum(p * u, axis=1, keepdims=True)", "hu = p * u"),
    ),
    wrong(
        "ggn_product",
        "ggn_product_tests",
        "Jᵀ applied on the wrong side: X.T @ hu, shape (d, K)",
        mutated(GGN, "return hu.T @ X / X.shape[0]", "return X.T @ hu / X.shape[0]"),
    ),
    wrong(
        "ggn_product",
        "ggn_product_tests",
        "a stabilising shift done in place: the caller's W changes",
        mutated(GGN, "    logits = X @ W.T\n", "    W -= W.max()\n    logits = X @ W.T\n"),
    ),
    wrong(
        "ggn_product",
        "ggn_product_tests",
        "the softmax without the shift: overflows for large logits",
        mutated(GGN, "np.exp(logits - logits.max(axis=1, keepdims=True))", "np.exp(logits)"),
    ),
    right(
        "ggn_product",
        "a loop over the rows with the explicit K×K matrix diag(p) − ppᵀ",
        """
def ggn_product(W, X, V):
    out = np.zeros_like(W, dtype=float)
    for x in X:
        o = W @ x
        p = np.exp(o - o.max())
        p /= p.sum()
        out += np.outer((np.diag(p) - np.outer(p, p)) @ (V @ x), x)
    return out / len(X)
""",
    ),
]
