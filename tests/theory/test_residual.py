"""analogkit.theory.residual: residual learning's fixed points, against sympy and simulation."""

import numpy as np
import pytest

import analogkit as ak
from analogkit import theory as th
from tests.theory.conftest import NOISE, assert_steps_hold, sem

S = th.sym


def test_residual_derivation_steps():
    assert_steps_hold(th.residual_derivation())


def test_residual_gradient_formula():
    c = np.array([0.0, 0.1, 0.3, -0.3])
    g = th.residual_fixed_point_gradient(3.5, c, 0.3)
    cond = th.residual_derivation()["g_c"]
    for gi, ci in zip(g, c, strict=True):
        assert float(cond.subs({S.g: gi, S.asymmetry: ci, S.s: 0.3})) == pytest.approx(0, abs=1e-13)
    np.testing.assert_allclose(g, c * th.folded_normal_mean(g, 0.3), atol=1e-14)
    # small c: c s sqrt(2/pi) (1 + O(c^2)); independent of tau; zero-shift -> 0
    assert g[1] == pytest.approx(0.1 * 0.3 * np.sqrt(2 / np.pi), rel=0.01)
    np.testing.assert_allclose(th.residual_fixed_point_gradient(0.7, c, 0.3), g, rtol=1e-13)
    np.testing.assert_array_equal(
        th.residual_fixed_point_gradient(3.5, c, 0.3, zero_shift=True), 0.0
    )
    # the joint fixed point tends to the leading order as lr -> 0 (P's spread ~ sqrt(lr))
    fp = th.residual_fixed_point(1.0, 0.5, 3.5, 0.3, 0.3, 0.4, np.array([1e-2, 1e-4, 1e-6]))
    err = np.abs(np.asarray(fp.grad_w) - g[2])
    assert err[2] < 1e-4 and err[1] / err[2] == pytest.approx(10, rel=0.1)  # O(sqrt(lr))


def _tail_means(tr, frac):
    return tr.tail_mean("weights", frac, per_trial=True), tr.tail_mean("fast", frac, per_trial=True)


@pytest.mark.parametrize("zero_shift", [False, True])
def test_residual_learning_gradient_vs_simulation(zero_shift):
    # f = 1/2 (w - 0.5)^2, tau = 3.5, s = 0.3, gamma = 0.4, c in {0, 0.1, 0.3}
    # (one coordinate per c); transfer_lr << lr kappa^2 / L ~ 0.011 keeps W slow
    tau, ws, L, gamma, lr, tlr = 3.5, 0.5, 1.0, 0.4, 0.05, 0.002
    c = np.array([0.0, 0.1, 0.3])
    prob = ak.Quadratic(L=L, w_star=ws, dim=3, noise=ak.GaussianNoise(NOISE))
    burn, avg = 1500, 2500
    tr = ak.tiki_taka(
        prob,
        ak.LinearDevice(tau=tau, asymmetry=c),
        lr,
        tlr,
        gamma,
        zero_shift=zero_shift,
        steps=burn + avg,
        trials=1000,
        rng=np.random.default_rng(9 + zero_shift),
        w0=ws,
        record_every=10,
        record_weights=True,
    )
    frac = avg / (burn + avg)
    W, P = _tail_means(tr, frac)
    g_mixed, g_w = L * (W + gamma * P - ws), L * (W - ws)
    fp = th.residual_fixed_point(L, ws, tau, c, NOISE, gamma, lr, zero_shift=zero_shift)
    lead = th.residual_fixed_point_gradient(tau, c, NOISE, zero_shift=zero_shift)
    se_m, se_w = sem(g_mixed), sem(g_w)  # ~1.8e-4
    # the joint mean-field fixed point, within 4 SE
    assert np.all(np.abs(g_mixed.mean(0) - fp.grad_mixed) <= 4 * se_m), (
        g_mixed.mean(0),
        fp.grad_mixed,
        se_m,
    )
    assert np.all(np.abs(g_w.mean(0) - fp.grad_w) <= 4 * se_w), (g_w.mean(0), fp.grad_w, se_w)
    # the lr -> 0 formula g = c E|g + eps| (0 with zero-shift): 4 SE plus its finite-lr correction
    corr = np.abs(np.asarray(fp.grad_mixed) - lead)
    assert np.all(np.abs(g_mixed.mean(0) - lead) <= 4 * se_m + corr)
    # E|P| != 0 at the joint fixed point: within 3% (its SE is < 0.5%)
    abs_p = np.abs(tr.fast[tr.tail_slice(frac)]).mean((0, 1))
    np.testing.assert_allclose(abs_p, fp.p_abs_mean, rtol=0.03)
    if zero_shift:
        assert np.all(np.abs(g_mixed.mean(0)) < 2e-3)  # O(sqrt(lr)) only
    else:
        assert g_mixed.mean(0)[2] > 0.07 and g_mixed.mean(0)[1] > 0.022  # the c E|g+eps| floor


def test_a_main_weight_leaving_the_range_names_w_star_and_tau():
    # w* = 0.999 tau: the fixed point's bias c E|g + eps| pushes W beyond tau
    with pytest.raises(ValueError, match=r"w_star = 0.999 lies too close to .* = \(-1, 1\)"):
        th.residual_fixed_point(1.0, 0.999, 1.0, 0.3, 0.3, 0.4, 0.05)
    with pytest.raises(ValueError, match=r"^lr must lie in \(0, 2/kappa\) = \(0, 4.298\)"):
        th.residual_fixed_point(1.0, 0.5, 3.5, 0.1, 0.3, 0.4, 10.0)


def test_a_vanishing_lr_leaves_a_deterministic_fast_array():
    # lr -> 0: P's spread vanishes (v underflows to 0 at lr = 5e-324) and both gradients are the
    # leading order c E|g + eps|
    for lr in (1e-30, 5e-324):
        fp = th.residual_fixed_point(1.0, 0.5, 3.5, 0.1, 0.3, 0.4, lr)
        assert fp.p_std < 1e-15 and fp.p_abs_mean == pytest.approx(abs(fp.p_mean), abs=1e-15)
        assert fp.grad_mixed == pytest.approx(fp.leading_order, rel=1e-12, abs=0)
        assert fp.grad_w == pytest.approx(fp.leading_order, rel=1e-12, abs=0)


def test_gamma_beyond_its_range_is_named():
    with pytest.raises(ValueError, match=r"gamma must lie in \[0, 1e\+20\]"):
        th.residual_fixed_point(1.0, 0.5, 3.5, 0.1, 0.3, 1e300, 0.05)
