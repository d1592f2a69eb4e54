"""Chapter 11's graded notebook (conjugate gradients): the answers a student might hand in."""

from exercise_answers import mutated, right, wrong

CG = """
def cg(A, b, tol=1e-10):
    n = len(b)
    x = np.zeros(n)
    r = -np.array(b, dtype=float)
    d = -r
    rr = r @ r
    threshold = tol * np.linalg.norm(b)
    directions = []
    while np.sqrt(rr) > threshold and len(directions) < 10 * n:
        directions.append(d.copy())
        Ad = A @ d
        alpha = rr / (d @ Ad)
        x = x + alpha * d
        r = r + alpha * Ad
        rr_new = r @ r
        d = -r + (rr_new / rr) * d
        rr = rr_new
    return x, np.array(directions).reshape(-1, n)
"""
PCG = """
def pcg(A, b, m, tol=1e-10):
    n = len(b)
    x = np.zeros(n)
    r = -np.array(b, dtype=float)
    z = r / m
    d = -z
    rz = r @ z
    threshold = tol * np.linalg.norm(b)
    directions = []
    while np.linalg.norm(r) > threshold and len(directions) < 10 * n:
        directions.append(d.copy())
        Ad = A @ d
        alpha = rz / (d @ Ad)
        x = x + alpha * d
        r = r + alpha * Ad
        z = r / m
        rz_new = r @ z
        d = -z + (rz_new / rz) * d
        rz = rz_new
    return x, np.array(directions).reshape(-1, n)
"""
BETA = """
def cg_beta(g_new, g_old, d_old, rule):
    y = g_new - g_old
    if rule == "FR":
        return (g_new @ g_new) / (g_old @ g_old)
    if rule == "PR":
        return (g_new @ y) / (g_old @ g_old)
    if rule == "PR+":
        return max((g_new @ y) / (g_old @ g_old), 0.0)
    if rule == "HS":
        return (g_new @ y) / (d_old @ y)
    raise ValueError(rule)
"""
DIRECTION = """
def next_direction(g_new, g_old, d_old, beta, nu=0.1):
    if nu is not None and abs(g_new @ g_old) >= nu * (g_new @ g_new):
        return -g_new
    d = -g_new + beta * d_old
    if g_new @ d >= 0:
        return -g_new
    return d
"""
RHS = """
def three_step_rhs(A):
    eigenvalues, V = np.linalg.eigh(A)
    return V[:, :3] @ np.ones(3)
"""

ANSWERS = [
    # Exercise 1(a)
    wrong(
        "cg",
        "cg_tests",
        "the survey's sign: d₀ = r₀ = ∇φ, uphill",
        mutated(CG, "    d = -r\n", "    d = r.copy()\n"),
    ),
    wrong(
        "cg",
        "cg_tests",
        "the survey's sign in every direction: d ← r + βd",
        mutated(CG, "d = -r + (rr_new / rr) * d", "d = r + (rr_new / rr) * d"),
    ),
    wrong(
        "cg",
        "cg_tests",
        "β upside down: rₖᵀrₖ / rₖ₊₁ᵀrₖ₊₁",
        mutated(CG, "(rr_new / rr) * d", "(rr / rr_new) * d"),
    ),
    wrong(
        "cg",
        "cg_tests",
        "α without A: rᵀr / dᵀd",
        mutated(CG, "alpha = rr / (d @ Ad)", "alpha = rr / (d @ d)"),
    ),
    wrong(
        "cg",
        "cg_tests",
        "an absolute stopping test ‖r‖ ≤ tol",
        mutated(CG, "threshold = tol * np.linalg.norm(b)", "threshold = tol"),
    ),
    wrong(
        "cg",
        "cg_tests",
        "in-place aliasing: d = r (no copy), then d *= β; d -= r",
        """
def cg(A, b, tol=1e-10):
    n = len(b)
    x = np.zeros(n)
    r = -np.array(b, dtype=float)
    d = r
    d *= -1
    rr = r @ r
    directions = []
    while np.sqrt(rr) > tol * np.linalg.norm(b) and len(directions) < 10 * n:
        directions.append(d.copy())
        Ad = A @ d
        alpha = rr / (d @ Ad)
        x += alpha * d
        r += alpha * Ad
        rr_new = r @ r
        d *= rr_new / rr
        d -= r
        rr = rr_new
    return x, np.array(directions).reshape(-1, n)
""",
    ),
    wrong(
        "cg",
        "cg_tests",
        "off by one: the direction recorded after it is updated",
        mutated(
            CG,
            "        directions.append(d.copy())\n        Ad = A @ d",
            "        Ad = A @ d",
        ).replace(
            "        rr = rr_new\n", "        rr = rr_new\n        directions.append(d.copy())\n"
        ),
    ),
    wrong(
        "cg",
        "cg_tests",
        "the residual as b − Ax but updated with the sign of Ax − b",
        mutated(CG, "r = -np.array(b, dtype=float)", "r = np.array(b, dtype=float)"),
    ),
    wrong(
        "cg",
        "cg_tests",
        "in-place on the caller's b: r = b, and the residual updated in place",
        """
def cg(A, b, tol=1e-10):
    n = len(b)
    threshold = tol * np.linalg.norm(b)
    x = np.zeros(n)
    r = b  # r = b − Ax, the textbook's sign, but no copy
    d = r.copy()
    rr = r @ r
    directions = []
    while np.sqrt(rr) > threshold and len(directions) < 10 * n:
        directions.append(d.copy())
        Ad = A @ d
        alpha = rr / (d @ Ad)
        x = x + alpha * d
        r -= alpha * Ad
        rr_new = r @ r
        d = r + (rr_new / rr) * d
        rr = rr_new
    return x, np.array(directions).reshape(-1, n)
""",
    ),
    right(
        "cg",
        "the textbook's residual b − Ax (Hestenes–Stiefel's sign), with a for loop",
        """
def cg(A, b, tol=1e-10):
    b = np.asarray(b, dtype=float)
    n = b.size
    x, r = np.zeros(n), b.copy()
    p = r.copy()
    D = []
    for _ in range(10 * n):
        if np.linalg.norm(r) <= tol * np.linalg.norm(b):
            break
        D.append(p)
        Ap = A @ p
        a = (r @ r) / (p @ Ap)
        x = x + a * p
        r_next = r - a * Ap
        p = r_next + (r_next @ r_next) / (r @ r) * p
        r = r_next
    return x, np.array(D).reshape(-1, n)
""",
    ),
    right(
        "cg",
        "the first forms of α and β, −rᵀd/dᵀAd and rₖ₊₁ᵀAdₖ/dₖᵀAdₖ (the SymPy cell's)",
        """
def cg(A, b, tol=1e-10):
    n = len(b)
    x = np.zeros(n)
    r = -b.astype(float)
    d = -r
    D = []
    while np.linalg.norm(r) > tol * np.linalg.norm(b) and len(D) < 10 * n:
        D.append(d)
        Ad = A @ d
        curvature = d @ Ad
        x = x - (r @ d) / curvature * d
        r = A @ x - b
        d = -r + (r @ Ad) / curvature * d
    return x, np.array(D).reshape(-1, n)
""",
    ),
    # Exercise 1(b)
    wrong(
        "pcg",
        "pcg_tests",
        "the preconditioner forgotten in the direction: d ← −r + βd",
        mutated(PCG, "d = -z + (rz_new / rz) * d", "d = -r + (rz_new / rz) * d"),
    ),
    wrong(
        "pcg",
        "pcg_tests",
        "z = Mr instead of M⁻¹r",
        mutated(PCG, "z = r / m", "z = r * m", count=2),
    ),
    wrong(
        "pcg",
        "pcg_tests",
        "plain CG's β = rₖ₊₁ᵀrₖ₊₁ / rₖᵀrₖ with preconditioned directions",
        mutated(
            PCG,
            "        r = r + alpha * Ad\n",
            "        rr_old = r @ r\n        r = r + alpha * Ad\n",
        ).replace("(rz_new / rz) * d", "((r @ r) / rr_old) * d"),
    ),
    wrong(
        "pcg",
        "pcg_tests",
        "plain CG's α = rᵀr / dᵀAd",
        mutated(PCG, "alpha = rz / (d @ Ad)", "alpha = (r @ r) / (d @ Ad)"),
    ),
    wrong(
        "pcg",
        "pcg_tests",
        "M^½ where M^-½ belongs: CG on the wrongly scaled system",
        """
def pcg(A, b, m, tol=1e-10):
    s = np.sqrt(m)
    A_hat = s[:, None] * A * s[None, :]
    n = len(b)
    x, r = np.zeros(n), -(b * s)
    d = -r
    D = []
    while np.linalg.norm(r) > tol * np.linalg.norm(b * s) and len(D) < 10 * n:
        D.append(d * s)
        Ad = A_hat @ d
        alpha = (r @ r) / (d @ Ad)
        x = x + alpha * d
        r_new = r + alpha * Ad
        d = -r_new + (r_new @ r_new) / (r @ r) * d
        r = r_new
    return x * s, np.array(D).reshape(-1, n)
""",
    ),
    wrong(
        "pcg",
        "pcg_tests",
        "the stopping test on the preconditioned residual ‖z‖ ≤ tol‖b‖",
        mutated(PCG, "while np.linalg.norm(r) > threshold", "while np.linalg.norm(z) > threshold"),
    ),
    right(
        "pcg",
        "plain CG on M^-½AM^-½ and b̂ = M^-½b, mapped back: x = M^-½x̂, d = M^-½d̂",
        """
def pcg(A, b, m, tol=1e-10):
    s = 1 / np.sqrt(m)
    A_hat = s[:, None] * A * s[None, :]
    n = len(b)
    x, r = np.zeros(n), -(b * s)
    d = -r
    D = []
    while np.linalg.norm(r / s) > tol * np.linalg.norm(b) and len(D) < 10 * n:
        D.append(d * s)
        Ad = A_hat @ d
        alpha = (r @ r) / (d @ Ad)
        x = x + alpha * d
        r_new = r + alpha * Ad
        d = -r_new + (r_new @ r_new) / (r @ r) * d
        r = r_new
    return x * s, np.array(D).reshape(-1, n)
""",
    ),
    right(
        "pcg",
        "with an explicit M⁻¹ = diag(1/m) and the residual b − Ax",
        """
def pcg(A, b, m, tol=1e-10):
    M_inv = np.diag(1.0 / m)
    n = len(b)
    x = np.zeros(n)
    r = b.astype(float).copy()
    z = M_inv @ r
    p = z.copy()
    D = []
    for _ in range(10 * n):
        if np.linalg.norm(r) <= tol * np.linalg.norm(b):
            break
        D.append(p.copy())
        Ap = A @ p
        a = (r @ z) / (p @ Ap)
        x += a * p
        r_new = r - a * Ap
        z_new = M_inv @ r_new
        p = z_new + (r_new @ z_new) / (r @ z) * p
        r, z = r_new, z_new
    return x, np.array(D).reshape(-1, n)
""",
    ),
    # Exercise 2(a)
    wrong(
        "cg_beta",
        "cg_beta_tests",
        "FR with norms, not squared norms",
        mutated(
            BETA,
            "(g_new @ g_new) / (g_old @ g_old)",
            "np.linalg.norm(g_new) / np.linalg.norm(g_old)",
        ),
    ),
    wrong(
        "cg_beta",
        "cg_beta_tests",
        "y = g_old − g_new: PR and HS with the wrong sign of the numerator",
        mutated(BETA, "y = g_new - g_old", "y = g_old - g_new").replace(
            "(g_new @ y) / (d_old @ y)", "(g_new @ -y) / (d_old @ -y)"
        ),
    ),
    wrong(
        "cg_beta",
        "cg_beta_tests",
        "PR+ as |βᴾᴿ| instead of max(βᴾᴿ, 0)",
        mutated(
            BETA,
            "max((g_new @ y) / (g_old @ g_old), 0.0)",
            "abs((g_new @ y) / (g_old @ g_old))",
        ),
    ),
    wrong(
        "cg_beta",
        "cg_beta_tests",
        "PR+ clipped the wrong way: min(βᴾᴿ, 0)",
        mutated(
            BETA,
            "max((g_new @ y) / (g_old @ g_old), 0.0)",
            "min((g_new @ y) / (g_old @ g_old), 0.0)",
        ),
    ),
    wrong(
        "cg_beta",
        "cg_beta_tests",
        "PR divided by the new gradient's squared norm",
        mutated(
            BETA, "return (g_new @ y) / (g_old @ g_old)", "return (g_new @ y) / (g_new @ g_new)"
        ),
    ),
    wrong(
        "cg_beta",
        "cg_beta_tests",
        "HS divided by g_oldᵀy instead of d_oldᵀy",
        mutated(BETA, "(g_new @ y) / (d_old @ y)", "(g_new @ y) / (g_old @ y)"),
    ),
    wrong(
        "cg_beta",
        "cg_beta_tests",
        "HS divided by −d_oldᵀg_old (Dai–Yuan's and Fletcher's denominators mixed up)",
        mutated(BETA, "(g_new @ y) / (d_old @ y)", "(g_new @ y) / -(d_old @ g_old)"),
    ),
    right(
        "cg_beta",
        "a table of formulas with np.dot and np.maximum",
        """
def cg_beta(g_new, g_old, d_old, rule):
    y = np.subtract(g_new, g_old)
    pr = np.dot(g_new, y) / np.dot(g_old, g_old)
    formulas = {
        "FR": lambda: np.dot(g_new, g_new) / np.dot(g_old, g_old),
        "PR": lambda: pr,
        "PR+": lambda: float(np.maximum(pr, 0.0)),
        "HS": lambda: np.dot(g_new, y) / np.dot(d_old, y),
    }
    return formulas[rule]()
""",
    ),
    # Exercise 2(b)
    wrong(
        "next_direction",
        "next_direction_tests",
        "the survey's sign: d = g + βd",
        mutated(DIRECTION, "d = -g_new + beta * d_old", "d = g_new + beta * d_old"),
    ),
    wrong(
        "next_direction",
        "next_direction_tests",
        "the restart test without the absolute value",
        mutated(DIRECTION, "abs(g_new @ g_old)", "g_new @ g_old"),
    ),
    wrong(
        "next_direction",
        "next_direction_tests",
        "the restart test against ν g_oldᵀg_old",
        mutated(DIRECTION, "nu * (g_new @ g_new)", "nu * (g_old @ g_old)"),
    ),
    wrong(
        "next_direction",
        "next_direction_tests",
        "a strict > in the restart test",
        mutated(DIRECTION, ">= nu * (g_new @ g_new)", "> nu * (g_new @ g_new)"),
    ),
    wrong(
        "next_direction",
        "next_direction_tests",
        "the descent test with > 0: gᵀd = 0 is kept",
        mutated(DIRECTION, "if g_new @ d >= 0:", "if g_new @ d > 0:"),
    ),
    wrong(
        "next_direction",
        "next_direction_tests",
        "no descent safeguard",
        mutated(DIRECTION, "    if g_new @ d >= 0:\n        return -g_new\n", ""),
    ),
    wrong(
        "next_direction",
        "next_direction_tests",
        "in place: d_old scaled and overwritten",
        """
def next_direction(g_new, g_old, d_old, beta, nu=0.1):
    if nu is not None and abs(g_new @ g_old) >= nu * (g_new @ g_new):
        return -g_new
    d_old *= beta
    d_old -= g_new
    if g_new @ d_old >= 0:
        return -g_new
    return d_old
""",
    ),
    wrong(
        "next_direction",
        "next_direction_tests",
        "a restart that negates g_new in place and returns it",
        """
def next_direction(g_new, g_old, d_old, beta, nu=0.1):
    d = -g_new + beta * d_old
    if (nu is not None and abs(g_new @ g_old) >= nu * (g_new @ g_new)) or g_new @ d >= 0:
        g_new *= -1
        return g_new
    return d
""",
    ),
    right(
        "next_direction",
        "one test for both safeguards, with np.where-free arithmetic on copies",
        """
def next_direction(g_new, g_old, d_old, beta, nu=0.1):
    g = np.array(g_new, dtype=float)
    candidate = beta * np.asarray(d_old) - g
    restart = nu is not None and abs(np.dot(g, g_old)) >= nu * np.dot(g, g)
    if restart or np.dot(g, candidate) >= 0:
        return -g
    return candidate
""",
    ),
    # Exercise 3
    wrong(
        "three_step_rhs",
        "three_step_rhs_tests",
        "e₁ + e₂ + e₃: right only when A is diagonal",
        """
def three_step_rhs(A):
    b = np.zeros(len(A))
    b[:3] = 1.0
    return b
""",
    ),
    wrong(
        "three_step_rhs",
        "three_step_rhs_tests",
        "eigenvectors taken as rows of eigh's matrix",
        mutated(RHS, "V[:, :3] @ np.ones(3)", "V[:3].sum(axis=0)"),
    ),
    wrong(
        "three_step_rhs",
        "three_step_rhs_tests",
        "three eigenvectors counted from one: two of them, two steps",
        mutated(RHS, "V[:, :3] @ np.ones(3)", "V[:, 1:3] @ np.ones(2)"),
    ),
    wrong(
        "three_step_rhs",
        "three_step_rhs_tests",
        "a single eigenvector: one step",
        mutated(RHS, "V[:, :3] @ np.ones(3)", "V[:, 2]"),
    ),
    wrong(
        "three_step_rhs",
        "three_step_rhs_tests",
        "A times a vector with three nonzero entries: every eigenvector present",
        mutated(RHS, "V[:, :3] @ np.ones(3)", "A @ np.r_[1.0, 1.0, 1.0, np.zeros(len(A) - 3)]"),
    ),
    wrong(
        "three_step_rhs",
        "three_step_rhs_tests",
        "the eigenvectors of three distinct eigenvalues combined with one weight zero",
        mutated(RHS, "V[:, :3] @ np.ones(3)", "V[:, :3] @ np.array([1.0, 0.0, 2.0])"),
    ),
    right(
        "three_step_rhs",
        "the three largest eigenvalues' eigenvectors, unequal weights",
        mutated(RHS, "V[:, :3] @ np.ones(3)", "V[:, -3:] @ np.array([1.0, -2.0, 0.5])"),
    ),
    right(
        "three_step_rhs",
        "b = A·v for v in a three-dimensional invariant subspace (still three eigenvectors)",
        """
def three_step_rhs(A):
    _, V = np.linalg.eigh(A)
    v = V[:, [0, len(A) // 2, len(A) - 1]].sum(axis=1)
    return A @ v
""",
    ),
]
