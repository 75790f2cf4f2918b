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
