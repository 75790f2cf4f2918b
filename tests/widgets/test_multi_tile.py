"""The multi-tile dashboard (notebook 05): what it computes and draws follows paper 3's algorithm.

The dashboard runs 200 seeded trials of f = (w - 0.3)^2/2 for 240 steps of multi-tile residual
learning (Cor. 1's schedule, transfer_lr = gamma^2) on linear devices with n_states states.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import analogkit as ak
from analogkit import widgets

FACTORY = widgets.multi_tile_dashboard


def test_defaults_build_and_draw(dash):
    n = dash.numbers
    assert bytes(dash.image.value).startswith(b"<svg")
    assert set(n) == {
        "floor_simulated",
        "floor_digital_sgd",
        "grid_dw_min2_over_12",
        "cor1_order_constant_1",
        "steps_between_tile0_updates",
        "t_min_steps",
    }
    assert all(math.isfinite(v) for v in n.values())
    assert dash.message.value == ""  # two tiles settle within the run


def test_one_tile_is_analog_sgd_written_out(dash):
    """tiles = 1 is pulsed Analog SGD with the dashboard's seed, trials, problem and pulses."""
    device = ak.LinearDevice(1.0)
    tr = ak.analog_sgd(
        ak.Quadratic(L=1.0, w_star=0.3, noise=ak.GaussianNoise(0.1)),
        device,
        0.2,
        pulse=ak.PulseConfig(dw_min=2 / 20),
        steps=240,
        trials=200,
        rng=np.random.default_rng(2024),
        record_every=2,
        record_weights=True,
    )
    err = (tr.weights[:, :, 0] - 0.3) ** 2
    expected = err[tr.tail_slice(0.5)].mean()
    got = dash.compute(n_states=20, tiles=1, noise=0.1, lr=0.2)["floor_simulated"]
    assert got == pytest.approx(expected, rel=1e-12)


def test_reference_numbers(dash):
    n = dash.compute(n_states=20, tiles=3, gamma=0.3, noise=0.1, lr=0.2)
    assert n["floor_digital_sgd"] == pytest.approx(0.2 * 0.1**2 / (2 - 0.2))
    assert n["grid_dw_min2_over_12"] == pytest.approx(0.1**2 / 12)
    assert n["steps_between_tile0_updates"] == 4 * 12  # ceil(1/0.3) * ceil(0.3^-2)
    assert n["t_min_steps"] == pytest.approx(0.3 * 48 / 0.09)
    assert n["cor1_order_constant_1"] == pytest.approx(0.3 ** (4 / 3) * (0.1 * 0.1) ** (2 / 3))


def test_more_tiles_lower_the_floor(dash):
    """At 10 and 40 states three tiles beat one by more than 2.5x even in 240 steps."""
    for n_states in (10, 40):
        one, three = (dash.compute(n_states=n_states, tiles=t)["floor_simulated"] for t in (1, 3))
        assert one > 2.5 * three, (n_states, one, three)


def test_message_when_the_schedule_is_too_slow_for_the_run(dash):
    dash.sliders["tiles"].value = 4
    assert "Not converged" in dash.message.value
    assert "608 steps" in dash.message.value  # T = (4, 4, 38) at gamma = 0.3


@pytest.mark.parametrize(
    "values, text",
    [
        ({"gamma": 0.5}, "above Cor. 1's range"),
        ({"gamma": 0.05, "n_states": 10}, "below 1/n_states = 0.100"),
        ({"noise": 0.0}, "No gradient noise"),
    ],
)
def test_messages(dash, values, text):
    result = dash.result(**values)
    assert any(text in m for m in result.messages), result.messages
    assert not any(text in m for m in dash.result().messages)


@pytest.mark.parametrize(
    "values, exc, name",
    [
        ({"n_states": 4.5}, TypeError, "n_states"),
        ({"n_states": 1}, ValueError, "n_states"),
        ({"tiles": 0}, ValueError, "tiles"),
        ({"gamma": 1.5}, ValueError, "gamma"),
        ({"noise": -1.0}, ValueError, "noise"),
        ({"noise": float("nan")}, ValueError, "noise"),
        ({"lr": "0.1"}, TypeError, "lr"),
        ({"lr": 3.0}, ValueError, "lr"),
    ],
)
def test_bad_values_name_the_parameter(dash, values, exc, name):
    with pytest.raises(exc, match=name):
        dash.compute(**values)


def test_image_changes_with_the_sliders(dash):
    before = dash.image.value
    dash.sliders["gamma"].value = 0.2
    assert dash.image.value != before
    dash.sliders["gamma"].value = dash.defaults["gamma"]
    assert dash.image.value == before
