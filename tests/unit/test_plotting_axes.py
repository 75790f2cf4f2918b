"""The Axes subset of ``analogkit.plotting.axes``: SvgAxes and matplotlib implement it, and neither
the plot functions nor the dashboards call anything outside it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import matplotlib.axes
import matplotlib.figure
import numpy as np
import pytest

import analogkit as ak
from analogkit import plotting
from analogkit.plotting.axes import Axes, Line
from analogkit.svg import SvgFigure

PKG = Path(ak.__file__).parent
SUBSET = {name for name in {**vars(Axes), **Axes.__annotations__} if not name.startswith("_")}


def _attributes_of(paths, variable: str) -> dict[str, str]:
    """Every X in `<v>.X` over the source files, for variable names v matching `variable`."""
    found = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and re.fullmatch(variable, node.value.id)
            ):
                found.setdefault(node.attr, path.name)
    return found


def _svg_axes():
    return SvgFigure().subplots()


def _mpl_axes():
    return matplotlib.figure.Figure().add_subplot()


def test_the_subset_names_methods_and_the_text_transform():
    assert {"plot", "fill_between", "axhline", "axvline", "text", "legend"} <= SUBSET
    assert "transAxes" in SUBSET


@pytest.mark.parametrize("make_axes", [_svg_axes, _mpl_axes], ids=["svg", "matplotlib"])
def test_both_backends_implement_every_member_of_the_subset(make_axes):
    ax = make_axes()
    missing = sorted(name for name in SUBSET if not hasattr(ax, name))
    assert not missing, f"{type(ax).__name__} lacks {missing}"
    assert isinstance(ax, Axes)
    methods = SUBSET - set(Axes.__annotations__)
    assert all(callable(getattr(ax, name)) for name in methods)
    lines = ax.plot([0.0, 1.0], [1.0, 2.0], color="#123456")
    assert all(isinstance(line, Line) for line in lines)
    assert lines[0].get_color() == "#123456"


def _used_by_plot_functions():
    return _attributes_of(sorted((PKG / "plotting").glob("*.py")), "ax")


def _used_by_dashboards():
    sources = sorted(PKG.glob("widgets.py")) + sorted((PKG / "widgets").rglob("*.py"))
    return _attributes_of(sources, r"ax\d*")


def test_plot_functions_use_only_the_subset():
    used = _used_by_plot_functions()
    assert {"plot", "axvline", "set_yscale"} <= set(used)  # the scan sees the plot functions
    extra = {name: where for name, where in used.items() if name not in SUBSET}
    assert not extra, f"outside analogkit.plotting.axes.Axes: {extra}"


def test_dashboards_use_only_the_subset():
    used = _used_by_dashboards()
    assert {"plot", "set_title"} <= set(used)  # the scan sees the dashboards' own drawing
    extra = {name: where for name, where in used.items() if name not in SUBSET}
    assert not extra, f"outside analogkit.plotting.axes.Axes: {extra}"


def test_every_member_of_the_subset_is_used():
    unused = SUBSET - set(_used_by_plot_functions()) - set(_used_by_dashboards())
    assert not unused, f"drop {sorted(unused)} from analogkit.plotting.axes.Axes"


@pytest.fixture(scope="module")
def trace():
    prob = ak.Quadratic(L=1.0, w_star=0.5, dim=1, noise=ak.GaussianNoise(std=0.1))
    return ak.analog_sgd(
        prob, ak.LinearDevice(tau=1.0), lr=0.1, steps=50, trials=3, rng=np.random.default_rng(0)
    )


def _draw_everything(ax, trace):
    device = ak.LinearDevice(tau=1.0, asymmetry=0.2)
    staircase = ak.pulse_response(device, ak.PulseConfig(dw_min=0.05), 10, 10)
    plotting.plot_response(ax, device)
    plotting.plot_pulse_staircase(ax, staircase, 10, label="staircase")
    plotting.plot_loss(ax, trace, label="loss")
    plotting.plot_level(ax, 0.01, label="level")
    plotting.plot_message(ax, "a message")


@pytest.mark.parametrize("make_axes", [_svg_axes, _mpl_axes], ids=["svg", "matplotlib"])
def test_every_plot_function_draws_on_both_backends(make_axes, trace):
    ax = make_axes()
    _draw_everything(ax, trace)
    if isinstance(ax, matplotlib.axes.Axes):
        assert ax.texts[0].get_text() == "a message"
    else:
        assert "a message" in ax.render()


def test_plot_loss_draws_the_mean_over_trials(trace):
    line = plotting.plot_loss(_mpl_axes(), trace)
    np.testing.assert_array_equal(line.get_xdata(), trace.steps)
    np.testing.assert_allclose(line.get_ydata(), np.asarray(trace.loss).sum(axis=1) / trace.trials)
