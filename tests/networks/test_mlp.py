"""The digits data and the MLP problem: splits, exact gradients (against finite differences and
an independent per-sample loop), minibatches per trial, accuracy, and the input checks."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import analogkit as ak
from analogkit.problems import MLP, Dataset, load_digits


@pytest.fixture(scope="module")
def data():
    return load_digits(np.random.default_rng(0))


@pytest.fixture(scope="module")
def net(data):
    return MLP((64, 32, 10), data, batch=10)


def test_split_sizes_range_and_determinism(data):
    assert data.x_train.shape == (1437, 64) and data.x_test.shape == (360, 64)
    assert data.n_classes == 10 and data.features == 64
    assert data.x_train.min() == 0.0 and data.x_train.max() == 1.0  # 17 grey levels / 16
    assert set(np.unique(data.y_train)) == set(range(10))
    again = load_digits(np.random.default_rng(0))
    assert np.array_equal(again.x_test, data.x_test) and np.array_equal(again.y_test, data.y_test)
    other = load_digits(np.random.default_rng(1))
    assert not np.array_equal(other.y_test, data.y_test)
    # train and test are disjoint and together the whole set (every image once)
    from sklearn.datasets import load_digits as raw

    full = raw().data / 16.0
    both = np.vstack([data.x_train, data.x_test])
    assert sorted(map(bytes, both)) == sorted(map(bytes, full))
    assert load_digits(np.random.default_rng(0), test_fraction=0.5).x_test.shape[0] == 899


def test_import_analogkit_does_not_import_sklearn():
    code = "import sys, analogkit; sys.exit('sklearn' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def _loss_by_hand(net, W, x, y):
    """Cross-entropy of one trial's network on every sample, one sample at a time."""
    losses = []
    for xi, yi in zip(x, y):
        h = xi
        for n, (a, b, out, inp) in enumerate(net.layers):
            z = net.gains[n] * (W[a].reshape(out, inp) @ h + W[b])
            h = np.maximum(z, 0) if n < len(net.layers) - 1 else z
        losses.append(np.log(np.sum(np.exp(h - h.max()))) + h.max() - h[yi])
    return float(np.mean(losses))


def test_loss_matches_a_per_sample_loop(net):
    W = net.init(np.random.default_rng(1), 2)
    expected = [_loss_by_hand(net, w, net.data.x_train, net.data.y_train) for w in W]
    assert np.allclose(net.loss(W), expected, rtol=1e-12)
    assert np.array_equal(net.loss(W), net.excess_loss(W)) and net.f_star == 0


@pytest.mark.parametrize("activation, gains", [("relu", None), ("tanh", [0.5, 2.0, 1.5])])
def test_gradient_matches_finite_differences(data, activation, gains):
    sizes = (64, 32, 10) if gains is None else (64, 16, 12, 10)
    net = MLP(sizes, data, batch=7, activation=activation, gains=gains)
    W = net.init(np.random.default_rng(2), 2)
    g = net.grad(W)
    h = 1e-6
    for i in np.random.default_rng(3).choice(net.dim, 40, replace=False):
        E = np.zeros_like(W)
        E[:, i] = h
        fd = (net.loss(W + E) - net.loss(W - E)) / (2 * h)
        assert np.allclose(g[:, i], fd, rtol=1e-5, atol=1e-9), i


def test_stochastic_grad_is_the_gradient_of_one_minibatch_per_trial(net):
    W = net.init(np.random.default_rng(4), 3)
    g = net.stochastic_grad(W, np.random.default_rng(5))
    idx = np.random.default_rng(5).integers(0, 1437, size=(3, net.batch))  # the same draw
    for t in range(3):
        x, y = net.data.x_train[idx[t]], net.data.y_train[idx[t]]
        one = Dataset(x, y, net.data.x_test, net.data.y_test, n_classes=10)
        full = MLP(net.sizes, one, batch=net.batch).grad(W[t : t + 1])
        assert np.allclose(g[t], full[0], rtol=1e-12, atol=1e-15)
    # exact is ignored; a fresh array every call (the rules overwrite it)
    g2 = net.stochastic_grad(W, np.random.default_rng(5), exact=np.zeros_like(W))
    assert np.array_equal(g, g2) and g2 is not W


def test_minibatch_gradients_average_to_the_full_gradient(net):
    W = np.repeat(net.init(np.random.default_rng(6), 1), 4000, axis=0)
    g = net.stochastic_grad(W, np.random.default_rng(7))
    full = net.grad(W[:1])[0]
    se = g.std(axis=0) / np.sqrt(g.shape[0])
    assert np.all(np.abs(g.mean(axis=0) - full) < 5 * se + 1e-12)


def test_accuracy_and_predict(net):
    W = net.init(np.random.default_rng(8), 2)
    pred = net.predict(W, net.data.x_test)
    assert pred.shape == (2, 360)
    assert np.array_equal(net.accuracy(W), (pred == net.data.y_test).mean(axis=1))
    assert np.array_equal(
        net.accuracy(W, "train"), (net.predict(W, net.data.x_train) == net.data.y_train).mean(1)
    )
    assert set(net.metrics()) == {"test_accuracy"}
    assert net.loss_scale() == pytest.approx(np.log(10))


def test_init_is_seeded_and_pytorch_sized(net):
    W = net.init(np.random.default_rng(9), 5)
    assert np.array_equal(W, net.init(np.random.default_rng(9), 5))
    for (a, b, _, n_in), gain in zip(net.layers, net.gains):
        block = W[:, a.start : b.stop]
        assert np.abs(block).max() <= 1 / (gain * np.sqrt(n_in))
        assert np.abs(block).max() > 0.95 / (gain * np.sqrt(n_in))
    assert net.layer_values([1.0, 2.0])[net.layers[1][0]].tolist() == [2.0] * 320
    assert net.layer_max(W).shape == (5, 2)


def test_trains_digitally(net):
    tr = ak.digital_sgd(
        net,
        0.1,
        steps=3 * 144,
        trials=2,
        rng=np.random.default_rng(0),
        w0=net.init(np.random.default_rng(1), 2),
        record_every=144,
    )
    acc = tr.metrics["test_accuracy"]
    assert acc.shape == (4, 2) and np.all(acc[-1] > 0.85) and np.all(acc[0] < 0.3)
    assert np.all(np.diff(tr.loss.mean(axis=1)) < 0)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(data=None), TypeError, "Dataset"),
        (dict(sizes=(64,)), TypeError, "at least two"),
        (dict(sizes=(64, 32.0, 10)), TypeError, r"sizes\[1\]"),
        (dict(sizes=(63, 10)), ValueError, "64 features"),
        (dict(sizes=(64, 0, 10)), ValueError, r"sizes\[1\]"),
        (dict(batch=0), ValueError, "batch"),
        (dict(batch=1438), ValueError, r"batch must lie in \[1, 1437\]"),
        (dict(activation="sigmoid"), ValueError, "activation"),
        (dict(gains=[1.0]), ValueError, "one value per layer"),
        (dict(gains=[1.0, -1.0]), ValueError, "gains"),
        (dict(gains=[1.0, np.nan]), ValueError, "gains"),
    ],
)
def test_bad_networks_are_refused(data, kwargs, error, match):
    args = dict(sizes=(64, 32, 10), data=data)
    with pytest.raises(error, match=match):
        MLP(**{**args, **kwargs})


def test_bad_inputs_are_refused(net):
    W = net.init(np.random.default_rng(0), 1)
    with pytest.raises(ValueError, match="shape"):
        net.loss(W[:, :-1])
    with pytest.raises(TypeError, match="complex"):
        net.grad(W.astype(complex))
    with pytest.raises(ValueError, match="finite"):
        net.accuracy(np.full_like(W, np.nan))
    with pytest.raises(ValueError, match="split"):
        net.accuracy(W, "validation")
    with pytest.raises(ValueError, match="split"):
        net.accuracy(W, np.zeros(3))
    huge = np.full_like(W, 1e300)  # finite weights whose logits overflow: refused, never NaN
    for call in (net.loss, net.grad, net.accuracy, lambda w: net.predict(w, net.data.x_test)):
        with pytest.raises(ValueError, match="W is too large"):
            call(huge)
    with pytest.raises(ValueError, match="W is too large"):
        net.stochastic_grad(huge, np.random.default_rng(0))
    with np.errstate(all="ignore"):  # unchecked, as the loop calls it: its divergence test
        assert not np.isfinite(net.excess_loss(huge, check=False)).all()
    # the full-batch work of a run with very many trials is refused before it starts
    with pytest.raises(ValueError, match="trials x 1437 images would need"):
        ak.digital_sgd(net, 0.1, steps=1, trials=10_000, rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match="Generator"):
        net.stochastic_grad(W, 0)
    with pytest.raises(TypeError, match="Generator"):
        load_digits(0)
    for bad in (0.0, 1.0, 1.5):
        with pytest.raises(ValueError, match="test_fraction"):
            load_digits(np.random.default_rng(0), test_fraction=bad)
    with pytest.raises(TypeError, match="integer class labels"):
        Dataset(W[:, :3], [0.5], W[:, :3], [0])
    with pytest.raises(ValueError, match="same number of features"):
        Dataset(np.zeros((2, 3)), [0, 1], np.zeros((2, 4)), [0, 1])
