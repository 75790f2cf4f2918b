"""The Tiki-Taka dashboard (notebook 04): what it computes and draws moves the way theory says.

Plain pytest, no browser: build the dashboard, set slider values, read ``dash.numbers`` /
``dash.compute(...)``, ``dash.message.value`` and the SVG in ``dash.image.value``. The dashboard
runs 200 seeded trials of f = (w - 0.5)^2/2 for 800 steps per method.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from analogkit import theory, widgets

FACTORY = widgets.tiki_taka_dashboard


def test_defaults_build_and_draw(dash):
    n = dash.numbers
    assert bytes(dash.image.value).startswith(b"<svg")
    assert set(n) >= {
        "final_loss_digital",
        "final_loss_analog",
        "final_loss_tiki_taka",
        "grad_tiki_taka",
        "grad_theory",
        "fast_symmetric_point",
        "thm4_ratio_33pmax2_over_tau2",
    }
    assert all(math.isfinite(v) for v in n.values())
    assert dash.message.value == ""  # nothing extreme at the defaults
    # Tiki-Taka beats Analog SGD at the defaults (lr 0.1, transfer_lr 0.05, tau 1, noise 0.3)
    assert n["final_loss_tiki_taka"] < 0.6 * n["final_loss_analog"]


def test_tiki_taka_error_falls_with_transfer_lr(dash):
    # at fixed lr, a smaller transfer rate means smaller fluctuations of W (its effective step)
    losses = [dash.compute(transfer_lr=t)["final_loss_tiki_taka"] for t in (0.2, 0.05, 0.005)]
    assert losses[0] > 2 * losses[1] > 4 * losses[2], losses


def test_tiki_taka_bias_does_not_follow_transfer_lr(dash):
    # docs/theory.md §8: with gamma = 0 the bias of W is O(sqrt(lr)), independent of transfer_lr
    g = [dash.compute(transfer_lr=t)["grad_tiki_taka"] for t in (0.02, 0.005)]
    assert all(-0.03 < x < 0 for x in g), g
    assert abs(g[0] - g[1]) < 0.005, g


def test_analog_floor_does_not_fall_with_lr(dash):
    hi, lo = dash.compute(lr=0.1), dash.compute(lr=0.01)
    # digital SGD's error falls about like lr ...
    assert hi["final_loss_digital"] > 5 * lo["final_loss_digital"]
    # ... Analog SGD's stays at the floor 1/2 (w_fp - w*)^2 of the mean-field fixed point
    assert hi["final_loss_analog"] < 1.5 * lo["final_loss_analog"]
    w_fp = theory.asgd_fixed_point(1.0, 0.5, 1.0, 0.3)
    floor = 0.5 * (w_fp - 0.5) ** 2
    assert floor < lo["final_loss_analog"] < 1.15 * floor
    # and Tiki-Taka at the small lr is well below it
    assert lo["final_loss_tiki_taka"] < 0.6 * floor


def test_asymmetry_raises_error_and_zero_shift_restores_it(dash):
    base = dash.compute()["final_loss_tiki_taka"]
    shifted = dash.compute(asymmetry=0.6)
    fixed = dash.compute(asymmetry=0.6, zero_shift=True)
    assert shifted["fast_symmetric_point"] == pytest.approx(0.6)
    assert shifted["final_loss_tiki_taka"] > 3 * base
    assert fixed["final_loss_tiki_taka"] < 1.2 * base
    # the gradient left at the mixed weight follows g = c E|g + eps| (plus an O(sqrt(lr)) bias)
    for c in (0.3, -0.3, 0.6):
        n = dash.compute(asymmetry=c)
        assert n["grad_theory"] == pytest.approx(theory.residual_fixed_point_gradient(1.0, c, 0.3))
        tolerance = 0.02 + 0.1 * abs(n["grad_theory"])
        assert abs(n["grad_tiki_taka"] - n["grad_theory"]) < tolerance, (c, n)
        assert np.sign(n["grad_tiki_taka"]) == np.sign(c)
    zs = dash.compute(asymmetry=0.6, zero_shift=True)
    assert zs["grad_theory"] == 0 and abs(zs["grad_tiki_taka"]) < 0.02


def test_message_for_asymmetry_without_zero_shift():
    dash = widgets.tiki_taka_dashboard(asymmetry=0.3)
    msg = dash.message.value
    assert "symmetric point is +0.300" in msg and "zero_shift" in msg
    dash.sliders["zero_shift"].value = True
    assert "symmetric point" not in dash.message.value


def test_message_for_no_noise():
    dash = widgets.tiki_taka_dashboard(noise=0.0)
    assert "No noise" in dash.message.value
    n = dash.numbers
    assert n["grad_theory"] == 0
    # no floor without noise
    assert n["final_loss_analog"] < 1e-6 and n["final_loss_tiki_taka"] < 1e-3


def test_message_for_a_diverging_lr():
    # the slider's maximum; 2.5 > 2/L: digital SGD diverges
    dash = widgets.tiki_taka_dashboard(lr=2.5)
    assert dash.sliders["lr"].value == pytest.approx(2.5)
    assert 10 ** dash.sliders["lr"].max == pytest.approx(2.5)
    assert "diverged" in dash.message.value
    n = dash.numbers
    assert n["final_loss_digital"] == math.inf
    # the analog arrays stay bounded by the device: finite numbers, a figure, no exception
    assert math.isfinite(n["final_loss_analog"]) and math.isfinite(n["final_loss_tiki_taka"])
    assert bytes(dash.image.value).startswith(b"<svg")


def _bias(c, tau=1.0):
    """The message for a fast array with asymmetry c: LinearDevice's symmetric point is c tau."""
    return (
        f"The fast array's symmetric point is {c * tau:+.3f}, not 0: the transfer keeps pushing W "
        "and a bias returns (paper 2, Fig. 2). Tick zero_shift to subtract it."
    )


#: lr = 2.5 > 2/L = 2: digital SGD blows up
_DIVERGED = "Digital SGD diverged at lr = 2.5 (≥ 2/L = 2); its curve is left out."


@pytest.mark.parametrize(
    "values, message",
    [({"asymmetry": 0.9}, _bias(0.9)), ({"lr": 1.0, "transfer_lr": 1.0, "gamma": 1.0}, "")],
)
def test_extremes_draw_with_the_expected_message(values, message):
    dash = widgets.tiki_taka_dashboard(**values)
    assert dash.message.value == message and not dash.stale
    assert math.isfinite(dash.numbers["final_loss_tiki_taka"])
    assert bytes(dash.image.value).startswith(b"<svg")


@pytest.mark.parametrize(
    "values, messages",
    [
        ({"asymmetry": -0.9}, [_bias(-0.9)]),
        ({"asymmetry": 0.45, "tau": 2.0}, [_bias(0.45, tau=2.0)]),
        ({"tau": 0.55, "noise": 1.0}, []),
        ({"lr": 0.005, "transfer_lr": 0.001}, []),
        ({"lr": 2.5, "transfer_lr": 1.0, "gamma": 1.0, "asymmetry": 0.9}, [_DIVERGED, _bias(0.9)]),
    ],
)
def test_extremes_give_numbers_and_the_expected_messages(dash, values, messages):
    result = dash.result(**values)
    assert result.messages == messages
    assert math.isfinite(result.numbers["final_loss_tiki_taka"])
    assert math.isfinite(result.numbers["grad_theory"])


def test_image_changes_with_the_sliders(dash):
    before = dash.image.value
    dash.sliders["transfer_lr"].value = 0.01
    assert dash.image.value != before
    dash.sliders["transfer_lr"].value = dash.defaults["transfer_lr"]
    assert dash.image.value == before  # back at the defaults: the same picture, byte for byte
