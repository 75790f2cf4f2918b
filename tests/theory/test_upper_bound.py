"""analogkit.theory.upper_bound: P1 Theorem 2's chain (61)-(65), its constant, its numeric forms."""

import math
import re

import numpy as np
import pytest
import sympy as sp

from analogkit import theory as th
from tests.theory.conftest import assert_steps_hold

S = th.sym


def test_upper_bound_derivation_steps():
    assert_steps_hold(th.upper_bound_derivation())


def _mean_abs(a, s):
    """E|a + eps|, eps ~ N(0, s^2), written out here (not analogkit's expression)."""
    return s * math.sqrt(2 / math.pi) * math.exp(-(a**2) / (2 * s**2)) + a * math.erf(
        a / (math.sqrt(2) * s)
    )


def test_62_bounds_the_first_order_term_per_coordinate():
    # (62): -a^2 - rho a E|a + eps| <= -(1 - rho^2) a^2/2 + rho^2 s^2/2 for Gaussian eps and
    # every a, rho in (-1, 1), s > 0; equality needs a = -rho E|g| and Var|g| = 0
    rng = np.random.default_rng(62)
    worst = -np.inf
    for a, rho, s in zip(
        rng.normal(0, 2, 2000), rng.uniform(-1, 1, 2000), rng.uniform(0.01, 3, 2000)
    ):
        lhs = -(a**2) - rho * a * _mean_abs(a, s)
        rhs = -(1 - rho**2) * a**2 / 2 + rho**2 * s**2 / 2
        worst = max(worst, lhs - rhs)
    assert worst <= 1e-12
    # the gap is (a + rho m)^2/2 + rho^2 Var|g|/2: both vanish only together (no factor 4 lost)
    for a, rho, s in ((0.3, 0.5, 1.0), (-1.2, 0.9, 0.2), (0.0, -0.7, 2.0)):
        m = _mean_abs(a, s)
        gap = -(1 - rho**2) * a**2 / 2 + rho**2 * s**2 / 2 - (-(a**2) - rho * a * m)
        assert gap == pytest.approx((a + rho * m) ** 2 / 2 + rho**2 * (a**2 + s**2 - m**2) / 2)


def test_the_asymptotic_constant_is_one_and_the_printed_four_comes_from_64():
    # independent of the module's steps: stationarity of the descent inequality with (62)'s
    # noise term, -(lr/2)(1 - r^2) G + lr sigma^2 r^2/2 = 0, solved for G = ||grad f||^2
    lr, sigma, r, G = sp.symbols("lr sigma r G", positive=True)
    (G62,) = sp.solve(-lr / 2 * (1 - r**2) * G + lr * sigma**2 * r**2 / 2, G)
    (G64,) = sp.solve(-lr / 2 * (1 - r**2) * G + 2 * lr * sigma**2 * r**2, G)
    S_r = r**2 / (1 - r**2)
    assert sp.simplify(G62 - sigma**2 * S_r) == 0
    assert sp.simplify(G64 / G62) == 4
    for sigma_, w, tau in ((0.1, 0.5, 1.0), (0.3, 0.2, 1.5), (2.0, 2.9, 3.0)):
        S_w = (w / tau) ** 2 / (1 - (w / tau) ** 2)
        assert th.asgd_asymptotic_bound(sigma_, w, tau) == pytest.approx(sigma_**2 * S_w, rel=1e-14)
        assert th.asgd_asymptotic_bound_printed(sigma_, w, tau) == pytest.approx(
            4 * sigma_**2 * S_w, rel=1e-14
        )
        # the upper bound's asymptotic term and the lower-bound instance's floor match
        assert th.asgd_asymptotic_bound(sigma_, w, tau) == pytest.approx(
            th.lower_bound_floor(sigma_, w, tau), rel=1e-14
        )


def test_upper_bound_as_a_function_of_K():
    K = np.logspace(2, 8, 7)
    f_gap, sigma, L, w, tau = 1.0, 0.1, 2.0, 0.5, 1.0
    rate = 4 * np.sqrt(f_gap * sigma**2 * L / K) / (1 - w**2 / tau**2)
    S_w = (w**2 / tau**2) / (1 - w**2 / tau**2)
    ub = th.asgd_upper_bound(K, f_gap, sigma, L, w, tau)
    np.testing.assert_allclose(ub, rate + sigma**2 * S_w, rtol=1e-13)
    np.testing.assert_allclose(
        th.asgd_upper_bound_printed(K, f_gap, sigma, L, w, tau),
        rate + 4 * sigma**2 * S_w,
        rtol=1e-13,
    )
    assert np.all(np.diff(ub) < 0)
    assert ub[-1] == pytest.approx(th.asgd_asymptotic_bound(sigma, w, tau), rel=0.05)


def test_bounds_beyond_the_float_range_and_outside_the_range():
    S_w = 0.2**2 / (1 - 0.2**2)
    sigma_max = np.sqrt(np.finfo(float).max) / np.sqrt(S_w)
    assert th.asgd_asymptotic_bound(1e150, 0.2, 1.0) == pytest.approx(1e300 * S_w, rel=1e-14)
    with pytest.raises(ValueError, match=rf"below .* = {re.escape(f'{sigma_max:.4g}')} "):
        th.asgd_asymptotic_bound(1e200, 0.2, 1.0)
    with pytest.raises(ValueError, match=rf"below .* = {re.escape(f'{sigma_max / 2:.4g}')} "):
        th.asgd_asymptotic_bound_printed(1e200, 0.2, 1.0)
    with pytest.raises(ValueError, match=r"w_max must lie in \[0, tau\) = \[0, 0.5\), got 0.5"):
        th.asgd_upper_bound(10, 1.0, 0.1, 1.0, 0.5, 0.5)
    with pytest.raises(ValueError, match=r"asgd_upper_bound_printed exceeds the float range"):
        th.asgd_upper_bound_printed(1e-300, 1e300, 1e10, 1e300, 0.5, 1.0)
