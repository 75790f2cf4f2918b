"""The explorer's prose against what its dashboards and static figures show.

Each "things to try" item that states a number or an ordering is recomputed here with the
dashboard's own ``compute`` (the numbers the page shows), so that a change to a dashboard that
breaks a sentence fails here. The structure checks keep the page readable without a kernel: a
static figure (an embedded PNG) right above every dashboard.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from analogkit import widgets

EXPLORER = Path(__file__).resolve().parents[2] / "notebooks" / "explorer.ipynb"
FACTORIES = (
    "device_dashboard",
    "asgd_dashboard",
    "lower_bound_dashboard",
    "tiki_taka_dashboard",
    "multi_tile_dashboard",
)


@pytest.fixture(scope="module")
def nb():
    return nbformat.read(EXPLORER, as_version=4)


def _prose(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_every_dashboard_has_a_static_figure_above_it(nb):
    cells = nb.cells
    built = []
    for i, cell in enumerate(cells):
        match = re.search(r"ak\.widgets\.(\w+_dashboard)\(", cell.source)
        if cell.cell_type != "code" or not match:
            continue
        built.append(match[1])
        above = [c for c in cells[:i] if c.cell_type == "code"][-1]
        assert above.source.startswith("figure("), (match[1], above.source)
        assert any("image/png" in out.get("data", {}) for out in above.outputs), match[1]
    assert built == list(FACTORIES)


def test_links_every_teaching_notebook(nb):
    text = _prose(nb)
    for name in ("00_welcome", "01_response_functions", "02_analog_sgd", "03_lower_bound"):
        assert f"({name}.ipynb)" in text, name
    assert "(04_tiki_taka.ipynb)" in text and "Things to try" in text


def test_the_tiki_taka_prose_agrees_with_notebook_04(nb):
    text = _prose(nb)
    assert "accumulates **minus** the noisy gradient" in text
    assert "does not depend on\n`transfer_lr`" in text or "does not depend on `transfer_lr`" in text
    assert "bias goes away" not in text and "red line" not in text


def test_device_claims():
    dash = widgets.device_dashboard()
    n = dash.numbers
    assert n["symmetric_point"] == pytest.approx(0.2)  # "0.2 at the opening c = 0.2, tau = 1"
    assert n["q_plus_at_0"] - n["q_minus_at_0"] == pytest.approx(2 * 0.2)
    assert dash.compute(asymmetry=0.5)["symmetric_point"] == pytest.approx(0.5)


def test_asgd_claims():
    dash = widgets.asgd_dashboard()
    hi, lo = dash.compute(lr=0.05), dash.compute(lr=0.005)
    assert 7 < hi["final_loss_digital"] / lo["final_loss_digital"] < 14  # "about tenfold"
    assert lo["final_loss_analog"] == pytest.approx(lo["floor_theory"], rel=0.1)  # "near"


def test_lower_bound_claims():
    dash = widgets.lower_bound_dashboard()
    n = dash.numbers
    # "just above floor_theory ... and well below floor_printed_4sigma2S"
    assert n["floor_theory"] < n["floor_simulated"] < 1.3 * n["floor_theory"]
    assert n["floor_simulated"] < 0.5 * n["floor_printed_4sigma2S"]
    tall = dash.result(tau=3.0)
    assert any("O(lr)" in m for m in tall.messages)
    assert tall.numbers["floor_theory_at_lr"] > 1.5 * tall.numbers["floor_theory"]


def test_tiki_taka_claims():
    dash = widgets.tiki_taka_dashboard()
    base, slow = dash.result(), dash.result(transfer_lr=0.001)
    ratio = base.numbers["final_loss_tiki_taka"] / slow.numbers["final_loss_tiki_taka"]
    assert 10 < ratio < 20, ratio  # "about fifteenfold"
    for r in (base, slow):  # "the bias stays of order -0.01"
        assert -0.02 < r.numbers["grad_tiki_taka"] < -0.005
    assert slow.numbers["steps_tiki_taka"] > base.numbers["steps_tiki_taka"]
    small = dash.compute(lr=0.005)
    assert small["final_loss_digital"] < 0.1 * base.numbers["final_loss_digital"]
    assert small["final_loss_analog"] > 0.5 * base.numbers["final_loss_analog"]
    assert small["final_loss_tiki_taka"] < small["final_loss_analog"]
    quiet = dash.result(noise=0.0)
    assert any("oscillating" in m for m in quiet.messages)
    assert dash.compute(noise=0.0, gamma=0.3)["final_loss_tiki_taka"] < 1e-9
    shifted = dash.compute(asymmetry=0.3, gamma=0.4)
    fixed = dash.compute(asymmetry=0.3, gamma=0.4, zero_shift=True)
    assert fixed["final_loss_tiki_taka"] < 0.5 * shifted["final_loss_tiki_taka"]
