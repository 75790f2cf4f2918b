"""The folded-normal mean E|m + eps|, eps ~ N(0, s^2) (P1 App. D.2): expression, derivation, value.

The first absolute moment of the noisy gradient drives every asymmetry effect; this module has
the one expression for it (and E[X|X|], which the variance of an analog increment needs).
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike

from analogkit._validate import find_root
from analogkit.theory._core import (
    Derivation,
    Real,
    Step,
    _exponent,
    _finite,
    _inputs,
    _lambdify,
    _nonneg,
    _out,
    _real,
    sym,
)


def folded_normal_mean_expr(m=None, s=None) -> sp.Expr:
    """E|m + eps|, eps ~ N(0, s^2), in sympy: s sqrt(2/pi) exp(-m^2/(2 s^2)) + m erf(m/(sqrt(2) s)).

    (m erf(m/(sqrt 2 s)) = m (1 - 2 Phi(-m/s)).) Defaults: ``sym.m``, ``sym.s``.
    """
    m = sym.m if m is None else m
    s = sym.s if s is None else s
    return s * sp.sqrt(2 / sp.pi) * sp.exp(-(m**2) / (2 * s**2)) + m * sp.erf(m / (sp.sqrt(2) * s))


def _x_abs_x_expr(m, s):
    """E[X |X|] for X ~ N(m, s^2): (m^2 + s^2) erf(m/(sqrt 2 s)) + m s sqrt(2/pi) exp(-m^2/2s^2)."""
    return (m**2 + s**2) * sp.erf(m / (sp.sqrt(2) * s)) + m * s * sp.sqrt(2 / sp.pi) * sp.exp(
        -(m**2) / (2 * s**2)
    )


@functools.cache
def folded_normal_derivation() -> Derivation:
    """E|m + eps| and E[X|X|] (X = m + eps) by direct integration against the normal density.

    Steps: the integral of |m + x| phi(x) over the real line, split at x = -m, equals
    :func:`folded_normal_mean_expr`; the same for (m + x)|m + x|; at s -> 0 the mean is |m|.
    """
    m, s = sym.m, sym.s
    x = sp.Symbol("x", real=True)
    phi = sp.exp(-(x**2) / (2 * s**2)) / (sp.sqrt(2 * sp.pi) * s)
    mean_abs = sp.integrate((m + x) * phi, (x, -m, sp.oo)) - sp.integrate(
        (m + x) * phi, (x, -sp.oo, -m)
    )
    x_abs_x = sp.integrate((m + x) ** 2 * phi, (x, -m, sp.oo)) - sp.integrate(
        (m + x) ** 2 * phi, (x, -sp.oo, -m)
    )
    fnm = folded_normal_mean_expr()
    mp = sp.Symbol("m_pos", positive=True)
    steps = (
        Step("E|m+eps| = int |m+x| phi(x) dx", mean_abs, fnm),
        Step("E[X|X|] = int (m+x)|m+x| phi(x) dx", x_abs_x, _x_abs_x_expr(m, s)),
        Step("s -> 0 (m > 0): E|m+eps| -> |m|", sp.limit(fnm.subs(m, mp), s, 0, "+"), mp),
        Step("m = 0: E|eps| = s sqrt(2/pi)", fnm.subs(m, 0), s * sp.sqrt(2 / sp.pi)),
    )
    return Derivation(
        "folded_normal", steps, {"mean": fnm, "x_abs_x": _x_abs_x_expr(m, s)}
    ).verify()


@functools.cache
def _fnm_num():
    return _lambdify((sym.m, sym.s), folded_normal_mean_expr())


def _fnm(m, s):
    """Unchecked E|m + eps| with s > 0 (s = 0 handled by the caller)."""
    return _fnm_num()(m, s)


def _fnm0(m, s):
    """Unchecked E|m + eps| with s >= 0: |m| where s = 0."""
    pos = s > 0
    return np.where(pos, _fnm(m, np.where(pos, s, 1.0)), np.abs(m))


@functools.cache
def _erf_num():
    return _lambdify((sym.m,), sp.erf(sym.m))


@functools.cache
def _erfc_num():
    return _lambdify((sym.m,), sp.erfc(sym.m))


def _normal_cdf(z):
    """P(N(0, 1) <= z), evaluated as scipy.special.ndtr does (erf near 0, erfc in the tails, so
    that neither tail loses its digits); 0 and 1 at -inf and inf."""
    x = z * np.sqrt(0.5)
    tail = 0.5 * _erfc_num()(np.abs(x))
    return np.where(
        np.abs(x) < np.sqrt(0.5), 0.5 + 0.5 * _erf_num()(x), np.where(x > 0, 1 - tail, tail)
    )


def _fnm_fixed_point(R, s=1.0):
    """g with g = R E|g + eps|, eps ~ N(0, s^2), |R| < 1, s > 0, vectorised.

    Unique: g - R E|g + eps| increases in g (its slope is 1 - R erf(g/(sqrt 2 s)) > 0), and the
    root lies in |g| <= |R| s sqrt(2/pi)/(1 - |R|). For |R| < 1e-8 that bracket's margin is
    below float resolution, and one iteration from R s sqrt(2/pi) is exact to O(R^4) instead.
    """
    small = np.abs(R) < 1e-8
    R1 = np.where(small, 0.5, R)
    bound = np.abs(R1) * s * np.sqrt(2 / np.pi) / (1 - np.abs(R1)) + 1e-300
    g = find_root(lambda x: x - R1 * _fnm(x, s), -bound, bound)
    return np.where(small, R * _fnm(R * s * np.sqrt(2 / np.pi), s), g)


@np.errstate(all="ignore")
def folded_normal_mean(m: ArrayLike, s: ArrayLike) -> Real:
    """E|m + eps| for eps ~ N(0, s^2), vectorised (paper 1 App. D.2).

    s sqrt(2/pi) exp(-m^2/(2 s^2)) + m (1 - 2 Phi(-m/s)); |m| where s = 0. Finite for every
    finite m and s >= 0 whose result is below the float range (ValueError otherwise).

    Args:
        m: mean(s), real.
        s: standard deviation(s), >= 0.

    Returns:
        float or array of the broadcast shape.
    """
    m, s = _inputs(m=_real("m", m), s=_nonneg("s", s))
    e = _exponent(np.maximum(np.abs(m), s))  # evaluated in units of max(|m|, s)
    out = np.ldexp(_fnm0(np.ldexp(m, -e), np.ldexp(s, -e)), e)
    _finite(
        "E|m + eps|", out, "it is at least max(|m|, s sqrt(2/pi)), so m and s must stay below it"
    )
    return _out(out)
