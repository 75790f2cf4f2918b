"""Tiki-Taka and residual learning: P1 Theorem 4's condition, fixed points of a shifted fast array.

* :func:`tiki_taka_pmax` -- P1 Theorem 4's P_max and its condition 33 P_max^2/tau^2 < 1
  (sigma/sqrt(D) > ~46 L tau); the statement's beta = 8 alpha L is not the proof's
  beta = 8 alpha L tau^2 D/sigma^2.
* :func:`residual_fixed_point_gradient`, :func:`residual_fixed_point`,
  :func:`tiki_taka_fixed_point` -- Tiki-Taka / residual learning (P2 §4, eqs. (9)-(11)) with a
  fast array whose symmetric point is c tau != 0 (no zero-shift): the gradient at the mixed
  weight W + gamma P solves g = c E|g + eps| (0.0240 and 0.0740 for c = 0.1, 0.3 at s = 0.3);
  P ~ 0 holds only in mean-field: E|P| = O(sqrt(lr)) != 0 makes the transfer stationary at
  E[P] = E|P| G_W/F_W, which shifts grad f(W) by -gamma L E[P]. The joint mean-field model
  matches simulation within 1.5 SE. With gamma = 0 (paper 1's Tiki-Taka) the bias is
  O(sqrt(lr)) in the *fast* lr and independent of the transfer lr.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike

from analogkit._validate import find_root, integer, param
from analogkit.theory._core import (
    NOISE_MIN,
    Derivation,
    Real,
    Step,
    _asym,
    _dim,
    _exponent,
    _finite,
    _first,
    _inputs,
    _inside,
    _lambdify,
    _nonneg,
    _out,
    _positive,
    _quadratic_units,
    sym,
)
from analogkit.theory.folded_normal import (
    _fnm,
    _fnm_fixed_point,
    _x_abs_x_expr,
    folded_normal_mean_expr,
)
from analogkit.theory.response import _response


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
    sat = ratio < 1
    return TikiTakaCondition(
        _out(pmax), _out(ratio), bool(sat) if sat.ndim == 0 else sat, _out(sigma_min)
    )


# --------------------------------------------------------------------------------------------
# residual learning / Tiki-Taka with a shifted symmetric point
# --------------------------------------------------------------------------------------------


def _flag(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__}")


@functools.cache
def _residual() -> Derivation:
    """The fast array's stationarity at P = 0 and the joint mean-field fixed point, in sympy.

    Fast array P on LinearDevice(tau, c), read against a reference P⋄ (``shift``: 0 without
    zero-shift, c tau with it), so F_P(P) = F(P + P⋄), G_P(P) = G(P + P⋄). With dP = -lr (g + eps),
    g = grad f(W + gamma P) = g_W + gamma L P::

        E[P_next] - P = -lr d(P),  d(P) = g F_P(P) + E|g + eps| G_P(P)

    At P = 0 without zero-shift F_P(0) = 1, G_P(0) = -c, so d(0) = 0 <=> g = c E|g + eps|;
    g = c s sqrt(2/pi) + O(c^3). With zero-shift G_P(0) = 0 and
    g = 0 (paper 2 Corollary 1).

    Results: "d" (drift in g, P, shift), "kappa" = d'(P) with g'(P) = gamma L (the rate at which P
    relaxes), "V" = Var[X F_P + |X| G_P] (X = g + eps), "g_c" (the leading-order condition).
    """
    g, P, c, tau, s, L, gm, sh = (
        sym.g,
        sym.P,
        sym.asymmetry,
        sym.tau,
        sym.s,
        sym.L,
        sym.gamma_mix,
        sym.shift,
    )
    r = _response("linear")
    FP = r.F.subs(sym.w, P + sh)
    GP = r.G.subs(sym.w, P + sh)
    fnm = folded_normal_mean_expr(g, s)
    d = g * FP + fnm * GP
    # kappa, d2: total derivatives in P with dg/dP = gamma L
    kappa = sp.diff(d, P) + gm * L * sp.diff(d, g)
    d2 = sp.diff(d, P, 2) + 2 * gm * L * sp.diff(d, P, g) + (gm * L) ** 2 * sp.diff(d, g, 2)
    xax = _x_abs_x_expr(g, s)
    V = FP**2 * s**2 + GP**2 * (g**2 + s**2 - fnm**2) + 2 * FP * GP * (xax - g * fnm)
    cond = g - c * fnm
    series = sp.series(
        c * folded_normal_mean_expr(c * s * sp.sqrt(2 / sp.pi), s), c, 0, 3
    ).removeO()
    steps = (
        Step("F_P(0) = 1 (no zero-shift)", FP.subs({P: 0, sh: 0}), 1),
        Step("G_P(0) = -c (no zero-shift)", GP.subs({P: 0, sh: 0}), -c),
        Step("d(0) = g - c E|g + eps| (no zero-shift)", d.subs({P: 0, sh: 0}), cond),
        Step("zero-shift: G_P(0) = 0", GP.subs({P: 0, sh: c * tau}), 0),
        Step(
            "zero-shift: d(0) = g (1 - c^2) => g = 0", d.subs({P: 0, sh: c * tau}), g * (1 - c**2)
        ),
        Step("g = c s sqrt(2/pi) + O(c^3)", series, c * s * sp.sqrt(2 / sp.pi)),
    )
    return Derivation("residual", steps, {"d": d, "kappa": kappa, "d2": d2, "V": V, "g_c": cond})


def residual_derivation() -> Derivation:
    return _residual().verify()


residual_derivation.__doc__ = _residual.__doc__


@functools.cache
def _res_num():
    d = _residual()
    args = (sym.g, sym.P, sym.shift, sym.asymmetry, sym.tau, sym.s, sym.L, sym.gamma_mix)
    return {k: _lambdify(args, d[k]) for k in ("d", "kappa", "d2", "V")}


@np.errstate(all="ignore")
def residual_fixed_point_gradient(
    tau: ArrayLike, asymmetry: ArrayLike, noise_std: ArrayLike, *, zero_shift: bool = False
) -> Real:
    """The gradient left at the fixed point of residual learning on a shifted fast array, lr -> 0.

    Fast array LinearDevice(tau, asymmetry=c) without zero-shift: its symmetric point is c tau, and
    the fast array is stationary in mean at P = 0 only where grad f F(0) + E|grad f + eps| G(0) = 0,
    i.e. (F(0) = 1, G(0) = -c)::

        g = c E|g + eps|,   eps ~ N(0, noise_std^2)

    solved by a vectorised root finder (g - c E|g + eps| increases in g, root in
    |g| <= |c| s sqrt(2/pi)/(1 - |c|)); g = c s sqrt(2/pi) + O(c^3), independent of tau, L, gamma.
    ``zero_shift=True`` gives 0 (paper 2 Corollary 1).

    This is the gradient at the *mixed* weight W + gamma P where the gradient is evaluated; it is
    exact as lr -> 0; in simulation (tau 3.5, s 0.3, gamma 0.4, lr 0.05) the gradient at the mixed
    weight was 0.0241 +- 0.0002 (c = 0.1, formula 0.0240) and 0.0746 +- 0.0002 (c = 0.3, formula
    0.0740; 0.0749 with the finite-lr terms). At the joint fixed point P is not ~0 in
    distribution: E|P| = O(sqrt(lr)),
    and the transfer is stationary only where E[P] F_W(W) = E|P| G_W(W), so W itself carries an
    extra -gamma L E[P] = O(sqrt(lr)) gradient; :func:`residual_fixed_point` includes it.

    Args:
        tau: saturation level of the fast array, > 0 (the result does not depend on it).
        asymmetry: c in (-1, 1).
        noise_std: Gaussian gradient-noise std, >= 0.
        zero_shift: the fast array is read against a reference at its symmetric point.

    Returns:
        float or array of the broadcast shape.
    """
    tau = _positive("tau", tau)
    c = _asym("asymmetry", asymmetry)
    s = _nonneg("noise_std", noise_std)
    _flag("zero_shift", zero_shift)
    _, c, s = _inputs(tau=tau, asymmetry=c, noise_std=s)
    if zero_shift:
        return _out(np.zeros(c.shape))
    e = _exponent(s)  # g/noise_std depends on c alone
    return _out(np.ldexp(_residual_g(c, np.ldexp(s, -e)), e))


def _residual_g(c, s):
    noisy = s > 0
    s1 = np.where(noisy, s, 1.0)
    bound = np.abs(c) * s1 * np.sqrt(2 / np.pi) / (1 - np.abs(c)) + 1e-300
    g = find_root(lambda g: g - c * _fnm(g, s1), -bound, bound)
    return np.where(noisy, g, 0.0)


@dataclass(frozen=True)
class ResidualFixedPoint:
    """Joint mean-field fixed point of Tiki-Taka / residual learning (:func:`residual_fixed_point`).

    Attributes:
        grad_mixed: E grad f at the mixed weight W + gamma E[P] (where the gradient is taken).
        grad_w: grad f(W) at the main weight (what a deployed W has).
        w: the main weight W.
        p_mean: E[P].
        p_abs_mean: E|P|.
        p_std: the stationary std of P.
        leading_order: :func:`residual_fixed_point_gradient` (the lr -> 0 limit of both gradients).
    """

    grad_mixed: object
    grad_w: object
    w: object
    p_mean: object
    p_abs_mean: object
    p_std: object
    leading_order: object


#: the most fixed-point iterations :func:`residual_fixed_point` runs, and the largest gamma
_MAX_ITERATIONS, _GAMMA_MAX = 1000, 1e20


@np.errstate(all="ignore")
def residual_fixed_point(
    L: ArrayLike,
    w_star: ArrayLike,
    tau: ArrayLike,
    asymmetry: ArrayLike,
    noise_std: ArrayLike,
    gamma: ArrayLike,
    lr: ArrayLike,
    *,
    zero_shift: bool = False,
    main_asymmetry: ArrayLike | None = None,
    iterations: int = 60,
) -> ResidualFixedPoint:
    """Joint mean-field fixed point of ``tiki_taka`` on f = L/2 (w - w*)^2 (gamma = 0: P1's TT).

    Both arrays are LinearDevice(tau, ·): the fast one with ``asymmetry`` (read against its
    symmetric point if ``zero_shift``), the main one with ``main_asymmetry`` (default: the same).
    The transfer lr only sets how fast W moves; the fixed point does not depend on it. P is
    treated as a Gaussian N(mu, v) around its mean (valid for small lr):

    1. fast array stationary in mean:  E d(P) = d(mu) + d''(mu) v/2 = 0, where
       d(P) = g F_P(P) + E|g + eps| G_P(P), g = L (W + gamma P - w*) (:func:`residual_derivation`);
    2. transfer stationary in mean:    mu F_W(W) = E|P| G_W(W),  E|P| = E|N(mu, v)|
       (E|P| != 0 because P fluctuates, so mu = E|P| G_W/F_W is not 0 unless G_W(W) = 0);
    3. v = lr V/(2 kappa - lr kappa^2), kappa = d'(mu), V = Var[X F_P + |X| G_P] (linearised P
       recursion; :func:`residual_derivation`).

    solved by fixed-point iteration with vectorised root finding. The mean-field picture needs W to
    be slow compared with P: transfer_lr << lr kappa^2/L (kappa ~ gamma L + E|eps|/tau). Otherwise
    W and P oscillate together and W's fluctuations correlate with P (simulation, gamma = 0,
    tau = 1, s = 0.3: lr = 0.025 with transfer_lr = 0.01 gave half the predicted bias, with
    transfer_lr = 0.0005 the prediction within 1 SE). Results (docs/theory.md):

    * gamma > 0, no zero-shift: grad_mixed -> c E|g + eps| (:func:`residual_fixed_point_gradient`)
      and grad_w = grad_mixed - gamma L mu with mu = O(sqrt(lr)).
    * gamma = 0 (paper 1's Tiki-Taka), c = 0: g = -E|g + eps| mu/tau with mu = E|P| W/tau, i.e. a
      bias O(sqrt(lr)) set by the *fast* lr (paper 1's beta) and independent of the transfer lr --
      the O(alpha beta) drift of P1 eq. (12) is balanced by an O(alpha) restoring force of W.
    * zero-shift: grad_mixed = O(sqrt(lr)) (no c E|eps| term); the main array's own asymmetry
      still leaves grad_w = O(sqrt(lr)).

    Args:
        L: curvature, > 0.
        w_star: minimiser, |w*| < tau.
        tau: saturation level of both arrays, > 0.
        asymmetry: c of the fast array, in (-1, 1).
        noise_std: Gaussian noise std, > 0.
        gamma: mixing coefficient, >= 0.
        lr: fast-array learning rate, > 0.
        zero_shift: the fast array is read against its symmetric point.
        main_asymmetry: c of the main array (default ``asymmetry``).
        iterations: fixed-point iterations, >= 1.

    Returns:
        :class:`ResidualFixedPoint` (fields broadcast over array inputs).
    """
    L = _positive("L", L)
    tau = _positive("tau", tau)
    w_star = _inside("w_star", w_star, tau)
    c = _asym("asymmetry", asymmetry)
    cw = c if main_asymmetry is None else _asym("main_asymmetry", main_asymmetry)
    s = _positive("noise_std", noise_std)
    gm = param("gamma", gamma, 0.0, _GAMMA_MAX, low_open=False, high_open=False)
    lr = _positive("lr", lr)
    iterations = integer("iterations", iterations, 1)
    if iterations > _MAX_ITERATIONS:
        raise ValueError(
            f"iterations must be an integer in [1, {_MAX_ITERATIONS}], got {iterations}"
        )
    _flag("zero_shift", zero_shift)
    inputs = _inputs(
        L=L, w_star=w_star, tau=tau, asymmetry=c, main_asymmetry=cw, noise_std=s, gamma=gm, lr=lr
    )
    L, w_star, tau, c, cw, s, gm, lr = inputs
    (L, w_star, tau, s), ea, eb = _quadratic_units(L, w_star, tau, s)
    quiet = s < NOISE_MIN * L * tau
    if np.any(quiet):
        L0, t, s0 = _first(quiet, inputs[0], inputs[2], inputs[5])
        raise ValueError(
            f"noise_std must be at least {NOISE_MIN:g} L tau = {NOISE_MIN * L0 * t:.4g} for "
            f"L = {L0:g}, tau = {t:g} (the fast array's fixed point needs noise), got {s0!r}"
        )
    lr = np.ldexp(lr, eb - ea)  # in units of tau/(L tau)
    shape = L.shape
    num = _res_num()
    sh = c * tau if zero_shift else np.zeros(shape)
    mu = np.zeros(shape)
    v = np.zeros(shape)
    big = 50.0 * (s + L * tau)

    def stationary_g(mu, v):
        # E d(P) = d(mu) + d''(mu) v/2 = 0 for the gradient g at W + gamma mu (d increases in g)
        return find_root(
            lambda x: (
                num["d"](x, mu, sh, c, tau, s, L, gm)
                + 0.5 * v * num["d2"](x, mu, sh, c, tau, s, L, gm)
            ),
            -big,
            big,
        )

    for it in range(iterations):
        # 1. gradient at the mixed weight given the distribution N(mu, v) of P
        g = stationary_g(mu, v)
        W = w_star + g / L - gm * mu
        kappa = num["kappa"](g, mu, sh, c, tau, s, L, gm)
        V = num["V"](g, mu, sh, c, tau, s, L, gm)
        _check_fast_lr(kappa, lr, inputs, ea, eb)
        v = lr * V / (2 * kappa - lr * kappa**2)
        sd = np.sqrt(v)
        _check_main_weight(W, tau, inputs, ea)
        R = (W / tau - cw) / (1 - cw * W / tau)  # G_W/F_W of the main array, |R| < 1
        # 2. mu/sd = R E|mu/sd + N(0,1)|
        mu_new = _fnm_fixed_point(R) * sd
        delta = np.max(np.abs(mu_new - mu)) if mu.size else 0.0
        mu = mu_new
        if delta < 1e-13 and it > 2:
            break
    else:
        if delta > 1e-8:
            warnings.warn(
                f"residual_fixed_point: not converged (last change {delta:.2e} tau)",
                RuntimeWarning,
                stacklevel=2,
            )
    g = stationary_g(mu, v)
    W = w_star + g / L - gm * mu
    lead = np.zeros(shape) if zero_shift else _residual_g(c, s)
    weight, grad = (lambda x: _out(np.ldexp(x, ea))), (lambda x: _out(np.ldexp(x, eb)))
    return ResidualFixedPoint(
        grad_mixed=grad(g),
        grad_w=grad(L * (W - w_star)),
        w=weight(W),
        p_mean=weight(mu),
        p_abs_mean=weight(_fnm(mu, sd)),
        p_std=weight(sd),
        leading_order=grad(lead),
    )


def _check_fast_lr(kappa, lr, inputs, ea, eb):
    """The fast array's linearised recursion must contract: 0 < lr kappa < 2 (lr in units
    tau/(L tau), kappa in units L)."""
    bad = ~(kappa > 0) | ~(lr * kappa < 2)
    if np.any(bad):
        k, lr = _first(bad, np.ldexp(kappa, eb - ea), inputs[-1])
        if not k > 0:
            raise ValueError(
                f"no stable fast-array fixed point for these L, tau, asymmetry, noise_std and "
                f"gamma: its relaxation rate kappa = {k:.4g} is not positive"
            )
        raise ValueError(
            f"lr must lie in (0, 2/kappa) = (0, {2 / k:.4g}) for a stationary fast array with "
            f"these L, tau, asymmetry, noise_std and gamma (kappa = {k:.4g}, its relaxation rate "
            f"at the fixed point), got {lr!r}"
        )


def _check_main_weight(W, tau, inputs, ea):
    """The main weight W at the fixed point (in units of tau) must stay inside (-tau, tau)."""
    bad = ~(np.abs(W) < tau)
    if np.any(bad):
        ws, t, W = _first(bad, inputs[1], inputs[2], np.ldexp(W, ea))
        raise ValueError(
            f"w_star must lie further inside (-tau, tau) = (-{t:g}, {t:g}) for this noise_std, "
            f"asymmetry and gamma: at the fixed point the main weight W = w_star + grad/L - "
            f"gamma E[P] = {W:.6g} leaves it, got w_star = {ws!r}"
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
