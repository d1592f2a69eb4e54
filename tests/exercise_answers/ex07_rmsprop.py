"""Chapter 7's graded notebook (RMSProp): the answers a student might hand in."""

from exercise_answers import mutated, right, wrong

# Right answers from which mistakes are made.
RMSPROP = """
def rmsprop(grad, theta0, lr, alpha, eps, steps):
    theta = np.array(theta0, dtype=float)
    v = np.zeros_like(theta)
    path = [theta.copy()]
    for _ in range(steps):
        g = grad(theta)
        v = alpha * v + (1 - alpha) * g**2
        theta = theta - lr * g / (np.sqrt(v) + eps)
        path.append(theta.copy())
    return np.array(path)
"""
OPTIONS = """
def rmsprop_options(grad, theta0, lr, alpha, eps, momentum, centered, steps):
    theta = np.array(theta0, dtype=float)
    v = np.zeros_like(theta)
    mean = np.zeros_like(theta)
    buffer = np.zeros_like(theta)
    path = [theta.copy()]
    for _ in range(steps):
        g = grad(theta)
        v = alpha * v + (1 - alpha) * g**2
        if centered:
            mean = alpha * mean + (1 - alpha) * g
            scaled = g / (np.sqrt(v - mean**2) + eps)
        else:
            scaled = g / (np.sqrt(v) + eps)
        buffer = momentum * buffer + scaled
        theta = theta - lr * buffer
        path.append(theta.copy())
    return np.array(path)
"""
FIRST = """
def first_step(g, lr, alpha, eps):
    g = np.asarray(g, dtype=float)
    return -lr * g / (np.sqrt(1 - alpha) * np.abs(g) + eps)


def steps_until_close(alpha, tolerance=0.1):
    t = 1
    while 1 / math.sqrt(1 - alpha**t) > 1 + tolerance:
        t += 1
    return t
"""
ROTATION = """
def steps_to_tolerance(kappa, degrees, lr=0.01, alpha=0.99, tol=0.05, max_steps=5000):
    phi = math.radians(degrees)
    Q = np.array([[math.cos(phi), -math.sin(phi)], [math.sin(phi), math.cos(phi)]])
    problem = Quadratic.from_spectrum([1.0, kappa], eigenvectors=Q)
    run = optlib.minimize(
        problem,
        Q @ np.ones(2),
        method=optlib.methods.RMSProp(lr=lr, alpha=alpha),
        max_iter=max_steps,
        gtol=0,
        norm=np.inf,
        callback=lambda iterate: np.linalg.norm(iterate.x) <= tol,
    )
    return run.nit if run.status == optlib.Status.CALLBACK else None


def doubling_angle(kappa):
    target = 2 * steps_to_tolerance(kappa, 0.0)
    low, high = 0.0, 45.0
    while high - low > 0.005:
        middle = (low + high) / 2
        count = steps_to_tolerance(kappa, middle)
        if count is None or count >= target:
            high = middle
        else:
            low = middle
    return (low + high) / 2
"""
CONSTANT = """
def doubling_constant():
    kappa = 1000

    def count(degrees):
        phi = math.radians(degrees)
        Q = np.array([[math.cos(phi), -math.sin(phi)], [math.sin(phi), math.cos(phi)]])
        run = optlib.minimize(
            Quadratic.from_spectrum([1.0, kappa], eigenvectors=Q),
            Q @ np.ones(2),
            method=optlib.methods.RMSProp(lr=0.01, alpha=0.99),
            max_iter=5000,
            gtol=0,
            norm=np.inf,
            callback=lambda iterate: np.linalg.norm(iterate.x) <= 0.05,
        )
        return run.nit if run.status == optlib.Status.CALLBACK else math.inf

    target, low, high = 2 * count(0.0), 0.0, 45.0
    while high - low > 1e-4:
        middle = (low + high) / 2
        low, high = (low, middle) if count(middle) >= target else (middle, high)
    return kappa * (low + high) / 2
"""

ANSWERS = [
    # Exercise 1(a)
    wrong(
        "rmsprop",
        "rmsprop_tests",
        "ε inside the square root, √(v + ε)",
        mutated(RMSPROP, "(np.sqrt(v) + eps)", "np.sqrt(v + eps)"),
    ),
    wrong(
        "rmsprop",
        "rmsprop_tests",
        "Adam's bias correction added: v/(1 − a^t)",
        mutated(
            RMSPROP,
            """    for _ in range(steps):
        g = grad(theta)
        v = alpha * v + (1 - alpha) * g**2
        theta = theta - lr * g / (np.sqrt(v) + eps)""",
            """    for t in range(1, steps + 1):
        g = grad(theta)
        v = alpha * v + (1 - alpha) * g**2
        theta = theta - lr * g / (np.sqrt(v / (1 - alpha**t)) + eps)""",
        ),
    ),
    wrong(
        "rmsprop",
        "rmsprop_tests",
        "the weights swapped: v = (1 − a)v + a g²",
        mutated(RMSPROP, "alpha * v + (1 - alpha) * g**2", "(1 - alpha) * v + alpha * g**2"),
    ),
    wrong(
        "rmsprop",
        "rmsprop_tests",
        "the step divides by the previous v_t−1, the average updated after it",
        mutated(
            RMSPROP,
            """        v = alpha * v + (1 - alpha) * g**2
        theta = theta - lr * g / (np.sqrt(v) + eps)""",
            """        theta = theta - lr * g / (np.sqrt(v) + eps)
        v = alpha * v + (1 - alpha) * g**2""",
        ),
    ),
    wrong(
        "rmsprop",
        "rmsprop_tests",
        "Adagrad's sum instead of the moving average",
        mutated(RMSPROP, "v = alpha * v + (1 - alpha) * g**2", "v = v + g**2"),
    ),
    wrong(
        "rmsprop",
        "rmsprop_tests",
        "no square root: divided by v + ε",
        mutated(RMSPROP, "(np.sqrt(v) + eps)", "(v + eps)"),
    ),
    wrong(
        "rmsprop",
        "rmsprop_tests",
        "θ updated in place and appended without a copy",
        mutated(
            RMSPROP,
            """        theta = theta - lr * g / (np.sqrt(v) + eps)
        path.append(theta.copy())""",
            """        theta -= lr * g / (np.sqrt(v) + eps)
        path.append(theta)""",
        ).replace("path = [theta.copy()]", "path = [theta]"),
    ),
    wrong(
        "rmsprop",
        "rmsprop_tests",
        "a second gradient per step, to report the new point",
        mutated(
            RMSPROP,
            "        path.append(theta.copy())\n",
            "        path.append(theta.copy())\n        grad(theta)\n",
        ),
    ),
    right(
        "rmsprop",
        "v_t from the unrolled sum (7.5) of all past squared gradients, in a preallocated array",
        """
def rmsprop(grad, theta0, lr, alpha, eps, steps):
    path = np.empty((steps + 1, np.size(theta0)))
    path[0] = theta0
    squares = np.empty((steps, np.size(theta0)))
    for t in range(1, steps + 1):
        g = grad(path[t - 1])
        squares[t - 1] = g * g
        weights = (1 - alpha) * alpha ** np.arange(t - 1, -1, -1)
        v = weights @ squares[:t]
        path[t] = path[t - 1] - lr * g / (np.sqrt(v) + eps)
    return path
""",
    ),
    # Exercise 1(b)
    wrong(
        "rmsprop_options",
        "rmsprop_options_tests",
        "centred with the mean not squared: v − ḡ",
        mutated(OPTIONS, "np.sqrt(v - mean**2)", "np.sqrt(np.abs(v - mean))"),
    ),
    wrong(
        "rmsprop_options",
        "rmsprop_options_tests",
        "centred with the previous mean ḡ_t−1",
        mutated(
            OPTIONS,
            """            mean = alpha * mean + (1 - alpha) * g
            scaled = g / (np.sqrt(v - mean**2) + eps)""",
            """            scaled = g / (np.sqrt(np.abs(v - mean**2)) + eps)
            mean = alpha * mean + (1 - alpha) * g""",
        ),
    ),
    wrong(
        "rmsprop_options",
        "rmsprop_options_tests",
        "Adam's order: the buffer accumulates g, and the step divides it by √ṽ + ε",
        OPTIONS.replace(
            "scaled = g / (np.sqrt(v - mean**2) + eps)", "denominator = np.sqrt(v - mean**2) + eps"
        )
        .replace("scaled = g / (np.sqrt(v) + eps)", "denominator = np.sqrt(v) + eps")
        .replace(
            """        buffer = momentum * buffer + scaled
        theta = theta - lr * buffer""",
            """        buffer = momentum * buffer + g
        theta = theta - lr * buffer / denominator""",
        ),
    ),
    wrong(
        "rmsprop_options",
        "rmsprop_options_tests",
        "a dampened buffer: b = βb + (1 − β) g/(√ṽ + ε)",
        mutated(
            OPTIONS, "momentum * buffer + scaled", "momentum * buffer + (1 - momentum) * scaled"
        ),
    ),
    wrong(
        "rmsprop_options",
        "rmsprop_options_tests",
        "a Nesterov-like step: θ − α(d + βb)",
        mutated(
            OPTIONS,
            "        theta = theta - lr * buffer\n",
            "        theta = theta - lr * (scaled + momentum * buffer)\n",
        ),
    ),
    wrong(
        "rmsprop_options",
        "rmsprop_options_tests",
        "centring ignored when there is momentum",
        mutated(OPTIONS, "        if centered:\n", "        if centered and momentum == 0:\n"),
    ),
    right(
        "rmsprop_options",
        "the moving averages kept in a dict, and momentum 0 handled as the plain step",
        """
def rmsprop_options(grad, theta0, lr, alpha, eps, momentum, centered, steps):
    theta = np.asarray(theta0, dtype=float).copy()
    state = {"square": 0.0, "mean": 0.0, "buffer": 0.0}
    path = np.empty((steps + 1, theta.size))
    path[0] = theta
    for t in range(1, steps + 1):
        g = grad(theta)
        state["square"] = alpha * state["square"] + (1 - alpha) * g * g
        denominator = state["square"]
        if centered:
            state["mean"] = alpha * state["mean"] + (1 - alpha) * g
            denominator = denominator - state["mean"] * state["mean"]
        scaled = g / (np.sqrt(denominator) + eps)
        if momentum == 0:
            theta = theta - lr * scaled
        else:
            state["buffer"] = momentum * state["buffer"] + scaled
            theta = theta - lr * state["buffer"]
        path[t] = theta
    return path
""",
    ),
    # Exercise 2(a)
    wrong(
        "first_steps",
        "first_step_tests",
        "the bias-corrected first step, α g/(|g| + ε)",
        mutated(FIRST, "np.sqrt(1 - alpha) * np.abs(g)", "np.abs(g)"),
    ),
    wrong(
        "first_steps",
        "first_step_tests",
        "the sign of the gradient kept: θ₁ − θ₀ = +α g/…",
        mutated(FIRST, "return -lr * g", "return lr * g"),
    ),
    wrong(
        "first_steps",
        "first_step_tests",
        "1 − a without the square root",
        mutated(FIRST, "np.sqrt(1 - alpha) * np.abs(g)", "(1 - alpha) * np.abs(g)"),
    ),
    wrong(
        "first_steps",
        "first_step_tests",
        "ε inside the square root",
        mutated(
            FIRST,
            "(np.sqrt(1 - alpha) * np.abs(g) + eps)",
            "np.sqrt((1 - alpha) * g**2 + eps)",
        ),
    ),
    wrong(
        "first_steps",
        "first_step_tests",
        "ε forgotten",
        mutated(
            FIRST,
            "return -lr * g / (np.sqrt(1 - alpha) * np.abs(g) + eps)",
            "with np.errstate(invalid='ignore'):\n"
            "        return np.nan_to_num(-lr * g / (np.sqrt(1 - alpha) * np.abs(g)))",
        ),
    ),
    right(
        "first_steps",
        "one step of (7.1)–(7.2) written out with v₁, and the first t from logarithms",
        """
def first_step(g, lr, alpha, eps):
    g = np.array(g, dtype=float)
    v1 = alpha * 0.0 + (1 - alpha) * g**2
    return -lr * g / (np.sqrt(v1) + eps)


def steps_until_close(alpha, tolerance=0.1):
    if alpha == 0:
        return 1
    bound = 1 - 1 / (1 + tolerance) ** 2  # a^t must be at most this
    return max(1, math.ceil(math.log(bound) / math.log(alpha)))
""",
    ),
    # Exercise 2(b)
    wrong(
        "first_steps",
        "steps_until_close_tests",
        "the square forgotten: 1 − a^t ≥ 1/(1 + tolerance)",
        mutated(
            FIRST,
            "1 / math.sqrt(1 - alpha**t) > 1 + tolerance",
            "1 / (1 - alpha**t) > 1 + tolerance",
        ),
    ),
    wrong(
        "first_steps",
        "steps_until_close_tests",
        "counted from 0: the last step that is still too large",
        mutated(FIRST, "        t += 1\n    return t", "        t += 1\n    return t - 1"),
    ),
    wrong(
        "first_steps",
        "steps_until_close_tests",
        "the closed form, which gives 0 steps at a = 0",
        FIRST.split("def steps_until_close")[0]
        + """def steps_until_close(alpha, tolerance=0.1):
    bound = 1 - 1 / (1 + tolerance) ** 2
    return math.ceil(math.log(bound) / math.log(alpha)) if alpha > 0 else 0
""",
    ),
    wrong(
        "first_steps",
        "steps_until_close_tests",
        "rounded instead of rounded up",
        FIRST.split("def steps_until_close")[0]
        + """def steps_until_close(alpha, tolerance=0.1):
    if alpha == 0:
        return 1
    bound = 1 - 1 / (1 + tolerance) ** 2
    return max(1, round(math.log(bound) / math.log(alpha)))
""",
    ),
    # Exercise 3(a)
    wrong(
        "rotation",
        "steps_to_tolerance_tests",
        "the start (1, 1) not rotated with the problem",
        mutated(ROTATION, "        Q @ np.ones(2),\n", "        np.ones(2),\n"),
    ),
    wrong(
        "rotation",
        "steps_to_tolerance_tests",
        "the angle taken in radians",
        mutated(ROTATION, "phi = math.radians(degrees)", "phi = degrees"),
    ),
    wrong(
        "rotation",
        "steps_to_tolerance_tests",
        "one step too many: the count includes θ₀",
        mutated(
            ROTATION,
            "return run.nit if run.status == optlib.Status.CALLBACK else None",
            "return run.nit + 1 if run.status == optlib.Status.CALLBACK else None",
        ),
    ),
    wrong(
        "rotation",
        "steps_to_tolerance_tests",
        "max_steps ignored: a count is always returned",
        mutated(
            ROTATION,
            "return run.nit if run.status == optlib.Status.CALLBACK else None",
            "return run.nit",
        ),
    ),
    # Exercise 3(b)
    wrong(
        "rotation",
        "doubling_angle_tests",
        "a grid of whole degrees",
        ROTATION.split("def doubling_angle")[0]
        + """def doubling_angle(kappa):
    target = 2 * steps_to_tolerance(kappa, 0.0)
    for degrees in range(46):
        count = steps_to_tolerance(kappa, degrees)
        if count is None or count >= target:
            return float(degrees)
""",
    ),
    wrong(
        "rotation",
        "doubling_angle_tests",
        "the angle returned in radians",
        mutated(
            ROTATION, "    return (low + high) / 2\n", "    return math.radians((low + high) / 2)\n"
        ),
    ),
    wrong(
        "rotation",
        "doubling_angle_tests",
        "one and a half times the aligned count, not twice",
        mutated(ROTATION, "target = 2 * steps_to_tolerance", "target = 1.5 * steps_to_tolerance"),
    ),
    right(
        "rotation",
        "a hand-built matrix, and a scan that narrows by tenths",
        """
def steps_to_tolerance(kappa, degrees, lr=0.01, alpha=0.99, tol=0.05, max_steps=5000):
    c, s = np.cos(np.deg2rad(degrees)), np.sin(np.deg2rad(degrees))
    A = np.array([[c * c + kappa * s * s, (1 - kappa) * c * s],
                  [(1 - kappa) * c * s, s * s + kappa * c * c]])
    start = np.array([c - s, s + c])
    counted = []

    def stop(iterate):
        counted.append(iterate.nit)
        return np.hypot(*iterate.x) <= tol

    res = optlib.minimize(Quadratic(A), start, method=optlib.methods.RMSProp(lr=lr, alpha=alpha),
                          max_iter=max_steps, gtol=0, norm=np.inf, callback=stop)
    return counted[-1] if res.status == 4 else None


def doubling_angle(kappa):
    target = 2 * steps_to_tolerance(kappa, 0)

    def doubled(angle):
        count = steps_to_tolerance(kappa, angle)
        return count is None or count >= target

    angle, width = 0.0, 10.0
    while width > 0.004:  # the last angle below the target, to within `width`
        while not doubled(angle + width):
            angle += width
        width /= 10
    return angle + 0.005
""",
    ),
    # Exercise 3(c)
    wrong(
        "constant",
        "doubling_constant_tests",
        "the doubling angle itself, at κ = 1000",
        mutated(CONSTANT, "return kappa * (low + high) / 2", "return (low + high) / 2"),
    ),
    wrong(
        "constant",
        "doubling_constant_tests",
        "κ φ₂ in radians",
        mutated(
            CONSTANT,
            "return kappa * (low + high) / 2",
            "return kappa * math.radians((low + high) / 2)",
        ),
    ),
    wrong(
        "constant",
        "doubling_constant_tests",
        "estimated at κ = 10, far from the limit",
        mutated(CONSTANT, "kappa = 1000\n", "kappa = 10\n"),
    ),
    right(
        "constant",
        "the product at κ = 100 and 1000 from (b), averaged",
        """
def doubling_constant():
    return float(np.mean([kappa * doubling_angle(kappa) for kappa in (100, 1000)]))
""",
    ),
]
