"""The registry (``analogkit.exercises._registry``): ids, numbering and ``check``."""

from __future__ import annotations

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
    registered = exercise(3, "p", lambda: 1.0, "h", note="n")
    assert _registry.EXERCISES == {"07.3": registered}
    assert (registered.prompt, registered.hint, registered.note) == ("p", "h", "n")
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
