"""Digital SGD and Analog SGD: exact agreements, the floor and its absence (paper 1)."""

import numpy as np
import pytest
from scipy.optimize import brentq

import analogkit as ak
from tests.algorithms.stats import QUAD, SIGMA, W_STAR, folded_mean, tail_stats

# --------------------------------------------------------------------------------------------
# exact agreements
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("noise", [ak.GaussianNoise(0.1), ak.SamplingNoise(4), None])
def test_analog_sgd_with_ideal_device_equals_digital_sgd_bit_for_bit(noise):
    prob = ak.LeastSquares.random(np.random.default_rng(0), dim=5, rows=12, noise=noise)

    def w0(rng, shape):
        return rng.uniform(-1, 1, shape)

    kw = dict(steps=300, trials=7, w0=w0, record_every=7, record_weights=True)
    d = ak.digital_sgd(prob, 0.2, rng=np.random.default_rng(42), **kw)
    a = ak.analog_sgd(prob, ak.IdealDevice(), 0.2, rng=np.random.default_rng(42), **kw)
    for name in ("steps", "loss", "grad_norm2", "weights", "final_weights", "diverged_step"):
        assert np.array_equal(getattr(d, name), getattr(a, name)), name


def test_large_tau_approaches_digital_sgd():
    # the ALD update differs from SGD by |dW| W / tau per step; with tau = 1e6 and the same
    # noise stream the two paths stay within ~1e-6 of each other
    prob = ak.LeastSquares.random(
        np.random.default_rng(1), dim=5, rows=12, noise=ak.GaussianNoise(0.1)
    )
    kw = dict(steps=500, trials=6, record_every=50)
    d = ak.digital_sgd(prob, 0.2, rng=np.random.default_rng(3), **kw)
    a = ak.analog_sgd(prob, ak.LinearDevice(tau=1e6), 0.2, rng=np.random.default_rng(3), **kw)
    np.testing.assert_allclose(a.final_weights, d.final_weights, atol=1e-5)
    close = ak.analog_sgd(prob, ak.LinearDevice(tau=1e3), 0.2, rng=np.random.default_rng(3), **kw)
    far = ak.analog_sgd(prob, ak.LinearDevice(tau=1.0), 0.2, rng=np.random.default_rng(3), **kw)
    gap = [np.abs(t.final_weights - d.final_weights).max() for t in (a, close, far)]
    assert gap[0] < gap[1] < gap[2]


# --------------------------------------------------------------------------------------------
# Analog SGD: no floor without noise, a floor with noise (paper 1)
# --------------------------------------------------------------------------------------------


def test_noiseless_analog_gd_converges_without_floor_and_obeys_theorem_9():
    tau = 3.0
    prob = ak.LeastSquares.random(
        np.random.default_rng(3), dim=10, rows=30, noise=ak.GaussianNoise(0.0)
    )
    L = prob.smoothness
    K = 3000
    tr = ak.analog_sgd(
        prob,
        ak.LinearDevice(tau),
        1 / L,
        steps=K,
        trials=8,
        rng=np.random.default_rng(4),
        w0=lambda r, s: r.uniform(-1, 1, s),
        record_every=1,
        record_weights=True,
    )
    # exact convergence to W*: the loss reaches rounding level, no asymptotic error
    assert np.all(tr.loss[-1] < 1e-20)
    np.testing.assert_allclose(tr.final_weights, np.broadcast_to(prob.w_star, (8, 10)), atol=1e-9)
    # paper 1 Theorem 9 (alpha = 1/L):
    #   (1/K) sum_k ||grad f(W_k)||^2 <= 2 (f(W0) - f*) L / (K (1 - Wmax^2/tau^2))
    w_max = np.abs(tr.weights).max(axis=(0, 2))
    lhs = tr.grad_norm2[:-1].mean(axis=0)
    rhs = 2 * tr.loss[0] * L / (K * (1 - w_max**2 / tau**2))
    assert np.all(lhs <= rhs)


def test_analog_sgd_bias_does_not_shrink_with_lr_but_digital_error_does():
    # paper 1 Fig. 1 mechanism on f = (w - 0.5)^2/2, ALD tau = 1, Gaussian noise 0.3
    tau = 1.0
    # mean-field fixed point: (w - w*) + (w/tau) E|w - w* + eps| = 0
    w_mf = brentq(lambda w: (w - W_STAR) + w / tau * folded_mean(w - W_STAR, SIGMA), 0.0, W_STAR)
    results = {}
    for lr in (0.05, 0.0125):
        kw = dict(steps=int(50 / lr), trials=400, w0=W_STAR, record_every=10, record_weights=True)
        a = ak.analog_sgd(QUAD, ak.LinearDevice(tau), lr, rng=np.random.default_rng(7), **kw)
        d = ak.digital_sgd(QUAD, lr, rng=np.random.default_rng(7), **kw)
        results[lr] = dict(
            analog=tail_stats(a),
            digital=tail_stats(d),
            analog_loss=tail_stats(a, "loss"),
            digital_loss=tail_stats(d, "loss"),
        )
    for lr, r in results.items():
        (m_a, se_a), (m_d, se_d) = r["analog"], r["digital"]
        # Analog SGD is biased towards the symmetric point 0 by ~0.10; the stationary mean differs
        # from the mean-field point by O(lr) (allowance 0.002) plus 4 SE
        assert abs(m_a - w_mf) < 0.002 + 4 * se_a
        assert m_a - W_STAR < -0.09
        # digital SGD on a quadratic is unbiased: E w = w* exactly
        assert abs(m_d - W_STAR) < 4 * se_d
        # digital floor: E f - f* = lr sigma^2 / (2 (2 - lr L)) (stationary AR(1) variance / 2)
        m_l, se_l = r["digital_loss"]
        assert abs(m_l - lr * SIGMA**2 / (2 * (2 - lr))) < 4 * se_l
    big, small = results[0.05], results[0.0125]
    # the analog bias does not shrink with lr (changes < 5% between lr = 0.05 and 0.0125) ...
    bias_big, bias_small = big["analog"][0] - W_STAR, small["analog"][0] - W_STAR
    assert abs(bias_small - bias_big) < 0.05 * abs(bias_big)
    # ... so its error floor stays put, while digital SGD's shrinks ~4x with lr
    assert small["analog_loss"][0] > 0.8 * big["analog_loss"][0]
    ratio = big["digital_loss"][0] / small["digital_loss"][0]
    assert 3.5 < ratio < 4.5


def test_lower_bound_instance_keeps_weights_within_half_tau():
    # paper 1 App. G.2: W0 = W*, |w*| <= tau/4, sigma <= tau L sqrt(D)/(4 sqrt 3),
    # alpha <= min{1/(2L), 1/(mu + 6 sigma/(tau sqrt D))} => ||W_k||_inf <= tau/2 (Lemma 2)
    tau, sigma, w_star = 1.0, 0.1, 0.2
    prob = ak.Quadratic(L=1.0, w_star=w_star, noise=ak.LowerBoundNoise(sigma, tau))
    tr = ak.analog_sgd(
        prob,
        ak.LinearDevice(tau),
        0.5,
        steps=3000,
        trials=200,
        rng=np.random.default_rng(8),
        w0=w_star,
        record_every=1,
        record_weights=True,
    )
    assert not tr.any_diverged
    assert np.abs(tr.weights).max() <= tau / 2
