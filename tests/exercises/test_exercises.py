"""The exercise registry: every checker accepts its own solution and rejects a wrong answer."""

from __future__ import annotations

import numpy as np
import pytest

from analogkit import exercises as ex
from analogkit.exercises import EXERCISES, check

IDS = list(EXERCISES)


def _wrong(exercise, value):
    """A wrong answer of the right kind: another choice for words, the negation for numbers."""
    if isinstance(value, str):
        return next(c for c in exercise.checker.choices if c != value.lower())
    value = np.asarray(value, dtype=float)
    assert np.all(value != 0), "pick an exercise whose answer is not 0 (0 is too easy to guess)"
    return -value if value.ndim else -float(value)


@pytest.mark.parametrize("ex_id", IDS)
def test_checker_accepts_its_solution(ex_id):
    exercise = EXERCISES[ex_id]
    assert exercise.checker(exercise.solution()) is True


@pytest.mark.parametrize("ex_id", IDS)
def test_checker_rejects_a_wrong_answer(ex_id):
    exercise = EXERCISES[ex_id]
    assert exercise.checker(_wrong(exercise, exercise.solution())) is False


@pytest.mark.parametrize("ex_id", IDS)
def test_exercise_text(ex_id):
    exercise = EXERCISES[ex_id]
    assert exercise.prompt.strip() and exercise.hint.strip()


@pytest.mark.parametrize("ex_id", IDS)
def test_check_prints_and_returns(ex_id, capsys):
    exercise = EXERCISES[ex_id]
    assert check(ex_id, exercise.solution()) is True
    assert capsys.readouterr().out.startswith("✓ correct")
    assert check(ex_id, _wrong(exercise, exercise.solution())) is False
    out = capsys.readouterr().out
    assert out.startswith("✗ not yet") and exercise.hint in out
    assert check(ex_id, None) is None
    assert capsys.readouterr().out.startswith("… ")


@pytest.mark.parametrize(
    "garbage", ["banana", object(), [1.0, 2.0, 3.0], float("nan"), {"a": 1}, True]
)
@pytest.mark.parametrize("ex_id", IDS)
def test_check_never_raises_for_an_answer(ex_id, garbage, capsys):
    assert check(ex_id, garbage) is False
    assert capsys.readouterr().out.startswith("✗ not yet")


def test_unknown_id_lists_the_valid_ones():
    with pytest.raises(ValueError, match="valid ids: .*01.1"):
        check("99.9", 1.0)


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


def test_add_validates_ids():
    with pytest.raises(ValueError, match="already registered"):
        ex.add(IDS[0], "p", lambda: 1.0, "h")
    with pytest.raises(ValueError, match="look like"):
        ex.add("1.1", "p", lambda: 1.0, "h")


def test_ids_are_in_notebook_order():
    assert IDS == sorted(IDS, key=lambda i: tuple(int(p) for p in i.split(".")))
