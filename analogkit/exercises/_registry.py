"""The exercise registry: :data:`EXERCISES`, :func:`add`, :func:`check` and :func:`notebook`.

An exercise's id is "NN.k": the notebook NN comes from the module that registers it
(``analogkit/exercises/nbNN.py``), the number k from its one ``exercise(k, ...)`` call there.

Every exercise states its tolerance: the checker must carry one (``_checkers``), and a prompt that
does not state it gets it appended; a prompt that states another one is refused. ``check`` answers
"close — give more digits" to a numeric answer within ten times the tolerance but not within it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from analogkit.exercises._checkers import NEAR, close_to

__all__ = ["Exercise", "EXERCISES", "add", "check", "notebook"]


@dataclass(frozen=True)
class Exercise:
    """One exercise.

    Attributes:
        prompt: the question in one or two sentences (the notebook states it in full), with the
            checker's tolerance.
        checker: answer -> bool; may raise TypeError/ValueError for an unreadable answer. It states
            its tolerance (``checker.tolerance``, None for a word or a sign).
        hint: printed after "✗ not yet:"; points the way without giving the answer.
        solution: () -> the right answer, computed with analogkit.
        note: printed after "✓ correct" (what the answer means); may be empty.
    """

    prompt: str
    checker: Callable[[Any], bool]
    hint: str
    solution: Callable[[], Any]
    note: str = ""

    @property
    def tolerance(self) -> str | None:
        """The tolerance in words ("to within 0.5 %"), or None for a word or a sign."""
        return self.checker.tolerance

    def expected(self) -> str:
        """The right answer as text, with its tolerance."""
        value = self.checker.describe(self.solution())
        return f"{value} ({self.tolerance})" if self.tolerance else value


#: exercise id ("NN.k": notebook number, exercise number) -> Exercise, in notebook order
EXERCISES: dict[str, Exercise] = {}

_ID = re.compile(r"^\d\d\.\d+$")
_MODULE = re.compile(r"^(?:.*\.)?nb(\d\d)$")
#: a tolerance stated in a prompt: "to within 1 %", "within ±0.002", "(0.5 % tolerance)"
_STATED = re.compile(r"within\s*±?\s*\d[\d.]*(?:e-?\d+)?\s*%?|\d[\d.]*\s*%\s*tolerance")


def _with_tolerance(id: str, prompt: str, tolerance: str | None) -> str:
    """``prompt`` stating ``tolerance``: appended if the prompt states none, refused if another."""
    if tolerance is None:
        return prompt
    amount = tolerance.removeprefix("to within ")
    if amount in prompt:
        return prompt
    stated = _STATED.search(prompt)
    if stated:
        raise ValueError(
            f"exercise {id!r}: the prompt states {stated.group(0)!r}, but its checker accepts "
            f"answers {tolerance}"
        )
    return f"{prompt.rstrip()} (Answer {tolerance}.)"


def add(
    id: str,
    prompt: str,
    solution: Callable[[], Any],
    hint: str,
    checker: Callable[[Any], bool] | None = None,
    note: str = "",
) -> Exercise:
    """Register an exercise under ``id`` ("NN.k"); the checker defaults to :func:`close_to`."""
    if not isinstance(id, str) or not _ID.match(id):
        raise ValueError(f"exercise id must look like '01.2' (notebook.number), got {id!r}")
    if id in EXERCISES:
        raise ValueError(f"exercise {id!r} is already registered")
    checker = checker or close_to(solution)
    if not hasattr(checker, "tolerance") or not hasattr(checker, "describe"):
        raise ValueError(
            f"exercise {id!r}: its checker must state its tolerance (checker.tolerance, None for a "
            "word or a sign) and describe the answer (checker.describe); use close_to, direction "
            "or one_of, or set both attributes"
        )
    prompt = _with_tolerance(id, prompt, checker.tolerance)
    ex = Exercise(prompt, checker, hint, solution, note)
    EXERCISES[id] = ex
    return ex


def check(id: str, answer) -> bool | None:
    """Check an answer, print the verdict, and return True (correct), False (not yet) or None.

    Never raises for the answer (a malformed one is "not yet" with the reason); an unknown ``id``
    raises ValueError listing the valid ones.

    Args:
        id: the exercise id, e.g. "01.1".
        answer: the student's answer; None means not answered yet.

    Returns:
        True, False, or None when ``answer`` is None.
    """
    if id not in EXERCISES:
        raise ValueError(f"unknown exercise {id!r}; valid ids: {', '.join(EXERCISES)}")
    ex = EXERCISES[id]
    if answer is None:
        print(f"… {id} not answered yet: set `answer` in the cell above, then run this cell again.")
        return None
    try:
        ok = bool(ex.checker(answer))
        near = not ok and hasattr(ex.checker, "near") and ex.checker.near(answer)
        reason = ""
    except Exception as exc:  # a malformed answer is "not yet", never a traceback
        ok, near, reason = False, False, f"{exc}. "
    if ok:
        print(f"✓ correct ({id})" + (f": {ex.note}" if ex.note else ""))
        return True
    if near:
        print(
            f"✗ close — give more digits ({id}): your answer is within {NEAR:g}× the tolerance, "
            f"but not {ex.tolerance}."
        )
        return False
    print(f"✗ not yet ({id}): {reason}{ex.hint}")
    return False


def notebook(module: str) -> Callable[..., Exercise]:
    """The ``add`` of one notebook, for its module ``nbNN`` (pass ``__name__``).

    ``exercise = notebook(__name__)`` in ``nb01.py``, then ``exercise(2, prompt=..., ...)``
    registers "01.2"; the other arguments are those of :func:`add`.
    """
    match = _MODULE.match(module)
    if not match:
        raise ValueError(f"exercise modules are named nbNN (notebook NN), got {module!r}")
    nb = match.group(1)

    def exercise(
        number: int,
        prompt: str,
        solution: Callable[[], Any],
        hint: str,
        checker: Callable[[Any], bool] | None = None,
        note: str = "",
    ) -> Exercise:
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise ValueError(f"exercise number must be a positive int, got {number!r}")
        return add(f"{nb}.{number}", prompt, solution, hint, checker, note)

    return exercise
