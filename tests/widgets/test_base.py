"""What every dashboard shares (``analogkit.widgets.base``): parameters, numbers and the DOM contract.

The browser tests (tests/browser/) find the widgets by the CSS classes checked here.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from analogkit import widgets


def test_unknown_parameter_is_refused(every_dash):
    with pytest.raises(ValueError, match="no parameter 'beta'"):
        type(every_dash)(beta=0.1)


def test_result_refuses_unknown_parameters(every_dash):
    with pytest.raises(ValueError, match=r"unknown parameter\(s\) \['beta'\]"):
        every_dash.result(beta=0.1)


def test_compute_leaves_the_sliders(every_dash):
    assert every_dash.compute(tau=1.7) != every_dash.numbers
    assert every_dash.params() == every_dash.defaults


def test_numbers_are_plain_floats(every_dash):
    assert every_dash.numbers
    assert all(type(v) is float for v in every_dash.numbers.values()), every_dash.numbers
    assert every_dash.numbers == every_dash.compute()


def test_result_stores_plain_floats():
    result = widgets.Result({"a": np.float64(0.25), "b": np.array(2.0), "c": 3})
    assert result.numbers == {"a": 0.25, "b": 2.0, "c": 3.0}
    assert all(type(v) is float for v in result.numbers.values())


def test_dom_contract(every_dash):
    name = every_dash.name
    assert {"ak-dashboard", f"ak-{name}"} <= set(every_dash.widget._dom_classes)
    for key, widget in every_dash.sliders.items():
        assert widget.description == key
        assert f"ak-slider-{key}" in widget._dom_classes
    assert "ak-figure" in every_dash.image._dom_classes
    assert bytes(every_dash.image.value).startswith(b"<svg")
    assert "ak-numbers" in every_dash.numbers_html._dom_classes
    assert "ak-message" in every_dash.message._dom_classes
    # one <span class="ak-num" data-key=KEY> per number, holding its value as {:.6g}
    spans = re.findall(
        r'<span class="ak-num" data-key="([^"]+)">([^<]*)</span>', every_dash.numbers_html.value
    )
    assert spans == [(k, f"{v:.6g}") for k, v in every_dash.numbers.items()]


def test_sliders_report_on_release(every_dash):
    for widget in every_dash.sliders.values():
        if hasattr(widget, "continuous_update"):
            assert widget.continuous_update is False
