"""Reading an executed notebook's printed output, for the tests that pin its prose to its numbers."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NUMBER = r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?"


def printed(name: str, marker: str) -> str:
    """The printed text of the one code cell of notebook `name` whose source contains `marker`."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and marker in c.source]
    assert len(cells) == 1, f"{len(cells)} cells of {name} contain {marker!r}"
    parts = []
    for out in cells[0].get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif "text/plain" in out.get("data", {}):
            parts.append(out.data["text/plain"])
    text = "".join(parts)
    assert text, f"the cell of {name} with {marker!r} has no output: execute the notebook"
    return text


def prose(name: str) -> str:
    """All markdown of notebook `name`."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def numbers(line: str) -> list[float]:
    """Every number in a line of text, in order."""
    return [float(x) for x in re.findall(NUMBER, line)]


def after_equals(line: str) -> list[float]:
    """The numbers that follow an "= " in a line, in order (labels such as sigma^2 are skipped)."""
    return [float(x) for x in re.findall(r"= (" + NUMBER + ")", line)]


def line_with(text: str, start: str) -> str:
    """The one line of `text` that starts (after spaces) with `start`."""
    lines = [ln for ln in text.splitlines() if ln.strip().startswith(start)]
    assert len(lines) == 1, f"{len(lines)} lines start with {start!r}"
    return lines[0]


def cell_output(cells, start: str) -> str:
    """The printed text of the one code cell (not a solution) of `cells` whose source starts with
    `start`."""
    hits = [
        c
        for c in cells
        if c.cell_type == "code"
        and c.source.startswith(start)
        and "solution" not in c.metadata.get("tags", [])
    ]
    assert len(hits) == 1, f"{len(hits)} cells start with {start!r}"
    text = "".join(o.get("text", "") for o in hits[0].outputs if o.output_type == "stream")
    assert text, f"the cell starting with {start!r} printed nothing: execute the notebook"
    return text


def markdown(cells) -> str:
    """All markdown of `cells`."""
    return "\n".join(c.source for c in cells if c.cell_type == "markdown")
