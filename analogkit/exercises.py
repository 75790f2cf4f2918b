"""The notebooks' exercises: a registry of checkable questions and one :func:`check` function.

Policy (the same in every notebook; README "Notebooks"): the student writes the answer into
``answer`` in the exercise cell (initially ``answer = None``); the next cell calls
``ak.exercises.check("01.1", answer)``, which prints ``✓ correct``, ``✗ not yet: <hint>`` or
``… not answered yet`` and never raises for a wrong or malformed answer. The solution sits in the
cell after it, collapsed, and re-runs the check.

Each checker computes the expected value from analogkit (a device's ``symmetric_point``, its
``q_plus`` ...), never from a number copied from elsewhere. Adding an exercise is one call::

    add("02.1",
        prompt="Final loss of digital SGD on ... ?",
        solution=lambda: ...,                      # computes the right answer with analogkit
        hint="What does the noise floor of SGD scale with?")

``solution`` is also what the tests feed to the checker (it must accept it), and the default
checker compares a numeric answer with it (relative tolerance 0.5 %, so 3 significant digits
pass). Pass ``checker=`` for anything else: :func:`close_to` with another tolerance,
:func:`direction` for up/down answers, :func:`one_of` for a word from a list.

Imports only the package's lower modules (devices, pulses) lazily inside the solutions; never
widgets, figures or plotting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Exercise", "EXERCISES", "add", "check", "close_to", "direction", "one_of"]


@dataclass(frozen=True)
class Exercise:
    """One exercise.

    Attributes:
        prompt: the question in one or two sentences (the notebook states it in full).
        checker: answer -> bool; may raise TypeError/ValueError for an unreadable answer.
        hint: printed after "✗ not yet:"; points the way without giving the answer.
        solution: () -> the right answer, computed with analogkit.
        note: printed after "✓ correct" (what the answer means); may be empty.
    """

    prompt: str
    checker: Callable[[Any], bool]
    hint: str
    solution: Callable[[], Any]
    note: str = ""


#: exercise id ("NN.k": notebook number, exercise number) -> Exercise, in notebook order
EXERCISES: dict[str, Exercise] = {}

_ID = re.compile(r"^\d\d\.\d+$")


# --------------------------------------------------------------------------------------------------
# checkers
# --------------------------------------------------------------------------------------------------


def _number_array(name: str, value) -> np.ndarray:
    if isinstance(value, (str, bytes, bool, np.bool_)):
        raise TypeError(f"{name} should be a number, got {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} should be a number, got {type(value).__name__}") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} should be finite, got {value!r}")
    return arr


def close_to(
    solution: Callable[[], Any], rtol: float = 5e-3, atol: float = 1e-9
) -> Callable[[Any], bool]:
    """Checker: the answer (a number or an array of the solution's shape) is close to ``solution()``."""

    def checker(answer) -> bool:
        expected = np.asarray(solution(), dtype=float)
        got = _number_array("your answer", answer)
        if got.shape != expected.shape:
            what = (
                "a single number" if expected.ndim == 0 else f"an array of shape {expected.shape}"
            )
            raise ValueError(f"expected {what}, got shape {got.shape}")
        return bool(np.allclose(got, expected, rtol=rtol, atol=atol))

    return checker


_UP = {
    "up",
    "+",
    "+1",
    "1",
    "increase",
    "increases",
    "upwards",
    "upward",
    "positive",
    "higher",
    "right",
}
_DOWN = {
    "down",
    "-",
    "-1",
    "decrease",
    "decreases",
    "downwards",
    "downward",
    "negative",
    "lower",
    "left",
}


def direction(solution: Callable[[], float]) -> Callable[[Any], bool]:
    """Checker for "which way": ``solution()`` returns a signed number (its sign is the answer).

    Accepts "up"/"down" (and synonyms such as "increase", "+", "-"), or any number of that sign.
    """

    def checker(answer) -> bool:
        want = np.sign(float(solution()))
        if isinstance(answer, str):
            word = answer.strip().lower()
            if word in _UP:
                return want > 0
            if word in _DOWN:
                return want < 0
            raise ValueError(f"answer 'up' or 'down', got {answer!r}")
        return bool(np.sign(float(_number_array("your answer", answer))) == want)

    return checker


def one_of(solution: Callable[[], str], choices) -> Callable[[Any], bool]:
    """Checker for a word from ``choices`` (case and surrounding spaces ignored)."""
    choices = tuple(c.lower() for c in choices)

    def checker(answer) -> bool:
        if not isinstance(answer, str) or answer.strip().lower() not in choices:
            raise ValueError(f"answer one of {', '.join(repr(c) for c in choices)}, got {answer!r}")
        return answer.strip().lower() == str(solution()).lower()

    checker.choices = choices  # the tests pick a wrong answer from these
    return checker


# --------------------------------------------------------------------------------------------------
# registry and check
# --------------------------------------------------------------------------------------------------


def add(
    id: str,
    prompt: str,
    solution: Callable[[], Any],
    hint: str,
    checker: Callable[[Any], bool] | None = None,
    note: str = "",
) -> Exercise:
    """Register an exercise under ``id`` ("NN.k"); the checker defaults to :func:`close_to`."""
    if not isinstance(id, str) or not _ID.match(id):
        raise ValueError(f"exercise id must look like '01.2' (notebook.number), got {id!r}")
    if id in EXERCISES:
        raise ValueError(f"exercise {id!r} is already registered")
    ex = Exercise(prompt, checker or close_to(solution), hint, solution, note)
    EXERCISES[id] = ex
    return ex


def check(id: str, answer) -> bool | None:
    """Check an answer, print the verdict, and return True (correct), False (not yet) or None.

    Never raises for the answer (a malformed one is "not yet" with the reason); an unknown ``id``
    raises ValueError listing the valid ones.

    Args:
        id: the exercise id, e.g. "01.1".
        answer: the student's answer; None means not answered yet.

    Returns:
        True, False, or None when ``answer`` is None.
    """
    if id not in EXERCISES:
        raise ValueError(f"unknown exercise {id!r}; valid ids: {', '.join(EXERCISES)}")
    ex = EXERCISES[id]
    if answer is None:
        print(f"… {id} not answered yet: set `answer` in the cell above, then run this cell again.")
        return None
    try:
        ok = bool(ex.checker(answer))
        reason = ""
    except Exception as exc:  # a malformed answer is "not yet", never a traceback
        ok, reason = False, f"{exc}. "
    if ok:
        print(f"✓ correct ({id})" + (f": {ex.note}" if ex.note else ""))
        return True
    print(f"✗ not yet ({id}): {reason}{ex.hint}")
    return False


# --------------------------------------------------------------------------------------------------
# 00 · Welcome
# --------------------------------------------------------------------------------------------------

#: the crossbar of exercise 00.1: row voltages (V) and one column's conductance pair (µS)
CROSSBAR_00_1 = {
    "v": (0.2, -0.1, 0.3),
    "G_plus": (50.0, 20.0, 10.0),
    "G_minus": (10.0, 30.0, 10.0),
}


def _crossbar_current():
    x = CROSSBAR_00_1
    return float(np.dot(x["v"], np.subtract(x["G_plus"], x["G_minus"])))  # V · µS = µA


add(
    "00.1",
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


add(
    "00.2",
    prompt="A device spans [-0.6, 0.6] and one pulse moves it by dw_min = 0.001 (aihwkit's default). "
    "How many conductance states does it have (paper 3 §1: n_states = (τ_max − τ_min)/Δw_min)?",
    solution=_n_states,
    hint="Divide the width of the weight range by the size of one step.",
    note="n_states = 2τ/Δw_min; paper 1's ResNet runs (Δw_min = τ/600) have as many.",
)


# --------------------------------------------------------------------------------------------------
# 01 · Response functions
# --------------------------------------------------------------------------------------------------


def _soft_bounds_ratio():
    from analogkit.devices import SoftBoundsDevice

    dev = SoftBoundsDevice(w_min=-1.0, w_max=1.0, up_down=0.2)
    return float(dev.q_minus(0.0) / dev.q_plus(0.0))


add(
    "01.1",
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


add(
    "01.2",
    prompt="Symmetric point w⋄ of LinearDevice(tau=0.8, asymmetry=0.25)?",
    solution=_sp_linear,
    hint="The symmetric point is where G(w) = w/τ − c vanishes.",
    note="w⋄ = cτ (paper 2 §4).",
)


def _sp_power():
    from analogkit.devices import PowerDevice

    return PowerDevice(tau=1.0, gamma=2.0, asymmetry=-0.3).symmetric_point


add(
    "01.3",
    prompt="Symmetric point w⋄ of PowerDevice(tau=1, gamma=2, asymmetry=-0.3)?",
    solution=_sp_power,
    hint="Use the closed form derived above: w⋄ = τ(1 − r)/(1 + r) with r = ((1 − c)/(1 + c))^(1/γ).",
    note="a negative c makes up pulses the weaker ones, so w⋄ < 0.",
)


def _drift_soft_bounds():
    from analogkit.devices import SoftBoundsDevice

    w0 = 0.0
    return SoftBoundsDevice(w_min=-1.0, w_max=1.0, up_down=-0.4).symmetric_point - w0


add(
    "01.4",
    prompt="A weight of SoftBoundsDevice(w_min=-1, w_max=1, up_down=-0.4) sits at w = 0 and receives "
    "many small updates of random sign (zero mean). Does it drift 'up' or 'down'?",
    solution=_drift_soft_bounds,
    checker=direction(_drift_soft_bounds),
    hint="On average each ±Δw moves the weight by −|Δw|·G(w): compare the up and down steps at "
    "w = 0, or find the symmetric point and remember the weight drifts towards it.",
    note="up_down < 0 shrinks the up steps (0.6·dw_min), so w⋄ = −0.25 and the weight drifts down.",
)


# --- notebook 02 ---
# --------------------------------------------------------------------------------------------------
# 02 · Analog SGD
# --------------------------------------------------------------------------------------------------

#: the setting of exercises 02.2 and 02.3: f = L/2 (w - w*)^2, LinearDevice(tau), N(0, s^2) noise
ASGD_02 = {"L": 2.0, "w_star": 0.6, "tau": 0.8, "noise_std": 0.5}


def _ald_step():
    from analogkit.devices import LinearDevice

    lr, noisy_grad = 0.1, -0.6
    return float(LinearDevice(tau=0.8).update(0.4, -lr * noisy_grad))


add(
    "02.1",
    prompt="One Analog SGD step on the ALD (LinearDevice(tau=0.8)): the weight is w = 0.4, the learning "
    "rate 0.1 and the noisy gradient g + ε = −0.6. What is the new weight (paper 1 eq. (3))?",
    solution=_ald_step,
    hint="w − lr·(g + ε) − (lr/τ)·|g + ε|·w: the absolute value is taken of the noisy gradient, and the "
    "last term always pulls towards the symmetric point 0.",
    note="without the device the step would give 0.46; the asymmetric part takes 0.03 back towards 0.",
)


def _asgd_fixed_point_02():
    from analogkit.theory import asgd_fixed_point

    return asgd_fixed_point(**ASGD_02)


add(
    "02.2",
    prompt="Mean-field fixed point of Analog SGD on f = (L/2)(w − w*)² with L = 2, w* = 0.6, "
    "LinearDevice(tau=0.8) and Gaussian gradient noise of std 0.5: the w where "
    "L(w − w*) + (w/τ)·E|L(w − w*) + ε| = 0?",
    solution=_asgd_fixed_point_02,
    hint="Write E|m + ε| with the folded-normal mean s√(2/π)e^(−m²/2s²) + m(1 − 2Φ(−m/s)) and find the "
    "root between the symmetric point 0 and w* (scipy.optimize.brentq). Using E|ε| instead of "
    "E|m + ε| gives the implicit penalty's answer, which is about 3 % too high here.",
    note="the weight settles 0.13 below w*, whatever the learning rate.",
)


def _penalty_minimiser_02():
    from analogkit.theory import implicit_penalty_minimiser

    return implicit_penalty_minimiser(**ASGD_02)


add(
    "02.3",
    prompt="Same setting as 02.2. Minimiser of paper 2's implicit objective f_Σ = f + Σ·w²/(2τ), "
    "with Σ = E|ε| for the Gaussian noise?",
    solution=_penalty_minimiser_02,
    hint="Set f_Σ'(w) = L(w − w*) + Σw/τ = 0, so w = Lτw*/(Lτ + Σ), and Σ = s√(2/π).",
    note="about 3 % above the exact fixed point of 02.2: the penalty evaluates E|·| at w* (E|ε|), the "
    "fixed point at the fixed point itself (E|g + ε|).",
)


# --- notebook 03 ---
# 03 · The lower bound (paper 1 Thm. 3, App. G.2)


def _lower_bound_noise_values():
    from analogkit.problems import LowerBoundNoise

    xi_plus, xi_minus, _ = LowerBoundNoise(sigma=0.2, tau=1.0).values(0.3, 4)
    return np.array([float(xi_plus), float(xi_minus)])


add(
    "03.1",
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


add(
    "03.2",
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


add(
    "03.3",
    prompt="Where does the weight settle on the lower-bound instance with L = 1, D = 1, τ = 0.8, "
    "σ = 0.1 and w* = −0.2?",
    solution=_lower_bound_weight,
    hint="Solve L(w − w*) = g(w) with the stationary gradient g(w) = −(w/τ)(σ/√D)/√(1 − w²/τ²); "
    "the root lies between w* and the symmetric point 0 (brentq on that bracket).",
    note="the drift towards 0 stops the weight short of w*, where the gradient balances it.",
)


# --- notebook 04 ---
# --------------------------------------------------------------------------------------------------
# 04 · Tiki-Taka and residual learning
# --------------------------------------------------------------------------------------------------

#: the numbers of exercise 04.1: f = (w - w_star)^2 / 2, both arrays LinearDevice(tau)
TT_STEP_04_1 = {
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

    x = TT_STEP_04_1
    dev = LinearDevice(tau=x["tau"])
    g = (x["W"] + x["gamma"] * x["P"]) - x["w_star"] + x["eps"]  # noisy gradient at W + gamma P
    P_next = dev.update(x["P"], -x["lr"] * g)  # P accumulates minus the gradient
    return float(dev.update(x["W"], x["transfer_lr"] * P_next))  # the transfer adds transfer_lr P


add(
    "04.1",
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


add(
    "04.2",
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


add(
    "04.3",
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


add(
    "04.4",
    prompt="Paper 1 Theorem 4 needs 33 P_max²/τ² < 1 with P_max² = 41 L²τ⁴D/(c²σ²). For L = 1, τ = 0.5, "
    "D = 1 and Gaussian noise (c = √(2/π)), above which noise std σ does the condition hold?",
    solution=_thm4_noise,
    hint="Substitute P_max² into 33 P_max²/τ² < 1 and solve for σ: σ² > 33·41·L²τ²D/c².",
    note="σ > √1353·Lτ/c ≈ 46 Lτ: far more noise than any run in this notebook.",
)
