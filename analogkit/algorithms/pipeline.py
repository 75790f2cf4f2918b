"""Pipeline training across analog tiles (paper 4's setting): a network's layers as pipeline
stages, trained synchronously (GPipe-like) or asynchronously (PipeDream-like) with any analogkit
algorithm per stage.

This is analogkit's own model of the setting of Wu, Xiao, Gokmen, Tsai, El Maghraoui and Chen
(arXiv:2410.15155), of which only the abstract is public; it is not a re-creation of that paper's
experiments. The training core is untouched: :func:`pipeline` wraps the problem in
:class:`Pipelined`, whose ``stochastic_grad`` is what the pipeline computes, and runs the
algorithm's own rule and loop on it. One clock cycle is one stage doing one forward or one backward
pass on one micro-batch of ``b`` samples (``b = problem.batch``, 1 for a problem without one):

* ``mode="sync"`` -- M micro-batches flow through the S stages and drain before the update, which
  uses the mean of their M gradients at the current weights (no staleness): 2(M + S - 1) cycles
  and M b samples per update; every stage idles a fraction (S - 1)/(M + S - 1) (the bubble).
* ``mode="async"`` -- one update per micro-batch (1F1B with weight stashing): stage s of S
  computes its forward and backward pass of micro-batch m with the weights it had S - s updates
  earlier and applies the update to its current weights. The gradient of micro-batch m is taken
  at the assembled vector (stage 1 at its version m - (S - 1), ..., stage S at version m; versions
  before 0 are the initial weights), and every stage applies its own slice. 2(S - 1) cycles fill
  the pipeline, then one update completes every 2 cycles: 2(S - 1) + 2K cycles for K updates,
  b samples per update.

A stage's weights are what the algorithm reads (``W + gamma P`` for Tiki-Taka), so the stashed
versions are the read weights. With S = 1 (and M = 1) both modes are the plain algorithm, bit for
bit.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import numpy as np

from analogkit._validate import integer
from analogkit.algorithms._setup import MAX_WORK
from analogkit.algorithms.chopped import agad, c_ttv2
from analogkit.algorithms.mixed_precision import mixed_precision
from analogkit.algorithms.multi_tile import multi_tile
from analogkit.algorithms.sgd import analog_sgd, digital_sgd
from analogkit.algorithms.transfer import tiki_taka, ttv2
from analogkit.problems import Problem
from analogkit.trace import Trace

__all__ = ["Pipelined", "pipeline", "stage_slices", "ALGORITHMS", "MODES"]

#: the algorithms a pipeline runs per stage, name -> public function
ALGORITHMS = {
    f.__name__: f
    for f in (digital_sgd, analog_sgd, tiki_taka, ttv2, multi_tile, mixed_precision, c_ttv2, agad)
}
MODES = ("sync", "async")
#: the most stages (and micro-batches) a pipeline takes
MAX_STAGES = 256


def stage_slices(problem: Problem, stages: int) -> list[slice]:
    """The S contiguous parameter ranges of the S stages: a network's layers (``problem.layers``
    of an MLP or a DeepLinear) grouped into S runs of consecutive layers, as even as possible; the
    coordinates of any other problem split into S contiguous blocks."""
    layers = getattr(problem, "layers", None)
    if layers:
        bounds = [(a.start, b.stop) for a, b, _, _ in layers]
        what = f"the network's {len(bounds)} layers"
    else:
        bounds = [(i, i + 1) for i in range(problem.dim)]
        what = f"the problem's {problem.dim} coordinates"
    if stages > len(bounds):
        raise ValueError(f"stages must lie in [1, {len(bounds)}] ({what}), got {stages}")
    groups = np.array_split(np.arange(len(bounds)), stages)
    return [slice(bounds[g[0]][0], bounds[g[-1]][1]) for g in groups]


class Pipelined(Problem):
    """``problem`` as an S-stage pipeline sees it: ``stochastic_grad`` returns the gradient the
    pipeline computes for one update; ``loss``, ``grad`` and the metrics are the problem's own at
    the current weights.

    Args:
        problem: the network (or any Problem).
        slices: the stages' parameter ranges (:func:`stage_slices`).
        mode: "sync" or "async".
        micro_batches: M, micro-batches per update (sync; 1 for async).
    """

    def __init__(self, problem: Problem, slices: list, mode: str, micro_batches: int):
        self.problem = problem
        self.slices = list(slices)
        self.mode = mode
        self.micro_batches = micro_batches
        self.dim = problem.dim
        self.noise = problem.noise
        self.f_star = problem.f_star
        self.history = None  # (S - 1, trials, dim): the read weights of the last S - 1 steps
        self.calls = 0  # stochastic gradients asked for = updates made

    def __getattr__(self, name):  # w_star, smoothness, batch, accuracy, ... of the problem
        if name == "problem":
            raise AttributeError(name)
        return getattr(self.problem, name)

    def __repr__(self):
        return (
            f"Pipelined({self.problem!r}, stages={len(self.slices)}, mode={self.mode!r}, "
            f"micro_batches={self.micro_batches})"
        )

    def loss(self, W):
        return self.problem.loss(W)

    def excess_loss(self, W, *, check: bool = True):
        return self.problem.excess_loss(W, check=check)

    def grad(self, W, *, check: bool = True):
        return self.problem.grad(W, check=check)

    def metrics(self) -> dict:
        return self.problem.metrics()

    def loss_scale(self) -> float:
        return self.problem.loss_scale()

    def stochastic_grad(self, W, rng, *, exact=None, check: bool = True):
        """The gradient of one update: the mean of M micro-batch gradients at W (sync), or one
        micro-batch's gradient at the stale assembled vector (async).

        Args:
            W: the current read weights, (trials, dim).
            rng: random generator (minibatches, noise).
            exact: the exact gradient at W if the caller has it (used by sync, and by async only
                when no stage is stale).
            check: validate W and rng.
        """
        if check:
            W = self._check_W(W)
        self.calls += 1
        if self.mode == "sync":
            g = self.problem.stochastic_grad(W, rng, exact=exact, check=check)
            for _ in range(self.micro_batches - 1):
                g += self.problem.stochastic_grad(W, rng, check=check)
            if self.micro_batches > 1:
                g /= self.micro_batches
            return g
        S = len(self.slices)
        if S == 1:
            return self.problem.stochastic_grad(W, rng, exact=exact, check=check)
        if self.history is None:  # before the first update every version is the initial one
            self.history = np.repeat(W[None], S - 1, axis=0)
            self.newest = 0
        hist, newest = self.history, self.newest
        stale = np.empty_like(W)
        for s, sl in enumerate(self.slices):  # stage s + 1 reads the version S - 1 - s steps old
            delay = S - 1 - s
            stale[:, sl] = W[:, sl] if delay == 0 else hist[(newest - delay + 1) % (S - 1), :, sl]
        self.newest = (newest + 1) % (S - 1)
        hist[self.newest] = W
        return self.problem.stochastic_grad(stale, rng, check=check)


def _cycles_and_samples(steps: np.ndarray, S: int, M: int, mode: str, b: int):
    k = np.asarray(steps, dtype=np.int64)
    if mode == "sync":
        return 2 * (M + S - 1) * k, M * b * k
    return np.where(k > 0, 2 * (S - 1) + 2 * k, 0), b * k


def pipeline(
    problem: Problem,
    algorithm,
    *,
    stages: int,
    mode: str = "sync",
    micro_batches: int | None = None,
    **kwargs,
) -> Trace:
    """Train ``problem`` as an S-stage pipeline with ``algorithm`` on every stage (analogkit's model
    of paper 4's setting, arXiv:2410.15155; see the module docstring for the two schedules).

    ``ak.pipeline(net, ak.analog_sgd, stages=4, mode="async", device=dev, lr=0.05, steps=2000,
    trials=16, rng=rng)`` runs ``ak.analog_sgd(Pipelined(net, ...), device=dev, lr=0.05, ...)``:
    the algorithm's own rule and loop, one update per step (``steps`` counts updates). With
    ``stages=1`` (and ``micro_batches=1`` in sync mode) the Trace equals the plain algorithm's bit
    for bit.

    Args:
        problem: an ``ak.networks.MLP`` or ``DeepLinear`` (one stage per group of consecutive
            layers), or any Problem (its coordinates split into S blocks).
        algorithm: one of :data:`ALGORITHMS`, as the function (``ak.tiki_taka``) or its name.
        stages: S, integer in [1, number of layers (or coordinates)].
        mode: "sync" (GPipe-like) or "async" (PipeDream-like, 1F1B with weight stashing).
        micro_batches: M, micro-batches per update in sync mode, integer in [1, 256] (default S);
            async mode takes one update per micro-batch (None or 1).
        **kwargs: the algorithm's own arguments (device, lr, steps, trials, rng, ...).

    Returns:
        The algorithm's Trace at the current weights; ``meta`` gains ``"pipeline"`` (stages,
        mode, micro_batches, micro_batch, the bubble fraction), ``"cycles"`` and ``"samples"``:
        read-only (R,) int arrays, the clock cycles and samples spent by every record.
    """
    if not isinstance(problem, Problem):
        raise TypeError(
            f"problem must be an analogkit problem (MLP, DeepLinear, Quadratic, ...), "
            f"got {type(problem).__name__}"
        )
    if isinstance(problem, Pipelined):
        raise TypeError("problem is already a pipeline; pass the network itself")
    name = algorithm if isinstance(algorithm, str) else getattr(algorithm, "__name__", None)
    if name not in ALGORITHMS or not (isinstance(algorithm, str) or algorithm is ALGORITHMS[name]):
        raise ValueError(
            f"algorithm must be one of {sorted(ALGORITHMS)} (the function or its name), "
            f"got {algorithm!r}"
        )
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    stages = integer("stages", stages, 1)
    if stages > MAX_STAGES:
        raise ValueError(f"stages must lie in [1, {MAX_STAGES}], got {stages}")
    if mode == "async":
        if micro_batches is not None and integer("micro_batches", micro_batches, 1) != 1:
            raise ValueError(
                "micro_batches must be None or 1 in mode='async' (one update per micro-batch); "
                f"got {micro_batches}"
            )
        M = 1
    else:
        M = stages if micro_batches is None else integer("micro_batches", micro_batches, 1)
        if M > MAX_STAGES:
            raise ValueError(f"micro_batches must lie in [1, {MAX_STAGES}], got {M}")
    slices = stage_slices(problem, stages)
    if "problem" in kwargs:
        raise TypeError("pass the problem once, as the first argument")
    steps, trials = kwargs.get("steps"), kwargs.get("trials")
    if M > 1 and isinstance(steps, int) and isinstance(trials, int):  # M gradients per step
        work = float(integer("steps", steps, 0)) * integer("trials", trials, 1) * problem.dim * M
        if work > MAX_WORK:
            raise ValueError(
                f"steps x trials x dim x micro_batches = {work:.3g} exceeds {MAX_WORK:.0e} "
                "(hours of work); use fewer steps, trials or micro_batches"
            )
    wrapped = Pipelined(problem, slices, mode, M)
    trace = ALGORITHMS[name](wrapped, **kwargs)
    b = int(getattr(problem, "batch", 1))
    cycles, samples = _cycles_and_samples(trace.steps, stages, M, mode, b)
    for arr in (cycles, samples):
        arr.setflags(write=False)
    info = {
        "stages": stages,
        "mode": mode,
        "micro_batches": M,
        "micro_batch": b,
        "bubble": (stages - 1) / (M + stages - 1) if mode == "sync" else 0.0,
        "slices": tuple(slices),
    }
    meta = {**trace.meta, "problem": problem, "pipeline": info, "cycles": cycles}
    meta["samples"] = samples
    return dataclasses.replace(trace, meta=MappingProxyType(meta))
