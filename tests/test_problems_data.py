"""Curve fits on published data: the NIST StRD certified answers validate the typed data, the
models and their derivatives."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import least_squares

from optlib.problems import data, mgh

FITS = {p.name: p for p in data.nist_suite()}
NAMES = sorted(FITS)


def lm_fit(p, start, x_scale=1.0):
    with np.errstate(over="ignore"):  # far starts overflow exp() in a rejected trial step
        return least_squares(
            p.residuals,
            start,
            jac=p.jac,
            method="lm",
            x_scale=x_scale,
            xtol=1e-15,
            ftol=1e-15,
            gtol=1e-15,
            max_nfev=5000,
        )


@pytest.mark.parametrize("name", NAMES)
def test_the_certified_parameters_give_the_certified_sum_of_squares(name):
    p = FITS[name]
    # 11 significant digits certified; our data reproduce them to the last one
    assert 2 * p.fun(p.x_star) == pytest.approx(p.rss_certified, rel=2e-10)
    assert p.f_star == 0.5 * p.rss_certified
    assert p.m == p.t.size == p.y.size and p.n == p.x_star.size == len(p.certified_std)


@pytest.mark.parametrize("start", [0, 1])
@pytest.mark.parametrize("name", NAMES)
def test_levenberg_marquardt_reproduces_the_certified_values(name, start):
    p = FITS[name]
    # MINPACK's lmder scales the variables by the Jacobian's column norms by default; from
    # Meyer's far start 1 LM needs that scaling (and BoxBOD's start 1 fails with it)
    x_scale = "jac" if (name, start) == ("nist_mgh10", 0) else 1.0
    res = lm_fit(p, p.starts[start], x_scale)
    np.testing.assert_allclose(res.x, p.x_star, rtol=1e-6)  # ≥ 6 significant digits
    assert 2 * res.cost == pytest.approx(p.rss_certified, rel=1e-9)


def test_meyer_from_start_1_fails_without_scaling():
    # the far start (2, 4·10⁵, 2.5·10⁴) is the hard one: unscaled LM stalls far from the fit
    p = FITS["nist_mgh10"]
    assert 2 * lm_fit(p, p.starts[0]).cost > 1e6


@pytest.mark.parametrize("name", NAMES)
def test_jacobian_and_hessian_products_match_finite_differences(name):
    p = FITS[name]
    rng = np.random.default_rng(0)
    for b in (p.starts[1], p.x_star):
        J = p.jac(b)
        steps = 1e-6 * np.maximum(1.0, np.abs(b))
        J_fd = np.array(
            [(p.residuals(b + e) - p.residuals(b - e)) / (2 * e.max()) for e in np.diag(steps)]
        ).T
        np.testing.assert_allclose(J, J_fd, rtol=1e-5, atol=1e-7 * np.abs(J).max())
        # a direction scaled to the parameters, so that the difference step suits each one
        v = rng.standard_normal(p.n) * np.abs(b)
        h = 1e-6
        hv_fd = (p.grad(b + h * v) - p.grad(b - h * v)) / (2 * h)
        hv = p.hessp(b, v)
        assert np.linalg.norm(hv - hv_fd) <= 1e-5 * np.linalg.norm(hv)


def test_predict_is_the_model_and_residuals_are_prediction_minus_data():
    for p in FITS.values():
        np.testing.assert_allclose(p.predict(p.x_star) - p.y, p.residuals(p.x_star), rtol=1e-12)
    p = FITS["nist_misra1a"]
    t = np.array([0.0, 1e9])
    np.testing.assert_allclose(p.predict([2.0, 1.0], t), [0.0, 2.0])


def test_the_mgh_datasets_are_the_mgh_problems():
    rng = np.random.default_rng(4)
    meyer, fit = mgh.meyer(), data.meyer_thermistor()
    np.testing.assert_array_equal(fit.t, mgh.MEYER_T)
    np.testing.assert_array_equal(fit.starts[1], meyer.x0)
    b = meyer.x0 * (1 + 0.01 * rng.standard_normal(3))
    np.testing.assert_allclose(fit.residuals(b), meyer.residuals(b), rtol=1e-13)
    # MGH's f* = 87.9458 is the certified sum of squares 87.945855171, truncated
    assert meyer.f_star_published == pytest.approx(fit.rss_certified, abs=1e-4)
    kowalik, fit = mgh.kowalik_osborne(), data.nist_mgh09()
    b = kowalik.x0 * (1 + 0.01 * rng.standard_normal(4))
    np.testing.assert_allclose(fit.residuals(b), -kowalik.residuals(b), rtol=1e-13)
    assert fit.rss_certified == pytest.approx(kowalik.f_star_published, abs=1e-9)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="names must be among"):
        data.nist_suite(["misra1a", "longley"])
    with pytest.raises(ValueError, match=r"y must have shape \(3,\)"):
        data.CurveFit([1, 2, 3], [1, 2], lambda sp, b, t: b[0] * t, [[1.0]], name="bad")
    with pytest.raises(ValueError, match="starts must all have one length"):
        data.CurveFit([1, 2], [1, 2], lambda sp, b, t: b[0] * t, [[1.0], [1.0, 2.0]], name="b")


def test_curve_fits_of_one_name_but_other_data_do_not_share_derivatives():
    def line(sp, b, t):
        return b[0] * t

    first = data.CurveFit([1.0, 2.0], [1.0, 2.0], line, [[0.0]], name="fit")
    second = data.CurveFit([1.0, 2.0], [3.0, 6.0], line, [[0.0]], name="fit")
    assert first.fun(np.array([1.0])) == 0.0
    assert second.fun(np.array([1.0])) == pytest.approx(0.5 * (4 + 16))
    np.testing.assert_array_equal(second.grad(np.array([3.0])), [0.0])
    # the NIST datasets share theirs between instances
    assert data.misra1a().compiled is data.misra1a().compiled
