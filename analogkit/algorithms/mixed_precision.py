"""Mixed precision (paper 3's "MP" baseline): a digital accumulator in front of one analog tile.

Nandakumar et al. 2020; aihwkit's ``MixedPrecisionCompound``; paper 3 §5's baseline. Each step the
scaled gradient is added to a digital accumulator chi, and only whole pulses are written::

    chi <- chi - lr g
    n   =  trunc(chi / dw_min)          (capped at max_pulses)
    W   <- n pulses of sign(n) on W      (the device's response, cycle noise)
    chi <- chi - n dw_min                (the remainder stays digital)

so the analog array sees no quantisation noise beyond its own granularity: the price is a digital
copy of every weight.
"""

from __future__ import annotations

import numpy as np

from analogkit.algorithms import _setup as check
from analogkit.algorithms._setup import InitialWeights
from analogkit.algorithms.loop import train
from analogkit.algorithms.tile import Rule, Tile
from analogkit.devices import Device
from analogkit.problems import Problem
from analogkit.pulses import PulseConfig
from analogkit.trace import Trace

__all__ = ["MixedPrecision", "mixed_precision"]


class MixedPrecision(Rule):
    """chi <- chi - lr g; fire trunc(chi/dw_min) pulses on W; keep the remainder in chi."""

    name = "mixed_precision"

    def __init__(self, tile: Tile, lr: float):
        self.tiles = {"W": tile}
        self.mixing = {"W": 1.0}
        self.W = tile
        self.neg_lr = -lr
        self.chi = np.zeros_like(tile.conductance)
        self.cap = tile.pulse.max_pulses

    def read(self):
        return self.W.value()

    def step(self, g, k, rng):
        g *= self.neg_lr
        self.chi += g
        n = np.trunc(self.chi / self.W.pulse.dw_min)
        if self.cap is not None:
            np.clip(n, -self.cap, self.cap, out=n)
        self.W.fire(n, rng)
        self.chi -= n * self.W.pulse.dw_min

    def reset(self, bad):
        super().reset(bad)
        self.chi[bad] = 0.0


def mixed_precision(
    problem: Problem,
    device: Device,
    lr: float,
    *,
    pulse: PulseConfig,
    w0: InitialWeights = 0.0,
    steps: int,
    trials: int,
    rng: np.random.Generator,
    record_every: int = 1,
    record_weights: bool = False,
) -> Trace:
    """Mixed-precision training: a digital accumulator fires whole pulses onto one analog tile.

    Args:
        problem: the objective and its gradient noise.
        device: response function of the array.
        lr: learning rate, >= 0 (paper 3's MP uses the optimiser's lr).
        pulse: the PulseConfig of the array (its dw_min is the write granularity; its
            ``max_pulses`` caps one write; ``stochastic_rounding`` is not used: the accumulator
            rounds towards zero and keeps the rest).
        w0: initial weights (scalar, array broadcastable to (trials, dim), or callable).
        steps: number of iterations, >= 0.
        trials: number of independent trials, >= 1.
        rng: random generator (noise, cycle noise).
        record_every: record every this many steps (step 0 and the last step always), >= 1.
        record_weights: also record W at every recorded step.

    Returns:
        The Trace; ``meta["final_accumulator"]`` holds chi after the last step.
    """
    steps, trials, rng, record_every, record_weights = check.common(
        problem, steps, trials, rng, record_every, record_weights
    )
    lr = check.rate("lr", lr)
    shape = (trials, problem.dim)
    device = check.device("device", device, shape)
    if pulse is None:
        raise TypeError("mixed_precision needs a PulseConfig: it writes whole pulses")
    pulse = check.pulse(pulse, device)
    tile = Tile(device, shape, pulse=pulse, init=check.initial_weights(w0, rng, shape))
    rule = MixedPrecision(tile, lr)
    meta = check.meta(
        "mixed_precision",
        problem,
        steps,
        trials,
        record_every,
        lr=lr,
        device=device,
        pulse=pulse,
        grad_point="W",
        final_accumulator=rule.chi,
    )
    trace = train(
        problem,
        rule,
        steps=steps,
        rng=rng,
        record_every=record_every,
        record_weights=record_weights,
        meta=meta,
    )
    rule.chi.setflags(write=False)
    return trace
