"""The pipeline figures (notebook 07): async reaches the target loss in fewer clock cycles than
sync, by more than the cycles-per-sample ratio alone, and the counts agree with the theory."""

from __future__ import annotations

import numpy as np
import pytest

from analogkit.figures import pipeline as fp
from analogkit.theory import pipeline as tp


def test_async_beats_sync_in_cycles_for_analog_sgd(quick_data):
    r = quick_data["pipeline_speedup"].rows
    for S in fp.STAGES:
        row = r[fp.speedup_quantity("Analog SGD", S)]
        assert row.reference == pytest.approx(tp.cycles(S, S, S, "sync") / tp.cycles(S, 1, 1))
        assert row.value > 1.0, S


def test_the_runs_count_samples_and_cycles_as_derived(quick_data):
    s = fp.SETTING
    for (_algo, S, mode), tr in quick_data["pipeline_curves"].traces.items():
        M = S if mode == "sync" else 1
        assert tr.meta["samples"][-1] == s["samples"] // 2
        expect = tp.cycles(tr.meta["samples"], S, M, mode, micro_batch=s["batch"])
        np.testing.assert_array_equal(tr.meta["cycles"], expect)


def test_sync_averaging_lowers_the_noise_floor(quick_data):
    """Recorded, so that a change is seen: at the same lr per update the mean of M = S gradients
    leaves a lower floor than one micro-batch's gradient, for both algorithms at 8 stages."""
    r = quick_data["pipeline_curves"].rows
    for algo in fp.ALGOS:
        sync, asy = (
            r[f"{algo}, {m}, 8 stages: loss over the last 20 % of the samples"] for m in fp.MODES
        )
        assert sync.value < asy.value
