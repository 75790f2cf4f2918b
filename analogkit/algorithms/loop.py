"""The one training loop every algorithm runs: read the weight, get the gradient, step, record."""

from __future__ import annotations

import numpy as np

from analogkit.algorithms.tile import Rule
from analogkit.problems import Problem
from analogkit.trace import Recorder, Trace


def train(
    problem: Problem,
    rule: Rule,
    *,
    steps: int,
    rng: np.random.Generator,
    record_every: int = 1,
    record_weights: bool = False,
    metrics: dict | None = None,
    meta: dict,
) -> Trace:
    """Run `rule` on `problem` for `steps` steps over every trial at once; return the Trace.

    Each step reads the weight the gradient is taken at (``rule.read()``), draws the stochastic
    gradient there (the exact gradient plus the problem's noise, drawn *before* any absolute
    value is taken) and hands it to ``rule.step``. At the recorded steps the exact gradient and
    f - f* are recorded first; trials that diverged are restarted from their initial state
    (their records stay NaN), so that a diverging trial never poisons the others. Arguments are
    not checked here: the public algorithm functions check them once.

    Args:
        problem: the objective and its gradient noise.
        rule: the algorithm, holding its tiles and state.
        steps: number of iterations.
        rng: random generator (noise, pulse rounding, reads).
        record_every: record every this many steps (step 0 and the last step always).
        record_weights: also record every tile's weights.
        metrics: extra metrics, name -> function of the read weight returning (trials,);
            merged with the problem's own (``problem.metrics()``), which they may override.
        meta: the algorithm's name and parameters, stored in the Trace.
    """
    W = rule.read()
    rec = Recorder(
        steps,
        record_every,
        W.shape[0],
        W.shape[1],
        tiles=tuple(rule.tiles),
        record_weights=record_weights,
        metrics={**problem.metrics(), **(metrics or {})},
        loss_scale=problem.loss_scale(),
        weight_scale=float(np.max(np.abs(getattr(problem, "w_star", 0.0)), initial=0.0)),
    )
    with np.errstate(all="ignore"):
        for k in range(steps):
            W = rule.read()
            exact = None
            if k == rec.next:
                exact = problem.grad(W, check=False)
                bad = rec.record(k, W, problem.excess_loss(W, check=False), exact, rule.values())
                if bad is not None:  # restart diverged trials; their records stay NaN
                    rule.reset(bad)
                    W = rule.read()
                    exact = problem.grad(W, check=False)
            g = problem.stochastic_grad(W, rng, exact=exact, check=False)
            rule.step(g, k, rng)
        W = rule.read()
        grad = problem.grad(W, check=False)
        rec.record(steps, W, problem.excess_loss(W, check=False), grad, rule.values())
    pinned = [p for p in (t.pinned() for t in rule.tiles.values()) if p is not None]
    writes = sum(t.writes for t in rule.tiles.values())
    truncated = sum(t.truncated for t in rule.tiles.values()) / writes if writes else 0.0
    return rec.finish(
        rule.values(),
        {**meta, "mixing": dict(rule.mixing)},
        pinned=np.max(pinned, axis=0) if pinned else None,
        truncated=truncated,
    )
