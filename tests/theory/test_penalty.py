"""analogkit.theory.penalty: paper 2's implicit penalty and the signs of its eqs. (43) and (60)."""

import numpy as np
import pytest
import sympy as sp

from analogkit import theory as th
from tests.theory.conftest import assert_steps_hold

S = th.sym


def test_implicit_penalty_derivation_steps():
    assert_steps_hold(th.implicit_penalty().derivation)


def test_eq60_signs():
    pen = th.implicit_penalty()
    L, ws, tau, c, Sigma = S.L, S.w_star, S.tau, S.asymmetry, S.Sigma
    # ALD: the exact minimiser, eq. (43), and eq. (60) with Sigma -> -Sigma
    assert sp.simplify(pen.eq43.subs(c, 0) - L * tau * ws / (L * tau + Sigma)) == 0
    assert sp.simplify(pen.eq60_printed.subs(c, 0) - L * tau * ws / (L * tau - Sigma)) == 0
    assert sp.simplify(pen.eq60_printed - pen.eq43.subs(Sigma, -Sigma)) == 0
    assert sp.simplify(sp.diff(pen.f_Sigma.subs(c, 0), S.w).subs(S.w, pen.minimiser_ald)) == 0


def test_implicit_penalty_minimiser_and_eq43_eq60():
    pen = th.implicit_penalty()
    rng = np.random.default_rng(15)
    for _ in range(5):
        L, ws, tau, s, c = (
            rng.uniform(0.5, 2),
            rng.uniform(-0.7, 0.7),
            rng.uniform(1, 3),
            rng.uniform(0.05, 0.5),
            rng.uniform(-0.4, 0.4),
        )
        Sig = s * np.sqrt(2 / np.pi)
        subs = {S.L: L, S.w_star: ws, S.tau: tau, S.asymmetry: c, S.Sigma: Sig}
        w = th.implicit_penalty_minimiser(L, ws, tau, s, c)
        assert float(pen.minimiser_roots[0].subs(subs)) == pytest.approx(w, abs=1e-12)
        assert float(pen.grad_f_Sigma.subs(subs).subs(S.w, w)) == pytest.approx(0, abs=1e-12)
        assert th.penalty_point_eq43(L, ws, tau, s, c) == pytest.approx(
            float(pen.eq43.subs(subs)), rel=1e-12
        )
        # eq. (43) lies between w* and w⋄; eq. (60) as printed lies beyond w* (away from w⋄)
        wd = c * tau
        e43, e60 = (
            th.penalty_point_eq43(L, ws, tau, s, c),
            th.penalty_point_eq60_printed(L, ws, tau, s, c),
        )
        assert (e43 - ws) * (e43 - wd) < 0
        assert abs(e60 - wd) > abs(ws - wd)
    # ALD: exact minimiser = eq. (43) = L tau w*/(L tau + Sigma)
    Sig = 0.3 * np.sqrt(2 / np.pi)
    assert th.implicit_penalty_minimiser(1.0, 0.5, 1.0, 0.3) == pytest.approx(
        0.5 / (1 + Sig), rel=1e-12
    )
    assert th.penalty_point_eq43(1.0, 0.5, 1.0, 0.3) == pytest.approx(0.5 / (1 + Sig), rel=1e-12)
    assert th.penalty_point_eq60_printed(1.0, 0.5, 1.0, 0.3) == pytest.approx(
        0.5 / (1 - Sig), rel=1e-12
    )


def test_implicit_penalty_vs_fixed_point_at_small_noise():
    # the absolute gap vanishes with the noise ...
    s = np.array([0.1, 0.01, 0.001])
    fp = th.asgd_fixed_point(1.0, 0.5, 1.0, s)
    pm = th.implicit_penalty_minimiser(1.0, 0.5, 1.0, s)
    gap = np.abs(pm - fp)
    assert np.all(np.diff(gap) < 0) and gap[-1] < 5e-5
    assert gap[1] / gap[2] == pytest.approx(10, rel=0.05)  # O(s)
    # ... the relative gap of the shifts tends to sqrt(2/pi)/E|x + N(0,1)| - 1,
    # where x = -rho E|x + N(0,1)|
    rho = 0.5
    x = -rho * np.sqrt(2 / np.pi)
    for _ in range(200):
        x = -rho * th.folded_normal_mean(x, 1.0)
    limit = np.sqrt(2 / np.pi) / th.folded_normal_mean(x, 1.0) - 1
    rel = (pm[-1] - 0.5) / (fp[-1] - 0.5) - 1
    assert rel == pytest.approx(limit, rel=0.02)
    assert abs(limit) == pytest.approx(rho**2 / np.pi, rel=0.15)
    # ... and it is small when w*/tau is small (paper 2 Theorem 5's regime)
    assert (
        abs(
            th.implicit_penalty_minimiser(1, 0.05, 1, 0.3) / th.asgd_fixed_point(1, 0.05, 1, 0.3)
            - 1
        )
        < 2e-3
    )


def test_implicit_penalty_minimiser_beyond_the_device_range():
    # w* outside [-tau, tau]: for c = 0 still the closed form L tau w*/(L tau + Sigma) ...
    ws = np.array([1.2, -1.5, 3.0])
    Sig = 0.05 * np.sqrt(2 / np.pi)
    np.testing.assert_allclose(
        th.implicit_penalty_minimiser(1.0, ws, 1.0, 0.05), ws / (1 + Sig), rtol=1e-14
    )
    # ... and for c != 0 a root of grad f_Sigma, between w* and the symmetric point
    L, tau, c = 2.0, 1.0, np.array([0.3, -0.4, 0.2])
    w = th.implicit_penalty_minimiser(L, ws, tau, 0.05, c)
    R = (w / tau - c) / (1 - c * w / tau)
    np.testing.assert_allclose(L * (w - ws) + Sig * R, 0.0, atol=1e-13)
    assert np.all((w - ws) * (w - c * tau) < 0)


def test_eq60_is_refused_at_its_pole():
    # infinite where Sigma R'(w⋄) = L: noise_std = sqrt(pi/2) L tau (1 - c^2)
    s_pole = np.sqrt(np.pi / 2) * 2.0 * 1.5 * (1 - 0.2**2)
    with pytest.raises(
        ValueError, match=rf"noise_std = sqrt\(pi/2\) L tau \(1 - c\^2\) = {s_pole:.6g}"
    ):
        th.penalty_point_eq60_printed(2.0, 0.5, 1.5, s_pole, 0.2)
    assert np.isfinite(th.penalty_point_eq60_printed(2.0, 0.5, 1.5, 1.001 * s_pole, 0.2))
