"""The exercises of notebook 04 · Tiki-Taka and residual learning."""

from __future__ import annotations

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
    "eps = -0.05. What is W after the step?",
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
    "i.e. the solution of g = c E|g + eps|? (0.5 % tolerance)",
    solution=_residual_g,
    hint="The leading order c·s·√(2/π) is not accurate enough: iterate g ← c·E|g + ε| a few times, with "
    "E|g + ε| from ak.theory.folded_normal_mean(g, s).",
    note="about c·s·√(2/π), 1 % higher; it does not depend on τ, L or γ.",
)


def _zero_shift_read():
    from analogkit.devices import LinearDevice

    p_phys = 0.02
    return p_phys - LinearDevice(tau=0.6, asymmetry=-0.25).symmetric_point


exercise(
    3,
    prompt="A fast array LinearDevice(tau=0.6, asymmetry=-0.25) is read against a reference programmed to "
    "its symmetric point (zero-shifting). Its conductance reads P_phys = 0.02. Which logical value P "
    "does the transfer see?",
    solution=_zero_shift_read,
    hint="Zero-shifting subtracts the reference, which holds the symmetric point c·τ of the linear "
    "device; mind the sign of c.",
    note="P_phys − cτ = 0.02 + 0.15: the physical state 0 would read as +0.15, not 0.",
)


def _thm4_noise():
    from analogkit.theory import tiki_taka_pmax

    return tiki_taka_pmax(L=1.0, tau=0.5, dim=1, sigma=1.0).sigma_min


exercise(
    4,
    prompt="Paper 1 Theorem 4 needs 33 P_max²/τ² < 1 with P_max² = 41 L²τ⁴D/(c²σ²). For L = 1, τ = 0.5, "
    "D = 1 and Gaussian noise (c = √(2/π)), above which noise std σ does the condition hold?",
    solution=_thm4_noise,
    hint="Substitute P_max² into 33 P_max²/τ² < 1 and solve for σ: σ² > 33·41·L²τ²D/c².",
    note="σ > √1353·Lτ/c ≈ 46 Lτ: far more noise than any run in this notebook.",
)
