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
    "rate 0.1 and the noisy gradient g + ε = −0.6. What is the new weight (paper 1 eq. (3))?",
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
    "L(w − w*) + (w/τ)·E|L(w − w*) + ε| = 0?",
    solution=_asgd_fixed_point,
    hint="Write E|m + ε| with the folded-normal mean s√(2/π)e^(−m²/2s²) + m(1 − 2Φ(−m/s)) and find the "
    "root between the symmetric point 0 and w* (scipy.optimize.brentq). Using E|ε| instead of "
    "E|m + ε| gives the implicit penalty's answer, which is about 3 % too high here.",
    note="the weight settles 0.13 below w*, whatever the learning rate.",
)


def _penalty_minimiser():
    from analogkit.theory import implicit_penalty_minimiser

    return implicit_penalty_minimiser(**ASGD)


exercise(
    3,
    prompt="Same setting as 02.2. Minimiser of paper 2's implicit objective f_Σ = f + Σ·w²/(2τ), "
    "with Σ = E|ε| for the Gaussian noise?",
    solution=_penalty_minimiser,
    hint="Set f_Σ'(w) = L(w − w*) + Σw/τ = 0, so w = Lτw*/(Lτ + Σ), and Σ = s√(2/π).",
    note="about 3 % above the exact fixed point of 02.2: the penalty evaluates E|·| at w* (E|ε|), the "
    "fixed point at the fixed point itself (E|g + ε|).",
)
