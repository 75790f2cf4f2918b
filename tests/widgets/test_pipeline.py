"""The pipeline dashboard (notebook 07): its numbers follow the two schedules and the plain run.

The dashboard trains an 8-layer deep linear network (4 x 4 weights per layer, gain 2, teacher from
seed 70, micro-batches of 16) on LinearDevice(0.7, asymmetry) for 1280 samples, 4 trials, seed
2024, as an S-stage pipeline in both modes. The runs written out below are built here from the
public API, not read from the dashboard's module.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import analogkit as ak
from analogkit import widgets
from analogkit.theory import pipeline as tp
from analogkit.widgets import pipeline as wp

FACTORY = widgets.pipeline_dashboard
KEYS = {
    "loss_final_sync",
    "loss_final_async",
    "cycles_to_target_sync",
    "cycles_to_target_async",
    "speedup_sync_over_async",
    "bubble_sync",
    "staleness_max",
    "updates",
    "samples",
    "cycles",
}
LR = {"Analog SGD": dict(lr=0.006), "Tiki-Taka": dict(lr=0.02, transfer_lr=0.005, gamma=0.5)}


def plain_run(algorithm, asymmetry=0.0):
    """The non-pipelined algorithm on the dashboard's network, 80 steps of 16 samples."""
    net = ak.networks.DeepLinear(4, 8, rng=np.random.default_rng(70), batch=16)
    fn = ak.analog_sgd if algorithm == "Analog SGD" else ak.tiki_taka
    return ak.quietly(
        fn,
        net,
        device=ak.LinearDevice(0.7, asymmetry),
        steps=80,
        trials=4,
        rng=np.random.default_rng(2024),
        w0=np.tile(np.eye(4).ravel() / 2, (4, 8)),
        record_every=2,
        **LR[algorithm],
    )


def test_defaults_build_and_draw(dash):
    n = dash.numbers
    assert bytes(dash.image.value).startswith(b"<svg")
    assert set(n) == KEYS
    assert all(math.isfinite(v) for v in n.values()), n
    assert dash.message.value == (
        "Async: stage 1 reads weights 3 updates old, stage 4 current ones; micro_batches sets "
        "only the sync curves."
    )


@pytest.mark.parametrize("algorithm", ["Analog SGD", "Tiki-Taka"])
@pytest.mark.parametrize("asymmetry", [0.0, 0.4])
def test_one_stage_is_the_plain_algorithm(dash, algorithm, asymmetry):
    """S = 1, M = 1: both modes are the algorithm itself, written out here."""
    tr = plain_run(algorithm, asymmetry)
    loss = tr.loss[tr.tail_slice(0.2)].mean()
    below = np.flatnonzero(tr.loss.mean(axis=1) < 0.01)
    n = dash.compute(stages=1, micro_batches=1, algorithm=algorithm, asymmetry=asymmetry)
    assert n["loss_final_sync"] == pytest.approx(loss, rel=1e-12)
    assert n["loss_final_async"] == pytest.approx(loss, rel=1e-12)
    assert below.size  # both algorithms reach the target within the run
    assert n["cycles_to_target_sync"] == n["cycles_to_target_async"] == 2 * tr.steps[below[0]]
    assert n["speedup_sync_over_async"] == 1.0


@pytest.mark.parametrize("S, M", [(1, 3), (2, 1), (4, 4), (5, 3), (8, 8)])
def test_cycles_samples_and_bubble_follow_the_schedules(dash, S, M):
    """Sync: 1280 // (16 M) updates of 2(M + S - 1) cycles; async: 80 updates in
    2(S - 1) + 2 * 80 cycles; the bubble is the idle share of the sync schedule's table."""
    sync, asyn = (dash.compute(stages=S, micro_batches=M, mode=m) for m in ("sync", "async"))
    k = 1280 // (16 * M)
    assert (sync["updates"], sync["samples"], sync["cycles"]) == (
        k,
        16 * M * k,
        2 * (M + S - 1) * k,
    )
    assert (asyn["updates"], asyn["samples"], asyn["cycles"]) == (80, 1280, 2 * (S - 1) + 160)
    table = tp.schedule(S, M, "sync")
    idle = sum(op == "" for row in table for op in row) / (S * len(table))
    assert sync["bubble_sync"] == pytest.approx(idle, rel=1e-12)
    assert (sync["staleness_max"], asyn["staleness_max"]) == (0, S - 1)


def test_sync_learns_the_same_at_every_depth(dash):
    """No staleness in sync: the same seed gives the same losses at 2 and 8 stages, and the cycles
    to the target scale with the cycles per update, 2(M + S - 1)."""
    two, eight = (dash.compute(stages=S, micro_batches=4, mode="sync") for S in (2, 8))
    assert two["loss_final_sync"] == eight["loss_final_sync"]
    assert eight["cycles_to_target_sync"] * 5 == two["cycles_to_target_sync"] * 11
    assert two["loss_final_async"] != eight["loss_final_async"]  # async is stale


def test_the_async_run_does_not_depend_on_micro_batches(dash):
    a, b = (dash.compute(micro_batches=M) for M in (1, 7))
    assert a["loss_final_async"] == b["loss_final_async"]
    assert a["cycles_to_target_async"] == b["cycles_to_target_async"]
    assert a["loss_final_sync"] != b["loss_final_sync"]


def test_mode_chooses_what_is_highlighted_not_the_runs(dash):
    sync, asyn = (dash.compute(mode=m) for m in ("sync", "async"))
    for key in ("loss_final_sync", "loss_final_async", "cycles_to_target_sync"):
        assert sync[key] == asyn[key]
    assert (sync["updates"], asyn["updates"]) == (20, 80)


def test_speedup_at_four_stages(dash):
    """Async reaches the target in fewer cycles than sync (M = S = 4): more than the
    cycles-per-sample ratio 7/4 alone, as in the figure."""
    n = dash.compute(stages=4, micro_batches=4)
    assert n["speedup_sync_over_async"] == n["cycles_to_target_sync"] / n["cycles_to_target_async"]
    assert n["speedup_sync_over_async"] > 7 / 4


def test_message_when_a_mode_misses_the_target(dash):
    r = dash.result(stages=8, algorithm="Tiki-Taka")
    assert "cycles_to_target_async" not in r.numbers  # the target is never reached
    assert "speedup_sync_over_async" not in r.numbers
    assert (
        "Tiki-Taka async does not reach the target loss 0.01 within its 1280 samples: no "
        "speed-up to read off." in r.messages
    )
    assert not any("does not reach" in m for m in dash.result().messages)


def test_message_when_a_run_has_not_converged(dash):
    """A strong asymmetry pulls Analog SGD towards w⋄ = -0.63, far from the identity's 0.5."""
    r = dash.result(asymmetry=-0.9)
    assert (
        "Analog SGD sync has not converged yet: its loss is still changing at the last step."
        in (r.messages)
    )
    assert not any("converged" in m for m in dash.result().messages)


def test_one_stage_message(dash):
    assert any(m.startswith("One stage: no pipeline.") for m in dash.result(stages=1).messages)


def test_diverged_and_saturated_runs_are_reported(dash, monkeypatch):
    """The dashboard passes run_notes on for each mode (a run that diverges, built here)."""
    quad = ak.Quadratic(L=1.0, w_star=0.3, dim=2, noise=ak.GaussianNoise(0.1))
    bad = ak.quietly(
        ak.pipeline,
        quad,
        ak.digital_sgd,
        stages=2,
        mode="async",
        lr=3.0,
        steps=200,
        trials=4,
        rng=np.random.default_rng(0),
    )
    assert bad.diverged.all()
    monkeypatch.setattr(wp, "pipeline_run", lambda *args: bad)
    r = dash.result(stages=2, micro_batches=3)
    assert "Analog SGD sync diverged in 4 of 4 trials (left out of the curves): lower the " in (
        " ".join(r.messages)
    )
    assert any(m.startswith("Analog SGD async diverged in 4 of 4") for m in r.messages)


@pytest.mark.parametrize("path", ["constructor", "set", "compute", "result"])
@pytest.mark.parametrize(
    "values, exc, message",
    [
        ({"stages": 4.5}, TypeError, "stages must be an integer in [1, 8], got float"),
        ({"stages": 4.0}, TypeError, "stages must be an integer in [1, 8], got float"),
        ({"stages": np.float64(2)}, TypeError, "stages must be an integer in [1, 8], got float64"),
        ({"stages": 0}, ValueError, "stages must lie in [1, 8], got 0"),
        ({"stages": 9}, ValueError, "stages must lie in [1, 8], got 9"),
        (
            {"micro_batches": "2"},
            TypeError,
            "micro_batches must be an integer in [1, 8], got str",
        ),
        (
            {"micro_batches": True},
            TypeError,
            "micro_batches must be an integer in [1, 8], got bool",
        ),
        ({"mode": "Sync"}, ValueError, "mode must be one of sync, async; got 'Sync'"),
        (
            {"algorithm": None},
            TypeError,
            "algorithm must be a string, one of Analog SGD, Tiki-Taka",
        ),
        ({"asymmetry": 0.95}, ValueError, "asymmetry must lie in [-0.9, 0.9], got 0.95"),
        ({"asymmetry": float("nan")}, ValueError, "asymmetry must lie in [-0.9, 0.9], got nan"),
    ],
)
def test_bad_values_are_refused_by_every_path(dash, path, values, exc, message):
    call = {"constructor": type(dash), "set": dash.set, "compute": dash.compute}.get(
        path, dash.result
    )
    before = dash.params()
    with pytest.raises(exc) as err:
        call(**values)
    assert str(err.value).startswith(message)
    assert dash.params() == before and not dash.stale


def test_numpy_integers_are_taken_as_ints(dash):
    assert dash.check({"stages": np.int64(3), "micro_batches": np.array(2)}) == {
        "stages": 3,
        "micro_batches": 2,
    }
    assert dash.compute(stages=np.int32(3)) == dash.compute(stages=3)


def test_image_changes_with_the_sliders(dash):
    before = dash.image.value
    dash.sliders["stages"].value = 6
    assert dash.image.value != before
    dash.sliders["stages"].value = dash.defaults["stages"]
    assert dash.image.value == before
