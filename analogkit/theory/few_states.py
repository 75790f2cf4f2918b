"""Few conductance states (paper 3): the quantisation noise of pulsed updates and the floor it adds.

With n_states = (w_max - w_min)/dw_min and stochastic rounding, a requested step dw becomes
floor(u + U) pulses, u = |dw|/dw_min, U uniform: its mean is exact and its variance is
dw_min^2 phi(u), phi(u) = frac(u)(1 - frac(u)) (paper 3 Lemma 1: E zeta = 0, Var zeta =
Theta(lr dw_min), with the constant |g| (1 - u) for u < 1). For Analog SGD on a 1-D quadratic this
adds a term to the stationary variance that no learning rate removes: as lr -> 0 it tends to
dw_min E[|g| q^2] / (2 h'), while the gradient-noise term vanishes like lr.

:func:`few_states_floor` is that floor (:func:`analogkit.theory.asgd_stationary_moments` plus the
quantisation term, the expectations over the Gaussian gradient in closed form);
:func:`residual_derivation_tiles` is the multi-tile argument of paper 3 §3 (a tile that leaves a
residual E leaves gamma E after one more tile); :func:`corollary_1_floor` is Cor. 1's scaling
gamma^(2N/3) (sigma dw_min)^(2/3), whose constant paper 3 does not give.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike
from scipy.special import ndtr

from analogkit._validate import broadcast, integer
from analogkit.theory._core import (
    Derivation,
    Real,
    Step,
    _lambdify,
    _nonneg,
    _out,
    _positive,
    sym,
)
from analogkit.theory.asgd import asgd_drift, asgd_stationary_moments

__all__ = [
    "rounding_derivation",
    "rounding_variance",
    "FewStatesFloor",
    "few_states_floor",
    "residual_derivation_tiles",
    "corollary_1_floor",
]


# -- stochastic rounding -----------------------------------------------------------------------


@functools.cache
def _rounding() -> Derivation:
    u, f = sp.Symbol("u", nonnegative=True), sp.Symbol("f", nonnegative=True)
    k = sp.Symbol("k", integer=True, nonnegative=True)
    d, D = sp.Symbol("d", nonnegative=True), sp.Symbol("dw_min", positive=True)  # d = |dw|
    # n = k + B, B ~ Bernoulli(f), with u = k + f, f = frac(u)
    mean = (1 - f) * k + f * (k + 1)
    second = (1 - f) * k**2 + f * (k + 1) ** 2
    steps = (
        Step("E n = u (k = floor u, f = frac u)", mean, u, {u: k + f}),
        Step("Var n = f (1 - f)", sp.expand(second - mean**2), f * (1 - f)),
        Step(
            "u < 1: Var(n dw_min) = dw_min |dw| - dw^2 (Lemma 1's Theta(lr dw_min))",
            D**2 * f * (1 - f),
            D * d - d**2,
            {f: d / D},
        ),
    )
    return Derivation("rounding", steps, {"variance": f * (1 - f)})


def rounding_derivation() -> Derivation:
    """Stochastic rounding of u = |dw|/dw_min to n = floor(u + U): E n = u, Var n = frac(u)(1 -
    frac(u)) (the quantisation noise of paper 3 Lemma 1), checked in sympy."""
    return _rounding().verify()


def rounding_variance(u: ArrayLike) -> Real:
    """Var n for n = floor(u + U): frac(u)(1 - frac(u)), the variance of a rounded step in units
    of dw_min^2.

    Args:
        u: requested step in units of dw_min, >= 0 (|dw| / dw_min).
    """
    u = _nonneg("u", u)
    f = np.asarray(u) - np.floor(u)
    return _out(f * (1 - f))


# -- the single-tile floor -----------------------------------------------------------------------


def _truncated_moments(lo, hi, m, s):
    """(M0, M1, M2): integrals of g^j N(g; m, s^2) over [lo, hi] (j = 0, 1, 2)."""
    za, zb = (lo - m) / s, (hi - m) / s
    pa, pb = np.exp(-0.5 * za**2) / np.sqrt(2 * np.pi), np.exp(-0.5 * zb**2) / np.sqrt(2 * np.pi)
    pa = np.where(np.isinf(za), 0.0, pa)
    pb = np.where(np.isinf(zb), 0.0, pb)
    za_pa = np.where(np.isinf(za), 0.0, za * pa)
    zb_pb = np.where(np.isinf(zb), 0.0, zb * pb)
    M0 = ndtr(zb) - ndtr(za)
    M1 = m * M0 + s * (pa - pb)
    M2 = (m**2 + s**2) * M0 + 2 * m * s * (pa - pb) + s**2 * (za_pa - zb_pb)
    return M0, M1, M2


def _half_phi(a, m, s, k_max):
    """E[phi(a g); g > 0] for g ~ N(m, s^2): the sum over the intervals k <= a g < k + 1 of
    E[(a g - k)(k + 1 - a g)], each a quadratic in g integrated against the normal density."""
    k = np.arange(k_max + 1).reshape((-1,) + (1,) * np.ndim(a))
    M0, M1, M2 = _truncated_moments(k / a, (k + 1) / a, m, s)
    return np.sum(-(a**2) * M2 + a * (2 * k + 1) * M1 - k * (k + 1) * M0, axis=0)


@dataclass(frozen=True)
class FewStatesFloor:
    """The stationary error of pulsed Analog SGD on f = L/2 (w - w*)^2, to first order in lr.

    Attributes:
        fixed_point: the mean-field fixed point (independent of lr and dw_min).
        mean: the stationary mean.
        var_gradient: the variance the gradient noise causes (-> 0 as lr -> 0).
        var_quantisation: the variance the rounding to pulses adds (-> a constant as lr -> 0).
        mse: E (w - w*)^2 = (mean - w*)^2 + var_gradient + var_quantisation.
        loss: E f - f* = L/2 mse.
    """

    fixed_point: object
    mean: object
    var_gradient: object
    var_quantisation: object
    mse: object
    loss: object


@functools.cache
def _drift_num():
    d = asgd_drift()
    args = (sym.w, sym.L, sym.w_star, sym.s, sym.tau, sym.asymmetry)
    return _lambdify(args, d["dh"])


def few_states_floor(
    L: ArrayLike,
    w_star: ArrayLike,
    tau: ArrayLike,
    noise_std: ArrayLike,
    lr: float,
    n_states: int,
    asymmetry: ArrayLike = 0.0,
) -> FewStatesFloor:
    """Analog SGD's floor on a linear device with ``n_states`` states and stochastic rounding.

    Around the fixed point w0, a step -lr g (g = L (w0 - w*) + eps) becomes n pulses of
    dw_min q_s(w0), n = floor(lr|g|/dw_min + U), so the increment's variance is the expected
    update's, lr^2 V (:func:`analogkit.theory.asgd_stationary_moments`), plus
    dw_min^2 E[q_s(w0)^2 phi(lr|g|/dw_min)]; the linearised recursion divides both by
    lr h'(w0)(2 - lr h'(w0)). The expectation over the Gaussian g is a sum over the pulse counts
    of truncated-normal moments, in closed form. (Pulse trains longer than one pulse are taken to
    first order in dw_min/tau.)

    Args:
        L, w_star, tau, noise_std, asymmetry: as :func:`analogkit.theory.asgd_fixed_point`.
        lr: learning rate, > 0.
        n_states: number of states 2 tau / dw_min, an integer >= 2.

    Returns:
        :class:`FewStatesFloor`.
    """
    n_states = integer("n_states", n_states, 2)
    moments = asgd_stationary_moments(L, w_star, tau, noise_std, lr, asymmetry)
    L, w_star, tau, s, c = (
        np.asarray(v, dtype=float) for v in (L, w_star, tau, noise_std, asymmetry)
    )
    broadcast({"L": L, "w_star": w_star, "tau": tau, "noise_std": s, "asymmetry": c})
    w0 = np.asarray(moments.fixed_point, dtype=float)
    dw_min = 2 * tau / n_states
    dh = _drift_num()(w0, L, w_star, np.where(s > 0, s, 1.0), tau, c)
    m = L * (w0 - w_star)
    a = lr / dw_min
    q_up = (1 + c) * (1 - w0 / tau)  # g < 0: the step is up
    q_down = (1 - c) * (1 + w0 / tau)
    s_safe = np.where(s > 0, s, 1.0)
    k_max = int(np.max(np.ceil(a * (np.abs(m) + 12 * s_safe)))) + 1
    e_phi = q_down**2 * _half_phi(a, m, s_safe, k_max) + q_up**2 * _half_phi(a, -m, s_safe, k_max)
    var_q = np.where(s > 0, dw_min**2 * e_phi / (lr * dh * (2 - lr * dh)), 0.0)
    mean = np.asarray(moments.mean, dtype=float)
    var_g = np.asarray(moments.var, dtype=float)
    mse = (mean - w_star) ** 2 + var_g + var_q
    return FewStatesFloor(
        _out(w0), _out(mean), _out(var_g), _out(var_q), _out(mse), _out(0.5 * L * mse)
    )


# -- multi-tile ---------------------------------------------------------------------------------------


@functools.cache
def _tiles() -> Derivation:
    g = sp.Symbol("gamma", positive=True)
    W0, Ws, E1, E2 = sp.symbols("W0 W_star E1 E2", real=True)
    P1 = (Ws - W0) / g  # what tile 1 must hold for W0 + gamma W1 = W*
    W1 = P1 + E1  # tile 1 reaches its target up to its own residual E1
    Wbar = W0 + g * W1
    P2 = (Ws - W0 - g * (P1 + E1)) / g**2  # tile 2's target given W0 and W1
    Wbar3 = W0 + g * (P1 + E1) + g**2 * (P2 + E2)
    steps = (
        Step("P*_1 = (W* - W^(0)) / gamma makes W0 + gamma P*_1 = W*", W0 + g * P1, Ws),
        Step("W* - W̄ = -gamma E1 (two tiles)", Ws - Wbar, -g * E1),
        Step("P*_2 = -E1 / gamma", P2, -E1 / g),
        Step("W* - W̄ = -gamma^2 E2 (three tiles)", Ws - Wbar3, -(g**2) * E2),
    )
    return Derivation(
        "multi-tile residuals", steps, {"residual_2": -g * E1, "residual_3": -(g**2) * E2}
    )


def residual_derivation_tiles() -> Derivation:
    """Paper 3 §3's argument in sympy: each further tile, weighted gamma^n, targets what the
    tiles below it left, so a residual E of one tile becomes gamma E in W̄ (gamma^N E with N + 1
    tiles): the floor shrinks geometrically with the number of tiles."""
    return _tiles().verify()


def corollary_1_floor(gamma: ArrayLike, tiles: int, sigma: ArrayLike, dw_min: ArrayLike) -> Real:
    """Paper 3 Cor. 1's asymptotic floor gamma^(2N/3) (sigma dw_min)^(2/3), N = tiles - 1, with
    constant 1 (the corollary gives its order only): compare slopes, not values."""
    tiles = integer("tiles", tiles, 1)
    gamma = _positive("gamma", gamma)
    sigma, dw_min = _positive("sigma", sigma), _positive("dw_min", dw_min)
    return _out(np.asarray(gamma) ** (2 * (tiles - 1) / 3) * (sigma * dw_min) ** (2 / 3))
