"""Spectral helpers: gradient descent on a quadratic seen in the eigenbasis of its Hessian."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import optlib
from optlib import spectral
from optlib.methods import GradientDescent
from optlib.problems import Quadratic

spectra = st.lists(st.floats(0.1, 10.0), min_size=1, max_size=8)


def test_eigh_is_sorted_and_reconstructs(spd):
    A, _, lam = spd(6, 5)
    values, Q = spectral.eigh(A)
    np.testing.assert_allclose(values, np.sort(lam), rtol=1e-13)
    np.testing.assert_allclose((Q * values) @ Q.T, A, atol=1e-13)
    np.testing.assert_allclose(Q.T @ Q, np.eye(6), atol=1e-14)


# --- condition number ----------------------------------------------------------------------------


def test_condition_number_values(spd):
    assert spectral.condition_number([[1.0, 0.0], [0.0, 10.0]]) == 10.0
    assert spectral.condition_number([4.0, 0.5, 2.0]) == 8.0
    assert spectral.condition_number([3.0]) == 1.0
    A, _, lam = spd(7, 9)
    assert spectral.condition_number(A) == pytest.approx(lam.max() / lam.min(), rel=1e-12)
    assert spectral.condition_number(lam) == lam.max() / lam.min()


NOT_SPD = {
    "indefinite": ([[1.0, 2.0], [2.0, 1.0]], "positive eigenvalues"),
    "singular": ([[1.0, 0.0], [0.0, 0.0]], "positive eigenvalues"),
    "negative-eigenvalues": ([2.0, -1.0], "positive eigenvalues"),
    "zero-eigenvalue": ([0.0, 1.0], "positive eigenvalues"),
    "non-symmetric": ([[1.0, 1.0], [0.0, 1.0]], "symmetric"),
    "not-square": (np.ones((2, 3)), "square"),
    "empty": ([], "non-empty"),
    "3-d": (np.ones((2, 2, 2)), "1-D"),
    "nan-eigenvalue": ([np.nan, 1.0], "finite"),
    "inf-eigenvalue": ([np.inf, 1.0], "finite"),
    "nan-matrix": ([[1.0, np.nan], [np.nan, 1.0]], "finite"),
}


@pytest.mark.parametrize("case", sorted(NOT_SPD))
@pytest.mark.parametrize("helper", [spectral.condition_number, spectral.best_fixed_step])
def test_helpers_that_need_spd_input_reject_anything_else(helper, case):
    value, match = NOT_SPD[case]
    with pytest.raises(ValueError, match=match):
        helper(value)


def test_rate_helpers_reject_malformed_input():
    with pytest.raises(ValueError, match="symmetric"):
        spectral.gd_rate([[1.0, 1.0], [0.0, 1.0]], 0.1)
    with pytest.raises(ValueError, match="symmetric"):
        spectral.eigh([[1.0, 1.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="finite"):
        spectral.contraction_factors([1.0, np.nan], 0.1)


# --- contraction factors and the rate --------------------------------------------------------


def test_contraction_factors_and_rate_values():
    np.testing.assert_allclose(spectral.contraction_factors([10.0, 1.0], 0.1), [0.9, 0.0])
    np.testing.assert_allclose(
        spectral.contraction_factors(np.diag([1.0, 3.0, 10.0]), 0.19), [0.81, 0.43, -0.9]
    )
    assert spectral.gd_rate([1.0, 10.0], 0.1) == pytest.approx(0.9)
    assert spectral.gd_rate([1.0, 10.0], 0.25) == pytest.approx(1.5)  # α > 2/λ_max diverges
    assert spectral.gd_rate([1.0, 10.0], 0.2) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("lam", "lr"),
    [
        ([1.0, 3.0, 10.0], 0.1),  # slow mode λ = 1: rate 0.9
        ([1.0, 3.0, 10.0], 0.19),  # fast mode λ = 10 oscillates: rate 0.9
        ([1.0, 3.0, 10.0], 2.0 / 11.0),  # the best step: both ends at (κ − 1)/(κ + 1)
        ([1.0, 3.0, 10.0], 0.25),  # too long: the error grows by 1.5 per step
        ([0.5, 1.0, 2.0, 4.0], 0.3),  # factors 0.85, 0.7, 0.4, −0.2
    ],
)
def test_gd_rate_is_the_observed_contraction_of_the_error(lam, lr):
    # On ½θᵀΛθ the error is θ itself; after many steps its norm shrinks by gd_rate per step.
    n = len(lam)
    res = optlib.minimize(
        Quadratic(np.diag(lam)),
        np.ones(n),
        method=GradientDescent(lr=lr),
        max_iter=150,
        gtol=0.0,
    )
    assert res.nit == 150
    norms = np.linalg.norm(res.history.x, axis=1)
    observed = norms[-1] / norms[-2]
    assert observed == pytest.approx(spectral.gd_rate(lam, lr), rel=1e-9)
    # and over 50 steps, the mean contraction is the same
    mean = (norms[-1] / norms[-51]) ** (1 / 50)
    assert mean == pytest.approx(spectral.gd_rate(lam, lr), rel=1e-9)


# --- the best fixed step -------------------------------------------------------------------------


def test_best_fixed_step_values():
    assert spectral.best_fixed_step([1.0, 10.0]) == 2.0 / 11.0
    assert spectral.best_fixed_step(np.diag([2.0, 5.0, 8.0])) == pytest.approx(0.2)
    assert spectral.best_fixed_step([4.0]) == 0.25  # one eigenvalue: α = 1/λ, rate 0


@settings(max_examples=40, deadline=None)
@given(lam=spectra)
def test_best_fixed_step_minimises_gd_rate(lam):
    best = spectral.best_fixed_step(lam)
    kappa = max(lam) / min(lam)
    rate = spectral.gd_rate(lam, best)
    assert rate == pytest.approx((kappa - 1) / (kappa + 1), abs=1e-14)
    # a grid over (0, 2/λ_max], the steps for which gradient descent can converge
    grid = np.linspace(0.0, 2.0 / max(lam), 501)[1:]
    rates = np.array([spectral.gd_rate(lam, a) for a in grid])
    assert rate <= rates.min() + 1e-15
    assert abs(grid[np.argmin(rates)] - best) <= grid[1] - grid[0]
    # a fine grid, with max |1 − αλᵢ| computed here
    fine = np.linspace(0.0, 2.0 / max(lam), 100_001)[1:]
    fine_rates = np.max(np.abs(1.0 - fine[:, None] * np.array(lam)[None, :]), axis=1)
    assert rate <= fine_rates.min() + 1e-15
    assert abs(fine[np.argmin(fine_rates)] - best) <= fine[1] - fine[0]
    # steps a little off the best one are worse, on both sides (unless κ = 1)
    if kappa > 1.0 + 1e-9:
        assert spectral.gd_rate(lam, best * (1 + 1e-6)) > rate
        assert spectral.gd_rate(lam, best * (1 - 1e-6)) > rate


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 8), seed=st.integers(0, 2**32 - 1))
def test_spectral_helpers_agree_on_a_matrix_and_on_its_eigenvalues(spd, n, seed):
    A, _, lam = spd(n, seed)
    assert spectral.best_fixed_step(A) == pytest.approx(spectral.best_fixed_step(lam), rel=1e-12)
    assert spectral.condition_number(A) == pytest.approx(spectral.condition_number(lam), rel=1e-12)
    lr = spectral.best_fixed_step(lam)
    assert spectral.gd_rate(A, lr) == pytest.approx(spectral.gd_rate(lam, lr), abs=1e-12)


# --- the closed form ----------------------------------------------------------------------------


def test_gd_closed_form_shapes_and_end_points():
    A = np.diag([1.0, 10.0])
    x0 = np.array([1.0, 1.0])
    one = spectral.gd_closed_form(A, x0, 0.1, 2)
    assert one.shape == (2,)
    np.testing.assert_allclose(one, [0.81, 0.0], atol=1e-15)
    many = spectral.gd_closed_form(A, x0, 0.1, [0, 1, 2])
    assert many.shape == (3, 2)
    np.testing.assert_allclose(many, [[1.0, 1.0], [0.9, 0.0], [0.81, 0.0]], atol=1e-15)
    with_b = spectral.gd_closed_form(A, x0, 0.1, [0, 500], b=[1.0, 5.0])
    np.testing.assert_allclose(with_b[0], x0, rtol=1e-15)
    np.testing.assert_allclose(with_b[1], [1.0, 0.5], rtol=1e-12)  # θ* = A⁻¹b
