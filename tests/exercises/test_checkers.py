"""The checkers (``analogkit.exercises._checkers``): tolerance, directions and words."""

from __future__ import annotations

import numpy as np
import pytest

from analogkit import exercises as ex


def test_close_to_tolerance():
    checker = ex.close_to(lambda: 0.2)
    assert checker(0.2005) and not checker(0.21)
    vector = ex.close_to(lambda: np.array([1.0, 2.0]))
    assert vector([1.0, 2.0]) and not vector([1.0, 2.1])
    with pytest.raises(ValueError, match="shape"):
        vector(1.0)


def test_direction_accepts_words_and_signs():
    down = ex.direction(lambda: -0.25)
    assert down("down") and down(" Decrease ") and down(-1) and down("-")
    assert not down("up") and not down(0.3)
    with pytest.raises(ValueError, match="'up' or 'down'"):
        down("sideways")


def test_one_of():
    checker = ex.one_of(lambda: "left", ("left", "right"))
    assert checker("Left ") and not checker("right")
    with pytest.raises(ValueError, match="one of"):
        checker("middle")


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({}, "to within 0.5 %"),
        ({"rtol": 0.01}, "to within 1 %"),
        ({"rtol": 0.0, "atol": 1e-3}, "to within ±0.001"),
        ({"rtol": 0.02, "atol": 0.005}, "to within 2 % or ±0.005"),
    ],
)
def test_close_to_states_its_tolerance(kwargs, words):
    assert ex.close_to(lambda: 1.0, **kwargs).tolerance == words


def test_close_to_absolute_tolerance():
    checker = ex.close_to(lambda: 0.0, rtol=0.0, atol=1e-3)
    assert checker(0.0009) and not checker(0.0011)


def test_near_is_ten_times_the_tolerance():
    checker = ex.close_to(lambda: 0.2, rtol=0.01)  # within ±0.002; near within ±0.02
    assert checker(0.2019) and not checker(0.2021)
    assert checker.near(0.2021) and checker.near(0.2199) and checker.near(0.1801)
    assert not checker.near(0.2201) and not checker.near(0.1799)
    vector = ex.close_to(lambda: np.array([1.0, -2.0]), rtol=0.0, atol=0.01)
    assert vector.near([1.05, -2.09]) and not vector.near([1.05, -2.11])
    with pytest.raises(ValueError, match="shape"):
        vector.near(1.0)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"rtol": 0.0}, ValueError, "rtol > 0 or atol > 1e-9"),
        ({"rtol": 0.0, "atol": 0.0}, ValueError, "rtol > 0 or atol > 1e-9"),
        ({"rtol": -0.01}, ValueError, "rtol must lie in"),
        ({"rtol": 1.0}, ValueError, "rtol must lie in"),
        ({"atol": float("nan")}, ValueError, "atol must be finite"),
        ({"rtol": "1%"}, TypeError, "rtol must be a real number"),
    ],
)
def test_close_to_refuses_tolerances_it_cannot_state(kwargs, error, match):
    with pytest.raises(error, match=match):
        ex.close_to(lambda: 1.0, **kwargs)


def test_word_checkers_have_no_tolerance_and_describe_the_answer():
    down = ex.direction(lambda: -0.25)
    assert down.tolerance is None and down.describe(-0.25) == "'down'"
    assert down.describe(0.1) == "'up'"
    word = ex.one_of(lambda: "left", ("left", "right"))
    assert word.tolerance is None and word.describe("left") == "'left'"
    assert ex.close_to(lambda: 1.0).describe(np.array([0.1234567, 2.0])) == "(0.123457, 2)"
