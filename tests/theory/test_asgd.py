"""analogkit.theory.asgd: Analog SGD's mean-field fixed point, against sympy and simulation."""

import numpy as np
import pytest

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
