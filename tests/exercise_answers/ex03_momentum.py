"""Chapter 3's graded notebook (momentum): the answers a student might hand in."""

from exercise_answers import mutated, right, wrong

# Right answers from which mistakes are made.
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

ANSWERS = [
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
]
