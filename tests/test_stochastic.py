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
