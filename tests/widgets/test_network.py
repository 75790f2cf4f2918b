"""The network dashboard (notebook 06): live runs of a small MLP, checked against the same run
made directly with the package, and the orderings of notebook 06 in its numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

import analogkit as ak
from analogkit import networks, widgets
from analogkit.widgets import network

FACTORY = widgets.network_dashboard


def test_defaults_build_and_draw(dash):
    n = dash.numbers
    assert bytes(dash.image.value).startswith(b"<svg")
    assert set(n) == {
        "accuracy_mean",
        "accuracy_min",
        "accuracy_max",
        "accuracy_digital",
        "symmetric_point",
    }
    assert all(math.isfinite(v) for v in n.values())
    assert n["accuracy_min"] <= n["accuracy_mean"] <= n["accuracy_max"] <= 100
    assert dash.message.value == ""
    acc = network.accuracy(dash.result().data["trace"])
    assert acc.shape == (network.EPOCHS + 1, network.SEEDS)  # every seed's curve is drawn


def test_numbers_are_those_of_the_same_run_made_directly():
    d = networks.digits_mlp().data
    small = networks.Dataset(d.x_train[:400], d.y_train[:400], d.x_test, d.y_test)
    net = networks.MLP((64, 16, 10), small, batch=10, gains=(1.0, 2.0))
    tr = ak.quietly(
        ak.tiki_taka,
        net,
        ak.LinearDevice(0.6),
        0.1,
        0.05,
        steps=4 * 40,
        trials=3,
        rng=np.random.default_rng(widgets.SEED),
        w0=net.init(np.random.default_rng(1), 3),
        record_every=40,
    )
    final = 100 * tr.metrics["test_accuracy"][-1]
    n = FACTORY().compute(algorithm="Tiki-Taka", family="linear", tau=0.6, n_states="expected")
    assert n["accuracy_mean"] == pytest.approx(final.mean(), abs=1e-9)
    assert n["accuracy_min"] == pytest.approx(final.min(), abs=1e-9)


def test_analog_sgd_suffers_from_a_small_range_and_tiki_taka_less(dash):
    asgd = [dash.compute(algorithm="Analog SGD", tau=t)["accuracy_mean"] for t in (0.15, 2.0)]
    tt = dash.compute(algorithm="Tiki-Taka", tau=0.15)["accuracy_mean"]
    assert asgd[0] < asgd[1] - 20  # notebook 06's table (a): A SGD collapses as tau shrinks
    assert tt > asgd[0] + 15


def test_a_strongly_non_linear_response_hurts_analog_sgd_more(dash):
    kw = dict(family="power", gamma_res=3.0)
    asgd = dash.compute(algorithm="Analog SGD", **kw)["accuracy_mean"]
    rl = dash.compute(algorithm="residual learning", **kw)["accuracy_mean"]
    assert rl > asgd + 15


def test_few_states_hurt_and_mixed_precision_helps(dash):
    tt4 = dash.compute(n_states="4")["accuracy_mean"]
    assert tt4 < dash.compute()["accuracy_mean"] - 40
    assert dash.compute(algorithm="mixed precision", n_states="4")["accuracy_mean"] > tt4 + 10


def test_messages(dash):
    assert "ignores the device" in dash.result(algorithm="digital SGD").messages[0]
    assert "100 states" in dash.result(algorithm="mixed precision").messages[0]
    dash.sliders["algorithm"].value = "digital SGD"
    assert "ignores the device" in dash.message.value


@pytest.mark.parametrize("name", list(network.ALGORITHMS))
def test_every_algorithm_runs_at_the_extremes(dash, name):
    for values in ({"tau": 0.1, "n_states": "4"}, {"family": "exponential", "gamma_res": 4.0}):
        r = dash.result(algorithm=name, **values)
        assert all(math.isfinite(v) for v in r.numbers.values()), (name, values)


def test_bad_values_become_a_message_not_a_traceback(dash):
    with pytest.raises(ValueError, match="algorithm must be one of"):
        dash.compute(algorithm="Adam")
    with pytest.raises(ValueError, match="n_states must be one of"):
        dash.compute(n_states="7")
    with pytest.raises(ValueError, match="family must be one of"):
        dash.compute(family="ideal")
