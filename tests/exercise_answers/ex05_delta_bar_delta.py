"""Chapter 5's graded notebook (delta-bar-delta): the answers a student might hand in."""

from exercise_answers import mutated, right, wrong

# Right answers from which mistakes are made.
RULE = """
def update_rates(rates, grad_avg, grad, kappa, phi, min_lr=0.0, max_lr=np.inf):
    test = np.asarray(grad_avg) * np.asarray(grad)
    rates = np.asarray(rates, dtype=float)
    new = np.where(test > 0, rates + kappa, np.where(test < 0, (1 - phi) * rates, rates))
    return np.clip(new, min_lr, max_lr)


def delta_bar_delta(
    grad, theta0, lr, kappa, phi, omega, steps, momentum=0.0, min_lr=0.0, max_lr=np.inf
):
    theta = np.array(theta0, dtype=float)
    rates = np.full_like(theta, lr)
    average = np.zeros_like(theta)
    velocity = np.zeros_like(theta)
    path = [theta.copy()]
    for _ in range(steps):
        g = grad(theta)
        rates = update_rates(rates, average, g, kappa, phi, min_lr, max_lr)
        average = (1 - omega) * g + omega * average
        velocity = momentum * velocity - rates * g
        theta = theta + velocity
        path.append(theta.copy())
    return np.array(path)
"""
NOISE = """
def agreement_probability(z, omega):
    spread = np.sqrt((1 + omega) / (1 - omega))
    return float(ndtr(z) * ndtr(z * spread) + ndtr(-z) * ndtr(-z * spread))


def measured_agreement(net, theta, omega, draws=200, seed=0):
    rng = np.random.default_rng(seed)
    average = np.zeros_like(theta)
    positive = nonzero = 0
    for _ in range(draws):
        g = net.grad(theta, batch=net.sample_batch(rng))
        test = average * g
        positive += np.sum(test > 0)
        nonzero += np.sum(test != 0)
        average = (1 - omega) * g + omega * average
    return positive / nonzero
"""
DIAGONAL = """
def diagonal_rate(A, d):
    M = np.eye(2) - np.diag(d) @ np.asarray(A, dtype=float)
    return float(np.max(np.abs(np.linalg.eigvals(M))))


def best_diagonal_step(A):
    A = np.asarray(A, dtype=float)
    d = 1.0 / np.diag(A)
    return d, diagonal_rate(A, d)
"""

ANSWERS = [
    # Exercise 1 (a): the rate update
    wrong(
        "rule",
        "update_rates_tests",
        "the decrease multiplies by φ instead of 1 − φ",
        mutated(RULE, "(1 - phi) * rates", "phi * rates"),
    ),
    wrong(
        "rule",
        "update_rates_tests",
        "a multiplicative increase α(1 + κ) instead of the additive α + κ",
        mutated(RULE, "rates + kappa", "rates * (1 + kappa)"),
    ),
    wrong(
        "rule",
        "update_rates_tests",
        "a zero test (no average yet) counted as agreement",
        mutated(RULE, "np.where(test > 0,", "np.where(test >= 0,"),
    ),
    wrong(
        "rule",
        "update_rates_tests",
        "the sign of the gradient alone instead of the agreement of two signs",
        mutated(RULE, "test = np.asarray(grad_avg) * np.asarray(grad)", "test = np.asarray(grad)"),
    ),
    wrong(
        "rule",
        "update_rates_tests",
        "the bounds applied before the update instead of after",
        mutated(
            RULE,
            """    rates = np.asarray(rates, dtype=float)
    new = np.where(test > 0, rates + kappa, np.where(test < 0, (1 - phi) * rates, rates))
    return np.clip(new, min_lr, max_lr)""",
            """    rates = np.clip(np.asarray(rates, dtype=float), min_lr, max_lr)
    return np.where(test > 0, rates + kappa, np.where(test < 0, (1 - phi) * rates, rates))""",
        ),
    ),
    wrong(
        "rule",
        "update_rates_tests",
        "the rates updated in place: the caller's array changes (aliasing)",
        mutated(
            RULE,
            """    rates = np.asarray(rates, dtype=float)
    new = np.where(test > 0, rates + kappa, np.where(test < 0, (1 - phi) * rates, rates))
    return np.clip(new, min_lr, max_lr)""",
            """    rates[test > 0] += kappa
    rates[test < 0] *= 1 - phi
    np.clip(rates, min_lr, max_lr, out=rates)
    return rates""",
        ),
    ),
    # Exercise 1 (b): the run
    wrong(
        "rule",
        "delta_bar_delta_tests",
        "the average updated before the test, so g_k is tested against itself in part",
        mutated(
            RULE,
            """        rates = update_rates(rates, average, g, kappa, phi, min_lr, max_lr)
        average = (1 - omega) * g + omega * average""",
            """        average = (1 - omega) * g + omega * average
        rates = update_rates(rates, average, g, kappa, phi, min_lr, max_lr)""",
        ),
    ),
    wrong(
        "rule",
        "delta_bar_delta_tests",
        "ω and 1 − ω swapped in the average",
        mutated(RULE, "(1 - omega) * g + omega * average", "omega * g + (1 - omega) * average"),
    ),
    wrong(
        "rule",
        "delta_bar_delta_tests",
        "the step taken with the old rates α_k, updated afterwards",
        mutated(
            RULE,
            """        rates = update_rates(rates, average, g, kappa, phi, min_lr, max_lr)
        average = (1 - omega) * g + omega * average
        velocity = momentum * velocity - rates * g""",
            """        velocity = momentum * velocity - rates * g
        rates = update_rates(rates, average, g, kappa, phi, min_lr, max_lr)
        average = (1 - omega) * g + omega * average""",
        ),
    ),
    wrong(
        "rule",
        "delta_bar_delta_tests",
        "the average started at the first gradient instead of at zero",
        mutated(
            RULE,
            """        g = grad(theta)
        rates = update_rates(""",
            """        g = grad(theta)
        if len(path) == 1:
            average = g.copy()
        rates = update_rates(""",
        ),
    ),
    wrong(
        "rule",
        "delta_bar_delta_tests",
        "the first step lr used in the step instead of the adapted rates",
        mutated(
            RULE,
            "velocity = momentum * velocity - rates * g",
            "velocity = momentum * velocity - lr * g",
        ),
    ),
    right(
        "rule",
        "np.select for (5.1), and the heavy ball in its two-point form",
        """
def update_rates(rates, grad_avg, grad, kappa, phi, min_lr=0.0, max_lr=np.inf):
    sign = np.sign(np.multiply(grad_avg, grad))
    new = np.select([sign > 0, sign < 0], [rates + kappa, rates * (1 - phi)], default=rates)
    return np.minimum(np.maximum(new, min_lr), max_lr)


def delta_bar_delta(
    grad, theta0, lr, kappa, phi, omega, steps, momentum=0.0, min_lr=0.0, max_lr=np.inf
):
    previous = current = np.asarray(theta0, dtype=float)
    rates = lr * np.ones_like(current)
    average = 0 * current
    path = [current]
    for _ in range(steps):
        g = grad(current)
        rates = update_rates(rates, average, g, kappa, phi, min_lr, max_lr)
        average = average + (1 - omega) * (g - average)
        previous, current = current, current - rates * g + momentum * (current - previous)
        path.append(current)
    return np.stack(path)
""",
    ),
    # Exercise 2 (a): the agreement probability
    wrong(
        "noise",
        "agreement_probability_tests",
        "the average treated as one more draw: (5.8) for every ω",
        mutated(NOISE, "spread = np.sqrt((1 + omega) / (1 - omega))", "spread = 1.0"),
    ),
    wrong(
        "noise",
        "agreement_probability_tests",
        "the variance ratio used where its square root belongs",
        mutated(
            NOISE,
            "spread = np.sqrt((1 + omega) / (1 - omega))",
            "spread = (1 + omega) / (1 - omega)",
        ),
    ),
    wrong(
        "noise",
        "agreement_probability_tests",
        "the average's variance taken as (1 − ω)²σ², the weights' sum of squares forgotten",
        mutated(NOISE, "spread = np.sqrt((1 + omega) / (1 - omega))", "spread = 1 / (1 - omega)"),
    ),
    wrong(
        "noise",
        "agreement_probability_tests",
        "only the case where both are positive",
        mutated(NOISE, " + ndtr(-z) * ndtr(-z * spread)", ""),
    ),
    # Exercise 2 (b): the measured rate
    wrong(
        "noise",
        "measured_agreement_tests",
        "the average updated before the test",
        mutated(
            NOISE,
            """        test = average * g
        positive += np.sum(test > 0)
        nonzero += np.sum(test != 0)
        average = (1 - omega) * g + omega * average""",
            """        average = (1 - omega) * g + omega * average
        test = average * g
        positive += np.sum(test > 0)
        nonzero += np.sum(test != 0)""",
        ),
    ),
    wrong(
        "noise",
        "measured_agreement_tests",
        "the first draw's zero tests counted as disagreements",
        mutated(NOISE, "nonzero += np.sum(test != 0)", "nonzero += test.size"),
    ),
    wrong(
        "noise",
        "measured_agreement_tests",
        "the previous minibatch gradient whatever ω is",
        mutated(NOISE, "average = (1 - omega) * g + omega * average", "average = g"),
    ),
    wrong(
        "noise",
        "measured_agreement_tests",
        "minibatches drawn with replacement",
        mutated(
            NOISE,
            "batch=net.sample_batch(rng)",
            "batch=rng.choice(net.n_samples, net.batch_size)",
        ),
    ),
    right(
        "noise",
        "the average's law by a different route, and all the draws first",
        """
def agreement_probability(z, omega):
    std = np.sqrt((1 - omega) / (1 + omega))  # std of ḡ in units of σ
    both_positive = ndtr(z) * ndtr(z / std)
    both_negative = (1 - ndtr(z)) * (1 - ndtr(z / std))
    return float(both_positive + both_negative)


def measured_agreement(net, theta, omega, draws=200, seed=0):
    rng = np.random.default_rng(seed)
    batches = [rng.choice(net.n_samples, net.batch_size, replace=False) for _ in range(draws)]
    grads = np.array([net.grad(theta, batch=b) for b in batches])
    averages = np.zeros_like(grads)
    for k in range(1, draws):
        averages[k] = (1 - omega) * grads[k - 1] + omega * averages[k - 1]
    tests = averages * grads
    return np.count_nonzero(tests > 0) / np.count_nonzero(tests)
""",
    ),
    # Exercise 3 (a): the rate of a fixed step per coordinate
    wrong(
        "diagonal",
        "diagonal_rate_tests",
        "the off-diagonal entries ignored: max |1 − d_i A_ii|",
        mutated(
            DIAGONAL,
            """    M = np.eye(2) - np.diag(d) @ np.asarray(A, dtype=float)
    return float(np.max(np.abs(np.linalg.eigvals(M))))""",
            """    return float(np.max(np.abs(1 - np.asarray(d) * np.diag(A))))""",
        ),
    ),
    wrong(
        "diagonal",
        "diagonal_rate_tests",
        "the matrix 2-norm instead of the spectral radius",
        mutated(
            DIAGONAL,
            "float(np.max(np.abs(np.linalg.eigvals(M))))",
            "float(np.linalg.norm(M, 2))",
        ),
    ),
    wrong(
        "diagonal",
        "diagonal_rate_tests",
        "eigvalsh on a matrix that is not symmetric",
        mutated(DIAGONAL, "np.linalg.eigvals(M)", "np.linalg.eigvalsh(M)"),
    ),
    wrong(
        "diagonal",
        "diagonal_rate_tests",
        "the largest eigenvalue instead of the largest modulus",
        mutated(
            DIAGONAL,
            "float(np.max(np.abs(np.linalg.eigvals(M))))",
            "float(np.max(np.linalg.eigvals(M).real))",
        ),
    ),
    # Exercise 3 (b): the best fixed step per coordinate
    wrong(
        "diagonal",
        "best_diagonal_step_tests",
        "the chapter's 45° answer everywhere: gradient descent's best common step",
        mutated(
            DIAGONAL,
            "    d = 1.0 / np.diag(A)",
            "    lam = np.linalg.eigvalsh(A)\n    d = np.full(2, 2 / (lam[0] + lam[1]))",
        ),
    ),
    wrong(
        "diagonal",
        "best_diagonal_step_tests",
        "1/λ_i read as one over the eigenvalues, coordinate by coordinate",
        mutated(DIAGONAL, "    d = 1.0 / np.diag(A)", "    d = 1.0 / np.linalg.eigvalsh(A)"),
    ),
    wrong(
        "diagonal",
        "best_diagonal_step_tests",
        "the right step, with the rate of the closed form written without the square root",
        mutated(
            DIAGONAL,
            "    return d, diagonal_rate(A, d)",
            "    return d, abs(A[0, 1]) / (A[0, 0] * A[1, 1])",
        ),
    ),
    wrong(
        "diagonal",
        "best_diagonal_step_tests",
        "a search over a range of steps too narrow for stretched axes",
        """
def diagonal_rate(A, d):
    M = np.eye(2) - np.diag(d) @ np.asarray(A, dtype=float)
    return float(np.max(np.abs(np.linalg.eigvals(M))))


def best_diagonal_step(A):
    A = np.asarray(A, dtype=float)
    scale = 1.0 / np.linalg.eigvalsh(A)[-1]
    grid = np.geomspace(0.1, 10, 41)
    candidates = [scale * np.array([s, s * t]) for s in grid for t in grid]
    d = min(candidates, key=lambda c: diagonal_rate(A, c))
    return d, diagonal_rate(A, d)
""",
    ),
    right(
        "diagonal",
        "Jacobi scaling through the rescaled matrix, and its rate in closed form",
        """
def diagonal_rate(A, d):
    root = np.sqrt(np.asarray(d, dtype=float))
    symmetric = root[:, None] * np.asarray(A, dtype=float) * root[None, :]
    mu = np.linalg.eigvalsh(symmetric)  # the spectrum of diag(d) A
    return float(max(abs(1 - mu[0]), abs(1 - mu[1])))


def best_diagonal_step(A):
    A = np.asarray(A, dtype=float)
    d = np.array([1 / A[0, 0], 1 / A[1, 1]])
    return d, float(abs(A[0, 1]) / np.sqrt(A[0, 0] * A[1, 1]))
""",
    ),
    right(
        "diagonal",
        "a zooming grid search over log d₁ and log d₂, knowing nothing of the answer",
        DIAGONAL.split("def best_diagonal_step")[0]
        + """
def best_diagonal_step(A):
    A = np.asarray(A, dtype=float)
    low, high = np.array([-10.0, -10.0]), np.array([10.0, 10.0])  # log10 of d
    for _ in range(14):
        grid = [np.linspace(low[i], high[i], 21) for i in range(2)]
        rates = np.array([[diagonal_rate(A, 10.0 ** np.array([a, b])) for b in grid[1]]
                          for a in grid[0]])
        i, j = np.unravel_index(np.argmin(rates), rates.shape)
        best = np.array([grid[0][i], grid[1][j]])
        width = (high - low) / 4
        low, high = best - width, best + width
    d = 10.0 ** best
    return d, diagonal_rate(A, d)
""",
    ),
]
