"""The Trace a run returns: its helpers and the divergence warning."""

import numpy as np
import pytest

import analogkit as ak
from tests.algorithms.stats import QUAD


def test_trace_helpers():
    tr = ak.analog_sgd(
        QUAD,
        ak.LinearDevice(1.0),
        0.1,
        steps=100,
        trials=4,
        rng=np.random.default_rng(0),
        record_every=10,
        record_weights=True,
    )
    assert tr.trials == 4 and tr.n_records == 11 and not tr.any_diverged
    assert tr.nbytes > 0
    np.testing.assert_allclose(tr.mean_loss(), tr.loss.mean(axis=1))
    assert tr.tail_slice(0.2) == slice(8, 11)
    assert tr.tail_slice(1e-9) == slice(10, 11)
    assert tr.tail_mean("loss", 0.2) == pytest.approx(tr.loss[8:].mean())
    assert tr.tail_mean("grad_norm2", 1.0) == pytest.approx(tr.grad_norm2.mean())
    np.testing.assert_allclose(tr.tail_mean("weights", 0.2), tr.weights[8:].mean(axis=(0, 1)))
    assert tr.tail_mean("loss", 0.2, per_trial=True).shape == (4,)
    assert tr.meta["algorithm"] == "analog_sgd" and tr.meta["lr"] == 0.1
    with pytest.raises(ValueError, match="fraction"):
        tr.tail_mean("loss", 0.0)
    with pytest.raises(ValueError, match="quantity"):
        tr.tail_mean("speed")
    with pytest.raises(ValueError, match="fast"):
        tr.tail_mean("fast")


def test_quietly_silences_only_the_divergence_warning(recwarn):
    import warnings

    prob = ak.Quadratic(L=1.0, w_star=0.5, noise=ak.GaussianNoise(0.3))
    with pytest.warns(ak.DivergenceWarning):
        ak.digital_sgd(prob, 2.4, steps=200, trials=4, rng=np.random.default_rng(0))
    tr = ak.quietly(ak.digital_sgd, prob, 2.4, steps=200, trials=4, rng=np.random.default_rng(0))
    assert tr.diverged.all()  # still flagged in the trace
    assert not [w for w in recwarn if issubclass(w.category, ak.DivergenceWarning)]

    def other():
        warnings.warn("a different numerical problem", RuntimeWarning, stacklevel=1)

    with pytest.warns(RuntimeWarning, match="different"):
        ak.quietly(other)


def test_tail_helpers_check_their_arguments():
    tr = ak.analog_sgd(
        QUAD, ak.LinearDevice(1.0), 0.1, steps=20, trials=3, rng=np.random.default_rng(0)
    )
    assert tr.tail_mean("loss", np.float32(0.5)) == tr.tail_mean("loss", 0.5)
    with pytest.raises(TypeError, match="per_trial"):
        tr.tail_mean(per_trial="False")
    with pytest.raises(TypeError, match="fraction"):
        tr.tail_mean(fraction="0.5")
    with pytest.raises(TypeError, match="fraction"):
        tr.tail_mean(fraction=True)
    with pytest.raises(TypeError, match="quantity"):
        tr.tail_mean(quantity=3)
