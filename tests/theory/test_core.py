"""analogkit.theory._core: ak.theory.check and how a Step shows in a notebook."""

import pytest
import sympy as sp

import analogkit as ak

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
