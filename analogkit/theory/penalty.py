"""Paper 2's implicit penalty f_Sigma = f + Sigma R_c (Theorems 1 and 5) and its eqs. (43), (60).

For the ALD the minimiser is L tau w*/(L tau + Sigma) = P2 eq. (43), a convex combination of W*
and W⋄. P2 eq. (60) as printed is eq. (43) with Sigma -> -Sigma: a sign slip that moves the
weight *away* from the symmetric point. Equation numbers are those of P2's NeurIPS camera-ready;
in arXiv v3 camera-ready (43) is (48) and (60) is (50), and v3 prints the wrong sign in (48) too
(the camera-ready's (43) has the right signs).
"""

from __future__ import annotations

import functools
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
    _first,
    _lambdify,
    _out,
    _quadratic_inputs,
    _quadratic_units,
    sym,
)
from analogkit.theory.response import _response


@dataclass(frozen=True)
class ImplicitPenalty:
    """Paper 2's implicit penalty for the linear family, in sympy.

    Attributes:
        R: G/F, the asymmetry ratio (P2 eq. (41)).
        R_c: integral of R from w⋄ = c tau to w (a Piecewise: w^2/(2 tau) at c = 0).
        f_Sigma: L/2 (w - w*)^2 + Sigma R_c(w) (P2 eq. (7)).
        grad_f_Sigma: L (w - w*) + Sigma R(w).
        minimiser_ald: L tau w*/(L tau + Sigma), the minimiser for c = 0.
        minimiser_roots: both roots of F * grad f_Sigma = 0 (a quadratic in w) for c != 0; the
            first (the one with the minus sign, finite as c -> 0) lies between w* and w⋄ and is
            the minimiser.
        eq43: P2 eq. (43) for the 1-D quadratic, (L w* + Sigma R'(w⋄) w⋄)/(L + Sigma R'(w⋄)).
        eq60_printed: P2 eq. (60) as printed, (L w* - R'(w⋄) Sigma w⋄)/(L - R'(w⋄) Sigma).
        Sigma_gaussian: Sigma = E|grad f(W*; xi)| = s sqrt(2/pi) for Gaussian noise.
        derivation: the checked steps.
    """

    R: sp.Expr
    R_c: sp.Expr
    f_Sigma: sp.Expr
    grad_f_Sigma: sp.Expr
    minimiser_ald: sp.Expr
    minimiser_roots: tuple
    eq43: sp.Expr
    eq60_printed: sp.Expr
    Sigma_gaussian: sp.Expr
    derivation: Derivation


def implicit_penalty() -> ImplicitPenalty:
    """Paper 2's implicit penalty f_Sigma = f + Sigma R_c for a 1-D quadratic on the linear family.

    R = G/F, R_c(w) = int_{w⋄}^{w} R, f_Sigma = L/2 (w - w*)^2 + Sigma R_c(w) with
    Sigma = E|grad f(W*; xi)| (= s sqrt(2/pi) for Gaussian noise) -- P2 Theorem 1 / eqs. (7), (41)
    (equation numbers of P2's camera-ready throughout; arXiv v3: (43) is (48), (60) is (50)).

    Setting grad f_Sigma = L (w - w*) + Sigma R(w) = 0:

    * c = 0 (ALD, R = w/tau, R_c = w^2/(2 tau), P2 eqs. (58)-(59)): w = L tau w*/(L tau + Sigma),
      between 0 = w⋄ and w*: the penalty pulls the weight towards the symmetric point.
    * P2 eq. (43) for this problem, W~ = (f'' W* + Sigma R'(W⋄) W⋄)/(f'' + Sigma R'(W⋄)), with
      R'(W⋄) = 1/(tau (1 - c^2)), is a convex combination of W* and W⋄ (weights f'' and
      Sigma R'(W⋄) are positive) -- it is the minimiser of f + Sigma R_c with R linearised at W⋄,
      and equals the exact minimiser for c = 0. Its sign structure is right in the camera-ready
      (arXiv v3's (48) prints the minus signs too).
    * P2 eq. (60) as printed, W^S = (f'' W* - R'(W⋄) Sigma W⋄)/(f'' - R'(W⋄) Sigma), is eq. (43)
      with Sigma -> -Sigma (checked in sympy): for the ALD it gives L tau w*/(L tau - Sigma), i.e.
      |W^S| > |w*| -- *away* from the symmetric point -- and it diverges at Sigma = L tau. Both
      minus signs are slips; the correct scalar formula is eq. (43) (plus signs).

    The penalty uses Sigma = E|eps| at W*, whereas the exact mean-field fixed point uses
    E|g + eps| at the fixed point itself (:func:`asgd_fixed_point`). With g = s x at the fixed
    point, x solves x = -rho E|x + N(0,1)| (rho = w/tau), so the relative gap between the two
    shifts tends to E|x + N(0,1)|/sqrt(2/pi) - 1 ~ rho^2/pi as s -> 0: the absolute gap vanishes
    with the noise, the relative gap only with w*/tau (Theorem 5's limit ||W⋄ - W*|| -> 0).

    Returns:
        An :class:`ImplicitPenalty` (verified, cached).
    """
    p = _implicit_penalty()
    p.derivation.verify()
    return p


@functools.cache
def _implicit_penalty():
    w, L, ws, tau, c, Sigma, s = sym.w, sym.L, sym.w_star, sym.tau, sym.asymmetry, sym.Sigma, sym.s
    r = _response("linear")
    R = sp.simplify(r.G / r.F)
    x = sp.Symbol("x", real=True)
    wd = c * tau
    # antiderivative of R (valid for |c| < 1 and |w| < tau, where F > 0)
    R_c = -w / c - tau * (1 - c**2) / c**2 * sp.log(1 - c * w / tau)
    R_c = R_c - R_c.subs(w, wd)
    f = L / 2 * (w - ws) ** 2
    R_c_all = sp.Piecewise((w**2 / (2 * tau), sp.Eq(c, 0)), (R_c, True))  # c = 0: the ALD limit
    f_Sigma = f + Sigma * R_c_all
    grad = L * (w - ws) + Sigma * R
    min_ald = L * tau * ws / (L * tau + Sigma)
    roots = tuple(sp.solve(sp.numer(sp.together(grad)), w))
    dR_wd = sp.diff(R, w).subs(w, wd)
    eq43 = (L * ws + Sigma * dR_wd * wd) / (L + Sigma * dR_wd)
    eq60 = (L * ws - dR_wd * Sigma * wd) / (L - dR_wd * Sigma)
    R_ald = R.subs(c, 0)
    Rc_ald = sp.integrate(R_ald.subs(w, x), (x, 0, w))
    steps = (
        Step("R = G/F = (w/tau - c)/(1 - c w/tau)", R, (w / tau - c) / (1 - c * w / tau)),
        Step("d R_c/dw = R", sp.diff(R_c, w), R),
        Step("R_c(w⋄) = 0", R_c.subs(w, wd), 0),
        Step("c = 0: R_c = w^2/(2 tau) (P2 eq. (59))", Rc_ald, w**2 / (2 * tau)),
        Step(
            "grad f_Sigma = L (w - w*) + Sigma R",
            sp.diff(f + Sigma * sp.Integral(R.subs(w, x), (x, wd, w)), w),
            grad,
        ),
        Step(
            "c = 0: grad f_Sigma(L tau w*/(L tau + Sigma)) = 0", grad.subs(c, 0).subs(w, min_ald), 0
        ),
        Step("R'(w⋄) = 1/(tau (1 - c^2))", dR_wd, 1 / (tau * (1 - c**2))),
        Step("c = 0: eq. (43) = exact minimiser", eq43.subs(c, 0), min_ald),
        Step("eq. (60) as printed = eq. (43) with Sigma -> -Sigma", eq60, eq43.subs(Sigma, -Sigma)),
        Step(
            "eq. (43) - w⋄ = L (w* - w⋄)/(L + Sigma R'(w⋄)) (a contraction towards w⋄)",
            eq43 - wd,
            L * (ws - wd) / (L + Sigma * dR_wd),
        ),
        Step(
            "eq. (60) - w⋄ = L (w* - w⋄)/(L - Sigma R'(w⋄)) (an expansion away from w⋄)",
            eq60 - wd,
            L * (ws - wd) / (L - Sigma * dR_wd),
        ),
        Step(
            "roots of F grad f_Sigma solve it",
            sp.Add(*[sp.numer(sp.together(grad)).subs(w, rt) for rt in roots]),
            0,
        ),
    )
    der = Derivation("implicit_penalty", steps, {"R": R, "R_c": R_c_all})
    return ImplicitPenalty(
        R, R_c_all, f_Sigma, grad, min_ald, roots, eq43, eq60, s * sp.sqrt(2 / sp.pi), der
    )


@functools.cache
def _penalty_num():
    p = _implicit_penalty()
    args = (sym.w, sym.L, sym.w_star, sym.tau, sym.asymmetry, sym.Sigma)
    args2 = (sym.L, sym.w_star, sym.tau, sym.asymmetry, sym.Sigma)
    return {
        "grad": _lambdify(args, p.grad_f_Sigma),
        "eq43": _lambdify(args2, p.eq43),
        "eq60": _lambdify(args2, p.eq60_printed),
    }


def _sigma_abs(noise_std):
    return np.sqrt(2 / np.pi) * noise_std


def _penalty_inputs(L, w_star, tau, noise_std, asymmetry):
    """(L, w_star, tau, asymmetry, Sigma = noise_std sqrt(2/pi)) in units of tau and L tau, the
    exponent of the weights' unit, and the inputs as given."""
    inputs = _quadratic_inputs(L, w_star, tau, noise_std, asymmetry)
    (L, w_star, tau, s), ea, _ = _quadratic_units(*inputs[:4])
    return (L, w_star, tau, inputs[4], _sigma_abs(s)), ea, inputs


@np.errstate(all="ignore")
def implicit_penalty_minimiser(
    L: ArrayLike,
    w_star: ArrayLike,
    tau: ArrayLike,
    noise_std: ArrayLike,
    asymmetry: ArrayLike = 0.0,
) -> Real:
    """The minimiser of paper 2's f_Sigma = L/2 (w - w*)^2 + Sigma R_c(w) on LinearDevice(tau, c).

    Sigma = noise_std sqrt(2/pi) (Gaussian noise). For c = 0 this is L tau w*/(L tau + Sigma);
    in general the root of L (w - w*) + Sigma R(w) between w* and w⋄ = c tau (unique: the left
    side increases in w where F > 0; found by a vectorised root finder). See
    :func:`implicit_penalty` for the derivation and how it compares with the exact fixed point
    :func:`asgd_fixed_point`. noise_std < 1e-12 L tau gives the noise -> 0 limit w*.

    Args:
        L: curvature, > 0.
        w_star: minimiser of f, real, with asymmetry * w_star < tau (F(w*) > 0) and
            |w*| <= 1e20 tau.
        tau: saturation level, > 0.
        noise_std: Gaussian noise std, in [0, 1e20 L tau].
        asymmetry: c in (-1, 1).

    Returns:
        float or array of the broadcast shape.
    """
    (L, w_star, tau, c, Sigma), ea, inputs = _penalty_inputs(L, w_star, tau, noise_std, asymmetry)
    if np.any(c * w_star >= tau):
        w, t, c = _first(c * w_star >= tau, *inputs[1:3], inputs[4])
        raise ValueError(
            f"w_star must satisfy asymmetry * w_star < tau (F(w*) > 0), got w_star = {w!r} with "
            f"asymmetry = {c:g}, tau = {t:g}"
        )
    grad = _penalty_num()["grad"]
    noisy = Sigma >= NOISE_MIN * np.sqrt(2 / np.pi) * L * tau
    Sigma = np.where(noisy, Sigma, 1.0)
    w = find_root(lambda w: grad(w, L, w_star, tau, c, Sigma), w_star, c * tau)
    return _out(np.ldexp(np.where(noisy, w, w_star), ea))


@np.errstate(all="ignore")
def penalty_point_eq43(
    L: ArrayLike,
    w_star: ArrayLike,
    tau: ArrayLike,
    noise_std: ArrayLike,
    asymmetry: ArrayLike = 0.0,
) -> Real:
    """Paper 2 camera-ready eq. (43) (arXiv v3 (48), printed there with the wrong signs) for the
    1-D quadratic: (L w* + Sigma R'(w⋄) w⋄)/(L + Sigma R'(w⋄)).

    R'(w⋄) = 1/(tau (1 - c^2)), w⋄ = c tau, Sigma = noise_std sqrt(2/pi). Exact minimiser of f_Sigma
    for c = 0; its linearisation at w⋄ otherwise. Arguments as :func:`implicit_penalty_minimiser`.
    """
    args, ea, _ = _penalty_inputs(L, w_star, tau, noise_std, asymmetry)
    return _out(np.ldexp(_penalty_num()["eq43"](*args), ea))


@np.errstate(all="ignore")
def penalty_point_eq60_printed(
    L: ArrayLike,
    w_star: ArrayLike,
    tau: ArrayLike,
    noise_std: ArrayLike,
    asymmetry: ArrayLike = 0.0,
) -> Real:
    """Paper 2 camera-ready eq. (60) (arXiv v3 (50)) *as printed*: (L w* - R'(w⋄) Sigma w⋄)/
    (L - R'(w⋄) Sigma).

    Kept to show the sign slip: it equals eq. (43) with Sigma -> -Sigma, pushes the weight away
    from the symmetric point, and is infinite at Sigma R'(w⋄) = L, i.e. at noise_std =
    sqrt(pi/2) L tau (1 - c^2) (ValueError there). Do not use it as a prediction.
    Arguments as :func:`implicit_penalty_minimiser`.
    """
    args, ea, inputs = _penalty_inputs(L, w_star, tau, noise_std, asymmetry)
    out = np.ldexp(_penalty_num()["eq60"](*args), ea)
    if not np.all(np.isfinite(out)):
        L, t, s, c = _first(~np.isfinite(out), inputs[0], *inputs[2:])
        raise ValueError(
            "eq. (60) as printed is infinite where Sigma R'(w⋄) = L, at noise_std = "
            f"sqrt(pi/2) L tau (1 - c^2) = {np.sqrt(np.pi / 2) * L * t * (1 - c * c):.6g} for "
            f"L = {L:g}, tau = {t:g}, asymmetry = {c:g}; noise_std must differ from it, got {s!r}"
        )
    return _out(out)
