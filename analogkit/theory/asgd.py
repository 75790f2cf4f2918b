"""Analog SGD on a 1-D quadratic: its mean drift, mean-field fixed point and stationary moments.

:func:`asgd_fixed_point` solves g F(w) + E|g + eps| G(w) = 0 (P1 eq. (3) in expectation, P2
eq. (42)'s T(W) = 0); the fixed point does not depend on lr (simulation: lr 0.003-0.03 all
within 2 SE of it after the O(lr) correction of :func:`asgd_stationary_moments`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike

from analogkit._validate import find_root
from analogkit.theory._core import (
    Derivation,
    Real,
    Step,
    _lambdify,
    _out,
    _positive,
    _quadratic_inputs,
    sym,
)
from analogkit.theory.folded_normal import _x_abs_x_expr, folded_normal_mean_expr
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


def _linearised_moments(num, args, w0, lr, L, w_star, dim=1, noisy=True) -> StationaryMoments:
    """:class:`StationaryMoments` of w <- w - lr H(w, noise) around its fixed point w0.

    ``num`` holds the lambdified drift derivatives "dh", "d2h" and the increment variance "V",
    each a function of (w, *args); ``noisy`` is False where the noise vanishes (var = 0).
    """
    dh = num["dh"](w0, *args)
    if np.any(lr * dh >= 2):  # the linearised recursion must contract: 0 < lr h' < 2
        raise ValueError(
            f"lr must lie in (0, 2/h'(w0)) for a stationary distribution, got lr = {lr!r} with "
            f"h'(w0) = {np.max(dh):.4g}"
        )
    var = np.where(noisy, lr * num["V"](w0, *args) / (2 * dh - lr * dh**2), 0.0)
    mean = w0 - num["d2h"](w0, *args) * var / (2 * dh)
    gn2 = dim * L**2 * ((mean - w_star) ** 2 + var)
    return StationaryMoments(_out(w0), _out(mean), _out(var), _out(gn2))


def asgd_drift(family: str = "linear") -> Derivation:
    """The mean update of Analog SGD on f = L/2 (w - w*)^2 with Gaussian noise, in sympy.

    With dw = -lr (g + eps), g = L (w - w*), eps ~ N(0, s^2) and the analog update
    w + dw F - |dw| G::

        E[w_next] - w = -lr h(w),   h(w) = g F(w) + E|g + eps| G(w)
        V(w) = Var[(g + eps) F + |g + eps| G]
             = F^2 s^2 + G^2 (g^2 + s^2 - E|g+eps|^2) + 2 F G (E[X|X|] - g E|g+eps|)

    Only ``family="linear"`` (F = 1 - c w/tau, G = w/tau - c; c = 0 is the ALD, for which
    h = L(w - w*) + (w/tau) E|g + eps| is P1 eq. (3) in expectation) is provided.

    Returns:
        A Derivation with results "h", "V", "dh", "d2h" (derivatives in w) and "g".
    """
    if family != "linear":
        raise ValueError(f"family must be 'linear' (the only one derived), got {family!r}")
    return _asgd_drift().verify()


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
def _asgd_num():
    d = _asgd_drift()
    args = (sym.w, sym.L, sym.w_star, sym.s, sym.tau, sym.asymmetry)
    return {k: _lambdify(args, d[k]) for k in ("h", "V", "dh", "d2h")}


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
    noise_std = 0 gives w* (Analog GD has no floor, P1 Theorem 9).

    Args:
        L: curvature, > 0.
        w_star: minimiser, real.
        tau: device saturation level, > 0.
        noise_std: std of the Gaussian gradient noise, >= 0.
        asymmetry: c_Lin in (-1, 1).

    Returns:
        float or array of the broadcast shape.
    """
    L, w_star, tau, s, c = _quadratic_inputs(L, w_star, tau, noise_std, asymmetry)
    return _out(_asgd_fixed_point(L, w_star, tau, s, c))


def _asgd_fixed_point(L, w_star, tau, s, c):
    h = _asgd_num()["h"]
    noisy = s > 0
    s_safe = np.where(noisy, s, 1.0)
    lo = np.clip(w_star, -tau, tau)
    root = find_root(lambda w: h(w, L, w_star, s_safe, tau, c), lo, c * tau)
    return np.where(noisy, root, w_star)


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

    Args:
        L, w_star, tau, noise_std, asymmetry: as :func:`asgd_fixed_point`.
        lr: learning rate, > 0 (lr h'(w0) < 2 is needed for a stationary distribution).

    Returns:
        :class:`StationaryMoments` (grad_norm2 with D = 1).
    """
    L, w_star, tau, s, c = _quadratic_inputs(L, w_star, tau, noise_std, asymmetry)
    lr = _positive("lr", lr)
    w0 = _asgd_fixed_point(L, w_star, tau, s, c)
    args = (L, w_star, np.where(s > 0, s, 1.0), tau, c)
    return _linearised_moments(_asgd_num(), args, w0, lr, L, w_star, noisy=s > 0)
