"""The exercises of notebook 05 · Few states and multi-tile residual learning."""

from __future__ import annotations

import math

from analogkit.exercises._checkers import close_to
from analogkit.exercises._registry import notebook

exercise = notebook(__name__)

#: the numbers of the multi-tile step exercise: f = (w - w_star)^2 / 2, three tiles, every tile
#: LinearDevice(1), expected updates; this step ends tile 2's inner loop (tile 1 receives), not
#: tile 1's (tile 0 does not)
MT_STEP = {
    "W": (0.2, 0.3, -0.4),  # W0, W1, W2 (W2 is the gradient tile)
    "gamma": 0.5,
    "lr": 0.5,
    "transfer_lr": 0.25,
    "w_star": 0.3,
    "eps": 0.02,  # the gradient-noise sample of this step
}


def _rounding():
    from analogkit.theory import rounding_variance

    dw_min, dw = 0.2, 0.05
    return float(dw_min**2 * rounding_variance(dw / dw_min))


exercise(
    1,
    prompt="A device with 10 states on [-1, 1] (dw_min = 0.2) is asked for a step of 0.05 with "
    "stochastic rounding. Predict the variance of the step it takes (ideal response; 0.5 %).",
    solution=_rounding,
    hint="u = 0.05/0.2 pulses are requested; the device fires floor(u + U) of them, U uniform, "
    "so 0 or 1: a Bernoulli count. Its variance, times dw_min^2.",
    note="dw_min |dw| - dw^2 = 0.0075: the rounding noise is proportional to dw_min |dw| "
    "(paper 3 Lemma 1), not to dw^2 like the gradient noise of the step.",
)


def _mt_step():
    from analogkit.devices import LinearDevice

    x, dev = MT_STEP, LinearDevice(1.0)
    W0, W1, W2 = x["W"]
    g = (W0 + x["gamma"] * W1 + x["gamma"] ** 2 * W2) - x["w_star"] + x["eps"]
    W2 = dev.update(W2, -x["lr"] * g)  # paper 3 eq. (6): the gradient tile
    W1 = dev.update(W1, x["transfer_lr"] * W2)  # eq. (7): tile 2's inner loop ends
    return float(W0 + x["gamma"] * W1 + x["gamma"] ** 2 * W2)


exercise(
    2,
    prompt="Three tiles W = (0.2, 0.3, -0.4) on LinearDevice(1), gamma = 0.5, lr = 0.5, "
    "transfer_lr = 0.25, f = (w - 0.3)^2/2, noise sample eps = 0.02; this step ends tile 2's inner "
    "loop but not tile 1's. Predict W̄ = W0 + gamma W1 + gamma^2 W2 after the step (0.5 %).",
    solution=_mt_step,
    hint="Gradient at W̄ first; the gradient tile W2 moves by U(W2, -lr g); then tile 1 receives "
    "transfer_lr times the *new* W2 through its own response (q- = 1 + w for a negative step). "
    "Tile 2 is not reset.",
    note="W̄ falls although the gradient pushes it up: the transfer copies part of W2 into W1 "
    "without taking it out of W2, so W̄ moves by gamma transfer_lr W2 q(W1).",
)


def _period():
    from analogkit.algorithms.multi_tile import default_inner_steps

    return float(math.prod(default_inner_steps(0.3, 4)))


exercise(
    3,
    prompt="Cor. 1's schedule with gamma = 0.3 and 4 tiles (N = 3): every how many steps does "
    "tile 0 receive a transfer?",
    solution=_period,
    checker=close_to(_period, rtol=0.0, atol=0.5),
    hint="T_n = ceil(1/gamma) for the tiles between, T_N = ceil(gamma^-N) for the gradient tile; "
    "tile n moves once every T_(n+1) ... T_N steps.",
    note="4 x 4 x 38: with w* = 0.3 and transfer_lr = gamma^2, tile 0 needs at least 0.3 x 608 / "
    "0.09 ≈ 2000 steps to get there, and the period grows like gamma^-(2N-1).",
)
