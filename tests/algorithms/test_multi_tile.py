"""Multi-tile residual learning and mixed precision (paper 3), and few-state pulses."""

import numpy as np
import pytest

import analogkit as ak
from analogkit.algorithms.multi_tile import default_inner_steps

PROB = ak.Quadratic(L=[1.0, 2.0], w_star=[0.5, -0.3], noise=ak.GaussianNoise(0.2))
DEV = ak.LinearDevice(1.0, 0.2)
KW = dict(steps=300, trials=5, record_every=7, record_weights=True)
FIELDS = ("loss", "grad_norm2", "final_weights", "diverged")


def _same(a, b, fields=FIELDS):
    return all(np.array_equal(getattr(a, f), getattr(b, f)) for f in fields)


@pytest.mark.parametrize("pulse", [None, ak.PulseConfig(1e-2)], ids=["expected", "pulse"])
def test_one_tile_is_analog_sgd_bit_for_bit(pulse):
    a = ak.analog_sgd(PROB, DEV, 0.1, pulse=pulse, rng=np.random.default_rng(1), w0=0.1, **KW)
    b = ak.multi_tile(
        PROB, DEV, 0.1, 0.05, 0.3, tiles=1, pulse=pulse, rng=np.random.default_rng(1), w0=0.1, **KW
    )
    assert _same(a, b) and np.array_equal(a.weights, b.tiles["W0"])


@pytest.mark.parametrize("pulse", [None, ak.PulseConfig(1e-2)], ids=["expected", "pulse"])
@pytest.mark.parametrize("inner", [1, 4])
def test_two_tiles_are_residual_learning_bit_for_bit(pulse, inner):
    a = ak.tiki_taka(
        PROB,
        DEV,
        0.1,
        0.05,
        0.3,
        transfer_every=inner,
        zero_shift=True,
        pulse=pulse,
        rng=np.random.default_rng(2),
        **KW,
    )
    b = ak.multi_tile(
        PROB,
        DEV,
        0.1,
        0.05,
        0.3,
        tiles=2,
        inner_steps=inner,
        zero_shift=True,
        pulse=pulse,
        rng=np.random.default_rng(2),
        **KW,
    )
    assert _same(a, b)
    assert np.array_equal(a.weights, b.tiles["W0"]) and np.array_equal(a.fast, b.tiles["W1"])
    np.testing.assert_array_equal(a.effective_weights, b.effective_weights)


def test_lower_tiles_move_only_at_the_end_of_the_inner_loops():
    tr = ak.multi_tile(
        PROB,
        DEV,
        0.1,
        0.05,
        0.5,
        tiles=3,
        inner_steps=(3, 2),
        steps=24,
        trials=2,
        rng=np.random.default_rng(3),
        record_weights=True,
    )
    moved = {
        n: np.flatnonzero(np.any(np.diff(tr.tiles[n], axis=0) != 0, axis=(1, 2))) for n in tr.tiles
    }
    # record i holds the state before step i; tile 1 moves in steps k with (k+1) % 2 == 0,
    # tile 0 in steps with (k+1) % 6 == 0, tile 2 every step
    np.testing.assert_array_equal(moved["W2"], np.arange(24))
    np.testing.assert_array_equal(moved["W1"], np.arange(1, 24, 2))
    np.testing.assert_array_equal(moved["W0"], np.arange(5, 24, 6))
    np.testing.assert_allclose(
        tr.effective_weights, tr.tiles["W0"] + 0.5 * tr.tiles["W1"] + 0.25 * tr.tiles["W2"]
    )


def test_the_default_schedule_is_corollary_1s():
    assert default_inner_steps(0.3, 1) == ()
    assert default_inner_steps(0.3, 2) == (4,)  # ceil(1/0.3)
    assert default_inner_steps(0.3, 4) == (4, 4, 38)  # ceil(0.3^-3) = ceil(37.04)
    assert default_inner_steps(0.5, 3) == (2, 4)  # exact powers stay exact
    tr = ak.multi_tile(
        PROB, DEV, 0.1, 0.09, 0.3, tiles=3, steps=0, trials=1, rng=np.random.default_rng(0)
    )
    assert tr.meta["inner_steps"] == (4, 12)


def test_warm_start_fills_the_tiles_in_order():
    tr = ak.multi_tile(
        PROB,
        DEV,
        0.1,
        0.05,
        0.5,
        tiles=3,
        inner_steps=(2, 2),
        warm_start=8,
        steps=16,
        trials=2,
        rng=np.random.default_rng(4),
        record_weights=True,
    )
    moved = {
        n: np.flatnonzero(np.any(np.diff(tr.tiles[n], axis=0) != 0, axis=(1, 2))) for n in tr.tiles
    }
    # steps 0-7 fill W0 every 2 steps, steps 8-15 fill W1 every 2 steps, then the cascade
    np.testing.assert_array_equal(moved["W0"], [1, 3, 5, 7])
    np.testing.assert_array_equal(moved["W1"], [9, 11, 13, 15])


@pytest.mark.parametrize(
    "kw, exc, match",
    [
        (dict(tiles=0), ValueError, "tiles"),
        (dict(tiles=13), ValueError, r"tiles must lie in \[1, 12\]"),
        (dict(tiles=2.0), TypeError, "tiles"),
        (dict(gamma=1.0), ValueError, r"gamma must lie in \(0, 1\)"),
        (dict(gamma=0.0), ValueError, "gamma"),
        (dict(inner_steps=(2,)), ValueError, "one inner-loop length per tile"),
        (dict(inner_steps=0), ValueError, "inner_steps"),
        (dict(inner_steps=(10**7, 10**7)), ValueError, "once every"),
        (dict(warm_start=-1), ValueError, "warm_start"),
        (dict(pulse=ak.PulseConfig(1.5)), ValueError, "two states"),
    ],
)
def test_multi_tile_checks_its_inputs(kw, exc, match):
    args = dict(tiles=3, gamma=0.3)
    args.update(kw)
    gamma = args.pop("gamma")
    with pytest.raises(exc, match=match):
        ak.multi_tile(
            PROB, DEV, 0.1, 0.05, gamma, steps=5, trials=2, rng=np.random.default_rng(0), **args
        )


# -- mixed precision ---------------------------------------------------------------------------------


def test_mixed_precision_on_an_ideal_device_is_quantised_sgd_written_out():
    dw, lr, steps, trials = 0.01, 0.1, 200, 4
    tr = ak.mixed_precision(
        PROB,
        ak.IdealDevice(),
        lr,
        pulse=ak.PulseConfig(dw),
        steps=steps,
        trials=trials,
        rng=np.random.default_rng(5),
    )
    rng = np.random.default_rng(5)
    W, chi = np.zeros((trials, 2)), np.zeros((trials, 2))
    L, w_star = np.array([1.0, 2.0]), np.array([0.5, -0.3])
    for _ in range(steps):
        g = (W - w_star) * L + 0.2 * rng.standard_normal(W.shape)
        chi = chi + (-lr) * g
        n = np.trunc(chi / dw)
        W = W + n * dw
        chi = chi - n * dw
    np.testing.assert_allclose(tr.final_weights, W, rtol=0, atol=1e-12)
    np.testing.assert_allclose(tr.meta["final_accumulator"], chi, rtol=0, atol=1e-12)
    # every weight sits on the grid dw * integers
    np.testing.assert_allclose(tr.final_weights / dw, np.round(tr.final_weights / dw), atol=1e-6)


def test_mixed_precision_needs_a_pulse_config():
    with pytest.raises(TypeError, match="PulseConfig"):
        ak.mixed_precision(
            PROB, DEV, 0.1, pulse=None, steps=5, trials=2, rng=np.random.default_rng(0)
        )


# -- few states --------------------------------------------------------------------------------------


def test_for_states_sets_the_granularity_and_checks_it():
    dev = ak.LinearDevice(tau=1.0)
    p = ak.PulseConfig.for_states(dev, n_states=10, cycle_noise=0.1)
    assert p.dw_min == pytest.approx(0.2) and p.cycle_noise == 0.1
    assert p.states(dev) == pytest.approx(10)
    assert ak.PulseConfig.for_states(ak.SoftBoundsDevice(-0.8, 1.2), 4).dw_min == pytest.approx(0.5)
    with pytest.raises(ValueError, match="n_states must be an integer >= 2"):
        ak.PulseConfig.for_states(dev, 1)
    with pytest.raises(TypeError, match="n_states"):
        ak.PulseConfig.for_states(dev, 4.5)
    with pytest.raises(ValueError, match="finite range"):
        ak.PulseConfig.for_states(ak.IdealDevice(), 4)
    with pytest.raises(TypeError, match="dw_min"):
        ak.PulseConfig.for_states(dev, 4, dw_min=0.1)


@pytest.mark.parametrize("lr", [0.02, 0.005])
def test_lemma_1_quantisation_noise_has_mean_0_and_variance_lr_dw_min_g(lr):
    """Paper 3 Lemma 1: a pulsed step lr*g becomes lr*g + zeta, E zeta = 0, Var zeta = Theta(lr
    dw_min). On an ideal device with stochastic rounding zeta = dw_min (n - u), n ~ Bernoulli(u),
    u = lr|g|/dw_min < 1, so Var zeta = dw_min * lr|g| - (lr g)^2: the constant is |g| (1 - u)."""
    dw, g, n = 0.1, 0.7, 400_000
    out = ak.pulse_update(
        ak.IdealDevice(), np.zeros(n), -lr * g, ak.PulseConfig(dw), np.random.default_rng(6)
    )
    zeta = out - (-lr * g)
    var = dw * lr * g - (lr * g) ** 2
    se_mean = np.sqrt(var / n)
    assert abs(zeta.mean()) < 4 * se_mean
    # the sample variance of a two-point law: SE of the variance ~ sqrt((mu4 - var^2)/n)
    mu4 = np.mean((zeta - zeta.mean()) ** 4)
    assert abs(zeta.var() - var) < 4 * np.sqrt((mu4 - var**2) / n)
    assert zeta.var() / (lr * dw) == pytest.approx(g * (1 - lr * g / dw), rel=0.02)
