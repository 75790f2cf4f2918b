"""Pipeline training (notebook 07; analogkit's model of paper 4's setting, arXiv:2410.15155, not
its experiments): loss against samples and against clock cycles, synchronous and asynchronous,
Analog SGD and Tiki-Taka, at 2, 4 and 8 stages; and the speed-up in cycles to a target loss.

The setting of both figures (:data:`SETTING`): a deep linear network of 8 layers of 4 x 4 analog
weights (gain 2, so that weights of 0.5 make the identity map) on a teacher-student regression
(teacher I + 0.5 N(0, 1/4), label noise 0.1), micro-batches of 8 samples, 6400 samples per run, LinearDevice(tau=0.7)
(paper 1's ALD, symmetric point 0), from the identity, 8 trials. Analog SGD lr = 0.006; Tiki-Taka lr = 0.02,
transfer_lr = 0.005, gamma = 0.5. S stages take 8/S consecutive layers each; sync uses M = S
micro-batches per update. Both modes get the same learning rate per update and the same number
of samples.
"""

from __future__ import annotations

import functools

import numpy as np

import analogkit as ak
from analogkit.figures._common import rng
from analogkit.figures._registry import FigureData, FigureSpec, Row
from analogkit.style import COLORS

STAGES = (2, 4, 8)
MODES = ("sync", "async")
TARGET = 0.01  # the target loss of the speed-up
SETTING = dict(width=4, depth=8, batch=8, tau=0.7, samples=6_400, trials=8)
ALGOS = {
    "Analog SGD": (ak.analog_sgd, dict(lr=0.006)),
    "Tiki-Taka": (ak.tiki_taka, dict(lr=0.02, transfer_lr=0.005, gamma=0.5)),
}
_COLORS = dict(zip(STAGES, ("#2ca02c", "#1f77b4", "#9467bd")))


def network() -> ak.networks.DeepLinear:
    """The figures' network (teacher drawn from seed 70)."""
    s = SETTING
    return ak.networks.DeepLinear(s["width"], s["depth"], rng=rng(70), batch=s["batch"])


def first_below(trace, target, x) -> float:
    """The first x (samples or cycles) at which the trials' mean loss is below `target` (NaN if
    never)."""
    below = np.flatnonzero(np.nanmean(trace.loss, axis=1) < target)
    return float(x[below[0]]) if below.size else float("nan")


@functools.lru_cache(maxsize=2)
def runs(quick: bool = False) -> dict:
    """(algorithm, S, mode) -> Trace, every run with the same samples and seed."""
    s = SETTING
    net = network()
    samples = s["samples"] // (2 if quick else 1)
    trials = 4 if quick else s["trials"]
    device = ak.LinearDevice(tau=s["tau"])
    out = {}
    for algo, (fn, kw) in ALGOS.items():
        for S in STAGES:
            for mode in MODES:
                M = S if mode == "sync" else 1
                steps = samples // (M * s["batch"])
                out[algo, S, mode] = ak.quietly(
                    ak.pipeline,
                    net,
                    fn,
                    stages=S,
                    mode=mode,
                    micro_batches=M if mode == "sync" else None,
                    device=device,
                    steps=steps,
                    trials=trials,
                    rng=rng(71),
                    w0=net.init(trials),
                    record_every=max(steps // 400, 1),
                    **kw,
                )
    return out


def compute_pipeline_curves(quick: bool = False) -> FigureData:
    """Loss against samples and against clock cycles (setting in the module docstring): the
    mean over the trials of the loss of every record, for both algorithms, both modes and
    2, 4, 8 stages. Rows: each run's final loss (mean over the last 20 % of records and trials).
    """
    traces = runs(quick)
    rows = {}
    for (algo, S, mode), tr in traces.items():
        quantity = f"{algo}, {mode}, {S} stages: loss over the last 20 % of the samples"
        rows[quantity] = Row(
            quantity,
            tr.tail_mean("loss"),
            note=f"{int(tr.meta['samples'][-1])} samples, {int(tr.meta['cycles'][-1])} cycles",
        )
    return FigureData(rows, traces=traces)


def speedup_quantity(algo: str, stages: int) -> str:
    """The summary row's name of the speed-up of ``algo`` at ``stages``."""
    return f"{algo}, {stages} stages: cycles to loss {TARGET} (sync / async)"


def draw_pipeline_curves(fig, data: FigureData) -> None:
    axes = fig.subplots(2, 2, sharey=True)
    for r, algo in enumerate(ALGOS):
        for c, (key, label) in enumerate((("samples", "samples"), ("cycles", "clock cycles"))):
            ax = axes[r, c]
            for S in STAGES:
                for mode in MODES:
                    tr = data.traces[algo, S, mode]
                    ax.plot(
                        tr.meta[key],
                        np.nanmean(tr.loss, axis=1),
                        color=_COLORS[S],
                        ls="-" if mode == "async" else "--",
                        lw=1.2,
                        label=f"{mode}, S = {S}",
                    )
            ax.axhline(TARGET, color="0.6", lw=0.8, ls=":")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel(label)
            ax.set_title(f"{algo}: loss against {label}", fontsize=9)
        axes[r, 0].set_ylabel("loss f − f* (mean over trials)")
    axes[0, 1].legend(fontsize=7, ncol=2, loc="lower left")
    fig.suptitle(
        "Pipelines over an 8-layer deep linear network: sync (dashed, M = S) and async (solid); "
        "analogkit's model of paper 4's setting",
        fontsize=9,
    )


def compute_pipeline_speedup(quick: bool = False) -> FigureData:
    """The speed-up in clock cycles of async over sync to reach a mean loss of 0.01, at 2, 4 and
    8 stages, for both algorithms, beside the cycles-per-sample ratio (M + S - 1)/M of the two
    schedules (:func:`analogkit.theory.pipeline.cycles_derivation`): the part of the speed-up
    that comes from keeping the stages busy; the rest comes from async making M times more
    updates per sample at the same learning rate."""
    traces = runs(quick)
    rows, speedup = {}, {}
    for algo in ALGOS:
        for S in STAGES:
            sync = first_below(
                traces[algo, S, "sync"], TARGET, traces[algo, S, "sync"].meta["cycles"]
            )
            asy = first_below(
                traces[algo, S, "async"], TARGET, traces[algo, S, "async"].meta["cycles"]
            )
            speedup[algo, S] = sync / asy
            quantity = speedup_quantity(algo, S)
            rows[quantity] = Row(
                quantity,
                speedup[algo, S],
                (S + S - 1) / S,
                f"sync {sync:.0f}, async {asy:.0f} cycles; reference (M + S - 1)/M, M = S",
            )
    return FigureData(rows, speedup=speedup)


def draw_pipeline_speedup(fig, data: FigureData) -> None:
    ax = fig.subplots()
    x = np.arange(len(STAGES))
    for k, (algo, color) in enumerate(zip(ALGOS, (COLORS["analog"], COLORS["tiki-taka"]))):
        vals = [data.speedup[algo, S] for S in STAGES]
        ax.bar(x + (k - 0.5) * 0.35, vals, 0.35, color=color, label=algo)
    ax.plot(
        x,
        [(2 * S - 1) / S for S in STAGES],
        "o-",
        color=COLORS["theory"],
        label="(M + S − 1)/M: cycles per sample, sync / async",
    )
    ax.set_xticks(x, [f"S = {S}" for S in STAGES])
    ax.set_ylabel(f"cycles to loss {TARGET}: sync / async")
    ax.set_yscale("log")
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title(
        "Speed-up of async over sync in clock cycles (M = S, same lr per update)", fontsize=9
    )


pipeline_curves = FigureSpec(
    "pipeline_curves",
    compute_pipeline_curves,
    draw_pipeline_curves,
    figsize=(11, 7.5),
    caption="Loss against samples and clock cycles, sync and async, 2, 4 and 8 stages.",
)

pipeline_speedup = FigureSpec(
    "pipeline_speedup",
    compute_pipeline_speedup,
    draw_pipeline_speedup,
    figsize=(6.8, 4.4),
    caption="The speed-up in clock cycles of async over sync to a target loss.",
)
