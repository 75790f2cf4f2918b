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
    "can ξ take? Answer (positive value, negative value).",
    solution=_lower_bound_noise_values,
    hint="First p = (1 − w/τ)/2. The positive value is (σ/√D)·√((1 − p)/p), taken with probability p; "
    "the negative one is −(σ/√D)·√(p/(1 − p)). Give both, positive first.",
    note="p = 0.35: the positive kick is the larger and rarer one, and the mean is still 0.",
)


def _lower_bound_grad_norm2():
    from analogkit.theory import lower_bound_floor

    return lower_bound_floor(sigma=0.3, w=0.4, tau=2.0)


exercise(
    2,
    prompt="On paper 1's lower-bound instance with σ = 0.3 and τ = 2 the weight is stationary at w = 0.4. "
    "What is ||∇f||² there, according to the drift balance?",
    solution=_lower_bound_grad_norm2,
    hint="At zero drift ||∇f||² = σ²·S(w) with S(w) = (w²/τ²)/(1 − w²/τ²) — with constant 1, not the "
    "printed 4.",
    note="σ²S(w) = 0.09 · 0.04/0.96; paper 1's printed 4σ²S would be four times larger.",
)


def _lower_bound_weight():
    from analogkit.theory import lower_bound_stationary_w

    return lower_bound_stationary_w(sigma=0.1, w_star=-0.2, tau=0.8, L=1.0, dim=1)


exercise(
    3,
    prompt="Where does the weight settle on the lower-bound instance with L = 1, D = 1, τ = 0.8, "
    "σ = 0.1 and w* = −0.2?",
    solution=_lower_bound_weight,
    hint="Solve L(w − w*) = g(w) with the stationary gradient g(w) = −(w/τ)(σ/√D)/√(1 − w²/τ²); "
    "the root lies between w* and the symmetric point 0 (brentq on that bracket).",
    note="the drift towards 0 stops the weight short of w*, where the gradient balances it.",
)
