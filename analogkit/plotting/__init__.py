"""Plot functions: each takes an ``ax`` (and data or a device) and returns the artists.

``ax`` is a matplotlib Axes or the dashboards' :class:`analogkit.svg.SvgAxes`; both implement the
subset of the Axes API stated in :mod:`analogkit.plotting.axes`. No hidden global state: nothing
here creates figures, saves files or runs simulations.
"""

from analogkit.plotting.devices import plot_pulse_staircase, plot_response
from analogkit.plotting.networks import plot_accuracy
from analogkit.plotting.traces import band_note, plot_level, plot_loss, plot_message

__all__ = [
    "plot_response",
    "plot_pulse_staircase",
    "plot_loss",
    "plot_level",
    "plot_message",
    "plot_accuracy",
    "band_note",
]
