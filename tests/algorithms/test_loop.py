"""The training loop every algorithm shares: pulse mode, records, divergence, determinism, inputs."""

import numpy as np
import pytest

import analogkit as ak
from tests.algorithms.stats import QUAD, tail_stats

# --------------------------------------------------------------------------------------------
# pulse level, TTv2 / RLv2
# --------------------------------------------------------------------------------------------


def test_pulse_level_agrees_with_expected_update_as_dw_min_shrinks():
    # Analog SGD on the 1-D problem, ALD tau = 1, lr = 0.02: compare stationary mean weights.
    # Allowance: n pulses compose to an exponential, not the linear U_q, an O(dW^2/tau^2) gap
    # (paper 1 eqs. (19)-(20)) that shifts the mean by ~ lr E[(g+eps)^2] |w| / (2 tau^2 * 1.25)
    # ~ 1e-4 here; allow 3e-4 plus 4 combined SE
    lr, kw = 0.02, dict(steps=2500, trials=400, w0=0.4, record_every=5, record_weights=True)
    exp = tail_stats(
        ak.analog_sgd(QUAD, ak.LinearDevice(1.0), lr, rng=np.random.default_rng(1), **kw),
        fraction=0.8,
    )
    for dw_min in (1e-3, 1e-4):
        pulse = ak.PulseConfig(dw_min=dw_min)
        tr = ak.analog_sgd(
            QUAD, ak.LinearDevice(1.0), lr, pulse=pulse, rng=np.random.default_rng(2), **kw
        )
        m, se = tail_stats(tr, fraction=0.8)
        assert abs(m - exp[0]) < 3e-4 + 4 * np.hypot(se, exp[1])


def test_pulse_mode_runs_for_every_algorithm():
    prob = ak.Quadratic(L=1.0, w_star=0.3, dim=2, noise=ak.GaussianNoise(0.1))
    pulse = ak.PulseConfig(dw_min=1e-3, max_pulses=50, cycle_noise=0.1)
    kw = dict(steps=300, trials=5, rng=np.random.default_rng(0), pulse=pulse, record_every=50)
    dev = ak.LinearDevice(1.0)
    for tr in (
        ak.analog_sgd(prob, dev, 0.1, **kw),
        ak.tiki_taka(prob, dev, 0.1, 0.1, 0.2, zero_shift=True, **kw),
        ak.ttv2(prob, dev, 0.1, 0.1, decay=True, **kw),
    ):
        assert not tr.any_diverged
        assert np.all(np.abs(tr.final_weights) <= 1.0)
        assert tr.mean_loss()[-1] < tr.mean_loss()[0]


# --------------------------------------------------------------------------------------------
# trace bookkeeping, divergence, determinism, input validation
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "steps, every, expected", [(103, 10, 12), (100, 10, 11), (0, 5, 1), (7, 1, 8)]
)
def test_record_every_and_final_step(steps, every, expected):
    prob = ak.Quadratic(L=1.0, w_star=0.5, dim=2, noise=ak.GaussianNoise(0.1))
    tr = ak.analog_sgd(
        prob,
        ak.LinearDevice(1.0),
        0.1,
        steps=steps,
        trials=3,
        rng=np.random.default_rng(0),
        record_every=every,
        record_weights=True,
    )
    assert tr.n_records == expected
    assert tr.steps[0] == 0 and tr.steps[-1] == steps
    assert np.all(tr.steps[1:-1] % every == 0)
    assert tr.loss.shape == tr.grad_norm2.shape == (expected, 3)
    assert tr.weights.shape == (expected, 3, 2)
    assert tr.fast is None and tr.final_fast is None
    np.testing.assert_array_equal(tr.weights[-1], tr.final_weights)
    np.testing.assert_allclose(tr.loss[-1], prob.excess_loss(tr.final_weights))


def test_weights_not_recorded_by_default():
    tr = ak.tiki_taka(
        QUAD, ak.LinearDevice(1.0), 0.1, 0.1, steps=10, trials=2, rng=np.random.default_rng(0)
    )
    assert tr.weights is None and tr.fast is None and tr.effective_weights is None
    assert tr.final_fast.shape == (2, 1)
    with pytest.raises(ValueError, match="record_weights"):
        tr.tail_mean("weights")


def test_divergence_is_flagged_and_warned():
    prob = ak.Quadratic(L=1.0, w_star=0.5, dim=2, noise=ak.GaussianNoise(0.1))
    # lr > 2/L: |1 - lr L| = 1.5 > 1, the weights grow past 1e100 after ~570 steps
    with pytest.warns(RuntimeWarning, match=r"3 of 3 trials diverged"):
        tr = ak.digital_sgd(
            prob, 2.5, steps=2000, trials=3, rng=np.random.default_rng(0), record_every=50
        )
    assert tr.any_diverged and tr.diverged.all()
    assert np.all(tr.diverged_step > 0) and np.all(tr.diverged_step % 50 == 0)
    first = np.searchsorted(tr.steps, tr.diverged_step.min())
    assert np.all(np.isfinite(tr.loss[:first]))
    assert np.all(np.isnan(tr.loss[first:]))
    assert np.all(np.isnan(tr.final_weights))
    assert np.all(np.isnan(tr.mean_loss()))


def test_only_diverging_trials_are_flagged():
    prob = ak.Quadratic(L=1.0, w_star=0.0)
    # lr > 2/L multiplies w - w* by -1.5 per step: from 1e90 it passes 1e100 after ~60 steps;
    # the trial started exactly at w* = 0 (noiseless) never moves
    w0 = np.array([[0.0], [1e90]])
    with pytest.warns(RuntimeWarning, match="1 of 2"):
        tr = ak.digital_sgd(
            prob, 2.5, steps=200, trials=2, rng=np.random.default_rng(0), w0=w0, record_every=10
        )
    assert tr.diverged.tolist() == [False, True]
    assert tr.diverged_step[0] == -1 and 0 < tr.diverged_step[1] <= 70
    assert tr.final_weights[0, 0] == 0.0 and np.isnan(tr.final_weights[1, 0])
    np.testing.assert_array_equal(tr.mean_loss(), tr.loss[:, 0])
    assert tr.tail_mean("loss", 0.5) == 0.0


def test_no_warning_without_divergence(recwarn):
    ak.analog_sgd(
        QUAD, ak.LinearDevice(1.0), 0.1, steps=100, trials=3, rng=np.random.default_rng(0)
    )
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize("algorithm", ["digital", "analog", "analog_pulse", "tiki_taka", "ttv2"])
def test_same_seed_same_trace(algorithm):
    prob = ak.LeastSquares.random(
        np.random.default_rng(0), dim=4, rows=9, noise=ak.GaussianNoise(0.05)
    )
    dev = ak.LinearDevice(1.0, asymmetry=0.1)
    kw = dict(
        steps=60, trials=3, record_every=7, record_weights=True, w0=lambda r, s: r.normal(0, 0.1, s)
    )
    run = {
        "digital": lambda rng: ak.digital_sgd(prob, 0.1, rng=rng, **kw),
        "analog": lambda rng: ak.analog_sgd(prob, dev, 0.1, rng=rng, **kw),
        "analog_pulse": lambda rng: ak.analog_sgd(
            prob, dev, 0.1, rng=rng, pulse=ak.PulseConfig(1e-3), **kw
        ),
        "tiki_taka": lambda rng: ak.tiki_taka(
            prob, dev, 0.1, 0.1, 0.3, read_noise=0.01, rng=rng, **kw
        ),
        "ttv2": lambda rng: ak.ttv2(
            prob, dev, 0.1, 0.1, decay=True, read_noise=0.01, rng=rng, **kw
        ),
    }[algorithm]
    a, b = run(np.random.default_rng(5)), run(np.random.default_rng(5))
    for name in ("loss", "grad_norm2", "weights", "final_weights"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    c = run(np.random.default_rng(6))
    assert not np.array_equal(a.final_weights, c.final_weights)


def test_w0_forms_and_clipping():
    prob = ak.Quadratic(L=1.0, w_star=[0.1, 0.2, 0.3])
    kw = dict(steps=0, trials=2, rng=np.random.default_rng(0), record_weights=True)
    tr = ak.digital_sgd(prob, 0.1, w0=[1.0, 2.0, 3.0], **kw)
    np.testing.assert_array_equal(tr.weights[0], [[1.0, 2.0, 3.0]] * 2)
    tr = ak.digital_sgd(prob, 0.1, w0=np.array([[1.0], [2.0]]), **kw)
    np.testing.assert_array_equal(tr.weights[0], [[1.0] * 3, [2.0] * 3])
    tr = ak.digital_sgd(prob, 0.1, w0=lambda rng, shape: np.full(shape, 7.0), **kw)
    np.testing.assert_array_equal(tr.weights[0], 7.0)
    # outside the device range: clipped into it (like aihwkit's hard bounds)
    tr = ak.analog_sgd(prob, ak.LinearDevice(1.5), 0.1, w0=[-3.0, 0.5, 1e3], **kw)
    np.testing.assert_array_equal(tr.weights[0], [[-1.5, 0.5, 1.5]] * 2)


def test_device_to_device_variation_broadcasts():
    prob = ak.Quadratic(L=1.0, w_star=0.2, dim=3, noise=ak.GaussianNoise(0.1))
    dev = ak.vary(ak.LinearDevice(1.0), np.random.default_rng(0), (4, 3), tau=0.1)
    tr = ak.analog_sgd(prob, dev, 0.1, steps=20, trials=4, rng=np.random.default_rng(1))
    assert tr.final_weights.shape == (4, 3)
    too_big = ak.vary(ak.LinearDevice(1.0), np.random.default_rng(0), (5, 3), tau=0.1)
    with pytest.raises(ValueError, match="device"):
        ak.analog_sgd(prob, too_big, 0.1, steps=20, trials=4, rng=np.random.default_rng(1))


def _call(algorithm, **override):
    prob = ak.Quadratic(L=1.0, w_star=0.5, dim=2, noise=ak.GaussianNoise(0.1))
    kw = dict(steps=10, trials=2, rng=np.random.default_rng(0))
    kw.update(override)
    dev = ak.LinearDevice(1.0)
    if algorithm == "digital":
        return ak.digital_sgd(kw.pop("problem", prob), kw.pop("lr", 0.1), **kw)
    if algorithm == "analog":
        return ak.analog_sgd(
            kw.pop("problem", prob), kw.pop("device", dev), kw.pop("lr", 0.1), **kw
        )
    if algorithm == "tiki_taka":
        return ak.tiki_taka(
            kw.pop("problem", prob),
            kw.pop("device", dev),
            kw.pop("lr", 0.1),
            kw.pop("transfer_lr", 0.1),
            **kw,
        )
    return ak.ttv2(
        kw.pop("problem", prob),
        kw.pop("device", dev),
        kw.pop("lr", 0.1),
        kw.pop("transfer_lr", 0.1),
        **kw,
    )


BAD_COMMON = [
    (dict(lr=-0.1), ValueError, r"lr must lie in \[0"),
    (dict(lr=np.nan), ValueError, "lr must be finite"),
    (dict(lr="0.1"), TypeError, "lr"),
    (dict(lr=[0.1, 0.2]), ValueError, "lr must be a single number"),
    (dict(trials=0), ValueError, "trials must be an integer >= 1"),
    (dict(trials=2.0), TypeError, "trials"),
    (dict(steps=-1), ValueError, "steps"),
    (dict(record_every=0), ValueError, "record_every"),
    (dict(rng=0), TypeError, "Generator"),
    (dict(rng=np.random.RandomState(0)), TypeError, "Generator"),
    (dict(w0=np.zeros(3)), ValueError, r"w0 .*\(trials, dim\)"),
    (dict(w0=np.zeros((3, 2))), ValueError, "w0"),
    (dict(w0=np.nan), ValueError, "w0"),
    (dict(w0=lambda rng, shape: np.zeros(5)), ValueError, "w0"),
    (dict(record_weights=1), TypeError, "record_weights"),
    (dict(problem="quadratic"), TypeError, "problem"),
]


@pytest.mark.parametrize("algorithm", ["digital", "analog", "tiki_taka", "ttv2"])
@pytest.mark.parametrize("override, exc, match", BAD_COMMON)
def test_bad_input_raises(algorithm, override, exc, match):
    with pytest.raises(exc, match=match):
        _call(algorithm, **override)


@pytest.mark.parametrize(
    "algorithm, override, exc, match",
    [
        ("analog", dict(device="ald"), TypeError, "device"),
        ("analog", dict(pulse=1e-3), TypeError, "pulse"),
        ("tiki_taka", dict(transfer_lr=-1.0), ValueError, "transfer_lr"),
        ("tiki_taka", dict(gamma=-0.1), ValueError, "gamma"),
        ("tiki_taka", dict(transfer_every=0), ValueError, "transfer_every"),
        ("tiki_taka", dict(read_noise=-0.1), ValueError, "read_noise"),
        ("tiki_taka", dict(zero_shift="yes"), TypeError, "zero_shift"),
        ("tiki_taka", dict(fast_device=object()), TypeError, "fast_device"),
        ("ttv2", dict(threshold=0.0), ValueError, "threshold"),
        (
            "ttv2",
            dict(decay=True, transfer_lr=1.5),
            ValueError,
            r"transfer_lr must lie in \[0, 1\]",
        ),
        ("ttv2", dict(decay=None), TypeError, "decay"),
    ],
)
def test_bad_algorithm_specific_input_raises(algorithm, override, exc, match):
    with pytest.raises(exc, match=match):
        _call(algorithm, **override)


def test_huge_record_request_is_refused_before_allocating():
    with pytest.raises(ValueError, match="record_every"):
        _call("analog", steps=2 * 10**7, trials=1000, record_every=1)
