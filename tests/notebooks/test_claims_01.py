"""Notebook 01's prose against the numbers its executed cells print.

Each test reads the committed, executed notebook and checks one statement of its prose that quotes
a number or an ordering, so that re-running the notebook with other numbers fails here. Solution
cells are not read: their outputs are not committed.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

import analogkit as ak
from tests.notebooks._claims import cell_output, markdown

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "01_response_functions.ipynb"


@pytest.fixture(scope="module")
def cells():
    return nbformat.read(NOTEBOOK, as_version=4).cells


def test_the_table_lists_the_figures_devices(cells):
    # "The table below lists the four devices of the figure after it, each with all of its parameters"
    assert "the four devices of the figure after" in markdown(cells)
    rows = cell_output(cells, "# NBVAL_CHECK_OUTPUT\nexamples = ak.figures").splitlines()[1:]
    devices = list(ak.figures.RESPONSE_EXAMPLES.values())
    assert len(rows) == len(devices) == 4
    for row, device in zip(rows, devices):
        name = row.split(")")[0] + ")"
        assert name.startswith(type(device).__name__ + "(")
        for key, value in device.params().items():
            assert f"{key}={value:g}" in name, (key, name)
        assert float(row.split()[-1]) == pytest.approx(device.symmetric_point, abs=5e-5)


def test_soft_bounds_symmetric_point_is_u_over_2_minus_u(cells):
    # "so the symmetric point is u tau/(2 - u), not u tau"
    assert "the symmetric point\nis $u\\tau/(2 - u)$, not $u\\tau$" in markdown(cells) or (
        "point is $u\\tau/(2 - u)$, not $u\\tau$" in markdown(cells)
    )
    text = cell_output(cells, "# NBVAL_CHECK_OUTPUT\naihwkit_like")
    soft = float(re.search(r"SoftBoundsDevice\(up_down=0.2\).*w⋄ = (\S+)", text)[1])
    linear = float(re.search(r"LinearDevice\(asymmetry=0.2\) .*w⋄ = (\S+)", text)[1])
    assert soft == pytest.approx(0.2 / (2 - 0.2), abs=1e-4) and linear == pytest.approx(0.2)


def _gaps(cells):
    text = cell_output(cells, "# NBVAL_CHECK_OUTPUT\nrng = np.random.default_rng(1)\nsigns")
    blocks = re.split(r"^\((?:a|b|c)\) .*$", text, flags=re.M)[1:]
    assert len(blocks) == 3, text
    return blocks


def test_whole_pulse_counts_gap_does_not_shrink_with_dw_min(cells):
    # (a) "One pulse of size dw *is* U (gap 0 ...); more, smaller pulses raise the gap"
    assert "One pulse\n  of size $\\Delta w$ *is* $U$" in markdown(cells)
    lines = _gaps(cells)[0].strip().splitlines()
    assert lines[0].endswith("gap < 1e-12")
    later = [float(line.split("gap ")[1]) for line in lines[1:]]
    assert 1e-12 < later[0] < later[1]


def test_halving_dw_divides_the_gap_by_four(cells):
    # (b) "at a fixed pulse count, halving dw divides the gap by 4"
    assert "halving $\\Delta w$ divides\n  the gap by 4" in markdown(cells)
    gaps = [float(line.split("gap ")[1]) for line in _gaps(cells)[1].strip().splitlines()]
    for big, small in zip(gaps, gaps[1:]):
        assert big / small == pytest.approx(4, rel=0.05)


def test_ceil_rounding_gap_is_proportional_to_dw_min(cells):
    # (c) "ceil rounding ... its gap shrinks in proportion to dw_min. Stochastic rounding is right on
    # average; what remains ... is the O(dw^2) term of (b)"
    assert "shrinks in\n  proportion to $\\Delta w_{\\min}$" in markdown(cells)
    rows = re.findall(r"dw_min = (\S+): ceil (\S+), stochastic (\S+)", _gaps(cells)[2], flags=re.M)
    assert len(rows) == 3
    per_dw_min = [float(ceil) / float(dw_min) for dw_min, ceil, _ in rows]
    assert max(per_dw_min) / min(per_dw_min) < 1.1
    # what stochastic rounding leaves is of the size of (b)'s O(dw^2) term at |dw| = 0.005
    b = [float(line.split("gap ")[1]) for line in _gaps(cells)[1].strip().splitlines()]
    o_dw2 = b[0] * (0.005 / 0.05) ** 2
    for _, ceil, stochastic in rows:
        assert float(stochastic) < float(ceil) / 10 and float(stochastic) < 3 * o_dw2


def test_pulse_vs_expected_ratios(cells):
    # "At tau = 1 their final errors differ by about 1 %; the ratio grows with tau (to about 1.3 at
    # tau = 2.5)"
    text = markdown(cells)
    assert "differ by about\n1 %" in text and "to about 1.3 at $\\tau = 2.5$" in text
    ratios = dict(
        (float(tau), float(r))
        for tau, r in re.findall(
            r"tau=(\S+): pulse / expected final error: (\S+)",
            cell_output(cells, "# NBVAL_CHECK_OUTPUT\nfor row in pulse_vs_expected.rows"),
        )
    )
    assert sorted(ratios) == [1.0, 1.5, 2.0, 2.5]
    assert abs(ratios[1.0] - 1) < 0.02
    values = [ratios[tau] for tau in sorted(ratios)]
    assert values == sorted(values)
    assert ratios[2.5] == pytest.approx(1.3, abs=0.05)


def test_alternating_pairs_stop_short_of_the_symmetric_point(cells):
    # "The alternating pairs stop slightly short of w⋄"
    assert "stop slightly short of $w_\\diamond$" in markdown(cells)
    text = cell_output(
        cells, "# NBVAL_CHECK_OUTPUT\ndevice = ak.LinearDevice(tau=1.0, asymmetry=0.2)  # w⋄"
    )
    sp = float(re.search(r"symmetric point\s*: (\S+)", text)[1])
    pairs = float(re.search(r"after 300 up/down pairs\s*: (\S+)", text)[1])
    assert pairs < sp and sp - pairs < 0.05 * sp


def test_cycle_noise_spread_is_damped_near_the_bound(cells):
    # "The noise of n pulses adds up like a random walk ... less near a bound"
    text = cell_output(cells, "# NBVAL_CHECK_OUTPUT\nrng = np.random.default_rng(3)")
    m = re.search(
        r"spread over 2000 repeats (\S+); random walk (\S+), damped by the soft bound (\S+)", text
    )
    spread, walk, damped = (float(x) for x in m.groups())
    assert spread < walk and spread == pytest.approx(damped, rel=0.05)


def test_weights_stay_in_range_and_a_large_step_overshoots(cells):
    text = cell_output(cells, "# NBVAL_CHECK_OUTPUT\nald = ak.LinearDevice(tau=1.0)")
    largest = float(re.search(r"10000 weights: (\S+) <= tau = 1", text)[1])
    overshoot = float(re.search(r"from w = -0.9: (\S+) > tau", text)[1])
    assert largest <= 1.0 < overshoot
