"""The network figures (notebook 06): test accuracy against epoch for each of the four tables.

Each figure's compute() is one table of :func:`analogkit.networks.tables` (all four are computed
once per process); its summary rows are the table's cells, and the tables themselves, with the
paper's numbers and orderings, go to figures/networks.md. :func:`data` turns a stored table
(``ak.networks.load_tables()``) back into a figure's data, so a notebook draws it without
re-running anything.
"""

from __future__ import annotations

import matplotlib

from analogkit import networks
from analogkit.figures._registry import FigureData, FigureSpec, Row
from analogkit.plotting import plot_accuracy
from analogkit.style import COLORS

__all__ = [
    "data",
    "networks_p1_tau",
    "networks_p2_response",
    "networks_p2_finetune",
    "networks_p3_states",
    "SPECS",
]

#: colour of each algorithm of the tables
ALGORITHM_COLORS = {
    "D SGD": COLORS["digital"],
    "DSGD": COLORS["digital"],
    "A SGD": COLORS["analog"],
    "ASGD": COLORS["analog"],
    "TT": COLORS["tiki-taka"],
    "TT/RL": COLORS["residual"],
    "TT-v1": COLORS["tiki-taka"],
    "TTv2": COLORS["ttv2"],
    "TT-v2": COLORS["ttv2"],
    "RLv2": COLORS["theory"],
    "MP": COLORS["digital"],
}


def data(table: networks.Table) -> FigureData:
    """A table as the data of its figure: one summary row per cell (mean test accuracy in %)."""
    rows = {}
    for row in table.rows:
        for col in table.columns:
            c = table.get(row, col)
            if c is not None:
                quantity = f"{row}, {col}: test accuracy (%)"
                rows[quantity] = Row(
                    quantity,
                    c.mean,
                    None,
                    f"± {c.std:.2f} over {table.seeds} seeds; [tables](networks.md)",
                )
    return FigureData(rows, table=table)


def _compute(name, doc):
    def compute(quick: bool = False) -> FigureData:
        return data(dict(zip(networks.NAMES, networks.tables(quick)))[name])

    compute.__doc__ = doc
    return compute


def _panels(fig, n):
    return fig.subplots(1, n, sharey=True, squeeze=False)[0]


def _finish(axes, table, low=0):
    axes[0].legend(loc="lower right")
    for ax in axes:
        ax.set_ylim(low, 100)
    for ax in axes[1:]:
        ax.set_ylabel("")
    axes[0].figure.suptitle(table.title, fontsize=10)


def draw_by_column(fig, d: FigureData) -> None:
    """One panel per column (tau), one curve per row (algorithm)."""
    t = d.table
    axes = _panels(fig, len(t.columns))
    for ax, col in zip(axes, t.columns):
        for row in t.rows:
            c = t.get(row, col) or (t.get(row, t.columns[0]) if row.startswith("D") else None)
            if c is not None:
                plot_accuracy(ax, c.curve, label=row, color=ALGORITHM_COLORS.get(row))
        ax.set_title(col)
    _finish(axes, t)


def draw_by_row(fig, d: FigureData) -> None:
    """One panel per row, one curve per column (algorithm)."""
    t = d.table
    axes = _panels(fig, len(t.rows))
    cmap = matplotlib.colormaps["viridis"]
    for ax, row in zip(axes, t.rows):
        for i, col in enumerate(t.columns):
            color = ALGORITHM_COLORS.get(col) or cmap(0.15 + 0.7 * i / len(t.columns))
            ls = "--" if "tiles" in col else "-"
            plot_accuracy(ax, t.get(row, col).curve, label=col, color=color, ls=ls)
        ax.set_title(row)
    _finish(axes, t, low=60 if t.name == "p2_finetune" else 0)


def draw_response(fig, d: FigureData) -> None:
    """One panel per family; ASGD dotted, TT/RL solid, one colour per gamma_res."""
    t = d.table
    axes = _panels(fig, 2)
    cmap = matplotlib.colormaps["plasma"]
    for ax, family in zip(axes, ("power", "exp")):
        for i, col in enumerate(t.columns):
            color = cmap(0.8 * i / (len(t.columns) - 1))
            for algo, ls in (("ASGD", ":"), ("TT/RL", "-")):
                c = t.get(f"{family} {algo}", col)
                plot_accuracy(ax, c.curve, label=f"{algo}, {col}", color=color, ls=ls, band=False)
        ax.set_title({"power": "power response", "exp": "exponential response"}[family])
    _finish(axes, t)


def _spec(name, draw, figsize, caption):
    doc = f"{caption} Settings, paper numbers and orderings: figures/networks.md."
    return FigureSpec(
        f"networks_{name}", _compute(name, doc), draw, figsize=figsize, caption=caption
    )


networks_p1_tau = _spec(
    "p1_tau",
    draw_by_column,
    (11, 3.6),
    "Paper 1 Fig. 5 on the digits MLP: test accuracy against epoch over τ.",
)
networks_p2_response = _spec(
    "p2_response", draw_response, (10, 3.8), "Paper 2 Table 8 on the digits MLP."
)
networks_p2_finetune = _spec(
    "p2_finetune", draw_by_row, (6.4, 4.0), "Paper 2 Table 1 (fine-tuning) on the digits MLP."
)
networks_p3_states = _spec(
    "p3_states", draw_by_row, (10, 3.8), "Paper 3 Table 1 (4 and 10 states) on the digits MLP."
)

#: table name -> its figure
SPECS = {
    "p1_tau": networks_p1_tau,
    "p2_response": networks_p2_response,
    "p2_finetune": networks_p2_finetune,
    "p3_states": networks_p3_states,
}
