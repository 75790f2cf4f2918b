"""Notebook 00's prose against the numbers its executed cells print.

Each test reads the committed, executed notebook and checks one statement of its prose that quotes
a number or an ordering, so that re-running the notebook with other numbers fails here. Solution
cells are not read: their outputs are not committed.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tests.notebooks._claims import cell_output, markdown

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "00_welcome.ipynb"


@pytest.fixture(scope="module")
def cells():
    return nbformat.read(NOTEBOOK, as_version=4).cells


def numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"[-+]?\d+\.\d+(?:e[-+]?\d+)?", text)]


def test_an_up_down_pair_ends_below_its_start(cells):
    # "Up and down do not cancel: the weight ends *below* where it started."
    assert "the weight ends *below* where it started" in markdown(cells)
    start, after_up, after_down = numbers(
        cell_output(cells, "# NBVAL_CHECK_OUTPUT\ndevice = ak.Linear")
    )
    assert after_up > start > after_down


def test_analog_sgd_floor_sits_above_digital_sgd(cells):
    # "digital SGD's error shrinks with the learning rate; Analog SGD ... settles at a floor"
    assert "Analog SGD on the ALD settles at a floor" in markdown(cells)
    text = cell_output(cells, "# NBVAL_CHECK_OUTPUT\nproblem = ak.Quadratic")
    digital = float(re.search(r"digital SGD: f - f\* = (\S+)", text)[1])
    analog = float(re.search(r"Analog SGD : f - f\* = (\S+)", text)[1])
    assert analog > 3 * digital
