"""Paper 1's lower-bound instance (Theorem 3, App. G.2) and the saturation factor S(w).

:func:`lower_bound_floor`, :func:`lower_bound_stationary_w`, :func:`lower_bound_stationary_moments`:
the zero-drift condition with Lemma 4 gives ||grad f||^2 = sigma^2 S(w), S = (w^2/tau^2)/
(1 - w^2/tau^2): a factor 4 below the printed 4 sigma^2 S_K (P1 arXiv v1 eq. (10), (98)). Monte
Carlo ratio to sigma^2 S_K: 1.12, 1.06, 1.02 at lr = 0.01, 0.005, 0.002 (-> 1; the O(lr) part is
predicted to 0.4%), never 4. The upper bound (Theorem 2), which matches it, is in ``upper_bound``.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike

from analogkit._validate import find_root
from analogkit.theory._core import (
    NOISE_MAX,
    Derivation,
    Real,
    Step,
    _dim,
    _exponent,
    _first,
    _inputs,
    _inside,
    _lambdify,
    _nonneg,
    _out,
    _positive,
    sym,
)
from analogkit.theory.asgd import StationaryMoments, _check_lr, _linearised_moments, _moments_out

#: the largest float
_MAX = float(np.finfo(float).max)


@functools.cache
def _lower_bound() -> Derivation:
    """Paper 1 Theorem 3's instance: the stationary gradient and the floor, step by step.

    Instance (App. G.2): ALD (F = 1, G = w/tau), every coordinate equal to w,
    f = L/2 ||W - W*||^2, per-coordinate gradient g = L (w - w*), noise xi * 1 with::

        xi = +a w.p. p, -b w.p. 1-p,   p = (1 - w/tau)/2,
        a = (sigma/sqrt D) sqrt((1-p)/p),  b = (sigma/sqrt D) sqrt(p/(1-p)).

    Steps (written in p, with w = tau (1 - 2p), so that every square root is sqrt(p), sqrt(1-p)):
    E xi = 0; E xi^2 = sigma^2/D; for -a <= g <= b, E|g + xi| = p (g + a) + (1-p)(b - g) =
    (2 sigma/sqrt D) sqrt(p(1-p)) + (2p - 1) g (Lemma 4); the mean drift
    -lr (g + (w/tau) E|g + xi|) vanishes at::

        g = -(w/tau)(sigma/sqrt D)/sqrt(1 - w^2/tau^2)     (per coordinate)
        ||grad f||^2 = D g^2 = sigma^2 (w^2/tau^2)/(1 - w^2/tau^2) = sigma^2 S(w),

    and this g always satisfies -a <= g <= b (g + a = (sigma/sqrt D)/sqrt(1 - w^2/tau^2) > 0,
    b - g = the same), so Lemma 4 applies at stationarity. The printed floor is 4 sigma^2 S_K:
    a factor 4 larger than the drift balance gives (the Monte Carlo of the instance agrees with
    sigma^2 S, see tests and docs/theory.md).

    Returns:
        Derivation with results "g_stationary" (in w), "floor" (sigma^2 S(w)), "h" (drift in w),
        "V" (variance of the increment / lr^2 in w), "S".
    """
    p, sigma, D, g, tau, w, L, ws = (
        sym.p,
        sym.sigma,
        sym.D,
        sym.g,
        sym.tau,
        sym.w,
        sym.L,
        sym.w_star,
    )
    q = 1 - p
    a = sigma / sp.sqrt(D) * sp.sqrt(q) / sp.sqrt(p)
    b = sigma / sp.sqrt(D) * sp.sqrt(p) / sp.sqrt(q)
    w_p = tau * (1 - 2 * p)
    E_xi = p * a - q * b
    E_xi2 = p * a**2 + q * b**2
    E_abs = p * (g + a) + q * (b - g)
    lemma4 = 2 * sigma / sp.sqrt(D) * sp.sqrt(p) * sp.sqrt(q) + (2 * p - 1) * g
    drift = g + (w_p / tau) * lemma4  # E[w_next - w] = -lr * drift
    g_stat = sp.solve(sp.Eq(drift, 0), g)
    assert len(g_stat) == 1
    g_stat = g_stat[0]
    rho = w_p / tau
    g_claim_p = (
        -(sigma / sp.sqrt(D)) * (1 - 2 * p) / (2 * sp.sqrt(p) * sp.sqrt(q))
    )  # sqrt(1-rho^2) = 2 sqrt(p q)
    S = rho**2 / (1 - rho**2)
    steps = (
        Step("w = tau (1 - 2p) <=> p = (1 - w/tau)/2", ((1 - w_p / tau) / 2), p),
        Step("E xi = 0", E_xi, 0),
        Step("E xi^2 = sigma^2/D", E_xi2, sigma**2 / D),
        Step("Lemma 4: E|g + xi| = 2 (sigma/sqrt D) sqrt(p(1-p)) + (2p-1) g", E_abs, lemma4),
        Step("1 - w^2/tau^2 = 4 p (1 - p)", 1 - rho**2, 4 * p * q),
        Step("drift = 0 => g = -(w/tau)(sigma/sqrt D)/sqrt(1 - w^2/tau^2)", g_stat, g_claim_p),
        Step("drift vanishes there", drift.subs(g, g_stat), 0),
        Step(
            "Lemma 4 applies: g + a = (sigma/sqrt D)/sqrt(1 - w^2/tau^2)",
            g_stat + a,
            sigma / sp.sqrt(D) / (2 * sp.sqrt(p) * sp.sqrt(q)),
        ),
        Step(
            "Lemma 4 applies: b - g = (sigma/sqrt D)/sqrt(1 - w^2/tau^2)",
            b - g_stat,
            sigma / sp.sqrt(D) / (2 * sp.sqrt(p) * sp.sqrt(q)),
        ),
        Step("||grad f||^2 = D g^2 = sigma^2 S", D * g_stat**2, sigma**2 * S),
        Step(
            "printed 4 sigma^2 S = 4 x the drift-balance floor",
            4 * sigma**2 * S / (D * g_stat**2),
            4,
        ),
    )
    # the same quantities as functions of w (for the numeric forms)
    rho_w = w / tau
    p_w = (1 - rho_w) / 2
    sq = sp.sqrt(1 - rho_w**2) / 2  # sqrt(p (1-p)) for |w| < tau
    gw = L * (w - ws)
    sd = sigma / sp.sqrt(D)
    Eabs_w = 2 * sd * sq + (2 * p_w - 1) * gw
    h_w = gw + rho_w * Eabs_w
    # X = g + xi: +branch (g + a > 0) gives X (1 + rho), -branch gives X (1 - rho); H = X + rho |X|
    a_w = sd * sp.sqrt(1 + rho_w) / sp.sqrt(1 - rho_w)
    b_w = sd * sp.sqrt(1 - rho_w) / sp.sqrt(1 + rho_w)
    EH2 = p_w * ((gw + a_w) * (1 + rho_w)) ** 2 + (1 - p_w) * ((gw - b_w) * (1 - rho_w)) ** 2
    V_w = EH2 - h_w**2
    results = {
        "g_stationary": -rho_w * sd / sp.sqrt(1 - rho_w**2),
        "floor": sigma**2 * rho_w**2 / (1 - rho_w**2),
        "S": rho_w**2 / (1 - rho_w**2),
        "h": h_w,
        "V": V_w,
        "dh": sp.diff(h_w, w),
        "d2h": sp.diff(h_w, w, 2),
    }
    return Derivation("lower_bound", steps, results)


def lower_bound_derivation() -> Derivation:
    return _lower_bound().verify()


lower_bound_derivation.__doc__ = _lower_bound.__doc__


@functools.cache
def _lb_num():
    d = _lower_bound()
    args = (sym.w, sym.L, sym.w_star, sym.sigma, sym.tau, sym.D)
    out = {k: _lambdify(args, d[k]) for k in ("h", "V", "dh", "d2h")}
    out["g"] = _lambdify((sym.w, sym.sigma, sym.tau, sym.D), d["g_stationary"])
    out["floor"] = _lambdify((sym.w, sym.sigma, sym.tau), d["floor"])
    out["S"] = _lambdify((sym.w, sym.tau), d["S"])
    return out


def _sigma_w_tau(sigma, w, tau, name="w", **more):
    """Validated sigma >= 0, |w| < tau (0 <= w < tau for w_max), tau > 0 (and the validated
    `more`), broadcast: as given, sigma, w, tau in units of sigma and tau, and sigma's exponent."""
    sigma = _nonneg("sigma", sigma)
    tau = _positive("tau", tau)
    if name == "w_max":
        w = _inside(name, _nonneg(name, w), tau, "[0, tau)")
    else:
        w = _inside(name, w, tau)
    inputs = _inputs(**{"sigma": sigma, name: w, "tau": tau}, **more)
    sigma, w, tau = inputs[:3]
    ea, eb = _exponent(tau), _exponent(sigma)
    return inputs, (np.ldexp(sigma, -eb), np.ldexp(w, -ea), np.ldexp(tau, -ea)), eb


def _sigma2_S(value, k, inputs, scaled, eb) -> Real:
    """``value`` = k sigma^2 S(w) in units of sigma^2, as given; ValueError naming the largest
    sigma for which it is finite."""
    out = np.ldexp(value, 2 * eb)
    bad = ~np.isfinite(out)
    if np.any(bad):
        S, s, w, t = _first(bad, _lb_num()["S"](*scaled[1:]), *inputs[:3])
        what, den = ("", "S(w)") if k == 1 else (f"{k:g} ", f"({k:g} S(w))")
        raise ValueError(
            f"{what}sigma^2 S(w) exceeds the float range (1.8e308): sigma must be below "
            f"sqrt(1.8e308/{den}) = {np.sqrt(_MAX / k) / np.sqrt(S):.4g} for w = {w:g}, "
            f"tau = {t:g}, got {s!r}"
        )
    return _out(out)


def saturation(w: ArrayLike, tau: ArrayLike) -> Real:
    """S(w) = (w^2/tau^2)/(1 - w^2/tau^2), paper 1's saturation factor in S_K (Theorem 2).

    Finite for every |w| < tau (at most 1/eps = 4.5e15 in float).

    Args:
        w: weight(s) (for S_K use ||W_k||_inf), |w| < tau.
        tau: > 0.
    """
    tau = _positive("tau", tau)
    w, tau = _inputs(w=_inside("w", w, tau), tau=tau)
    ea = _exponent(tau)
    return _out(_lb_num()["S"](np.ldexp(w, -ea), np.ldexp(tau, -ea)))


@np.errstate(all="ignore")
def lower_bound_floor(sigma: ArrayLike, w: ArrayLike, tau: ArrayLike, dim: int = 1) -> Real:
    """||grad f||^2 at stationarity of paper 1's lower-bound instance: sigma^2 S(w).

    From :func:`lower_bound_derivation`: the drift of Analog SGD vanishes when the per-coordinate
    gradient is -(w/tau)(sigma/sqrt D)/sqrt(1 - w^2/tau^2), so ||grad f||^2 = sigma^2 (w^2/tau^2)/
    (1 - w^2/tau^2), independent of D. Paper 1 prints 4 sigma^2 S_K (Theorem 3, around eq. (98));
    the drift balance and the Monte Carlo give 1 x sigma^2 S, not 4 x (see
    :func:`lower_bound_floor_printed`). Accurate to O(lr)
    (see :func:`lower_bound_stationary_moments`).

    Args:
        sigma: paper 1's total noise level, >= 0.
        w: the coordinate value(s), |w| < tau.
        tau: saturation level, > 0.
        dim: D in [1, 2**53] (no effect on the norm; validated for symmetry with the instance).

    Returns:
        float or array.

    Raises:
        ValueError: also where sigma^2 S(w) exceeds the float range, naming the largest sigma.
    """
    inputs, scaled, eb = _sigma_w_tau(sigma, w, tau)
    _dim(dim)
    s, w, t = scaled
    return _sigma2_S(_lb_num()["floor"](w, s, t), 1, inputs, scaled, eb)


@np.errstate(all="ignore")
def lower_bound_floor_printed(sigma: ArrayLike, w: ArrayLike, tau: ArrayLike) -> Real:
    """Paper 1 Theorem 3's printed term 4 sigma^2 S(w), for comparison (4 x the derived floor).

    Arguments and the ValueError beyond the float range as :func:`lower_bound_floor`.
    """
    inputs, scaled, eb = _sigma_w_tau(sigma, w, tau)
    s, w, t = scaled
    return _sigma2_S(4 * s**2 * _lb_num()["S"](w, t), 4, inputs, scaled, eb)


def _lb_inputs(sigma, w_star, tau, L, dim):
    """The instance's inputs broadcast, in units of tau and L tau, and the two exponents; refuses
    sigma > NOISE_MAX sqrt(D) L tau."""
    sigma = _nonneg("sigma", sigma)
    tau = _positive("tau", tau)
    w_star = _inside("w_star", w_star, tau)
    L = _positive("L", L)
    dim = _dim(dim)
    sigma, w_star, tau, L = _inputs(sigma=sigma, w_star=w_star, tau=tau, L=L)
    ea, eb = _exponent(tau), _exponent(L, tau)
    scaled = [np.ldexp(sigma, -eb), np.ldexp(w_star, -ea), np.ldexp(tau, -ea), np.ldexp(L, ea - eb)]
    loud = scaled[0] > NOISE_MAX * np.sqrt(dim) * scaled[3] * scaled[2]
    if np.any(loud):
        s, t, L = _first(loud, sigma, tau, L)
        raise ValueError(
            f"sigma must be at most {NOISE_MAX:g} sqrt(dim) L tau = "
            f"{NOISE_MAX * np.sqrt(dim) * L * t:.4g} for L = {L:g}, tau = {t:g}, dim = {dim}, "
            f"got {s!r}"
        )
    return scaled + [dim], ea, eb


def _lb_w(sigma, w_star, tau, L, dim):
    g = _lb_num()["g"]
    return find_root(
        lambda w: L * (w - w_star) - g(w, sigma, tau, dim), np.zeros_like(w_star), w_star
    )


@np.errstate(all="ignore")
def lower_bound_stationary_w(
    sigma: ArrayLike, w_star: ArrayLike, tau: ArrayLike, L: ArrayLike = 1.0, dim: int = 1
) -> Real:
    """The weight where paper 1's lower-bound instance is stationary in mean.

    Solves L (w - w*) = -(w/tau)(sigma/sqrt D)/sqrt(1 - w^2/tau^2) between 0 and w* (a vectorised
    root finder; the left side minus the right is monotone there), in units of tau and L tau.

    Args:
        sigma: total noise level, in [0, 1e20 sqrt(D) L tau].
        w_star: the instance's minimiser per coordinate, |w*| < tau (paper 1 asks |w*| <= tau/4).
        tau: saturation level, > 0.
        L: curvature, > 0.
        dim: D in [1, 2**53].

    Returns:
        float or array.
    """
    args, ea, _ = _lb_inputs(sigma, w_star, tau, L, dim)
    return _out(np.ldexp(_lb_w(*args), ea))


@np.errstate(all="ignore")
def lower_bound_stationary_moments(
    sigma: ArrayLike, w_star: ArrayLike, tau: ArrayLike, lr: float, L: ArrayLike = 1.0, dim: int = 1
) -> StationaryMoments:
    """Stationary mean, variance and E||grad f||^2 of the lower-bound instance, to O(lr).

    As :func:`asgd_stationary_moments`, with the instance's two-point noise (its drift h and
    increment variance V come from :func:`lower_bound_derivation`). ``grad_norm2`` =
    D L^2 ((mean - w*)^2 + var) = sigma^2 S(w0) + O(lr).

    Args:
        sigma, w_star, tau, L, dim: as :func:`lower_bound_stationary_w`.
        lr: learning rate, > 0, and lr h'(w0) < 2 (the ValueError otherwise gives the bound).
    """
    (sigma, w_star, tau, L, dim), ea, eb = _lb_inputs(sigma, w_star, tau, L, dim)
    lr = _inputs(lr=_positive("lr", lr), sigma=sigma[0])[0]  # w0 keeps the shape without lr
    num = _lb_num()
    w0 = _lb_w(sigma, w_star, tau, L, dim)
    args = (L, w_star, sigma, tau, dim)
    dh = num["dh"](w0, *args)
    _check_lr(lr, dh, ea, eb, "sigma, w_star, tau, L and dim")
    lr = np.ldexp(lr, eb - ea)
    return _moments_out(*_linearised_moments(num, args, w0, lr, L, w_star, dim, dh=dh), ea, eb)
