"""The Dashboard every widget builds on: sliders -> simulate -> draw, with the DOM contract.

A subclass defines ``name``, ``controls`` (the sliders), ``simulate`` (parameters -> a
:class:`Result`) and ``draw`` (a Result -> an :class:`~analogkit.svg.SvgFigure`); the base class
lays out the widgets with the CSS classes of the contract in the package docstring, checks every
value given to it against its control (:meth:`Dashboard.check`), redraws on every slider change
and turns a ``ValueError`` of a slider move into a message, with the figure marked stale, instead
of a traceback.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from numbers import Integral, Real

import ipywidgets as W
import numpy as np

from analogkit.svg import SvgFigure

__all__ = ["Dashboard", "Result", "slider", "int_slider", "dropdown"]

#: the label width and widget width every control shares
_STYLE = {"description_width": "90px"}
_WIDTH = "300px"

#: greys the figure and numbers of a dashboard whose current values cannot be run
_STALE_CSS = "<style>.ak-stale .ak-figure, .ak-stale .ak-numbers { opacity: 0.4; }</style>"
_STALE_NOTE = "(figure shows the previous values)"


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
    """Sliders -> simulate -> draw. Subclasses define ``name``, ``controls``, ``simulate``, ``draw``.

    ``defaults`` are the controls' own values (what :meth:`compute` fills in for the parameters it
    is not given); ``initial`` are the values the dashboard was created with (what :meth:`reset`
    returns to). Every value given to the dashboard -- as a keyword here, to :meth:`set`,
    :meth:`compute` or :meth:`result` -- is checked by :meth:`check` and never clamped.
    """

    name = "dashboard"
    size = (900, 330)  # px

    def __init__(self, **values):
        self.sliders = self.controls()
        for key, widget in self.sliders.items():
            widget.add_class(f"ak-slider-{key}")
        self.defaults = self.params()
        for key, value in self.check(values).items():
            self.sliders[key].value = value
        self.initial = self.params()
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
        style = W.HTML(_STALE_CSS, layout=W.Layout(display="none"))
        self.widget = W.VBox([style, controls, self.image, self.numbers_html, self.message])
        self.widget.add_class("ak-dashboard")
        self.widget.add_class(f"ak-{self.name}")
        self.numbers: dict = {}
        self.last_seconds = float("nan")
        self._moving = False  # set() is moving sliders: their callbacks wait for its one redraw
        start = time.perf_counter()
        self._show(self.simulate(**self.initial), start)  # values that cannot run raise here
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

    @property
    def stale(self) -> bool:
        """True while the figure and numbers show earlier values than the sliders (class ak-stale)."""
        return "ak-stale" in self.widget._dom_classes

    def check(self, values: dict) -> dict:
        """`values` checked against the controls, as the plain values the controls hold.

        A number must be a real number (Python or numpy) inside its slider's closed range (an
        integer for an integer slider), a dropdown value one of its options, a checkbox value a
        bool. TypeError for a wrong type, ValueError for unknown names, values out of range (NaN
        and ±inf included) or not among the options; each message names the control and what it
        takes. Nothing is clamped.
        """
        unknown = [key for key in values if key not in self.sliders]
        if unknown:
            s = "s" if len(unknown) > 1 else ""
            raise ValueError(
                f"{type(self).__name__} has no parameter{s} {', '.join(map(repr, unknown))}; "
                f"choose from {', '.join(self.sliders)}"
            )
        return {key: _check(key, self.sliders[key], value) for key, value in values.items()}

    def result(self, **params) -> Result:
        """Numbers, messages and data for these parameters (defaults for the others), not drawn."""
        return self.simulate(**{**self.defaults, **self.check(params)})

    def compute(self, **params) -> dict:
        """The key numbers for these parameters (defaults for the others), without the widgets."""
        return self.result(**params).numbers

    def set(self, **values) -> None:
        """Move several sliders at once, with one redraw.

        Every value is checked, and the new setting simulated, before any slider moves: a value
        or a combination that cannot run raises and leaves the dashboard as it was.
        """
        start = time.perf_counter()
        values, current = self.check(values), self.params()
        params = {**current, **values}
        if params == current:
            return
        result = self.simulate(**params)
        self._moving = True
        try:
            for key, value in values.items():
                self.sliders[key].value = value
        finally:
            self._moving = False
        self._show(result, start)

    def reset(self) -> None:
        """Put every slider back to the value the dashboard was created with (one redraw)."""
        self.set(**self.initial)

    def refresh(self) -> None:
        """Re-run the simulation for the current slider values and redraw.

        Values that cannot run (a ``ValueError``) keep the last figure and numbers, greyed by the
        class ``ak-stale``, with the reason and a note in the message line.
        """
        start = time.perf_counter()
        try:
            result = self.simulate(**self.params())
        except ValueError as exc:
            self.widget.add_class("ak-stale")
            self.message.value = (
                f"<b>Cannot run with these values:</b> {_escape(str(exc))} <i>{_STALE_NOTE}</i>"
            )
            self.last_seconds = time.perf_counter() - start
            return
        self._show(result, start)

    def _show(self, result: Result, start: float) -> None:
        self.figure.clear()
        self.draw(self.figure, result)
        self.image.value = self.figure.to_svg().encode()
        self.numbers = result.numbers
        self.numbers_html.value = _numbers_html(result.numbers)
        self.message.value = "<br>".join(_escape(m) for m in result.messages)
        self.widget.remove_class("ak-stale")
        self.last_seconds = time.perf_counter() - start

    def _on_change(self, change) -> None:
        if not self._moving:
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
    if log:  # log10 rounds: an end widened by an ulp where 10**log10(x) falls inside [lo, hi]
        a, b = np.log10(lo), np.log10(hi)
        a = np.nextafter(a, -np.inf) if 10**a > lo else a
        b = np.nextafter(b, np.inf) if 10**b < hi else b
        return W.FloatLogSlider(base=10, min=a, max=b, step=step, **kwargs)
    return W.FloatSlider(min=lo, max=hi, step=step, **kwargs)


def int_slider(description, value, lo, hi):
    """A slider of the integers from lo to hi that reports on release."""
    return W.IntSlider(
        description=description,
        value=value,
        min=lo,
        max=hi,
        continuous_update=False,
        style=_STYLE,
        layout=W.Layout(width=_WIDTH),
    )


def dropdown(description, options, value):
    """A dropdown laid out like the sliders."""
    return W.Dropdown(
        description=description,
        options=options,
        value=value,
        style=_STYLE,
        layout=W.Layout(width=_WIDTH),
    )


def _check(name: str, widget, value):
    """One value for one control (see Dashboard.check)."""
    if isinstance(widget, W.Checkbox):
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False, got {type(value).__name__}")
        return bool(value)
    if isinstance(widget, W.Dropdown):
        options = ", ".join(map(str, widget.options))
        if not isinstance(value, str):
            raise TypeError(
                f"{name} must be a string, one of {options}; got {type(value).__name__}"
            )
        if value not in widget.options:
            raise ValueError(f"{name} must be one of {options}; got {value!r}")
        return str(value)
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]  # a 0-d array counts as its number
    if isinstance(widget, W.IntSlider):
        lo, hi = widget.min, widget.max
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral):
            raise TypeError(
                f"{name} must be an integer in [{lo}, {hi}], got {type(value).__name__}"
            )
        if not lo <= value <= hi:
            raise ValueError(f"{name} must lie in [{lo}, {hi}], got {value}")
        return int(value)
    if isinstance(widget, W.FloatLogSlider):
        lo, hi = widget.base**widget.min, widget.base**widget.max
    else:
        lo, hi = widget.min, widget.max
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise TypeError(
            f"{name} must be a real number in [{lo:g}, {hi:g}], got {type(value).__name__}"
        )
    if not lo <= value <= hi:  # NaN too
        raise ValueError(f"{name} must lie in [{lo:g}, {hi:g}], got {value}")
    return float(value)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _numbers_html(numbers: dict) -> str:
    cells = "".join(
        f'<tr><td style="padding-right:1em">{_escape(k)}</td>'
        f'<td><span class="ak-num" data-key="{k}">{v:.6g}</span></td></tr>'
        for k, v in numbers.items()
    )
    return f'<table style="font-family:monospace;font-size:12px">{cells}</table>'
