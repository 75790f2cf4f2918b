"""The exercises of notebook 02 · Analog SGD."""

from __future__ import annotations

from analogkit.exercises._registry import notebook

exercise = notebook(__name__)

#: the setting of the fixed-point and implicit-penalty exercises:
#: f = L/2 (w - w*)^2, LinearDevice(tau), N(0, s^2) noise
ASGD = {"L": 2.0, "w_star": 0.6, "tau": 0.8, "noise_std": 0.5}


def _ald_step():
    from analogkit.devices import LinearDevice

    lr, noisy_grad = 0.1, -0.6
    return float(LinearDevice(tau=0.8).update(0.4, -lr * noisy_grad))


exercise(
    1,
    prompt="One Analog SGD step on the ALD (LinearDevice(tau=0.8)): the weight is w = 0.4, the learning "
    "rate 0.1 and the noisy gradient g + ε = −0.6. What is the new weight (paper 1 eq. (3))? To within "
    "0.5 %.",
    solution=_ald_step,
    hint="w − lr·(g + ε) − (lr/τ)·|g + ε|·w: the absolute value is taken of the noisy gradient, and the "
    "last term always pulls towards the symmetric point 0.",
    note="without the device the step would give 0.46; the asymmetric part takes 0.03 back towards 0.",
)


def _asgd_fixed_point():
    from analogkit.theory import asgd_fixed_point

    return asgd_fixed_point(**ASGD)


exercise(
    2,
    prompt="Mean-field fixed point of Analog SGD on f = (L/2)(w − w*)² with L = 2, w* = 0.6, "
    "LinearDevice(tau=0.8) and Gaussian gradient noise of std 0.5: the w where "
    "L(w − w*) + (w/τ)·E|L(w − w*) + ε| = 0? To within 0.5 %.",
    solution=_asgd_fixed_point,
    hint="Write E|m + ε| with the folded-normal mean s√(2/π)e^(−m²/2s²) + m(1 − 2Φ(−m/s)) and find the "
    "root between the symmetric point 0 and w* (scipy.optimize.brentq). Using E|ε| instead of "
    "E|m + ε| gives the implicit penalty's answer, which is about 3 % too high here.",
    note="the weight settles 0.13 below w*, whatever the learning rate.",
)


#: where 02.3 asks the implicit penalty's minimiser to sit, in 02.2's setting
PENALTY_TARGET = 0.45


def _noise_for_penalty_target():
    from scipy.optimize import brentq

    from analogkit.theory import implicit_penalty_minimiser

    setting = {k: v for k, v in ASGD.items() if k != "noise_std"}

    def miss(s):
        return implicit_penalty_minimiser(**setting, noise_std=s) - PENALTY_TARGET

    # the minimiser falls from w* (s = 0) towards 0 as the noise grows
    return brentq(miss, 1e-6, 100.0, xtol=1e-14)


exercise(
    3,
    prompt="Same setting as 02.2 (L = 2, w* = 0.6, LinearDevice(tau=0.8), Gaussian noise). Paper 2's "
    "implicit objective f_Σ = f + Σ·w²/(2τ), Σ = E|ε|, puts its minimiser closer to 0 the more noise "
    f"there is. Which noise std s puts that minimiser at w = {PENALTY_TARGET}? To within 0.5 %.",
    solution=_noise_for_penalty_target,
    hint="f_Σ has a zero slope at its minimiser: write that condition at w = 0.45 and solve it for Σ. "
    "Σ is the mean absolute value of the noise, not its standard deviation: convert at the end.",
    note="at that noise the exact fixed point sits lower, at about 0.437: E|g + ε| at the fixed point "
    "exceeds E|ε|, so the penalty still underestimates the pull towards 0.",
)
