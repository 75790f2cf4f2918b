"""analogkit.theory.asgd: Analog SGD's mean-field fixed point, against sympy and simulation."""

import numpy as np
import pytest
import scipy.optimize
import scipy.special
import scipy.stats

import analogkit as ak
from analogkit import theory as th
from tests.theory.conftest import NOISE, assert_steps_hold, sem

S = th.sym


def test_asgd_drift_derivation_steps():
    assert_steps_hold(th.asgd_drift("linear"))


def test_asgd_fixed_point_solves_the_sympy_drift():
    rng = np.random.default_rng(14)
    n = 25
    L, ws, tau = rng.uniform(0.5, 3, n), rng.uniform(-0.8, 0.8, n), rng.uniform(0.8, 4, n)
    s, c = rng.uniform(0.01, 1, n), rng.uniform(-0.4, 0.4, n)
    ws = ws * tau
    w = th.asgd_fixed_point(L, ws, tau, s, c)
    h = th.asgd_drift()["h"]
    for i in range(5):
        val = h.subs(
            {S.w: w[i], S.L: L[i], S.w_star: ws[i], S.s: s[i], S.tau: tau[i], S.asymmetry: c[i]}
        )
        assert abs(float(val)) < 1e-12
    # between w* and the symmetric point c*tau
    assert np.all((w - ws) * (w - c * tau) <= 1e-15)
    # noiseless: no floor (paper 1 Theorem 9); broadcasting over a grid, shape kept
    np.testing.assert_allclose(th.asgd_fixed_point(L, ws, tau, 0.0, c), ws)
    assert np.shape(th.asgd_fixed_point([1.0, 2.0], 0.5, [[1.0], [3.0]], 0.3)) == (2, 2)
    # the lr-dependence only enters the stationary moments, as O(lr)
    m1 = th.asgd_stationary_moments(1.0, 0.5, 1.0, 0.3, 1e-3)
    m2 = th.asgd_stationary_moments(1.0, 0.5, 1.0, 0.3, 2e-3)
    assert m1.fixed_point == m2.fixed_point
    assert (m2.mean - m2.fixed_point) / (m1.mean - m1.fixed_point) == pytest.approx(2.0, rel=0.01)


def _asgd_run(tau, L, lr, rng, trials=2000):
    """Analog SGD on w* = (+0.5, -0.5) (both signs at once); per-trial tail means of W."""
    ws = np.array([0.5, -0.5])
    prob = ak.Quadratic(L=L, w_star=ws, dim=2, noise=ak.GaussianNoise(NOISE))
    burn, avg = int(12 / (lr * L)), int(20 / (lr * L))  # the slowest relaxation rate is >= lr L
    tr = ak.analog_sgd(
        prob,
        ak.LinearDevice(tau),
        lr,
        steps=burn + avg,
        trials=trials,
        rng=rng,
        record_every=max(1, int(0.5 / (lr * L))),
        record_weights=True,
    )
    per_trial = tr.tail_mean("weights", avg / (burn + avg), per_trial=True)
    return ws, per_trial.mean(0), sem(per_trial)


@pytest.mark.parametrize("tau", [1.0, 3.0])
@pytest.mark.parametrize("L", [1.0, 2.0])
def test_asgd_fixed_point_vs_simulation(tau, L):
    lr = 0.01
    ws, mean, se = _asgd_run(tau, L, lr, np.random.default_rng(100 + int(10 * tau + L)))
    mom = th.asgd_stationary_moments(L, ws, tau, NOISE, lr)
    fp, bias = np.asarray(mom.fixed_point), np.abs(np.asarray(mom.mean) - mom.fixed_point)
    # the effect is real: the fixed point sits far from w* (> 50 SE here, 0.02-0.1 in w)
    assert np.all(np.abs(fp - ws) > 50 * se)
    # 4 SE (SE ~ 1e-4) plus the O(lr) mean-field bias (estimated by asgd_stationary_moments)
    assert np.all(np.abs(mean - fp) <= 4 * se + bias), (mean, fp, se, bias)
    # the O(lr)-corrected mean agrees within 4 SE alone
    assert np.all(np.abs(mean - np.asarray(mom.mean)) <= 4 * se), (mean, mom.mean, se)


def test_asgd_fixed_point_independent_of_lr():
    tau, L = 1.0, 1.0
    rng = np.random.default_rng(7)
    results = {lr: _asgd_run(tau, L, lr, rng, trials=1000) for lr in (0.003, 0.03)}
    fp = th.asgd_fixed_point(L, np.array([0.5, -0.5]), tau, NOISE)
    for lr, (_, mean, se) in results.items():
        bias = np.abs(
            np.asarray(th.asgd_stationary_moments(L, np.array([0.5, -0.5]), tau, NOISE, lr).mean)
            - fp
        )
        assert np.all(np.abs(mean - fp) <= 4 * se + bias), (lr, mean, fp, se, bias)
    # a tenfold change of lr moves the stationary mean by less than 4 combined SE + both biases
    (_, m1, se1), (_, m2, se2) = results[0.003], results[0.03]
    assert np.all(np.abs(m1 - m2) <= 4 * np.hypot(se1, se2) + 1e-3)
    # whereas the shift from w* itself is 0.1
    assert np.all(np.abs(fp - np.array([0.5, -0.5])) > 0.09)


def _noiseless_lr_bound(L, ws, tau, c):
    """2/h'_0 for |w*| < tau, by scipy: h'_0 = L (F + G erf(k/sqrt 2)) at w*, where
    k F + E|k + N(0,1)| G = 0 (the fixed point is w* + k s/L as s -> 0)."""
    F, G = 1 - c * ws / tau, ws / tau - c

    def balance(k):
        return k * F + scipy.stats.foldnorm(abs(k)).mean() * G

    k = scipy.optimize.brentq(balance, -50, 50, xtol=1e-14)
    return 2 / (L * (F + G * scipy.special.erf(k / np.sqrt(2))))


@pytest.mark.parametrize(
    "L, ws, tau, c, bound",
    [
        (1.0, 0.5, 1.0, 0.0, None),
        (2.0, -0.7, 1.5, -0.5, None),
        (1.0, 0.0, 1.0, 0.5, None),
        # w* beyond the range: the weight sits on tau, h'_0 = L (1 + c)(w*/tau - 1)
        (1.0, 3.0, 1.0, 0.2, 2 / (1.2 * 2.0)),
    ],
)
def test_vanishing_noise_gives_the_noise_to_zero_limit(L, ws, tau, c, bound):
    w0 = float(np.clip(ws, -tau, tau))
    zero = th.asgd_stationary_moments(L, ws, tau, 0.0, 0.01, c)
    assert (zero.fixed_point, zero.mean, zero.var) == (w0, w0, 0.0)
    assert zero.grad_norm2 == pytest.approx(L**2 * (w0 - ws) ** 2, rel=1e-15)
    assert th.asgd_fixed_point(L, ws, tau, 0.0, c) == w0
    # noise far below 1e-12 L tau: the same limit, not NaN
    assert th.asgd_stationary_moments(L, ws, tau, 1e-300, 0.01, c) == zero
    assert th.asgd_fixed_point(L, ws, tau, 1e-300, c) == w0
    # just above it the exact moments, close to the limit
    small = th.asgd_stationary_moments(L, ws, tau, 1e-9, 0.01, c)
    assert abs(small.fixed_point - w0) < 1e-8 and 0 < small.var < 1e-18
    # the lr bound of the limit is that of the exact moments at small noise (within 0.1%)
    bound = _noiseless_lr_bound(L, ws, tau, c) if bound is None else bound
    for s in (0.0, 1e-300, 1e-8):
        th.asgd_stationary_moments(L, ws, tau, s, 0.999 * bound, c)
        with pytest.raises(ValueError, match="lr must lie in"):
            th.asgd_stationary_moments(L, ws, tau, s, 1.001 * bound, c)


@pytest.mark.parametrize("tau, s", [(1e-3, 0.3), (1.0, 1e3), (1.0, 0.3)])
def test_an_unstable_lr_is_named_with_its_bound(tau, s):
    # a small tau or a large noise makes h'(w0) ~ E|g + eps|/tau large: it is lr that must shrink
    L, ws, c = 1.0, 0.5 * tau, 0.1
    w0 = th.asgd_fixed_point(L, ws, tau, s, c)
    subs = {S.w: w0, S.L: L, S.w_star: ws, S.tau: tau, S.s: s, S.asymmetry: c}
    bound = 2 / float(th.asgd_drift()["dh"].subs(subs))  # evaluated by sympy, not lambdify
    with pytest.raises(
        ValueError, match=rf"^lr must lie in \(0, 2/h'\(w0\)\) = \(0, {bound:.4g}\)"
    ):
        th.asgd_stationary_moments(L, ws, tau, s, 1.01 * bound, c)
    assert np.isfinite(th.asgd_stationary_moments(L, ws, tau, s, 0.99 * bound, c).var)


@pytest.mark.parametrize("tau", [1.0, 3.0])
def test_huge_noise_gives_the_symmetric_point(tau):
    # near c tau, h = 0 reads (w/tau - c) s sqrt(2/pi) = -L (c tau - w*)(1 - c^2) to first order in
    # 1/s; it holds also where G(c tau) is a rounding error times the noise (c tau = 0.3 at tau = 3)
    c, ws = 0.1, 0.5 * tau
    for s in (1e9, 1e14, 1e19):
        offset = -tau * (c * tau - ws) * (1 - c**2) / (s * tau * np.sqrt(2 / np.pi))
        assert th.asgd_fixed_point(1.0, ws, tau, s * tau, c) == pytest.approx(
            c * tau + offset, rel=1e-12, abs=1e-15 * tau
        )
