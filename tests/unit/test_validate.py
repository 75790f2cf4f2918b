"""analogkit._validate.find_root against closed-form roots and scipy.optimize.brentq."""

import numpy as np
import pytest
import scipy.optimize
import scipy.special

from analogkit._validate import find_root

EPS = np.finfo(float).eps


def test_scalar_bracket_in_either_order():
    for lo, hi in [(0.0, 2.0), (2.0, 0.0)]:
        root = find_root(lambda x: x**2 - 2, lo, hi)
        assert root.shape == ()
        assert root == pytest.approx(np.sqrt(2), rel=2 * EPS)


def test_arrays_of_brackets_match_closed_forms():
    rng = np.random.default_rng(0)
    p = rng.uniform(-50, 50, (4, 30))
    q = rng.uniform(0.1, 50, (4, 30))
    # the brackets broadcast, and `fun` closes over full-shape arrays (here p and q)
    np.testing.assert_allclose(find_root(lambda x: x**3 - p, -4.0, 4.0), np.cbrt(p), rtol=4 * EPS)
    root = find_root(lambda x: x * np.exp(x) - q, np.full((4, 1), 3.0), 0.0)
    np.testing.assert_allclose(root, scipy.special.lambertw(q).real, rtol=4 * EPS)


def test_agrees_with_brentq_on_each_element():
    rng = np.random.default_rng(1)
    c, s = rng.uniform(-0.9, 0.9, 25), rng.uniform(0.1, 2.0, 25)

    def f(x, c=c, s=s):
        return x - c * s * np.cos(x / s)

    root = find_root(f, -3 * s, 3 * s)
    ref = [
        scipy.optimize.brentq(lambda x, i=i: f(x, c[i], s[i]), -3 * s[i], 3 * s[i], xtol=1e-300)
        for i in range(25)
    ]
    np.testing.assert_allclose(root, ref, rtol=4 * EPS, atol=1e-300)


def test_a_root_at_an_end_is_returned_exactly():
    lo = np.array([1.0, 3.0, 0.5, 2.0, 1.0])
    hi = np.array([3.0, 1.0, 4.0, 2.0, 3.0])
    root = find_root(lambda x: (x - 1.0) * (x + 5.0), lo, hi)
    # both orders, a root strictly inside, and a single-point bracket (returned as it is)
    assert root[0] == 1.0 and root[1] == 1.0 and root[4] == 1.0
    assert root[2] == pytest.approx(1.0, rel=2 * EPS)
    assert root[3] == 2.0
    assert find_root(lambda x: x - 3.0, 1.0, 3.0) == 3.0


def test_no_sign_change_or_not_finite_raises():
    with pytest.raises(ValueError, match="change sign"):
        find_root(lambda x: x**2 + 1, -1.0, 1.0)
    with pytest.raises(ValueError, match="change sign"):
        find_root(lambda x: x - np.array([0.5, 5.0]), 0.0, 1.0)
    with pytest.raises(ValueError, match="change sign"):
        find_root(lambda x: np.full_like(x, np.nan), 0.0, 1.0)
    with pytest.raises(ValueError, match="lo must be finite"):
        find_root(lambda x: x, -np.inf, 1.0)


def test_bounded_iterations():
    with pytest.raises(RuntimeError, match="did not converge within maxiter = 3"):
        find_root(lambda x: np.tanh(x) - 0.5, -100.0, 100.0, maxiter=3)
    with pytest.raises(ValueError, match="maxiter"):
        find_root(lambda x: x, -1.0, 1.0, maxiter=0)
