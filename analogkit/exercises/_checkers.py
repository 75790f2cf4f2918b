"""Checkers: functions answer -> bool that compare a student's answer with an exercise's solution.

Each raises TypeError or ValueError with a readable reason for an answer it cannot read;
:func:`analogkit.exercises.check` prints that reason as part of "✗ not yet". Each also states what
it accepts, which the registry requires of every checker:

- ``checker.tolerance``: the tolerance in words ("to within 0.5 %", "to within ±0.001"), or None
  for an answer that is a word or a sign and has no tolerance;
- ``checker.describe(value)``: the expected answer as the answer key prints it;
- ``checker.near(answer)`` (numeric checkers only): True when the answer is within ten times the
  tolerance, for "close — give more digits".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from analogkit._validate import scalar

#: "close — give more digits" within this many times the tolerance
NEAR = 10.0

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


def _tolerance_words(rtol: float, atol: float) -> str:
    if atol <= 1e-9:  # the default atol only guards against a relative test at exactly 0
        return f"to within {rtol * 100:g} %"
    if rtol == 0:
        return f"to within ±{atol:g}"
    return f"to within {rtol * 100:g} % or ±{atol:g}"


def _numbers(value) -> str:
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return f"{float(arr):.6g}"
    return "(" + ", ".join(f"{x:.6g}" for x in arr.ravel()) + ")"


def close_to(
    solution: Callable[[], Any], rtol: float = 5e-3, atol: float = 1e-9
) -> Callable[[Any], bool]:
    """Checker: the answer (a number or an array of the solution's shape) is close to ``solution()``.

    Close means ``|answer − expected| ≤ atol + rtol·|expected|`` in every entry (``numpy.allclose``);
    ``near`` is the same with ten times both tolerances. At least one of ``rtol``, ``atol`` must be
    positive, and ``atol`` must exceed the default 1e-9 when ``rtol`` is 0.
    """
    rtol = scalar("rtol", rtol, 0.0, 1.0, low_open=False)
    atol = scalar("atol", atol, 0.0, np.inf, low_open=False)
    if rtol == 0 and atol <= 1e-9:
        raise ValueError(f"close_to needs rtol > 0 or atol > 1e-9, got rtol=0, atol={atol:g}")

    def _pair(answer):
        expected = np.asarray(solution(), dtype=float)
        got = _number_array("your answer", answer)
        if got.shape != expected.shape:
            what = (
                "a single number" if expected.ndim == 0 else f"an array of shape {expected.shape}"
            )
            raise ValueError(f"expected {what}, got shape {got.shape}")
        return got, expected

    def checker(answer) -> bool:
        got, expected = _pair(answer)
        return bool(np.allclose(got, expected, rtol=rtol, atol=atol))

    def near(answer) -> bool:
        got, expected = _pair(answer)
        return bool(np.allclose(got, expected, rtol=NEAR * rtol, atol=NEAR * atol))

    checker.rtol, checker.atol = rtol, atol
    checker.tolerance = _tolerance_words(rtol, atol)
    checker.near = near
    checker.describe = _numbers
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

    checker.tolerance = None
    checker.describe = lambda value: "'up'" if float(value) > 0 else "'down'"
    return checker


def one_of(solution: Callable[[], str], choices) -> Callable[[Any], bool]:
    """Checker for a word from ``choices`` (case and surrounding spaces ignored)."""
    choices = tuple(c.lower() for c in choices)

    def checker(answer) -> bool:
        if not isinstance(answer, str) or answer.strip().lower() not in choices:
            raise ValueError(f"answer one of {', '.join(repr(c) for c in choices)}, got {answer!r}")
        return answer.strip().lower() == str(solution()).lower()

    checker.choices = choices  # the tests pick a wrong answer from these
    checker.tolerance = None
    checker.describe = repr
    return checker
