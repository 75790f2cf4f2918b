"""The part of matplotlib's Axes API that analogkit's plot functions and dashboards draw with.

The plot functions draw on a matplotlib Axes in the figures and notebooks, and on
:class:`analogkit.svg.SvgAxes` in the dashboards. :class:`Axes` names every method and attribute
they use; SvgAxes implements all of them, so one plot function draws on both. Anything outside this
subset (twin axes, histograms, tick formatters) is for matplotlib-only figures.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

__all__ = ["Axes", "Line"]


@runtime_checkable
class Line(Protocol):
    """What ``Axes.plot`` returns a list of."""

    def get_color(self) -> Any: ...


@runtime_checkable
class Axes(Protocol):
    """The Axes subset: lines, bands, levels, log scale, labels, legend, and a message."""

    #: the transform for ``text(x, y, s, transform=ax.transAxes)``: positions in axes fractions
    transAxes: Any

    def plot(self, *args: Any, **kwargs: Any) -> list[Line]: ...

    def fill_between(self, x: Any, y1: Any, y2: Any, **kwargs: Any) -> Any: ...

    def axhline(self, y: float = 0, **kwargs: Any) -> Any: ...

    def axvline(self, x: float = 0, **kwargs: Any) -> Any: ...

    def text(self, x: float, y: float, s: str, **kwargs: Any) -> Any: ...

    def set_yscale(self, value: str) -> Any: ...

    def set_xlabel(self, xlabel: str) -> Any: ...

    def set_ylabel(self, ylabel: str) -> Any: ...

    def set_title(self, label: str) -> Any: ...

    def legend(self, *args: Any, **kwargs: Any) -> Any: ...

    def clear(self) -> Any: ...

    def set_axis_off(self) -> Any: ...
