"""The registry (``analogkit.exercises._registry``): ids, numbering and ``check``."""

from __future__ import annotations

import numpy as np
import pytest

from analogkit import exercises as ex
from analogkit.exercises import EXERCISES, _registry, check

#: the ids the notebooks call
NOTEBOOK_IDS = [
    "00.1", "00.2",
    "01.1", "01.2", "01.3", "01.4",
    "02.1", "02.2", "02.3",
    "03.1", "03.2", "03.3",
    "04.1", "04.2", "04.3", "04.4",
    "05.1", "05.2", "05.3",
    "06.1", "06.2", "06.3",
    "07.1", "07.2", "07.3",
]  # fmt: skip


def test_ids_are_those_the_notebooks_call():
    assert list(EXERCISES) == NOTEBOOK_IDS


def test_ids_are_in_notebook_order():
    ids = list(EXERCISES)
    assert ids == sorted(ids, key=lambda i: tuple(int(p) for p in i.split(".")))


def test_each_notebook_module_registers_its_notebook():
    """An exercise's notebook is the module it is written in: nb01.py registers "01.k"."""
    seen = []
    for module in ex.NOTEBOOKS:
        ids = [i for i, e in EXERCISES.items() if e.solution.__module__ == module.__name__]
        assert ids, module.__name__
        assert all(module.__name__.endswith(f".nb{i.split('.')[0]}") for i in ids), ids
        seen += ids
    assert seen == list(EXERCISES)


def test_notebook_numbers_the_exercise(monkeypatch):
    monkeypatch.setattr(_registry, "EXERCISES", {})
    exercise = _registry.notebook("analogkit.exercises.nb07")
    registered = exercise(3, "p, to within 0.5 %", lambda: 1.0, "h", note="n")
    assert _registry.EXERCISES == {"07.3": registered}
    assert (registered.prompt, registered.hint, registered.note) == ("p, to within 0.5 %", "h", "n")
    assert registered.checker(1.0) and not registered.checker(2.0)


@pytest.mark.parametrize("module", ["analogkit.exercises.intro", "nb1", "nb001"])
def test_notebook_needs_an_nbNN_module(module):
    with pytest.raises(ValueError, match="named nbNN"):
        _registry.notebook(module)


@pytest.mark.parametrize("number", [0, -1, 1.0, "2", True])
def test_notebook_needs_a_positive_number(number):
    exercise = _registry.notebook("analogkit.exercises.nb01")
    with pytest.raises(ValueError, match="positive int"):
        exercise(number, "p", lambda: 1.0, "h")


def test_a_number_is_registered_once():
    exercise = _registry.notebook("analogkit.exercises.nb01")
    with pytest.raises(ValueError, match="'01.1' is already registered"):
        exercise(1, "p", lambda: 1.0, "h")


def test_add_validates_ids():
    ids = list(EXERCISES)
    with pytest.raises(ValueError, match="already registered"):
        ex.add(ids[0], "p", lambda: 1.0, "h")
    with pytest.raises(ValueError, match="look like"):
        ex.add("1.1", "p", lambda: 1.0, "h")


def test_unknown_id_lists_the_valid_ones():
    with pytest.raises(ValueError, match="valid ids: .*01.1"):
        check("99.9", 1.0)


def _registry_sandbox(monkeypatch):
    monkeypatch.setattr(_registry, "EXERCISES", {})
    return _registry.notebook("analogkit.exercises.nb07")


def test_a_checker_must_state_its_tolerance(monkeypatch):
    exercise = _registry_sandbox(monkeypatch)
    with pytest.raises(ValueError, match="must state its tolerance"):
        exercise(1, "p?", lambda: 1.0, "h", checker=lambda answer: answer == 1.0)
    assert _registry.EXERCISES == {}


def test_a_prompt_without_a_tolerance_gets_the_checkers(monkeypatch):
    exercise = _registry_sandbox(monkeypatch)
    registered = exercise(1, "How far?", lambda: 1.0, "h", checker=ex.close_to(lambda: 1.0, 0.01))
    assert registered.prompt == "How far? (Answer to within 1 %.)"
    assert registered.tolerance == "to within 1 %"
    assert registered.expected() == "1 (to within 1 %)"


@pytest.mark.parametrize("prompt", ["How far, to within 1 %?", "How far? (1 % tolerance)"])
def test_a_prompt_that_states_the_tolerance_is_kept(monkeypatch, prompt):
    exercise = _registry_sandbox(monkeypatch)
    registered = exercise(1, prompt, lambda: 1.0, "h", checker=ex.close_to(lambda: 1.0, 0.01))
    assert registered.prompt == prompt


@pytest.mark.parametrize(
    "prompt", ["How far, to within 2 %?", "How far? (0.5 % tolerance)", "within ±0.01?"]
)
def test_a_prompt_that_states_another_tolerance_is_refused(monkeypatch, prompt):
    exercise = _registry_sandbox(monkeypatch)
    with pytest.raises(ValueError, match="but its checker accepts answers to within 1 %"):
        exercise(1, prompt, lambda: 1.0, "h", checker=ex.close_to(lambda: 1.0, 0.01))


def test_a_word_answer_states_no_tolerance(monkeypatch):
    exercise = _registry_sandbox(monkeypatch)
    registered = exercise(1, "Up or down?", lambda: -1.0, "h", checker=ex.direction(lambda: -1.0))
    assert registered.prompt == "Up or down?" and registered.expected() == "'down'"


@pytest.mark.parametrize("ex_id", NOTEBOOK_IDS)
def test_every_prompt_states_its_tolerance(ex_id):
    exercise = EXERCISES[ex_id]
    if exercise.tolerance is None:
        assert not hasattr(exercise.checker, "near"), f"{ex_id}: a numeric checker without one"
    else:
        assert exercise.tolerance.removeprefix("to within ") in exercise.prompt


def _numeric_ids():
    return [i for i in NOTEBOOK_IDS if hasattr(EXERCISES[i].checker, "near")]


@pytest.mark.parametrize("ex_id", _numeric_ids())
def test_close_gives_more_digits_far_gives_the_hint(ex_id, capsys):
    exercise = EXERCISES[ex_id]
    expected = np.asarray(exercise.solution(), dtype=float)
    step = exercise.checker.atol + exercise.checker.rtol * np.abs(expected)  # one tolerance
    assert check(ex_id, expected + 3 * step) is False
    out = capsys.readouterr().out
    assert out.startswith(f"✗ close — give more digits ({ex_id})") and exercise.hint not in out
    assert exercise.tolerance in out
    assert check(ex_id, expected + 12 * step) is False
    out = capsys.readouterr().out
    assert out.startswith(f"✗ not yet ({ex_id})") and exercise.hint in out
    assert check(ex_id, expected + 0.5 * step) is True
