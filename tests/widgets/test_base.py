"""What every dashboard shares (``analogkit.widgets.base``): parameters, numbers and the DOM contract.

The browser tests (tests/browser/) find the widgets by the CSS classes checked here.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from analogkit import widgets

#: the four ways a dashboard takes values, each as dashboard -> a function of keywords
_PATHS = {
    "constructor": lambda dash: type(dash),
    "set": lambda dash: dash.set,
    "compute": lambda dash: dash.compute,
    "result": lambda dash: dash.result,
}


@pytest.mark.parametrize("path", ["constructor", "set", "compute", "result"])
def test_unknown_parameters_are_listed(every_dash, path):
    cls, names = type(every_dash).__name__, ", ".join(every_dash.sliders)
    call = _PATHS[path](every_dash)
    with pytest.raises(ValueError) as one:
        call(beta=0.1)
    assert str(one.value) == f"{cls} has no parameter 'beta'; choose from {names}"
    with pytest.raises(ValueError) as two:
        call(beta=0.1, tau=1.0, Tau=2.0)
    assert str(two.value) == f"{cls} has no parameters 'beta', 'Tau'; choose from {names}"
    assert every_dash.params() == every_dash.defaults


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


def test_box_carries_the_stale_style(every_dash):
    """The stylesheet that greys a stale dashboard's figure and numbers travels with the box,
    hidden (tests/browser/test_stale.py checks that a browser applies it)."""
    sheets = [c for c in every_dash.widget.children if "<style>" in getattr(c, "value", "")]
    assert len(sheets) == 1 and sheets[0].layout.display == "none"
    rule = re.search(r"<style>(.*)\{ *opacity: *([\d.]+);? *\}</style>", sheets[0].value)
    assert rule and float(rule[2]) == 0.4
    assert {s.strip() for s in rule[1].split(",")} == {
        ".ak-stale .ak-figure",
        ".ak-stale .ak-numbers",
    }
    assert not every_dash.stale and "ak-stale" not in every_dash.widget._dom_classes


def test_sliders_report_on_release(every_dash):
    for widget in every_dash.sliders.values():
        if hasattr(widget, "continuous_update"):
            assert widget.continuous_update is False
