"""Every algorithm trains the MLP unchanged, and its Trace records the test accuracy (the
Problem.metrics() hook of the one training loop); the records are checked against the network
recomputed from the final weights."""

from __future__ import annotations

import numpy as np
import pytest

import analogkit as ak
from analogkit.problems import MLP, Dataset, Problem, Quadratic, load_digits


@pytest.fixture(scope="module")
def net():
    d = load_digits(np.random.default_rng(0))
    small = Dataset(d.x_train[:100], d.y_train[:100], d.x_test[:50], d.y_test[:50], n_classes=10)
    return MLP((64, 8, 10), small, batch=5)


DEV = ak.LinearDevice(1.0)
PULSE = ak.PulseConfig.for_states(DEV, 10)
RUNS = {
    "digital_sgd": lambda p, **kw: ak.digital_sgd(p, 0.1, **kw),
    "analog_sgd": lambda p, **kw: ak.analog_sgd(p, DEV, 0.1, **kw),
    "tiki_taka gamma=0": lambda p, **kw: ak.tiki_taka(p, DEV, 0.1, 0.05, **kw),
    "tiki_taka gamma>0": lambda p, **kw: ak.tiki_taka(p, DEV, 0.1, 0.05, 0.2, **kw),
    "ttv2": lambda p, **kw: ak.ttv2(p, DEV, 0.1, 0.5, threshold=1e-3, **kw),
    "rlv2": lambda p, **kw: ak.ttv2(p, DEV, 0.1, 0.5, 0.2, decay=True, threshold=1e-3, **kw),
    "multi_tile": lambda p, **kw: ak.multi_tile(
        p, DEV, 0.1, 0.1, 0.3, tiles=3, inner_steps=2, pulse=PULSE, **kw
    ),
    "mixed_precision": lambda p, **kw: ak.mixed_precision(p, DEV, 0.1, pulse=PULSE, **kw),
    "c_ttv2": lambda p, **kw: ak.c_ttv2(p, DEV, 0.1, 0.5, threshold=1e-3, **kw),
    "agad": lambda p, **kw: ak.agad(p, DEV, 0.1, 0.5, threshold=1e-3, **kw),
}


@pytest.mark.parametrize("name", list(RUNS))
def test_every_algorithm_trains_the_mlp_and_records_its_test_accuracy(net, name):
    w0 = net.init(np.random.default_rng(1), 2)
    tr = ak.quietly(
        RUNS[name], net, steps=30, trials=2, rng=np.random.default_rng(2), w0=w0, record_every=20
    )
    assert tr.steps.tolist() == [0, 20, 30]
    acc = tr.metrics["test_accuracy"]
    assert acc.shape == (3, 2) and np.all(np.isfinite(acc)) and not tr.any_diverged
    assert np.all((acc >= 0) & (acc <= 1))
    assert np.allclose(acc * 50, np.round(acc * 50), rtol=0, atol=1e-9)  # counts of 50 images
    # the records are the network at the weight the gradient was taken at
    W = tr.final_effective_weights
    assert np.array_equal(acc[-1], net.accuracy(W))
    assert np.allclose(tr.loss[-1], net.loss(W), rtol=1e-12)
    assert np.array_equal(acc[0], net.accuracy(w0))
    assert np.all(tr.loss[-1] < tr.loss[0])  # 30 steps already lower the loss


class _Scored(Quadratic):
    def metrics(self):
        return {"w0": lambda W: W[:, 0].copy(), "double": lambda W: 2 * W[:, 0]}


def test_the_loop_merges_problem_metrics_with_explicit_ones():
    from analogkit.algorithms import SGD, Tile, train

    prob = _Scored(L=1.0, w_star=0.5, dim=1)
    rule = SGD(Tile(None, (3, 1), init=0.0), 0.1, "digital_sgd")
    tr = train(
        prob,
        rule,
        steps=5,
        rng=np.random.default_rng(0),
        meta={},
        metrics={"double": lambda W: 3 * W[:, 0]},
    )
    assert set(tr.metrics) == {"loss", "grad_norm2", "w0", "double"}
    w = 0.5 * (1 - 0.9 ** np.arange(6))  # the exact digital SGD path from 0 to 0.5
    assert np.allclose(tr.metrics["w0"][:, 0], w)
    assert np.allclose(tr.metrics["double"][:, 0], 3 * w)  # the explicit metric wins
    assert Problem.metrics(prob) == {} and Quadratic(L=1.0).metrics() == {}
