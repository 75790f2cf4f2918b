"""The exercises of notebook 00 · Welcome."""

from __future__ import annotations

import numpy as np

from analogkit.exercises._checkers import close_to
from analogkit.exercises._registry import notebook

exercise = notebook(__name__)

#: the crossbar of the first exercise: row voltages (V) and one column's conductance pair (µS)
CROSSBAR = {
    "v": (0.2, -0.1, 0.3),
    "G_plus": (50.0, 20.0, 10.0),
    "G_minus": (10.0, 30.0, 10.0),
}


def _crossbar_current():
    x = CROSSBAR
    return float(np.dot(x["v"], np.subtract(x["G_plus"], x["G_minus"])))  # V · µS = µA


exercise(
    1,
    prompt="Row voltages v = (0.2, -0.1, 0.3) V drive one column whose devices have "
    "G+ = (50, 20, 10) µS and G- = (10, 30, 10) µS. What current (µA) leaves the column pair?",
    solution=_crossbar_current,
    hint="Ohm's law per device (I = G·V), Kirchhoff's law per column (currents add), and the "
    "pair subtracts: I = Σ_i v_i (G+_i − G-_i). Volts times microsiemens is microamperes.",
    note="the column computes the dot product of v with the signed weights G+ − G−.",
)


#: the device of the second exercise: its weight range, its number of states and the increment an
#: SGD step asks of it
FEW_STATES = {"w_min": -0.6, "w_max": 0.6, "n_states": 16, "dw": 0.01}


def _pulse_probability():
    from analogkit.devices import LinearDevice
    from analogkit.pulses import PulseConfig

    x = FEW_STATES
    lo, hi = LinearDevice(tau=(x["w_max"] - x["w_min"]) / 2).bounds
    pulse = PulseConfig(dw_min=(hi - lo) / x["n_states"])  # n_states = (w_max - w_min)/dw_min
    return x["dw"] / pulse.dw_min  # stochastic rounding fires one pulse with this probability


exercise(
    2,
    prompt="A device spans [-0.6, 0.6] and has only 16 states. An SGD step asks it for "
    "Δw = +0.01. It can fire only whole pulses: one with probability p, none otherwise, so that "
    "the change is right on average (stochastic rounding). What is p (to within 0.5 %)?",
    solution=_pulse_probability,
    checker=close_to(_pulse_probability, rtol=5e-3),
    hint="Start from the size of one pulse: the range is split into n_states steps of Δw_min "
    "(count the steps, not the levels). Then write the mean change as a function of p.",
    note="Δw_min = 1.2/16 = 0.075, so p = 0.01/0.075: most steps do nothing and the rest move "
    "the weight 7.5 times too far. With few states the update is mostly rounding noise.",
)
