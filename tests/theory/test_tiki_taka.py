"""analogkit.theory.tiki_taka: P1 Theorem 4's P_max and paper 1's Tiki-Taka, against simulation."""

import re

import numpy as np
import pytest

import analogkit as ak
from analogkit import theory as th
from tests.theory.conftest import NOISE, assert_steps_hold, sem

S = th.sym


def test_tiki_taka_pmax_with_paper_1s_c():
    c = np.sqrt(2 / np.pi)
    r = th.tiki_taka_pmax(L=1.0, tau=1.0, dim=10, sigma=1.0, c=th.PAPER1_GAUSSIAN_C)
    assert r.pmax**2 == pytest.approx(41 * 10 / c**2, rel=1e-13)
    assert r.ratio == pytest.approx(33 * 41 * 10 / c**2, rel=1e-13)
    assert r.satisfied is False
    assert r.admissible is False  # sqrt(2/pi) > 1/sqrt(10)
    edge = th.tiki_taka_pmax(L=1.0, tau=1.0, dim=10, sigma=r.sigma_min, c=c)
    assert edge.ratio == pytest.approx(1.0, rel=1e-12)
    assert th.tiki_taka_pmax(1.0, 1.0, 10, 1.01 * r.sigma_min, c=c).satisfied is True
    assert r.sigma_min / np.sqrt(10) == pytest.approx(np.sqrt(1353) / c, rel=1e-12)  # ~46 L tau
    arr = th.tiki_taka_pmax(L=1.0, tau=np.array([0.01, 1.0]), dim=1, sigma=1.0)
    np.testing.assert_array_equal(arr.satisfied, [True, False])


def test_tiki_taka_derivation_steps():
    assert_steps_hold(th.tiki_taka_derivation())


def test_assumption_5_constant_for_gaussian_noise():
    # kappa = min over g of E|g + eps_i|/sigma, eps_i ~ N(0, sigma^2/D): Monte Carlo, not the
    # module's expression; the minimum is at g = 0 and is sqrt(2/(pi D))
    rng = np.random.default_rng(5)
    sigma, D = 2.0, 10
    eps = rng.normal(0.0, sigma / np.sqrt(D), 400_000)
    gs = np.linspace(-0.3, 0.3, 13)
    means = np.array([np.abs(g + eps).mean() for g in gs])
    assert gs[np.argmin(means)] == 0.0
    se = np.abs(eps).std() / np.sqrt(eps.size)
    r = th.tiki_taka_pmax(L=1.0, tau=1.0, dim=D, sigma=sigma)
    assert abs(r.c * sigma - means[6]) <= 4 * se
    assert r.admissible is True and r.c <= 1 / np.sqrt(D)
    # Cauchy-Schwarz: E|eps_i| <= sqrt(E eps_i^2) = sigma/sqrt(D), so no kappa above 1/sqrt(D)
    assert means[6] <= sigma / np.sqrt(D)
    # the condition then needs sigma/sqrt(D) > sqrt(1353 pi/2) sqrt(D) L tau ~ 46.1 sqrt(D) L tau
    assert r.sigma_min / np.sqrt(D) == pytest.approx(np.sqrt(1353 * np.pi / 2 * D), rel=1e-12)
    assert r.sigma_min / np.sqrt(D) > 145  # 46.1 sqrt(10)


def test_the_proofs_final_condition_fails_for_every_admissible_kappa():
    # 1 - 128/(kappa^2 D) - 32 P_max^2/tau^2 <= 1 - 128 = -127 whenever kappa^2 D <= 1, at any
    # noise level, and even where 33 P_max^2/tau^2 < 1 holds
    rng = np.random.default_rng(4)
    for D in (1, 3, 10, 1000):
        kappa = rng.uniform(0.01, 1.0, 50) / np.sqrt(D)
        sigma = 10 ** rng.uniform(-2, 6, 50)
        r = th.tiki_taka_pmax(1.0, 1.0, D, sigma, c=kappa)
        np.testing.assert_allclose(
            r.final, 1 - 128 / (kappa**2 * D) - 32 * 41 * D / (kappa**2 * sigma**2), rtol=1e-12
        )
        assert np.all(r.final <= -127) and not np.any(r.final_satisfied)
        assert np.all(r.admissible)
    big = th.tiki_taka_pmax(1.0, 1.0, 10, 1e6)
    assert big.satisfied is True and big.final_satisfied is False
    assert big.final == pytest.approx(1 - 64 * np.pi, rel=1e-6)
    # paper 1's scalar sqrt(2/pi) with D > 64 pi and large noise would pass: not admissible
    paper = th.tiki_taka_pmax(1.0, 1.0, 1000, 1e8, c=th.PAPER1_GAUSSIAN_C)
    assert paper.final_satisfied is True and paper.admissible is False


def test_tiki_taka_bias_depends_on_fast_lr_not_transfer_lr():
    # paper 1's Tiki-Taka (gamma = 0, ALD): bias O(sqrt(lr)), independent of transfer_lr
    tau, L, ws = 1.0, 1.0, np.array([0.5, -0.5])
    prob = ak.Quadratic(L=L, w_star=ws, dim=2, noise=ak.GaussianNoise(NOISE))
    rng = np.random.default_rng(11)
    sims = {}
    for lr, tlr, burn, avg in [
        (0.1, 0.002, 1500, 2500),
        (0.1, 0.0005, 2000, 2500),
        (0.025, 0.0005, 2500, 3500),
    ]:
        tr = ak.tiki_taka(
            prob,
            ak.LinearDevice(tau),
            lr,
            tlr,
            0.0,
            steps=burn + avg,
            trials=500,
            rng=rng,
            w0=ws,
            record_every=10,
            record_weights=True,
        )
        W = tr.tail_mean("weights", avg / (burn + avg), per_trial=True)
        g = L * (W - ws)
        sims[(lr, tlr)] = (g.mean(0), sem(g))
        pred = th.tiki_taka_fixed_point(L, ws, tau, NOISE, lr).grad_w
        # 4 SE (~2.5e-4) plus 3% of the predicted bias (O(lr) rest of the mean field)
        assert np.all(np.abs(g.mean(0) - pred) <= 4 * sem(g) + 0.03 * np.abs(pred)), (
            lr,
            tlr,
            g.mean(0),
            pred,
        )
    # transfer_lr 4x smaller: same bias within 4 combined SE
    (a, sa), (b, sb) = sims[(0.1, 0.002)], sims[(0.1, 0.0005)]
    assert np.all(np.abs(a - b) <= 4 * np.hypot(sa, sb))
    # fast lr 4x smaller: bias halves (sqrt(lr)), well below Analog SGD's shift (0.1)
    c_, sc = sims[(0.025, 0.0005)]
    assert np.all(np.abs(b / c_ - 2.0) < 0.25)
    assert np.all(np.abs(a) < 0.2 * np.abs(th.asgd_fixed_point(L, ws, tau, NOISE) - ws))


def test_tiki_taka_pmax_beyond_the_float_range_names_c_and_sigma():
    c = np.sqrt(2 / np.pi)
    # finite as long as 33 P_max^2/tau^2 = 1353 D (L tau/(c sigma))^2 is
    r = th.tiki_taka_pmax(1.0, 1.0, 1, 1e-100)
    assert r.ratio == pytest.approx(1353 / (c * 1e-100) ** 2, rel=1e-13)
    assert r.pmax == pytest.approx(np.sqrt(41) / (c * 1e-100), rel=1e-13)
    smallest = np.sqrt(1353 / np.finfo(float).max)  # c sigma at ratio = 1.8e308
    for sigma in (1e-200, np.array([1e-200])):
        with pytest.raises(
            ValueError,
            match=rf"c sigma must be at least .* = {re.escape(f'{smallest:.4g}')} .*sigma",
        ):
            th.tiki_taka_pmax(1.0, 1.0, 1, sigma)
    with pytest.raises(ValueError, match=r"c sigma must be at least .*got c = 1e-300"):
        th.tiki_taka_pmax(1.0, 1.0, 1, 1.0, c=1e-300)


def test_a_tiny_w_star_gives_the_linear_response():
    # c = 0: the fixed point is odd in w*, so W, grad f(W) and E[P] are proportional to it down
    # to w* = 1e-300 (where the gradient's root is ~1e-300 of its bracket)
    ref = th.tiki_taka_fixed_point(1.0, 1e-10, 1.0, 1e5, 1e-20)
    for ws in (1e-100, 1e-200, 1e-300):
        fp = th.tiki_taka_fixed_point(1.0, ws, 1.0, 1e5, 1e-20)
        np.testing.assert_allclose(
            np.array([fp.w, fp.grad_w, fp.p_mean]) / ws,
            np.array([ref.w, ref.grad_w, ref.p_mean]) / 1e-10,
            rtol=1e-9,
        )
    # ... and at such a w* the iteration still converges: the transfer is stationary,
    # E[P] F_W(W) = E|P| G_W(W), i.e. E[P] = E|P| W/tau on the ALD
    for lr in (0.05, 0.2):
        fp = th.tiki_taka_fixed_point(1.0, 1e-200, 1.0, NOISE, lr)
        assert fp.p_mean == pytest.approx(fp.p_abs_mean * fp.w, rel=1e-10, abs=0)


def test_fixed_point_refuses_an_lr_beyond_the_mean_field_model_naming_lr():
    # at lr = 7 the fast array's spread leaves no stationary gradient within the model's bracket
    with pytest.raises(ValueError, match=r"^lr is too large"):
        th.tiki_taka_fixed_point(1.0, 0.5, 1.0, 0.3, lr=7.0)
