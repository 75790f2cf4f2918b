"""The handouts of tools/handouts.py: the student copy runs top to bottom without its solutions,
and the answer key's executed solutions are all accepted by the checker.

Both execute every notebook once (the student copy in a temporary folder, the answer key with its
solutions), one test per notebook so that a failure names it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

from analogkit.exercises import EXERCISES

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import handouts  # noqa: E402  (tools/ is not a package)

NOTEBOOKS = handouts.sources()
WITH_EXERCISES = [
    p
    for p in NOTEBOOKS
    if any(handouts.is_solution(c) for c in nbformat.read(p, as_version=4).cells)
]
CHECK_ONLY = re.compile(
    r"""^\s*ak\.exercises\.check\(\s*["']([^"']+)["']\s*,\s*answer\s*\);?\s*$"""
)

pytestmark = pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks yet")


def _ids(paths):
    return [p.name for p in paths]


def test_student_copy_has_no_solutions_and_keeps_everything_else(tmp_path):
    written = handouts.write_student(tmp_path)
    assert [p.name for p in written] == [p.name for p in NOTEBOOKS]
    for path in NOTEBOOKS:
        original = nbformat.read(path, as_version=4)
        copy = nbformat.read(tmp_path / path.name, as_version=4)
        nbformat.validate(copy)
        assert len(copy.cells) == len(original.cells), path.name
        for before, after in zip(original.cells, copy.cells):
            if handouts.is_solution(before):
                ex_id = handouts.exercise_id(before)
                assert after.cell_type == "markdown", f"{path.name}: solution {ex_id} kept"
                assert after.source == handouts.REMOVED.format(id=ex_id)
            else:
                assert after == before, f"{path.name}: a cell that is not a solution changed"
        assert "# Solution (click to reveal)" not in "".join(c.source for c in copy.cells)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_student_copy_runs_top_to_bottom(path, tmp_path):
    """Nothing after an exercise needs its solution, and every check says "not answered yet"."""
    (copy_path,) = handouts.write_student(tmp_path, [path])
    nb = handouts.execute(nbformat.read(copy_path, as_version=4), tmp_path)
    for i, cell in enumerate(nb.cells):
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        assert not errors, f"{path.name} cell {i}: {errors[0].ename}: {errors[0].evalue}"
        match = CHECK_ONLY.match(cell.source) if cell.cell_type == "code" else None
        if match:
            assert handouts.output_text(cell).startswith(f"… {match.group(1)} not answered yet"), (
                f"{path.name} cell {i}: the check of an unanswered exercise printed "
                f"{handouts.output_text(cell)!r}"
            )


@pytest.mark.slow
@pytest.mark.parametrize("path", WITH_EXERCISES, ids=_ids(WITH_EXERCISES))
def test_answer_key_solutions_are_correct(path):
    section, executed = handouts.answer_key(path)
    solved = handouts.solved(executed)
    ids = [ex_id for ex_id, _, _ in solved]
    registered = [i for i in EXERCISES if i.startswith(path.name[:2] + ".")]
    assert ids == registered, f"{path.name}: solutions {ids}, registered exercises {registered}"
    for ex_id, _, output in solved:
        assert f"✓ correct ({ex_id})" in output, (
            f"{path.name}: the solution of {ex_id} printed {output!r}"
        )
        assert f"### Exercise {ex_id}" in section
        assert f"**Expected answer:** {EXERCISES[ex_id].expected()}" in section
        assert output.rstrip() in section
