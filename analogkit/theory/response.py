"""Device response functions in sympy: F, G, the symmetric point, and the analog update.

* :func:`response_decomposition` -- q_plus, q_minus -> F, G and the symmetric point of the five
  device families: the linear family is P2 §1.1, the power and exponential families are P2
  camera-ready eqs. (148)-(149) (arXiv v3: (149) is (145)) with the linear family's asymmetry
  factors (1 ± c), which are analogkit's extension (P2 has no c in them), soft bounds is
  aihwkit's ``SoftBoundsDevice``. New: the exponential family has a closed-form symmetric point
  for every asymmetry c (G = 0 is a quadratic in exp(gamma w/tau)).
* :func:`analog_update` -- piecewise U_q(w, dw) = compact w + dw F - |dw| G (P1 eqs. (6)-(8)).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy as sp

from analogkit.theory._core import Derivation, Step, sym

#: the families derived here, by their names in ``analogkit.devices.FAMILIES``
FAMILIES = ("ideal", "linear", "soft bounds", "power", "exponential")


@dataclass(frozen=True)
class Response:
    """A device family's response in sympy.

    Attributes:
        family: the family name (a key of ``analogkit.devices.FAMILIES``).
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
    with exactly one positive root (the product of its roots is negative). ``devices.py`` uses the
    same closed form; the two agree (tests).

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
    """U_q(w, dw) in sympy (paper 1 eqs. (6)-(7), paper 2 camera-ready eqs. (3)-(5)).

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
