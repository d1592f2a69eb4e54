"""The run loop's minibatch contract: one batch per iteration, shared by all its evaluations,
drawn from the run's seed."""

import numpy as np

import optlib


class MeanOfSquares(optlib.DataProblem):
    """f(x) = mean over a batch of ½‖x − cᵢ‖²; the batch is a set of row indices into C."""

    stochastic = True

    def __init__(self, C, batch_size):
        self.X, self.y = C, np.zeros(len(C))  # the rows cᵢ; no labels
        self.n_samples, self.batch_size = len(C), batch_size
        self.batches = []  # every batch drawn, in order
        self.seen = []  # the batch of every evaluation, in order (None: all the data)
        super().__init__(self.fun, grad=self.grad, name="mean of squares")

    @property
    def C(self):
        return self.X

    def sample_batch(self, rng):
        self.batches.append(super().sample_batch(rng))
        return self.batches[-1]

    def fun(self, x, batch=None):
        self.seen.append(batch)
        diff = x - self.rows(batch)[0]
        return 0.5 * float(np.mean(np.sum(diff**2, axis=1)))

    def grad(self, x, batch=None):
        self.seen.append(batch)
        return x - self.rows(batch)[0].mean(axis=0)

    def fun_and_grad(self, x, batch=None):
        return self.fun(x, batch), self.grad(x, batch)


def run(seed, line_search=None):
    C = np.random.default_rng(1).standard_normal((50, 3))
    problem = MeanOfSquares(C, batch_size=5)
    method = optlib.methods.GradientDescent(lr=0.5, line_search=line_search)
    res = optlib.minimize(problem, np.zeros(3), method=method, max_iter=8, gtol=0.0, seed=seed)
    return problem, res


def test_one_batch_per_iteration_and_every_step_uses_its_gradient():
    problem, res = run(seed=3)
    assert res.nit == 8
    assert len(problem.batches) == res.nit + 1
    # each iterate is the previous one minus lr × the gradient on that iteration's batch
    for k in range(res.nit):
        g = res.history.x[k] - problem.C[problem.batches[k]].mean(axis=0)
        np.testing.assert_allclose(res.history.x[k + 1], res.history.x[k] - 0.5 * g)


def test_evaluations_inside_an_iteration_share_its_batch():
    problem, res = run(seed=3, line_search="armijo")
    drawn = [id(b) for b in problem.batches]
    used = [id(b) for b in problem.seen[:-2]]
    assert problem.seen[-2:] == [None, None]  # f and ∇f on all the data, once, at the end
    # the batches are used in the order they were drawn, each at least once, none after its turn
    assert sorted(set(used), key=used.index) == drawn
    assert used == sorted(used, key=drawn.index)


def test_the_seed_decides_the_batches():
    first, _ = run(seed=7)
    again, _ = run(seed=7)
    other, _ = run(seed=8)
    assert all(np.array_equal(a, b) for a, b in zip(first.batches, again.batches, strict=True))
    assert not all(np.array_equal(a, b) for a, b in zip(first.batches, other.batches, strict=True))


# --- what a stochastic run reports --------------------------------------------------------------


def rare_logistic(batch_size):
    from optlib.problems import LogisticRegression, rare_features_data

    X, y, _ = rare_features_data(200, 2, 5, 0.05, seed=0)
    return LogisticRegression(X, y, batch_size=batch_size, l2=1e-3)


def test_a_minibatch_gradient_below_gtol_is_never_taken_for_convergence():
    # batch size 1: single-row gradients are often small where the full gradient is not
    gtol = 0.05
    problem, full = rare_logistic(batch_size=1), rare_logistic(batch_size=None)
    checks = 0
    for seed in range(5):
        res = optlib.minimize(
            problem,
            np.zeros(problem.n),
            method=optlib.methods.GradientDescent(lr=0.5),
            gtol=gtol,
            max_iter=300,
            seed=seed,
        )
        assert res.minibatch
        assert res.fun == full.fun(res.x) and np.array_equal(res.jac, full.grad(res.x))
        if res.success:
            assert res.message == "converged: gradient norm on all the data <= gtol"
            assert np.linalg.norm(full.grad(res.x)) <= gtol
        checks += res.full_evals - 1  # one full evaluation at the end; the rest are checks
        assert (res.history.grad_norm[:-1] <= gtol).sum() >= res.full_evals - 1
    assert checks > 5  # minibatch gradients did fall below gtol, and each was checked


def test_a_deterministic_run_makes_no_evaluation_on_all_the_data():
    problem = rare_logistic(batch_size=None)
    res = optlib.minimize(problem, np.zeros(problem.n), method=optlib.methods.BFGS())
    assert res.success and not res.minibatch and res.full_evals == 0
    assert res.message == "converged: gradient norm <= gtol"


class EveryEntry(optlib.DataProblem):
    """½‖rows · x − y‖² / |B| on a batch, with every entry an oracle has; records the batches."""

    stochastic = True

    def __init__(self):
        rng = np.random.default_rng(0)
        self.X, self.y = rng.standard_normal((30, 2)), rng.standard_normal(30)
        self.n_samples, self.batch_size = 30, 5
        self.seen = {}
        super().__init__(self.fun, grad=self.grad, hess=self.hess, name="every entry")

    @property
    def provides(self):
        return frozenset({"grad", "hessp", "hess", "residuals"})

    def sample_batch(self, rng):
        self.drawn = tuple(super().sample_batch(rng))
        return np.array(self.drawn)

    def note(self, what, batch):
        self.seen.setdefault(what, []).append(None if batch is None else tuple(batch))

    def residuals(self, x, batch=None):
        self.note("residuals", batch)
        A, y = self.rows(batch)
        return (A @ x - y) / np.sqrt(len(y))

    def jac(self, x, batch=None):
        self.note("jac", batch)
        A, y = self.rows(batch)
        return A / np.sqrt(len(y))

    def fun(self, x, batch=None):
        self.note("fun", batch)
        r = self.residuals(x, batch)
        return 0.5 * float(r @ r)

    def grad(self, x, batch=None):
        self.note("grad", batch)
        return self.jac(x, batch).T @ self.residuals(x, batch)

    def hessp(self, x, v, batch=None):
        self.note("hessp", batch)
        return self.hess(x, batch) @ v

    def hess(self, x, batch=None):
        self.note("hess", batch)
        J = self.jac(x, batch)
        return J.T @ J


def test_every_oracle_entry_uses_the_iterations_batch():
    problem = EveryEntry()
    oracle = optlib.Oracle(problem, 2, np.random.default_rng(0))
    oracle.resample()
    batch = problem.drawn
    x = np.ones(2)
    for call in (
        lambda: oracle.fun(x),
        lambda: oracle.grad(x),
        lambda: oracle.hessp(x, x),
        lambda: oracle.hess(x),
        lambda: oracle.residuals(x),
        lambda: oracle.jac(x),
    ):
        call()
    assert set(problem.seen) == {"fun", "grad", "hessp", "hess", "residuals", "jac"}
    assert all(b == batch for calls in problem.seen.values() for b in calls)
    problem.seen.clear()
    oracle.full_fun_and_grad(x)  # and on all the data, counted apart
    assert all(b is None for calls in problem.seen.values() for b in calls)
    assert (oracle.full_evals, oracle.nfev, oracle.njev) == (1, 2, 2)  # not in the run's counts


def test_minibatches_and_random_probes_come_from_separate_streams():
    from optlib.problems import MLP, two_spirals

    class Recorded(MLP):
        def sample_batch(self, rng):
            self.batches.append(super().sample_batch(rng))
            return self.batches[-1]

    batches = {}
    for probes in (1, 4):
        X, y = two_spirals(40, noise=0.1, seed=0)
        net = Recorded([2, 4, 2], X, y, loss="cross_entropy", batch_size=8, seed=0)
        net.batches = []
        method = optlib.methods.AdaHessian(lr=0.1, n_samples=probes)
        optlib.minimize(net, net.x0, method=method, max_iter=10, gtol=0.0, seed=3)
        batches[probes] = net.batches
    assert len(batches[1]) == 11
    assert all(np.array_equal(a, b) for a, b in zip(batches[1], batches[4], strict=True))
