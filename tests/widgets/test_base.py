"""What every dashboard shares (``analogkit.widgets.base``): parameters, numbers, the DOM contract,
``set`` and ``reset`` (the checking of values is in test_values.py).

The browser tests (tests/browser/) find the widgets by the CSS classes checked here.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from analogkit import widgets


def test_compute_leaves_the_sliders(every_dash):
    key, value = next(
        (k, w.value) for k, w in every_dash.sliders.items() if type(w.value) in (int, float)
    )
    other = value + 1 if isinstance(value, int) else 1.1 * value
    assert every_dash.compute(**{key: other}) != every_dash.numbers
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


def _redraws(dash):
    """A list that gets one entry per new figure of `dash`."""
    drawn = []
    dash.image.observe(drawn.append, names="value")
    return drawn


def test_set_moves_several_sliders_with_one_redraw():
    dash = widgets.asgd_dashboard()
    drawn = _redraws(dash)
    dash.set(tau=2.0, noise=np.float64(0.5), lr=0.1)
    assert len(drawn) == 1
    assert dash.params() == {"tau": 2.0, "noise": 0.5, "lr": 0.1, "asymmetry": 0.0}
    assert dash.numbers == dash.compute(tau=2.0, noise=0.5, lr=0.1)
    dash.set(tau=2.0, lr=0.1)  # the values it already has: no redraw
    dash.set()
    assert len(drawn) == 1


def test_set_moves_nothing_when_one_value_is_refused():
    dash = widgets.asgd_dashboard()
    drawn = _redraws(dash)
    with pytest.raises(TypeError, match="^lr must be a real number in"):
        dash.set(tau=2.0, noise=0.5, lr="0.1")
    with pytest.raises(ValueError, match=r"^asymmetry must lie in \[-0.99, 0.99\], got 1.0$"):
        dash.set(tau=2.0, asymmetry=1.0)
    assert dash.params() == dash.defaults == dash.initial and drawn == []


def test_reset_returns_to_the_values_it_was_created_with():
    dash = widgets.asgd_dashboard(lr=0.1, asymmetry=0.3)
    created, image, numbers = dash.params(), dash.image.value, dict(dash.numbers)
    assert created == dash.initial == {"tau": 1.0, "noise": 0.3, "lr": 0.1, "asymmetry": 0.3}
    dash.sliders["tau"].value = 2.0  # as a user moves it
    dash.set(lr=0.02, asymmetry=-0.5)
    drawn = _redraws(dash)
    dash.reset()
    assert len(drawn) == 1
    assert dash.params() == created and dash.image.value == image and dash.numbers == numbers
    # compute still fills in the controls' own defaults, not the creation values
    assert dash.defaults == {"tau": 1.0, "noise": 0.3, "lr": 0.05, "asymmetry": 0.0}
    assert dash.compute() == widgets.asgd_dashboard().numbers
