"""analogkit.theory.bounds: paper 1's lower-bound instance, against simulation."""

import re

import numpy as np
import pytest
import sympy as sp

import analogkit as ak
from analogkit import theory as th
from tests.theory.conftest import assert_steps_hold, sem

S = th.sym


def test_lower_bound_derivation_steps():
    assert_steps_hold(th.lower_bound_derivation())


def test_lower_bound_constant_is_one_not_four():
    # independent of the module's steps: redo the drift balance of paper 1's instance here
    sigma, D, g, p = S.sigma, S.D, S.g, S.p
    q = 1 - p
    a = sigma / sp.sqrt(D) * sp.sqrt(q) / sp.sqrt(p)
    b = sigma / sp.sqrt(D) * sp.sqrt(p) / sp.sqrt(q)
    rho = 1 - 2 * p  # w/tau
    e_abs = p * (g + a) + q * (b - g)  # valid for -a <= g <= b
    (g_stat,) = sp.solve(g + rho * e_abs, g)
    S_rho = rho**2 / (1 - rho**2)
    assert sp.simplify(D * g_stat**2 - sigma**2 * S_rho) == 0
    assert sp.simplify(4 * sigma**2 * S_rho / (D * g_stat**2)) == 4  # the printed constant is 4x


def test_lower_bound_numeric_forms():
    d = th.lower_bound_derivation()
    rng = np.random.default_rng(16)
    sigma, tau = rng.uniform(0.01, 1, 10), rng.uniform(0.5, 3, 10)
    w = rng.uniform(-0.9, 0.9, 10) * tau
    f = th.lower_bound_floor(sigma, w, tau, dim=3)
    for i in range(4):
        assert float(
            d["floor"].subs({S.w: w[i], S.sigma: sigma[i], S.tau: tau[i]})
        ) == pytest.approx(f[i], rel=1e-12)
    np.testing.assert_allclose(th.lower_bound_floor_printed(sigma, w, tau), 4 * f, rtol=1e-14)
    np.testing.assert_allclose(f, sigma**2 * th.saturation(w, tau), rtol=1e-14)
    # the stationary weight solves L (w - w*) = per-coordinate stationary gradient
    for D in (1, 4):
        ws = np.array([0.2, -0.2, 0.05])
        wst = th.lower_bound_stationary_w(0.1, ws, 1.0, L=1.5, dim=D)
        g = d["g_stationary"]
        for wi, wsi in zip(wst, ws, strict=True):
            gi = float(g.subs({S.w: wi, S.sigma: 0.1, S.tau: 1.0, S.D: D}))
            assert 1.5 * (wi - wsi) == pytest.approx(gi, abs=1e-13)
        assert np.all(np.abs(wst) < np.abs(ws))


def test_lower_bound_floor_vs_simulation():
    # paper 1's instance: D = 1, L = 1, tau = 1, sigma = 0.1, w* = 0.2, W_0 = W*, small lr
    sigma, tau, ws, L, lr = 0.1, 1.0, 0.2, 1.0, 0.005
    prob = ak.Quadratic(L=L, w_star=ws, dim=1, noise=ak.LowerBoundNoise(sigma, tau))
    burn, avg = int(8 / (lr * 1.1)), int(20 / (lr * 1.1))  # relaxation rate ~ 1.1 lr
    tr = ak.analog_sgd(
        prob,
        ak.LinearDevice(tau),
        lr,
        steps=burn + avg,
        trials=2000,
        rng=np.random.default_rng(8),
        w0=ws,
        record_every=100,
        record_weights=True,
    )
    sl = tr.tail_slice(avg / (burn + avg))
    gn2 = tr.grad_norm2[sl].mean(0)  # per trial
    w_inf = np.max(np.abs(tr.weights[sl]), axis=2)
    S_K = (w_inf**2 / tau**2) / (1 - w_inf**2 / tau**2)  # along the trial's own trajectory
    ratio = gn2.mean() / (sigma**2 * S_K.mean())
    ratio_se = sem(gn2) / (sigma**2 * S_K.mean())
    w0 = th.lower_bound_stationary_w(sigma, ws, tau, L)
    floor = th.lower_bound_floor(sigma, w0, tau)
    mom = th.lower_bound_stationary_moments(sigma, ws, tau, lr, L)
    lr_term = mom.grad_norm2 / floor - 1  # the O(lr) part, ~0.07 at lr = 0.005
    # ||grad f||^2 = 1 x sigma^2 S_K (+ O(lr)): within 4 SE of the ratio plus the O(lr) term
    assert abs(ratio - 1) <= 4 * ratio_se + lr_term, (ratio, ratio_se, lr_term)
    # ... and not the printed 4 sigma^2 S_K
    assert ratio / 4 < 0.3
    # the O(lr)-corrected prediction: 4 SE plus 10% of the O(lr) term for the O(lr^2) rest
    assert abs(gn2.mean() - mom.grad_norm2) <= 4 * sem(gn2) + 0.1 * (mom.grad_norm2 - floor)
    # the stationary weight: 4 SE plus the O(lr) shift of the mean
    w_tail = tr.weights[sl, :, 0].mean(0)
    assert abs(w_tail.mean() - w0) <= 4 * sem(w_tail) + abs(mom.mean - w0)


def test_a_floor_beyond_the_float_range_names_the_largest_sigma():
    S_w = 0.2**2 / (1 - 0.2**2)  # S(0.2) at tau = 1
    sigma_max = np.sqrt(np.finfo(float).max) / np.sqrt(S_w)
    assert th.lower_bound_floor(1e150, 0.2, 1.0) == pytest.approx(1e300 * S_w, rel=1e-14)
    assert th.lower_bound_floor(1e-200, 0.2, 1.0) == pytest.approx(1e-400 * S_w, abs=1e-323)
    for sigma in (1e200, np.array([1e200])):
        with pytest.raises(
            ValueError, match=rf"sigma must be below .* = {re.escape(f'{sigma_max:.4g}')} "
        ):
            th.lower_bound_floor(sigma, 0.2, 1.0)
    with pytest.raises(
        ValueError, match=rf"sigma must be below .* = {re.escape(f'{sigma_max / 2:.4g}')} "
    ):
        th.lower_bound_floor_printed(1e200, 0.2, 1.0)


def test_a_weight_outside_the_device_range_names_the_interval():
    with pytest.raises(ValueError, match=r"w_star must lie in \(-tau, tau\) = \(-1, 1\), got 2.0"):
        th.lower_bound_stationary_w(0.1, 2.0, 1.0)
    with pytest.raises(ValueError, match=r"= \(-2.5, 2.5\), got -3.0"):
        th.lower_bound_stationary_moments(0.1, [0.1, -3.0], [1.0, 2.5], 0.01)
