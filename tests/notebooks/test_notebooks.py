"""Notebook hygiene: the conventions of README "Notebooks", checked without executing anything.

Every ``notebooks/*.ipynb`` is checked as soon as it lands. Executing the notebooks and comparing
their ``# NBVAL_CHECK_OUTPUT`` cells is nbval's job (``pytest --nbval-lax notebooks``); that the
solutions print "✓ correct" and that the student copies run is test_handouts.py's.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from analogkit.exercises import EXERCISES

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXPLORER = "explorer.ipynb"  # the one-page app: only a title is required
MAX_BYTES = 2 * 1024 * 1024

CHECK_CALL = re.compile(r"""ak\.exercises\.check\(\s*["']([^"']+)["']""")
SOLUTION_HEAD = "# Solution (click to reveal)"


def _ids(paths):
    return [p.name for p in paths]


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _text(nb) -> str:
    return "\n".join(c.source for c in nb.cells)


def _title(nb) -> str:
    first = nb.cells[0]
    assert first.cell_type == "markdown", "the first cell must be a markdown title"
    line = first.source.lstrip().splitlines()[0]
    assert re.match(r"^# \S", line), f"the first line must be a markdown H1 title, got {line!r}"
    return line[2:].strip()


def _is_solution(cell) -> bool:
    return "solution" in cell.metadata.get("tags", [])


def _outputs_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif "text/plain" in out.get("data", {}):
            parts.append(out.data["text/plain"])
    return "".join(parts)


pytestmark = pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks yet")
each = pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
each_lesson = pytest.mark.parametrize(
    "path",
    [p for p in NOTEBOOKS if p.name != EXPLORER],
    ids=_ids([p for p in NOTEBOOKS if p.name != EXPLORER]),
)


@each
def test_file_name_and_size(path):
    assert path.name == EXPLORER or re.match(r"^\d\d_[a-z0-9_]+\.ipynb$", path.name), path.name
    assert path.stat().st_size < MAX_BYTES, (
        f"{path.name} is {path.stat().st_size / 1e6:.2f} MB (limit 2 MB)"
    )


@each
def test_executed_in_order(path):
    counts = [c.execution_count for c in _code(_read(path))]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts}; re-run it with `make notebooks`"
    )


@each
def test_no_error_outputs(path):
    for i, cell in enumerate(_read(path).cells):
        for out in cell.get("outputs", []):
            assert out.output_type != "error", (
                f"{path.name} cell {i}: {out.get('ename')}: {out.get('evalue')}"
            )
            if out.output_type == "stream":
                assert out.name != "stderr" or "Traceback" not in out.text, f"{path.name} cell {i}"


@each
def test_metadata_stripped(path):
    nb = _read(path)
    assert "kernelspec" not in nb.metadata and "widgets" not in nb.metadata, (
        f"{path.name}: notebook metadata not stripped ({sorted(nb.metadata)}); run tools/run_notebooks.py"
    )
    for i, cell in enumerate(nb.cells):
        extra = set(cell.metadata) - {"tags", "jupyter"}
        assert not extra, f"{path.name} cell {i}: metadata {sorted(extra)} not stripped"
        for out in cell.get("outputs", []):
            assert "application/vnd.jupyter.widget-view+json" not in out.get("data", {}), (
                f"{path.name} cell {i}: widget view stored (it cannot render without a kernel)"
            )


@each
def test_title(path):
    title = _title(_read(path))
    if path.name != EXPLORER:
        assert re.match(r"^\d\d · \S", title), (
            f"{path.name}: title must read 'NN · Title', got {title!r}"
        )
        assert title[:2] == path.name[:2], f"{path.name}: title number {title[:2]} != file number"


@each_lesson
def test_lesson_sections(path):
    text = _text(_read(path))
    for heading in ("Learning objectives", "Summary"):
        assert heading in text, f"{path.name}: no {heading!r}"
    assert re.search(r"\*\*Next:?\*\*:?\s*\[", text) or "## Next" in text, (
        f"{path.name}: no Next link"
    )


@each_lesson
def test_checked_output_cells(path):
    checked = [
        c for c in _code(_read(path)) if c.source.lstrip().startswith("# NBVAL_CHECK_OUTPUT")
    ]
    assert checked, f"{path.name}: no cell starts with '# NBVAL_CHECK_OUTPUT'"
    for cell in checked:
        assert _outputs_text(cell).strip(), (
            f"{path.name}: a '# NBVAL_CHECK_OUTPUT' cell prints nothing"
        )


@each_lesson
def test_exercises(path):
    nb = _read(path)
    ids = CHECK_CALL.findall(_text(nb))
    assert len(set(ids)) >= 2, (
        f"{path.name}: needs at least two exercises, found {sorted(set(ids))}"
    )
    for ex_id in ids:
        assert ex_id in EXERCISES, (
            f"{path.name}: exercise {ex_id!r} is not registered in analogkit.exercises"
        )
        assert ex_id[:2] == path.name[:2], (
            f"{path.name}: exercise {ex_id!r} belongs to notebook {ex_id[:2]}"
        )
    solved = {
        CHECK_CALL.search(c.source).group(1)
        for c in _code(nb)
        if _is_solution(c) and CHECK_CALL.search(c.source)
    }
    assert solved == set(ids), (
        f"{path.name}: exercises without a solution cell: {sorted(set(ids) - solved)}"
    )


@each
def test_solution_cells(path):
    cells = _read(path).cells
    for i, cell in enumerate(cells):
        marked = cell.cell_type == "code" and cell.source.lstrip().startswith(SOLUTION_HEAD)
        if not (_is_solution(cell) or marked):
            continue
        where = f"{path.name} cell {i}"
        assert cell.cell_type == "code", f"{where}: a solution must be a code cell"
        assert _is_solution(cell), (
            f"{where}: starts with {SOLUTION_HEAD!r} but is not tagged 'solution'"
        )
        assert marked, f"{where}: a solution cell must start with {SOLUTION_HEAD!r}"
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, (
            f"{where}: source not hidden"
        )
        match = CHECK_CALL.search(cell.source)
        assert match, f"{where}: a solution re-runs ak.exercises.check(...)"
        before = cells[i - 1]
        assert CHECK_CALL.search(before.source) and not _is_solution(before), (
            f"{where}: the solution must follow its check cell"
        )
        assert not cell.get("outputs"), (
            f"{where}: a committed solution cell stores outputs (they show the answer); "
            "re-run the notebook with tools/run_notebooks.py, which clears them"
        )


@each
def test_relative_links_resolve(path):
    text = "\n".join(c.source for c in _read(path).cells if c.cell_type == "markdown")
    for target in re.findall(r"\]\(([^)#\s]+\.ipynb)\)", text):
        if "://" in target:
            continue
        assert (path.parent / target).exists(), f"{path.name}: dead link {target}"


def _readme_table():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- notebooks -->(.*?)<!-- /notebooks -->", text, re.S)
    assert match, "README.md has no <!-- notebooks --> ... <!-- /notebooks --> section"
    rows = [line for line in match.group(1).splitlines() if line.startswith("|")]
    return [
        m for line in rows for m in re.findall(r"\[([^\]]+)\]\(notebooks/([^)]+\.ipynb)\)", line)
    ]


def test_readme_lists_every_notebook_in_order():
    expected = [(_title(_read(p)), p.name) for p in NOTEBOOKS]
    assert _readme_table() == expected, (
        "README's notebook table must list every notebook's title and file, in order"
    )
