"""Chapter 8's graded notebook (Adam): the answers a student might hand in."""

from exercise_answers import mutated, right, wrong

ADAM = """
def adam(grad, theta0, lr, betas, eps, steps, amsgrad=False):
    beta1, beta2 = betas
    theta = np.array(theta0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    v_max = np.zeros_like(theta)
    path = [theta.copy()]
    for t in range(1, steps + 1):
        g = grad(theta)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        v_max = np.maximum(v_max, v)
        m_hat = m / (1 - beta1**t)
        v_hat = (v_max if amsgrad else v) / (1 - beta2**t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        path.append(theta.copy())
    return np.array(path)
"""
ADAMW = """
def adamw(grad, theta0, lr, betas, eps, weight_decay, steps):
    beta1, beta2 = betas
    theta = np.array(theta0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    path = [theta.copy()]
    for t in range(1, steps + 1):
        g = grad(theta)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        theta = (1 - lr * weight_decay) * theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        path.append(theta.copy())
    return np.array(path)
"""
PEAK = """
def uncorrected_peak(beta1, beta2):
    best_t, best = 1, (1 - beta1) / math.sqrt(1 - beta2)
    t = 1
    while True:
        t += 1
        ratio = (1 - beta1**t) / math.sqrt(1 - beta2**t)
        if ratio > best:
            best_t, best = t, ratio
        elif 1 / math.sqrt(1 - beta2**t) < best:
            return best_t, best
"""
WORST = """
def worst_gradients(t, beta1, beta2):
    j = np.arange(1, t + 1)
    return (beta1 / beta2) ** (t - j)
"""
MEMORY = """
def final_point(C, beta2, amsgrad=False, T=3000, alpha=0.5):
    x, v, v_max = 1.0, 0.0, 0.0
    for t in range(1, T + 1):
        g = C if t % 3 == 1 else -1.0
        v = beta2 * v + (1 - beta2) * g * g
        v_max = max(v_max, v)
        denominator = math.sqrt(v_max if amsgrad else v)
        x = min(max(x - alpha / math.sqrt(t) * g / denominator, -1.0), 1.0)
    return x


def critical_beta2(C):
    for k in range(100):
        if final_point(C, k / 100) < -0.95:
            return k / 100
    return None
"""

ANSWERS = [
    # Exercise 1(a)
    wrong(
        "adam",
        "adam_tests",
        "ε inside the square root, √(v̂ + ε)",
        mutated(ADAM, "(np.sqrt(v_hat) + eps)", "np.sqrt(v_hat + eps)"),
    ),
    wrong(
        "adam",
        "adam_tests",
        "no bias correction",
        mutated(
            mutated(ADAM, "m_hat = m / (1 - beta1**t)", "m_hat = m"),
            "v_hat = (v_max if amsgrad else v) / (1 - beta2**t)",
            "v_hat = v_max if amsgrad else v",
        ),
    ),
    wrong(
        "adam",
        "adam_tests",
        "off by one in t: the corrections use β^(t+1)",
        mutated(
            mutated(ADAM, "m / (1 - beta1**t)", "m / (1 - beta1 ** (t + 1))"),
            "/ (1 - beta2**t)",
            "/ (1 - beta2 ** (t + 1))",
        ),
    ),
    wrong(
        "adam",
        "adam_tests",
        "the decays swapped: m averaged with β₂, v with β₁",
        mutated(
            mutated(ADAM, "m = beta1 * m + (1 - beta1) * g", "m = beta2 * m + (1 - beta2) * g"),
            "v = beta2 * v + (1 - beta2) * g**2",
            "v = beta1 * v + (1 - beta1) * g**2",
        ),
    ),
    wrong(
        "adam",
        "adam_tests",
        "AMSGrad's maximum taken of the corrected v̂",
        mutated(
            mutated(ADAM, "        v_max = np.maximum(v_max, v)\n", ""),
            "v_hat = (v_max if amsgrad else v) / (1 - beta2**t)",
            "v_hat = v / (1 - beta2**t)\n"
            "        v_max = np.maximum(v_max, v_hat)\n"
            "        v_hat = v_max if amsgrad else v_hat",
        ),
    ),
    wrong(
        "adam",
        "adam_tests",
        "AMSGrad's maximum fed back into the average",
        mutated(
            ADAM,
            "v_max = np.maximum(v_max, v)",
            "v_max = np.maximum(v_max, v)\n        v = v_max if amsgrad else v",
        ),
    ),
    wrong(
        "adam",
        "adam_tests",
        "ε forgotten",
        mutated(ADAM, "(np.sqrt(v_hat) + eps)", "np.sqrt(v_hat)"),
    ),
    wrong(
        "adam",
        "adam_tests",
        "θ updated in place and appended without a copy",
        mutated(
            ADAM,
            """        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        path.append(theta.copy())""",
            """        theta -= lr * m_hat / (np.sqrt(v_hat) + eps)
        path.append(theta)""",
        ).replace("path = [theta.copy()]", "path = [theta]"),
    ),
    right(
        "adam",
        "m_t and v_t from their unrolled sums, in a preallocated array",
        """
def adam(grad, theta0, lr, betas, eps, steps, amsgrad=False):
    b1, b2 = betas
    n = np.size(theta0)
    path = np.empty((steps + 1, n))
    path[0] = theta0
    grads = np.empty((steps, n))
    largest = np.zeros(n)
    for t in range(1, steps + 1):
        grads[t - 1] = grad(path[t - 1])
        ages = np.arange(t - 1, -1, -1)
        m = ((1 - b1) * b1**ages) @ grads[:t]
        v = ((1 - b2) * b2**ages) @ grads[:t] ** 2
        largest = np.maximum(largest, v)
        v_used = largest if amsgrad else v
        denom = np.sqrt(v_used / (1 - b2**t)) + eps
        path[t] = path[t - 1] - lr * m / (1 - b1**t) / denom
    return path
""",
    ),
    # Exercise 1(b)
    wrong(
        "adamw",
        "adamw_tests",
        "L2 in the gradient: g + λθ",
        mutated(
            mutated(ADAMW, "g = grad(theta)", "g = grad(theta) + weight_decay * theta"),
            "theta = (1 - lr * weight_decay) * theta - lr",
            "theta = theta - lr",
        ),
    ),
    wrong(
        "adamw",
        "adamw_tests",
        "the decay applied after Adam's step",
        mutated(
            ADAMW,
            "theta = (1 - lr * weight_decay) * theta - lr * m_hat / (np.sqrt(v_hat) + eps)",
            "theta = (1 - lr * weight_decay) * (theta - lr * m_hat / (np.sqrt(v_hat) + eps))",
        ),
    ),
    wrong(
        "adamw",
        "adamw_tests",
        "the decay factor 1 − λ instead of 1 − αλ",
        mutated(ADAMW, "(1 - lr * weight_decay) * theta", "(1 - weight_decay) * theta"),
    ),
    wrong(
        "adamw",
        "adamw_tests",
        "the gradient taken at the decayed point",
        mutated(
            mutated(
                ADAMW,
                "g = grad(theta)",
                "theta = (1 - lr * weight_decay) * theta\n        g = grad(theta)",
            ),
            "theta = (1 - lr * weight_decay) * theta - lr",
            "theta = theta - lr",
        ),
    ),
    wrong(
        "adamw",
        "adamw_tests",
        "the decay divided by √v̂ like the gradient",
        mutated(
            ADAMW,
            "theta = (1 - lr * weight_decay) * theta - lr * m_hat / (np.sqrt(v_hat) + eps)",
            "theta = theta - lr * (m_hat + weight_decay * theta) / (np.sqrt(v_hat) + eps)",
        ),
    ),
    right(
        "adamw",
        "PyTorch's order: decay in place, then Adam's step with the old gradient",
        """
def adamw(grad, theta0, lr, betas, eps, weight_decay, steps):
    b1, b2 = betas
    theta = np.asarray(theta0, dtype=float).copy()
    state = {"m": 0.0, "v": 0.0}
    rows = [theta.copy()]
    for t in range(1, steps + 1):
        g = grad(theta)
        theta *= 1 - lr * weight_decay
        state["m"] = b1 * state["m"] + (1 - b1) * g
        state["v"] = b2 * state["v"] + (1 - b2) * g * g
        step_size = lr / (1 - b1**t)
        denom = np.sqrt(state["v"]) / math.sqrt(1 - b2**t) + eps
        theta -= step_size * state["m"] / denom
        rows.append(theta.copy())
    return np.vstack(rows)
""",
    ),
    # Exercise 2(a)
    wrong(
        "peak",
        "peak_tests",
        "the step counted from 0",
        mutated(PEAK, "return best_t, best", "return best_t - 1, best"),
    ),
    wrong(
        "peak",
        "peak_tests",
        "only the first 20 steps searched",
        """
def uncorrected_peak(beta1, beta2):
    ts = np.arange(1, 21)
    ratios = (1 - beta1**ts) / np.sqrt(1 - beta2**ts)
    return int(ts[np.argmax(ratios)]), float(ratios.max())
""",
    ),
    wrong(
        "peak",
        "peak_tests",
        "the square root forgotten",
        mutated(
            mutated(PEAK, "(1 - beta1) / math.sqrt(1 - beta2)", "(1 - beta1) / (1 - beta2)"),
            "ratio = (1 - beta1**t) / math.sqrt(1 - beta2**t)",
            "ratio = (1 - beta1**t) / (1 - beta2**t)",
        ),
    ),
    wrong(
        "peak",
        "peak_tests",
        "the corrected step instead: always 1 at t = 1",
        """
def uncorrected_peak(beta1, beta2):
    return 1, 1.0
""",
    ),
    right(
        "peak",
        "NumPy over a long range of t",
        """
def uncorrected_peak(beta1, beta2):
    ts = np.arange(1, 1_000_001)
    ratios = (1 - beta1**ts) / np.sqrt(1 - beta2**ts)
    k = int(np.argmax(ratios))
    return int(ts[k]), float(ratios[k])
""",
    ),
    # Exercise 2(b)
    wrong(
        "worst",
        "worst_tests",
        "the ratio inverted: (β₂/β₁)^(t−j)",
        mutated(WORST, "(beta1 / beta2) ** (t - j)", "(beta2 / beta1) ** (t - j)"),
    ),
    wrong(
        "worst",
        "worst_tests",
        "a constant gradient, the common case",
        mutated(WORST, "(beta1 / beta2) ** (t - j)", "np.ones(t)"),
    ),
    wrong(
        "worst",
        "worst_tests",
        "γ = β₁²/β₂ in place of β₁/β₂",
        mutated(WORST, "(beta1 / beta2) ** (t - j)", "(beta1**2 / beta2) ** (t - j)"),
    ),
    wrong(
        "worst",
        "worst_tests",
        "the most severe sparsity: zeros then 1",
        mutated(WORST, "(beta1 / beta2) ** (t - j)", "(j == t).astype(float)"),
    ),
    right(
        "worst",
        "the weights w_j/u_j of the proof, normalised",
        """
def worst_gradients(t, beta1, beta2):
    ages = np.arange(t - 1, -1, -1)
    w = (1 - beta1) * beta1**ages
    u = (1 - beta2) * beta2**ages
    g = w / u
    return g / g[-1]
""",
    ),
    # Exercise 3(a)
    wrong(
        "memory",
        "final_point_tests",
        "the large gradient at t = 3, 6, 9, …",
        mutated(MEMORY, "g = C if t % 3 == 1 else -1.0", "g = C if t % 3 == 0 else -1.0"),
    ),
    wrong(
        "memory",
        "final_point_tests",
        "α_t = α/t instead of α/√t",
        mutated(MEMORY, "x - alpha / math.sqrt(t) * g", "x - alpha / t * g"),
    ),
    wrong(
        "memory",
        "final_point_tests",
        "the bias correction added",
        mutated(
            MEMORY,
            "denominator = math.sqrt(v_max if amsgrad else v)",
            "denominator = math.sqrt((v_max if amsgrad else v) / (1 - beta2**t))",
        ),
    ),
    wrong(
        "memory",
        "final_point_tests",
        "no projection onto [−1, 1]",
        mutated(
            MEMORY,
            "x = min(max(x - alpha / math.sqrt(t) * g / denominator, -1.0), 1.0)",
            "x = x - alpha / math.sqrt(t) * g / denominator",
        ),
    ),
    wrong(
        "memory",
        "final_point_tests",
        "AMSGrad's maximum of g² instead of v",
        mutated(MEMORY, "v_max = max(v_max, v)", "v_max = max(v_max, g * g)"),
    ),
    # Exercise 3(b)
    wrong(
        "memory",
        "critical_tests",
        "the wrong test: x_T < 0",
        mutated(MEMORY, "if final_point(C, k / 100) < -0.95:", "if final_point(C, k / 100) < 0:"),
    ),
    wrong(
        "memory",
        "critical_tests",
        "a grid of tenths",
        mutated(
            mutated(MEMORY, "for k in range(100):", "for k in range(10):"),
            "if final_point(C, k / 100) < -0.95:\n            return k / 100",
            "if final_point(C, k / 10) < -0.95:\n            return k / 10",
        ),
    ),
    wrong(
        "memory",
        "critical_tests",
        "AMSGrad run instead of Adam",
        mutated(
            MEMORY,
            "if final_point(C, k / 100) < -0.95:",
            "if final_point(C, k / 100, True) < -0.95:",
        ),
    ),
    wrong(
        "memory",
        "critical_tests",
        "the largest β₂ that fails, not the smallest that works",
        MEMORY.split("def critical_beta2")[0]
        + """def critical_beta2(C):
    failing = [k / 100 for k in range(100) if final_point(C, k / 100) >= -0.95]
    return max(failing) if failing else None
""",
    ),
    right(
        "memory",
        "NumPy arrays for the averages and a generator for the search",
        """
def final_point(C, beta2, amsgrad=False, T=3000, alpha=0.5):
    t = np.arange(1, T + 1)
    g = np.where(t % 3 == 1, float(C), -1.0)
    v = np.empty(T)
    acc = 0.0
    for k in range(T):
        acc = beta2 * acc + (1 - beta2) * g[k] ** 2
        v[k] = acc
    if amsgrad:
        v = np.maximum.accumulate(v)
    steps = alpha / np.sqrt(t) * g / np.sqrt(v)
    x = 1.0
    for s in steps.tolist():
        x = min(1.0, max(-1.0, x - s))
    return float(x)


def critical_beta2(C):
    grid = [round(0.01 * k, 2) for k in range(100)]
    return next((b for b in grid if final_point(C, b) < -0.95), None)
""",
    ),
]
