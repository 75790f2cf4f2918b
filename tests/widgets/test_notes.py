"""The run notes every dashboard shows: each fires for the case it names and only then."""

import numpy as np

import analogkit as ak
from analogkit.widgets.notes import run_notes, settled

QUAD = ak.Quadratic(L=1.0, w_star=0.5, noise=ak.GaussianNoise(0.3))
DEV = ak.LinearDevice(1.0)


def _run(fn, *args, steps=400, **kw):
    return ak.quietly(
        fn,
        *args,
        steps=steps,
        trials=200,
        rng=np.random.default_rng(0),
        record_every=max(1, steps // 100),
        **kw,
    )


def test_a_healthy_settled_run_has_no_notes():
    tr = _run(ak.analog_sgd, QUAD, DEV, 0.1, steps=2000)
    assert settled(tr) and run_notes(tr, "Analog SGD") == []


def test_each_note_fires_for_its_case():
    short = _run(ak.analog_sgd, QUAD, DEV, 0.001, steps=200)  # still on its way down
    assert not settled(short)
    assert any("has not converged yet" in n for n in run_notes(short, "Analog SGD"))
    pinned = _run(ak.analog_sgd, QUAD, DEV, 1e3)
    notes = run_notes(pinned, "Analog SGD")
    assert any("saturated" in n for n in notes) and any("above its start" in n for n in notes)
    diverged = _run(ak.digital_sgd, QUAD, 2.5)
    assert any("diverged in 200 of 200" in n for n in run_notes(diverged, "digital SGD"))
