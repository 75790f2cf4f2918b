"""The network figures: one per table, its summary rows are the table's cells, and a stored
table draws the same figure."""

from __future__ import annotations

import matplotlib.figure

from analogkit import figures, networks
from analogkit.figures.networks import SPECS, data


def test_rows_are_the_cells(quick_data):
    for name in networks.NAMES:
        d = quick_data[f"networks_{name}"]
        t = d.table
        n_cells = sum(len(cols) for cols in t.cells.values())
        assert len(d.rows) == n_cells
        for row in t.rows:
            for col in t.columns:
                c = t.get(row, col)
                if c is not None:
                    r = d.rows[f"{row}, {col}: test accuracy (%)"]
                    assert r.value == c.mean and f"± {c.std:.2f}" in r.note


def test_a_loaded_table_draws_the_same_figure(quick_data, tmp_path):
    tables = [quick_data[f"networks_{n}"].table for n in networks.NAMES]
    networks.save_tables(tables, tmp_path / "t.json")
    loaded = networks.load_tables(tmp_path / "t.json")
    for name, spec in SPECS.items():
        pngs = []
        for d in (quick_data[f"networks_{name}"], data(loaded[name])):
            fig = matplotlib.figure.Figure(figsize=spec.figsize, layout="constrained")
            spec.draw(fig, d)
            figures.save(fig, tmp_path / "f.png")
            pngs.append((tmp_path / "f.png").read_bytes())
        assert pngs[0] == pngs[1], name
