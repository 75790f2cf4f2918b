"""Closed forms of analog training: sympy derivations and their numeric (lambdified) forms.

Every result below is derived in sympy (each step is a :class:`Step` whose ``lhs - rhs``
simplifies to 0; ``Derivation.verify()`` checks them), turned into a vectorised numpy function
by ``sympy.lambdify`` once (on first use, then cached), and compared with the simulations of
``analogkit.algorithms`` in ``tests/test_theory.py``. ``docs/theory.md`` has the numbers.

Results (paper equation reproduced or corrected; numbers in docs/theory.md):

* :func:`response_decomposition` -- q_plus, q_minus -> F, G and the symmetric point of the five
  device families. New: the exponential family has a closed-form
  symmetric point for every asymmetry c (G = 0 is a quadratic in exp(gamma w/tau)).
* :func:`analog_update` -- piecewise U_q(w, dw) = compact w + dw F - |dw| G (P1 eqs. (6)-(8)).
* :func:`folded_normal_mean` -- E|m + eps|, eps ~ N(0, s^2) (P1 App. D.2).
* :func:`asgd_fixed_point`, :func:`asgd_stationary_moments` -- mean-field fixed point of Analog
  SGD on a 1-D quadratic, g F(w) + E|g + eps| G(w) = 0; independent of lr
  (simulation: lr 0.003-0.03 all within 2 SE of it after the O(lr) correction).
* :func:`implicit_penalty`, :func:`implicit_penalty_minimiser`, :func:`penalty_point_eq43`,
  :func:`penalty_point_eq60_printed` -- P2 Theorems 1/5, f_Sigma = f + Sigma R_c. For the ALD the
  minimiser is L tau w*/(L tau + Sigma) = P2 eq. (43), a convex combination of W* and W⋄. P2
  eq. (60) as printed is eq. (43) with Sigma -> -Sigma: a sign slip that moves the weight *away*
  from the symmetric point.
* :func:`lower_bound_floor`, :func:`lower_bound_stationary_w`,
  :func:`lower_bound_stationary_moments` -- P1 Theorem 3's instance (App. G.2). The zero-drift
  condition with Lemma 4 gives ||grad f||^2 = sigma^2 S(w), S = (w^2/tau^2)/(1 - w^2/tau^2): a
  factor 4 below the printed 4 sigma^2 S_K. Monte Carlo ratio to sigma^2 S_K: 1.12, 1.06, 1.02
  at lr = 0.01, 0.005, 0.002 (-> 1; the O(lr) part is predicted to 0.4%), never 4.
* :func:`asgd_upper_bound`, :func:`asgd_asymptotic_bound` -- P1 Theorem 2 with the proof's
  explicit constants (eq. (65)); its 4 sigma^2 S is 4x the instance's stationary floor.
* :func:`tiki_taka_pmax` -- P1 Theorem 4's P_max and its condition 33 P_max^2/tau^2 < 1
  (sigma/sqrt(D) > ~46 L tau); the statement's beta = 8 alpha L is not the proof's
  beta = 8 alpha L tau^2 D/sigma^2.
* :func:`residual_fixed_point_gradient`, :func:`residual_fixed_point`,
  :func:`tiki_taka_fixed_point` -- Tiki-Taka / residual learning with a fast array whose
  symmetric point is c tau != 0 (no zero-shift): the gradient at the mixed weight W + gamma P
  solves g = c E|g + eps| (0.0240 and 0.0740 for c = 0.1, 0.3 at s = 0.3);
  P ~ 0 holds only in mean-field: E|P| = O(sqrt(lr)) != 0 makes the transfer stationary at
  E[P] = E|P| G_W/F_W, which shifts grad f(W) by -gamma L E[P]. The joint mean-field model
  matches simulation within 1.5 SE. With gamma = 0 (paper 1's Tiki-Taka) the
  bias is O(sqrt(lr)) in the *fast* lr and independent of the transfer lr.

Symbols are collected in :data:`sym` (names follow ``analogkit.devices``).

This module imports only sympy, numpy, scipy and ``analogkit._validate``; it must never import
devices, problems, algorithms or anything that depends on them (tests compare them instead).
"""

from __future__ import annotations

import functools
import types
import warnings
from dataclasses import dataclass, field

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike

from analogkit._validate import broadcast, find_root, integer, param

__all__ = [
    "sym",
    "Step",
    "Derivation",
    "Response",
    "FAMILIES",
    "response_decomposition",
    "AnalogUpdate",
    "analog_update",
    "folded_normal_mean",
    "folded_normal_mean_expr",
    "folded_normal_derivation",
    "StationaryMoments",
    "asgd_drift",
    "asgd_fixed_point",
    "asgd_stationary_moments",
    "ImplicitPenalty",
    "implicit_penalty",
    "implicit_penalty_minimiser",
    "penalty_point_eq43",
    "penalty_point_eq60_printed",
    "lower_bound_derivation",
    "lower_bound_floor",
    "lower_bound_floor_printed",
    "lower_bound_stationary_w",
    "lower_bound_stationary_moments",
    "saturation",
    "asgd_upper_bound",
    "asgd_asymptotic_bound",
    "TikiTakaCondition",
    "tiki_taka_pmax",
    "residual_derivation",
    "residual_fixed_point_gradient",
    "ResidualFixedPoint",
    "residual_fixed_point",
    "tiki_taka_fixed_point",
]

# --------------------------------------------------------------------------------------------
# symbols
# --------------------------------------------------------------------------------------------

#: The symbols every expression of this module is written in. Attribute names follow
#: ``analogkit.devices`` and the algorithms' arguments; the printed name is in brackets.
#:
#: w (w), dw (Δw): weight and desired increment, real.  tau (τ) > 0: saturation level.
#: asymmetry (c): c_Lin of paper 2 / the devices' ``asymmetry``, real (|c| < 1 in use).
#: gamma (γ) > 0: power/exponential exponent.  w_min (w_min) < 0, w_max (w_max) > 0,
#: up_down (up_down) >= 0: aihwkit soft bounds (only the up_down >= 0 branch is symbolic).
#: L (L) > 0: curvature of f = L/2 (w - w*)^2.  w_star (w*): its minimiser.
#: s (s) > 0: std of the Gaussian gradient noise per coordinate.  m (m): a mean.
#: g (g): a (true) gradient value.  Sigma (Σ) > 0: E|grad f(W*; xi)| of paper 2.
#: sigma (σ) > 0: paper 1's total noise level.  D (D): dimension.  p (p): the lower-bound
#: instance's probability.  K (K), f_gap (Δf): iterations and f(W_0) - f*.
#: lr (lr) > 0: learning rate.  gamma_mix (γ_mix) >= 0: residual-learning mixing.  P (P): fast
#: array value.  shift (P⋄): the fast array's reference (0, or c*tau with zero-shift).
sym = types.SimpleNamespace(
    w=sp.Symbol("w", real=True),
    dw=sp.Symbol("Delta_w", real=True),
    tau=sp.Symbol("tau", positive=True),
    asymmetry=sp.Symbol("c", real=True),
    gamma=sp.Symbol("gamma", positive=True),
    w_min=sp.Symbol("w_min", negative=True),
    w_max=sp.Symbol("w_max", positive=True),
    up_down=sp.Symbol("up_down", nonnegative=True),
    L=sp.Symbol("L", positive=True),
    w_star=sp.Symbol("w_star", real=True),
    s=sp.Symbol("s", positive=True),
    m=sp.Symbol("m", real=True),
    g=sp.Symbol("g", real=True),
    Sigma=sp.Symbol("Sigma", positive=True),
    sigma=sp.Symbol("sigma", positive=True),
    D=sp.Symbol("D", positive=True, integer=True),
    p=sp.Symbol("p", positive=True),
    K=sp.Symbol("K", positive=True),
    f_gap=sp.Symbol("Delta_f", positive=True),
    lr=sp.Symbol("lr", positive=True),
    gamma_mix=sp.Symbol("gamma_mix", nonnegative=True),
    P=sp.Symbol("P", real=True),
    shift=sp.Symbol("P_diamond", real=True),
)

#: a float for scalar inputs, an array of the broadcast shape otherwise
Real = float | np.ndarray

_LAMBDIFY_MODULES = ["scipy", "numpy"]


def _lambdify(args, expr):
    return sp.lambdify(args, expr, modules=_LAMBDIFY_MODULES)


# --------------------------------------------------------------------------------------------
# derivation records
# --------------------------------------------------------------------------------------------


def _simplify_zero(expr) -> sp.Expr:
    """sympy.simplify; if not 0: erfc -> erf, then power-base expansion + powsimp, simplify."""
    d = sp.simplify(expr)
    if d != 0 and d.has(sp.erfc):
        d = sp.simplify(d.rewrite(sp.erf))
    if d != 0:
        d = sp.simplify(sp.powsimp(sp.expand_power_base(d, force=False), force=False))
    return d


@dataclass(frozen=True)
class Step:
    """One step of a derivation: the claim ``lhs == rhs``.

    Attributes:
        name: what the step says, in words.
        lhs, rhs: sympy expressions.
        subs: a substitution applied to ``lhs - rhs`` before simplifying (a reparametrisation,
            e.g. asymmetry = (1 - r^gamma)/(1 + r^gamma) with r > 0, that lets sympy see
            signs), or an empty dict.
    """

    name: str
    lhs: sp.Expr
    rhs: sp.Expr
    subs: dict = field(default_factory=dict)

    def difference(self) -> sp.Expr:
        """lhs - rhs after ``subs``, unsimplified."""
        d = sp.sympify(self.lhs - self.rhs)
        return d.subs(self.subs) if self.subs else d

    @functools.cached_property
    def simplified(self) -> sp.Expr:
        """``lhs - rhs`` (after ``subs``) simplified (computed once); 0 when the step holds."""
        return _simplify_zero(self.difference())

    def holds(self) -> bool:
        """True when ``lhs - rhs`` simplifies to 0."""
        return self.simplified == 0


@dataclass(frozen=True)
class Derivation:
    """An ordered list of checked steps and the named results they lead to."""

    name: str
    steps: tuple
    results: dict

    def verify(self) -> Derivation:
        """Raise AssertionError naming the first step whose lhs - rhs does not simplify to 0."""
        for step in self.steps:
            if not step.holds():
                raise AssertionError(f"{self.name}: step {step.name!r} does not simplify to 0")
        return self

    def __getitem__(self, key):
        return self.results[key]


# --------------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------------


def _positive(name, value):
    return param(name, value, 0.0)


def _nonneg(name, value):
    return param(name, value, 0.0, low_open=False)


def _real(name, value):
    return param(name, value)


def _asym(name, value):
    return param(name, value, -1.0, 1.0)


def _inside(name, value, tau, what="(-tau, tau)"):
    """|value| < tau element-wise, with broadcasting."""
    value = _real(name, value)
    broadcast({name: value, "tau": tau})
    if np.any(np.abs(value) >= tau):
        bad = np.broadcast_arrays(value, tau)
        idx = np.abs(bad[0]) >= bad[1]
        raise ValueError(f"{name} must lie in {what}, got {np.asarray(bad[0])[idx].ravel()[0]!r}")
    return value


def _out(x):
    x = np.asarray(x, dtype=float) + 0.0  # + 0.0 turns -0.0 into 0.0
    return float(x) if x.ndim == 0 else x


def _check_stable(lr, dh):
    """The linearised recursion w <- w - lr h'(w0) (w - w0) must contract: 0 < lr h' < 2."""
    if np.any(lr * dh >= 2):
        raise ValueError(
            f"lr must lie in (0, 2/h'(w0)) for a stationary distribution, got lr = {lr!r} with "
            f"h'(w0) = {np.max(dh):.4g}"
        )


# --------------------------------------------------------------------------------------------
# response functions
# --------------------------------------------------------------------------------------------

FAMILIES = ("ideal", "linear", "soft bounds", "power", "exponential")


@dataclass(frozen=True)
class Response:
    """A device family's response in sympy.

    Attributes:
        family: the family name (as in ``analogkit.DEVICE_FAMILIES``).
        q_plus, q_minus: responses to up / down pulses (relative to dw_min).
        F, G: symmetric (q_minus + q_plus)/2 and asymmetric (q_minus - q_plus)/2 components.
        symmetric_point: closed-form w⋄ with G(w⋄) = 0 (0 by convention for "ideal").
        symmetric_point_equation: the equation G(w) = 0 that defines w⋄.
        parameters: the family's symbols (besides ``sym.w``), in devices.py's order.
        note: what is special about the family.
        derivation: the checked steps (F, G identities and G(w⋄) = 0).
    """

    family: str
    q_plus: sp.Expr
    q_minus: sp.Expr
    F: sp.Expr
    G: sp.Expr
    symmetric_point: sp.Expr
    symmetric_point_equation: sp.Eq
    parameters: tuple
    note: str
    derivation: Derivation


def response_decomposition(family: str) -> Response:
    """q_plus, q_minus, F, G and the symmetric point of a device family.

    Families (the same parameterisations as ``analogkit.devices``)::

        ideal        q+ = q- = 1                              F = 1, G = 0, every w symmetric (0)
        linear       q+ = (1+c)(1-w/tau), q- = (1-c)(1+w/tau)
                     F = 1 - c w/tau, G = w/tau - c, w⋄ = c tau
        soft bounds  q+ = s_up (1 - w/w_max), q- = s_down (1 - w/w_min),
                     s_up = 1 + min(up_down, 0), s_down = 1 - max(up_down, 0)   (aihwkit)
                     symbolic for the up_down >= 0 branch (s_up = 1, s_down = 1 - up_down);
                     w⋄ = (s_up - s_down)/(s_up/w_max - s_down/w_min), which also holds for
                     up_down < 0 (s_up = 1 + up_down, s_down = 1) by the same algebra.
        power        q± = (1±c)(1∓w/tau)^gamma                 w⋄ = tau (1-r)/(1+r),
                                                                r = ((1-c)/(1+c))^(1/gamma)
        exponential  q± = (1±c)(exp(gamma(1∓w/tau)) - 1)/(exp(gamma) - 1)
                     w⋄ = (tau/gamma) log((sqrt(c^2 + (1-c^2) e^(2 gamma)) - c)/((1-c) e^gamma))

    The exponential family's symmetric point is closed-form for every c (0 at c = 0): with
    y = exp(gamma w/tau), G = 0 reads (1-c) e^gamma y^2 + 2c y - (1+c) e^gamma = 0, a quadratic in y
    with exactly one positive root (the product of its roots is negative). ``devices.py`` finds it
    by bisection; the two agree (tests).

    Args:
        family: one of :data:`FAMILIES`.

    Returns:
        A :class:`Response` (its ``derivation`` is verified on first construction, then cached).
    """
    if not isinstance(family, str):
        raise TypeError(f"family must be a string, one of {FAMILIES}, got {type(family).__name__}")
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES}, got {family!r}")
    r = _response(family)
    r.derivation.verify()
    return r


@functools.cache
def _response(family: str) -> Response:
    w, tau, c, gam = sym.w, sym.tau, sym.asymmetry, sym.gamma
    extra_steps: list = []
    subs: dict = {}
    if family == "ideal":
        qp = qm = sp.Integer(1)
        params: tuple = ()
        sp_ = sp.Integer(0)
        note = "q+ = q- = 1: G = 0 everywhere, every weight is symmetric; w⋄ = 0 by convention."
    elif family == "linear":
        qp, qm = (1 + c) * (1 - w / tau), (1 - c) * (1 + w / tau)
        params = (tau, c)
        sp_ = c * tau
        note = "c = 0 is paper 1's ALD (F = 1, G = w/tau); c is paper 2's c_Lin."
        extra_steps = [
            Step("F = 1 - c w/tau", (qm + qp) / 2, 1 - c * w / tau),
            Step("G = w/tau - c", (qm - qp) / 2, w / tau - c),
        ]
    elif family == "soft bounds":
        u, w_min, w_max = sym.up_down, sym.w_min, sym.w_max
        s_up, s_down = sp.Integer(1), 1 - u  # the up_down >= 0 branch
        qp, qm = s_up * (1 - w / w_max), s_down * (1 - w / w_min)
        params = (w_min, w_max, u)
        sp_ = (s_up - s_down) / (s_up / w_max - s_down / w_min)
        note = (
            "aihwkit's SoftBoundsDevice; symbolic for up_down >= 0 "
            "(s_up = 1, s_down = 1 - up_down). "
            "For up_down < 0 (s_up = 1 + up_down, s_down = 1) the same formula for w⋄ holds."
        )
    elif family == "power":
        qp, qm = (1 + c) * (1 - w / tau) ** gam, (1 - c) * (1 + w / tau) ** gam
        params = (tau, gam, c)
        r = ((1 - c) / (1 + c)) ** (1 / gam)
        sp_ = tau * (1 - r) / (1 + r)
        rr = sp.Symbol("r", positive=True)
        subs = {c: (1 - rr**gam) / (1 + rr**gam)}  # c in (-1, 1) <-> r > 0
        note = "gamma = 1 is the linear family; w⋄ = tau (1-r)/(1+r), r = ((1-c)/(1+c))^(1/gamma)."
        extra_steps = [
            Step(
                "G(w⋄) = 0 <=> (1 - w⋄/tau)/(1 + w⋄/tau) = r", (1 - sp_ / tau) / (1 + sp_ / tau), r
            ),
        ]
    else:  # exponential
        E = sp.exp(gam)
        qp = (1 + c) * (sp.exp(gam * (1 - w / tau)) - 1) / (E - 1)
        qm = (1 - c) * (sp.exp(gam * (1 + w / tau)) - 1) / (E - 1)
        params = (tau, gam, c)
        y_root = (sp.sqrt(c**2 + (1 - c**2) * sp.exp(2 * gam)) - c) / ((1 - c) * E)
        sp_ = tau / gam * sp.log(y_root)
        y = sp.Symbol("y", positive=True)
        quad = (1 - c) * E * y**2 + 2 * c * y - (1 + c) * E
        G_y = ((qm - qp) / 2).subs(w, tau * sp.log(y) / gam)
        note = (
            "w⋄ = 0 at c = 0; for c != 0 w⋄ is still closed-form: G = 0 is a quadratic in "
            "y = exp(gamma w/tau) with exactly one positive root."
        )
        extra_steps = [
            Step(
                "with y = exp(gamma w/tau): 2 (e^gamma - 1) y G = quadratic in y",
                sp.expand(2 * (E - 1) * y * G_y),
                quad,
            ),
            Step("the positive root solves the quadratic", quad.subs(y, y_root), 0),
            Step("w⋄ = 0 at c = 0", sp_.subs(c, 0), 0),
        ]
    F = sp.expand((qm + qp) / 2) if family in ("ideal", "linear") else (qm + qp) / 2
    G = sp.expand((qm - qp) / 2) if family in ("ideal", "linear") else (qm - qp) / 2
    steps = [
        Step("F = (q- + q+)/2", F, (qm + qp) / 2),
        Step("G = (q- - q+)/2", G, (qm - qp) / 2),
        Step("q+ = F - G", qp, F - G),
        Step("q- = F + G", qm, F + G),
        *extra_steps,
        Step("G(w⋄) = 0", G.subs(w, sp_), 0, subs),
    ]
    der = Derivation(f"response_decomposition({family!r})", tuple(steps), {"symmetric_point": sp_})
    return Response(family, qp, qm, F, G, sp_, sp.Eq(G, 0), params, note, der)


# --------------------------------------------------------------------------------------------
# the analog update
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnalogUpdate:
    """U_q(w, dw) in sympy (paper 1 eqs. (6)-(7), paper 2 eqs. (3)-(5)).

    Attributes:
        piecewise: w + dw q+(w) for dw >= 0, w + dw q-(w) for dw < 0.
        compact: w + dw F(w) - |dw| G(w).
        q_plus, q_minus, F, G: the response used (undefined functions q_plus(w), q_minus(w) for
            the generic update).
        derivation: compact == piecewise on dw > 0 and on dw < 0 (checked).
    """

    piecewise: sp.Expr
    compact: sp.Expr
    q_plus: sp.Expr
    q_minus: sp.Expr
    F: sp.Expr
    G: sp.Expr
    derivation: Derivation


def analog_update(family: str | None = None) -> AnalogUpdate:
    """The analog update U_q(w, dw), piecewise and compact, for a family or a generic response.

    Args:
        family: None for generic q_plus(w), q_minus(w) (undefined sympy functions), or one of
            :data:`FAMILIES`.

    Returns:
        An :class:`AnalogUpdate` whose derivation checks compact == piecewise for dw > 0 and
        dw < 0 (for the linear family with c = 0 also P1 eq. (8), w + dw - |dw| w/tau).
    """
    if family is not None:
        response_decomposition(family)  # validates
    u = _analog_update(family)
    u.derivation.verify()
    return u


@functools.cache
def _analog_update(family):
    w, dw = sym.w, sym.dw
    if family is None:
        qp, qm = sp.Function("q_plus")(w), sp.Function("q_minus")(w)
        F, G = (qm + qp) / 2, (qm - qp) / 2
    else:
        r = _response(family)
        qp, qm, F, G = r.q_plus, r.q_minus, r.F, r.G
    piecewise = sp.Piecewise((w + dw * qp, dw >= 0), (w + dw * qm, True))
    compact = w + dw * F - sp.Abs(dw) * G
    d_pos, d_neg = sp.Symbol("d", positive=True), sp.Symbol("d", positive=True)
    steps = [
        Step("dw > 0: compact = w + dw q+", compact.subs(dw, d_pos), piecewise.subs(dw, d_pos)),
        Step("dw < 0: compact = w + dw q-", compact.subs(dw, -d_neg), piecewise.subs(dw, -d_neg)),
    ]
    if family == "linear":
        ald = w + dw - sp.Abs(dw) * w / sym.tau
        steps.append(
            Step("c = 0: paper 1 eq. (8), w + dw - |dw| w/tau", compact.subs(sym.asymmetry, 0), ald)
        )
    der = Derivation(f"analog_update({family!r})", tuple(steps), {})
    return AnalogUpdate(piecewise, compact, qp, qm, F, G, der)


# --------------------------------------------------------------------------------------------
# the folded normal
# --------------------------------------------------------------------------------------------


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


def folded_normal_mean(m: ArrayLike, s: ArrayLike) -> Real:
    """E|m + eps| for eps ~ N(0, s^2), vectorised (paper 1 App. D.2).

    s sqrt(2/pi) exp(-m^2/(2 s^2)) + m (1 - 2 Phi(-m/s)); |m| where s = 0.

    Args:
        m: mean(s), real.
        s: standard deviation(s), >= 0.

    Returns:
        float or array of the broadcast shape.
    """
    m = _real("m", m)
    s = _nonneg("s", s)
    broadcast({"m": m, "s": s})
    m, s = np.broadcast_arrays(np.asarray(m, float), np.asarray(s, float))
    pos = s > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(pos, _fnm(m, np.where(pos, s, 1.0)), np.abs(m))
    return _out(out)


# --------------------------------------------------------------------------------------------
# Analog SGD on a 1-D quadratic: mean-field fixed point and stationary moments
# --------------------------------------------------------------------------------------------


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


def _asgd_inputs(L, w_star, tau, noise_std, asymmetry):
    L = _positive("L", L)
    w_star = _real("w_star", w_star)
    tau = _positive("tau", tau)
    noise_std = _nonneg("noise_std", noise_std)
    asymmetry = _asym("asymmetry", asymmetry)
    shape = broadcast(
        {"L": L, "w_star": w_star, "tau": tau, "noise_std": noise_std, "asymmetry": asymmetry}
    )
    return [
        np.broadcast_to(np.asarray(x, float), shape) for x in (L, w_star, tau, noise_std, asymmetry)
    ]


def asgd_fixed_point(
    L: ArrayLike,
    w_star: ArrayLike,
    tau: ArrayLike,
    noise_std: ArrayLike,
    asymmetry: ArrayLike = 0.0,
) -> Real:
    """Mean-field fixed point of Analog SGD on f = L/2 (w - w*)^2, LinearDevice(tau, asymmetry).

    Solves h(w) = g F(w) + E|g + eps| G(w) = 0, g = L (w - w*), eps ~ N(0, noise_std^2),
    F = 1 - c w/tau, G = w/tau - c by vectorised bisection between w* and the
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
    L, w_star, tau, s, c = _asgd_inputs(L, w_star, tau, noise_std, asymmetry)
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
        lr: learning rate, > 0 (lr h'(w0) < 1 is needed for stability).

    Returns:
        :class:`StationaryMoments` (grad_norm2 with D = 1).
    """
    L, w_star, tau, s, c = _asgd_inputs(L, w_star, tau, noise_std, asymmetry)
    lr = _positive("lr", lr)
    num = _asgd_num()
    w0 = _asgd_fixed_point(L, w_star, tau, s, c)
    s_safe = np.where(s > 0, s, 1.0)
    dh = num["dh"](w0, L, w_star, s_safe, tau, c)
    _check_stable(lr, dh)
    var = np.where(s > 0, lr * num["V"](w0, L, w_star, s_safe, tau, c) / (2 * dh - lr * dh**2), 0.0)
    mean = w0 - num["d2h"](w0, L, w_star, s_safe, tau, c) * var / (2 * dh)
    gn2 = L**2 * ((mean - w_star) ** 2 + var)
    return StationaryMoments(_out(w0), _out(mean), _out(var), _out(gn2))


# --------------------------------------------------------------------------------------------
# implicit penalty (paper 2 Theorems 1 and 5)
# --------------------------------------------------------------------------------------------


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
    Sigma = E|grad f(W*; xi)| (= s sqrt(2/pi) for Gaussian noise) -- P2 Theorem 1 / eqs. (7), (41).

    Setting grad f_Sigma = L (w - w*) + Sigma R(w) = 0:

    * c = 0 (ALD, R = w/tau, R_c = w^2/(2 tau), P2 eqs. (58)-(59)): w = L tau w*/(L tau + Sigma),
      between 0 = w⋄ and w*: the penalty pulls the weight towards the symmetric point.
    * P2 eq. (43) for this problem, W~ = (f'' W* + Sigma R'(W⋄) W⋄)/(f'' + Sigma R'(W⋄)), with
      R'(W⋄) = 1/(tau (1 - c^2)), is a convex combination of W* and W⋄ (weights f'' and
      Sigma R'(W⋄) are positive) -- it is the minimiser of f + Sigma R_c with R linearised at W⋄,
      and equals the exact minimiser for c = 0. Its sign structure is right.
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


def implicit_penalty_minimiser(
    L: ArrayLike,
    w_star: ArrayLike,
    tau: ArrayLike,
    noise_std: ArrayLike,
    asymmetry: ArrayLike = 0.0,
) -> Real:
    """The minimiser of paper 2's f_Sigma = L/2 (w - w*)^2 + Sigma R_c(w) on LinearDevice(tau, c).

    Sigma = noise_std sqrt(2/pi) (Gaussian noise). For c = 0 this is L tau w*/(L tau + Sigma);
    in general the root of L (w - w*) + Sigma R(w) between w* and w⋄ = c tau (vectorised
    bisection). See :func:`implicit_penalty` for the derivation and how it compares with the exact
    fixed point :func:`asgd_fixed_point`.

    Args:
        L: curvature, > 0.
        w_star: minimiser of f, real.
        tau: saturation level, > 0.
        noise_std: Gaussian noise std, >= 0.
        asymmetry: c in (-1, 1).

    Returns:
        float or array of the broadcast shape.
    """
    L, w_star, tau, s, c = _asgd_inputs(L, w_star, tau, noise_std, asymmetry)
    if np.any(c * w_star >= tau):
        raise ValueError("w_star must satisfy asymmetry * w_star < tau (F(w*) > 0)")
    grad = _penalty_num()["grad"]
    Sigma = _sigma_abs(s)
    return _out(find_root(lambda w: grad(w, L, w_star, tau, c, Sigma), w_star, c * tau))


def penalty_point_eq43(
    L: ArrayLike,
    w_star: ArrayLike,
    tau: ArrayLike,
    noise_std: ArrayLike,
    asymmetry: ArrayLike = 0.0,
) -> Real:
    """Paper 2 eq. (43) for the 1-D quadratic: (L w* + Sigma R'(w⋄) w⋄)/(L + Sigma R'(w⋄)).

    R'(w⋄) = 1/(tau (1 - c^2)), w⋄ = c tau, Sigma = noise_std sqrt(2/pi). Exact minimiser of f_Sigma
    for c = 0; its linearisation at w⋄ otherwise. Arguments as :func:`implicit_penalty_minimiser`.
    """
    L, w_star, tau, s, c = _asgd_inputs(L, w_star, tau, noise_std, asymmetry)
    return _out(_penalty_num()["eq43"](L, w_star, tau, c, _sigma_abs(s)))


def penalty_point_eq60_printed(
    L: ArrayLike,
    w_star: ArrayLike,
    tau: ArrayLike,
    noise_std: ArrayLike,
    asymmetry: ArrayLike = 0.0,
) -> Real:
    """Paper 2 eq. (60) *as printed*: (L w* - R'(w⋄) Sigma w⋄)/(L - R'(w⋄) Sigma).

    Kept to show the sign slip: it equals eq. (43) with Sigma -> -Sigma, pushes the weight away
    from the symmetric point, and is infinite at Sigma R'(w⋄) = L. Do not use it as a prediction.
    Arguments as :func:`implicit_penalty_minimiser`.
    """
    L, w_star, tau, s, c = _asgd_inputs(L, w_star, tau, noise_std, asymmetry)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out(_penalty_num()["eq60"](L, w_star, tau, c, _sigma_abs(s)))


# --------------------------------------------------------------------------------------------
# paper 1's lower-bound instance (Theorem 3, App. G.2)
# --------------------------------------------------------------------------------------------


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


def saturation(w: ArrayLike, tau: ArrayLike) -> Real:
    """S(w) = (w^2/tau^2)/(1 - w^2/tau^2), paper 1's saturation factor in S_K (Theorem 2).

    Args:
        w: weight(s) (for S_K use ||W_k||_inf), |w| < tau.
        tau: > 0.
    """
    tau = _positive("tau", tau)
    w = _inside("w", w, tau)
    return _out(_lb_num()["S"](w, tau))


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
        dim: D >= 1 (no effect on the norm; validated for symmetry with the instance).

    Returns:
        float or array.
    """
    sigma = _nonneg("sigma", sigma)
    tau = _positive("tau", tau)
    w = _inside("w", w, tau)
    integer("dim", dim, 1)
    broadcast({"sigma": sigma, "w": w, "tau": tau})
    return _out(_lb_num()["floor"](w, sigma, tau))


def lower_bound_floor_printed(sigma: ArrayLike, w: ArrayLike, tau: ArrayLike) -> Real:
    """Paper 1 Theorem 3's printed term 4 sigma^2 S(w), for comparison (4 x the derived floor)."""
    sigma = _nonneg("sigma", sigma)
    tau = _positive("tau", tau)
    w = _inside("w", w, tau)
    return _out(4 * sigma**2 * _lb_num()["S"](w, tau))


def _lb_inputs(sigma, w_star, tau, L, dim):
    sigma = _nonneg("sigma", sigma)
    tau = _positive("tau", tau)
    w_star = _inside("w_star", w_star, tau)
    L = _positive("L", L)
    dim = integer("dim", dim, 1)
    shape = broadcast({"sigma": sigma, "w_star": w_star, "tau": tau, "L": L})
    return [np.broadcast_to(np.asarray(x, float), shape) for x in (sigma, w_star, tau, L)] + [dim]


def _lb_w(sigma, w_star, tau, L, dim):
    g = _lb_num()["g"]
    return find_root(
        lambda w: L * (w - w_star) - g(w, sigma, tau, dim), np.zeros_like(w_star), w_star
    )


def lower_bound_stationary_w(
    sigma: ArrayLike, w_star: ArrayLike, tau: ArrayLike, L: ArrayLike = 1.0, dim: int = 1
) -> Real:
    """The weight where paper 1's lower-bound instance is stationary in mean.

    Solves L (w - w*) = -(w/tau)(sigma/sqrt D)/sqrt(1 - w^2/tau^2) between 0 and w* (vectorised
    bisection; the left side minus the right is monotone there).

    Args:
        sigma: total noise level, >= 0.
        w_star: the instance's minimiser per coordinate, |w*| < tau (paper 1 asks |w*| <= tau/4).
        tau: saturation level, > 0.
        L: curvature, > 0.
        dim: D >= 1.

    Returns:
        float or array.
    """
    sigma, w_star, tau, L, dim = _lb_inputs(sigma, w_star, tau, L, dim)
    return _out(_lb_w(sigma, w_star, tau, L, dim))


def lower_bound_stationary_moments(
    sigma: ArrayLike, w_star: ArrayLike, tau: ArrayLike, lr: float, L: ArrayLike = 1.0, dim: int = 1
) -> StationaryMoments:
    """Stationary mean, variance and E||grad f||^2 of the lower-bound instance, to O(lr).

    As :func:`asgd_stationary_moments`, with the instance's two-point noise (its drift h and
    increment variance V come from :func:`lower_bound_derivation`). ``grad_norm2`` =
    D L^2 ((mean - w*)^2 + var) = sigma^2 S(w0) + O(lr).

    Args:
        sigma, w_star, tau, L, dim: as :func:`lower_bound_stationary_w`.
        lr: learning rate, > 0.
    """
    sigma, w_star, tau, L, dim = _lb_inputs(sigma, w_star, tau, L, dim)
    lr = _positive("lr", lr)
    num = _lb_num()
    w0 = _lb_w(sigma, w_star, tau, L, dim)
    dh = num["dh"](w0, L, w_star, sigma, tau, dim)
    _check_stable(lr, dh)
    var = lr * num["V"](w0, L, w_star, sigma, tau, dim) / (2 * dh - lr * dh**2)
    mean = w0 - num["d2h"](w0, L, w_star, sigma, tau, dim) * var / (2 * dh)
    gn2 = dim * L**2 * ((mean - w_star) ** 2 + var)
    return StationaryMoments(_out(w0), _out(mean), _out(var), _out(gn2))


# --------------------------------------------------------------------------------------------
# paper 1 Theorem 2 (upper bound) and Theorem 4 (Tiki-Taka)
# --------------------------------------------------------------------------------------------


@functools.cache
def _upper_num():
    K, fg, sigma, L, w, tau = sym.K, sym.f_gap, sym.sigma, sym.L, sym.w, sym.tau
    S = (w**2 / tau**2) / (1 - w**2 / tau**2)
    rate = 4 * sp.sqrt(fg * sigma**2 * L / K) / (1 - w**2 / tau**2)
    asym = 4 * sigma**2 * S
    return {
        "expr": rate + asym,
        "total": _lambdify((K, fg, sigma, L, w, tau), rate + asym),
        "asym": _lambdify((sigma, w, tau), asym),
    }


def asgd_upper_bound(
    K: ArrayLike, f_gap: ArrayLike, sigma: ArrayLike, L: ArrayLike, w_max: ArrayLike, tau: ArrayLike
) -> Real:
    """Paper 1 Theorem 2 with the proof's explicit constants (eq. (65)), as a function of K.

        (1/K) sum_k E||grad f(W_k)||^2 <= 4 sqrt(f_gap sigma^2 L / K)/(1 - w_max^2/tau^2)
                                          + 4 sigma^2 S(w_max),   S(w) = (w^2/tau^2)/(1 - w^2/tau^2)

    with alpha = sqrt(f_gap/(sigma^2 L K)) (the proof needs alpha <= 1/(2L), i.e.
    K >= 4 f_gap L/sigma^2; not enforced). S_K <= S(w_max) is used for the last term. The
    asymptotic term is an upper bound: on the lower-bound instance the stationary value is
    sigma^2 S (:func:`lower_bound_floor`), a quarter of it.

    Args:
        K: number of iterations, > 0 (array: the bound as a curve).
        f_gap: f(W_0) - f*, > 0.
        sigma: noise level, > 0.
        L: smoothness, > 0.
        w_max: bound on ||W_k||_inf, in [0, tau).
        tau: saturation level, > 0.

    Returns:
        float or array of the broadcast shape.
    """
    K = _positive("K", K)
    f_gap = _positive("f_gap", f_gap)
    sigma = _positive("sigma", sigma)
    L = _positive("L", L)
    tau = _positive("tau", tau)
    w_max = _inside("w_max", _nonneg("w_max", w_max), tau, "[0, tau)")
    broadcast({"K": K, "f_gap": f_gap, "sigma": sigma, "L": L, "w_max": w_max, "tau": tau})
    return _out(_upper_num()["total"](K, f_gap, sigma, L, w_max, tau))


def asgd_asymptotic_bound(sigma: ArrayLike, w_max: ArrayLike, tau: ArrayLike) -> Real:
    """The K -> infinity term of :func:`asgd_upper_bound`: 4 sigma^2 S(w_max) (P1 Theorem 2)."""
    sigma = _nonneg("sigma", sigma)
    tau = _positive("tau", tau)
    w_max = _inside("w_max", _nonneg("w_max", w_max), tau, "[0, tau)")
    return _out(_upper_num()["asym"](sigma, w_max, tau))


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
        dim: D >= 1.
        sigma: total noise level, > 0.
        c: noise constant in (0, 1] (default sqrt(2/pi)).

    Returns:
        :class:`TikiTakaCondition` (fields broadcast over array inputs).
    """
    L = _positive("L", L)
    tau = _positive("tau", tau)
    D = integer("dim", dim, 1)
    sigma = _positive("sigma", sigma)
    c = param("c", c, 0.0, 1.0, high_open=False)
    broadcast({"L": L, "tau": tau, "sigma": sigma, "c": c})
    pmax2 = 41 * L**2 * tau**4 * D / (c**2 * sigma**2)
    ratio = 33 * pmax2 / tau**2
    sat = np.asarray(ratio) < 1
    sigma_min = np.sqrt(1353 * D) * L * tau / c
    return TikiTakaCondition(
        _out(np.sqrt(pmax2)), _out(ratio), bool(sat) if sat.ndim == 0 else sat, _out(sigma_min)
    )


# --------------------------------------------------------------------------------------------
# residual learning / Tiki-Taka with a shifted symmetric point
# --------------------------------------------------------------------------------------------


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


def residual_fixed_point_gradient(
    tau: ArrayLike, asymmetry: ArrayLike, noise_std: ArrayLike, *, zero_shift: bool = False
) -> Real:
    """The gradient left at the fixed point of residual learning on a shifted fast array, lr -> 0.

    Fast array LinearDevice(tau, asymmetry=c) without zero-shift: its symmetric point is c tau, and
    the fast array is stationary in mean at P = 0 only where grad f F(0) + E|grad f + eps| G(0) = 0,
    i.e. (F(0) = 1, G(0) = -c)::

        g = c E|g + eps|,   eps ~ N(0, noise_std^2)

    solved by vectorised bisection (g - c E|g + eps| is increasing in g, root in
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
    _positive("tau", tau)
    c = _asym("asymmetry", asymmetry)
    s = _nonneg("noise_std", noise_std)
    if not isinstance(zero_shift, (bool, np.bool_)):
        raise TypeError(f"zero_shift must be True or False, got {type(zero_shift).__name__}")
    shape = broadcast({"tau": tau, "asymmetry": c, "noise_std": s})
    c, s = (np.broadcast_to(np.asarray(x, float), shape) for x in (c, s))
    if zero_shift:
        return _out(np.zeros(shape))
    return _out(_residual_g(c, s))


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

    solved by fixed-point iteration with vectorised bisections. The mean-field picture needs W to
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
    gm = _nonneg("gamma", gamma)
    lr = _positive("lr", lr)
    iterations = integer("iterations", iterations, 1)
    if not isinstance(zero_shift, (bool, np.bool_)):
        raise TypeError(f"zero_shift must be True or False, got {type(zero_shift).__name__}")
    shape = broadcast(
        {
            "L": L,
            "w_star": w_star,
            "tau": tau,
            "asymmetry": c,
            "main_asymmetry": cw,
            "noise_std": s,
            "gamma": gm,
            "lr": lr,
        }
    )
    L, w_star, tau, c, cw, s, gm, lr = (
        np.broadcast_to(np.asarray(x, float), shape) for x in (L, w_star, tau, c, cw, s, gm, lr)
    )
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
        v = lr * V / (2 * kappa - lr * kappa**2)
        if np.any(kappa <= 0) or np.any(v <= 0):
            raise ValueError("no stable fast-array fixed point (lr too large for these parameters)")
        sd = np.sqrt(v)
        R = (W / tau - cw) / (1 - cw * W / tau)  # G_W/F_W of the main array
        if np.any(np.abs(R) >= 1):
            raise ValueError(
                "the main weight leaves the device range at the fixed point (|G/F| >= 1)"
            )
        # 2. mu/sd = R E|mu/sd + N(0,1)|: unique root, |m| <= |R| sqrt(2/pi)/(1 - |R|)
        bound = np.abs(R) * np.sqrt(2 / np.pi) / (1 - np.abs(R)) + 1e-300
        m = find_root(lambda x, R=R: x - R * _fnm(x, 1.0), -bound, bound)
        mu_new = m * sd
        delta = np.max(np.abs(mu_new - mu)) if mu.size else 0.0
        mu = mu_new
        if delta < 1e-13 and it > 2:
            break
    else:
        if delta > 1e-8:
            warnings.warn(
                f"residual_fixed_point: not converged (last change {delta:.2e})",
                RuntimeWarning,
                stacklevel=2,
            )
    g = stationary_g(mu, v)
    W = w_star + g / L - gm * mu
    lead = np.zeros(shape) if zero_shift else _residual_g(c, s)
    return ResidualFixedPoint(
        grad_mixed=_out(g),
        grad_w=_out(L * (W - w_star)),
        w=_out(W),
        p_mean=_out(mu),
        p_abs_mean=_out(_fnm(mu, sd)),
        p_std=_out(sd),
        leading_order=_out(lead),
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
