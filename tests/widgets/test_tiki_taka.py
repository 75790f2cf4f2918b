"""The Tiki-Taka dashboard (notebook 04): what it computes and draws moves the way theory says.

Plain pytest, no browser: build the dashboard, set slider values, read ``dash.numbers`` /
``dash.compute(...)``, ``dash.message.value`` and the SVG in ``dash.image.value``. The dashboard
runs 200 seeded trials of f = (w - 0.5)^2/2: digital and Analog SGD for 800 steps (more at the
smallest lr), Tiki-Taka for as many as its slower array needs (800 to 3000).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from analogkit import theory, widgets
from analogkit.widgets import runs
from analogkit.widgets.tiki_taka import (
    MAX_STEPS,
    MIN_STEPS,
    NO_NOISE_GAMMA,
    NO_NOISE_GAMMA0,
    THEORY_LEFT_OUT,
    tiki_taka_steps,
)

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


def test_error_falls_down_to_the_smallest_transfer_lr(dash):
    # notebook 04's "lower transfer_lr at fixed lr and watch Tiki-Taka's error fall" holds over the
    # whole slider, its minimum 0.001 included (with 800 fixed steps W was still rising there)
    rates = (1.0, 0.3, 0.05, 0.01, 0.003, 0.001)
    results = [dash.result(transfer_lr=t) for t in rates]
    losses = [r.numbers["final_loss_tiki_taka"] for r in results]
    assert all(a > b for a, b in zip(losses, losses[1:])), losses
    assert all(r.messages == [] for r in results), [r.messages for r in results]
    # and the smallest has settled: four times the steps leave its error within 25 %
    n = results[-1].numbers
    assert n["steps_tiki_taka"] < MAX_STEPS
    longer = runs.tiki_taka(
        0.5, 0.3, 0.1, 0.001, 0.0, 1.0, 0.0, False, 4 * int(n["steps_tiki_taka"])
    )
    assert longer.tail_mean("loss") == pytest.approx(losses[-1], rel=0.25)


def test_steps_follow_the_slower_array():
    # the main array follows at transfer_lr/lam, the fast one relaxes at lr lam
    lam = 0.3 * math.sqrt(2 / math.pi)  # noise 0.3, tau 1, gamma 0
    assert tiki_taka_steps(0.1, 0.05, 0.0, 1.0, 0.3) == MIN_STEPS  # both fast: the floor
    slow_transfer = tiki_taka_steps(0.1, 0.001, 0.0, 1.0, 0.3)
    assert slow_transfer == 100 * math.ceil(8 * (1 / (0.1 * lam) + lam / 0.001) / 100)
    assert tiki_taka_steps(0.1, 0.003, 0.0, 1.0, 0.3) < slow_transfer
    assert tiki_taka_steps(0.005, 0.05, 0.0, 1.0, 0.3) == MAX_STEPS  # 1/(lr lam) = 835: capped
    assert tiki_taka_steps(0.1, 0.05, 0.0, 1.0, 0.0) == MAX_STEPS  # no noise, gamma 0: no pull


def test_smallest_lr_has_enough_steps(dash):
    # at lr 0.005 the fast array needs ~800 steps per time constant: 800 in all left Tiki-Taka
    # above Analog SGD; now it ends well below, with no note
    r = dash.result(lr=0.005)
    assert r.numbers["steps_tiki_taka"] == MAX_STEPS and r.messages == []
    assert r.numbers["final_loss_tiki_taka"] < 0.6 * r.numbers["final_loss_analog"]


def test_a_run_cut_short_says_not_converged(dash):
    # both rates at their minimum: 3000 steps are not enough, and the message says so
    r = dash.result(lr=0.005, transfer_lr=0.001)
    assert r.messages == [
        "Tiki-Taka has not converged yet: its loss is still changing at the last step."
    ]


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


def test_message_for_no_noise(dash):
    r = dash.result(noise=0.0)
    assert r.messages == [NO_NOISE_GAMMA0] and "oscillating" in NO_NOISE_GAMMA0
    n = r.numbers
    assert n["grad_theory"] == 0 and "thm4_ratio_33pmax2_over_tau2" not in n  # Thm 4 needs noise
    # no floor without noise for digital and Analog SGD ...
    assert n["final_loss_digital"] < 1e-12 and n["final_loss_analog"] < 1e-12
    # ... while Tiki-Taka at gamma = 0 still swings about w*: its weight crosses w* late in the run
    w = r.data["tt"].weights[:, :, 0].mean(axis=1)
    late = w[len(w) // 2 :] - 0.5
    assert n["final_loss_tiki_taka"] > 1e-6 and late.min() < 0 < late.max()
    # with gamma > 0 it converges as well, and the message says so
    r = dash.result(noise=0.0, gamma=0.3)
    assert r.messages == [NO_NOISE_GAMMA] and r.numbers["final_loss_tiki_taka"] < 1e-9


def test_message_for_a_diverging_lr():
    # the slider's maximum; 2.5 > 2/L: digital SGD diverges
    dash = widgets.tiki_taka_dashboard(lr=2.5)
    assert dash.sliders["lr"].value == pytest.approx(2.5)
    assert 10 ** dash.sliders["lr"].max == pytest.approx(2.5)
    assert "diverged" in dash.message.value
    n = dash.numbers
    assert "final_loss_digital" not in n  # a diverged run has no final loss
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
    [({"asymmetry": 0.9}, _bias(0.9)), ({"lr": 1.0, "transfer_lr": 1.0, "gamma": 1.0}, None)],
)
def test_extremes_draw_with_the_expected_message(values, message):
    dash = widgets.tiki_taka_dashboard(**values)
    if message is None:  # all three rates at 1: Tiki-Taka ends far above its start, and says so
        assert "Tiki-Taka ends with a loss above its start in 200 of 200" in dash.message.value
        assert dash.numbers["final_loss_tiki_taka"] > 10 * 0.125
    else:
        assert dash.message.value == message
    assert not dash.stale
    assert math.isfinite(dash.numbers["final_loss_tiki_taka"])
    assert bytes(dash.image.value).startswith(b"<svg")


def test_theory_line_only_for_a_settled_run(dash):
    # a shifted fast array: the line w* + cE|g+eps| is drawn for a healthy, settled run ...
    dash.set(asymmetry=0.3, gamma=0.4)
    assert "theory: W + γP" in bytes(dash.image.value).decode()
    assert THEORY_LEFT_OUT not in dash.message.value
    # ... and left out, with the reason, where the run saturates and ends above its start
    dash.set(lr=1.0, transfer_lr=1.0, gamma=1.0)
    assert "theory: W + γP" not in bytes(dash.image.value).decode()
    assert THEORY_LEFT_OUT in dash.message.value


def test_zero_shift_is_disabled_where_it_does_nothing(dash):
    # at asymmetry 0 the symmetric point is 0: zero-shifting subtracts nothing
    assert dash.sliders["zero_shift"].disabled
    assert dash.compute(zero_shift=True) == dash.compute(zero_shift=False)
    dash.set(asymmetry=0.3)
    assert not dash.sliders["zero_shift"].disabled


@pytest.mark.parametrize(
    "values, messages",
    [
        ({"asymmetry": -0.9}, [_bias(-0.9)]),
        ({"asymmetry": 0.45, "tau": 2.0}, [_bias(0.45, tau=2.0)]),
        ({"tau": 0.55, "noise": 1.0}, []),
        ({"lr": 0.005}, []),
        (
            {"lr": 2.5, "transfer_lr": 1.0, "gamma": 1.0, "asymmetry": 0.9},
            [
                _DIVERGED,
                "Analog SGD saturated: in 155 of 200 trials most weights end pinned at the device "
                "bounds.",
                "Analog SGD ends with a loss above its start in 167 of 200 trials: the steps are too "
                "large for the device.",
                "Tiki-Taka saturated: in 68 of 200 trials most weights end pinned at the device "
                "bounds.",
                "Tiki-Taka ends with a loss above its start in 43 of 200 trials: the steps are too "
                "large for the device.",
                _bias(0.9),
                THEORY_LEFT_OUT,
            ],
        ),
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
