"""Multi-tile residual learning (paper 3): N + 1 tiles whose geometric sum is the weight.

Paper 3 (Li, Wu, Liu, Gokmen, Chen, arXiv 2510.02516 v1) §3, eqs. (4)-(7) and Algorithm 1. Tiles
W^(0), ..., W^(N) make the weight W̄ = sum_n gamma^n W^(n) (eq. (4)). Only the last tile sees
gradients, every step (eq. (6))::

    W^(N) <- U_q(W^(N), -lr grad f(W̄; xi))

and tile n < N receives ``transfer_lr`` times tile n+1 once tile n+1 has finished an inner loop of
T_{n+1} updates (eq. (7))::

    W^(n) <- U_q(W^(n), transfer_lr W~^(n+1))

so tile n moves once every T_{n+1} T_{n+2} ... T_N steps and is frozen in between; no tile is ever
reset. A tile that leaves a residual E leaves gamma E after one more tile: the floor shrinks
geometrically with N (paper 3 Thm 3, Cor. 1).
"""

from __future__ import annotations

import math

import numpy as np

from analogkit._validate import integer, param
from analogkit.algorithms import _setup as check
from analogkit.algorithms._setup import InitialWeights
from analogkit.algorithms.loop import train
from analogkit.algorithms.tile import Rule, Tile
from analogkit.devices import Device
from analogkit.problems import Problem
from analogkit.pulses import PulseConfig
from analogkit.trace import Trace

__all__ = ["MultiTile", "multi_tile", "default_inner_steps", "MAX_TILES"]

#: the most tiles a run may stack
MAX_TILES = 12
#: the longest period (steps between two updates of tile 0) a schedule may ask for
_MAX_PERIOD = 10**12


def default_inner_steps(gamma: float, tiles: int) -> tuple[int, ...]:
    """Paper 3 Cor. 1's schedule, T_1, ..., T_N: ceil(1/gamma) for the tiles 1..N-1 and
    ceil(gamma^-N) for the gradient tile N (its weight in W̄ is gamma^N, so it needs about
    gamma^-N steps to move W̄ by O(1))."""
    n = tiles - 1
    return tuple([math.ceil(1 / gamma - 1e-9)] * (n - 1) + [math.ceil(gamma**-n - 1e-9)])[:n]


class MultiTile(Rule):
    """Paper 3 eqs. (6)-(7): gradients onto the last tile, scheduled transfers down the stack."""

    name = "multi_tile"

    def __init__(self, tiles, lr, transfer_lr, gamma, inner_steps, warm_start):
        self.stack = list(tiles)
        self.tiles = {f"W{n}": t for n, t in enumerate(self.stack)}
        self.mixing = {f"W{n}": gamma**n for n in range(len(self.stack))}
        self.neg_lr = -lr
        self.transfer_lr = transfer_lr
        self.gamma = gamma
        self.inner_steps = tuple(inner_steps)
        # tile n < N moves every period[n] = T_{n+1} ... T_N steps
        self.period = [math.prod(self.inner_steps[n:]) for n in range(len(self.stack) - 1)]
        self.warm_start = warm_start
        self.coef = gamma ** (len(self.stack) - 1)
        self._lower = None  # sum_{n<N} gamma^n W^(n), kept while the lower tiles are frozen

    def _lower_sum(self):
        if self._lower is None and len(self.stack) > 1:
            lower = self.stack[0].value()
            for n, tile in enumerate(self.stack[1:-1], start=1):
                lower = lower + self.gamma**n * tile.value()
            self._lower = lower
        return self._lower

    def read(self):
        top = self.stack[-1].value()
        if len(self.stack) == 1:
            return top
        return self._lower_sum() + self.coef * top

    def step(self, g, k, rng):
        g *= self.neg_lr
        top = self.stack[-1]
        top.write(g, rng)  # (6)
        N = len(self.stack) - 1
        if not N:
            return
        phase = k // self.warm_start if self.warm_start else N
        if phase < N:  # Algorithm 1's warm start: the gradient tile fills tile `phase` first
            if (k + 1) % self.inner_steps[-1] == 0:
                self.stack[phase].write(top.value() * self.transfer_lr, rng)
                self._lower = None
            return
        for n in range(N - 1, -1, -1):  # (7), the tile just above first
            if (k + 1) % self.period[n] == 0:
                self.stack[n].write(self.stack[n + 1].value() * self.transfer_lr, rng)
                self._lower = None

    def reset(self, bad):
        super().reset(bad)
        self._lower = None


def _inner_steps(value, gamma, tiles) -> tuple[int, ...]:
    if value is None:
        decades = -(2 * tiles - 3) * math.log10(gamma)  # T_1 ... T_N >= gamma^-(2 tiles - 3)
        if decades > math.log10(_MAX_PERIOD):
            raise ValueError(
                f"Cor. 1's schedule for gamma = {gamma:g} and {tiles} tiles makes tile 0 move once "
                f"every gamma^-(2 tiles - 3) = 1e{decades:.0f} steps or more (at most "
                f"{_MAX_PERIOD:.0e}); use fewer tiles or a larger gamma"
            )
        steps = default_inner_steps(gamma, tiles)
    elif isinstance(value, (list, tuple)):
        if len(value) != tiles - 1:
            raise ValueError(
                f"inner_steps must give one inner-loop length per tile above the first "
                f"(tiles - 1 = {tiles - 1}), got {len(value)}"
            )
        steps = tuple(integer(f"inner_steps[{i}]", v, 1) for i, v in enumerate(value))
    else:
        steps = (integer("inner_steps", value, 1),) * (tiles - 1)
    if math.prod(steps) > _MAX_PERIOD:
        raise ValueError(
            f"inner_steps {steps} make tile 0 move once every {math.prod(steps):.3g} steps "
            f"(at most {_MAX_PERIOD:.0e}); use fewer tiles or a larger gamma"
        )
    return steps


def multi_tile(
    problem: Problem,
    device: Device,
    lr: float,
    transfer_lr: float,
    gamma: float,
    *,
    tiles: int,
    inner_steps: int | tuple[int, ...] | None = None,
    warm_start: int = 0,
    zero_shift: bool = False,
    pulse: PulseConfig | None = None,
    w0: InitialWeights = 0.0,
    steps: int,
    trials: int,
    rng: np.random.Generator,
    record_every: int = 1,
    record_weights: bool = False,
) -> Trace:
    """Multi-tile residual learning, paper 3 eqs. (4)-(7) and Algorithm 1.

    W̄ = sum_n gamma^n W^(n) over ``tiles`` = N + 1 tiles on the same device; the gradient is taken
    at W̄ and written onto W^(N) every step; tile n < N receives ``transfer_lr * W^(n+1)`` after
    every inner loop of T_{n+1} updates of tile n+1 (lower tiles frozen meanwhile). ``tiles=1``
    is Analog SGD, and ``tiles=2`` with ``inner_steps=T`` is residual learning
    (:func:`analogkit.tiki_taka` with ``transfer_every=T``), both bit for bit.

    Learning rates (paper 3's names): ``lr`` = alpha, Theta(1) in Cor. 1; ``transfer_lr`` = beta,
    Theta(gamma^2) in Cor. 1; ``gamma`` in (0, 1), Cor. 1 needs gamma <= 1/sqrt(6), and paper 3
    suggests slightly above 1/n_states. Paper 3's code numbers the tiles the other way round
    (index 0 is the gradient tile).

    Args:
        problem: the objective and its gradient noise.
        device: response function of every tile.
        lr: learning rate of the gradient tile W^(N), >= 0.
        transfer_lr: learning rate of every transfer W^(n+1) -> W^(n), >= 0.
        gamma: geometric weight of the tiles, in (0, 1).
        tiles: number of tiles N + 1, from 1 to 12.
        inner_steps: the inner-loop lengths T_1, ..., T_N (a sequence of tiles - 1 integers
            >= 1, one integer for all, or None for Cor. 1's schedule, see
            :func:`default_inner_steps`).
        warm_start: Algorithm 1's warm start, in steps per tile (0: none): for the first
            ``warm_start`` steps the gradient tile transfers into W^(0), for the next into
            W^(1), and so on up to W^(N-1), every T_N steps; then the schedule above. A fixed
            number of steps stands in for paper 3's "until the loss plateaus". A warm start of
            W^(0) from a digital model is ``w0``.
        zero_shift: read the tiles W^(1..N) against references at their symmetric point.
        pulse: None for expected updates, or a PulseConfig (e.g. ``PulseConfig.for_states``).
        w0: initial weights of W^(0) (the residual tiles start at 0).
        steps: number of iterations, >= 0.
        trials: number of independent trials, >= 1.
        rng: random generator.
        record_every: record every this many steps (step 0 and the last step always), >= 1.
        record_weights: also record every tile ("W0", ..., "WN") at every recorded step;
            ``Trace.effective_weights`` is then W̄.

    Returns:
        The Trace; loss and grad_norm2 are taken at W̄.
    """
    steps, trials, rng, record_every, record_weights = check.common(
        problem, steps, trials, rng, record_every, record_weights
    )
    lr = check.rate("lr", lr)
    transfer_lr = check.rate("transfer_lr", transfer_lr, high_open=False)
    gamma = param("gamma", gamma, 0.0, 1.0)
    if np.ndim(gamma):
        raise ValueError("gamma must be a scalar")
    tiles = integer("tiles", tiles, 1)
    if tiles > MAX_TILES:
        raise ValueError(f"tiles must lie in [1, {MAX_TILES}], got {tiles}")
    check.memory(problem, trials, 2 * tiles + 4)
    inner = _inner_steps(inner_steps, gamma, tiles)
    warm_start = integer("warm_start", warm_start, 0)
    zero_shift = check.flag("zero_shift", zero_shift)
    shape = (trials, problem.dim)
    device = check.device("device", device, shape)
    pulse = check.pulse(pulse, device)
    init = check.initial_weights(w0, rng, shape)
    reference = "symmetric point" if zero_shift else None
    stack = [Tile(device, shape, pulse=pulse, init=init)]
    stack += [Tile(device, shape, pulse=pulse, reference=reference) for _ in range(tiles - 1)]
    rule = MultiTile(stack, lr, transfer_lr, gamma, inner, warm_start)
    meta = check.meta(
        "multi_tile",
        problem,
        steps,
        trials,
        record_every,
        lr=lr,
        transfer_lr=transfer_lr,
        gamma=gamma,
        tiles=tiles,
        inner_steps=inner,
        warm_start=warm_start,
        zero_shift=zero_shift,
        device=device,
        pulse=pulse,
        grad_point="sum_n gamma^n W^(n)",
    )
    return train(
        problem,
        rule,
        steps=steps,
        rng=rng,
        record_every=record_every,
        record_weights=record_weights,
        meta=meta,
    )
