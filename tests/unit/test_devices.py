"""Response functions: the F/G decomposition, the analog update, symmetric points, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analogkit as ak

FAMILIES = [
    ak.LinearDevice(tau=1.5, asymmetry=0.2),
    ak.LinearDevice(tau=0.7),
    ak.SoftBoundsDevice(w_min=-0.8, w_max=1.2, up_down=0.3),
    ak.SoftBoundsDevice(w_min=-1.0, w_max=0.6, up_down=-0.25),
    ak.PowerDevice(tau=1.0, gamma=2.0),
    ak.PowerDevice(tau=2.0, gamma=0.5, asymmetry=-0.3),
    ak.ExponentialDevice(tau=1.0, gamma=3.0),
    ak.ExponentialDevice(tau=1.0, gamma=2.0, asymmetry=0.25),
    ak.PiecewiseDevice([-1.0, -0.2, 0.5, 1.0], [2.0, 1.5, 0.6, 0.0], [0.0, 0.7, 1.4, 1.9]),
]
IDS = [f"{type(d).__name__}-{i}" for i, d in enumerate(FAMILIES)]


def _weights(device, rng, n=200):
    lo, hi = device.bounds
    return rng.uniform(lo, hi, n)


@pytest.mark.parametrize("device", FAMILIES, ids=IDS)
def test_F_and_G_are_the_symmetric_and_asymmetric_parts(device):
    w = _weights(device, np.random.default_rng(0))
    qp, qm = device.q_plus(w), device.q_minus(w)
    np.testing.assert_allclose(device.F(w), (qm + qp) / 2, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(device.G(w), (qm - qp) / 2, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("device", FAMILIES, ids=IDS)
def test_update_equals_piecewise_and_compact_forms(device):
    rng = np.random.default_rng(1)
    w = _weights(device, rng)
    dw = rng.normal(0, 0.05, w.shape)
    piecewise = np.where(dw >= 0, w + dw * device.q_plus(w), w + dw * device.q_minus(w))
    compact = w + dw * device.F(w) - np.abs(dw) * device.G(w)
    np.testing.assert_allclose(device.update(w, dw), piecewise, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(device.update(w, dw), compact, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("device", FAMILIES, ids=IDS)
def test_G_vanishes_at_the_symmetric_point(device):
    sp = device.symmetric_point
    lo, hi = device.bounds
    assert lo < sp < hi
    assert abs(device.G(sp)) < 1e-12
    # stable: G < 0 below, > 0 above, so the drift -|dw| G points towards it
    assert device.G(sp - 1e-3) < 0 < device.G(sp + 1e-3)


def test_closed_form_symmetric_points():
    assert ak.LinearDevice(3.5, 0.3).symmetric_point == pytest.approx(1.05)  # c_Lin * tau
    sb = ak.SoftBoundsDevice(-0.75, 1.25, 0.2)
    s_up, s_down = 1.0, 0.8
    assert sb.symmetric_point == pytest.approx((s_up - s_down) / (s_up / 1.25 - s_down / -0.75))
    assert ak.PowerDevice(1.0, 3.0).symmetric_point == 0.0
    assert ak.ExponentialDevice(1.0, 3.0).symmetric_point == 0.0
    assert ak.IdealDevice().symmetric_point == 0.0


def test_linear_device_is_paper1_eq8_exactly():
    rng = np.random.default_rng(2)
    tau = 0.8
    w = rng.uniform(-tau, tau, 1000)
    dw = rng.normal(0, 0.1, 1000)
    out = ak.LinearDevice(tau).update(w, dw)
    assert np.array_equal(out, w + dw - np.abs(dw) * (w / tau))


def test_ideal_device_is_exact_addition():
    rng = np.random.default_rng(3)
    w, dw = rng.normal(size=100), rng.normal(size=100)
    assert np.array_equal(ak.IdealDevice().update(w, dw), w + dw)


def test_soft_bounds_up_down_shrinks_only_the_weaker_direction():
    """analogkit follows aihwkit's C++ code: up_down=0.2 -> up = dw_min, down = 0.8 dw_min at w=0."""
    d = ak.SoftBoundsDevice(-1.0, 1.0, up_down=0.2)
    assert d.q_plus(0.0) == pytest.approx(1.0)
    assert d.q_minus(0.0) == pytest.approx(0.8)
    d = ak.SoftBoundsDevice(-1.0, 1.0, up_down=-0.2)
    assert d.q_plus(0.0) == pytest.approx(0.8)
    assert d.q_minus(0.0) == pytest.approx(1.0)


def test_soft_bounds_without_up_down_is_the_linear_device():
    w = np.linspace(-1, 1, 11)
    sb, lin = ak.SoftBoundsDevice(-2.0, 2.0), ak.LinearDevice(2.0)
    np.testing.assert_allclose(sb.q_plus(w), lin.q_plus(w))
    np.testing.assert_allclose(sb.q_minus(w), lin.q_minus(w))


def test_power_device_with_gamma_one_is_linear():
    w = np.linspace(-1, 1, 11)
    np.testing.assert_allclose(
        ak.PowerDevice(1.0, 1.0, 0.2).update(w * 0.9, 0.01),
        ak.LinearDevice(1.0, 0.2).update(w * 0.9, 0.01),
    )


@settings(max_examples=60, deadline=None)
@given(
    tau=st.floats(0.1, 10.0),
    w0_frac=st.floats(-1.0, 1.0),
    steps=st.lists(st.floats(-1.0, 1.0), min_size=1, max_size=60),
)
def test_paper1_theorem1_weights_stay_bounded(tau, w0_frac, steps):
    """|w0| <= tau and every |dw| <= tau keep |w| <= tau forever (paper 1 Thm 1)."""
    device = ak.LinearDevice(tau)
    w = w0_frac * tau
    for frac in steps:
        w = device.update(w, frac * tau)
        assert abs(w) <= tau * (1 + 1e-12)


def test_array_parameters_broadcast_against_w():
    tau = np.array([0.5, 1.0, 2.0])
    d = ak.LinearDevice(tau=tau, asymmetry=0.1)
    w = np.zeros((4, 3))
    out = d.update(w, 0.1)
    assert out.shape == (4, 3)
    np.testing.assert_allclose(d.symmetric_point, 0.1 * tau)


def test_vary_samples_device_to_device_variation():
    rng = np.random.default_rng(4)
    d = ak.vary(ak.LinearDevice(1.0, 0.0), rng, (20000,), tau=0.1, asymmetry=0.05)
    assert d.tau.shape == (20000,)
    assert np.all(d.tau > 0)
    # log-normal spread of tau: std of log(tau) is 0.1 (SE 0.1/sqrt(2*20000) ~ 5e-4, 10 SE margin)
    assert np.std(np.log(d.tau)) == pytest.approx(0.1, abs=5e-3)
    # additive spread of the asymmetry: std 0.05 (SE ~2.5e-4)
    assert np.std(d.asymmetry) == pytest.approx(0.05, abs=2.5e-3)
    np.testing.assert_allclose(d.symmetric_point, d.asymmetry * d.tau)
    again = ak.vary(
        ak.LinearDevice(1.0, 0.0), np.random.default_rng(4), (20000,), tau=0.1, asymmetry=0.05
    )
    assert np.array_equal(again.tau, d.tau)


def test_exponential_closed_form_symmetric_point_is_vectorised():
    d = ak.ExponentialDevice(
        tau=np.array([1.0, 2.0, 3.0]), gamma=np.array([0.5, 2.0, 6.0]), asymmetry=-0.4
    )
    sp = d.symmetric_point
    assert sp.shape == (3,)
    np.testing.assert_allclose(d.G(sp), 0.0, atol=1e-12)


class _CubicDevice(ak.Device):
    """A family with no closed-form symmetric point (G is a quartic in w) on [-1, 1]."""

    bounds = (-1.0, 1.0)

    def __init__(self, shift):
        self.shift = np.asarray(shift, dtype=float)

    def _q_plus(self, w):
        return (1 - w) * (1.2 + 0.3 * w**2 - self.shift)

    def _q_minus(self, w):
        return (1 + w) * (1.0 + 0.1 * w**3 + self.shift)

    def params(self):
        return {"shift": self.shift}


def test_families_without_a_closed_form_get_the_symmetric_point_by_vectorised_bisection():
    d = _CubicDevice(np.array([-0.1, 0.0, 0.15]))
    sp = d.symmetric_point
    assert sp.shape == (3,)
    np.testing.assert_allclose(d.G(sp), 0.0, atol=1e-12)
    assert np.all((sp > -1) & (sp < 1)) and len(set(sp)) == 3


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: ak.LinearDevice(tau=0.0), "tau"),
        (lambda: ak.LinearDevice(tau=-1.0), "tau"),
        (lambda: ak.LinearDevice(tau=float("nan")), "tau"),
        (lambda: ak.LinearDevice(tau=float("inf")), "tau"),
        (lambda: ak.LinearDevice(tau=1.0, asymmetry=1.0), "asymmetry"),
        (lambda: ak.LinearDevice(tau=1.0, asymmetry=-1.5), "asymmetry"),
        (lambda: ak.PowerDevice(tau=1.0, gamma=0.0), "gamma"),
        (lambda: ak.ExponentialDevice(tau=1.0, gamma=-2.0), "gamma"),
        (lambda: ak.SoftBoundsDevice(w_min=1.0, w_max=0.5), "w_min"),
        (lambda: ak.SoftBoundsDevice(w_min=-1.0, w_max=-0.5), "w_max"),
        (lambda: ak.SoftBoundsDevice(up_down=1.0), "up_down"),
        (
            lambda: ak.LinearDevice(tau=np.array([1.0, 2.0]), asymmetry=np.array([0.1, 0.2, 0.3])),
            "broadcast",
        ),
        (lambda: ak.PiecewiseDevice([0.0, 1.0], [1.0, -1.0], [0.0, 1.0]), "q_plus_values"),
        (
            lambda: ak.PiecewiseDevice([-1.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 1.0]),
            "positive",
        ),
        (lambda: ak.PiecewiseDevice([0.0, 0.0], [1.0, 0.0], [0.0, 1.0]), "increasing"),
        (lambda: ak.PulseConfig(dw_min=0.0), "dw_min"),
        (lambda: ak.PulseConfig(dw_min=1e-3, cycle_noise=-0.1), "cycle_noise"),
        (lambda: ak.PulseConfig(dw_min=1e-3, max_pulses=0), "max_pulses"),
    ],
)
def test_bad_parameters_raise_naming_the_parameter(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_inputs_raise():
    d = ak.LinearDevice(1.0)
    with pytest.raises(ValueError, match="w must be finite"):
        d.update(np.nan, 0.1)
    with pytest.raises(ValueError, match="dw must be finite"):
        d.update(0.0, np.inf)
    with pytest.raises(ValueError, match=r"w must lie in the device range"):
        d.update(1.5, 0.1)
    with pytest.raises(ValueError, match="broadcast"):
        d.update(np.zeros(3), np.zeros(4))
    with pytest.raises(TypeError, match="tau"):
        ak.LinearDevice(tau="one")
    with pytest.raises(TypeError, match="max_pulses"):
        ak.PulseConfig(dw_min=1e-3, max_pulses=2.5)
    with pytest.raises(ValueError, match="no symmetric point"):
        _ = ak.PiecewiseDevice([0.0, 1.0], [1.0, 0.0], [2.0, 3.0]).symmetric_point
