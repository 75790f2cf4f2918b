"""Analog SGD on a 1-D quadratic: its mean drift, mean-field fixed point and stationary moments.

:func:`asgd_fixed_point` solves g F(w) + E|g + eps| G(w) = 0 (P1 eq. (3) in expectation, P2
camera-ready eq. (42)'s T(W) = 0); the fixed point does not depend on lr (simulation: lr 0.003-0.03 all
within 2 SE of it after the O(lr) correction of :func:`asgd_stationary_moments`). Both are
evaluated in units of tau and L tau, so they depend on the inputs only through w*/tau,
noise_std/(L tau), c (and lr L).
"""

from __future__ import annotations

import functools
import types
from dataclasses import dataclass

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike

from analogkit._validate import find_root
from analogkit.theory._core import (
    NOISE_MIN,
    Derivation,
    Real,
    Step,
    _finite,
    _first,
    _inputs,
    _lambdify,
    _out,
    _positive,
    _quadratic_inputs,
    _quadratic_units,
    sym,
)
from analogkit.theory.folded_normal import (
    _erf_num,
    _fnm_fixed_point,
    _x_abs_x_expr,
    folded_normal_mean_expr,
)
from analogkit.theory.response import _analog_update, _response


@dataclass(frozen=True)
class StationaryMoments:
    """Stationary statistics of a 1-D stochastic recursion w <- w - lr H(w, noise), small lr.

    Attributes:
        fixed_point: the mean-field fixed point w0, h(w0) = 0 (h = E H), independent of lr.
        mean: the stationary mean to first order in lr, w0 - h''(w0) var / (2 h'(w0)).
        var: the stationary variance, lr V(w0) / (2 h'(w0) - lr h'(w0)^2), V = Var H(w0, noise).
        grad_norm2: E||grad f||^2 = D L^2 ((mean - w*)^2 + var) to first order in lr.
    """

    fixed_point: object
    mean: object
    var: object
    grad_norm2: object


def _check_lr(lr, dh, ea, eb, given):
    """The linearised recursion must contract, 0 < lr h'(w0) < 2; else ValueError naming lr and
    its bound 2/h'(w0) (``lr`` as given, ``dh`` in units L; ``given`` names what sets h')."""
    lr, dh = np.broadcast_arrays(lr, dh)
    bad = np.ldexp(lr, eb - ea) * dh >= 2
    if np.any(bad):
        lr, dh = _first(bad, lr, np.ldexp(dh, eb - ea))
        raise ValueError(
            f"lr must lie in (0, 2/h'(w0)) = (0, {2 / dh:.4g}) for a stationary distribution "
            f"with these {given} (h'(w0) = {dh:.4g}, the slope of the mean drift at the fixed "
            f"point), got {lr!r}"
        )


def _linearised_moments(num, args, w0, lr, L, w_star, dim=1, noisy=True, dh=None):
    """Fixed point, mean, var and E||grad f||^2 of w <- w - lr H(w, noise) around its fixed point w0.

    ``num`` holds the lambdified drift derivatives "dh", "d2h" and the increment variance "V",
    each a function of (w, *args); ``noisy`` is False where the noise vanishes (var = 0, mean =
    w0); ``dh`` is h'(w0) when the caller has it. lr is checked by :func:`_check_lr` first.
    """
    dh = num["dh"](w0, *args) if dh is None else dh
    var = np.where(noisy, lr * num["V"](w0, *args) / (2 * dh - lr * dh**2), 0.0)
    mean = np.where(noisy, w0 - num["d2h"](w0, *args) * var / (2 * dh), w0)
    gn2 = dim * L**2 * ((mean - w_star) ** 2 + var)
    return w0, mean, var, gn2


def _moments_out(w0, mean, var, gn2, ea, eb) -> StationaryMoments:
    """:class:`StationaryMoments` from weights in units 2**ea and gradients in units 2**eb."""
    var, gn2 = np.ldexp(var, 2 * ea), np.ldexp(gn2, 2 * eb)
    _finite("var", var, "the variance grows as tau^2; tau must be well below 1e154")
    _finite("grad_norm2", gn2, "it grows as (L tau)^2; L tau must be well below 1e154")
    return StationaryMoments(_out(np.ldexp(w0, ea)), _out(np.ldexp(mean, ea)), _out(var), _out(gn2))


def asgd_drift(family: str = "linear") -> Derivation:
    """The mean update of Analog SGD on f = L/2 (w - w*)^2 with Gaussian noise, in sympy.

    With dw = -lr (g + eps), g = L (w - w*), eps ~ N(0, s^2) and the analog update
    w + dw F - |dw| G::

        E[w_next] - w = -lr h(w),   h(w) = g F(w) + E|g + eps| G(w)
        V(w) = Var[(g + eps) F + |g + eps| G]
             = F^2 s^2 + G^2 (g^2 + s^2 - E|g+eps|^2) + 2 F G (E[X|X|] - g E|g+eps|)

    Only ``family="linear"`` (F = 1 - c w/tau, G = w/tau - c; c = 0 is the ALD, for which
    h = L(w - w*) + (w/tau) E|g + eps| is P1 eq. (3) in expectation) is provided. The last
    steps take the noise -> 0 limit of the fixed point and of h' (used by
    :func:`asgd_stationary_moments` for vanishing noise).

    Returns:
        A Derivation with results "h", "V", "dh", "d2h" (derivatives in w) and "g".
    """
    if family != "linear":
        raise ValueError(f"family must be 'linear' (the only one derived), got {family!r}")
    return _asgd_drift_with_limits().verify()


@functools.cache
def _asgd_drift():
    w, L, ws, s, tau, c, dw = sym.w, sym.L, sym.w_star, sym.s, sym.tau, sym.asymmetry, sym.dw
    r = _response("linear")
    F, G = r.F, r.G
    g = L * (w - ws)
    fnm = folded_normal_mean_expr(g, s)
    h = g * F + fnm * G
    xax = _x_abs_x_expr(g, s)
    V = F**2 * s**2 + G**2 * (g**2 + s**2 - fnm**2) + 2 * F * G * (xax - g * fnm)
    # E[U(w, dw)] - w with dw = -lr X, X = g + eps: -lr E[X] F - lr E|X| G
    X, EX, EabsX = sp.Symbol("X", real=True), g, fnm
    mean_step = -sym.lr * EX * F - sym.lr * EabsX * G
    steps = (
        Step(
            "U(w, -lr X) - w = -lr X F - lr |X| G",
            _analog_update("linear").compact.subs(dw, -sym.lr * X) - w,
            -sym.lr * X * F - sym.lr * sp.Abs(X) * G,
        ),
        Step("E[w_next] - w = -lr h(w)", mean_step, -sym.lr * h),
        Step("h(w*) = E|eps| G(w*)", h.subs(w, ws), s * sp.sqrt(2 / sp.pi) * G.subs(w, ws)),
        Step("h(w⋄) = L (w⋄ - w*) F(w⋄)", h.subs(w, c * tau), L * (c * tau - ws) * (1 - c**2)),
        Step("c = 0: h = L (w - w*) + (w/tau) E|g + eps|", h.subs(c, 0), g + w / tau * fnm),
    )
    res = {"h": h, "V": V, "dh": sp.diff(h, w), "d2h": sp.diff(h, w, 2), "g": g}
    return Derivation("asgd_drift", steps, res)


@functools.cache
def _asgd_drift_with_limits():
    """:func:`_asgd_drift` and the steps of its noise -> 0 limit (kept out of the numeric forms'
    derivation: sympy takes a second for the limits)."""
    d = _asgd_drift()
    r = _response("linear")
    return Derivation(d.name, d.steps + _noiseless_steps(d["h"], r.F, r.G), d.results)


def _noiseless_steps(h, F, G):
    """The noise -> 0 limit s -> 0 of the fixed point and of h'(w0), inside and on the bounds.

    Inside (|w*| < tau) the fixed point is w* + k s/L + o(s) with k F(w*) + E|k + N(0,1)| G(w*)
    = 0, where h' -> L (F + G erf(k/sqrt 2)) at w*; at a w0 != w* (w0 = ±tau for |w*| >= tau)
    erf(g/(sqrt 2 s)) -> sign(g) and E|g + eps| -> |g|.
    """
    w, L, ws, s, tau, c = sym.w, sym.L, sym.w_star, sym.s, sym.tau, sym.asymmetry
    k, gp = sp.Symbol("k", real=True), sp.Symbol("g_pos", positive=True)
    dh = sp.diff(h, w)
    near = {w: ws + k * s / L}
    return (
        Step(
            "s -> 0 at w = w* + k s/L: h/s -> k F(w*) + E|k + N(0,1)| G(w*)",
            sp.limit(h.subs(near) / s, s, 0, "+"),
            (k * F + folded_normal_mean_expr(k, 1) * G).subs(w, ws),
        ),
        Step(
            "s -> 0 at w = w* + k s/L: h' -> L (F(w*) + G(w*) erf(k/sqrt 2))",
            sp.limit(dh.subs(near), s, 0, "+"),
            (L * (F + G * sp.erf(k / sp.sqrt(2)))).subs(w, ws),
        ),
        Step(
            "s -> 0 at g = L (w - w*) > 0: h' -> L (F + G) + (1 - c) g/tau",
            sp.limit(dh.subs(ws, w - gp / L), s, 0, "+"),
            L * (F + G) + (1 - c) * gp / tau,
        ),
        Step(
            "s -> 0 at g = L (w - w*) < 0: h' -> L (F - G) + (1 + c) |g|/tau",
            sp.limit(dh.subs(ws, w + gp / L), s, 0, "+"),
            L * (F - G) + (1 + c) * gp / tau,
        ),
    )


@functools.cache
def _asgd_num():
    d = _asgd_drift()
    args = (sym.w, sym.L, sym.w_star, sym.s, sym.tau, sym.asymmetry)
    return {k: _lambdify(args, d[k]) for k in ("h", "V", "dh", "d2h")}


@np.errstate(all="ignore")
def asgd_fixed_point(
    L: ArrayLike,
    w_star: ArrayLike,
    tau: ArrayLike,
    noise_std: ArrayLike,
    asymmetry: ArrayLike = 0.0,
) -> Real:
    """Mean-field fixed point of Analog SGD on f = L/2 (w - w*)^2, LinearDevice(tau, asymmetry).

    Solves h(w) = g F(w) + E|g + eps| G(w) = 0, g = L (w - w*), eps ~ N(0, noise_std^2),
    F = 1 - c w/tau, G = w/tau - c, by a vectorised root finder between w* and the
    symmetric point c tau (h has opposite signs there: h(w*) = E|eps| G(w*), h(w⋄) =
    L (w⋄ - w*)(1 - c^2)); w* is clipped into [-tau, tau] first, where h(±tau) has the right sign.
    The fixed point does not depend on lr (the Fig. 1 mechanism of paper 1): the stationary mean
    of the simulation differs from it by O(lr), see :func:`asgd_stationary_moments`.

    noise_std = 0 gives the noise -> 0 limit, w* clipped into [-tau, tau] (Analog GD has no
    floor, P1 Theorem 9; a w* outside the range pulls the weight onto the bound), and so does
    noise_std < 1e-12 L tau, where the fixed point lies within ~1e-12 tau/(1 - |c|) of it.

    Args:
        L: curvature, > 0.
        w_star: minimiser, real, |w*| <= 1e20 tau.
        tau: device saturation level, > 0.
        noise_std: std of the Gaussian gradient noise, in [0, 1e20 L tau].
        asymmetry: c_Lin in (-1, 1).

    Returns:
        float or array of the broadcast shape.

    Raises:
        ValueError: naming the input outside these ranges.
    """
    L, w_star, tau, s, c = _quadratic_inputs(L, w_star, tau, noise_std, asymmetry)
    (L, w_star, tau, s), ea, _ = _quadratic_units(L, w_star, tau, s)
    return _out(np.ldexp(_asgd_fixed_point(L, w_star, tau, s, c)[0], ea))


def _asgd_fixed_point(L, w_star, tau, s, c):
    """The fixed point (inputs in units of tau and L tau) and where the noise is not negligible."""
    h = _asgd_num()["h"]
    noisy = s >= NOISE_MIN * L * tau
    s_safe = np.where(noisy, s, 1.0)
    lo, hi = np.clip(w_star, -tau, tau), c * tau

    def f(w):
        return h(w, L, w_star, s_safe, tau, c)

    # h(lo), h(c tau) have opposite signs; where rounding says otherwise h(c tau) is rounding
    # error (noise much larger than L |c tau - w*|) and the root is c tau
    stuck = np.sign(f(lo)) * np.sign(f(hi)) > 0
    root = find_root(f, np.where(stuck, hi, lo), hi)
    return np.where(noisy, root, lo), noisy


def _noiseless_slope(L, w_star, tau, c, w0):
    """lim h'(w0) as noise_std -> 0 (:func:`_noiseless_steps`), w0 = w* clipped into [-tau, tau]."""
    inside = np.abs(w_star) < tau
    F, G = 1 - c * w0 / tau, w0 / tau - c
    k = -_fnm_fixed_point(np.where(inside, G / F, 0.0))  # k F + E|k + N(0,1)| G = 0
    e = np.where(inside, _erf_num()(k / np.sqrt(2)), np.sign(w0 - w_star))
    return L * (F + e * G + (np.abs(w0 - w_star) - c * (w0 - w_star)) / tau)


@np.errstate(all="ignore")
def asgd_stationary_moments(
    L: ArrayLike,
    w_star: ArrayLike,
    tau: ArrayLike,
    noise_std: ArrayLike,
    lr: float,
    asymmetry: ArrayLike = 0.0,
) -> StationaryMoments:
    """Stationary mean and variance of Analog SGD's weight on the 1-D quadratic, to O(lr).

    Linearising w <- w - lr H(w, eps) around the fixed point w0 (h(w0) = 0) gives the variance
    lr V(w0)/(2 h'(w0) - lr h'(w0)^2); stationarity E h(w) = 0 to second order then shifts the mean
    by -h''(w0) var/(2 h'(w0)) = O(lr). (Used by the tests to separate the lr-independent fixed
    point from the O(lr) bias of a finite-lr simulation.)

    For noise_std < 1e-12 L tau (and 0) the moments are their noise -> 0 limit: fixed point and
    mean w* clipped into [-tau, tau], var 0, and h'(w0) its limit (:func:`asgd_drift`'s last
    steps: L (F + G erf(k/sqrt 2)) at w*, k F + E|k + N(0,1)| G = 0).

    Args:
        L, w_star, tau, noise_std, asymmetry: as :func:`asgd_fixed_point`.
        lr: learning rate, > 0, and lr h'(w0) < 2 (needed for a stationary distribution; the
            ValueError otherwise gives the bound 2/h'(w0)).

    Returns:
        :class:`StationaryMoments` (grad_norm2 with D = 1).
    """
    st = _asgd_stationary(L, w_star, tau, noise_std, lr, asymmetry)
    return _moments_out(*st.moments, st.ea, st.eb)


def _asgd_stationary(L, w_star, tau, noise_std, lr, asymmetry) -> types.SimpleNamespace:
    """:func:`asgd_stationary_moments` before its output, in units of tau and L tau: the checked
    inputs (L, w_star, tau, s, c, lr, each with the leading axis of ``_inputs``), the exponents
    ea, eb of the units, ``noisy`` (the noise is not negligible), h'(w0) ``dh`` and ``moments``
    (w0, mean, var, grad_norm2)."""
    L, w_star, tau, s, c = _quadratic_inputs(L, w_star, tau, noise_std, asymmetry)
    lr = _inputs(lr=_positive("lr", lr), L=L[0])[0]  # the fixed point keeps the shape without lr
    (L, w_star, tau, s), ea, eb = _quadratic_units(L, w_star, tau, s)
    w0, noisy = _asgd_fixed_point(L, w_star, tau, s, c)
    num = _asgd_num()
    args = (L, w_star, np.where(noisy, s, 1.0), tau, c)
    dh = num["dh"](w0, *args)
    if not np.all(noisy):
        dh = np.where(noisy, dh, _noiseless_slope(L, w_star, tau, c, w0))
    _check_lr(lr, dh, ea, eb, "L, w_star, tau, noise_std and asymmetry")
    lr = np.ldexp(lr, eb - ea)
    moments = _linearised_moments(num, args, w0, lr, L, w_star, 1, noisy, dh)
    return types.SimpleNamespace(
        L=L,
        w_star=w_star,
        tau=tau,
        s=s,
        c=c,
        lr=lr,
        ea=ea,
        eb=eb,
        noisy=noisy,
        dh=dh,
        moments=moments,
    )
