"""The exercises of notebook 04 · Tiki-Taka and residual learning."""

from __future__ import annotations

import numpy as np

from analogkit.exercises._checkers import close_to
from analogkit.exercises._registry import notebook

exercise = notebook(__name__)

#: the numbers of the Tiki-Taka step exercise:
#: f = (w - w_star)^2 / 2, both arrays LinearDevice(tau)
TT_STEP = {
    "W": 0.2,  # main array
    "P": 0.1,  # fast / residual array
    "gamma": 0.5,  # gradient taken at W + gamma P
    "tau": 1.0,
    "lr": 0.1,  # fast-array learning rate (paper 1's beta, paper 2's alpha, aihwkit fast_lr)
    "transfer_lr": 0.5,  # transfer learning rate (paper 1's alpha, paper 2's beta)
    "w_star": 0.5,
    "eps": -0.05,  # the gradient-noise sample of this step
}


def _tt_step():
    from analogkit.devices import LinearDevice

    x = TT_STEP
    dev = LinearDevice(tau=x["tau"])
    g = (x["W"] + x["gamma"] * x["P"]) - x["w_star"] + x["eps"]  # noisy gradient at W + gamma P
    P_next = dev.update(x["P"], -x["lr"] * g)  # P accumulates minus the gradient
    return float(dev.update(x["W"], x["transfer_lr"] * P_next))  # the transfer adds transfer_lr P


exercise(
    1,
    prompt="One Tiki-Taka / residual-learning step on f = (w - 0.5)^2/2 with both arrays "
    "LinearDevice(tau=1): W = 0.2, P = 0.1, gamma = 0.5, lr = 0.1, transfer_lr = 0.5, noise sample "
    "eps = -0.05. What is W after the step, to within 0.5 %?",
    solution=_tt_step,
    hint="Three lines: the noisy gradient at W + γP; P ← U(P, −lr·(g + ε)); W ← U(W, transfer_lr·P_new). "
    "On the ALD an increment Δ ≥ 0 is multiplied by q+(w) = 1 − w/τ, a negative one by q−(w) = 1 + w/τ.",
    note="the transfer uses the *updated* P, and the main array's own response shrinks the step.",
)


def _residual_g():
    from analogkit.theory import residual_fixed_point_gradient

    return residual_fixed_point_gradient(tau=1.0, asymmetry=0.2, noise_std=0.5)


exercise(
    2,
    prompt="Residual learning with a fast array LinearDevice(tau, asymmetry=0.2), no zero-shift, Gaussian "
    "gradient noise of std 0.5. Which gradient g is left where the fast array is stationary at P = 0, "
    "i.e. the solution of g = c E|g + eps|? To within 0.5 %.",
    solution=_residual_g,
    hint="The leading order c·s·√(2/π) is not accurate enough: iterate g ← c·E|g + ε| a few times, with "
    "E|g + ε| from ak.theory.folded_normal_mean(g, s).",
    note="about c·s·√(2/π), 1 % higher; it does not depend on τ, L or γ.",
)


def _half_reference():
    from analogkit.devices import LinearDevice
    from analogkit.theory import folded_normal_mean

    fast = LinearDevice(tau=1.0, asymmetry=0.3)
    p_ref = fast.symmetric_point / 2
    F, G = float(fast.F(p_ref)), float(fast.G(p_ref))
    g = 0.0
    for _ in range(40):  # d(0) = g F(p_ref) + E|g + eps| G(p_ref) = 0
        g = -G / F * folded_normal_mean(g, 0.3)
    return g


exercise(
    3,
    prompt="Zero-shifting with the reference programmed to half the symmetric point, P_ref = c tau/2, "
    "for a fast array LinearDevice(tau=1, asymmetry=0.3) and Gaussian gradient noise of std 0.3: "
    "which gradient g is left where the fast array is stationary at logical P = 0? To within 1 %.",
    solution=_half_reference,
    checker=close_to(_half_reference, rtol=0.01),
    hint="At logical P = 0 the response acts at P_ref: evaluate the linear device's F and G there "
    "(notebook 01), set the drift g F + E|g + ε| G to zero and iterate for g as in exercise 04.2.",
    note="about half the bias without zero-shift (0.074): the bias is proportional to how far the "
    "reference misses the symmetric point.",
)


def _kappa_gaussian(dim: int) -> float:
    """Assumption 5's constant for Gaussian noise of total variance sigma^2: E|eps_i| / sigma."""
    return float(np.sqrt(2 / (np.pi * dim)))


def _thm4_noise():
    from analogkit.theory import tiki_taka_pmax

    dim = 10
    condition = tiki_taka_pmax(1.0, 0.5, dim, 1.0, _kappa_gaussian(dim))
    return float(condition.sigma_min) / np.sqrt(dim)


exercise(
    4,
    prompt="Paper 1 Theorem 4 needs 33 P_max²/τ² < 1 with P_max² = 41 L²τ⁴D/(κ²σ²), κ the constant of "
    "Assumption 5 (E|g + eps_i| >= κσ for every coordinate i). For L = 1, τ = 0.5, D = 10 and Gaussian "
    "noise, above which per-coordinate noise std s = σ/√D does the condition hold? To within 1 %.",
    solution=_thm4_noise,
    checker=close_to(_thm4_noise, rtol=0.01),
    hint="Find κ first: one coordinate of the noise has variance σ²/D, so what is E|ε_i| at g = 0, in "
    "units of σ? Then put P_max² into the condition, solve for σ, and divide by √D.",
    note="s > √(1353π/2)·√D·Lτ ≈ 46√D·Lτ: with κ ≤ 1/√D the noise needed grows with D.",
)
