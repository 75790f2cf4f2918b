"""c-TTv2 and AGAD (R24 eqs. (11)-(13)): exact reductions, the offset they remove, bad input."""

import numpy as np
import pytest

import analogkit as ak

PROB = ak.Quadratic(L=1.0, w_star=0.3, noise=ak.GaussianNoise(0.1))
MAIN = ak.LinearDevice(1.0)
SHIFTED = ak.LinearDevice(1.0, 0.5)  # the fast array's symmetric point sits at 0.5, not 0


@pytest.mark.parametrize("pulse", [None, ak.PulseConfig(5e-3)], ids=["expected", "pulse"])
@pytest.mark.parametrize("decay", [False, True])
def test_no_flips_is_ttv2_bit_for_bit(pulse, decay):
    kw = dict(steps=200, trials=4, record_every=9, record_weights=True, pulse=pulse)
    a = ak.ttv2(
        PROB,
        MAIN,
        0.1,
        0.3,
        decay=decay,
        fast_device=SHIFTED,
        threshold=0.01,
        rng=np.random.default_rng(3),
        **kw,
    )
    b = ak.c_ttv2(
        PROB,
        MAIN,
        0.1,
        0.3,
        decay=decay,
        fast_device=SHIFTED,
        threshold=0.01,
        flip_prob=0.0,
        rng=np.random.default_rng(3),
        **kw,
    )
    for f in ("loss", "weights", "fast", "final_weights"):
        assert np.array_equal(getattr(a, f), getattr(b, f)), f
    assert np.array_equal(a.meta["final_buffer"], b.meta["final_buffer"])


def _tail_w(trace):
    w = trace.tail_mean("weights", 0.5, per_trial=True)[:, 0]
    return w.mean(), w.std(ddof=1) / np.sqrt(w.size)


@pytest.mark.slow
def test_choppers_remove_the_offset_that_biases_ttv2():
    """A fast array whose symmetric point is 0.5 holds that offset; TTv2 transfers it and settles
    above w* = 0.3, c-TTv2 reads it with a random sign and settles on w*."""
    kw = dict(
        steps=20_000,
        trials=100,
        record_every=100,
        record_weights=True,
        fast_device=SHIFTED,
        threshold=0.01,
        decay=True,
    )
    plain = ak.quietly(ak.ttv2, PROB, MAIN, 0.1, 0.02, rng=np.random.default_rng(0), **kw)
    chop = ak.quietly(
        ak.c_ttv2, PROB, MAIN, 0.1, 0.02, flip_prob=0.001, rng=np.random.default_rng(0), **kw
    )
    (w_plain, se_plain), (w_chop, _) = _tail_w(plain), _tail_w(chop)
    assert w_plain - 0.3 > 0.03 and w_plain - 0.3 > 10 * se_plain  # TTv2 is biased
    assert abs(w_chop - 0.3) < 0.2 * (w_plain - 0.3)  # the chopper removes most of it


@pytest.mark.slow
def test_agad_needs_no_symmetric_point():
    kw = dict(
        steps=20_000,
        trials=100,
        record_every=100,
        record_weights=True,
        fast_device=SHIFTED,
        threshold=0.01,
        decay=True,
    )
    plain = ak.quietly(ak.ttv2, PROB, MAIN, 0.1, 0.02, rng=np.random.default_rng(0), **kw)
    dyn = ak.quietly(
        ak.agad,
        PROB,
        MAIN,
        0.1,
        0.02,
        flip_prob=0.2,
        ref_rate=0.1,
        rng=np.random.default_rng(0),
        **kw,
    )
    w, _ = _tail_w(dyn)
    assert abs(w - 0.3) < 0.02
    assert dyn.tail_mean("loss", 0.5) < 0.2 * plain.tail_mean("loss", 0.5)


def test_agad_reference_follows_the_running_mean():
    """With flip_prob = 1 every read flips the chopper and sets p_ref to the running mean."""
    tr = ak.agad(
        PROB,
        MAIN,
        0.1,
        0.3,
        flip_prob=1.0,
        ref_rate=1.0,
        fast_device=SHIFTED,
        threshold=0.01,
        steps=5,
        trials=2,
        rng=np.random.default_rng(0),
        record_weights=True,
    )
    # ref_rate = 1: the mean is the last read, so right after a read P - p_ref = 0
    np.testing.assert_allclose(tr.final_fast, 0.0, atol=1e-15)


@pytest.mark.parametrize(
    "fn, kw, match",
    [
        (ak.c_ttv2, dict(flip_prob=1.5), r"flip_prob must lie in \[0, 1\]"),
        (ak.c_ttv2, dict(flip_prob="0.1"), "flip_prob"),
        (ak.agad, dict(ref_rate=0.0), r"ref_rate must lie in \(0, 1\]"),
        (ak.c_ttv2, dict(decay=True, transfer_lr=2.0), r"transfer_lr must lie in \[0, 1\]"),
        (ak.agad, dict(threshold=-1.0), "threshold"),
    ],
)
def test_chopped_inputs_are_checked(fn, kw, match):
    args = dict(transfer_lr=0.1)
    args.update(kw)
    with pytest.raises((ValueError, TypeError), match=match):
        fn(PROB, MAIN, 0.1, steps=5, trials=2, rng=np.random.default_rng(0), **args)
