"""The exercises of notebook 03 · The lower bound (paper 1 Thm. 3, App. G.2)."""

from __future__ import annotations

import numpy as np

from analogkit.exercises._registry import notebook

exercise = notebook(__name__)


def _lower_bound_noise_values():
    from analogkit.problems import LowerBoundNoise

    xi_plus, xi_minus, _ = LowerBoundNoise(sigma=0.2, tau=1.0).values(0.3, 4)
    return np.array([float(xi_plus), float(xi_minus)])


exercise(
    1,
    prompt="The lower-bound noise with σ = 0.2, D = 4, τ = 1 at the weight w = 0.3: which two values "
    "can ξ take? Answer (positive value, negative value), each to within 0.5 %.",
    solution=_lower_bound_noise_values,
    hint="First p = (1 − w/τ)/2. The positive value is (σ/√D)·√((1 − p)/p), taken with probability p; "
    "the negative one is −(σ/√D)·√(p/(1 − p)). Give both, positive first.",
    note="p = 0.35: the positive kick is the larger and rarer one, and the mean is still 0.",
)


#: the instance of 03.2 (L = 1, D = 1) and the gradient floor it asks for
FLOOR_03_2 = {"tau": 1.0, "w_star": 0.2, "floor": 1e-4}


def _sigma_for_floor():
    from scipy.optimize import brentq

    from analogkit.theory import lower_bound_floor, lower_bound_stationary_w

    tau, w_star, target = FLOOR_03_2["tau"], FLOOR_03_2["w_star"], FLOOR_03_2["floor"]

    def miss(sigma):
        w_bar = lower_bound_stationary_w(sigma, w_star, tau)
        return lower_bound_floor(sigma, w_bar, tau) - target

    return brentq(miss, 1e-6, tau / (4 * np.sqrt(3)), xtol=1e-14)  # inside the assumptions


exercise(
    2,
    prompt="On paper 1's lower-bound instance with L = 1, D = 1, τ = 1 and w* = 0.2, which noise level σ "
    "gives a derived gradient floor ||∇f||² = 1e-4 at the stationary weight? To within 0.5 %. Then "
    "check it with the dashboard.",
    solution=_sigma_for_floor,
    hint="There are two ways to write ||∇f||² at the stationary weight: through the objective, and "
    "through the drift balance. The first one gives you the stationary weight without knowing σ.",
    note="the stationary weight is 0.19 (the gradient L(w̄ − w*) = −0.01), and σ²S(0.19) = 1e-4 then "
    "fixes σ; the dashboard at sigma = 0.05 shows floor_theory just below 1e-4.",
)


def _lower_bound_weight():
    from analogkit.theory import lower_bound_stationary_w

    return lower_bound_stationary_w(sigma=0.1, w_star=-0.2, tau=0.8, L=1.0, dim=1)


exercise(
    3,
    prompt="Where does the weight settle on the lower-bound instance with L = 1, D = 1, τ = 0.8, "
    "σ = 0.1 and w* = −0.2? To within 0.5 %.",
    solution=_lower_bound_weight,
    hint="Solve L(w − w*) = g(w) with the stationary gradient g(w) = −(w/τ)(σ/√D)/√(1 − w²/τ²); "
    "the root lies between w* and the symmetric point 0 (brentq on that bracket).",
    note="the drift towards 0 stops the weight short of w*, where the gradient balances it.",
)
