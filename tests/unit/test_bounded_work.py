"""No call runs unbounded and nothing comes back silently wrong: the reliability checks of the
devices, pulses, problems and the training loop."""

import time
import warnings

import numpy as np
import pytest

import analogkit as ak

RNG = np.random.default_rng


# -- devices ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["q_plus", "q_minus", "F", "G"])
def test_device_methods_refuse_weights_outside_the_range(method):
    dev = ak.LinearDevice(1.0, 0.5)
    with pytest.raises(ValueError, match=r"w must lie in the device range \[-1, 1\]"):
        getattr(dev, method)(5.0)
    with pytest.raises(ValueError, match="w must be finite"):
        getattr(dev, method)(np.nan)
    with pytest.raises(TypeError, match="complex"):
        getattr(dev, method)(np.array([0.1 + 1j]))


def test_update_never_leaves_the_range_whatever_the_step():
    # (1 + c)(1 - w/tau) * dw overshoots for dw > tau/(1 + |c|): the update clips it
    dev = ak.LinearDevice(1.0, 0.5)
    assert dev.update(0.0, 1.0) == 1.0
    rng = RNG(0)
    for c in (-0.9, -0.5, 0.0, 0.5, 0.9):
        dev = ak.LinearDevice(1.0, c)
        w = rng.uniform(-1, 1, 2000)
        out = dev.update(w, rng.normal(0, 3, 2000))
        assert np.all(np.abs(out) <= 1.0)


def test_extreme_shapes_are_refused_or_finite():
    with pytest.raises(ValueError, match=r"gamma must lie in \(0, 100\]"):
        ak.ExponentialDevice(tau=1.0, gamma=400.0)
    with pytest.raises(ValueError, match="gamma"):
        ak.PowerDevice(gamma=1e300)
    dev = ak.ExponentialDevice(tau=1.0, gamma=100.0, asymmetry=0.2)
    assert np.isfinite(dev.q_plus(-1.0)) and np.isfinite(dev.symmetric_point)
    assert abs(dev.G(dev.symmetric_point)) < 1e-9 * dev.q_plus(-1.0)


def test_complex_parameters_are_refused_not_truncated():
    with pytest.raises(TypeError, match="tau .*complex"):
        ak.LinearDevice(tau=np.array([1.0 + 5j]))
    with pytest.raises(TypeError, match="tau"):
        ak.LinearDevice(tau="0.5")
    assert ak.LinearDevice(tau=np.float32(0.5)).tau == 0.5


def test_vary_checks_its_device_and_shape():
    with pytest.raises(TypeError, match="device"):
        ak.vary(None, RNG(0), (3,), tau=0.1)
    with pytest.raises(ValueError, match="GB"):
        ak.vary(ak.LinearDevice(), RNG(0), (100_000, 10_000), tau=0.1)
    with pytest.raises(TypeError, match="shape"):
        ak.vary(ak.LinearDevice(), RNG(0), 2.5, tau=0.1)


# -- pulses ---------------------------------------------------------------------------------------


def test_the_default_pulse_cap_is_finite_and_a_huge_step_returns_at_once():
    assert ak.PulseConfig().max_pulses == 1000
    start = time.perf_counter()
    with pytest.warns(ak.PulseCapWarning, match="max_pulses=1000"):
        out = ak.pulse_update(
            ak.PowerDevice(tau=1.0, gamma=2.0), 0.0, 1e300, ak.PulseConfig(dw_min=1e-3), RNG(0)
        )
    assert time.perf_counter() - start < 2.0
    # 1000 pulses of 1e-3 (1 - w)^2 from 0: short of the bound, never past it
    assert 0.0 < out < 1.0


def test_uncapped_trains_need_a_closed_form():
    free = ak.PulseConfig(dw_min=1e-3, max_pulses=None)
    out = ak.pulse_update(ak.LinearDevice(1.0), 0.0, 1e300, free, RNG(0))
    assert out == 1.0  # the closed form saturates at the bound
    with pytest.raises(ValueError, match="max_pulses"):
        ak.pulse_update(ak.PowerDevice(), 0.0, 1e3, free, RNG(0))


def test_pulse_response_refuses_unbounded_requests():
    dev, pulse = ak.LinearDevice(), ak.PulseConfig(1e-3)
    with pytest.raises(ValueError, match="n_up \\+ n_down must be at most"):
        ak.pulse_response(dev, pulse, n_up=10**12, n_down=0)
    varied = ak.vary(dev, RNG(0), (100_000,), tau=0.1)
    with pytest.raises(ValueError, match="GB"):
        ak.pulse_response(varied, pulse, 50_000, 50_000)
    with pytest.raises(TypeError, match="pulse"):
        ak.pulse_response(dev, None, 3, 3)


def test_a_granularity_that_leaves_fewer_than_two_states_is_refused():
    with pytest.raises(ValueError, match="at least two states"):
        ak.pulse_update(ak.LinearDevice(1), 0.0, 0.1, ak.PulseConfig(dw_min=5), RNG(0))
    prob = ak.Quadratic(L=1.0, w_star=0.5)
    with pytest.raises(ValueError, match="pulse.dw_min"):
        ak.analog_sgd(
            prob, ak.LinearDevice(1), 0.1, steps=5, trials=2, rng=RNG(0), pulse=ak.PulseConfig(5)
        )
    with pytest.raises(ValueError, match="dw_min must be a single number"):
        ak.PulseConfig(dw_min=[1e-3, 2e-3])


def test_pulse_mode_training_with_a_huge_lr_is_fast_and_reported():
    prob = ak.Quadratic(L=1.0, w_star=0.5, dim=2, noise=ak.GaussianNoise(0.3))
    start = time.perf_counter()
    with pytest.warns(ak.SaturationWarning, match="max_pulses"):
        tr = ak.analog_sgd(
            prob, ak.PowerDevice(), 50.0, steps=20, trials=8, rng=RNG(0), pulse=ak.PulseConfig(1e-3)
        )
    assert time.perf_counter() - start < 3.0
    assert tr.meta["pulses_truncated"] > 0.5


# -- problems -------------------------------------------------------------------------------------


def test_underdetermined_or_overflowing_least_squares_is_refused():
    with pytest.raises(ValueError, match="rows must be >= dim"):
        ak.LeastSquares.random(RNG(0), dim=5, rows=3)
    with pytest.raises(ValueError, match="full column rank"):
        ak.LeastSquares(np.ones((6, 2)), np.ones(6))
    with pytest.raises(ValueError, match="overflows"):
        ak.LeastSquares(np.full((5, 3), 1e200), np.ones(5))


def test_huge_problems_are_refused_before_allocating():
    with pytest.raises(ValueError, match="GB"):
        ak.Quadratic(L=1.0, w_star=0.0, dim=10**9)
    with pytest.raises(ValueError, match="GB"):
        ak.LeastSquares.random(RNG(0), dim=20_000, rows=20_000)


# -- the training loop -----------------------------------------------------------------------------


def test_huge_trial_counts_are_refused_with_the_package_message():
    prob = ak.Quadratic(L=1.0, w_star=0.5, dim=2)
    with pytest.raises(ValueError, match="use fewer trials"):
        ak.digital_sgd(prob, 0.1, steps=5, trials=10**12, rng=RNG(0))
    ls = ak.LeastSquares.random(RNG(0), dim=40, rows=100, noise=ak.SamplingNoise(batch=10**6))
    with pytest.raises(ValueError, match="use fewer trials"):
        ak.digital_sgd(ls, 0.1, steps=5, trials=1000, rng=RNG(0))


def test_a_bounded_device_driven_to_its_bounds_is_flagged_once():
    prob = ak.Quadratic(L=1.0, w_star=0.5, dim=2, noise=ak.GaussianNoise(0.1))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tr = ak.analog_sgd(prob, ak.LinearDevice(1.0), 1e300, steps=200, trials=8, rng=RNG(0))
    runs = [w for w in caught if issubclass(w.category, ak.RunWarning)]
    assert len(runs) == 1 and issubclass(runs[0].category, ak.SaturationWarning)
    assert tr.saturated.all() and tr.worsened.all() and not tr.any_diverged
    assert np.all(np.abs(tr.final_weights) == 1.0)


def test_a_healthy_run_raises_no_flag(recwarn):
    prob = ak.Quadratic(L=1.0, w_star=0.5, noise=ak.GaussianNoise(0.3))
    tr = ak.analog_sgd(prob, ak.LinearDevice(1.0), 0.05, steps=500, trials=32, rng=RNG(0))
    assert not (tr.saturated.any() or tr.worsened.any() or tr.any_diverged)
    assert not [w for w in recwarn if issubclass(w.category, ak.RunWarning)]


def test_large_but_stable_noise_is_not_divergence(recwarn):
    prob = ak.Quadratic(L=1.0, w_star=0.0, noise=ak.GaussianNoise(1e7))
    tr = ak.digital_sgd(prob, 0.1, steps=2000, trials=32, rng=RNG(0), record_every=10)
    assert not tr.any_diverged
    # the stationary loss of SGD on f = w^2/2: lr s^2 / (2 (2 - lr)) = 2.6e12, to 10 %
    assert tr.tail_mean("loss", 0.5) == pytest.approx(0.1 * 1e14 / (2 * 1.9), rel=0.1)


def test_a_problem_of_large_scale_is_not_flagged_at_step_0():
    prob = ak.Quadratic(L=1.0, w_star=1e101)
    tr = ak.digital_sgd(prob, 0.1, steps=50, trials=2, rng=RNG(0), w0=1e101)
    assert not tr.any_diverged and np.all(tr.final_weights == 1e101)


def test_divergence_is_still_caught_whatever_the_scale():
    prob = ak.Quadratic(L=1.0, w_star=1e50, noise=ak.GaussianNoise(1e40))
    with pytest.warns(ak.DivergenceWarning):
        tr = ak.digital_sgd(prob, 2.5, steps=3000, trials=4, rng=RNG(0), w0=1e50, record_every=10)
    assert tr.diverged.all()


def test_ttv2_refuses_a_threshold_no_pulse_can_take_and_reports_a_stalled_main_array():
    prob = ak.Quadratic(L=1.0, w_star=0.5, noise=ak.GaussianNoise(0.1))
    with pytest.raises(ValueError, match="threshold must lie in"):
        ak.ttv2(prob, ak.LinearDevice(1.0), 0.1, 0.5, threshold=10, steps=5, trials=2, rng=RNG(0))
    with pytest.warns(ak.RunWarning, match="W never moved"):
        tr = ak.ttv2(
            prob, ak.LinearDevice(1.0), 1e-4, 1e-3, threshold=0.5, steps=50, trials=2, rng=RNG(0)
        )
    assert np.all(tr.final_weights == 0.0)
