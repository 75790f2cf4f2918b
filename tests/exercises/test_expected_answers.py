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
import pytest

from analogkit import exercises as ex
from analogkit import widgets
from analogkit.exercises import EXERCISES, nb02, nb03

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


def test_00_2_pulse_probability():
    # 16 states on [-0.6, 0.6]: 16 steps of dw_min = 1.2/16; the mean change p dw_min is dw = 0.01
    x = ex.nb00.FEW_STATES
    assert (x["w_min"], x["w_max"], x["n_states"], x["dw"]) == (-0.6, 0.6, 16, 0.01)
    dw_min = 1.2 / 16
    assert_checker_accepts("00.2", 0.01 / dw_min)
    # counting 16 levels (15 steps) or 17 levels is a mistake, not a rounding: refused
    checker = EXERCISES["00.2"].checker
    assert not checker(0.01 / (1.2 / 15)) and not checker(0.01 / (1.2 / 17))


# ----------------------------------------------------------------------------- notebook 01


def test_01_1_matching_asymmetry():
    # up_down = -0.3 < 0 shrinks the up steps: down/up = 1/0.7; a linear device has (1 - c)/(1 + c)
    q_plus, q_minus = soft_bounds_q(-1.0, 1.0, up_down=-0.3)
    ratio = q_minus(0.0) / q_plus(0.0)
    c = bisect(lambda c: (1 - c) / (1 + c) - ratio, -0.99, 0.99)
    assert_checker_accepts("01.1", c)
    # the same ratio at every w, so the two devices share their symmetric point c tau
    lin_plus, lin_minus = linear_q(1.0, c)
    for w in (-0.7, 0.2, 0.9):
        assert lin_minus(w) / lin_plus(w) == pytest.approx(q_minus(w) / q_plus(w), rel=1e-9)
    # the u/(2 - u) of up_down > 0, used for u = -0.3, is refused
    assert not EXERCISES["01.1"].checker(-0.3 / 2.3)


def test_01_2_soft_bounds_symmetric_point_off_centre():
    q_plus, q_minus = soft_bounds_q(-0.5, 1.5, up_down=0.2)
    assert_checker_accepts("01.2", symmetric_point(q_plus, q_minus, -0.5, 1.5))
    # neither the symmetric-range point u/(2 - u) nor the range's centre passes
    checker = EXERCISES["01.2"].checker
    assert not checker(0.2 / 1.8) and not checker(0.5)


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


def test_02_3_noise_for_a_penalty_minimiser():
    # f_Sigma'(w) = L (w - w*) + Sigma w/tau = 0 at the target w gives Sigma; Sigma = E|eps| = s E|N(0,1)|
    x, target = ex.ASGD_02, nb02.PENALTY_TARGET
    L, w_star, tau = x["L"], x["w_star"], x["tau"]
    sigma_bar = L * (w_star - target) * tau / target
    assert_checker_accepts("02.3", sigma_bar / gauss_abs_mean(0.0, 1.0))


# ----------------------------------------------------------------------------- notebook 03


def test_03_1_lower_bound_noise_values():
    a, b, _ = lower_bound_noise(sigma=0.2, tau=1.0, w=0.3, dim=4)
    assert_checker_accepts("03.1", [a, b])


def test_03_2_noise_for_a_gradient_floor():
    # the sigma whose stationary weight (zero drift, found by bisection) has ||grad f||^2 = floor
    x = nb03.FLOOR_03_2
    tau, w_star, floor, L = x["tau"], x["w_star"], x["floor"], 1.0

    def excess(log_sigma):
        sigma = math.exp(log_sigma)
        w = bisect(lambda w: L * (w - w_star) - lower_bound_gradient(sigma, tau, w), 0.0, w_star)
        return (L * (w - w_star)) ** 2 - floor

    assert_checker_accepts("03.2", math.exp(bisect(excess, math.log(1e-3), math.log(0.14))))


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


def test_04_3_half_reference():
    # the response acts at P + P_ref with P_ref = c tau/2; F = (q- + q+)/2, G = (q- - q+)/2 there,
    # and the fast array's mean increment at P = 0 is -lr (g F + E|g + eps| G)
    tau, c, s = 1.0, 0.3, 0.3
    q_plus, q_minus = linear_q(tau, c)
    p_ref = symmetric_point(q_plus, q_minus, -tau, tau) / 2
    F = (q_minus(p_ref) + q_plus(p_ref)) / 2
    G = (q_minus(p_ref) - q_plus(p_ref)) / 2
    assert_checker_accepts("04.3", bisect(lambda g: g * F + gauss_abs_mean(g, s) * G, 0.0, 10 * s))


def test_04_4_theorem_4_noise():
    # paper 1 Thm. 4: 33 P_max^2/tau^2 < 1 with P_max^2 = 41 L^2 tau^4 D/(kappa^2 sigma^2), and
    # Assumption 5's kappa = E|eps_i|/sigma for one coordinate of variance sigma^2/D (at g = 0)
    L, tau, D = 1.0, 0.5, 10

    def margin(log_s):  # in the per-coordinate std s = sigma/sqrt(D)
        sigma = math.exp(log_s) * math.sqrt(D)
        kappa = gauss_abs_mean(0.0, sigma / math.sqrt(D)) / sigma
        p_max2 = 41 * L**2 * tau**4 * D / (kappa**2 * sigma**2)
        return 33 * p_max2 / tau**2 - 1

    assert_checker_accepts("04.4", math.exp(bisect(margin, math.log(1e-3), math.log(1e6))))


# ----------------------------------------------------------------------------- notebook 05


def tile_0_period(inner_steps) -> int:
    """Steps between two transfers into tile 0, counted step by step: the gradient tile N steps
    every step; tile n's inner loop ends (and it transfers into tile n - 1) after T_n of the
    moves of the tile above it (T_N of steps for the gradient tile)."""
    counts, arrivals, step = [0] * len(inner_steps), [], 0
    while len(arrivals) < 3:
        step += 1
        n = len(inner_steps) - 1  # the inner loop of the gradient tile counts steps
        while n >= 0:
            counts[n] += 1
            if counts[n] < inner_steps[n]:
                break
            counts[n], n = 0, n - 1  # tile n + 1 transfers into tile n, which counts one move
        if n < 0:
            arrivals.append(step)
    return arrivals[2] - arrivals[1]


def test_05_2_multi_tile_step():
    # paper 3 eqs. (6), (7): the gradient tile takes the step at W̄, then tile 1 receives
    # transfer_lr times the new W2; tile 0 does not move
    x = ex.MT_STEP_05_2
    q = linear_q(1.0, 0.0)
    W0, W1, W2 = x["W"]
    gamma = x["gamma"]
    g = W0 + gamma * W1 + gamma**2 * W2 - x["w_star"] + x["eps"]
    W2 = update(*q, W2, -x["lr"] * g)
    W1 = update(*q, W1, x["transfer_lr"] * W2)
    assert_checker_accepts("05.2", W0 + gamma * W1 + gamma**2 * W2)


def test_05_3_cor_1_period():
    # Cor. 1 with gamma = 0.3, N = 3: T_1 = T_2 = ceil(1/gamma) = 4, T_3 = ceil(gamma^-3) = 38
    assert_checker_accepts("05.3", tile_0_period([4, 4, 38]))


def test_05_1_rounding_variance():
    # u = 0.05/0.2 = 0.25 pulses: one pulse with probability 0.25, none otherwise
    dw_min, u = 0.2, 0.05 / 0.2
    mean = u * dw_min
    assert_checker_accepts("05.1", u * dw_min**2 - mean**2)


# ----------------------------------------------------------------------------- notebook 06


def test_06_1_analog_sgd_step():
    x = ex.STEP_06_1
    assert_checker_accepts("06.1", update(*linear_q(x["tau"], 0.0), x["w"], -x["lr"] * x["g"]))


def test_06_2_zero_network_accuracy():
    # every logit 0: every image is called class 0; the test split is the first 360 images of
    # scikit-learn's digits in the order of default_rng(0).permutation (digits_mlp's split)
    from sklearn.datasets import load_digits

    y = load_digits().target
    test = np.random.default_rng(0).permutation(y.size)[: math.ceil(0.2 * y.size)]
    assert_checker_accepts("06.2", np.mean(y[test] == 0))


def test_06_3_six_tile_period():
    # six tiles, every inner loop ceil(1/0.15) = 7 steps
    assert_checker_accepts("06.3", tile_0_period([7] * 5))


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
