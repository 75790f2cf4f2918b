"""Residual learning with a shifted fast array: its stationarity at P = 0 and the joint fixed point.

* :func:`residual_fixed_point_gradient`, :func:`residual_fixed_point` -- Tiki-Taka / residual
  learning (P2 §4, camera-ready eqs. (9)-(11)) with a fast array whose symmetric point is c tau != 0 (no
  zero-shift): the gradient at the mixed weight W + gamma P solves g = c E|g + eps| (0.0240 and
  0.0740 for c = 0.1, 0.3 at s = 0.3); P ~ 0 holds only in mean-field: E|P| = O(sqrt(lr)) != 0
  makes the transfer stationary at E[P] = E|P| G_W/F_W, which shifts grad f(W) by
  -gamma L E[P]. The joint mean-field model matches simulation within 1.5 SE.
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
    _exponent,
    _first,
    _flag,
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
    _fnm0,
    _fnm_fixed_point,
    _x_abs_x_expr,
    folded_normal_mean_expr,
)
from analogkit.theory.response import _response


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
    """g = c E|g + eps|, eps ~ N(0, s^2); 0 where s = 0."""
    noisy = s > 0
    return np.where(noisy, _fnm_fixed_point(c, np.where(noisy, s, 1.0)), 0.0)


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

    The iteration stops once E[P] changes by less than 1e-13 (in units of tau) and 1e-9 of its
    size; a RuntimeWarning says so where it has not within ``iterations``.

    Args:
        L: curvature, > 0.
        w_star: minimiser, |w*| < tau.
        tau: saturation level of both arrays, > 0.
        asymmetry: c of the fast array, in (-1, 1).
        noise_std: Gaussian noise std, in [1e-12 L tau, 1e20 L tau].
        gamma: mixing coefficient, in [0, 1e20].
        lr: fast-array learning rate, > 0, and lr kappa < 2 (the ValueError otherwise gives the
            bound 2/kappa).
        zero_shift: the fast array is read against its symmetric point.
        main_asymmetry: c of the main array (default ``asymmetry``).
        iterations: fixed-point iterations, in [1, 1000].

    Returns:
        :class:`ResidualFixedPoint` (fields broadcast over array inputs).

    Raises:
        ValueError: naming the input outside these ranges, or w_star and tau where the main
            weight leaves the device range on the way to the fixed point.
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
        try:
            return _increasing_root(
                lambda x: (
                    num["d"](x, mu, sh, c, tau, s, L, gm)
                    + 0.5 * v * num["d2"](x, mu, sh, c, tau, s, L, gm)
                ),
                big,
            )
        except ValueError:  # no root within 50 (s + L tau): P's spread is far beyond the model's
            raise ValueError(
                "lr is too large for the mean-field model of the fast array: P's spread (std "
                f"up to {float(np.max(np.ldexp(np.sqrt(v), ea))):.3g}) leaves no stationary gradient "
                "within 50 (noise_std + L tau); use a smaller lr (the model assumes lr kappa << 1)"
            ) from None

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
        delta = np.max(np.abs(mu_new - mu), initial=0.0)
        mu = mu_new
        size = np.max(np.abs(mu), initial=0.0)
        if delta < 1e-13 and delta <= 1e-9 * size and it > 2:  # absolute and relative
            break
    else:
        if delta > 1e-8 or delta > 1e-6 * size:
            warnings.warn(
                f"residual_fixed_point: not converged in {iterations} iterations (last change "
                f"of E[P] {delta / size:.2e} of its size): pass more iterations, or, where the "
                "change does not shrink, the mean-field model does not hold (a smaller noise_std "
                "or lr)",
                RuntimeWarning,
                stacklevel=3,  # the caller of the errstate wrapper
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
        p_abs_mean=weight(_fnm0(mu, sd)),
        p_std=weight(sd),
        leading_order=grad(lead),
    )


def _increasing_root(fun, big):
    """The root of an increasing element-wise `fun` in [-big, big].

    Where the root is so many orders of magnitude below big (near-symmetric inputs) that the
    root finder does not converge, again between the two neighbours around it of ±big 2^-20k
    (k = 0, 1, ...) and 0.
    """
    try:
        return find_root(fun, -big, big)
    except RuntimeError:
        pass
    side = np.where(fun(np.zeros_like(big)) > 0, -1.0, 1.0)  # where the root lies from 0
    k = np.arange(0, 1101, 20).reshape((-1,) + (1,) * np.ndim(big))
    points = np.concatenate([side * np.ldexp(big, -k), np.zeros((1,) + np.shape(big))])
    first_inside = np.argmax(np.sign(fun(points)) != side, axis=0)[None]
    lo = np.take_along_axis(points, first_inside - 1, 0)[0]
    return find_root(fun, lo, np.take_along_axis(points, first_inside, 0)[0])


_GIVEN = "L, w_star, tau, asymmetry, main_asymmetry, noise_std and gamma"


def _check_fast_lr(kappa, lr, inputs, ea, eb):
    """The fast array's linearised recursion must contract: 0 < lr kappa < 2 (lr in units
    tau/(L tau), kappa in units L)."""
    bad = ~(kappa > 0) | ~(lr * kappa < 2)
    if np.any(bad):
        k, lr = _first(bad, np.ldexp(kappa, eb - ea), inputs[-1])
        if not k > 0:
            raise ValueError(
                f"no stable fast-array fixed point for these {_GIVEN}: its relaxation rate "
                f"kappa = {k:.4g} is not positive"
            )
        raise ValueError(
            f"lr must lie in (0, 2/kappa) = (0, {2 / k:.4g}) for a stationary fast array with "
            f"these {_GIVEN} (kappa = {k:.4g}, its relaxation rate at the fixed point), got {lr!r}"
        )


def _check_main_weight(W, tau, inputs, ea):
    """The main weight W (in units of tau) must stay inside (-tau, tau)."""
    bad = ~(np.abs(W) < tau)
    if np.any(bad):
        ws, t, W = _first(bad, inputs[1], inputs[2], np.ldexp(W, ea))
        raise ValueError(
            f"w_star = {ws!r} lies too close to the bounds of (-tau, tau) = (-{t:g}, {t:g}), or "
            f"noise_std and lr are too large, for the mean-field fixed point: the main weight "
            f"W = w_star + grad/L - gamma E[P] reaches {W:.6g}, outside the device range "
            f"(with these asymmetry, main_asymmetry and gamma)"
        )
