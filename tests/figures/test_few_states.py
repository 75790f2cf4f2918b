"""The few-states figure (paper 3 Thm 1/2): Analog SGD's floor with few states against theory,
and the side-by-side problems the notebook-05 figures run on."""

from __future__ import annotations

import numpy as np
import pytest

import analogkit as ak
from analogkit.figures.few_states import NOISE, W_STAR, SideBySide


def test_a_side_by_side_coordinate_is_the_unit_problem_scaled():
    """One coordinate with n states is the unit problem (w* = 0.3, range [-1, 1], dw_min = 2/n)
    scaled by tau = n dw_min / 2: with the same random numbers the trajectories agree."""
    side = SideBySide([10])
    kw = dict(steps=300, trials=50, record_every=1, record_weights=True)
    scaled = ak.analog_sgd(
        side.problem, side.device, 0.1, pulse=side.pulse, rng=np.random.default_rng(3), **kw
    )
    unit_device = ak.LinearDevice(1.0)
    unit = ak.analog_sgd(
        ak.Quadratic(L=1.0, w_star=W_STAR, noise=ak.GaussianNoise(NOISE)),
        unit_device,
        0.1,
        pulse=ak.PulseConfig.for_states(unit_device, 10),
        rng=np.random.default_rng(3),
        **kw,
    )
    np.testing.assert_allclose(scaled.weights / side.tau, unit.weights, rtol=0, atol=1e-9)
    assert side.mse(scaled) == pytest.approx(
        ((unit.weights[unit.tail_slice(0.5)] - W_STAR) ** 2).mean(), rel=1e-9
    )


def _rows(rows, noise, lr=0.1):
    return {
        n: rows[f"noise {noise:g}, lr={lr:g}, {n} states: mean (w - w*)^2"]
        for n in (4, 10, 40, 1000)
    }


def test_the_first_order_theory_holds_where_pulses_are_fine(rows):
    """With 1000 states the simulated floor sits on few_states_floor (quick: 100 trials, a few
    hundred correlated steps each: relative SE about 3 %, tolerance 10 %); with noise 0.3 it
    still does at 40 states."""
    r = rows["few_states_floor"]
    for noise in (0.3, NOISE):
        row = _rows(r, noise)[1000]
        assert row.value == pytest.approx(row.reference, rel=0.1), noise
    row = _rows(r, 0.3)[40]
    assert row.value == pytest.approx(row.reference, rel=0.1)


def test_the_first_order_theory_is_low_for_coarse_pulses(rows):
    """Recorded, so that a change is seen: at 4 states the simulated floor is about twice the
    theory's at noise 0.3 and three times at noise 0.05 (one pulse is a quarter of the range)."""
    r = rows["few_states_floor"]
    assert 1.6 < _rows(r, 0.3)[4].value / _rows(r, 0.3)[4].reference < 2.3
    assert 2.5 < _rows(r, NOISE)[4].value / _rows(r, NOISE)[4].reference < 4.0
    assert _rows(r, NOISE)[10].value > 1.5 * _rows(r, NOISE)[10].reference


def test_no_learning_rate_removes_the_quantisation_floor(rows):
    """At 10 states and noise 0.05 the floor stays at about 0.009 from lr 0.5 to 0.02, while its
    gradient-noise part (theory, without the quantisation term) falls six-fold."""
    r = rows["few_states_floor"]
    lrs = (0.5, 0.1, 0.02)
    floors = [r[f"noise {NOISE:g}, 10 states, lr={lr:g}: mean (w - w*)^2"].value for lr in lrs]
    assert max(floors) < 1.3 * min(floors), floors
    th = [ak.theory.few_states_floor(1.0, W_STAR, 1.0, NOISE, lr, 10) for lr in lrs]
    gradient_only = [f.mse - f.var_quantisation for f in th]
    assert gradient_only[0] > 5 * gradient_only[-1]
    assert min(floors) > 20 * gradient_only[-1]
    # what is left is at least the theory's quantisation term at lr -> 0
    row = r[f"noise {NOISE:g}, 10 states, lr=0.02: simulated - gradient-only theory"]
    assert row.value > row.reference > 0
