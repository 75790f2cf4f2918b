"""The training core: tiles, rules and the one loop, checked against hand-written numpy loops."""

import numpy as np
import pytest

import analogkit as ak
from analogkit.algorithms import Rule, Tile, train

L, W_STAR, STD, LR = np.array([1.0, 2.0]), np.array([0.5, -0.3]), 0.2, 0.1


def _problem():
    return ak.Quadratic(L=L, w_star=W_STAR, noise=ak.GaussianNoise(STD))


def test_digital_sgd_equals_a_hand_written_loop_bit_for_bit():
    steps, trials = 40, 5
    tr = ak.digital_sgd(
        _problem(), LR, steps=steps, trials=trials, rng=np.random.default_rng(3), w0=0.1
    )
    rng = np.random.default_rng(3)
    W = np.full((trials, 2), 0.1)
    for _ in range(steps):
        g = (W - W_STAR) * L + STD * rng.standard_normal(W.shape)
        W = W + (-LR) * g
    assert np.array_equal(tr.final_weights, W)


def test_analog_sgd_on_the_ald_equals_paper_1_eq_3_written_out():
    """W <- W - lr g - (lr/tau)|g| W (paper 1 eq. (3)), noise inside the absolute value."""
    tau, steps, trials = 1.5, 40, 5
    tr = ak.analog_sgd(
        _problem(),
        ak.LinearDevice(tau),
        LR,
        steps=steps,
        trials=trials,
        rng=np.random.default_rng(4),
    )
    rng = np.random.default_rng(4)
    W = np.zeros((trials, 2))
    for _ in range(steps):
        g = (W - W_STAR) * L + STD * rng.standard_normal(W.shape)
        W = np.clip(W - LR * g - (LR / tau) * np.abs(g) * W, -tau, tau)
    np.testing.assert_allclose(tr.final_weights, W, rtol=0, atol=1e-15)


class SignSGD(Rule):
    """A rule written outside the package: W <- W - lr sign(g) on a digital tile."""

    name = "sign_sgd"

    def __init__(self, tile, lr):
        self.tiles = {"W": tile}
        self.mixing = {"W": 1.0}
        self.lr = lr

    def read(self):
        return self.tiles["W"].value()

    def step(self, g, k, rng):
        self.tiles["W"].write(-self.lr * np.sign(g), rng)


def test_a_new_rule_runs_through_the_one_loop_with_named_metrics():
    steps, trials = 30, 4
    prob = _problem()
    rule = SignSGD(Tile(None, (trials, 2)), 0.05)
    tr = train(
        prob,
        rule,
        steps=steps,
        rng=np.random.default_rng(5),
        record_every=10,
        record_weights=True,
        metrics={"distance": lambda W: np.abs(W - W_STAR).sum(axis=1)},
        meta={"algorithm": "sign_sgd"},
    )
    rng = np.random.default_rng(5)
    W = np.zeros((trials, 2))
    for _ in range(steps):
        W = W + -0.05 * np.sign((W - W_STAR) * L + STD * rng.standard_normal(W.shape))
    assert np.array_equal(tr.final_weights, W)
    assert tr.steps.tolist() == [0, 10, 20, 30]
    np.testing.assert_array_equal(tr.metrics["distance"][-1], np.abs(W - W_STAR).sum(axis=1))
    assert tr.tail_mean("distance", 0.25) == pytest.approx(np.abs(W - W_STAR).sum(axis=1).mean())
    assert list(tr.tiles) == ["W"] and tr.meta["mixing"] == {"W": 1.0}


def test_two_array_traces_hold_one_array_per_tile_and_their_mixing():
    tr = ak.tiki_taka(
        _problem(),
        ak.LinearDevice(1.0),
        0.1,
        0.05,
        0.4,
        steps=20,
        trials=3,
        rng=np.random.default_rng(6),
        record_weights=True,
    )
    assert list(tr.tiles) == ["W", "P"] and list(tr.final) == ["W", "P"]
    assert tr.meta["mixing"] == {"W": 1.0, "P": 0.4}
    np.testing.assert_array_equal(tr.effective_weights, tr.tiles["W"] + 0.4 * tr.tiles["P"])
    W_eff = tr.final_effective_weights
    np.testing.assert_allclose(tr.loss[-1], _problem().excess_loss(W_eff))


def test_a_finished_trace_cannot_be_changed():
    tr = ak.ttv2(
        _problem(),
        ak.LinearDevice(1.0),
        0.1,
        0.5,
        steps=5,
        trials=2,
        rng=np.random.default_rng(0),
        record_weights=True,
    )
    arrays = [tr.steps, tr.loss, tr.grad_norm2, tr.weights, tr.fast, tr.final_weights]
    arrays += [tr.final_fast, tr.diverged, tr.diverged_step, tr.meta["final_buffer"]]
    for arr in arrays:
        with pytest.raises(ValueError, match="read-only"):
            arr[...] = 0
    with pytest.raises(TypeError):
        tr.metrics["loss"] = np.zeros(3)


def test_zero_shift_tile_reads_against_its_symmetric_point():
    dev = ak.LinearDevice(1.0, 0.3)
    tile = Tile(dev, (2, 3), reference="symmetric point")
    np.testing.assert_array_equal(tile.conductance, 0.3)
    np.testing.assert_array_equal(tile.value(), 0.0)
    tile.write(np.full((2, 3), 0.1), None)
    np.testing.assert_allclose(tile.value(), 0.1 * dev.q_plus(0.3), rtol=1e-15)
    dynamic = Tile(dev, (2, 3), reference="dynamic")
    dynamic.reference[:] = 0.25
    np.testing.assert_allclose(dynamic.value(), -0.25)
    with pytest.raises(ValueError, match="reference"):
        Tile(dev, (2, 3), reference="mean")
    with pytest.raises(ValueError, match="digital"):
        Tile(None, (2, 3), reference="symmetric point")


class FiniteOnly(ak.Quadratic):
    """A quadratic whose gradient, like a noise model defined on a bounded range, refuses
    non-finite weights: a diverged trial that is not restarted crashes the whole run."""

    def _grad(self, W):
        if not np.all(np.isfinite(W)):
            raise FloatingPointError("non-finite weights reached the gradient")
        return super()._grad(W)


def test_diverged_trials_are_restarted_so_they_never_poison_the_run():
    # lr > 2/L: |w| grows 1.5-fold per step, passes 1e100 near step 570 and would overflow to
    # inf near step 1750; the restart at each detection keeps it finite
    prob = FiniteOnly(L=1.0, w_star=[0.5, -0.5], noise=ak.GaussianNoise(0.1))
    w0 = np.array([[0.0, 0.0], [1e-3, 1e-3]])
    with pytest.warns(ak.DivergenceWarning):
        tr = ak.digital_sgd(
            prob, 2.5, steps=4000, trials=2, rng=np.random.default_rng(0), w0=w0, record_every=10
        )
    assert tr.diverged.all() and np.all(tr.diverged_step < 700)


def test_a_finished_traces_meta_cannot_be_changed():
    tr = ak.tiki_taka(
        _problem(),
        ak.LinearDevice(1.0),
        0.1,
        0.05,
        0.3,
        steps=3,
        trials=2,
        rng=np.random.default_rng(0),
    )
    with pytest.raises(TypeError):
        tr.meta["gamma"] = 0.0
