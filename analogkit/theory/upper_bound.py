"""Paper 1's upper bound on Analog SGD (Theorem 2, App. E): the chain (61)-(65) and its constant.

Equation numbers are those of P1 arXiv v1. :func:`upper_bound_derivation` follows the proof's
steps in sympy for one coordinate: the noise term that (62) bounds, ασ²‖W_k‖∞²/(2τ²), carried
into the descent inequality (61) and divided by its coefficient (α/2)(1 − ‖W_k‖∞²/τ²) as in
(64)-(65), gives the asymptotic term σ²S_K, constant 1. Eq. (64) prints that noise term as
2ασ²‖W_k‖∞²/τ², 4 times (62)'s, which is where the printed 4σ²S_K comes from. With constant 1
the upper bound and the corrected lower bound (Theorem 3, ``bounds``) match: σ²S_K + O(α).

* :func:`asgd_upper_bound`, :func:`asgd_asymptotic_bound` -- the bound with the derived constant.
* :func:`asgd_upper_bound_printed`, :func:`asgd_asymptotic_bound_printed` -- with the printed 4.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike

from analogkit.theory._core import Derivation, Real, Step, _finite, _lambdify, _out, _positive, sym
from analogkit.theory.bounds import _sigma2_S, _sigma_w_tau

#: the constant of the asymptotic term: derived from (62), and as printed in (64)-(65)
DERIVED, PRINTED = 1, 4


@functools.cache
def _upper_bound() -> Derivation:
    """P1 Theorem 2's chain (61)-(65) (arXiv v1, App. E), one coordinate at a time, in sympy.

    Notation: a = [grad f(W_k)]_i, g = a + eps_i the stochastic gradient, m = E|g| (>= 0),
    s_i^2 = E eps_i^2, rho = [W_k]_i/tau, r = ||W_k||_inf/tau (rho^2 <= r^2 < 1), lr = alpha.
    The ALD update (P1 eq. (8)) is W_{k+1} - W_k = -alpha g - (alpha/tau) |g| W_k.

    Steps:

    1. (61)'s first-order term: E<grad f, W_{k+1} - W_k> = -alpha a^2 - alpha rho a m.
    2. (62): Young's inequality on the cross term, and m^2 = a^2 + s_i^2 - Var|g|:
       -alpha a^2 - alpha rho a m = -(alpha/2)(1 - rho^2) a^2 + (alpha/2) rho^2 s_i^2
       - (alpha/2)(a + rho m)^2 - (alpha/2) rho^2 Var|g|; the last two terms are <= 0, and
       summing with rho^2 <= r^2 bounds the noise term by alpha sigma^2 r^2/2
       = alpha sigma^2 ||W_k||_inf^2/(2 tau^2), (62)'s term.
    3. The second-order term (L/2) E||W_{k+1} - W_k||^2 <= (L/2) alpha^2 (1 + r)^2 (a^2 + s_i^2)
       is O(alpha) after the division of step 4: it goes into the rate term.
    4. (64)-(65): divide by the coefficient (alpha/2)(1 - r^2) of ||grad f||^2: the noise term
       becomes sigma^2 r^2/(1 - r^2) = sigma^2 S(W_k), constant 1. With (64)'s printed noise
       term 2 alpha sigma^2 r^2 (4 times (62)'s) the same division gives 4 sigma^2 S(W_k).
    5. Averaging over k gives sigma^2 S_K; S is increasing in r^2, so S_K <= S(W_max).

    Returns:
        Derivation with results "asymptotic" (sigma^2 S in w, tau), "asymptotic_printed"
        (4 sigma^2 S), "S".
    """
    lr, a, tau, sigma, L = sym.lr, sym.g, sym.tau, sym.sigma, sym.L
    m = sp.Symbol("m", nonnegative=True)  # E|g|
    s2 = sp.Symbol("s_i2", nonnegative=True)  # E eps_i^2
    var = sp.Symbol("Var_abs_g", nonnegative=True)  # Var|g| = a^2 + s_i^2 - m^2
    rho = sp.Symbol("rho", real=True)
    r = sp.Symbol("r", nonnegative=True)
    x = sp.Symbol("x", nonnegative=True)  # r^2
    first_order = a * (-lr * a) + a * (-lr * rho * m)  # <a, E[-lr g - lr rho |g|]>, E g = a
    young = (
        -lr / 2 * (1 - rho**2) * a**2
        + lr / 2 * rho**2 * s2
        - lr / 2 * (a + rho * m) ** 2
        - lr / 2 * rho**2 * var
    )
    noise_62 = lr * sigma**2 * r**2 / 2  # (62): alpha sigma^2 ||W||^2/(2 tau^2), r = ||W||/tau
    noise_64 = 2 * lr * sigma**2 * r**2  # (64) as printed
    coeff = lr / 2 * (1 - r**2)
    S_r = r**2 / (1 - r**2)
    second = L / 2 * lr**2 * (1 + r) ** 2 * (a**2 + s2)
    steps = (
        Step(
            "(61) first-order term: E<grad f, dW> = -lr a^2 - lr rho a E|g|",
            first_order,
            -lr * a**2 - lr * rho * a * m,
        ),
        Step(
            "(62) Young + E|g|^2 = a^2 + s^2: -lr a^2 - lr rho a m = bound - squares - Var|g|",
            young.subs(var, a**2 + s2 - m**2),
            first_order,
        ),
        Step(
            "(62) noise term, summed with rho^2 <= r^2: lr sigma^2 r^2/2",
            noise_62,
            lr * sigma**2 * r**2 / 2,
        ),
        Step(
            "(61)-(62): second-order term / coefficient = O(lr)",
            sp.cancel(second / coeff),
            L * lr * (1 + r) * (a**2 + s2) / (1 - r),
        ),
        Step(
            "(64)-(65) from (62): noise term / coefficient = 1 x sigma^2 S",
            noise_62 / coeff,
            sigma**2 * S_r,
        ),
        Step("(64) as printed: 2 lr sigma^2 r^2 = 4 x (62)'s term", noise_64 / noise_62, PRINTED),
        Step("(64)-(65) as printed: 4 sigma^2 S", noise_64 / coeff, PRINTED * sigma**2 * S_r),
        Step(
            "S_K <= S(W_max): dS/d(r^2) = 1/(1 - r^2)^2 > 0",
            sp.diff(x / (1 - x), x),
            1 / (1 - x) ** 2,
        ),
    )
    w = sym.w
    S_w = (w**2 / tau**2) / (1 - w**2 / tau**2)
    results = {
        "asymptotic": DERIVED * sigma**2 * S_w,
        "asymptotic_printed": PRINTED * sigma**2 * S_w,
        "S": S_w,
    }
    return Derivation("upper_bound", steps, results)


def upper_bound_derivation() -> Derivation:
    return _upper_bound().verify()


upper_bound_derivation.__doc__ = _upper_bound.__doc__


@functools.cache
def _upper_num():
    K, fg, sigma, L, w, tau = sym.K, sym.f_gap, sym.sigma, sym.L, sym.w, sym.tau
    rate = 4 * sp.sqrt(fg * sigma**2 * L / K) / (1 - w**2 / tau**2)
    return {
        "rate": _lambdify((K, fg, sigma, L, w, tau), rate),
        "S": _lambdify((w, tau), _upper_bound()["S"]),
    }


def _upper(K, f_gap, sigma, L, w_max, tau, k, name):
    K = _positive("K", K)
    f_gap = _positive("f_gap", f_gap)
    _positive("sigma", sigma)
    L = _positive("L", L)
    (sigma, _, _, K, f_gap, L), scaled, eb = _sigma_w_tau(
        sigma, w_max, tau, "w_max", K=K, f_gap=f_gap, L=L
    )
    # each factor of the rate term is finite; the asymptotic term in units of sigma^2
    rate = _upper_num()["rate"](K, f_gap, sigma, L, *scaled[1:])
    s, w, t = scaled
    total = rate + np.ldexp(k * s**2 * _upper_num()["S"](w, t), 2 * eb)
    c = "" if k == 1 else f"{k:g} "
    _finite(
        name,
        total,
        f"{c}sigma^2 S(w_max) and 4 sqrt(f_gap sigma^2 L/K)/(1 - w_max^2/tau^2) must both stay "
        "below it (a larger K, or a smaller f_gap, L or sigma)",
    )
    return _out(total)


def _asymptotic(sigma, w_max, tau, k):
    inputs, scaled, eb = _sigma_w_tau(sigma, w_max, tau, "w_max")
    s, w, t = scaled
    return _sigma2_S(k * s**2 * _upper_num()["S"](w, t), k, inputs, scaled, eb)


@np.errstate(all="ignore")
def asgd_upper_bound(
    K: ArrayLike, f_gap: ArrayLike, sigma: ArrayLike, L: ArrayLike, w_max: ArrayLike, tau: ArrayLike
) -> Real:
    """Paper 1 Theorem 2 (arXiv v1) with the asymptotic constant its proof's (62) gives, against K.

        (1/K) sum_k E||grad f(W_k)||^2 <= 4 sqrt(f_gap sigma^2 L / K)/(1 - w_max^2/tau^2)
                                          + sigma^2 S(w_max),   S(w) = (w^2/tau^2)/(1 - w^2/tau^2)

    with alpha = sqrt(f_gap/(sigma^2 L K)) (the proof needs alpha <= 1/(2L), i.e.
    K >= 4 f_gap L/sigma^2; not enforced). S_K <= S(w_max) is used for the last term. The rate
    term's 4 is eq. (65)'s as printed; the asymptotic term's constant is 1, as carrying (62)'s
    noise term through (64)-(65) gives (:func:`upper_bound_derivation`); (64) prints 4 times
    that term, hence the printed 4 sigma^2 S_K (:func:`asgd_upper_bound_printed`). On the
    lower-bound instance the stationary value is sigma^2 S (:func:`lower_bound_floor`): the
    bounds match.

    Args:
        K: number of iterations, > 0 (array: the bound as a curve).
        f_gap: f(W_0) - f*, > 0.
        sigma: noise level, > 0.
        L: smoothness, > 0.
        w_max: bound on ||W_k||_inf, in [0, tau).
        tau: saturation level, > 0.

    Returns:
        float or array of the broadcast shape.

    Raises:
        ValueError: also where the bound exceeds the float range.
    """
    return _upper(K, f_gap, sigma, L, w_max, tau, DERIVED, "asgd_upper_bound")


@np.errstate(all="ignore")
def asgd_upper_bound_printed(
    K: ArrayLike, f_gap: ArrayLike, sigma: ArrayLike, L: ArrayLike, w_max: ArrayLike, tau: ArrayLike
) -> Real:
    """:func:`asgd_upper_bound` with the printed asymptotic term 4 sigma^2 S(w_max) (P1 arXiv v1
    Theorem 2, eqs. (64)-(65)), 4 times the constant (62) gives. Arguments as
    :func:`asgd_upper_bound`."""
    return _upper(K, f_gap, sigma, L, w_max, tau, PRINTED, "asgd_upper_bound_printed")


@np.errstate(all="ignore")
def asgd_asymptotic_bound(sigma: ArrayLike, w_max: ArrayLike, tau: ArrayLike) -> Real:
    """The K -> infinity term of :func:`asgd_upper_bound`: sigma^2 S(w_max) (P1 Theorem 2, with
    the constant 1 that (62) gives; the printed 4 is :func:`asgd_asymptotic_bound_printed`).

    ValueError where it exceeds the float range, naming the largest sigma.
    """
    return _asymptotic(sigma, w_max, tau, DERIVED)


@np.errstate(all="ignore")
def asgd_asymptotic_bound_printed(sigma: ArrayLike, w_max: ArrayLike, tau: ArrayLike) -> Real:
    """P1 Theorem 2's asymptotic term as printed (arXiv v1 eqs. (64)-(65)): 4 sigma^2 S(w_max).

    ValueError where it exceeds the float range, naming the largest sigma.
    """
    return _asymptotic(sigma, w_max, tau, PRINTED)
