"""The exercises of notebook 01 · Response functions."""

from __future__ import annotations

from analogkit.exercises._checkers import close_to, direction
from analogkit.exercises._registry import notebook

exercise = notebook(__name__)


#: the soft-bounds devices of exercises 01.1 and 01.2 (aihwkit's parameters)
SOFT_BOUNDS_01_1 = {"w_min": -1.0, "w_max": 1.0, "up_down": -0.3}
SOFT_BOUNDS_01_2 = {"w_min": -0.5, "w_max": 1.5, "up_down": 0.2}


def _matching_asymmetry():
    """The c whose LinearDevice has the down/up step ratio of SOFT_BOUNDS_01_1 (at every w)."""
    from analogkit._validate import find_root
    from analogkit.devices import LinearDevice, SoftBoundsDevice

    soft = SoftBoundsDevice(**SOFT_BOUNDS_01_1)
    ratio = float(soft.q_minus(0.0) / soft.q_plus(0.0))
    tau = SOFT_BOUNDS_01_1["w_max"]

    def mismatch(c):
        dev = LinearDevice(tau=tau, asymmetry=c)
        return dev.q_minus(0.0) / dev.q_plus(0.0) - ratio

    return float(find_root(mismatch, -0.99, 0.99))


exercise(
    1,
    prompt="Which asymmetry c makes LinearDevice(tau=1, asymmetry=c) take the same down/up step "
    "ratio as SoftBoundsDevice(w_min=-1, w_max=1, up_down=-0.3)? (to within 0.5 %)",
    solution=_matching_asymmetry,
    checker=close_to(_matching_asymmetry, rtol=5e-3),
    hint="The conversion above is written for up_down > 0. With a negative up_down, ask first "
    "which direction aihwkit shrinks; then equate the two devices' q-(0)/q+(0).",
    note="for up_down = u < 0 the up steps shrink to 1 + u, and c = u/(2 + u); the symmetric "
    "point is then cτ, not uτ.",
)


def _sp_soft_bounds():
    from analogkit.devices import SoftBoundsDevice

    return SoftBoundsDevice(**SOFT_BOUNDS_01_2).symmetric_point


exercise(
    2,
    prompt="Symmetric point w⋄ of SoftBoundsDevice(w_min=-0.5, w_max=1.5, up_down=0.2), a range "
    "that is not centred on 0? (to within 0.5 %)",
    solution=_sp_soft_bounds,
    checker=close_to(_sp_soft_bounds, rtol=5e-3),
    hint="Write q+(w) and q-(w) from the table of §2 with aihwkit's factors s↑, s↓ (§3), and "
    "solve G(w) = 0: it is linear in w. The range's centre is not the answer.",
    note="aihwkit's closed form (s↑ − s↓)/(s↑/w_max − s↓/w_min) gives the same. With up_down = 0 "
    "it would be 0 whatever the range: both factors 1 − w/w_max and 1 − w/w_min are 1 at w = 0, "
    "not at the range's centre 0.5.",
)


def _sp_power():
    from analogkit.devices import PowerDevice

    return PowerDevice(tau=1.0, gamma=2.0, asymmetry=-0.3).symmetric_point


exercise(
    3,
    prompt="Symmetric point w⋄ of PowerDevice(tau=1, gamma=2, asymmetry=-0.3), γ_res = 2? "
    "(to within 0.5 %)",
    solution=_sp_power,
    checker=close_to(_sp_power, rtol=5e-3),
    hint="The power family's closed form of §5 applies; keep the sign of c when you form r. "
    "Then check the sign of your w⋄: which pulses does a negative c weaken, and which way does "
    "a weight then drift?",
    note="a negative c makes up pulses the weaker ones, so w⋄ < 0.",
)


def _drift_soft_bounds():
    from analogkit.devices import SoftBoundsDevice

    w0 = 0.0
    return SoftBoundsDevice(w_min=-1.0, w_max=1.0, up_down=-0.4).symmetric_point - w0


exercise(
    4,
    prompt="A weight of SoftBoundsDevice(w_min=-1, w_max=1, up_down=-0.4) sits at w = 0 and receives "
    "many small updates of random sign (zero mean). Does it drift 'up' or 'down'? (a direction, "
    "no tolerance)",
    solution=_drift_soft_bounds,
    checker=direction(_drift_soft_bounds),
    hint="On average each ±Δw moves the weight by −|Δw|·G(w): compare the up and down steps at "
    "w = 0, or find the symmetric point and remember the weight drifts towards it.",
    note="up_down < 0 shrinks the up steps (0.6·dw_min), so w⋄ = −0.25 and the weight drifts down.",
)
