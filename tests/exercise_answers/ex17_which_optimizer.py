"""Chapter 17's graded notebook (which optimizer, when?): the answers a student might hand in."""

from exercise_answers import mutated, right, wrong

COST = """
def cost_to_solve(values, costs, f0, f_low, tau):
    values = np.asarray(values, dtype=float)
    passed = np.flatnonzero(f0 - values >= (1 - tau) * (f0 - f_low))  # NaN compares False
    return np.asarray(costs)[passed[0]] if passed.size else np.inf
"""
PERFORMANCE = """
def performance_profile(T, alphas):
    T = np.asarray(T, dtype=float)
    alphas = np.asarray(alphas, dtype=float)
    best = T.min(axis=0)
    ratios = np.divide(T, best, out=np.full(T.shape, np.inf), where=np.isfinite(T))
    within = ratios[:, :, None] <= alphas[None, None, :]
    return within.sum(axis=1) / T.shape[1]
"""
DATA = """
def data_profile(T, n, kappas):
    T = np.asarray(T, dtype=float)
    gradients = T / (np.asarray(n, dtype=float) + 1)
    within = gradients[:, :, None] <= np.asarray(kappas, dtype=float)[None, None, :]
    return within.mean(axis=1)
"""
REVERSING = """
def reversing_costs():
    return np.array([[1.0, 2.0], [3.0, 1.0], [1.0, 0.5]])
"""

ANSWERS = [
    # Exercise 1
    wrong(
        "cost_to_solve",
        "cost_to_solve_tests",
        "an absolute test, f − f_L ≤ τ, which depends on the scale of f",
        mutated(COST, "f0 - values >= (1 - tau) * (f0 - f_low)", "values - f_low <= tau"),
    ),
    wrong(
        "cost_to_solve",
        "cost_to_solve_tests",
        "τ and 1 − τ exchanged: f(x₀) − f ≥ τ (f(x₀) − f_L)",
        mutated(COST, "(1 - tau) * (f0 - f_low)", "tau * (f0 - f_low)"),
    ),
    wrong(
        "cost_to_solve",
        "cost_to_solve_tests",
        "the cost of the last evaluation that passes, not the first",
        mutated(COST, "[passed[0]]", "[passed[-1]]"),
    ),
    wrong(
        "cost_to_solve",
        "cost_to_solve_tests",
        "a strict inequality: with τ = 0, reaching f_L exactly does not pass",
        mutated(COST, "f0 - values >= (1 - tau)", "f0 - values > (1 - tau)"),
    ),
    wrong(
        "cost_to_solve",
        "cost_to_solve_tests",
        "the test written as 'not above the goal', ~(f > goal), so that a NaN passes",
        mutated(
            COST,
            "    passed = np.flatnonzero(f0 - values >= (1 - tau) * (f0 - f_low))",
            "    goal = f0 - (1 - tau) * (f0 - f_low)\n"
            "    passed = np.flatnonzero(~(values > goal))",
        ),
    ),
    wrong(
        "cost_to_solve",
        "cost_to_solve_tests",
        "the index of the first evaluation that passes instead of its cost",
        mutated(COST, "np.asarray(costs)[passed[0]]", "passed[0]"),
    ),
    right(
        "cost_to_solve",
        "a loop against the goal f(x₀) − (1 − τ)(f(x₀) − f_L)",
        """
def cost_to_solve(values, costs, f0, f_low, tau):
    goal = f0 - (1 - tau) * (f0 - f_low)
    for value, cost in zip(values, costs):
        if value <= goal:  # False for NaN
            return cost
    return np.inf
""",
    ),
    right(
        "cost_to_solve",
        "the equivalent form f − f_L ≤ τ (f(x₀) − f_L), NaN replaced by inf, np.argmax",
        """
def cost_to_solve(values, costs, f0, f_low, tau):
    values = np.nan_to_num(np.asarray(values, dtype=float), nan=np.inf)
    passed = values - f_low <= tau * (f0 - f_low)
    return costs[np.argmax(passed)] if passed.any() else np.inf
""",
    ),
    # Exercise 2
    wrong(
        "performance_profile",
        "performance_profile_tests",
        "divided by the number of problems the solver solved instead of |P|",
        mutated(
            PERFORMANCE,
            "within.sum(axis=1) / T.shape[1]",
            "within.sum(axis=1) / np.isfinite(T).sum(axis=1)[:, None]",
        ),
    ),
    wrong(
        "performance_profile",
        "performance_profile_tests",
        "the ratio to the solver's lowest cost over the problems, not to the best solver's",
        mutated(PERFORMANCE, "best = T.min(axis=0)", "best = T.min(axis=1, keepdims=True)"),
    ),
    wrong(
        "performance_profile",
        "performance_profile_tests",
        "T / min: a problem nobody solved gives inf/inf = NaN, which ~(r > α) counts as solved",
        """
def performance_profile(T, alphas):
    T = np.asarray(T, dtype=float)
    ratios = T / T.min(axis=0)
    return np.array([[np.mean(~(r > alpha)) for alpha in alphas] for r in ratios])
""",
    ),
    wrong(
        "performance_profile",
        "performance_profile_tests",
        "the problems that nobody solved dropped, so |P| shrinks",
        mutated(
            PERFORMANCE,
            "    alphas = np.asarray(alphas, dtype=float)\n",
            "    alphas = np.asarray(alphas, dtype=float)\n"
            "    T = T[:, np.isfinite(T).any(axis=0)]\n",
        ),
    ),
    wrong(
        "performance_profile",
        "performance_profile_tests",
        "a failure given a huge finite cost: on a problem nobody solved every ratio is 1",
        mutated(
            PERFORMANCE,
            "    alphas = np.asarray(alphas, dtype=float)\n",
            "    alphas = np.asarray(alphas, dtype=float)\n"
            "    T = np.where(np.isinf(T), 1e300, T)\n",
        ),
    ),
    wrong(
        "performance_profile",
        "performance_profile_tests",
        "a strict inequality r < α: at α = 1 even the best solver has solved nothing",
        mutated(PERFORMANCE, "ratios[:, :, None] <= alphas", "ratios[:, :, None] < alphas"),
    ),
    right(
        "performance_profile",
        "the ratios problem by problem over the solvers that solved it, then counted per α",
        """
def performance_profile(T, alphas):
    T = np.asarray(T, dtype=float)
    ratios = np.full(T.shape, np.inf)
    for p in range(T.shape[1]):
        solved = np.isfinite(T[:, p])
        if solved.any():
            ratios[solved, p] = T[solved, p] / T[solved, p].min()
    return np.array([[np.count_nonzero(r <= a) / len(r) for a in alphas] for r in ratios])
""",
    ),
    right(
        "performance_profile",
        "each solver's ratios sorted, ρ read off with searchsorted",
        """
def performance_profile(T, alphas):
    T = np.asarray(T, dtype=float)
    best = np.min(T, axis=0)
    with np.errstate(invalid="ignore"):
        ratios = np.where(np.isinf(T), np.inf, T / best)
    ordered = np.sort(ratios, axis=1)
    counts = [np.searchsorted(row, alphas, side="right") for row in ordered]
    return np.array(counts) / T.shape[1]
""",
    ),
    # Exercise 3
    wrong(
        "data_profile",
        "data_profile_tests",
        "a simplex gradient counted as n evaluations instead of n + 1",
        mutated(DATA, "(np.asarray(n, dtype=float) + 1)", "np.asarray(n, dtype=float)"),
    ),
    wrong(
        "data_profile",
        "data_profile_tests",
        "divided by the number of problems the solver solved instead of |P|",
        mutated(
            DATA, "within.mean(axis=1)", "within.sum(axis=1) / np.isfinite(T).sum(axis=1)[:, None]"
        ),
    ),
    wrong(
        "data_profile",
        "data_profile_tests",
        "a strict inequality: a budget met exactly does not count",
        mutated(DATA, "gradients[:, :, None] <= np.asarray", "gradients[:, :, None] < np.asarray"),
    ),
    wrong(
        "data_profile",
        "data_profile_tests",
        "the evaluations compared with κ directly, as if κ were in evaluations",
        mutated(DATA, "T / (np.asarray(n, dtype=float) + 1)", "T"),
    ),
    right(
        "data_profile",
        "each cost compared with the budget κ(n + 1) in evaluations",
        """
def data_profile(T, n, kappas):
    T = np.asarray(T, dtype=float)
    budgets = np.multiply.outer(np.asarray(kappas, dtype=float), np.asarray(n) + 1)
    return np.array([np.mean(row <= budgets, axis=1) for row in T])
""",
    ),
    # Exercise 4
    wrong(
        "reversing_costs",
        "reversing_costs_tests",
        "A already behind B without C (the rows of A and B exchanged)",
        mutated(
            REVERSING,
            "[[1.0, 2.0], [3.0, 1.0], [1.0, 0.5]]",
            "[[3.0, 1.0], [1.0, 2.0], [1.0, 0.5]]",
        ),
    ),
    wrong(
        "reversing_costs",
        "reversing_costs_tests",
        "a C that is never the best, so it changes no ratio",
        mutated(REVERSING, "[1.0, 0.5]]", "[4.0, 4.0]]"),
    ),
    wrong(
        "reversing_costs",
        "reversing_costs_tests",
        "the costs of A and B only, shape (2, P)",
        mutated(REVERSING, ", [1.0, 0.5]]", "]"),
    ),
    wrong(
        "reversing_costs",
        "reversing_costs_tests",
        "a failure written as NaN instead of np.inf",
        mutated(
            REVERSING,
            "[[1.0, 2.0], [3.0, 1.0], [1.0, 0.5]]",
            "[[1.0, 2.0, np.nan], [3.0, 1.0, np.nan], [1.0, 0.5, 1.0]]",
        ),
    ),
    right(
        "reversing_costs",
        "three problems, failures included: C alone solves the third",
        """
def reversing_costs():
    inf = np.inf
    return np.array([[1.0, 2.0, inf], [3.0, 1.0, inf], [inf, 0.5, 1.0]])
""",
    ),
    right(
        "reversing_costs",
        "found by a seeded random search over small integer costs",
        """
def reversing_costs():
    rng = np.random.default_rng(2016)

    def rho(T, alphas):
        best = T.min(axis=0)
        return np.array([[np.mean(row / best <= a) for a in alphas] for row in T])

    while True:
        T = rng.integers(1, 6, size=(3, 4)).astype(float)
        alphas = np.unique(np.r_[(T[:2] / T[:2].min(axis=0)).ravel(), (T / T.min(axis=0)).ravel()])
        pair, trio = rho(T[:2], alphas), rho(T, alphas)
        if np.all(pair[0] >= pair[1]) and np.any(trio[1] > trio[0]):
            return T
""",
    ),
]
