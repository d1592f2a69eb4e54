"""Chapter 14's graded notebook (AdaHessian): the answers a student might hand in."""

from exercise_answers import mutated, right, wrong

HUTCH = """
def hutchinson_diagonal(hessp, n, n_samples, rng):
    total = np.zeros(n)
    for _ in range(n_samples):
        z = rng.choice([-1.0, 1.0], size=n)
        total += z * hessp(z)
    return total / n_samples
"""
VAR = """
def hutchinson_variance(H):
    return np.sum(H**2, axis=1) - np.diag(H) ** 2
"""
UPDATE = """
def adahessian_update(theta, g, D, m, v, t, lr, betas, eps, k):
    beta1, beta2 = betas
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * D * D
    m_hat = m_new / (1 - beta1**t)
    v_hat = v_new / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) ** k + eps), m_new, v_new
"""
BLOCK = """
def block_average(D, b):
    out = np.empty_like(D, dtype=float)
    for start in range(0, len(D), b):
        out[start : start + b] = np.mean(D[start : start + b])
    return out
"""
BVAR = """
def block_variance(H, b):
    n = len(H)
    C = H * H
    np.fill_diagonal(C, np.sum(H * H, axis=1) - np.diag(H) ** 2)
    out = np.empty(n)
    for start in range(0, n, b):
        block = slice(start, min(start + b, n))
        size = block.stop - block.start
        out[block] = np.sum(C[block, block]) / size**2
    return out
"""
RMS = """
def rms_limit(H):
    return np.sqrt(np.sum(H * H, axis=1))
"""

ANSWERS = [
    # Exercise 1(a)
    wrong(
        "hutchinson_diagonal",
        "hutchinson_diagonal_tests",
        "Gaussian probes instead of Rademacher ones",
        mutated(HUTCH, "rng.choice([-1.0, 1.0], size=n)", "rng.standard_normal(n)"),
    ),
    wrong(
        "hutchinson_diagonal",
        "hutchinson_diagonal_tests",
        "probes in {0, 1}: rng.integers(0, 2) without the shift to ±1",
        mutated(HUTCH, "rng.choice([-1.0, 1.0], size=n)", "rng.integers(0, 2, n).astype(float)"),
    ),
    wrong(
        "hutchinson_diagonal",
        "hutchinson_diagonal_tests",
        "Hz without the product with z",
        mutated(HUTCH, "total += z * hessp(z)", "total += hessp(z)"),
    ),
    wrong(
        "hutchinson_diagonal",
        "hutchinson_diagonal_tests",
        "the sum of the probes, not their mean",
        mutated(HUTCH, "return total / n_samples", "return total"),
    ),
    wrong(
        "hutchinson_diagonal",
        "hutchinson_diagonal_tests",
        "one probe drawn once and reused for every sample",
        """
def hutchinson_diagonal(hessp, n, n_samples, rng):
    z = rng.choice([-1.0, 1.0], size=n)
    total = np.zeros(n)
    for _ in range(n_samples):
        total += z * hessp(z)
    return total / n_samples
""",
    ),
    wrong(
        "hutchinson_diagonal",
        "hutchinson_diagonal_tests",
        "a fresh generator seeded 0 instead of the rng given",
        mutated(HUTCH, "z = rng.choice(", "z = np.random.default_rng(0).choice("),
    ),
    right(
        "hutchinson_diagonal",
        "all probes at once, 2·integers − 1, and a list of products",
        """
def hutchinson_diagonal(hessp, n, n_samples, rng):
    Z = 2.0 * rng.integers(0, 2, size=(n_samples, n)) - 1.0
    return np.mean([z * hessp(z) for z in Z], axis=0)
""",
    ),
    right(
        "hutchinson_diagonal",
        "signs from uniform numbers, a running mean",
        """
def hutchinson_diagonal(hessp, n, n_samples, rng):
    estimate = np.zeros(n)
    for s in range(1, n_samples + 1):
        z = np.where(rng.random(n) < 0.5, -1.0, 1.0)
        estimate += (z * hessp(z) - estimate) / s
    return estimate
""",
    ),
    # Exercise 1(b)
    wrong(
        "hutchinson_variance",
        "hutchinson_variance_tests",
        "the diagonal entry included: the row's squared norm",
        mutated(VAR, "np.sum(H**2, axis=1) - np.diag(H) ** 2", "np.sum(H**2, axis=1)"),
    ),
    wrong(
        "hutchinson_variance",
        "hutchinson_variance_tests",
        "Gaussian probes' variance: + 2 Hᵢᵢ²",
        mutated(
            VAR, "np.sum(H**2, axis=1) - np.diag(H) ** 2", "np.sum(H**2, axis=1) + np.diag(H) ** 2"
        ),
    ),
    wrong(
        "hutchinson_variance",
        "hutchinson_variance_tests",
        "the standard deviation, not the variance",
        mutated(
            VAR,
            "return np.sum(H**2, axis=1) - np.diag(H) ** 2",
            "return np.sqrt(np.sum(H**2, axis=1) - np.diag(H) ** 2)",
        ),
    ),
    wrong(
        "hutchinson_variance",
        "hutchinson_variance_tests",
        "the square of the off-diagonal sum, (Σⱼ≠ᵢ Hᵢⱼ)²",
        mutated(
            VAR,
            "return np.sum(H**2, axis=1) - np.diag(H) ** 2",
            "return (np.sum(H, axis=1) - np.diag(H)) ** 2",
        ),
    ),
    wrong(
        "hutchinson_variance",
        "hutchinson_variance_tests",
        "Σⱼ≠ᵢ |Hᵢⱼ|: absolute values, not squares",
        mutated(
            VAR,
            "return np.sum(H**2, axis=1) - np.diag(H) ** 2",
            "return np.sum(np.abs(H), axis=1) - np.abs(np.diag(H))",
        ),
    ),
    right(
        "hutchinson_variance",
        "the off-diagonal part squared, summed over columns",
        """
def hutchinson_variance(H):
    off = H - np.diag(np.diag(H))
    return (off**2).sum(axis=0)
""",
    ),
    # Exercise 2(a)
    wrong(
        "adahessian_update",
        "adahessian_update_tests",
        "no bias correction",
        mutated(UPDATE, "m_new / (1 - beta1**t)", "m_new").replace(
            "v_new / (1 - beta2**t)", "v_new"
        ),
    ),
    wrong(
        "adahessian_update",
        "adahessian_update_tests",
        "off by one in t: the correction uses t + 1",
        mutated(UPDATE, "(1 - beta1**t)", "(1 - beta1 ** (t + 1))").replace(
            "(1 - beta2**t)", "(1 - beta2 ** (t + 1))"
        ),
    ),
    wrong(
        "adahessian_update",
        "adahessian_update_tests",
        "the average of |D|, not of D ⊙ D",
        mutated(UPDATE, "(1 - beta2) * D * D", "(1 - beta2) * np.abs(D)"),
    ),
    wrong(
        "adahessian_update",
        "adahessian_update_tests",
        "the power k applied to v̂ instead of √v̂",
        mutated(UPDATE, "np.sqrt(v_hat) ** k", "v_hat**k"),
    ),
    wrong(
        "adahessian_update",
        "adahessian_update_tests",
        "ε inside the power: (√v̂ + ε)ᵏ",
        mutated(UPDATE, "(np.sqrt(v_hat) ** k + eps)", "(np.sqrt(v_hat) + eps) ** k"),
    ),
    wrong(
        "adahessian_update",
        "adahessian_update_tests",
        "the survey's update: no minus sign",
        mutated(UPDATE, "return theta - lr", "return theta + lr"),
    ),
    wrong(
        "adahessian_update",
        "adahessian_update_tests",
        "in place: the caller's m and v are overwritten",
        """
def adahessian_update(theta, g, D, m, v, t, lr, betas, eps, k):
    beta1, beta2 = betas
    m *= beta1
    m += (1 - beta1) * g
    v *= beta2
    v += (1 - beta2) * D * D
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) ** k + eps), m, v
""",
    ),
    right(
        "adahessian_update",
        "in place on copies, |D|^k form via np.power",
        """
def adahessian_update(theta, g, D, m, v, t, lr, betas, eps, k):
    b1, b2 = betas
    m, v, theta = m.copy(), v.copy(), theta.copy()
    m *= b1
    m += (1 - b1) * g
    v *= b2
    v += (1 - b2) * np.square(D)
    denominator = np.power(v / (1 - b2**t), k / 2) + eps
    theta -= lr / (1 - b1**t) * m / denominator
    return theta, m, v
""",
    ),
    # Exercise 2(b)
    wrong(
        "block_average",
        "block_average_tests",
        "the last, shorter block divided by b",
        """
def block_average(D, b):
    out = np.empty_like(D, dtype=float)
    for start in range(0, len(D), b):
        out[start : start + b] = np.sum(D[start : start + b]) / b
    return out
""",
    ),
    wrong(
        "block_average",
        "block_average_tests",
        "reshape into rows of b: fails when b does not divide the length",
        """
def block_average(D, b):
    means = D.reshape(-1, b).mean(axis=1)
    return np.repeat(means, b)
""",
    ),
    wrong(
        "block_average",
        "block_average_tests",
        "the authors' code's |D| averaged instead of the signed D of (14.3)",
        mutated(BLOCK, "np.mean(D[start : start + b])", "np.mean(np.abs(D[start : start + b]))"),
    ),
    wrong(
        "block_average",
        "block_average_tests",
        "one mean per block, not repeated over the block",
        """
def block_average(D, b):
    return np.array([np.mean(D[start : start + b]) for start in range(0, len(D), b)])
""",
    ),
    wrong(
        "block_average",
        "block_average_tests",
        "in place: the caller's D is overwritten",
        """
def block_average(D, b):
    for start in range(0, len(D), b):
        D[start : start + b] = np.mean(D[start : start + b])
    return D
""",
    ),
    wrong(
        "block_average",
        "block_average_tests",
        "a sliding window of b entries instead of fixed blocks",
        """
def block_average(D, b):
    return np.array([np.mean(D[i : i + b]) for i in range(len(D))])
""",
    ),
    right(
        "block_average",
        "np.add.reduceat and np.repeat",
        """
def block_average(D, b):
    starts = np.arange(0, len(D), b)
    sizes = np.minimum(b, len(D) - starts)
    return np.repeat(np.add.reduceat(D, starts) / sizes, sizes)
""",
    ),
    right(
        "block_average",
        "each entry's block by integer division",
        """
def block_average(D, b):
    return np.array([D[(i // b) * b : (i // b) * b + b].mean() for i in range(len(D))])
""",
    ),
    # Exercise 3(a)
    wrong(
        "block_variance",
        "block_variance_tests",
        "the covariances inside the block ignored (independent noises)",
        mutated(BVAR, "C = H * H\n", "C = np.zeros_like(H)\n"),
    ),
    wrong(
        "block_variance",
        "block_variance_tests",
        "covariance Hₖₗ where Hₖₗ² belongs",
        mutated(BVAR, "C = H * H\n", "C = H.copy()\n"),
    ),
    wrong(
        "block_variance",
        "block_variance_tests",
        "covariance 2Hₖₗ² (each pair counted twice)",
        mutated(BVAR, "C = H * H\n", "C = 2 * H * H\n"),
    ),
    wrong(
        "block_variance",
        "block_variance_tests",
        "the short last block divided by b² instead of its size²",
        mutated(BVAR, "np.sum(C[block, block]) / size**2", "np.sum(C[block, block]) / b**2"),
    ),
    wrong(
        "block_variance",
        "block_variance_tests",
        "'averaging b entries divides the variance by b': the mean variance / b",
        """
def block_variance(H, b):
    single = np.sum(H * H, axis=1) - np.diag(H) ** 2
    out = np.empty(len(H))
    for start in range(0, len(H), b):
        out[start : start + b] = np.mean(single[start : start + b]) / b
    return out
""",
    ),
    right(
        "block_variance",
        "explicit double loop over the pairs of a block",
        """
def block_variance(H, b):
    n = len(H)
    out = np.empty(n)
    for start in range(0, n, b):
        idx = list(range(start, min(start + b, n)))
        total = 0.0
        for k in idx:
            for l in idx:
                if k == l:
                    total += sum(H[k, j] ** 2 for j in range(n) if j != k)
                else:
                    total += H[k, l] ** 2
        out[idx] = total / len(idx) ** 2
    return out
""",
    ),
    # Exercise 3(b)
    wrong(
        "rms_limit",
        "rms_limit_tests",
        "|Hᵢᵢ|: the curvature the average is meant to estimate",
        mutated(RMS, "np.sqrt(np.sum(H * H, axis=1))", "np.abs(np.diag(H))"),
    ),
    wrong(
        "rms_limit",
        "rms_limit_tests",
        "the noise alone: √Σⱼ≠ᵢ Hᵢⱼ²",
        mutated(
            RMS,
            "np.sqrt(np.sum(H * H, axis=1))",
            "np.sqrt(np.sum(H * H, axis=1) - np.diag(H) ** 2)",
        ),
    ),
    wrong(
        "rms_limit",
        "rms_limit_tests",
        "E[D²] without the square root",
        mutated(RMS, "np.sqrt(np.sum(H * H, axis=1))", "np.sum(H * H, axis=1)"),
    ),
    wrong(
        "rms_limit",
        "rms_limit_tests",
        "the row's absolute sum Σⱼ |Hᵢⱼ|",
        mutated(RMS, "np.sqrt(np.sum(H * H, axis=1))", "np.sum(np.abs(H), axis=1)"),
    ),
    wrong(
        "rms_limit",
        "rms_limit_tests",
        "Gaussian probes' E[D²]: + 2Hᵢᵢ²",
        mutated(
            RMS,
            "np.sqrt(np.sum(H * H, axis=1))",
            "np.sqrt(np.sum(H * H, axis=1) + 2 * np.diag(H) ** 2)",
        ),
    ),
    right(
        "rms_limit",
        "the row norms of H",
        """
def rms_limit(H):
    return np.linalg.norm(H, axis=1)
""",
    ),
    right(
        "rms_limit",
        "the diagonal of H², since H is symmetric",
        """
def rms_limit(H):
    return np.sqrt(np.diag(H @ H))
""",
    ),
]
