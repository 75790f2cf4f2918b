"""The two handouts made from the notebooks: the student copy and the instructor's answer key.

Usage: python tools/handouts.py student [DIR]   (make student DIR=...; DIR defaults to student/)
       python tools/handouts.py answers [DIR]   (make answers; DIR defaults to answers/)

``student`` copies every notebook with each solution cell replaced by a one-line note, keeping the
other cells and their outputs as committed. ``answers`` executes every notebook that has
exercises, solutions included, and writes ``answer_key.md`` (per exercise: the prompt, the expected
answer with its tolerance, the note, the hint a wrong answer gets, the solution's code and its
output) and the executed notebooks with their solution outputs. Both folders are git-ignored.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat
from run_notebooks import execute, is_solution, strip

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CHECK_CALL = re.compile(r"""ak\.exercises\.check\(\s*["']([^"']+)["']""")
REMOVED = "*The solution of exercise {id} is not part of the student copy.*"


def sources() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def exercise_id(cell) -> str:
    match = CHECK_CALL.search(cell.source)
    if not match:
        raise ValueError(f"a solution cell does not call ak.exercises.check: {cell.source[:80]!r}")
    return match.group(1)


def student_notebook(nb):
    """A copy of ``nb`` in which every solution cell is a markdown note naming its exercise."""
    nb = copy.deepcopy(nb)
    for i, cell in enumerate(nb.cells):
        if is_solution(cell):
            ex_id = exercise_id(cell)
            note = nbformat.v4.new_markdown_cell(REMOVED.format(id=ex_id))
            note.id = f"removed-solution-{ex_id.replace('.', '-')}"  # the same in every copy
            nb.cells[i] = note
    return nb


def write_student(dest: Path, paths=None) -> list[Path]:
    """Write the student copy of each notebook in ``paths`` (default: all) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths or sources():
        nb = student_notebook(nbformat.read(path, as_version=4))
        nbformat.write(nb, dest / path.name)
        written.append(dest / path.name)
    return written


def output_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif "text/plain" in out.get("data", {}):
            parts.append(out.data["text/plain"] + "\n")
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}\n")
    return "".join(parts)


def solved(nb) -> list[tuple[str, str, str]]:
    """(exercise id, solution source, its output text) for each solution cell of ``nb``."""
    return [(exercise_id(c), c.source, output_text(c)) for c in nb.cells if is_solution(c)]


def key_section(title: str, executed) -> str:
    """The answer key's Markdown for one executed notebook."""
    from analogkit.exercises import EXERCISES

    lines = [f"## {title}", ""]
    for ex_id, source, output in solved(executed):
        ex = EXERCISES[ex_id]
        lines += [
            f"### Exercise {ex_id}",
            "",
            f"**Prompt.** {ex.prompt}",
            "",
            f"**Expected answer:** {ex.expected()}",
            "",
        ]
        if ex.note:
            lines += [f"**What it means:** {ex.note}", ""]
        lines += [f"**Hint shown for a wrong answer:** {ex.hint}", ""]
        lines += ["Solution:", "", "```python", source.rstrip(), "```", ""]
        lines += ["Its output:", "", "```text", output.rstrip(), "```", ""]
    return "\n".join(lines)


def answer_key(path: Path):
    """Execute the notebook at ``path`` with its solutions; return (Markdown section, notebook)."""
    nb = execute(nbformat.read(path, as_version=4), path.parent)
    strip(nb, keep_solutions=True)
    title = nb.cells[0].source.lstrip().splitlines()[0].lstrip("# ").strip()
    return key_section(title, nb), nb


def write_answers(dest: Path, paths=None) -> Path:
    """Write ``answer_key.md`` and the executed notebooks with solution outputs into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    sections = [
        "# Answer key",
        "",
        "For instructors: every exercise of the notebooks, with the answer `ak.exercises.check` "
        "accepts and the output of the solution cell, executed by `make answers`. "
        "The executed notebooks beside this file keep their solution outputs.",
        "",
    ]
    for path in paths or sources():
        nb = nbformat.read(path, as_version=4)
        if not any(is_solution(c) for c in nb.cells):
            continue
        section, executed = answer_key(path)
        sections.append(section)
        nbformat.write(executed, dest / path.name)
        print(f"{path.name}: {len(solved(executed))} solutions executed")
    key = dest / "answer_key.md"
    key.write_text("\n".join(sections), encoding="utf-8")
    return key


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["student", "answers"])
    parser.add_argument("dest", nargs="?", help="output folder (default: student/ or answers/)")
    args = parser.parse_args(argv)
    dest = Path(args.dest or args.what)
    if args.what == "student":
        written = write_student(dest)
        print(f"{len(written)} student notebooks (no solution cells) in {dest}/")
    else:
        print(f"answer key: {write_answers(dest)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
