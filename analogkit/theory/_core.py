"""The machinery every derivation uses: the symbols, checked steps, lambdify, and input checks.

A :class:`Step` claims ``lhs == rhs`` and holds when ``lhs - rhs`` simplifies to 0; a
:class:`Derivation` is an ordered list of steps and the results they lead to. :func:`check` is
the notebooks' way to write one step and see it verified.
"""

from __future__ import annotations

import functools
import types
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from analogkit._validate import broadcast, integer, param

#: The symbols every expression of ``analogkit.theory`` is written in. Attribute names follow
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


@dataclass(frozen=True, repr=False)
class Step:
    """One step of a derivation: the claim ``lhs == rhs``.

    In a notebook a step shows as ``name: lhs = rhs ✓`` (✗ when it does not hold).

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

    def __repr__(self) -> str:
        return f"Step({self.name!r})"

    def _repr_markdown_(self) -> str:
        mark = "✓" if self.holds() else "✗"
        claim = f"${sp.latex(self.lhs)} = {sp.latex(self.rhs)}$ {mark}"
        return f"``{self.name}``: {claim}" if self.name else claim


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


def check(lhs, rhs, name: str = "", *, subs: dict | None = None) -> Step:
    """Check one step of a derivation: ``lhs - rhs`` (after ``subs``) must simplify to 0.

    The notebooks' way to write a derivation: a cell ending in ``ak.theory.check(a, b, "name")``
    shows ``name: a = b ✓``. Simplification is the one every derivation of
    ``analogkit.theory`` uses.

    Args:
        lhs, rhs: sympy expressions (or anything ``sympy.sympify`` accepts).
        name: what the step says, in words.
        subs: a substitution applied to ``lhs - rhs`` before simplifying, e.g. a
            reparametrisation that lets sympy see signs.

    Returns:
        The :class:`Step`, verified.

    Raises:
        AssertionError: naming the step, with what ``lhs - rhs`` simplified to, when it is not 0.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    step = Step(name, sp.sympify(lhs), sp.sympify(rhs), dict(subs or {}))
    if not step.holds():
        raise AssertionError(
            f"step {name!r} does not hold: lhs - rhs simplifies to {step.simplified}, not 0"
        )
    return step


# --------------------------------------------------------------------------------------------
# input checks, units and outputs of the numeric forms
# --------------------------------------------------------------------------------------------

#: noise_std / (L tau) below this is the noise -> 0 limit; above NOISE_MAX it is refused (the
#: root finders cannot resolve a fixed point that close to w* or to the symmetric point)
NOISE_MIN, NOISE_MAX = 1e-12, 1e20
#: |w_star| / tau above this is refused
RANGE_MAX = 1e20
#: the largest dim: every integer up to it is a float exactly
DIM_MAX = 2**53


def _positive(name, value):
    return param(name, value, 0.0)


def _nonneg(name, value):
    return param(name, value, 0.0, low_open=False)


def _real(name, value):
    return param(name, value)


def _asym(name, value):
    return param(name, value, -1.0, 1.0)


def _flag(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__}")


def _count(name, value, low):
    """An integer in [low, 2**53] (every integer up to DIM_MAX is a float exactly)."""
    count = integer(name, value, low)
    if count > DIM_MAX:
        raise ValueError(f"{name} must be an integer in [{low}, 2**53], got {count}")
    return count


def _dim(value):
    return _count("dim", value, 1)


def _first(mask, *arrays):
    """The values of `arrays` (one shape with `mask`) where `mask` is first True, as floats."""
    i = int(np.argmax(np.ravel(mask)))
    return [float(np.ravel(a)[i]) for a in arrays]


def _inside(name, value, tau, what="(-tau, tau)"):
    """|value| < tau element-wise, with broadcasting; the message shows the interval in numbers."""
    value = _real(name, value)
    broadcast({name: value, "tau": tau})
    v, t = np.broadcast_arrays(value, tau)
    bad = np.abs(v) >= t
    if np.any(bad):
        v, t = _first(bad, v, t)
        interval = what.replace("tau", f"{t:g}")
        raise ValueError(f"{name} must lie in {what} = {interval}, got {v!r}")
    return value


def _inputs(**named):
    """Validated inputs broadcast to one shape as float arrays, with a leading axis of length 1
    that :func:`_out` removes: a scalar is evaluated exactly as an array of one element (numpy's
    scalar arithmetic would round some powers differently)."""
    shape = broadcast(named)
    return [np.broadcast_to(np.asarray(x, float), shape)[None] for x in named.values()]


def _quadratic_inputs(L, w_star, tau, noise_std, asymmetry):
    """The inputs of a 1-D quadratic on LinearDevice(tau, asymmetry), broadcast to one shape."""
    return _inputs(
        L=_positive("L", L),
        w_star=_real("w_star", w_star),
        tau=_positive("tau", tau),
        noise_std=_nonneg("noise_std", noise_std),
        asymmetry=_asym("asymmetry", asymmetry),
    )


def _exponent(*factors):
    """The binary exponent e of the product of `factors`, or 0 where it lies within 2**±20.

    A numeric form evaluates in units of 2**e (weights in units of tau, gradients in units of
    L tau): dividing by a power of two is exact, no intermediate square over- or underflows, and
    inputs of ordinary size are evaluated exactly as they are.
    """
    e = sum(np.frexp(f)[1] for f in factors)
    return np.where(np.abs(e) > 20, e, 0)


def _quadratic_units(L, w_star, tau, s):
    """(L, w_star, tau, noise_std) in units of tau and L tau, and the two exponents ea, eb.

    Refuses |w*| > RANGE_MAX tau and noise_std > NOISE_MAX L tau.
    """
    ea, eb = _exponent(tau), _exponent(L, tau)
    Ls, ws, ts, ss = (
        np.ldexp(L, ea - eb),
        np.ldexp(w_star, -ea),
        np.ldexp(tau, -ea),
        np.ldexp(s, -eb),
    )
    far = np.abs(ws) > RANGE_MAX * ts
    if np.any(far):
        t, w = _first(far, tau, w_star)
        raise ValueError(
            f"w_star must lie in [-{RANGE_MAX:g} tau, {RANGE_MAX:g} tau] = "
            f"[{-RANGE_MAX * t:.4g}, {RANGE_MAX * t:.4g}] for tau = {t:g}, got {w!r}"
        )
    loud = ss > NOISE_MAX * Ls * ts
    if np.any(loud):
        L, t, s = _first(loud, L, tau, s)
        raise ValueError(
            f"noise_std must be at most {NOISE_MAX:g} L tau = {NOISE_MAX * L * t:.4g} for "
            f"L = {L:g}, tau = {t:g}, got {s!r}"
        )
    return (Ls, ws, ts, ss), ea, eb


def _finite(what, value, hint):
    """ValueError when a result is not finite: it exceeds the float range for these inputs."""
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{what} exceeds the float range (1.8e308) for these inputs: {hint}")


def _out(x):
    """A result without the leading axis of :func:`_inputs`: a float for scalar inputs."""
    x = np.asarray(x, dtype=float)[0] + 0.0  # + 0.0 turns -0.0 into 0.0
    return float(x) if x.ndim == 0 else x
