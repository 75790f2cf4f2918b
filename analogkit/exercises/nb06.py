"""The exercises of notebook 06 · Networks on real data."""

from __future__ import annotations

from analogkit.exercises._checkers import close_to
from analogkit.exercises._registry import notebook

exercise = notebook(__name__)

#: the numbers of the one-weight Analog SGD step: LinearDevice(tau), f's minibatch gradient g
STEP = {"w": 0.3, "tau": 0.6, "g": -0.5, "lr": 0.1}


def _step():
    from analogkit.devices import LinearDevice

    x = STEP
    return float(LinearDevice(x["tau"]).update(x["w"], -x["lr"] * x["g"]))


exercise(
    1,
    prompt="A first-layer weight w = 0.3 on LinearDevice(tau=0.6) gets the minibatch gradient "
    "g = -0.5 with lr = 0.1. Predict w after one Analog SGD step, then check it with the device. "
    "(0.5 % tolerance)",
    solution=_step,
    hint="The requested increment is -lr·g; its sign picks q+ or q-, and q±(w) = 1 ∓ w/τ on this "
    "device. Is the step towards the symmetric point or away from it?",
    note="the step away from the symmetric point 0 is halved: at w = τ/2 the device gives only "
    "half of it.",
)


def _zero_network():
    from analogkit.networks import digits_mlp

    net = digits_mlp()
    return float((net.data.y_test == 0).mean())


exercise(
    2,
    prompt="Predict the test accuracy of the digits MLP with every weight and bias at 0 (argmax "
    "picks the first class on a tie), then check it with net.accuracy. (0.5 % tolerance)",
    solution=_zero_network,
    hint="All ten logits are equal for every image. Which class does every image get, and how "
    "many test images belong to it?",
    note="chance level: what a network whose weights the drift has pulled to the symmetric point "
    "0 scores (table (a)'s collapse would end here).",
)


def _tile0_period():
    import math

    gamma = 0.15
    return math.ceil(1 / gamma) ** 5


exercise(
    3,
    prompt="Multi-tile residual learning with 6 tiles, gamma = 0.15 and inner loops of ceil(1/gamma) "
    "steps on every tile (table (d), 10 states): after the warm start, how many steps pass "
    "between two updates of tile 0? Predict, then read it off ak.multi_tile's rule.",
    solution=_tile0_period,
    checker=close_to(_tile0_period, rtol=0.0, atol=0.5),
    hint="Tile n moves once the tile above it has finished its inner loop; a tile's period is the "
    "product of the inner-loop lengths of all the tiles above it.",
    note="7⁵ = 16,807 steps, more than the 1,440 steps of the run: tile 0 keeps what the warm start "
    "gave it.",
)
