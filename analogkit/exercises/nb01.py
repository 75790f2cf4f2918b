"""The exercises of notebook 01 · Response functions."""

from __future__ import annotations

from analogkit.exercises._checkers import direction
from analogkit.exercises._registry import notebook

exercise = notebook(__name__)


def _soft_bounds_ratio():
    from analogkit.devices import SoftBoundsDevice

    dev = SoftBoundsDevice(w_min=-1.0, w_max=1.0, up_down=0.2)
    return float(dev.q_minus(0.0) / dev.q_plus(0.0))


exercise(
    1,
    prompt="For SoftBoundsDevice(w_min=-1, w_max=1, up_down=0.2), what is the ratio "
    "down step / up step at w = 0, i.e. q_-(0)/q_+(0)?",
    solution=_soft_bounds_ratio,
    hint="aihwkit's up_down only shrinks the weaker direction: with up_down > 0 the up step keeps "
    "its size and the down step is scaled by 1 − up_down.",
    note="LinearDevice(asymmetry=0.2) would give (1 − 0.2)/(1 + 0.2) instead.",
)


def _sp_linear():
    from analogkit.devices import LinearDevice

    return LinearDevice(tau=0.8, asymmetry=0.25).symmetric_point


exercise(
    2,
    prompt="Symmetric point w⋄ of LinearDevice(tau=0.8, asymmetry=0.25)?",
    solution=_sp_linear,
    hint="The symmetric point is where G(w) = w/τ − c vanishes.",
    note="w⋄ = cτ (paper 2 §4).",
)


def _sp_power():
    from analogkit.devices import PowerDevice

    return PowerDevice(tau=1.0, gamma=2.0, asymmetry=-0.3).symmetric_point


exercise(
    3,
    prompt="Symmetric point w⋄ of PowerDevice(tau=1, gamma=2, asymmetry=-0.3)?",
    solution=_sp_power,
    hint="Use the closed form derived above: w⋄ = τ(1 − r)/(1 + r) with r = ((1 − c)/(1 + c))^(1/γ).",
    note="a negative c makes up pulses the weaker ones, so w⋄ < 0.",
)


def _drift_soft_bounds():
    from analogkit.devices import SoftBoundsDevice

    w0 = 0.0
    return SoftBoundsDevice(w_min=-1.0, w_max=1.0, up_down=-0.4).symmetric_point - w0


exercise(
    4,
    prompt="A weight of SoftBoundsDevice(w_min=-1, w_max=1, up_down=-0.4) sits at w = 0 and receives "
    "many small updates of random sign (zero mean). Does it drift 'up' or 'down'?",
    solution=_drift_soft_bounds,
    checker=direction(_drift_soft_bounds),
    hint="On average each ±Δw moves the weight by −|Δw|·G(w): compare the up and down steps at "
    "w = 0, or find the symmetric point and remember the weight drifts towards it.",
    note="up_down < 0 shrinks the up steps (0.6·dw_min), so w⋄ = −0.25 and the weight drifts down.",
)
