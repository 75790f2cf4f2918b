"""The dashboards' cached runs (``analogkit.widgets.runs``): seeded, cached and frozen."""

from __future__ import annotations

import numpy as np
import pytest

import analogkit as ak
from analogkit import widgets
from analogkit.widgets import runs

#: every array a Trace holds (None for what a run did not record)
TRACE_ARRAYS = (
    "steps",
    "loss",
    "grad_norm2",
    "weights",
    "fast",
    "final_weights",
    "final_fast",
    "diverged",
    "diverged_step",
)


def _clear_caches():
    for run in (runs.digital, runs.analog, runs.tiki_taka, runs.lower_bound):
        run.cache_clear()


def test_runs_are_seeded_public_api_calls():
    """The same run written out with the public API, seed 2024 and 200 trials, gives the same
    arrays: no hidden state between the slider and the simulation."""
    problem = ak.Quadratic(L=1.0, w_star=0.5, dim=1, noise=ak.GaussianNoise(0.3))
    rng = np.random.default_rng(2024)
    expected = ak.analog_sgd(
        problem,
        ak.LinearDevice(1.2, 0.1),
        0.05,
        steps=300,
        trials=200,
        rng=rng,
        record_every=3,
        record_weights=True,
    )
    got = runs.analog(0.5, 0.3, 0.05, 1.2, 0.1, 300)
    assert (runs.SEED, runs.TRIALS) == (2024, 200)
    for name in ("steps", "loss", "weights", "final_weights"):
        np.testing.assert_array_equal(getattr(got, name), getattr(expected, name))


def test_runs_are_cached():
    assert runs.digital(0.5, 0.3, 0.05, 200) is runs.digital(0.5, 0.3, 0.05, 200)
    assert runs.lower_bound(0.1, 1.0, 0.2, 0.01, 200) is runs.lower_bound(0.1, 1.0, 0.2, 0.01, 200)


@pytest.mark.parametrize(
    "factory, params",
    [
        (widgets.asgd_dashboard, dict(tau=1.7, noise=0.4, lr=0.03, asymmetry=0.1)),
        (widgets.lower_bound_dashboard, dict(sigma=0.12, tau=1.3, w_star=-0.15)),
        (widgets.tiki_taka_dashboard, dict(lr=0.2, transfer_lr=0.02, gamma=0.3, asymmetry=0.2)),
    ],
)
def test_compute_is_deterministic(factory, params):
    dash = factory()
    first = dash.compute(**params)
    _clear_caches()  # force fresh simulations with the same seed, not cache hits
    assert dash.compute(**params) == first


def test_cached_runs_are_frozen(every_dash):
    """Nothing a dashboard returns can corrupt the cache its next answer comes from."""
    result = every_dash.result()
    traces = {k: v for k, v in result.data.items() if isinstance(v, ak.Trace)}
    assert bool(traces) == (every_dash.name != "device")  # the device explorer runs no training
    for key, trace in traces.items():
        for name in TRACE_ARRAYS:
            array = getattr(trace, name)
            if array is None:
                continue
            with pytest.raises(ValueError, match="assignment destination is read-only"):
                array[...] = 0
        with pytest.raises(AttributeError):
            trace.loss = np.zeros_like(trace.loss)
        assert every_dash.result().data[key] is trace  # the same cached run comes back
    for value in result.data.values():  # the rest is plain numbers or objects built per call
        assert not isinstance(value, (np.ndarray, np.generic)), value
    assert every_dash.compute() == every_dash.numbers
