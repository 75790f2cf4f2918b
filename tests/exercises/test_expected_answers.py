"""Each exercise's expected answer against a computation written here, not by analogkit.

The checkers compare a student's answer with the exercise's own ``solution()``, so comparing the
checker with that solution cannot find a wrong solution. Here each expected answer is recomputed
from the definitions -- the response functions q+/q- as the device docstrings state them, the
analog update, the noise law -- by hand: closed forms, plain bisection and a quadrature of the
Gaussian density. No analogkit function computes any of these values.

``assert_checker_accepts`` feeds that value to the exercise's checker, so the tolerance is the
checker's (0.5 % for the default ``close_to``), and shows that the checker would refuse it if the
solution were 10 % off.
"""

from __future__ import annotations

import math
import re

import numpy as np

from analogkit import exercises as ex
from analogkit import widgets
from analogkit.exercises import EXERCISES

# ----------------------------------------------------------------------------- helpers

# a grid for expectations over a standard normal x: spacing 1e-4 out to 12 standard deviations
_X = np.linspace(-12.0, 12.0, 240_001)
_PDF = np.exp(-(_X**2) / 2) / math.sqrt(2 * math.pi)


def gauss_abs_mean(m: float, s: float) -> float:
    """E|m + eps|, eps ~ N(0, s^2), by the trapezoid rule on _X (error far below 1e-6)."""
    f = np.abs(m + s * _X) * _PDF
    return float((_X[1] - _X[0]) * (f.sum() - (f[0] + f[-1]) / 2))


def bisect(f, lo: float, hi: float) -> float:
    """The root of f between lo and hi, where f changes sign."""
    f_lo, f_hi = f(lo), f(hi)
    assert f_lo * f_hi < 0, f"no sign change on [{lo}, {hi}]: {f_lo}, {f_hi}"
    for _ in range(200):
        mid = (lo + hi) / 2
        f_mid = f(mid)
        if f_mid == 0 or mid in (lo, hi):
            return mid
        if (f_mid < 0) == (f_lo < 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return (lo + hi) / 2


def linear_q(tau: float, c: float):
    """LinearDevice(tau, asymmetry=c): q+ = (1 + c)(1 - w/tau), q- = (1 - c)(1 + w/tau)."""
    return (lambda w: (1 + c) * (1 - w / tau)), (lambda w: (1 - c) * (1 + w / tau))


def soft_bounds_q(w_min: float, w_max: float, up_down: float):
    """SoftBoundsDevice as aihwkit's C++ code acts: up_down only shrinks the weaker direction."""
    s_up, s_down = 1 + min(up_down, 0.0), 1 - max(up_down, 0.0)
    return (lambda w: s_up * (1 - w / w_max)), (lambda w: s_down * (1 - w / w_min))


def symmetric_point(q_plus, q_minus, lo: float, hi: float) -> float:
    """Where an up and a down pulse are the same size: q+(w) = q-(w)."""
    return bisect(lambda w: q_plus(w) - q_minus(w), lo, hi)


def update(q_plus, q_minus, w: float, dw: float) -> float:
    """One analog update: an increment dw >= 0 is scaled by q+(w), a negative one by q-(w)."""
    return w + dw * (q_plus(w) if dw >= 0 else q_minus(w))


def lower_bound_noise(sigma: float, tau: float, w: float, dim: int = 1):
    """Paper 1 App. G.2: xi takes a > 0 with probability p = (1 - w/tau)/2, else b < 0, with mean
    0 and variance sigma^2/D. Mean 0 gives b = -p a/(1 - p); then the variance is
    p a^2/(1 - p) = sigma^2/D."""
    p = (1 - w / tau) / 2
    a = math.sqrt(sigma**2 / dim * (1 - p) / p)
    return a, -p * a / (1 - p), p


def lower_bound_gradient(sigma: float, tau: float, w: float, dim: int = 1) -> float:
    """The per-coordinate gradient g at which Analog SGD on the ALD does not drift at w under the
    lower-bound noise: E[dw] = -lr (g + E xi) - (lr/tau) E|g + xi| w = 0, E xi = 0."""
    a, b, p = lower_bound_noise(sigma, tau, w, dim)

    def drift(g):
        return g + (w / tau) * (p * abs(g + a) + (1 - p) * abs(g + b))

    bound = 10 * (sigma + 1)
    return bisect(drift, -bound, bound)


def assert_checker_accepts(ex_id: str, independent) -> None:
    """The checker accepts the value computed here and refuses it 10 % off either way (which is
    what it would do if the solution were 10 % off)."""
    exercise = EXERCISES[ex_id]
    value = np.asarray(independent, dtype=float)
    assert exercise.checker(value), (
        f"{ex_id}: the solution gives {exercise.solution()!r}, the computation here {value!r}"
    )
    for factor in (1.1, 0.9):
        assert not exercise.checker(value / factor), f"{ex_id}: tolerance wider than 10 %"


# ----------------------------------------------------------------------------- notebook 00


def test_00_1_column_current():
    # Ohm's law per device, Kirchhoff's per column, the pair subtracted: V x uS = uA
    x = ex.CROSSBAR_00_1
    current = sum(v * (gp - gm) for v, gp, gm in zip(x["v"], x["G_plus"], x["G_minus"]))
    assert_checker_accepts("00.1", current)


def test_00_2_number_of_states():
    # the range [-0.6, 0.6] in steps of dw_min = 0.001
    assert_checker_accepts("00.2", (0.6 - -0.6) / 0.001)


# ----------------------------------------------------------------------------- notebook 01


def test_01_1_soft_bounds_step_ratio():
    q_plus, q_minus = soft_bounds_q(-1.0, 1.0, up_down=0.2)
    assert_checker_accepts("01.1", q_minus(0.0) / q_plus(0.0))


def test_01_2_linear_symmetric_point():
    assert_checker_accepts("01.2", symmetric_point(*linear_q(0.8, 0.25), -0.8, 0.8))


def test_01_3_power_symmetric_point():
    # paper 2 App. K.1 eq. (148): q+ = (1 + c)(1 - w/tau)^gamma, q- = (1 - c)(1 + w/tau)^gamma
    tau, gamma, c = 1.0, 2.0, -0.3

    def q_plus(w):
        return (1 + c) * (1 - w / tau) ** gamma

    def q_minus(w):
        return (1 - c) * (1 + w / tau) ** gamma

    assert_checker_accepts("01.3", symmetric_point(q_plus, q_minus, -tau, tau))


def test_01_4_soft_bounds_drift():
    # +-dw with equal probability moves w = 0 by (q+(0) - q-(0)) dw/2 on average, towards the
    # symmetric point; the solution is that point's offset from w = 0
    q_plus, q_minus = soft_bounds_q(-1.0, 1.0, up_down=-0.4)
    mean_step = (q_plus(0.0) - q_minus(0.0)) / 2
    offset = symmetric_point(q_plus, q_minus, -1.0, 1.0) - 0.0
    assert mean_step < 0 and offset < 0
    exercise = EXERCISES["01.4"]
    assert exercise.checker("down") and not exercise.checker("up")
    # a direction does not change when the solution is 10 % off; the number behind it does
    assert ex.close_to(lambda: offset)(exercise.solution())


# ----------------------------------------------------------------------------- notebook 02


def test_02_1_ald_step():
    # paper 1: w + dw - |dw| w/tau with dw = -lr (g + eps), on the ALD (c = 0)
    w, lr, noisy_grad, tau = 0.4, 0.1, -0.6, 0.8
    dw = -lr * noisy_grad
    assert_checker_accepts("02.1", w + dw - abs(dw) * w / tau)


def test_02_2_asgd_fixed_point():
    # the mean update -lr g - (lr/tau) E|g + eps| w vanishes, g = L (w - w*)
    x = ex.ASGD_02
    L, w_star, tau, s = x["L"], x["w_star"], x["tau"], x["noise_std"]

    def drift(w):
        g = L * (w - w_star)
        return g + (w / tau) * gauss_abs_mean(g, s)

    assert_checker_accepts("02.2", bisect(drift, min(0.0, w_star), max(0.0, w_star)))


def test_02_3_implicit_penalty_minimiser():
    # f_Sigma'(w) = L (w - w*) + Sigma w/tau = 0 with Sigma = E|eps|
    x = ex.ASGD_02
    L, w_star, tau, s = x["L"], x["w_star"], x["tau"], x["noise_std"]
    sigma_bar = gauss_abs_mean(0.0, s)
    assert_checker_accepts("02.3", L * w_star / (L + sigma_bar / tau))


# ----------------------------------------------------------------------------- notebook 03


def test_03_1_lower_bound_noise_values():
    a, b, _ = lower_bound_noise(sigma=0.2, tau=1.0, w=0.3, dim=4)
    assert_checker_accepts("03.1", [a, b])


def test_03_2_lower_bound_floor():
    g = lower_bound_gradient(sigma=0.3, tau=2.0, w=0.4, dim=1)
    assert_checker_accepts("03.2", g**2)  # ||grad f||^2 with D = 1


def test_03_3_lower_bound_weight():
    # the weight where the gradient L (w - w*) is the one the drift balance asks for
    sigma, w_star, tau, L = 0.1, -0.2, 0.8, 1.0
    w = bisect(lambda w: L * (w - w_star) - lower_bound_gradient(sigma, tau, w), w_star, 0.0)
    assert_checker_accepts("03.3", w)


# ----------------------------------------------------------------------------- notebook 04


def test_04_1_tiki_taka_step():
    x = ex.TT_STEP_04_1
    q = linear_q(x["tau"], 0.0)
    g = x["W"] + x["gamma"] * x["P"] - x["w_star"] + x["eps"]  # noisy gradient at W + gamma P
    P = update(*q, x["P"], -x["lr"] * g)
    assert_checker_accepts("04.1", update(*q, x["W"], x["transfer_lr"] * P))


def test_04_2_residual_gradient():
    # the fast array's mean increment at P = 0 vanishes: dP = -lr (g + eps) is scaled by q+(0)
    # where g + eps < 0 and by q-(0) where g + eps > 0; E[x+] = (E|x| + E x)/2, E[x-] = (E|x| - E x)/2
    c, s = 0.2, 0.5
    q_plus, q_minus = linear_q(1.0, c)

    def drift(g):  # E[dP]/lr
        positive_part = (gauss_abs_mean(g, s) + g) / 2
        negative_part = (gauss_abs_mean(g, s) - g) / 2
        return q_plus(0.0) * negative_part - q_minus(0.0) * positive_part

    assert_checker_accepts("04.2", bisect(drift, 0.0, 10 * s))


def test_04_3_zero_shift_read():
    tau, c, p_phys = 0.6, -0.25, 0.02
    assert_checker_accepts("04.3", p_phys - symmetric_point(*linear_q(tau, c), -tau, tau))


def test_04_4_theorem_4_noise():
    # paper 1 Thm. 4: 33 P_max^2/tau^2 < 1 with P_max^2 = 41 L^2 tau^4 D/(c^2 sigma^2)
    L, tau, D, c = 1.0, 0.5, 1, math.sqrt(2 / math.pi)

    def margin(log_sigma):
        p_max2 = 41 * L**2 * tau**4 * D / (c**2 * math.exp(2 * log_sigma))
        return 33 * p_max2 / tau**2 - 1

    assert_checker_accepts("04.4", math.exp(bisect(margin, math.log(1e-3), math.log(1e6))))


def test_07_1_async_cycles():
    # build the 1F1B schedule by hand: micro-batch m finishes (stage 1's backward) at cycle 2S +
    # 2(m - 1); count the cycles of the last of 10 at S = 4
    S, K = 4, 10
    finish = [2 * S + 2 * (m - 1) for m in range(1, K + 1)]
    assert_checker_accepts("07.1", finish[-1])


def test_07_2_delayed_fixed_point():
    # stationary: w_{k-d} has the law of w_k, so the mean update -lr g - (lr/tau) E|g + eps| w
    # vanishes at the undelayed fixed point, g = L (w - w*)
    x = ex.nb07.DELAYED
    L, w_star, tau, s = x["L"], x["w_star"], x["tau"], x["noise_std"]

    def drift(w):
        g = L * (w - w_star)
        return g + (w / tau) * gauss_abs_mean(g, s)

    assert_checker_accepts("07.2", bisect(drift, 0.0, w_star))


def test_07_3_sync_cycles_scale_with_the_cycles_per_update():
    # sync reads no stale weights, so its run is the same at 4 and 8 stages; each update costs
    # 2(M + S - 1) cycles: read the dashboard at 4 stages and scale by (4 + 8 - 1)/(4 + 4 - 1)
    four = widgets.pipeline_dashboard().compute(stages=4, micro_batches=4, asymmetry=0.0)
    assert_checker_accepts("07.3", four["cycles_to_target_sync"] * 11 / 7)


def test_every_exercise_is_covered():
    """A test named test_NN_k_... per exercise "NN.k"."""
    names = (re.match(r"test_(\d\d)_(\d+)_", name) for name in globals())
    assert {f"{m[1]}.{m[2]}" for m in names if m} == set(EXERCISES)
