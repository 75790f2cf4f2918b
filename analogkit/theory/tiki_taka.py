"""Tiki-Taka: P1 Theorem 4's condition, and paper 1's Tiki-Taka as residual learning with gamma = 0.

* :func:`tiki_taka_pmax` -- P1 Theorem 4's P_max and its condition 33 P_max^2/tau^2 < 1
  (sigma/sqrt(D) > ~46 L tau); the statement's beta = 8 alpha L is not the proof's
  beta = 8 alpha L tau^2 D/sigma^2.
* :func:`tiki_taka_fixed_point` -- :func:`residual_fixed_point` with gamma = 0: the bias is
  O(sqrt(lr)) in the *fast* lr and independent of the transfer lr.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from analogkit._validate import param
from analogkit.theory._core import _dim, _exponent, _finite, _first, _inputs, _out, _positive
from analogkit.theory.residual import ResidualFixedPoint, residual_fixed_point


@dataclass(frozen=True)
class TikiTakaCondition:
    """Paper 1 Theorem 4's saturation quantities.

    Attributes:
        pmax: P_max = sqrt(41 L^2 tau^4 D/(c^2 sigma^2)).
        ratio: 33 P_max^2/tau^2 (the theorem needs ratio < 1).
        satisfied: ratio < 1.
        sigma_min: the smallest sigma with ratio < 1, sqrt(1353 D) L tau/c.
    """

    pmax: object
    ratio: object
    satisfied: object
    sigma_min: object


_GAUSSIAN_C = float(np.sqrt(2 / np.pi))
_MAX = float(np.finfo(float).max)


@np.errstate(all="ignore")
def tiki_taka_pmax(
    L: ArrayLike, tau: ArrayLike, dim: int, sigma: ArrayLike, c: ArrayLike = _GAUSSIAN_C
) -> TikiTakaCondition:
    """P_max of paper 1 Theorem 4 and its condition 33 P_max^2/tau^2 < 1.

    P_max^2 = 41 L^2 tau^4 D/(c^2 sigma^2), c the non-zero-noise constant of Assumption 5
    (E|g + eps_i| >= c sigma; sqrt(2/pi) for Gaussian noise, as App. D.2 argues). The condition
    is sigma^2 > 1353 L^2 tau^2 D/c^2, i.e. a per-coordinate noise std sigma/sqrt(D) above
    ~46 L tau for Gaussian noise: the theorem is qualitative for realistic noise.

    Note the step-size inconsistency: the theorem states
    beta = 8 alpha L (beta = fast lr, alpha = transfer lr in paper 1's names), while the proof
    (App. H eq. (137)-(138)) needs 8 alpha L tau^2 D/sigma^2 <= beta and takes
    beta = 8 alpha L tau^2 D/sigma^2. The two agree only when sigma^2 = tau^2 D, and under the
    theorem's own condition (sigma^2 > 1353 L^2 tau^2 D/c^2) the proof's beta is smaller than
    the statement's by a factor sigma^2/(tau^2 D) > 1353 L^2/c^2.

    Args:
        L: smoothness, > 0.
        tau: saturation level, > 0.
        dim: D in [1, 2**53].
        sigma: total noise level, > 0.
        c: noise constant in (0, 1] (default sqrt(2/pi)).

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
    c = param("c", c, 0.0, 1.0, high_open=False)
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
    pmax, sigma_min = np.ldexp(np.sqrt(pmax2), ea), np.ldexp(sigma_min, eb)
    _finite("sigma_min = sqrt(1353 D) L tau/c", sigma_min, "L tau/c must stay below it")
    _finite("P_max = tau sqrt(ratio/33)", pmax, "tau and L tau/(c sigma) must stay below it")
    sat = (ratio < 1)[0]
    return TikiTakaCondition(
        _out(pmax), _out(ratio), bool(sat) if sat.ndim == 0 else sat, _out(sigma_min)
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
