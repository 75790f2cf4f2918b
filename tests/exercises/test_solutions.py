"""Every exercise of nb00.py ... nb05.py: its checker accepts its own solution and rejects a wrong
answer, and ``check`` prints the verdict without raising."""

from __future__ import annotations

import numpy as np
import pytest

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
