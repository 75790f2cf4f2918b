"""Tiki-Taka: P1 Theorem 4's condition, and paper 1's Tiki-Taka as residual learning with gamma = 0.

Equation numbers are those of P1 arXiv v1 (P1 §4 is Tiki-Taka; Theorem 4, App. H).

* :func:`tiki_taka_pmax`, :func:`tiki_taka_derivation` -- P1 Theorem 4's P_max, its condition
  33 P_max^2/tau^2 < 1 and the proof's final condition 1 - 128/(kappa^2 D) - 32 P_max^2/tau^2 > 0,
  with the noise constant kappa (paper 1's c) that Assumption 5 admits: per-coordinate variance
  sigma^2/D forces kappa <= 1/sqrt(D) (Gaussian: kappa = sqrt(2/(pi D))), not App. D.2's scalar
  sqrt(2/pi). Then the condition needs sigma/sqrt(D) > ~46 sqrt(D) L tau, and the final condition
  cannot hold (its left side is at most -127). The statement's beta = 8 alpha L is not the
  proof's beta = 8 alpha L tau^2 D/sigma^2 either.
* :func:`tiki_taka_fixed_point` -- :func:`residual_fixed_point` with gamma = 0: the bias is
  O(sqrt(lr)) in the *fast* lr and independent of the transfer lr. This quantifies P1 §4's
  remark after eq. (12), that a sufficiently small fast rate controls the drift.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike

from analogkit._validate import param
from analogkit.theory._core import (
    Derivation,
    Step,
    _dim,
    _exponent,
    _finite,
    _first,
    _inputs,
    _out,
    _positive,
    sym,
)
from analogkit.theory.folded_normal import folded_normal_mean_expr
from analogkit.theory.residual import ResidualFixedPoint, residual_fixed_point


@dataclass(frozen=True)
class TikiTakaCondition:
    """Paper 1 Theorem 4's saturation quantities.

    Attributes:
        pmax: P_max = sqrt(41 L^2 tau^4 D/(kappa^2 sigma^2)).
        ratio: 33 P_max^2/tau^2 (the theorem needs ratio < 1).
        satisfied: ratio < 1.
        sigma_min: the smallest sigma with ratio < 1, sqrt(1353 D) L tau/kappa.
        c: the noise constant kappa used (paper 1's c).
        admissible: kappa <= 1/sqrt(D), which Assumption 5 requires (at g = 0).
        final: the proof's final coefficient 1 - 128/(kappa^2 D) - 32 P_max^2/tau^2 (App. H).
        final_satisfied: final > 0.
    """

    pmax: object
    ratio: object
    satisfied: object
    sigma_min: object
    c: object = None
    admissible: object = None
    final: object = None
    final_satisfied: object = None


#: App. D.2's constant sqrt(2/pi): scalar N(0, sigma^2) noise, admissible under Assumption 5 only
#: for D = 1
PAPER1_GAUSSIAN_C = float(np.sqrt(2 / np.pi))
_MAX = float(np.finfo(float).max)


@functools.cache
def tiki_taka_derivation() -> Derivation:
    """P1 Theorem 4's conditions with Assumption 5's noise constant kappa, in sympy.

    Assumption 5 (P1 arXiv v1): E[eps_i^2] <= sigma^2/D and E|g + eps_i| >= kappa sigma for every
    g. At g = 0, Cauchy-Schwarz gives kappa sigma <= E|eps_i| <= sigma/sqrt(D), so kappa^2 D <= 1.

    Steps: Gaussian eps_i ~ N(0, sigma^2/D): E|g + eps_i| has derivative erf(g/(sqrt 2 s)) in g,
    zero at g = 0 (its minimum), where it is sigma sqrt(2/(pi D)): kappa = sqrt(2/(pi D)),
    kappa^2 D = 2/pi. Substituted into P_max^2 = 41 L^2 tau^4 D/(kappa^2 sigma^2): the condition
    33 P_max^2/tau^2 < 1 reads sigma > sigma_min = sqrt(1353 D) L tau/kappa, i.e.
    sigma/sqrt(D) > sqrt(1353 pi/2) sqrt(D) L tau (~46.1 sqrt(D) L tau), and at best
    (kappa = 1/sqrt D) sqrt(1353) sqrt(D) L tau (~36.8 sqrt(D) L tau). The proof's final
    coefficient 1 - 128/(kappa^2 D) - 32 P_max^2/tau^2 is, with kappa^2 D = 1/(1 + t), t >= 0,
    -127 - 128 t - 32 P_max^2/tau^2 < 0; for Gaussian noise 1 - 64 pi - 32 P_max^2/tau^2.

    Returns:
        Derivation with results "kappa" (Gaussian, in sigma-free form sqrt(2/(pi D))),
        "pmax2", "ratio", "sigma_min_per_coordinate" (sigma_min/sqrt D), "final".
    """
    sigma, D, L, tau, g = sym.sigma, sym.D, sym.L, sym.tau, sym.g
    kappa = sp.Symbol("kappa", positive=True)
    t = sp.Symbol("t", nonnegative=True)
    P = sp.Symbol("P_max", positive=True)
    s_i = sigma / sp.sqrt(D)
    mean_abs = folded_normal_mean_expr(g, s_i)
    k_gauss = sp.sqrt(2 / (sp.pi * D))
    pmax2 = 41 * L**2 * tau**4 * D / (kappa**2 * sigma**2)
    ratio = 33 * pmax2 / tau**2
    sigma_min = sp.sqrt(1353 * D) * L * tau / kappa
    final = 1 - 128 / (kappa**2 * D) - 32 * P**2 / tau**2
    steps = (
        Step(
            "d/dg E|g + eps_i| = erf(g/(sqrt 2 s_i))",
            sp.diff(mean_abs, g),
            sp.erf(g / (sp.sqrt(2) * s_i)),
        ),
        Step(
            "min over g at g = 0: E|eps_i| = sigma sqrt(2/(pi D))",
            mean_abs.subs(g, 0),
            sigma * k_gauss,
        ),
        Step(
            "Gaussian kappa^2 D = 2/pi (< 1, as Assumption 5 requires)", k_gauss**2 * D, 2 / sp.pi
        ),
        Step("33 P_max^2/tau^2 = (sigma_min/sigma)^2", ratio, (sigma_min / sigma) ** 2),
        Step(
            "Gaussian: sigma_min/sqrt D = sqrt(1353 pi/2) sqrt(D) L tau",
            sigma_min.subs(kappa, k_gauss) / sp.sqrt(D),
            sp.sqrt(1353 * sp.pi / 2) * sp.sqrt(D) * L * tau,
        ),
        Step(
            "best case kappa = 1/sqrt D: sigma_min/sqrt D = sqrt(1353) sqrt(D) L tau",
            sigma_min.subs(kappa, 1 / sp.sqrt(D)) / sp.sqrt(D),
            sp.sqrt(1353 * D) * L * tau,
        ),
        Step(
            "final coefficient with kappa^2 D = 1/(1 + t): -127 - 128 t - 32 P^2/tau^2",
            final.subs(kappa, 1 / sp.sqrt(D * (1 + t))),
            -127 - 128 * t - 32 * P**2 / tau**2,
        ),
        Step(
            "Gaussian final coefficient: 1 - 64 pi - 32 P^2/tau^2",
            final.subs(kappa, k_gauss),
            1 - 64 * sp.pi - 32 * P**2 / tau**2,
        ),
    )
    results = {
        "kappa": k_gauss,
        "pmax2": pmax2,
        "ratio": ratio,
        "sigma_min_per_coordinate": sigma_min / sp.sqrt(D),
        "final": final,
    }
    return Derivation("tiki_taka_condition", steps, results).verify()


@np.errstate(all="ignore")
def tiki_taka_pmax(
    L: ArrayLike, tau: ArrayLike, dim: int, sigma: ArrayLike, c: ArrayLike | None = None
) -> TikiTakaCondition:
    """P_max of paper 1 Theorem 4, its condition 33 P_max^2/tau^2 < 1 and the proof's final one.

    P_max^2 = 41 L^2 tau^4 D/(kappa^2 sigma^2), kappa (paper 1's c) the non-zero-noise constant
    of Assumption 5 (E|g + eps_i| >= kappa sigma for every g, with E eps_i^2 <= sigma^2/D). The
    default is the Gaussian value Assumption 5 admits, kappa = sqrt(2/(pi D)); paper 1 App. D.2
    uses sqrt(2/pi) (:data:`PAPER1_GAUSSIAN_C`, scalar noise N(0, sigma^2)), which exceeds the
    limit 1/sqrt(D) for D > 1. The condition is sigma^2 > 1353 L^2 tau^2 D/kappa^2; with the
    Gaussian kappa, a per-coordinate noise std sigma/sqrt(D) above ~46.1 sqrt(D) L tau. The
    proof's final coefficient 1 - 128/(kappa^2 D) - 32 P_max^2/tau^2 (App. H) is at most -127
    for every admissible kappa: as printed, the proof does not close
    (:func:`tiki_taka_derivation`).

    Note the step-size inconsistency: the theorem states
    beta = 8 alpha L (beta = fast lr, alpha = transfer lr in paper 1's names), while the proof
    (App. H eq. (137)-(138)) needs 8 alpha L tau^2 D/sigma^2 <= beta and takes
    beta = 8 alpha L tau^2 D/sigma^2. The two agree only when sigma^2 = tau^2 D, and under the
    theorem's own condition (sigma^2 > 1353 L^2 tau^2 D/kappa^2) the proof's beta is smaller
    than the statement's by a factor sigma^2/(tau^2 D) > 1353 L^2/kappa^2.

    Args:
        L: smoothness, > 0.
        tau: saturation level, > 0.
        dim: D in [1, 2**53].
        sigma: total noise level, > 0.
        c: noise constant kappa in (0, 1]; None (default): sqrt(2/(pi D)).

    Returns:
        :class:`TikiTakaCondition` (fields broadcast over array inputs).

    Raises:
        ValueError: also where a field exceeds the float range (c sigma far below L tau), naming
            the smallest c sigma for which it is finite.
    """
    L = _positive("L", L)
    tau = _positive("tau", tau)
    D = _dim(dim)
    sigma = _positive("sigma", sigma)
    c = np.sqrt(2 / (np.pi * D)) if c is None else param("c", c, 0.0, 1.0, high_open=False)
    inputs = _inputs(L=L, tau=tau, sigma=sigma, c=c)
    L, tau, sigma, c = inputs
    ea, eb = _exponent(tau), _exponent(L, tau)  # in units of tau and L tau
    L, tau, sigma = np.ldexp(L, ea - eb), np.ldexp(tau, -ea), np.ldexp(sigma, -eb)
    pmax2 = 41 * L**2 * tau**4 * D / (c**2 * sigma**2)
    ratio = 33 * pmax2 / tau**2
    sigma_min = np.sqrt(1353 * D) * L * tau / c
    if not np.all(np.isfinite(ratio)):
        bound, L, t, s, c = _first(
            ~np.isfinite(ratio), np.ldexp(np.sqrt(1353 * D / _MAX) * L * tau, eb), *inputs
        )
        raise ValueError(
            "33 P_max^2/tau^2 = 1353 D (L tau/(c sigma))^2 exceeds the float range (1.8e308): "
            f"c sigma must be at least sqrt(1353 D) L tau/sqrt(1.8e308) = {bound:.4g} for "
            f"L = {L:g}, tau = {t:g}, dim = {D}, got c = {c:g}, sigma = {s:g}"
        )
    final = 1 - 128 / (c**2 * D) - 32 * pmax2 / tau**2
    _finite("1 - 128/(c^2 D) - 32 P_max^2/tau^2", final, "c^2 D must stay above 128/1.8e308")
    pmax, sigma_min = np.ldexp(np.sqrt(pmax2), ea), np.ldexp(sigma_min, eb)
    _finite("sigma_min = sqrt(1353 D) L tau/c", sigma_min, "L tau/c must stay below it")
    _finite("P_max = tau sqrt(ratio/33)", pmax, "tau and L tau/(c sigma) must stay below it")

    def flag(x):
        return bool(x[0]) if x[0].ndim == 0 else x[0]

    return TikiTakaCondition(
        _out(pmax),
        _out(ratio),
        flag(ratio < 1),
        _out(sigma_min),
        _out(c),
        flag(c**2 * D <= 1 * (1 + 1e-15)),
        _out(final),
        flag(final > 0),
    )


def tiki_taka_fixed_point(
    L: ArrayLike,
    w_star: ArrayLike,
    tau: ArrayLike,
    noise_std: ArrayLike,
    lr: ArrayLike,
    asymmetry: ArrayLike = 0.0,
    *,
    zero_shift: bool = False,
) -> ResidualFixedPoint:
    """Paper 1's Tiki-Taka (gamma = 0) fixed point and its finite-lr bias.

    :func:`residual_fixed_point` with gamma = 0. On the ALD (c = 0) the mean-field fixed point of
    the fast array for a fixed W is P = -tau g/E|g + eps|, and the transfer is stationary only at
    E[P] = E|P| W/tau; if P were deterministic that forces P = 0 and g = 0 (W is unbiased, the
    asymmetry of W is harmless because the transferred increments vanish). P's fluctuations,
    std ~ sqrt(lr s tau/(2 sqrt(2/pi))), leave g = -E|g + eps| E|P| W/tau^2 = O(sqrt(lr)).
    Arguments as :func:`residual_fixed_point`.
    """
    return residual_fixed_point(
        L, w_star, tau, asymmetry, noise_std, 0.0, lr, zero_shift=zero_shift
    )
