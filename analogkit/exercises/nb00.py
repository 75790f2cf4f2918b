"""The exercises of notebook 00 · Welcome."""

from __future__ import annotations

import numpy as np

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


def _n_states():
    from analogkit.devices import LinearDevice
    from analogkit.pulses import PulseConfig

    lo, hi = LinearDevice(tau=0.6).bounds
    return (hi - lo) / PulseConfig(dw_min=0.001).dw_min


exercise(
    2,
    prompt="A device spans [-0.6, 0.6] and one pulse moves it by dw_min = 0.001 (aihwkit's default). "
    "How many conductance states does it have (paper 3 §1: n_states = (τ_max − τ_min)/Δw_min)?",
    solution=_n_states,
    hint="Divide the width of the weight range by the size of one step.",
    note="n_states = 2τ/Δw_min; paper 1's ResNet runs (Δw_min = τ/600) have as many.",
)
