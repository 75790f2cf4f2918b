"""A results table shaped like a paper's: cells of test accuracy (mean ± std over seeds), the
curves behind them, and the paper's orderings checked on them; stored as JSON, shown as markdown.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["Cell", "Ordering", "Table", "cell", "save_tables", "load_tables", "markdown"]


@dataclass(frozen=True)
class Cell:
    """Test accuracy in % of one setting: ``curve[e][s]`` after epoch e (0: the start) for seed
    s; ``mean`` and ``std`` (ddof = 1) of the final accuracies over the seeds that finished
    (a diverged seed is NaN and left out; ``diverged`` counts them)."""

    mean: float
    std: float
    curve: list
    diverged: int = 0


def cell(curve) -> Cell:
    """The Cell of an (epochs + 1, seeds) array of test accuracies in %."""
    curve = np.asarray(curve, dtype=float)
    final = curve[-1]
    ok = final[np.isfinite(final)]
    mean = float(ok.mean()) if ok.size else float("nan")
    std = float(ok.std(ddof=1)) if ok.size > 1 else 0.0
    rounded = np.round(curve, 4)
    listed = [[None if not np.isfinite(v) else float(v) for v in row] for row in rounded]
    return Cell(mean, std, listed, int(final.size - ok.size))


@dataclass(frozen=True)
class Ordering:
    """One ordering of the paper's table: whether it ``holds`` here, the numbers compared, and
    the reason shown where it does not."""

    claim: str
    holds: bool
    detail: str
    reason: str = ""


@dataclass(frozen=True)
class Table:
    """A table of :class:`Cell` s; ``cells[row][column]`` (a missing entry is shown as "–")."""

    name: str
    title: str
    paper: str
    settings: str
    rows: list
    columns: list
    cells: dict
    orderings: list = field(default_factory=list)
    epochs: int = 0
    seeds: int = 0
    quick: bool = False

    def get(self, row: str, column: str) -> Cell | None:
        """The cell at (row, column), or None where the table has none."""
        return self.cells.get(row, {}).get(column)

    def mean(self, row: str, column: str) -> float:
        """The mean test accuracy (%) at (row, column)."""
        c = self.get(row, column)
        if c is None:
            raise KeyError(f"{self.name} has no cell ({row!r}, {column!r})")
        return c.mean

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Table:
        d = dict(d)
        d["cells"] = {r: {c: Cell(**v) for c, v in cols.items()} for r, cols in d["cells"].items()}
        d["orderings"] = [Ordering(**o) for o in d["orderings"]]
        return cls(**d)


def _fmt(c: Cell | None) -> str:
    if c is None:
        return "–"
    if not np.isfinite(c.mean):
        return "diverged"
    text = f"{c.mean:.2f} ± {c.std:.2f}"
    return text + (f" ({c.diverged} diverged)" if c.diverged else "")


def markdown(tables) -> str:
    """The tables as markdown, each with its settings, the paper's table and the orderings."""
    lines = [
        "# Networks: the papers' real-data tables on an analog MLP",
        "",
        "Written by `python -m analogkit networks` (and `make figures`) from seeded runs: test "
        "accuracy (%) of a 64-32-10 MLP on scikit-learn's digits, mean ± std over the seeds. The "
        "papers' decimals need aihwkit's periphery and their networks; only their orderings are "
        "the target.",
        "",
    ]
    for t in tables:
        lines += [f"## {t.title}", "", t.settings, ""]
        lines.append("| | " + " | ".join(t.columns) + " |")
        lines.append("|---" * (len(t.columns) + 1) + "|")
        for row in t.rows:
            lines.append(f"| {row} | " + " | ".join(_fmt(t.get(row, c)) for c in t.columns) + " |")
        lines += ["", f"**The paper.** {t.paper}", "", "**Orderings of the paper's table:**", ""]
        for o in t.orderings:
            if o.holds:
                lines.append(f"- {o.claim}: reproduced ({o.detail}).")
            else:
                reason = o.reason or ("One epoch is too short to judge it." if t.quick else "")
                lines.append(f"- {o.claim}: **not reproduced** ({o.detail}). {reason}".rstrip())
        lines.append("")
    return "\n".join(lines)


def save_tables(tables, path) -> None:
    """Write the tables as JSON (deterministic: sorted keys, fixed float rounding)."""
    Path(path).write_text(json.dumps([t.to_dict() for t in tables], indent=1) + "\n")


def load_tables(path) -> dict:
    """name -> Table, from a file :func:`save_tables` wrote."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} does not exist; `python -m analogkit networks` (or `make figures`) writes it"
        )
    return {d["name"]: Table.from_dict(d) for d in json.loads(path.read_text())}
