"""Checkers: functions answer -> bool that compare a student's answer with an exercise's solution.

Each raises TypeError or ValueError with a readable reason for an answer it cannot read;
:func:`analogkit.exercises.check` prints that reason as part of "✗ not yet".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["close_to", "direction", "one_of"]


def _number_array(name: str, value) -> np.ndarray:
    if isinstance(value, (str, bytes, bool, np.bool_)):
        raise TypeError(f"{name} should be a number, got {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} should be a number, got {type(value).__name__}") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} should be finite, got {value!r}")
    return arr


def close_to(
    solution: Callable[[], Any], rtol: float = 5e-3, atol: float = 1e-9
) -> Callable[[Any], bool]:
    """Checker: the answer (a number or an array of the solution's shape) is close to ``solution()``."""

    def checker(answer) -> bool:
        expected = np.asarray(solution(), dtype=float)
        got = _number_array("your answer", answer)
        if got.shape != expected.shape:
            what = (
                "a single number" if expected.ndim == 0 else f"an array of shape {expected.shape}"
            )
            raise ValueError(f"expected {what}, got shape {got.shape}")
        return bool(np.allclose(got, expected, rtol=rtol, atol=atol))

    return checker


_UP = {
    "up",
    "+",
    "+1",
    "1",
    "increase",
    "increases",
    "upwards",
    "upward",
    "positive",
    "higher",
    "right",
}
_DOWN = {
    "down",
    "-",
    "-1",
    "decrease",
    "decreases",
    "downwards",
    "downward",
    "negative",
    "lower",
    "left",
}


def direction(solution: Callable[[], float]) -> Callable[[Any], bool]:
    """Checker for "which way": ``solution()`` returns a signed number (its sign is the answer).

    Accepts "up"/"down" (and synonyms such as "increase", "+", "-"), or any number of that sign.
    """

    def checker(answer) -> bool:
        want = np.sign(float(solution()))
        if isinstance(answer, str):
            word = answer.strip().lower()
            if word in _UP:
                return want > 0
            if word in _DOWN:
                return want < 0
            raise ValueError(f"answer 'up' or 'down', got {answer!r}")
        return bool(np.sign(float(_number_array("your answer", answer))) == want)

    return checker


def one_of(solution: Callable[[], str], choices) -> Callable[[Any], bool]:
    """Checker for a word from ``choices`` (case and surrounding spaces ignored)."""
    choices = tuple(c.lower() for c in choices)

    def checker(answer) -> bool:
        if not isinstance(answer, str) or answer.strip().lower() not in choices:
            raise ValueError(f"answer one of {', '.join(repr(c) for c in choices)}, got {answer!r}")
        return answer.strip().lower() == str(solution()).lower()

    checker.choices = choices  # the tests pick a wrong answer from these
    return checker
