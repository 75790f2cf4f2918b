"""analogkit.theory._core: ak.theory.check, how a Step shows, every function's input checks."""

import numpy as np
import pytest
import sympy as sp

import analogkit as ak
from analogkit import theory as th

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", positive=True)


def test_check_returns_the_step_that_holds():
    step = ak.theory.check(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1, "Pythagoras")
    assert isinstance(step, ak.theory.Step)
    assert step.name == "Pythagoras" and step.holds() and step.simplified == 0
    # plain numbers and unnamed steps are fine too
    assert ak.theory.check(sp.Rational(1, 2) + sp.Rational(1, 3), sp.Rational(5, 6)).holds()


def test_check_raises_naming_the_step_that_fails():
    with pytest.raises(AssertionError, match="'off by one' does not hold.*simplifies to -1"):
        ak.theory.check(x, x + 1, "off by one")
    with pytest.raises(TypeError, match="name must be a string"):
        ak.theory.check(x, x, 3)


def test_check_applies_subs_before_simplifying():
    # sqrt(x^2) = |x| is not x for a real x, but it is after x -> y with y > 0
    with pytest.raises(AssertionError, match="root"):
        ak.theory.check(sp.sqrt(x**2), x, "root")
    step = ak.theory.check(sp.sqrt(x**2), x, "root", subs={x: y})
    assert step.subs == {x: y} and step.holds()


def test_a_step_shows_name_claim_and_tick():
    step = ak.theory.check(2 * x, x + x, "doubling")
    assert step._repr_markdown_() == "``doubling``: $2 x = 2 x$ ✓"
    assert ak.theory.check(x, x)._repr_markdown_() == "$x = x$ ✓"
    assert ak.theory.Step("wrong", x, 2 * x)._repr_markdown_().endswith("✗")
    # the plain repr stays one short line, also inside a Derivation's repr
    assert repr(step) == "Step('doubling')"
    derivation = ak.theory.response_decomposition("linear").derivation
    assert "Step('F = 1 - c w/tau')" in repr(derivation)


BAD = [
    (lambda: th.response_decomposition("quadratic"), ValueError, "family"),
    (lambda: th.response_decomposition(3), TypeError, "family"),
    (lambda: th.analog_update("nope"), ValueError, "family"),
    (lambda: th.asgd_drift("power"), ValueError, "family"),
    (lambda: th.folded_normal_mean(0.0, -1.0), ValueError, "s must lie"),
    (lambda: th.folded_normal_mean("a", 1.0), TypeError, "m must be"),
    (lambda: th.folded_normal_mean(np.nan, 1.0), ValueError, "m must be finite"),
    (lambda: th.folded_normal_mean([1.0, 2.0], [1.0, 2.0, 3.0]), ValueError, "broadcast"),
    (lambda: th.asgd_fixed_point(0.0, 0.5, 1.0, 0.3), ValueError, "L must lie"),
    (lambda: th.asgd_fixed_point(1.0, 0.5, -1.0, 0.3), ValueError, "tau must lie"),
    (lambda: th.asgd_fixed_point(1.0, 0.5, 1.0, -0.3), ValueError, "noise_std must lie"),
    (
        lambda: th.asgd_fixed_point(1.0, 0.5, 1.0, 0.3, asymmetry=1.0),
        ValueError,
        "asymmetry must lie",
    ),
    (lambda: th.asgd_fixed_point(1.0, [0.1, 0.2], [1.0, 2.0, 3.0], 0.3), ValueError, "broadcast"),
    (lambda: th.asgd_fixed_point(True, 0.5, 1.0, 0.3), TypeError, "L must be"),
    (lambda: th.asgd_stationary_moments(1.0, 0.5, 1.0, 0.3, lr=0.0), ValueError, "lr must lie"),
    (lambda: th.asgd_stationary_moments(1.0, 0.5, 1.0, 0.3, lr=5.0), ValueError, "lr must lie"),
    (lambda: th.implicit_penalty_minimiser(1.0, 0.5, 0.0, 0.3), ValueError, "tau must lie"),
    (
        lambda: th.implicit_penalty_minimiser(1.0, 2.0, 1.0, 0.3, asymmetry=0.6),
        ValueError,
        "w_star must satisfy",
    ),
    (lambda: th.penalty_point_eq43(1.0, np.inf, 1.0, 0.3), ValueError, "w_star must be finite"),
    (lambda: th.lower_bound_floor(0.1, 1.0, 1.0), ValueError, r"w must lie in \(-tau, tau\)"),
    (lambda: th.lower_bound_floor(-0.1, 0.5, 1.0), ValueError, "sigma must lie"),
    (lambda: th.lower_bound_floor(0.1, 0.5, 1.0, dim=0), ValueError, "dim must be"),
    (lambda: th.lower_bound_floor(0.1, 0.5, 1.0, dim=1.5), TypeError, "dim must be"),
    (lambda: th.lower_bound_stationary_w(0.1, 2.0, 1.0), ValueError, "w_star must lie"),
    (lambda: th.lower_bound_stationary_moments(0.1, 0.2, 1.0, lr=-1.0), ValueError, "lr must lie"),
    (lambda: th.saturation(0.5, 0.0), ValueError, "tau must lie"),
    (lambda: th.asgd_upper_bound(0, 1.0, 0.1, 1.0, 0.5, 1.0), ValueError, "K must lie"),
    (lambda: th.asgd_upper_bound(10, 1.0, 0.1, 1.0, 1.0, 1.0), ValueError, "w_max must lie"),
    (lambda: th.asgd_upper_bound(10, 1.0, 0.1, 1.0, -0.1, 1.0), ValueError, "w_max must lie"),
    (lambda: th.asgd_asymptotic_bound(0.1, 2.0, 1.0), ValueError, "w_max must lie"),
    (lambda: th.tiki_taka_pmax(1.0, 1.0, 0, 1.0), ValueError, "dim must be"),
    (lambda: th.tiki_taka_pmax(1.0, 1.0, 1, 0.0), ValueError, "sigma must lie"),
    (lambda: th.tiki_taka_pmax(1.0, 1.0, 1, 1.0, c=1.5), ValueError, "c must lie"),
    (lambda: th.residual_fixed_point_gradient(3.5, -1.0, 0.3), ValueError, "asymmetry must lie"),
    (
        lambda: th.residual_fixed_point_gradient(3.5, 0.1, 0.3, zero_shift="yes"),
        TypeError,
        "zero_shift",
    ),
    (lambda: th.residual_fixed_point_gradient(0.0, 0.1, 0.3), ValueError, "tau must lie"),
    (
        lambda: th.residual_fixed_point(1.0, 0.5, 3.5, 0.1, 0.3, 0.4, -0.1),
        ValueError,
        "lr must lie",
    ),
    (
        lambda: th.residual_fixed_point(1.0, 0.5, 3.5, 0.1, 0.3, -0.4, 0.1),
        ValueError,
        "gamma must lie",
    ),
    (
        lambda: th.residual_fixed_point(1.0, 4.0, 3.5, 0.1, 0.3, 0.4, 0.1),
        ValueError,
        "w_star must lie",
    ),
    (
        lambda: th.residual_fixed_point(1.0, 0.5, 3.5, 0.1, 0.0, 0.4, 0.1),
        ValueError,
        "noise_std must lie",
    ),
    (
        lambda: th.tiki_taka_fixed_point(1.0, 0.5, 1.0, 0.3, 0.1, asymmetry=2.0),
        ValueError,
        "asymmetry must lie",
    ),
]


@pytest.mark.parametrize("call, exc, match", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_inputs_raise(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
