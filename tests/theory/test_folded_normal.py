"""analogkit.theory.folded_normal: E|m + eps| against scipy.stats and quadrature."""

import numpy as np
import pytest
import scipy.stats
import sympy as sp

from analogkit import theory as th
from tests.theory.conftest import assert_steps_hold

S = th.sym


def test_folded_normal_derivation_steps():
    assert_steps_hold(th.folded_normal_derivation())


def test_folded_normal_mean():
    rng = np.random.default_rng(13)
    m, s = rng.normal(0, 2, 60), rng.uniform(0.01, 3, 60)
    got = th.folded_normal_mean(m, s)
    ref = scipy.stats.foldnorm(np.abs(m) / s, scale=s).mean()
    np.testing.assert_allclose(got, ref, rtol=1e-10)
    expr = th.folded_normal_mean_expr()
    for mi, si, gi in zip(m[:5], s[:5], got[:5], strict=True):
        assert abs(float(expr.subs({S.m: mi, S.s: si})) - gi) < 1e-12
    np.testing.assert_array_equal(th.folded_normal_mean(m, 0.0), np.abs(m))
    assert th.folded_normal_mean(0.0, 1.0) == pytest.approx(np.sqrt(2 / np.pi), rel=1e-14)
    # E[X|X|], used for the variance of the analog increment, by quadrature
    xax = sp.lambdify((S.m, S.s), th.folded_normal_derivation()["x_abs_x"], ["scipy", "numpy"])
    for mi, si in [(0.3, 0.5), (-1.2, 0.7)]:
        quad = scipy.stats.norm(mi, si).expect(lambda x: x * abs(x))
        assert xax(mi, si) == pytest.approx(quad, rel=1e-8)
