"""Dashboards: sliders wired to simulations and plots, for the notebooks and the Voilà explorer.

Each factory returns a :class:`Dashboard`. Displaying it shows sliders, a figure (an
``ipywidgets.Image`` holding an SVG re-drawn on each change by ``analogkit.svg``, so that a slider
answers well under 200 ms), the key numbers and a message line that
explains extreme settings (a diverging learning rate, no noise, asymmetry near 1) instead of a
traceback. ``dashboard.compute(**params)`` returns the numbers for any parameters without
touching the widgets, so tests and the browser checks can compare against it;
``dashboard.set(**values)`` moves several sliders with one redraw and ``dashboard.reset()``
returns to the values the dashboard was created with. Every value given to a dashboard (those
calls, ``result`` and the factory's keywords) must be of its control's type (TypeError) and inside
its slider's range (ValueError, NaN and ±inf included); nothing is clamped. (Assigning to
``dashboard.sliders[name].value`` bypasses this: ipywidgets clamps it to the slider's range.)

DOM contract (used by the browser tests): the dashboard box has classes ``ak-dashboard`` and
``ak-<name>``; each slider has ``description`` = parameter name and class ``ak-slider-<param>``;
the figure has class ``ak-figure``; the numbers are ``<span class="ak-num" data-key=KEY>`` inside
class ``ak-numbers``; the message has class ``ak-message``. When the current slider values cannot
be run, the box also has class ``ak-stale`` (the figure and numbers, still those of the previous
values, greyed to opacity 0.4) and the message gives the reason and ends with "(figure shows the
previous values)"; both go at the next good redraw.

Simulations are cached per algorithm and parameters (:mod:`analogkit.widgets.runs`), so moving a
slider re-runs only the algorithms that depend on it.

Modules: ``base`` (Dashboard, Result, the controls), ``runs`` (the seeded, cached runs) and one
module per dashboard: ``device``, ``asgd``, ``lower_bound``, ``tiki_taka``, ``multi_tile``,
``network``, ``pipeline``.
"""

from analogkit.widgets.asgd import AsgdDashboard, asgd_dashboard
from analogkit.widgets.base import Dashboard, Result
from analogkit.widgets.device import DeviceDashboard, device_dashboard
from analogkit.widgets.lower_bound import LowerBoundDashboard, lower_bound_dashboard
from analogkit.widgets.multi_tile import MultiTileDashboard, multi_tile_dashboard
from analogkit.widgets.network import NetworkDashboard, network_dashboard
from analogkit.widgets.pipeline import PipelineDashboard, pipeline_dashboard
from analogkit.widgets.runs import SEED, TRIALS
from analogkit.widgets.tiki_taka import TikiTakaDashboard, tiki_taka_dashboard

__all__ = [
    "Dashboard",
    "Result",
    "device_dashboard",
    "asgd_dashboard",
    "lower_bound_dashboard",
    "tiki_taka_dashboard",
    "multi_tile_dashboard",
    "network_dashboard",
    "pipeline_dashboard",
    "DeviceDashboard",
    "AsgdDashboard",
    "LowerBoundDashboard",
    "TikiTakaDashboard",
    "MultiTileDashboard",
    "NetworkDashboard",
    "PipelineDashboard",
    "SEED",
    "TRIALS",
]
