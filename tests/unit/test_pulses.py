"""Pulse-level updates: pulse counts, the closed form for affine responses, noise, bounds."""

import numpy as np
import pytest

import analogkit as ak


def test_stochastic_rounding_gives_the_exact_increment_on_average():
    rng = np.random.default_rng(0)
    dw_min, dw = 1e-2, 0.0337  # 3.37 pulses: 3 or 4
    out = ak.pulse_update(ak.IdealDevice(), np.zeros(200_000), dw, ak.PulseConfig(dw_min), rng)
    assert set(np.round(out / dw_min).astype(int)) == {3, 4}
    # mean of 0.01*Bernoulli(0.7)+0.03: SE = 0.01*sqrt(0.21/2e5) ~ 1e-5; 5 SE
    assert out.mean() == pytest.approx(dw, abs=5e-5)


def test_deterministic_rounding_uses_ceil_and_max_pulses_caps():
    w = np.zeros(3)
    cfg = ak.PulseConfig(0.1, max_pulses=5, stochastic_rounding=False)
    out = ak.pulse_update(ak.IdealDevice(), w, np.array([0.25, -0.31, 2.0]), cfg, rng=None)
    np.testing.assert_allclose(out, [0.3, -0.4, 0.5])


def test_closed_form_multi_pulse_equals_pulses_one_by_one():
    rng = np.random.default_rng(1)
    dev = ak.LinearDevice(tau=1.3, asymmetry=0.2)
    dw_min = 1e-3
    w0 = rng.uniform(-1.2, 1.2, 50)
    k = rng.integers(0, 800, 50)
    sign = rng.choice([-1.0, 1.0], 50)
    dw = sign * (k - 0.5) * dw_min  # ceil -> exactly k pulses
    out = ak.pulse_update(dev, w0, dw, ak.PulseConfig(dw_min, stochastic_rounding=False), rng)
    ref = w0.copy()
    for i in range(50):
        for _ in range(k[i]):
            q = dev.q_plus(ref[i]) if sign[i] > 0 else dev.q_minus(ref[i])
            ref[i] += sign[i] * dw_min * q
    np.testing.assert_allclose(out, ref, rtol=0, atol=1e-12)


def test_closed_form_with_cycle_noise_matches_pulse_by_pulse_in_distribution():
    """PowerDevice(gamma=1) is the linear device but has no closed form: it runs pulse by pulse."""
    n = 20_000
    cfg = ak.PulseConfig(1e-2, stochastic_rounding=False, cycle_noise=0.5)
    w0 = np.full(n, 0.1)
    closed = ak.pulse_update(ak.LinearDevice(1.0, 0.1), w0, 0.395, cfg, np.random.default_rng(2))
    looped = ak.pulse_update(
        ak.PowerDevice(1.0, 1.0, 0.1), w0, 0.395, cfg, np.random.default_rng(3)
    )
    # 40 pulses, each adds N(0, (0.01*0.5)^2) shrunk by r < 1: std ~ 0.03
    assert closed.std() == pytest.approx(
        looped.std(), rel=0.04
    )  # SE of a std ~ 0.5%/sqrt(2); 4 SE ~ 4%
    se = closed.std() * np.sqrt(2 / n)
    assert abs(closed.mean() - looped.mean()) < 4 * se


@pytest.mark.parametrize("device", [ak.LinearDevice(1.0), ak.PowerDevice(1.0, 2.0)])
def test_pulse_mean_approaches_the_analog_update_with_the_papers_error_order(device):
    """|E U^BL - U| <= dw_min/tau + dw^2/(2 tau) (paper 1 App. B eq. (20)); as dw_min -> 0 only the
    O(dw^2) term is left, which for an up step is q(w) q'(w) dw^2 / 2 (second-order Taylor term)."""
    w0, dw, tau = 0.3, 0.05, 1.0
    target = device.update(w0, dw)
    h = 1e-6
    qp = device.q_plus(w0)
    dq = (device.q_plus(w0 + h) - device.q_plus(w0 - h)) / (2 * h)
    second_order = qp * dq * dw**2 / 2
    for dw_min in (1e-2, 1e-3, 1e-4):
        cfg = ak.PulseConfig(dw_min)
        out = ak.pulse_update(device, np.full(4000, w0), dw, cfg, np.random.default_rng(4))
        err = out.mean() - target
        assert abs(err) <= dw_min / tau + dw**2 / (2 * tau)
    # smallest dw_min: the error is the second-order term (stochastic rounding adds variance
    # dw_min^2/4 per sample at most; SE <= 1e-4/2/sqrt(4000) ~ 1e-6)
    assert err == pytest.approx(second_order, rel=0.05, abs=5e-6)


def test_bounds_are_kept_with_noise_and_large_steps():
    rng = np.random.default_rng(5)
    dev = ak.LinearDevice(0.5)
    cfg = ak.PulseConfig(1e-2, cycle_noise=2.0)
    w = rng.uniform(-0.5, 0.5, 10_000)
    for _ in range(5):
        w = ak.pulse_update(dev, w, rng.normal(0, 1.0, w.shape), cfg, rng)
        assert np.all(np.abs(w) <= 0.5)


def test_pulse_update_is_deterministic_for_a_seed():
    cfg = ak.PulseConfig(1e-3, cycle_noise=0.3)
    dev = ak.ExponentialDevice(1.0, 2.0)
    a = ak.pulse_update(dev, np.zeros(100), 0.01, cfg, np.random.default_rng(7))
    b = ak.pulse_update(dev, np.zeros(100), 0.01, cfg, np.random.default_rng(7))
    assert np.array_equal(a, b)


def test_pulse_response_staircase():
    dev = ak.LinearDevice(1.0)
    trace = ak.pulse_response(dev, ak.PulseConfig(0.05), n_up=100, n_down=100)
    assert trace.shape == (201,)
    assert trace[0] == -1.0
    assert np.all(np.diff(trace[:101]) > 0) and np.all(np.diff(trace[100:]) < 0)
    # soft bounds: steps shrink as the weight approaches the upper bound
    steps = np.diff(trace[:101])
    assert steps[-1] < steps[0] / 10
    # several devices at once
    many = ak.pulse_response(ak.LinearDevice(np.array([0.5, 1.0])), ak.PulseConfig(0.05), 10, 5)
    assert many.shape == (16, 2)


def test_pulse_inputs_are_checked():
    dev = ak.LinearDevice(1.0)
    with pytest.raises(TypeError, match="rng"):
        ak.pulse_update(dev, 0.0, 0.1, ak.PulseConfig(1e-3), rng=0)
    with pytest.raises(TypeError, match="pulse"):
        ak.pulse_update(dev, 0.0, 0.1, 1e-3, np.random.default_rng(0))
    with pytest.raises(ValueError, match="dw must be finite"):
        ak.pulse_update(dev, 0.0, np.nan, ak.PulseConfig(1e-3), np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng"):
        ak.pulse_response(dev, ak.PulseConfig(1e-3, cycle_noise=0.1), 3, 3)
