"""Chapter 16's graded notebook (Lookahead): the answers a student might hand in."""

from exercise_answers import mutated, right, wrong

SGD = """
def lookahead_sgd(grad, theta0, lr, k, alpha, outer):
    phi = np.array(theta0, dtype=float)
    slow = [phi.copy()]
    for _ in range(outer):
        theta = phi.copy()
        for _ in range(k):
            theta = theta - lr * grad(theta)
        phi = phi + alpha * (theta - phi)
        slow.append(phi.copy())
    return np.array(slow)
"""
MOMENTUM = """
def lookahead_momentum(grad, theta0, lr, momentum, k, alpha, outer):
    phi = np.array(theta0, dtype=float)
    buffer = None
    slow = [phi.copy()]
    for _ in range(outer):
        theta = phi.copy()
        for _ in range(k):
            g = grad(theta)
            buffer = g.copy() if buffer is None else momentum * buffer + g
            theta = theta - lr * buffer
        phi = phi + alpha * (theta - phi)
        slow.append(phi.copy())
    return np.array(slow)
"""
AVERAGE = """
def closed_form_weights(t, alpha):
    ends = alpha * (1 - alpha) ** (t - np.arange(t + 1))
    return np.concatenate([[(1 - alpha) ** (t + 1)], ends])


def stationary_variance(lam, sigma2, lr, k, alpha):
    lam, sigma2 = np.asarray(lam, dtype=float), np.asarray(sigma2, dtype=float)
    q = 1 - lr * lam
    v_sgd = lr * lam * sigma2 / (2 - lr * lam)
    rho = 1 - alpha + alpha * q**k
    return alpha**2 * (1 - q ** (2 * k)) / (1 - rho**2) * v_sgd
"""
EQUIVALENT = """
def equivalent_sgd_step(s, k, alpha):
    q = 1 - s
    rho = 1 - alpha + alpha * q**k
    v = alpha**2 * (1 - q ** (2 * k)) / (1 - rho**2) * s / (2 - s)
    return 2 * v / (1 + v)
"""
RATIO = """
def speed_ratio(s, k, alpha):
    rho = 1 - alpha + alpha * (1 - s) ** k
    per_gradient = math.log(abs(rho)) / k
    return math.log(abs(1 - equivalent_sgd_step(s, k, alpha))) / per_gradient
"""
INTERVAL = """
def faster_interval(k, alpha):
    top = 2.0 if k % 2 == 0 else 1 + (2 / alpha - 1) ** (1 / k)
    grid = np.linspace(1e-4, top, 20001)[:-1]
    faster = np.array([speed_ratio(s, k, alpha) < 0.99 for s in grid])
    if not faster.any():
        return None
    inside = np.flatnonzero(faster)
    return float(grid[inside[0]]), float(grid[inside[-1]])
"""

ANSWERS = [
    # Exercise 1(a)
    wrong(
        "lookahead_sgd",
        "lookahead_sgd_tests",
        "the fast weights never restart from the slow ones",
        mutated(
            SGD,
            "    for _ in range(outer):\n        theta = phi.copy()\n",
            "    theta = phi.copy()\n    for _ in range(outer):\n",
        ),
    ),
    wrong(
        "lookahead_sgd",
        "lookahead_sgd_tests",
        "the interpolation the wrong way: φ + ω(φ − θ)",
        mutated(SGD, "phi + alpha * (theta - phi)", "phi + alpha * (phi - theta)"),
    ),
    wrong(
        "lookahead_sgd",
        "lookahead_sgd_tests",
        "the end points recorded instead of the slow weights",
        mutated(SGD, "        slow.append(phi.copy())", "        slow.append(theta.copy())"),
    ),
    wrong(
        "lookahead_sgd",
        "lookahead_sgd_tests",
        "one inner step too few: range(k - 1)",
        mutated(SGD, "for _ in range(k):", "for _ in range(k - 1):"),
    ),
    wrong(
        "lookahead_sgd",
        "lookahead_sgd_tests",
        "aliasing: θ = φ without a copy, then updated in place",
        mutated(
            SGD,
            """        theta = phi.copy()
        for _ in range(k):
            theta = theta - lr * grad(theta)
        phi = phi + alpha * (theta - phi)""",
            """        theta = phi
        for _ in range(k):
            theta -= lr * grad(theta)
        phi += alpha * (theta - phi)""",
        ),
    ),
    wrong(
        "lookahead_sgd",
        "lookahead_sgd_tests",
        "a gradient at the slow weights at every synchronisation, to report it",
        mutated(
            SGD,
            "        slow.append(phi.copy())",
            "        grad(phi)\n        slow.append(phi.copy())",
        ),
    ),
    right(
        "lookahead_sgd",
        "one loop over the gradients, synchronising every k-th, in a preallocated array",
        """
def lookahead_sgd(grad, theta0, lr, k, alpha, outer):
    slow = np.empty((outer + 1, np.size(theta0)))
    slow[0] = theta0
    theta = slow[0].copy()
    for n in range(1, outer * k + 1):
        theta = theta - lr * grad(theta)
        if n % k == 0:
            t = n // k
            slow[t] = (1 - alpha) * slow[t - 1] + alpha * theta
            theta = slow[t].copy()
    return slow
""",
    ),
    # Exercise 1(b)
    wrong(
        "lookahead_momentum",
        "lookahead_momentum_tests",
        "the buffer reset at every synchronisation",
        mutated(
            MOMENTUM,
            "        theta = phi.copy()\n",
            "        theta = phi.copy()\n        buffer = None\n",
        ),
    ),
    wrong(
        "lookahead_momentum",
        "lookahead_momentum_tests",
        "a dampened buffer: b = βb + (1 − β)g",
        mutated(MOMENTUM, "momentum * buffer + g", "momentum * buffer + (1 - momentum) * g"),
    ),
    wrong(
        "lookahead_momentum",
        "lookahead_momentum_tests",
        "a Nesterov step: θ − α(g + βb)",
        mutated(
            MOMENTUM, "theta = theta - lr * buffer", "theta = theta - lr * (g + momentum * buffer)"
        ),
    ),
    wrong(
        "lookahead_momentum",
        "lookahead_momentum_tests",
        "the momentum applied to the slow weights instead of the fast ones",
        """
def lookahead_momentum(grad, theta0, lr, momentum, k, alpha, outer):
    phi = np.array(theta0, dtype=float)
    velocity = np.zeros_like(phi)
    slow = [phi.copy()]
    for _ in range(outer):
        theta = phi.copy()
        for _ in range(k):
            theta = theta - lr * grad(theta)
        velocity = momentum * velocity + alpha * (theta - phi)
        phi = phi + velocity
        slow.append(phi.copy())
    return np.array(slow)
""",
    ),
    right(
        "lookahead_momentum",
        "the buffer starts at 0 (βb₀ + g = g at first), the slow step as a convex combination",
        """
def lookahead_momentum(grad, theta0, lr, momentum, k, alpha, outer):
    phi = np.asarray(theta0, dtype=float).copy()
    buffer = np.zeros_like(phi)
    slow = [phi]
    for _ in range(outer):
        theta = phi.copy()
        for _ in range(k):
            buffer = momentum * buffer + grad(theta)
            theta = theta - lr * buffer
        phi = (1 - alpha) * phi + alpha * theta
        slow.append(phi)
    return np.array(slow)
""",
    ),
    # Exercise 2(a)
    wrong(
        "average_and_variance",
        "closed_form_tests",
        "the survey's exponents: (1 − ω)^t for φ₀ and ω(1 − ω)^(t−1) for θ_(0,p)",
        mutated(
            AVERAGE,
            """    ends = alpha * (1 - alpha) ** (t - np.arange(t + 1))
    return np.concatenate([[(1 - alpha) ** (t + 1)], ends])""",
            """    ends = alpha * (1 - alpha) ** (t - np.arange(t + 1))
    if t >= 1:
        ends[0] = ends[1]
    return np.concatenate([[(1 - alpha) ** t], ends])""",
        ),
    ),
    wrong(
        "average_and_variance",
        "closed_form_tests",
        "the end points' weights in reverse order (the newest gets the smallest)",
        mutated(
            AVERAGE, "(1 - alpha) ** (t - np.arange(t + 1))", "(1 - alpha) ** np.arange(t + 1)"
        ),
    ),
    wrong(
        "average_and_variance",
        "closed_form_tests",
        "φ₀'s weight (1 − ω)^t, one power short",
        mutated(AVERAGE, "[[(1 - alpha) ** (t + 1)], ends]", "[[(1 - alpha) ** t], ends]"),
    ),
    right(
        "average_and_variance",
        "the weights from the recursion run on unit vectors; the variance in Zhang et al.'s form",
        """
def closed_form_weights(t, alpha):
    basis = np.eye(t + 2)
    phi = basis[0]
    for j in range(t + 1):
        phi = phi + alpha * (basis[j + 1] - phi)
    return phi


def stationary_variance(lam, sigma2, lr, k, alpha):
    q = 1 - lr * np.asarray(lam, dtype=float)
    v_sgd = (lr * np.asarray(lam)) ** 2 * np.asarray(sigma2) / (1 - q**2)
    top = alpha**2 * (1 - q ** (2 * k))
    return top / (top + 2 * alpha * (1 - alpha) * (1 - q**k)) * v_sgd
""",
    ),
    # Exercise 2(b)
    wrong(
        "average_and_variance",
        "stationary_variance_tests",
        "ω instead of ω² in front",
        mutated(
            AVERAGE, "return alpha**2 * (1 - q ** (2 * k))", "return alpha * (1 - q ** (2 * k))"
        ),
    ),
    wrong(
        "average_and_variance",
        "stationary_variance_tests",
        "the noise of k steps as 1 − q^k instead of 1 − q^(2k)",
        mutated(AVERAGE, "return alpha**2 * (1 - q ** (2 * k))", "return alpha**2 * (1 - q**k)"),
    ),
    wrong(
        "average_and_variance",
        "stationary_variance_tests",
        "1 − ρ instead of 1 − ρ²",
        mutated(AVERAGE, "/ (1 - rho**2) * v_sgd", "/ (1 - rho) * v_sgd"),
    ),
    wrong(
        "average_and_variance",
        "stationary_variance_tests",
        "SGD's variance without λ: ασ²/(2 − αλ)",
        mutated(
            AVERAGE,
            "v_sgd = lr * lam * sigma2 / (2 - lr * lam)",
            "v_sgd = lr * sigma2 / (2 - lr * lam)",
        ),
    ),
    # Exercise 3(a)
    wrong(
        "equivalent_step",
        "equivalent_step_tests",
        "s' = V_LA/σ², forgetting to invert s'/(2 − s')",
        mutated(EQUIVALENT, "return 2 * v / (1 + v)", "return v"),
    ),
    wrong(
        "equivalent_step",
        "equivalent_step_tests",
        "s' = (V_LA/V_SGD) s: the variance ratio applied to the step",
        mutated(EQUIVALENT, "return 2 * v / (1 + v)", "return v / (s / (2 - s)) * s"),
    ),
    wrong(
        "equivalent_step",
        "equivalent_step_tests",
        "inverted with the wrong sign: 2v/(1 − v)",
        mutated(EQUIVALENT, "return 2 * v / (1 + v)", "return 2 * v / (1 - v)"),
    ),
    right(
        "equivalent_step",
        "solved numerically by bisection on s'/(2 − s')",
        """
def equivalent_sgd_step(s, k, alpha):
    q, rho = 1 - s, 1 - alpha + alpha * (1 - s) ** k
    target = alpha**2 * (1 - q ** (2 * k)) / (1 - rho**2) * s / (2 - s)
    low, high = 0.0, 2.0
    for _ in range(200):
        middle = (low + high) / 2
        if middle / (2 - middle) < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2
""",
    ),
    # Exercise 3(b)
    wrong(
        "speed_ratio",
        "speed_ratio_tests",
        "per outer step instead of per gradient (k forgotten)",
        mutated(
            RATIO, "per_gradient = math.log(abs(rho)) / k", "per_gradient = math.log(abs(rho))"
        ),
    ),
    wrong(
        "speed_ratio",
        "speed_ratio_tests",
        "the ratio upside down: SGD's gradients over Lookahead's",
        """
def speed_ratio(s, k, alpha):
    rho = 1 - alpha + alpha * (1 - s) ** k
    return (math.log(abs(rho)) / k) / math.log(abs(1 - equivalent_sgd_step(s, k, alpha)))
""",
    ),
    wrong(
        "speed_ratio",
        "speed_ratio_tests",
        "SGD at the same step s, not at the equivalent one",
        mutated(RATIO, "abs(1 - equivalent_sgd_step(s, k, alpha))", "abs(1 - s)"),
    ),
    right(
        "speed_ratio",
        "gradients counted to shrink the mean by e⁻¹ with each method",
        """
def speed_ratio(s, k, alpha):
    rho = abs(1 - alpha + alpha * (1 - s) ** k)
    lookahead_gradients = -k / math.log(rho)
    sgd_gradients = -1 / math.log(abs(1 - equivalent_sgd_step(s, k, alpha)))
    return lookahead_gradients / sgd_gradients
""",
    ),
    # Exercise 3(c)
    wrong(
        "faster_interval",
        "faster_interval_tests",
        "searched only up to SGD's bound 2, not up to (16.6)",
        mutated(
            INTERVAL, "top = 2.0 if k % 2 == 0 else 1 + (2 / alpha - 1) ** (1 / k)", "top = 2.0"
        ),
    ),
    wrong(
        "faster_interval",
        "faster_interval_tests",
        "a coarse grid of 50 points",
        mutated(INTERVAL, "np.linspace(1e-4, top, 20001)", "np.linspace(1e-4, top, 51)"),
    ),
    wrong(
        "faster_interval",
        "faster_interval_tests",
        "the threshold reversed: where Lookahead is slower",
        mutated(INTERVAL, "speed_ratio(s, k, alpha) < 0.99", "speed_ratio(s, k, alpha) > 1.01"),
    ),
    right(
        "faster_interval",
        "a grid to bracket the interval, then bisection on each end",
        """
def faster_interval(k, alpha):
    top = 2.0 if k % 2 == 0 else 1 + (2 / alpha - 1) ** (1 / k)
    grid = np.linspace(1e-3, top - 1e-6, 2000)
    good = [speed_ratio(s, k, alpha) < 0.99 for s in grid]
    if not any(good):
        return None
    first = good.index(True)
    last = len(good) - 1 - good[::-1].index(True)

    def edge(inside, outside):
        for _ in range(40):
            middle = (inside + outside) / 2
            if speed_ratio(middle, k, alpha) < 0.99:
                inside = middle
            else:
                outside = middle
        return inside

    low = grid[first] if first == 0 else edge(grid[first], grid[first - 1])
    high = grid[last] if last == len(grid) - 1 else edge(grid[last], grid[last + 1])
    return low, high
""",
    ),
]
