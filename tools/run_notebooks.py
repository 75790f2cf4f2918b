"""Re-execute notebooks in place, top to bottom, keeping outputs and execution counts.

Usage: python tools/run_notebooks.py notebooks/*.ipynb

Metadata is stripped (kernel spec, widget state, timings) so the files diff cleanly, and the
outputs of solution cells (tagged ``solution``) are cleared, so that a committed notebook shows no
answer: its check cell says "✓ correct" only to a student who runs the solution. A notebook that
raises is reported and the script exits non-zero without rewriting it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

#: what a static reader sees instead of a widget (its repr would be a long, meaningless string)
WIDGET_PLACEHOLDER = (
    "[interactive dashboard: run this notebook in a live kernel (make lab) to use the sliders]"
)


def is_solution(cell) -> bool:
    """A solution cell: tagged ``solution`` (its source is collapsed and starts with
    "# Solution (click to reveal)")."""
    return "solution" in cell.get("metadata", {}).get("tags", [])


def strip(nb, keep_solutions: bool = False) -> None:
    """Strip ``nb`` for committing; also clear its solution cells' outputs unless
    ``keep_solutions`` (the answer key keeps them)."""
    nb.metadata = {}
    for cell in nb.cells:
        cell.metadata = {k: v for k, v in cell.metadata.items() if k in {"tags", "jupyter"}}
        if is_solution(cell) and not keep_solutions:
            cell.outputs = []
        for out in cell.get("outputs", []):
            if "metadata" in out:
                out["metadata"] = {}
            # widget views cannot be shown without a live kernel; keep their text fallback only
            data = out.get("data")
            if data and "application/vnd.jupyter.widget-view+json" in data:
                data.pop("application/vnd.jupyter.widget-view+json")
                data["text/plain"] = WIDGET_PLACEHOLDER


def execute(nb, cwd: Path, timeout: int = 600):
    """Execute ``nb`` top to bottom in a fresh python3 kernel started in ``cwd``; return it."""
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    ).execute()
    return nb


def run(path: Path, timeout: int = 600) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    execute(nb, path.parent, timeout)
    strip(nb)
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(paths) -> int:
    failed = 0
    for p in map(Path, paths):
        try:
            seconds = run(p)
            print(f"{p}: executed in {seconds:.1f} s")
        except Exception as exc:  # report and go on with the others
            failed += 1
            print(f"{p}: FAILED: {type(exc).__name__}: {str(exc)[-2000:]}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
