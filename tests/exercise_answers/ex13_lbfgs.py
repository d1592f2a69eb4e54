"""Chapter 13's graded notebook (L-BFGS): the answers a student might hand in."""

from exercise_answers import mutated, right, wrong

TWO_LOOP = """
def two_loop(g, pairs, gamma):
    q = np.array(g, dtype=float)
    a = []
    for s, y in reversed(pairs):
        rho = 1.0 / (y @ s)
        a.append(rho * (s @ q))
        q = q - a[-1] * y
    r = gamma * q
    for (s, y), a_i in zip(pairs, reversed(a)):
        rho = 1.0 / (y @ s)
        b = rho * (y @ r)
        r = r + (a_i - b) * s
    return r
"""
MEMORY = """
def update_memory(pairs, s, y, m):
    if y @ s > 0:
        pairs = pairs + [(s, y)]
    return list(pairs[-m:])
"""
SCALE = """
def initial_scale(pairs):
    s, y = pairs[-1]
    return float(s @ y) / float(y @ y)
"""
MEMORYLESS = """
def memoryless_direction(g, s, y):
    rho = 1.0 / (y @ s)
    gamma = (s @ y) / (y @ y)
    a = rho * (s @ g)
    q = g - a * y
    r = gamma * q
    r = r + (a - rho * (y @ r)) * s
    return -r
"""
BETA = """
def hs_beta(g, s, y):
    return float(y @ g) / float(y @ s)
"""

ANSWERS = [
    # Exercise 1
    wrong(
        "two_loop",
        "two_loop_tests",
        "both loops newest pair first",
        mutated(TWO_LOOP, "zip(pairs, reversed(a))", "zip(reversed(pairs), a)"),
    ),
    wrong(
        "two_loop",
        "two_loop_tests",
        "the aᵢ not reversed for the second loop",
        mutated(TWO_LOOP, "zip(pairs, reversed(a))", "zip(pairs, a)"),
    ),
    wrong(
        "two_loop",
        "two_loop_tests",
        "the first loop oldest pair first",
        mutated(TWO_LOOP, "for s, y in reversed(pairs):", "for s, y in pairs:"),
    ),
    wrong(
        "two_loop",
        "two_loop_tests",
        "γ forgotten: r = q",
        mutated(TWO_LOOP, "r = gamma * q", "r = q"),
    ),
    wrong(
        "two_loop",
        "two_loop_tests",
        "q aliases g: the caller's gradient is changed in place",
        mutated(
            mutated(TWO_LOOP, "q = np.array(g, dtype=float)", "q = g"),
            "q = q - a[-1] * y",
            "q -= a[-1] * y",
        ),
    ),
    wrong(
        "two_loop",
        "two_loop_tests",
        "b from s instead of y: b = ρ sᵀr",
        mutated(TWO_LOOP, "b = rho * (y @ r)", "b = rho * (s @ r)"),
    ),
    wrong(
        "two_loop",
        "two_loop_tests",
        "the correction with the wrong sign: (b − a) s",
        mutated(TWO_LOOP, "r = r + (a_i - b) * s", "r = r + (b - a_i) * s"),
    ),
    right(
        "two_loop",
        "the pairs stacked in arrays, ρ precomputed, in-place updates on a copy",
        """
def two_loop(g, pairs, gamma):
    if not pairs:
        return gamma * np.asarray(g, dtype=float)
    S = np.array([s for s, _ in pairs], dtype=float)
    Y = np.array([y for _, y in pairs], dtype=float)
    rho = 1.0 / np.einsum("ij,ij->i", S, Y)
    q = np.array(g, dtype=float, copy=True)
    a = np.zeros(len(pairs))
    for i in range(len(pairs) - 1, -1, -1):
        a[i] = rho[i] * S[i] @ q
        q -= a[i] * Y[i]
    q *= gamma
    for i in range(len(pairs)):
        q += (a[i] - rho[i] * Y[i] @ q) * S[i]
    return q
""",
    ),
    # Exercise 2(a)
    wrong(
        "update_memory",
        "update_memory_tests",
        "the newest pair dropped instead of the oldest",
        mutated(MEMORY, "return list(pairs[-m:])", "return list(pairs[:m])"),
    ),
    wrong(
        "update_memory",
        "update_memory_tests",
        "off by one: m + 1 pairs kept",
        mutated(MEMORY, "return list(pairs[-m:])", "return list(pairs[-(m + 1):])"),
    ),
    wrong(
        "update_memory",
        "update_memory_tests",
        "the curvature test forgotten: every pair stored",
        mutated(MEMORY, "    if y @ s > 0:\n        pairs", "    if True:\n        pairs"),
    ),
    wrong(
        "update_memory",
        "update_memory_tests",
        "yᵀs = 0 accepted: the test against ≥ instead of >",
        mutated(MEMORY, "if y @ s > 0:", "if y @ s >= 0:"),
    ),
    wrong(
        "update_memory",
        "update_memory_tests",
        "the given list appended to in place",
        mutated(MEMORY, "pairs = pairs + [(s, y)]", "pairs.append((s, y))"),
    ),
    wrong(
        "update_memory",
        "update_memory_tests",
        "newest first: the new pair put at the front",
        mutated(
            mutated(MEMORY, "pairs = pairs + [(s, y)]", "pairs = [(s, y)] + pairs"),
            "return list(pairs[-m:])",
            "return list(pairs[:m])",
        ),
    ),
    right(
        "update_memory",
        "a deque with maxlen, converted back to a list",
        """
from collections import deque


def update_memory(pairs, s, y, m):
    window = deque(pairs, maxlen=m)
    if float(np.dot(s, y)) > 0:
        window.append((s, y))
    return list(window)
""",
    ),
    # Exercise 2(b)
    wrong(
        "initial_scale",
        "initial_scale_tests",
        "inverted: yᵀy / sᵀy (a Hessian scale, not an inverse-Hessian one)",
        mutated(SCALE, "float(s @ y) / float(y @ y)", "float(y @ y) / float(s @ y)"),
    ),
    wrong(
        "initial_scale",
        "initial_scale_tests",
        "from the oldest pair",
        mutated(SCALE, "s, y = pairs[-1]", "s, y = pairs[0]"),
    ),
    wrong(
        "initial_scale",
        "initial_scale_tests",
        "sᵀy / sᵀs",
        mutated(SCALE, "float(s @ y) / float(y @ y)", "float(s @ y) / float(s @ s)"),
    ),
    right(
        "initial_scale",
        "with np.dot and the last element unpacked",
        """
def initial_scale(pairs):
    *_, (s, y) = pairs
    return np.dot(s, y) / np.dot(y, y)
""",
    ),
    # Exercise 3(a)
    wrong(
        "memoryless_direction",
        "memoryless_direction_tests",
        "the minus sign forgotten: +Hg",
        mutated(MEMORYLESS, "return -r", "return r"),
    ),
    wrong(
        "memoryless_direction",
        "memoryless_direction_tests",
        "no scaling: γ = 1",
        mutated(MEMORYLESS, "gamma = (s @ y) / (y @ y)", "gamma = 1.0"),
    ),
    wrong(
        "memoryless_direction",
        "memoryless_direction_tests",
        "γ multiplies the whole of H, ρssᵀ included",
        mutated(
            mutated(MEMORYLESS, "r = gamma * q", "r = q"),
            "return -r",
            "return -gamma * r",
        ),
    ),
    wrong(
        "memoryless_direction",
        "memoryless_direction_tests",
        "V and Vᵀ swapped: V(γI)Vᵀ + ρssᵀ",
        """
def memoryless_direction(g, s, y):
    rho = 1.0 / (y @ s)
    gamma = (s @ y) / (y @ y)
    q = g - rho * (y @ g) * s
    r = gamma * (q - rho * (s @ q) * y)
    return -(r + rho * (s @ g) * s)
""",
    ),
    right(
        "memoryless_direction",
        "the closed form of −Hg expanded by hand",
        """
def memoryless_direction(g, s, y):
    sy, yy = s @ y, y @ y
    gamma = sy / yy
    sg, yg = s @ g, y @ g
    Hg = gamma * (g - (sg / sy) * y - (yg / sy) * s + (sg * yy / sy**2) * s) + (sg / sy) * s
    return -Hg
""",
    ),
    # Exercise 3(b)
    wrong(
        "hs_beta",
        "hs_beta_tests",
        "the sign: −yᵀg / yᵀs",
        mutated(BETA, "return float(y @ g) / float(y @ s)", "return -float(y @ g) / float(y @ s)"),
    ),
    wrong(
        "hs_beta",
        "hs_beta_tests",
        "γ kept inside β: γ yᵀg / yᵀs",
        mutated(
            BETA,
            "return float(y @ g) / float(y @ s)",
            "return float(s @ y) / float(y @ y) * float(y @ g) / float(y @ s)",
        ),
    ),
    wrong(
        "hs_beta",
        "hs_beta_tests",
        "Fletcher–Reeves: gᵀg / g_prevᵀg_prev, with g_prev = g − y",
        mutated(
            BETA,
            "return float(y @ g) / float(y @ s)",
            "return float(g @ g) / float((g - y) @ (g - y))",
        ),
    ),
    wrong(
        "hs_beta",
        "hs_beta_tests",
        "yᵀg / sᵀs",
        mutated(BETA, "return float(y @ g) / float(y @ s)", "return float(y @ g) / float(s @ s)"),
    ),
    right(
        "hs_beta",
        "β read off −Hg by least squares along s",
        """
def hs_beta(g, s, y):
    rho = 1.0 / (y @ s)
    gamma = (s @ y) / (y @ y)
    a = rho * (s @ g)
    r = gamma * (g - a * y)
    d = -(r + (a - rho * (y @ r)) * s)
    return float(s @ (d / gamma + g)) / float(s @ s)
""",
    ),
]
