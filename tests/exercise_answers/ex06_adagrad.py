"""Chapter 6's graded notebook (Adagrad): the answers a student might hand in."""

from exercise_answers import mutated, right, wrong

# Right answers from which mistakes are made.
ADAGRAD_RUN = """
def adagrad(grad, theta0, lr, steps, eps=1e-10, initial_accumulator_value=0.0):
    theta = np.array(theta0, dtype=float)
    accumulator = np.full_like(theta, initial_accumulator_value)
    path = [theta.copy()]
    for _ in range(steps):
        g = grad(theta)
        accumulator = accumulator + g**2
        theta = theta - lr * g / (np.sqrt(accumulator) + eps)
        path.append(theta.copy())
    return np.array(path)
"""
LEMMA_SUMS = """
def lemma_sums(a):
    a = np.asarray(a, dtype=float)
    totals = np.cumsum(a)
    terms = np.zeros_like(a)
    positive = totals > 0
    terms[positive] = a[positive] / np.sqrt(totals[positive])
    return np.cumsum(terms)
"""
BEST_CONSTANT = """
def best_constant(T):
    c = 1.0
    for _ in range(T - 1):
        c = 1.0 + c * c / 4.0
    return c
"""
ADAGRAD_LEMMA = LEMMA_SUMS + "\n" + BEST_CONSTANT
FIRST_HALF = """
def first_reach_half(path, target):
    reached = np.flatnonzero(np.asarray(path, dtype=float) / target >= 0.5)
    return int(reached[0]) if reached.size else None
"""
RARE_TIMES = """
def rare_learning_times():
    X, y, _ = rare_features_data(1000, 5, 50, 0.01, seed=4)
    full = LogisticRegression(X, y, l2=1e-3)
    theta_star = optlib.minimize(full, np.zeros(55), method="lbfgs", gtol=1e-10).x
    problem = LogisticRegression(X, y, batch_size=32, l2=1e-3)
    methods = {"SGD": GradientDescent(lr=1.0), "Adagrad": Adagrad(lr=1.0)}
    times = {}
    for name, method in methods.items():
        run = optlib.minimize(problem, np.zeros(55), method=method, max_iter=600, gtol=0.0, seed=0)
        found = [first_reach_half(run.history.x[:, 5 + j], theta_star[5 + j]) for j in range(50)]
        times[name] = np.array([np.inf if t is None else t for t in found], dtype=float)
    return times
"""
RARE_WEIGHTS = FIRST_HALF + "\n" + RARE_TIMES

ANSWERS = [
    # Exercise 1
    wrong(
        "adagrad",
        "adagrad_tests",
        "ε inside the square root: √(sₜ + ε)",
        mutated(ADAGRAD_RUN, "np.sqrt(accumulator) + eps", "np.sqrt(accumulator + eps)"),
    ),
    wrong(
        "adagrad",
        "adagrad_tests",
        "the step divided by the old accumulator sₜ₋₁ (the gradient added after the step)",
        mutated(
            ADAGRAD_RUN,
            """        accumulator = accumulator + g**2
        theta = theta - lr * g / (np.sqrt(accumulator) + eps)""",
            """        theta = theta - lr * g / (np.sqrt(accumulator) + eps)
        accumulator = accumulator + g**2""",
        ),
    ),
    wrong(
        "adagrad",
        "adagrad_tests",
        "the mean of the squared gradients instead of their sum",
        mutated(
            ADAGRAD_RUN,
            """    for _ in range(steps):
        g = grad(theta)
        accumulator = accumulator + g**2
        theta = theta - lr * g / (np.sqrt(accumulator) + eps)""",
            """    for t in range(1, steps + 1):
        g = grad(theta)
        accumulator = accumulator + g**2
        theta = theta - lr * g / (np.sqrt(accumulator / t) + eps)""",
        ),
    ),
    wrong(
        "adagrad",
        "adagrad_tests",
        "one accumulator for all coordinates: the squared norm of the gradient",
        mutated(ADAGRAD_RUN, "accumulator + g**2", "accumulator + np.sum(g**2)"),
    ),
    wrong(
        "adagrad",
        "adagrad_tests",
        "no square root: the step divided by sₜ",
        mutated(ADAGRAD_RUN, "np.sqrt(accumulator) + eps", "accumulator + eps"),
    ),
    wrong(
        "adagrad",
        "adagrad_tests",
        "the initial accumulator ignored",
        mutated(
            ADAGRAD_RUN,
            "np.full_like(theta, initial_accumulator_value)",
            "np.zeros_like(theta)",
        ),
    ),
    wrong(
        "adagrad",
        "adagrad_tests",
        "θ updated in place and appended without a copy: every row is the last iterate",
        mutated(
            ADAGRAD_RUN,
            """        theta = theta - lr * g / (np.sqrt(accumulator) + eps)
        path.append(theta.copy())""",
            """        theta -= lr * g / (np.sqrt(accumulator) + eps)
        path.append(theta)""",
        ).replace("path = [theta.copy()]", "path = [theta]"),
    ),
    wrong(
        "adagrad",
        "adagrad_tests",
        "the gradients kept without a copy, and the sum taken over the kept list",
        """
def adagrad(grad, theta0, lr, steps, eps=1e-10, initial_accumulator_value=0.0):
    theta = np.array(theta0, dtype=float)
    seen, path = [], [theta.copy()]
    for _ in range(steps):
        seen.append(grad(theta))
        total = initial_accumulator_value + np.sum(np.square(seen), axis=0)
        theta = theta - lr * seen[-1] / (np.sqrt(total) + eps)
        path.append(theta.copy())
    return np.array(path)
""",
    ),
    wrong(
        "adagrad",
        "adagrad_tests",
        "θ₀ left out: steps rows instead of steps + 1",
        mutated(ADAGRAD_RUN, "path = [theta.copy()]", "path = []"),
    ),
    right(
        "adagrad",
        "the root of the accumulator kept with hypot, and copied gradients kept for the sum",
        """
def adagrad(grad, theta0, lr, steps, eps=1e-10, initial_accumulator_value=0.0):
    theta = np.asarray(theta0, dtype=float)
    root = np.full(theta.shape, np.sqrt(initial_accumulator_value))
    rows = [theta]
    for _ in range(steps):
        g = np.array(grad(theta), dtype=float)
        root = np.hypot(root, g)
        theta = theta - lr * g / (root + eps)
        rows.append(theta)
    return np.vstack(rows)
""",
    ),
    right(
        "adagrad",
        "the matrix form (6.3): a solve with D = diag(√s) + εI",
        """
def adagrad(grad, theta0, lr, steps, eps=1e-10, initial_accumulator_value=0.0):
    theta = np.array(theta0, dtype=float)
    history = [np.zeros_like(theta) + initial_accumulator_value]
    path = [theta]
    for _ in range(steps):
        g = grad(theta).copy()
        history.append(history[-1] + g * g)
        D = np.diag(np.sqrt(history[-1]) + eps)
        theta = theta - lr * np.linalg.solve(D, g)
        path.append(theta)
    return np.array(path)
""",
    ),
    # Exercise 2
    wrong(
        "lemma",
        "lemma_sums_tests",
        "divided by the previous total √A_t−1",
        mutated(
            ADAGRAD_LEMMA,
            "terms[positive] = a[positive] / np.sqrt(totals[positive])",
            "previous = totals - a\n"
            "    terms[positive] = a[positive] / np.sqrt(previous[positive])",
        ),
    ),
    wrong(
        "lemma",
        "lemma_sums_tests",
        "no care for 0/0: NaN after leading zeros",
        mutated(
            ADAGRAD_LEMMA,
            """    terms = np.zeros_like(a)
    positive = totals > 0
    terms[positive] = a[positive] / np.sqrt(totals[positive])""",
            """    terms = a / np.sqrt(totals)""",
        ),
    ),
    wrong(
        "lemma",
        "lemma_sums_tests",
        "the final total A_T in every denominator",
        mutated(
            ADAGRAD_LEMMA,
            "terms[positive] = a[positive] / np.sqrt(totals[positive])",
            "terms[positive] = a[positive] / np.sqrt(totals[-1])",
        ),
    ),
    wrong(
        "lemma",
        "lemma_sums_tests",
        "the terms returned, not their partial sums",
        mutated(ADAGRAD_LEMMA, "    return np.cumsum(terms)", "    return terms"),
    ),
    wrong(
        "lemma",
        "best_constant_tests",
        "the constant sequence taken as the worst case",
        LEMMA_SUMS
        + """
def best_constant(T):
    return float(np.sum(1 / np.sqrt(np.arange(1, T + 1))) / np.sqrt(T))
""",
    ),
    wrong(
        "lemma",
        "best_constant_tests",
        "the lemma's constant 2 for every T",
        LEMMA_SUMS + "\ndef best_constant(T):\n    return 2.0\n",
    ),
    wrong(
        "lemma",
        "best_constant_tests",
        "the recursion one step too far: c_1 = 1.25",
        mutated(ADAGRAD_LEMMA, "for _ in range(T - 1):", "for _ in range(T):"),
    ),
    wrong(
        "lemma",
        "best_constant_tests",
        "the maximiser taken at y = c/2 instead of √y = c/2",
        mutated(ADAGRAD_LEMMA, "c = 1.0 + c * c / 4.0", "c = c * np.sqrt(c / 2) + 1.0 - c / 2"),
    ),
    right(
        "lemma",
        "a loop for (a); for (b) the same recursion, maximised numerically step by step",
        """
def lemma_sums(a):
    out, total, running = [], 0.0, 0.0
    for value in np.asarray(a, dtype=float):
        total += value
        running += value / np.sqrt(total) if total > 0 else 0.0
        out.append(running)
    return np.array(out)


def best_constant(T):
    c = 1.0
    for _ in range(T - 1):
        res = scipy.optimize.minimize_scalar(
            lambda y: -(c * np.sqrt(y) + 1.0 - y), bounds=(0.0, 1.0), method="bounded",
            options={"xatol": 1e-12},
        )
        c = -res.fun
    return c
""",
    ),
    # Exercise 3
    wrong(
        "rare",
        "first_reach_half_tests",
        "the size compared, not the side: |θ| ≥ |θ*|/2",
        mutated(
            RARE_WEIGHTS,
            "np.asarray(path, dtype=float) / target >= 0.5",
            "np.abs(np.asarray(path, dtype=float)) >= abs(target) / 2",
        ),
    ),
    wrong(
        "rare",
        "first_reach_half_tests",
        "strictly more than half",
        mutated(RARE_WEIGHTS, "/ target >= 0.5", "/ target > 0.5"),
    ),
    wrong(
        "rare",
        "first_reach_half_tests",
        "counted from 1: the index plus one",
        mutated(RARE_WEIGHTS, "return int(reached[0]) if", "return int(reached[0]) + 1 if"),
    ),
    wrong(
        "rare",
        "first_reach_half_tests",
        "the last index at which the weight is past half, not the first",
        mutated(RARE_WEIGHTS, "return int(reached[0]) if", "return int(reached[-1]) if"),
    ),
    wrong(
        "rare",
        "rare_learning_times_tests",
        "the rare features read from columns 0–49 (the common ones forgotten)",
        mutated(
            RARE_WEIGHTS,
            "first_reach_half(run.history.x[:, 5 + j], theta_star[5 + j])",
            "first_reach_half(run.history.x[:, j], theta_star[j])",
        ),
    ),
    wrong(
        "rare",
        "rare_learning_times_tests",
        "the target taken as the run's last value instead of θ*",
        mutated(
            RARE_WEIGHTS,
            "first_reach_half(run.history.x[:, 5 + j], theta_star[5 + j])",
            "first_reach_half(run.history.x[:, 5 + j], run.history.x[-1, 5 + j])",
        ),
    ),
    wrong(
        "rare",
        "rare_learning_times_tests",
        "θ* of the loss without its ridge term",
        mutated(
            RARE_WEIGHTS,
            "full = LogisticRegression(X, y, l2=1e-3)",
            "full = LogisticRegression(X, y)",
        ),
    ),
    wrong(
        "rare",
        "rare_learning_times_tests",
        "full batches instead of minibatches of 32",
        mutated(
            RARE_WEIGHTS,
            "problem = LogisticRegression(X, y, batch_size=32, l2=1e-3)",
            "problem = LogisticRegression(X, y, l2=1e-3)",
        ),
    ),
    right(
        "rare",
        "a loop for (a); (b) with the minimiser from SciPy's BFGS and the weights read per run",
        """
def first_reach_half(path, target):
    for t, value in enumerate(path):
        if value / target >= 0.5:
            return t
    return None


def rare_learning_times():
    X, y, _ = rare_features_data(1000, 5, 50, 0.01, seed=4)
    full = LogisticRegression(X, y, l2=1e-3)
    theta_star = scipy.optimize.minimize(
        full.fun, np.zeros(55), jac=full.grad, method="BFGS", options={"gtol": 1e-10}
    ).x
    problem = LogisticRegression(X, y, batch_size=32, l2=1e-3)
    times = {}
    for name, make in (("SGD", GradientDescent), ("Adagrad", Adagrad)):
        res = optlib.minimize(problem, np.zeros(55), method=make(lr=1.0), max_iter=600,
                              gtol=0.0, seed=0)
        rare = res.history.x[:, 5:]
        times[name] = np.array(
            [first_reach_half(rare[:, j], theta_star[5 + j]) for j in range(50)], dtype=float
        )
        times[name][np.isnan(times[name])] = np.inf
    return times
""",
    ),
]
