"""The pipeline dashboard (notebook 07; analogkit's model of paper 4's setting, arXiv:2410.15155,
not its experiments): an 8-layer deep linear network trained as an S-stage pipeline, the loss
against samples and against clock cycles, the chosen mode beside the other one.

The setting is the figures' (:mod:`analogkit.figures.pipeline`) made small enough to answer a
slider within 200 ms: 8 layers of 4 x 4 analog weights (gain 2) on the teacher-student regression
drawn from seed 70 (teacher I + 0.5 N(0, 1/4), label noise 0.1), micro-batches of 16 samples,
1280 samples per run, LinearDevice(tau=0.7, asymmetry) from the identity, 4 trials, the figures'
learning rates (Analog SGD lr = 0.006; Tiki-Taka lr = 0.02, transfer_lr = 0.005, gamma = 0.5).
Sync makes one update per M micro-batches, async one per micro-batch, at the same learning rate.
Runs are cached per setting; an async run does not depend on M.
"""

from __future__ import annotations

import functools

import numpy as np

import analogkit as ak
from analogkit import networks
from analogkit.plotting import plot_message
from analogkit.style import COLORS
from analogkit.widgets.base import Dashboard, Result, dropdown, int_slider, slider
from analogkit.widgets.notes import run_notes
from analogkit.widgets.runs import SEED

__all__ = ["PipelineDashboard", "pipeline_dashboard", "ALGORITHMS", "MODES"]

#: dropdown name -> (function, its arguments besides the device)
ALGORITHMS = {
    "Analog SGD": (ak.analog_sgd, {"lr": 0.006}),
    "Tiki-Taka": (ak.tiki_taka, {"lr": 0.02, "transfer_lr": 0.005, "gamma": 0.5}),
}
MODES = ("sync", "async")
WIDTH, DEPTH, BATCH, TAU = 4, 8, 16, 0.7
SAMPLES, TRIALS, RECORDS = 1280, 4, 40
TARGET = 0.01  # the loss the cycles are counted to, as in the figures
MAX_STAGES = MAX_MICRO_BATCHES = 8


@functools.lru_cache(maxsize=1)
def network() -> ak.networks.DeepLinear:
    """The dashboard's network (teacher drawn from seed 70, as the figures')."""
    return ak.networks.DeepLinear(WIDTH, DEPTH, rng=np.random.default_rng(70), batch=BATCH)


@functools.lru_cache(maxsize=256)
def pipeline_run(algorithm, stages, mode, micro_batches, asymmetry):
    """One cached, seeded run (a frozen Trace with meta "samples" and "cycles"); ``micro_batches``
    must be 1 in mode "async"."""
    fn, kw = ALGORITHMS[algorithm]
    net = network()
    steps = SAMPLES // (micro_batches * BATCH)
    with networks.single_threaded():
        return ak.quietly(
            ak.pipeline,
            net,
            fn,
            stages=stages,
            mode=mode,
            micro_batches=micro_batches if mode == "sync" else None,
            device=ak.LinearDevice(TAU, asymmetry),
            steps=steps,
            trials=TRIALS,
            rng=np.random.default_rng(SEED),
            w0=net.init(TRIALS),
            record_every=max(1, steps // RECORDS),
            **kw,
        )


def cycles_to(trace, target: float = TARGET) -> float:
    """The clock cycles at the first record whose mean loss (over the trials that did not diverge)
    is below `target`; inf if none is."""
    below = np.flatnonzero(trace.mean_loss() < target)
    return float(trace.meta["cycles"][below[0]]) if below.size else float("inf")


class PipelineDashboard(Dashboard):
    """Loss against samples and against clock cycles of a pipelined deep linear network."""

    name = "pipeline"

    def controls(self):
        return {
            "stages": int_slider("stages", 4, 1, MAX_STAGES),
            "micro_batches": int_slider("micro_batches", 4, 1, MAX_MICRO_BATCHES),
            "mode": dropdown("mode", list(MODES), "async"),
            "algorithm": dropdown("algorithm", list(ALGORITHMS), "Analog SGD"),
            "asymmetry": slider("asymmetry", 0.0, -0.9, 0.9, 0.05),
        }

    def simulate(self, stages, micro_batches, mode, algorithm, asymmetry):
        S, M = int(stages), int(micro_batches)
        runs = {
            "sync": pipeline_run(algorithm, S, "sync", M, asymmetry),
            "async": pipeline_run(algorithm, S, "async", 1, asymmetry),
        }
        chosen = runs[mode]
        cycles = {m: cycles_to(tr) for m, tr in runs.items()}
        # a mode that misses the target has no cycles to it (and then there is no speed-up): those
        # numbers are left out and the message says so
        numbers = {
            "loss_final_sync": runs["sync"].tail_mean("loss"),
            "loss_final_async": runs["async"].tail_mean("loss"),
        }
        numbers |= {f"cycles_to_target_{m}": c for m, c in cycles.items() if np.isfinite(c)}
        if all(np.isfinite(c) for c in cycles.values()):
            numbers["speedup_sync_over_async"] = cycles["sync"] / cycles["async"]
        numbers |= {
            "bubble_sync": (S - 1) / (M + S - 1),
            "staleness_max": S - 1 if mode == "async" else 0,
            "updates": chosen.steps[-1],
            "samples": chosen.meta["samples"][-1],
            "cycles": chosen.meta["cycles"][-1],
        }
        messages = []
        for m, tr in runs.items():
            messages += run_notes(tr, f"{algorithm} {m}")
        for m, c in cycles.items():
            if not np.isfinite(c):
                messages.append(
                    f"{algorithm} {m} does not reach the target loss {TARGET:g} within its "
                    f"{int(runs[m].meta['samples'][-1])} samples: no speed-up to read off."
                )
        if S == 1:
            messages.append(
                "One stage: no pipeline. Async is the plain algorithm; sync averages M "
                "micro-batch gradients per update."
            )
        elif mode == "async":
            messages.append(
                f"Async: stage 1 reads weights {S - 1} updates old, stage {S} current ones; "
                "micro_batches sets only the sync curves."
            )
        data = {**runs, "mode": mode, "algorithm": algorithm, "stages": S, "M": M}
        return Result(numbers, messages, data)

    def draw(self, fig, result):
        axes = fig.subplots(1, 2)
        d = result.data
        color = COLORS["analog"] if d["algorithm"] == "Analog SGD" else COLORS["tiki-taka"]
        runs = {m: d[m] for m in MODES}
        if all(tr.diverged.all() for tr in runs.values()):
            for ax in axes:
                plot_message(ax, "every trial diverged")
            return
        for ax, key, label in zip(axes, ("samples", "cycles"), ("samples", "clock cycles")):
            for m, tr in runs.items():
                chosen = m == d["mode"]
                ax.plot(
                    tr.meta[key],
                    tr.mean_loss(),
                    color=color if chosen else "0.55",
                    ls="-" if chosen else "--",
                    lw=1.8 if chosen else 1.2,
                    label=m + (f", M = {d['M']}" if m == "sync" else ""),
                )
            ax.axhline(TARGET, color="0.6", lw=0.8, ls=":", label=f"target {TARGET:g}")
            ax.set_yscale("log")
            ax.set_xlabel(label)
            ax.set_title(f"{d['algorithm']}, S = {d['stages']}: loss against {label}")
        axes[0].set_ylabel("loss f − f* (mean over trials)")
        axes[1].legend(loc="upper right")


def pipeline_dashboard(**values) -> PipelineDashboard:
    """stages, micro_batches, mode, algorithm, asymmetry -> the loss against samples and cycles."""
    return PipelineDashboard(**values)
