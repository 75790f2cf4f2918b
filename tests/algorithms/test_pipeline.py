"""ak.pipeline: S = 1 is the plain algorithm bit for bit, the asynchronous staleness and the
synchronous averaging against independent recurrences, the cycle and sample counts, one gradient
per step for every algorithm, validation; and the DeepLinear problem it trains."""

import warnings

import numpy as np
import pytest

import analogkit as ak
from analogkit.algorithms.pipeline import ALGORITHMS, Pipelined, stage_slices
from analogkit.networks import DeepLinear

DEV = ak.LinearDevice(tau=0.7)


def _net(**kw):
    return DeepLinear(3, 4, rng=np.random.default_rng(0), batch=2, **kw)


def _same(a, b):
    assert np.array_equal(a.steps, b.steps)
    assert a.metrics.keys() == b.metrics.keys()
    for name in a.metrics:
        assert np.array_equal(a.metrics[name], b.metrics[name], equal_nan=True), name
    for name in a.final:
        assert np.array_equal(a.final[name], b.final[name], equal_nan=True), name


RUNS = {
    "analog_sgd": (ak.analog_sgd, dict(device=DEV, lr=0.01)),
    "tiki_taka": (ak.tiki_taka, dict(device=DEV, lr=0.01, transfer_lr=0.003, gamma=0.5)),
}


@pytest.mark.parametrize("name", sorted(RUNS))
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("problem", ["deep_linear", "quadratic"])
def test_one_stage_is_the_plain_algorithm_bit_for_bit(name, mode, problem):
    fn, kw = RUNS[name]
    if problem == "deep_linear":
        prob = _net()
        w0 = prob.init(6)
    else:
        prob = ak.Quadratic(L=1.0, w_star=0.3, dim=3, noise=ak.GaussianNoise(0.3))
        w0 = 0.0
    run = dict(steps=300, trials=6, w0=w0, record_every=7, **kw)
    plain = fn(prob, rng=np.random.default_rng(5), **run)
    piped = ak.pipeline(
        prob, fn, stages=1, mode=mode, micro_batches=1, rng=np.random.default_rng(5), **run
    )
    _same(plain, piped)
    assert piped.meta["problem"] is prob


def _delayed_gd(S, steps, lr, L, w_star, w0):
    """Independent recurrence: coordinate s of S reads its own value S - 1 - s steps back."""
    hist = [np.full(S, w0, dtype=float)]
    for k in range(steps):
        cur = hist[-1]
        stale = np.array([hist[max(k - (S - 1 - s), 0)][s] for s in range(S)])
        hist.append(cur - lr * (L * (stale - w_star)))
    return hist[-1]


@pytest.mark.parametrize("S", [2, 3, 5])
def test_async_stage_s_reads_its_weights_S_minus_s_updates_old(S):
    prob = ak.Quadratic(L=1.0, w_star=1.0, dim=S)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ak.RunWarning)  # the delay-4 coordinate grows
        tr = ak.pipeline(
            prob,
            ak.digital_sgd,
            stages=S,
            mode="async",
            lr=0.6,
            steps=40,
            trials=2,
            rng=np.random.default_rng(0),
            w0=0.0,
        )
    expected = _delayed_gd(S, 40, 0.6, 1.0, 1.0, 0.0)
    np.testing.assert_allclose(tr.final_weights, np.broadcast_to(expected, (2, S)), rtol=1e-12)
    # lr L = 0.6 is stable without delay, unstable with delay 4 (limit 2 sin(pi/18) = 0.347)
    if S == 5:
        assert abs(tr.final_weights[0, 0] - 1.0) > abs(tr.final_weights[0, -1] - 1.0)


def test_async_on_a_network_uses_one_assembled_vector():
    """Every stage gets the gradient at the same assembled stale vector (checked against the
    network's own gradient there, without minibatch noise)."""
    net = DeepLinear(2, 3, rng=np.random.default_rng(1), batch=1, label_noise=0.0)
    wrapped = Pipelined(net, stage_slices(net, 3), "async", 1)
    rng = np.random.default_rng(0)
    Ws = [net.init(1) + 0.1 * rng.standard_normal((1, net.dim)) for _ in range(4)]
    for k, W in enumerate(Ws):
        g = wrapped.stochastic_grad(W, np.random.default_rng(k))
    sl = stage_slices(net, 3)
    stale = np.concatenate([Ws[1][:, sl[0]], Ws[2][:, sl[1]], Ws[3][:, sl[2]]], axis=1)
    np.testing.assert_array_equal(g, net.stochastic_grad(stale, np.random.default_rng(3)))
    assert wrapped.calls == 4


def test_sync_averages_M_micro_batch_gradients():
    """Digital SGD on a 1-D quadratic with noise s: the stationary variance is
    lr s^2 / (M L (2 - lr L)) with the mean of M gradients (an independent formula)."""
    lr, L, s, M, trials = 0.2, 1.0, 0.3, 4, 400
    prob = ak.Quadratic(L=L, w_star=0.0, noise=ak.GaussianNoise(s))
    tr = ak.pipeline(
        prob,
        ak.digital_sgd,
        stages=1,
        mode="sync",
        micro_batches=M,
        lr=lr,
        steps=400,
        trials=trials,
        rng=np.random.default_rng(3),
        w0=0.0,
        record_every=400,
    )
    w = tr.final_weights[:, 0]
    var = lr * s**2 / (M * L * (2 - lr * L))
    se = var * np.sqrt(2 / (trials - 1))
    assert abs(w.var(ddof=1) - var) < 4 * se
    assert abs(w.var(ddof=1) - M * var) > 10 * se  # not the M = 1 variance


@pytest.mark.parametrize("mode,M", [("sync", 3), ("async", None)])
def test_cycles_and_samples_of_every_record(mode, M):
    net = _net()
    S, steps = 4, 50
    tr = ak.pipeline(
        net,
        ak.analog_sgd,
        stages=S,
        mode=mode,
        micro_batches=M,
        device=DEV,
        lr=0.01,
        steps=steps,
        trials=2,
        rng=np.random.default_rng(0),
        w0=net.init(2),
        record_every=10,
    )
    k = tr.steps
    if mode == "sync":
        assert np.array_equal(tr.meta["cycles"], 2 * (3 + S - 1) * k)
        assert np.array_equal(tr.meta["samples"], 3 * 2 * k)
        assert tr.meta["pipeline"]["bubble"] == pytest.approx((S - 1) / (3 + S - 1))
    else:
        assert np.array_equal(tr.meta["cycles"], np.where(k > 0, 2 * (S - 1) + 2 * k, 0))
        assert np.array_equal(tr.meta["samples"], 2 * k)
    assert not tr.meta["cycles"].flags.writeable


ALL = {
    "digital_sgd": dict(lr=0.01),
    "analog_sgd": dict(device=DEV, lr=0.01),
    "tiki_taka": dict(device=DEV, lr=0.01, transfer_lr=0.01),
    "ttv2": dict(device=DEV, lr=0.01, transfer_lr=0.5, threshold=0.01),
    "multi_tile": dict(device=DEV, lr=0.01, transfer_lr=0.01, gamma=0.3, tiles=2),
    "mixed_precision": dict(device=DEV, lr=0.01, pulse=ak.PulseConfig(dw_min=0.01)),
    "c_ttv2": dict(device=DEV, lr=0.01, transfer_lr=0.5, threshold=0.01),
    "agad": dict(device=DEV, lr=0.01, transfer_lr=0.5, threshold=0.01),
}


@pytest.mark.parametrize("name", sorted(ALGORITHMS))
def test_every_algorithm_asks_for_one_gradient_per_step(name, monkeypatch):
    calls = []
    original = Pipelined.stochastic_grad

    def counted(self, W, rng, **kw):
        calls.append(W.shape)
        return original(self, W, rng, **kw)

    monkeypatch.setattr(Pipelined, "stochastic_grad", counted)
    net = _net()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ak.RunWarning)
        tr = ak.pipeline(
            net,
            name,
            stages=2,
            mode="async",
            steps=25,
            trials=3,
            rng=np.random.default_rng(0),
            w0=net.init(3),
            **ALL[name],
        )
    assert len(calls) == 25
    assert tr.meta["algorithm"] == name


def test_deterministic_for_a_seed_and_vectorised_over_trials():
    net = _net()
    run = dict(stages=4, mode="async", device=DEV, lr=0.01, steps=60, record_every=6)
    a = ak.pipeline(
        net, ak.analog_sgd, trials=5, rng=np.random.default_rng(2), **run, w0=net.init(5)
    )
    b = ak.pipeline(
        net, ak.analog_sgd, trials=5, rng=np.random.default_rng(2), **run, w0=net.init(5)
    )
    _same(a, b)
    # the trials differ (own minibatches), so the run is not one trial repeated
    assert np.ptp(a.final_weights[:, 0]) > 0


def test_deep_linear_gradients():
    net = DeepLinear(3, 3, rng=np.random.default_rng(0), label_noise=0.2, batch=3)
    rng = np.random.default_rng(1)
    W = net.init(2) + 0.1 * rng.standard_normal((2, net.dim))
    g = net.grad(W)
    eps = 1e-6
    E = np.eye(net.dim)
    fd = np.stack([(net.loss(W + eps * e) - net.loss(W - eps * e)) / (2 * eps) for e in E], 1)
    np.testing.assert_allclose(g, fd, atol=1e-8)
    # loss = 1/2 ||g^3 A3 A2 A1 - T||_F^2, written out
    A = W.reshape(2, 3, 3, 3) * net.gain
    prod = A[:, 2] @ A[:, 1] @ A[:, 0]
    np.testing.assert_allclose(net.loss(W), 0.5 * ((prod - net.teacher) ** 2).sum(axis=(1, 2)))
    # the minibatch gradient is unbiased: mean of n draws within 5 standard errors
    n = 4000
    draws = np.stack([net.stochastic_grad(W[:1], rng)[0] for _ in range(n)])
    se = draws.std(axis=0, ddof=1) / np.sqrt(n)
    assert np.all(np.abs(draws.mean(axis=0) - g[0]) < 5 * se + 1e-12)


def test_stage_slices_group_layers():
    net = DeepLinear(2, 8, rng=np.random.default_rng(0))
    assert [(s.start, s.stop) for s in stage_slices(net, 4)] == [
        (0, 8),
        (8, 16),
        (16, 24),
        (24, 32),
    ]
    assert [(s.start, s.stop) for s in stage_slices(net, 3)] == [(0, 12), (12, 24), (24, 32)]
    assert stage_slices(ak.Quadratic(dim=5), 2) == [slice(0, 3), slice(3, 5)]


@pytest.mark.parametrize(
    "kw,err,match",
    [
        (dict(stages=0), ValueError, "stages"),
        (dict(stages=5), ValueError, r"stages must lie in \[1, 4\]"),
        (dict(stages=2.0), TypeError, "stages"),
        (dict(stages=2, mode="pipedream"), ValueError, "mode"),
        (dict(stages=2, mode="async", micro_batches=4), ValueError, "micro_batches"),
        (dict(stages=2, micro_batches=0), ValueError, "micro_batches"),
        (dict(stages=2, micro_batches=10**6), ValueError, "micro_batches"),
        (dict(stages=2, algorithm="adam"), ValueError, "algorithm"),
        (dict(stages=2, algorithm=print), ValueError, "algorithm"),
        (dict(stages=2, lr=-1.0), ValueError, "lr"),
    ],
)
def test_bad_inputs(kw, err, match):
    kw = {"algorithm": ak.analog_sgd, "lr": 0.01, **kw}
    net = _net()
    with pytest.raises(err, match=match):
        ak.pipeline(
            net,
            kw.pop("algorithm"),
            device=DEV,
            steps=5,
            trials=2,
            rng=np.random.default_rng(0),
            **kw,
        )


def test_bad_problems():
    with pytest.raises(TypeError, match="problem"):
        ak.pipeline(
            "net",
            ak.analog_sgd,
            stages=1,
            device=DEV,
            lr=0.1,
            steps=1,
            trials=1,
            rng=np.random.default_rng(0),
        )
    net = _net()
    wrapped = Pipelined(net, stage_slices(net, 2), "async", 1)
    with pytest.raises(TypeError, match="already a pipeline"):
        ak.pipeline(
            wrapped,
            ak.analog_sgd,
            stages=1,
            device=DEV,
            lr=0.1,
            steps=1,
            trials=1,
            rng=np.random.default_rng(0),
        )
    for kw, match in (
        (dict(width=0), "width"),
        (dict(depth=65), "depth"),
        (dict(gain=0.0), "gain"),
        (dict(batch=0), "batch"),
        (dict(label_noise=-1.0), "label_noise"),
    ):
        with pytest.raises(ValueError, match=match):
            DeepLinear(rng=np.random.default_rng(0), **kw)
    with pytest.raises(TypeError, match="rng"):
        DeepLinear(rng=0)
