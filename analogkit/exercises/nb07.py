"""The exercises of notebook 07 · Pipeline training across analog tiles."""

from __future__ import annotations

from analogkit.exercises._checkers import close_to
from analogkit.exercises._registry import notebook

exercise = notebook(__name__)

#: exercise 07.2's setting: Analog SGD on f = L/2 (w - w*)^2, LinearDevice(tau), noise s, delay d
DELAYED = {"L": 1.0, "w_star": 0.3, "tau": 0.8, "noise_std": 0.3, "lr": 0.1, "delay": 3}


def _async_cycles():
    stages, micro_batches = 4, 10
    return 2 * (stages - 1) + 2 * micro_batches


exercise(
    1,
    prompt="An asynchronous (1F1B) pipeline of S = 4 stages trains on 10 micro-batches. From the "
    "pattern of the schedule table above (S = 3, 4 micro-batches), predict the clock cycles until "
    "all 10 updates are done, then check it with tp.schedule(4, 10, 'async'). (exact)",
    solution=_async_cycles,
    checker=close_to(_async_cycles, rtol=0.0, atol=0.5),
    hint="How many cycles pass before the first micro-batch's backward pass leaves stage 1, and "
    "how many cycles separate two finished micro-batches after that?",
    note="the fill costs 2(S - 1) cycles once; from then on one update finishes every 2 cycles.",
)


def _delayed_mean():
    from analogkit.theory import asgd_fixed_point

    x = DELAYED
    return float(asgd_fixed_point(x["L"], x["w_star"], x["tau"], x["noise_std"]))


exercise(
    2,
    prompt="Analog SGD on f = (w - 0.3)^2/2 with LinearDevice(tau=0.8), Gaussian gradient noise "
    "of std 0.3 and lr = 0.1, on a stage whose gradient is 3 steps stale. Predict its stationary "
    "mean weight to first order, then check it against ak.theory.pipeline.delayed_asgd_moments. "
    "(1 % tolerance)",
    solution=_delayed_mean,
    checker=close_to(_delayed_mean, rtol=0.01),
    hint="In the stationary state the stale weight has the same law as the current one. Which "
    "equation does the mean update then have to satisfy, and does the delay appear in it?",
    note="the delay changes the variance and the stability, not the drift towards the symmetric "
    "point: the fixed point is the undelayed one.",
)


#: exercise 07.3's setting: the pipeline dashboard's (analogkit.widgets.pipeline), sync, M = 4
DASHBOARD = {"width": 4, "depth": 8, "batch": 16, "tau": 0.7, "lr": 0.006, "samples": 1280}


def _sync_cycles_at_8():
    import numpy as np

    import analogkit as ak

    x, M, trials = DASHBOARD, 4, 4
    net = ak.networks.DeepLinear(
        x["width"], x["depth"], rng=np.random.default_rng(70), batch=x["batch"]
    )
    trace = ak.quietly(
        ak.pipeline,
        net,
        ak.analog_sgd,
        stages=8,
        mode="sync",
        micro_batches=M,
        device=ak.LinearDevice(x["tau"]),
        lr=x["lr"],
        steps=x["samples"] // (M * x["batch"]),
        trials=trials,
        rng=np.random.default_rng(2024),
        w0=net.init(trials),
        record_every=1,
    )
    below = np.flatnonzero(trace.mean_loss() < 0.01)
    return float(trace.meta["cycles"][below[0]])


exercise(
    3,
    prompt="In the dashboard above (Analog SGD, asymmetry 0, micro_batches = 4), read off "
    "cycles_to_target_sync at 4 stages. Predict it at 8 stages without moving the slider, then "
    "move stages to 8 and check. (exact)",
    solution=_sync_cycles_at_8,
    checker=close_to(_sync_cycles_at_8, rtol=0.0, atol=0.5),
    hint="Does the number of stages change any of the weights a synchronous update reads, or the "
    "gradient it averages? What does it change?",
    note="sync has no staleness: every update is the same at any depth, and only the cycles per "
    "update, 2(M + S - 1), grow (from 14 to 22).",
)
