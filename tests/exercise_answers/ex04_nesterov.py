"""Chapter 4's graded notebook (Nesterov momentum): the answers a student might hand in."""

from exercise_answers import mutated, right, wrong

# Right answers from which mistakes are made.
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

ANSWERS = [
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
]
