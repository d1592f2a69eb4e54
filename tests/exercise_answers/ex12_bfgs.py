"""Chapter 12's graded notebook (BFGS): the answers a student might hand in."""

from exercise_answers import mutated, right, wrong

INV = """
def bfgs_inverse_update(H, s, y):
    rho = 1.0 / (y @ s)
    V = np.eye(len(s)) - rho * np.outer(y, s)
    return V.T @ H @ V + rho * np.outer(s, s)
"""
HESS = """
def bfgs_hessian_update(B, s, y):
    Bs = B @ s
    return B - np.outer(Bs, Bs) / (s @ Bs) + np.outer(y, y) / (y @ s)
"""
SR1 = """
def sr1_update(H, s, y):
    v = s - H @ y
    return H + np.outer(v, v) / (v @ y)
"""
EXAMPLE = """
def sr1_counterexample():
    H = np.eye(2)
    s, y = np.array([1.0, 0.0]), np.array([0.5, 1.0])
    return H, s, y
"""
QUAD = """
def bfgs_on_quadratic(A, b, x0):
    n = len(x0)
    x = np.array(x0, dtype=float)
    H = np.eye(n)
    iterates = [x.copy()]
    for _ in range(n):
        g = A @ x - b
        if np.linalg.norm(g) <= 1e-10:
            break
        d = -H @ g
        alpha = -(g @ d) / (d @ A @ d)
        s = alpha * d
        y = A @ s
        rho = 1.0 / (y @ s)
        V = np.eye(n) - rho * np.outer(y, s)
        H = V.T @ H @ V + rho * np.outer(s, s)
        x = x + s
        iterates.append(x.copy())
    return np.array(iterates), H
"""

ANSWERS = [
    # Exercise 1 (a)
    wrong(
        "bfgs_inverse_update",
        "bfgs_inverse_update_tests",
        "ρ = 1/sᵀs instead of 1/yᵀs",
        mutated(INV, "rho = 1.0 / (y @ s)", "rho = 1.0 / (s @ s)"),
    ),
    wrong(
        "bfgs_inverse_update",
        "bfgs_inverse_update_tests",
        "the term ρ s sᵀ forgotten",
        mutated(INV, " + rho * np.outer(s, s)", ""),
    ),
    wrong(
        "bfgs_inverse_update",
        "bfgs_inverse_update_tests",
        "the factors transposed: (I − ρ y sᵀ) H (I − ρ s yᵀ)",
        mutated(INV, "V.T @ H @ V", "V @ H @ V.T"),
    ),
    wrong(
        "bfgs_inverse_update",
        "bfgs_inverse_update_tests",
        "the survey's update as printed: M(t−1) times the first term",
        """
def bfgs_inverse_update(H, s, y):
    sy = s @ y
    first = (1 + y @ H @ y / sy) * np.outer(s, s) / sy
    return H @ first - (np.outer(s, y @ H) + np.outer(H @ y, s)) / sy
""",
    ),
    wrong(
        "bfgs_inverse_update",
        "bfgs_inverse_update_tests",
        "in-place: the multiplied-out form written into the caller's H",
        """
def bfgs_inverse_update(H, s, y):
    rho = 1.0 / (y @ s)
    Hy = H @ y
    H -= rho * (np.outer(s, Hy) + np.outer(Hy, s))
    H += (rho * rho * (y @ Hy) + rho) * np.outer(s, s)
    return H
""",
    ),
    right(
        "bfgs_inverse_update",
        "the multiplied-out O(n²) form, on a copy",
        """
def bfgs_inverse_update(H, s, y):
    rho = 1.0 / (y @ s)
    Hy = H @ y
    out = H - rho * (np.outer(s, Hy) + np.outer(Hy, s))
    return out + (rho * rho * (y @ Hy) + rho) * np.outer(s, s)
""",
    ),
    right(
        "bfgs_inverse_update",
        "Fletcher's form, with the plus sign the survey lost",
        """
def bfgs_inverse_update(H, s, y):
    sy = s @ y
    first = (1 + y @ H @ y / sy) * np.outer(s, s) / sy
    return H + first - (np.outer(s, y @ H) + np.outer(H @ y, s)) / sy
""",
    ),
    right("bfgs_inverse_update", "the instructor's", INV),
    # Exercise 1 (b)
    wrong(
        "bfgs_hessian_update",
        "bfgs_hessian_update_tests",
        "the sign of the rank-one terms swapped",
        mutated(
            HESS,
            "B - np.outer(Bs, Bs) / (s @ Bs) + np.outer(y, y)",
            "B + np.outer(Bs, Bs) / (s @ Bs) - np.outer(y, y)",
        ),
    ),
    wrong(
        "bfgs_hessian_update",
        "bfgs_hessian_update_tests",
        "yᵀs where sᵀBs belongs",
        mutated(HESS, "np.outer(Bs, Bs) / (s @ Bs)", "np.outer(Bs, Bs) / (y @ s)"),
    ),
    wrong(
        "bfgs_hessian_update",
        "bfgs_hessian_update_tests",
        "the DFP update of B: another solution of the secant equation, not BFGS",
        """
def bfgs_hessian_update(B, s, y):
    rho = 1.0 / (y @ s)
    V = np.eye(len(s)) - rho * np.outer(y, s)
    return V @ B @ V.T + rho * np.outer(y, y)
""",
    ),
    wrong(
        "bfgs_hessian_update",
        "bfgs_hessian_update_tests",
        "in-place: B updated with -= and +=",
        """
def bfgs_hessian_update(B, s, y):
    Bs = B @ s
    B -= np.outer(Bs, Bs) / (s @ Bs)
    B += np.outer(y, y) / (y @ s)
    return B
""",
    ),
    right(
        "bfgs_hessian_update",
        "the inverse of the inverse update",
        """
def bfgs_hessian_update(B, s, y):
    rho = 1.0 / (y @ s)
    V = np.eye(len(s)) - rho * np.outer(y, s)
    return np.linalg.inv(V.T @ np.linalg.inv(B) @ V + rho * np.outer(s, s))
""",
    ),
    right("bfgs_hessian_update", "the instructor's", HESS),
    # Exercise 2 (a)
    wrong(
        "sr1_update",
        "sr1_update_tests",
        "denominator vᵀs instead of vᵀy",
        mutated(SR1, "(v @ y)", "(v @ s)"),
    ),
    wrong(
        "sr1_update",
        "sr1_update_tests",
        "the Hessian-form vector y − Hs used with H",
        mutated(SR1, "v = s - H @ y", "v = y - H @ s"),
    ),
    wrong(
        "sr1_update",
        "sr1_update_tests",
        "in-place: H += ...",
        """
def sr1_update(H, s, y):
    v = s - H @ y
    H += np.outer(v, v) / (v @ y)
    return H
""",
    ),
    wrong(
        "sr1_update",
        "sr1_update_tests",
        "the sign of the correction flipped",
        mutated(SR1, "H + np.outer", "H - np.outer"),
    ),
    right(
        "sr1_update",
        "written as H + (v vᵀ)/(vᵀy) with v computed by solve-free steps",
        """
def sr1_update(H, s, y):
    v = (s - H @ y)[:, None]
    return H + (v @ v.T) / float(v[:, 0] @ y)
""",
    ),
    right("sr1_update", "the instructor's", SR1),
    # Exercise 2 (b)
    wrong(
        "sr1_counterexample",
        "sr1_counterexample_tests",
        "an example where SR1 stays positive definite",
        mutated(EXAMPLE, "np.array([0.5, 1.0])", "np.array([2.0, 0.0])"),
    ),
    wrong(
        "sr1_counterexample",
        "sr1_counterexample_tests",
        "sᵀy < 0: the case where BFGS fails too",
        mutated(EXAMPLE, "np.array([0.5, 1.0])", "np.array([-0.5, 1.0])"),
    ),
    wrong(
        "sr1_counterexample",
        "sr1_counterexample_tests",
        "an indefinite H to start with",
        mutated(EXAMPLE, "H = np.eye(2)", "H = np.diag([1.0, -1.0])"),
    ),
    wrong(
        "sr1_counterexample",
        "sr1_counterexample_tests",
        "s = Hy: the SR1 update is not defined",
        mutated(EXAMPLE, "np.array([0.5, 1.0])", "np.array([1.0, 0.0])"),
    ),
    right(
        "sr1_counterexample",
        "a three-dimensional example, as lists",
        """
def sr1_counterexample():
    H = [[2.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    return H, [1.0, 0.0, 0.0], [0.1, 2.0, 0.0]
""",
    ),
    right("sr1_counterexample", "the instructor's", EXAMPLE),
    # Exercise 3
    wrong(
        "bfgs_on_quadratic",
        "bfgs_on_quadratic_tests",
        "the steepest-descent step length gᵀg/gᵀAg along the quasi-Newton direction",
        mutated(QUAD, "alpha = -(g @ d) / (d @ A @ d)", "alpha = (g @ g) / (g @ A @ g)"),
    ),
    wrong(
        "bfgs_on_quadratic",
        "bfgs_on_quadratic_tests",
        "y = A x₊ instead of the change of the gradient A s",
        mutated(QUAD, "y = A @ s", "y = A @ (x + s)"),
    ),
    wrong(
        "bfgs_on_quadratic",
        "bfgs_on_quadratic_tests",
        "off by one: n − 1 iterations",
        mutated(QUAD, "for _ in range(n):", "for _ in range(n - 1):"),
    ),
    wrong(
        "bfgs_on_quadratic",
        "bfgs_on_quadratic_tests",
        "H never updated: steepest descent with exact steps",
        mutated(QUAD, "H = V.T @ H @ V + rho * np.outer(s, s)", "pass"),
    ),
    wrong(
        "bfgs_on_quadratic",
        "bfgs_on_quadratic_tests",
        "aliasing: x updated in place and appended without a copy",
        """
def bfgs_on_quadratic(A, b, x0):
    n = len(x0)
    x = np.array(x0, dtype=float)
    H = np.eye(n)
    iterates = [x]
    for _ in range(n):
        g = A @ x - b
        if np.linalg.norm(g) <= 1e-10:
            break
        d = -H @ g
        alpha = -(g @ d) / (d @ A @ d)
        s = alpha * d
        y = A @ s
        rho = 1.0 / (y @ s)
        V = np.eye(n) - rho * np.outer(y, s)
        H = V.T @ H @ V + rho * np.outer(s, s)
        x += s
        iterates.append(x)
    return np.array(iterates), H
""",
    ),
    right(
        "bfgs_on_quadratic",
        "the direction without its minus sign: the exact step turns negative and fixes it",
        mutated(QUAD, "d = -H @ g", "d = H @ g"),
    ),
    right("bfgs_on_quadratic", "the instructor's", QUAD),
]
