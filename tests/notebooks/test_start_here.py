"""The way in: the README's "Start here", notebook 00's and docs/teaching.md agree with each other
and with the notebooks.

The three notebook tables name the same notebooks with the same times and levels, their times add
up to the stated total, and every section ("01 §4") and exercise ("exercise 01.4") docs/teaching.md
refers to exists in that notebook.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from analogkit.exercises import EXERCISES

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
TEACHING = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")

#: a table row: | [title](…file.ipynb) | 45 min | core; §6 advanced | …
ROW = re.compile(
    r"^\|\s*\[[^\]]+\]\((?:\.\./)?(?:notebooks/)?([\w]+\.ipynb)\)\s*\|\s*(\d+) min\s*\|([^|]*)\|"
)
TOTAL = re.compile(r"(\d+)–(\d+) hours")

pytestmark = pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks yet")


def _start_here_00() -> str:
    nb = nbformat.read(ROOT / "notebooks" / "00_welcome.ipynb", as_version=4)
    cells = [c.source for c in nb.cells if c.source.lstrip().startswith("## Start here")]
    assert len(cells) == 1, "notebook 00 needs one markdown cell starting with '## Start here'"
    return cells[0]


def _readme_start_here() -> str:
    match = re.search(r"^## Start here$(.*?)^## (?!#)", README, re.S | re.M)
    assert match, "README.md has no '## Start here' section"
    return match.group(1)


def _rows(text: str) -> dict[str, tuple[int, str]]:
    rows = {}
    for line in text.splitlines():
        match = ROW.match(line)
        if match:
            name, minutes, level = match.groups()
            assert name not in rows, f"{name} listed twice"
            rows[name] = (int(minutes), level.strip())
    return rows


TABLES = {
    "README Start here": lambda: _rows(_readme_start_here()),
    "notebook 00 Start here": lambda: _rows(_start_here_00()),
    "docs/teaching.md": lambda: _rows(TEACHING.split("\n## ", 2)[1]),
}


@pytest.mark.parametrize("where", TABLES)
def test_each_table_lists_every_notebook_in_order(where):
    assert list(TABLES[where]()) == [p.name for p in NOTEBOOKS], (
        f"{where}: the notebook table must list every notebook, in order"
    )


def test_the_tables_give_the_same_times_and_levels():
    readme, *others = (TABLES[w]() for w in TABLES)
    for where, table in zip(list(TABLES)[1:], others):
        assert table == readme, f"{where} differs from the README: {table} != {readme}"


@pytest.mark.parametrize("where", TABLES)
def test_the_levels_are_core_or_advanced(where):
    for name, (_, level) in TABLES[where]().items():
        assert re.fullmatch(r"(core|advanced)(; (§\d+(–\d+)?) advanced)?", level), (
            f"{where}: {name} has level {level!r}"
        )


@pytest.mark.parametrize(
    "where, text",
    [("README", None), ("notebook 00", None), ("docs/teaching.md", TEACHING)],
)
def test_the_stated_total_time_holds(where, text):
    text = text or (_readme_start_here() if where == "README" else _start_here_00())
    stated = TOTAL.findall(text)
    assert stated, f"{where}: no 'N–M hours' total"
    total = sum(m for m, _ in TABLES["README Start here"]().values()) / 60
    for lo, hi in stated:
        assert int(lo) <= total <= int(hi), (
            f"{where}: {lo}–{hi} hours, the table adds to {total:.1f}"
        )


def test_readme_starts_with_learners_not_with_make_test():
    assert README.index("## Start here") < README.index("make test")
    assert (
        README.index("make lab") < README.index("## For contributors") < README.index("make test")
    )
    assert 'pip install -e ".[notebooks]"' in _readme_start_here()


@pytest.mark.parametrize(
    "link",
    [
        "https://arxiv.org/abs/2406.12774",
        "https://arxiv.org/abs/2502.06309",
        "https://arxiv.org/abs/2510.02516",
        "https://arxiv.org/abs/2410.15155",
        "https://doi.org/10.1038/s41467-024-51221-z",
    ],
)
def test_readme_links_the_papers(link):
    assert f"]({link})" in _readme_start_here()


def _sections(number: str) -> set[int]:
    (path,) = [p for p in NOTEBOOKS if p.name.startswith(number + "_")]
    text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
    return {int(k) for k in re.findall(r"^## (\d+)\.", text, re.M)}


def test_teaching_sections_exist():
    refs = re.findall(r"\b(0\d) §(\d+)(?:–§(\d+))?", TEACHING)
    assert len(refs) > 20
    for number, first, last in refs:
        wanted = set(range(int(first), int(last or first) + 1))
        missing = wanted - _sections(number)
        assert not missing, f"docs/teaching.md cites {number} §{sorted(missing)}: no such section"


def test_teaching_exercises_exist():
    groups = re.findall(r"exercises? ((?:\d\d\.\d+(?:, | and )?)+)", TEACHING)
    ids = [i for g in groups for i in re.findall(r"\d\d\.\d+", g)]
    assert len(ids) > 10
    for ex_id in ids:
        assert ex_id in EXERCISES, f"docs/teaching.md names exercise {ex_id}, not registered"
