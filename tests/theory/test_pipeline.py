"""Pipeline theory against independent computations and seeded simulations: the cycle counts
against the schedule and ak.pipeline's own counts, the delay stability limit against polynomial
roots, and the first-order model of staleness meeting asymmetry against ak.pipeline runs."""

import warnings

import numpy as np
import pytest

import analogkit as ak
from analogkit.theory import pipeline as tp


def test_cycle_derivation_holds():
    D = tp.cycles_derivation().verify()
    S, M, b, K = 4, 4, 1, 400
    subs = {tp.S: S, tp.M: M, tp.b: b, tp.K: K}
    assert float(D["sync"].subs(subs)) == 2 * (M + S - 1) * K / M
    assert float(D["async"].subs(subs)) == 2 * (S - 1) + 2 * K
    assert float(D["speedup_limit"].subs(subs)) == pytest.approx(7 / 4)


def _check_schedule(rows, S, M, mode):
    """Independent check: every F/B exactly once per stage, and every dependency earlier."""
    when = {}
    for t, row in enumerate(rows):
        assert len(row) == S
        for s, op in enumerate(row):
            if op:
                assert (op, s) not in when
                when[(op, s)] = t
    for m in range(1, M + 1):
        for s in range(S):
            f, bw = when[(f"F{m}", s)], when[(f"B{m}", s)]
            if s:
                assert when[(f"F{m}", s - 1)] < f
            assert bw > (f if s == S - 1 else when[(f"B{m}", s + 1)])
    assert len(when) == 2 * S * M


@pytest.mark.parametrize("S,M", [(1, 1), (2, 3), (3, 4), (4, 4), (8, 8), (4, 1)])
def test_schedule_lengths_are_the_derived_cycles(S, M):
    sync, asyn = tp.schedule(S, M, "sync"), tp.schedule(S, M, "async")
    _check_schedule(sync, S, M, "sync")
    _check_schedule(asyn, S, M, "async")
    assert len(sync) == tp.cycles(M, S, M, "sync") == 2 * (M + S - 1)  # one update of M
    assert len(asyn) == tp.cycles(M, S, mode="async") == 2 * (S - 1) + 2 * M  # M updates
    # the bubble: every stage works 2M of the 2(M + S - 1) synchronous cycles
    idle = sum(op == "" for row in sync for op in row) / (S * len(sync))
    assert idle == pytest.approx((S - 1) / (M + S - 1))


def test_async_stage_s_is_S_minus_s_updates_stale_in_the_steady_state():
    S, M = 4, 8
    rows = tp.schedule(S, M, "async")
    for s in range(S):
        col = [row[s] for row in rows if row[s]]
        for m in range(S, M + 1):  # after the fill
            window = col[col.index(f"F{m}") : col.index(f"B{m}")]
            assert sum(op.startswith("B") for op in window) == S - 1 - s, (s, m)


@pytest.mark.parametrize("mode,M", [("sync", 4), ("async", None)])
def test_cycles_match_what_the_simulation_reports(mode, M):
    net = ak.networks.DeepLinear(2, 4, rng=np.random.default_rng(0), batch=3)
    tr = ak.pipeline(
        net,
        ak.digital_sgd,
        stages=4,
        mode=mode,
        micro_batches=M,
        lr=0.001,
        steps=30,
        trials=2,
        rng=np.random.default_rng(0),
        w0=net.init(2),
        record_every=10,
    )
    expect = tp.cycles(tr.meta["samples"], 4, M or 1, mode, micro_batch=3)
    np.testing.assert_array_equal(tr.meta["cycles"], expect)


@pytest.mark.parametrize("d", range(7))
def test_delay_stability_limit_against_polynomial_roots(d):
    tp.delay_stability_derivation().verify()
    limit = tp.delay_stability_limit(d)

    def radius(c):
        coeffs = np.zeros(d + 2)
        coeffs[0] = 1.0  # z^(d+1) - z^d + c
        coeffs[1] -= 1.0
        coeffs[-1] += c
        return np.abs(np.roots(coeffs)).max()

    assert radius(0.99 * limit) < 1 < radius(1.01 * limit)
    # the model's linearised recursion says the same without asymmetry's damping (tau large)
    m = tp.delayed_asgd_moments(1.0, 0.0, 1e6, 1e-3, 1.01 * limit, d)
    assert not m.stable


L, W_STAR, TAU, S_NOISE, LR, STAGES, TRIALS = 1.0, 0.3, 1.0, 0.3, 0.1, 5, 200


@pytest.fixture(scope="module")
def delayed_runs():
    """Coordinate i of a 5-dim quadratic is stage i + 1, so its gradient is 4 - i steps stale."""
    prob = ak.Quadratic(L=L, w_star=W_STAR, dim=STAGES, noise=ak.GaussianNoise(S_NOISE))
    run = dict(
        stages=STAGES,
        mode="async",
        device=ak.LinearDevice(TAU),
        steps=12000,
        trials=TRIALS,
        rng=np.random.default_rng(7),
        w0=W_STAR,
        record_every=10,
        record_weights=True,
    )
    asgd = ak.pipeline(prob, ak.analog_sgd, lr=LR, **run)
    run["rng"] = np.random.default_rng(8)
    tt = ak.pipeline(prob, ak.tiki_taka, lr=LR, transfer_lr=0.05, gamma=0.5, **run)
    return asgd, tt


def test_fixed_point_does_not_depend_on_the_delay_and_the_variance_grows(delayed_runs):
    asgd, _ = delayed_runs
    W = asgd.weights[len(asgd.steps) // 4 :]  # (R, trials, stages)
    means = W.mean(axis=0)  # per trial
    varis = W.var(axis=0)
    prev = np.inf
    for i in range(STAGES):
        d = STAGES - 1 - i
        m = tp.delayed_asgd_moments(L, W_STAR, TAU, S_NOISE, LR, d)
        se_mean = means[:, i].std(ddof=1) / np.sqrt(TRIALS)
        se_var = varis[:, i].std(ddof=1) / np.sqrt(TRIALS)
        # first-order model: the mean within 4 SE plus 0.002 (second order in lr), the
        # variance within 4 SE plus 3 % (the model linearises |g|)
        assert abs(means[:, i].mean() - m.mean) < 4 * se_mean + 0.002, d
        assert abs(varis[:, i].mean() - m.var) < 4 * se_var + 0.03 * m.var, d
        assert m.var < prev  # less delay, less variance
        prev = m.var
    # the drift off w* is the same at delay 0 and delay 4, and far larger than their gap
    gap = abs(means[:, 0].mean() - means[:, -1].mean())
    assert abs(means[:, -1].mean() - W_STAR) > 20 * gap


def test_tiki_taka_still_removes_the_floor_with_delay(delayed_runs):
    asgd, tt = delayed_runs
    Weff = tt.effective_weights[len(tt.steps) // 4 :].mean(axis=0)  # per trial, (trials, dim)
    A = asgd.weights[len(asgd.steps) // 4 :].mean(axis=0)
    for i in range(STAGES):
        se = Weff[:, i].std(ddof=1) / np.sqrt(TRIALS)
        assert abs(Weff[:, i].mean() - W_STAR) < 4 * se + 0.01
        assert abs(A[:, i].mean() - W_STAR) > 0.05


def test_bad_inputs():
    with pytest.raises(ValueError, match="mode"):
        tp.cycles(4, 2, 2, "pipedream")
    with pytest.raises(ValueError, match="multiple"):
        tp.cycles(3, 2, 2, "sync")
    with pytest.raises(ValueError, match="samples"):
        tp.cycles(-2, 2, 1, "async")
    with pytest.raises(ValueError, match="stages"):
        tp.schedule(0, 2)
    with pytest.raises(TypeError, match="delay"):
        tp.delay_stability_limit(1.5)
    with pytest.raises(ValueError, match="w_star"):
        tp.delayed_asgd_moments(1.0, 2.0, 1.0, 0.3, 0.1, 1)
    with pytest.raises(ValueError, match="delay"):
        tp.delayed_asgd_moments(1.0, 0.2, 1.0, 0.3, 0.1, 31)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert tp.cycles(0, 3, mode="async") == 0.0
