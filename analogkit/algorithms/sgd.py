"""Digital SGD and Analog SGD: one tile, W <- U_q(W, -lr (grad f + eps))."""

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

__all__ = ["SGD", "digital_sgd", "analog_sgd"]


class SGD(Rule):
    """W <- W + (-lr g) written onto one tile: digital SGD on a digital tile (paper 1 eq. (2)),
    Analog SGD on an analog one, U_q(W, -lr g) (paper 1 eq. (3)/(7), paper 2 camera-ready
    eq. (2))."""

    def __init__(self, tile: Tile, lr: float, name: str):
        self.name = name
        self.tiles = {"W": tile}
        self.mixing = {"W": 1.0}
        self.W = tile
        self.neg_lr = -lr

    def read(self):
        return self.W.value()

    def step(self, g, k, rng):
        g *= self.neg_lr  # dW = -lr (grad f + eps)
        self.W.write(g, rng)


def digital_sgd(
    problem: Problem,
    lr: float,
    *,
    steps: int,
    trials: int,
    rng: np.random.Generator,
    w0: InitialWeights = 0.0,
    record_every: int = 1,
    record_weights: bool = False,
) -> Trace:
    """Digital SGD, W_{k+1} = W_k - lr (grad f(W_k) + eps_k) (paper 1 eq. (2)).

    The reference every analog method is compared with. ``lr`` is paper 1's / paper 2's alpha.
    Computed as W + (-lr * g), so that it agrees bit for bit with
    ``analog_sgd(problem, IdealDevice(), lr, ...)`` under the same generator.

    Args:
        problem: the objective and its gradient noise.
        lr: learning rate, >= 0.
        steps: number of iterations, >= 0.
        trials: number of independent trials, >= 1.
        rng: random generator (noise; and w0 if w0 is callable).
        w0: initial weights: scalar, array broadcastable to (trials, dim), or a callable
            ``w0(rng, (trials, dim))``.
        record_every: record every this many steps (step 0 and the last step always), >= 1.
        record_weights: also record W at every recorded step.

    Returns:
        The Trace (loss and gradient norm at W).
    """
    steps, trials, rng, record_every, record_weights = check.common(
        problem, steps, trials, rng, record_every, record_weights
    )
    lr = check.rate("lr", lr)
    shape = (trials, problem.dim)
    tile = Tile(None, shape, init=check.initial_weights(w0, rng, shape))
    meta = check.meta("digital_sgd", problem, steps, trials, record_every, lr=lr, grad_point="W")
    return train(
        problem,
        SGD(tile, lr, "digital_sgd"),
        steps=steps,
        rng=rng,
        record_every=record_every,
        record_weights=record_weights,
        meta=meta,
    )


def analog_sgd(
    problem: Problem,
    device: Device,
    lr: float,
    *,
    steps: int,
    trials: int,
    rng: np.random.Generator,
    pulse: PulseConfig | None = None,
    w0: InitialWeights = 0.0,
    record_every: int = 1,
    record_weights: bool = False,
) -> Trace:
    """Analog SGD, W_{k+1} = U_q(W_k, -lr (grad f(W_k) + eps_k)) (P1 eqs. (3)/(7), P2 eq. (2)).

    (P1: arXiv v1 numbering; P2: NeurIPS camera-ready numbering.)

    Element-wise, W + dW F(W) - |dW| G(W) with dW = -lr (grad f + eps): the noise enters before
    the absolute value, which is what makes the weights drift towards the device's symmetric
    point (paper 2 camera-ready eq. (6)). For ``LinearDevice(tau)`` this is paper 1 eq. (3),
    W - lr g - (lr/tau)|g| W. ``lr`` is paper 1's / paper 2's alpha (aihwkit's SGD lr).

    Expected mode (``pulse=None``) uses the device's expected update, clipped to the device range
    (``Device.update``). Pulse mode sends |dW|/dw_min pulses through :func:`analogkit.pulse_update`.
    ``w0`` outside the device range is clipped into it, as aihwkit's hard bounds do.

    With ``IdealDevice()`` in expected mode the result equals :func:`digital_sgd` bit for bit.

    Args:
        problem: the objective and its gradient noise.
        device: response function of the array (parameter arrays must broadcast to
            (trials, dim)).
        lr: learning rate, >= 0.
        steps: number of iterations, >= 0.
        trials: number of independent trials, >= 1.
        rng: random generator (noise, pulse rounding; w0 if callable).
        pulse: None for the expected update, or a PulseConfig for pulse-level updates.
        w0: initial weights: scalar, array broadcastable to (trials, dim), or a callable
            ``w0(rng, (trials, dim))``.
        record_every: record every this many steps (step 0 and the last step always), >= 1.
        record_weights: also record W at every recorded step.

    Returns:
        The Trace (loss and gradient norm at W).
    """
    steps, trials, rng, record_every, record_weights = check.common(
        problem, steps, trials, rng, record_every, record_weights
    )
    lr = check.rate("lr", lr)
    shape = (trials, problem.dim)
    device = check.device("device", device, shape)
    pulse = check.pulse(pulse, device)
    tile = Tile(device, shape, pulse=pulse, init=check.initial_weights(w0, rng, shape))
    meta = check.meta(
        "analog_sgd",
        problem,
        steps,
        trials,
        record_every,
        lr=lr,
        device=device,
        pulse=pulse,
        grad_point="W",
    )
    return train(
        problem,
        SGD(tile, lr, "analog_sgd"),
        steps=steps,
        rng=rng,
        record_every=record_every,
        record_weights=record_weights,
        meta=meta,
    )
