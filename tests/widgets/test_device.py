"""The device explorer (``ak.widgets.device_dashboard``): numbers, picture and messages.

Plain pytest, no browser: move the sliders and check ``dash.numbers``, ``dash.image.value`` and
``dash.message.value`` against the devices' closed forms (docs/theory.md §1).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import analogkit as ak
from analogkit import widgets

FACTORY = widgets.device_dashboard

#: the devices each family in the dropdown stands for, built without the registry
DIRECT = {
    "linear": lambda tau, c, gamma: ak.LinearDevice(tau=tau, asymmetry=c),
    "soft bounds": lambda tau, c, gamma: ak.SoftBoundsDevice(w_min=-tau, w_max=tau, up_down=c),
    "power": lambda tau, c, gamma: ak.PowerDevice(tau=tau, gamma=gamma, asymmetry=c),
    "exponential": lambda tau, c, gamma: ak.ExponentialDevice(tau=tau, gamma=gamma, asymmetry=c),
}


def test_family_dropdown(dash):
    """The registry's families with controls, in its order; the ideal device is left out."""
    dropdown = dash.sliders["family"]
    assert list(dropdown.options) == list(DIRECT)
    assert dropdown.value == "linear"
    assert "ideal" in ak.FAMILIES


def test_device_slider_ranges(dash):
    for key, (lo, hi, step, value) in {
        "tau": (0.2, 3.0, 0.05, 1.0),
        "asymmetry": (-0.99, 0.99, 0.01, 0.2),
        "gamma": (0.2, 5.0, 0.1, 2.0),
    }.items():
        s = dash.sliders[key]
        assert (s.min, s.max, s.step, s.value) == (lo, hi, step, value), key


@pytest.mark.parametrize("family", list(DIRECT))
def test_each_family_builds_its_device(dash, family):
    tau, c, gamma = 1.3, -0.35, 2.7
    expected = DIRECT[family](tau, c, gamma)
    device = dash.device(family, tau, c, gamma)
    assert type(device) is type(expected) and device.params() == expected.params()
    n = dash.compute(family=family, tau=tau, asymmetry=c, gamma=gamma)
    assert n["symmetric_point"] == pytest.approx(expected.symmetric_point, abs=1e-12)
    assert n["q_plus_at_0"] == pytest.approx(float(expected.q_plus(0.0)), abs=1e-12)
    assert n["q_minus_at_0"] == pytest.approx(float(expected.q_minus(0.0)), abs=1e-12)


@pytest.mark.parametrize("family", ["ideal", "Linear", "piecewise"])
def test_other_families_are_refused(dash, family):
    with pytest.raises(ValueError, match="family must be one of linear, soft bounds, power"):
        dash.compute(family=family)


def test_linear_symmetric_point_slider(dash):
    dash.sliders["tau"].value = 2.5
    dash.sliders["asymmetry"].value = -0.4
    assert dash.numbers["symmetric_point"] == pytest.approx(-0.4 * 2.5, abs=1e-12)
    assert dash.numbers == dash.compute(tau=2.5, asymmetry=-0.4)


@pytest.mark.parametrize("tau, c", [(1.0, 0.2), (2.5, -0.4), (0.6, 0.0), (1.8, 0.7), (3.0, -0.99)])
def test_linear_symmetric_point_is_asymmetry_times_tau(dash, tau, c):
    n = dash.compute(family="linear", tau=tau, asymmetry=c)
    assert n["symmetric_point"] == pytest.approx(c * tau, abs=1e-12)  # paper 2 §4: w⋄ = c_Lin tau
    assert n["q_plus_at_0"] == pytest.approx(1 + c)
    assert n["q_minus_at_0"] == pytest.approx(1 - c)


def test_n_states(dash):
    assert dash.compute(tau=1.5, dw_min=0.01)["n_states"] == pytest.approx(2 * 1.5 / 0.01)


@pytest.mark.parametrize("family", ["soft bounds", "power", "exponential"])
def test_symmetric_point_zeroes_G(dash, family):
    tau, gamma = dash.defaults["tau"], dash.defaults["gamma"]
    device = DIRECT[family](tau, 0.3, gamma)
    sp = dash.compute(family=family, asymmetry=0.3)["symmetric_point"]
    assert sp == pytest.approx(device.symmetric_point)
    assert abs(float(device.G(sp))) < 1e-9


def test_family_switch_changes_numbers_and_image(dash):
    seen_numbers, seen_images = [], []
    for family in ("linear", "soft bounds", "power", "exponential"):
        dash.sliders["family"].value = family
        seen_numbers.append(dict(dash.numbers))
        seen_images.append(dash.image.value)
    # the symmetric points of the four families differ at the default settings (c = 0.2, gamma = 2)
    sps = [n["symmetric_point"] for n in seen_numbers]
    assert len(set(np.round(sps, 9))) == 4, sps
    assert len(set(seen_images)) == 4
    # soft bounds follows aihwkit: only the weaker (down) direction shrinks, up stays 1
    assert seen_numbers[1]["q_plus_at_0"] == pytest.approx(1.0)
    assert seen_numbers[1]["q_minus_at_0"] == pytest.approx(0.8)


def test_gamma_matters_only_for_power_and_exponential(dash):
    assert dash.compute(family="linear", gamma=3.5) == dash.compute(family="linear", gamma=1.0)
    at_35 = dash.compute(family="power", gamma=3.5)["symmetric_point"]
    # gamma = 1: the power family is the linear one, w⋄ = c tau
    assert dash.compute(family="power", gamma=1.0)["symmetric_point"] == pytest.approx(0.2 * 1.0)
    assert at_35 != pytest.approx(0.2)


def test_asymmetry_near_one_gives_a_message(dash):
    dash.sliders["asymmetry"].value = 0.95
    msg = dash.message.value
    assert "Asymmetry" in msg and "symmetric point" in msg and "down pulses" in msg
    assert np.isfinite(dash.numbers["symmetric_point"])


@pytest.mark.parametrize("family", ["linear", "soft bounds", "power", "exponential"])
@pytest.mark.parametrize("c", [0.95, -0.95])
def test_asymmetry_near_one_message_every_family(dash, family, c):
    messages = " ".join(dash.result(family=family, asymmetry=c).messages)
    assert "symmetric point" in messages
    assert ("down pulses" in messages) if c > 0 else ("up pulses" in messages)


def test_soft_bounds_message(dash):
    dash.sliders["family"].value = "soft bounds"
    dash.sliders["asymmetry"].value = 0.3
    assert "up_down" in dash.message.value and "weaker direction" in dash.message.value
    assert not any(
        "up_down" in m for m in dash.result(family="soft bounds", asymmetry=0.0).messages
    )
    assert not any("up_down" in m for m in dash.result(family="linear", asymmetry=0.3).messages)


def test_only_the_gamma_note_at_defaults(dash):
    assert dash.message.value == "gamma does nothing for the linear family (slider disabled)."
    assert dash.result(family="power").messages == []


@pytest.mark.parametrize(
    "family, uses_gamma",
    [("linear", False), ("soft bounds", False), ("power", True), ("exponential", True)],
)
def test_gamma_slider_is_disabled_where_it_does_nothing(dash, family, uses_gamma):
    dash.sliders["family"].value = family
    assert dash.sliders["gamma"].disabled is not uses_gamma
    assert not dash.sliders["tau"].disabled and not dash.sliders["asymmetry"].disabled
    assert ("gamma does nothing" in dash.message.value) is not uses_gamma
    # the figure does not change with a disabled slider, and does with an enabled one
    before = dash.image.value
    dash.sliders["gamma"].value = 4.0
    assert (dash.image.value != before) is uses_gamma


def test_gamma_slider_state_when_built_and_after_set():
    dash = widgets.device_dashboard(family="exponential")
    assert not dash.sliders["gamma"].disabled
    dash.set(family="soft bounds", asymmetry=0.1)
    assert dash.sliders["gamma"].disabled
    dash.set(family="power")
    assert not dash.sliders["gamma"].disabled


def _linear_pulses_to_flatten(tau, c, dw_min, up=True):
    """Linear device from the far bound: the distance d to the near bound shrinks by
    (1 - dw_min (1 +- c)/tau) per pulse; the staircase is flat once a pulse, (1 +- c) d/tau in units
    of dw_min, is 5 % of a nominal one (or of the first pulse, 2 (1 +- c), if that is smaller)."""
    k = (1 + c) if up else (1 - c)
    d_end = 0.05 * min(1.0, 2 * k) * tau / k
    return np.log(2 * tau / d_end) / -np.log1p(-dw_min * k / tau)


@pytest.mark.parametrize("tau, c, dw_min", [(1.0, 0.2, 0.02), (2.0, -0.5, 0.05), (0.5, 0.0, 0.01)])
def test_pulse_counts_let_the_staircase_flatten(dash, tau, c, dw_min):
    r = dash.result(family="linear", tau=tau, asymmetry=c, dw_min=dw_min)
    n_up, n_down = r.data["n_up"], r.data["n_down"]
    # the dashboard integrates dw/(dw_min q), a little above the discrete count
    assert n_up == pytest.approx(_linear_pulses_to_flatten(tau, c, dw_min), rel=0.03)
    assert n_down == pytest.approx(_linear_pulses_to_flatten(tau, c, dw_min, up=False), rel=0.03)
    stairs = ak.pulse_response(r.data["device"], r.data["pulse"], n_up, n_down)
    # the last pulses of each phase are about 5 % of a nominal pulse: the staircase is flat there
    assert abs(stairs[n_up] - stairs[n_up - 1]) < 0.06 * dw_min
    assert abs(stairs[-1] - stairs[-2]) < 0.06 * dw_min
    assert not any("Not flattened" in m for m in r.messages)


@pytest.mark.parametrize("family", list(DIRECT))
def test_too_many_pulses_are_capped_and_said(dash, family):
    r = dash.result(family=family, dw_min=1e-3, tau=3.0)
    assert r.data["n_up"] == r.data["n_down"] == 300
    note = [m for m in r.messages if m.startswith("Not flattened yet")]
    assert len(note) == 1 and "first 300" in note[0] and "raise dw_min" in note[0]


def test_weak_direction_is_capped_and_said(dash):
    """c = 0.99: down pulses are 1 % of up pulses; only the down phase runs out of pulses."""
    r = dash.result(family="linear", asymmetry=0.99)
    assert r.data["n_up"] < 300 and r.data["n_down"] == 300
    expected = _linear_pulses_to_flatten(1.0, 0.99, 0.02, up=False)
    note = next(m for m in r.messages if m.startswith("Not flattened yet"))
    needed = re.search(r"needs about (\d+) down pulses to reach", note)
    assert needed and int(needed[1]) == pytest.approx(expected, rel=0.03)


@pytest.mark.parametrize(
    "key, value",
    [
        ("asymmetry", 0.99),
        ("asymmetry", -0.99),
        ("tau", 0.2),
        ("dw_min", 0.2),
        ("dw_min", 1e-3),
        ("cycle_noise", 2.0),
        ("gamma", 0.2),
        ("gamma", 5.0),
    ],
)
@pytest.mark.parametrize("family", ["linear", "soft bounds", "power", "exponential"])
def test_extreme_values_do_not_raise(dash, family, key, value):
    n = dash.result(family=family, **{key: value}).numbers
    assert all(np.isfinite(v) for v in n.values())


def test_extreme_values_draw():
    """The harshest drawing: the most pulses (dw_min = 1e-3), big cycle noise, c = 0.99.

    Built with these values (one drawing) rather than by moving four sliders (four drawings).
    """
    params = dict(family="exponential", dw_min=1e-3, cycle_noise=2.0, asymmetry=0.99)
    extreme = widgets.device_dashboard(**params)
    assert bytes(extreme.image.value).startswith(b"<svg")
    assert "Cannot run" not in extreme.message.value and "symmetric point" in extreme.message.value
    assert extreme.numbers == extreme.compute(**params)


def test_cycle_noise_changes_the_picture_not_the_numbers(dash):
    before_img, before_num = dash.image.value, dict(dash.numbers)
    dash.sliders["cycle_noise"].value = 0.8
    assert dash.image.value != before_img
    assert dash.numbers == before_num


def test_compute_is_deterministic_and_leaves_the_sliders(dash):
    params = dict(family="exponential", tau=1.3, asymmetry=-0.35, gamma=2.7)
    assert dash.compute(**params) == dash.compute(**params)
    assert dash.sliders["family"].value == "linear"
    expected = ak.ExponentialDevice(tau=1.3, gamma=2.7, asymmetry=-0.35).symmetric_point
    assert dash.compute(**params)["symmetric_point"] == pytest.approx(expected)
