"""The quick figures, built once per session: in-process (compute, then draw from the data) and
through the CLI, so the tests can compare the two byte for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import matplotlib
import matplotlib.figure
import pytest

from analogkit import figures, networks, style

ROOT = Path(__file__).resolve().parents[2]


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "analogkit", *args], capture_output=True, text=True, cwd=cwd or ROOT
    )


@pytest.fixture(scope="session")
def quick_data():
    """name -> FigureData of every registered figure in quick mode."""
    return {name: spec.compute(True) for name, spec in figures.FIGURES.items()}


@pytest.fixture(scope="session")
def drawn(quick_data, tmp_path_factory):
    """Every figure drawn from `quick_data` alone on a fresh, non-pyplot figure, saved as the CLI
    does, with summary.md and the network tables: the directory."""
    out = tmp_path_factory.mktemp("drawn")
    results = []
    with matplotlib.rc_context():
        matplotlib.rc_file_defaults()  # as a fresh `python -m analogkit` process starts
        for name, spec in figures.FIGURES.items():
            data = quick_data[name]
            with style.context():  # drawn in analogkit's style, saved after it, as write() does
                fig = matplotlib.figure.Figure(figsize=spec.figsize, layout="constrained")
                spec.draw(fig, data)
            figures.save(fig, out / f"{name}.png")
            with style.context():
                figures.save(figures.slide(spec, data), out / f"{name}.svg")
            results.append(figures.FigureResult(name, fig, list(data.rows.values())))
    (out / "summary.md").write_text(figures.summary_markdown(results))
    tables = [quick_data[f"networks_{name}"].table for name in networks.NAMES]
    (out / "networks.md").write_text(networks.markdown(tables))
    networks.save_tables(tables, out / "networks.json")
    return out


@pytest.fixture(scope="session")
def quick_run(tmp_path_factory):
    """`python -m analogkit figures --quick` into a fresh directory."""
    out = tmp_path_factory.mktemp("cli")
    res = cli("figures", "--quick", "--no-progress", "--out", str(out))
    assert res.returncode == 0, res.stderr
    return out


@pytest.fixture(scope="session")
def rows(quick_data):
    """figure name -> {quantity: Row} of the quick figures."""
    return {
        name: {row.quantity: row for row in data.rows.values()} for name, data in quick_data.items()
    }
