"""The Dashboard every widget builds on: sliders -> simulate -> draw, with the DOM contract.

A subclass defines ``name``, ``controls`` (the sliders), ``simulate`` (parameters -> a
:class:`Result`) and ``draw`` (a Result -> an :class:`~analogkit.svg.SvgFigure`); the base class
lays out the widgets with the CSS classes of the contract in the package docstring, redraws on
every slider change and turns a ``ValueError`` into a message instead of a traceback.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import ipywidgets as W
import numpy as np

from analogkit.svg import SvgFigure

__all__ = ["Dashboard", "Result", "slider", "dropdown"]

#: the label width and widget width every control shares
_STYLE = {"description_width": "90px"}
_WIDTH = "300px"


@dataclass
class Result:
    """What one set of slider values produces: key numbers, messages and data to draw.

    ``numbers`` are stored as plain floats, so a dashboard's numbers never hold a view into a
    cached run; the runs in ``data`` are frozen (read-only arrays).
    """

    numbers: dict
    messages: list = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def __post_init__(self):
        self.numbers = {key: float(value) for key, value in self.numbers.items()}


class Dashboard:
    """Sliders -> simulate -> draw. Subclasses define ``name``, ``controls``, ``simulate``, ``draw``."""

    name = "dashboard"
    size = (900, 330)  # px

    def __init__(self, **values):
        self.sliders = self.controls()
        for key, widget in self.sliders.items():
            widget.add_class(f"ak-slider-{key}")
        self.defaults = {k: w.value for k, w in self.sliders.items()}
        for key, value in values.items():
            if key not in self.sliders:
                raise ValueError(
                    f"{type(self).__name__} has no parameter {key!r}; choose from {list(self.sliders)}"
                )
            self.sliders[key].value = value
        self.figure = SvgFigure(*self.size)
        self.image = W.Image(format="svg+xml", layout=W.Layout(max_width="100%")).add_class(
            "ak-figure"
        )
        self.numbers_html = W.HTML().add_class("ak-numbers")
        self.message = W.HTML().add_class("ak-message")
        controls = W.GridBox(
            list(self.sliders.values()),
            layout=W.Layout(grid_template_columns="repeat(3, minmax(240px, 1fr))"),
        )
        self.widget = W.VBox([controls, self.image, self.numbers_html, self.message])
        self.widget.add_class("ak-dashboard")
        self.widget.add_class(f"ak-{self.name}")
        self.numbers: dict = {}
        self.last_seconds = float("nan")
        self.refresh()
        for widget in self.sliders.values():
            widget.observe(self._on_change, names="value")

    # -- to be defined by each dashboard ---------------------------------------------------------
    def controls(self) -> dict:
        raise NotImplementedError

    def simulate(self, **params) -> Result:
        raise NotImplementedError

    def draw(self, fig: SvgFigure, result: Result) -> None:
        raise NotImplementedError

    # -- shared machinery ------------------------------------------------------------------------
    def params(self) -> dict:
        """The current slider values."""
        return {k: w.value for k, w in self.sliders.items()}

    def result(self, **params) -> Result:
        """Numbers, messages and data for these parameters (defaults for the others), not drawn."""
        unknown = set(params) - set(self.defaults)
        if unknown:
            raise ValueError(
                f"unknown parameter(s) {sorted(unknown)}; choose from {list(self.defaults)}"
            )
        return self.simulate(**{**self.defaults, **params})

    def compute(self, **params) -> dict:
        """The key numbers for these parameters (defaults for the others), without the widgets."""
        return self.result(**params).numbers

    def reset(self) -> None:
        """Put every slider back to its default (only the moved ones: each move redraws)."""
        for key, value in self.defaults.items():
            if self.sliders[key].value != value:
                self.sliders[key].value = value

    def refresh(self) -> None:
        """Re-run the simulation for the current slider values and redraw."""
        start = time.perf_counter()
        try:
            result = self.simulate(**self.params())
        except ValueError as exc:  # invalid combination: say so, keep the last figure
            self.message.value = f"<b>Cannot run with these values:</b> {_escape(str(exc))}"
            self.last_seconds = time.perf_counter() - start
            return
        self.figure.clear()
        self.draw(self.figure, result)
        self.image.value = self.figure.to_svg().encode()
        self.numbers = result.numbers
        self.numbers_html.value = _numbers_html(result.numbers)
        self.message.value = "<br>".join(_escape(m) for m in result.messages)
        self.last_seconds = time.perf_counter() - start

    def _on_change(self, change) -> None:
        self.refresh()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def slider(description, value, lo, hi, step, *, log=False, fmt=".3g"):
    """A slider that reports on release; ``log=True`` moves it in powers of ten from lo to hi."""
    kwargs = dict(
        description=description,
        value=value,
        continuous_update=False,
        readout_format=fmt,
        style=_STYLE,
        layout=W.Layout(width=_WIDTH),
    )
    if log:
        return W.FloatLogSlider(base=10, min=np.log10(lo), max=np.log10(hi), step=step, **kwargs)
    return W.FloatSlider(min=lo, max=hi, step=step, **kwargs)


def dropdown(description, options, value):
    """A dropdown laid out like the sliders."""
    return W.Dropdown(
        description=description,
        options=options,
        value=value,
        style=_STYLE,
        layout=W.Layout(width=_WIDTH),
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _numbers_html(numbers: dict) -> str:
    cells = "".join(
        f'<tr><td style="padding-right:1em">{_escape(k)}</td>'
        f'<td><span class="ak-num" data-key="{k}">{v:.6g}</span></td></tr>'
        for k, v in numbers.items()
    )
    return f'<table style="font-family:monospace;font-size:12px">{cells}</table>'
