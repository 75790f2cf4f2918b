"""Plots of a device: its response functions and its up/down pulse staircase."""

from __future__ import annotations

import numpy as np

from analogkit.devices import Device
from analogkit.plotting.axes import Axes
from analogkit.style import COLORS

__all__ = ["plot_response", "plot_pulse_staircase"]


def plot_response(
    ax: Axes, device: Device, *, curves=("q_plus", "q_minus", "F", "G"), n: int = 201, legend=True
):
    """q_plus, q_minus, F and G of a device over its range, with the symmetric point marked.

    Args:
        ax: matplotlib axes.
        device: a device with scalar parameters (an ideal device is drawn on [-1, 1]).
        curves: which of "q_plus", "q_minus", "F", "G" to draw.
        n: number of points.
        legend: draw a legend.

    Returns:
        Dict of curve name -> Line2D (plus "symmetric_point" -> the marker line).
    """
    lo, hi = device.bounds
    lo, hi = (lo, hi) if np.isfinite(lo) else (-1.0, 1.0)
    w = np.linspace(lo, hi, n)
    labels = {"q_plus": r"$q_+(w)$", "q_minus": r"$q_-(w)$", "F": r"$F(w)$", "G": r"$G(w)$"}
    styles = {"F": "--", "G": ":"}
    artists = {}
    for name in curves:
        y = getattr(device, name)(w)
        (artists[name],) = ax.plot(
            w, y, styles.get(name, "-"), color=COLORS[name], label=labels[name]
        )
    sp = device.symmetric_point
    artists["symmetric_point"] = ax.axvline(
        sp, color="0.4", lw=0.8, ls="-.", label=rf"$w_\diamond={sp:.3g}$"
    )
    ax.axhline(0, color="0.6", lw=0.6)
    ax.set_xlabel("weight $w$")
    ax.set_ylabel("response (units of $\\Delta w_{min}$)")
    if legend:
        ax.legend(loc="best")
    return artists


def plot_pulse_staircase(ax: Axes, staircase, n_up: int, *, label=None, **kw):
    """Conductance-weight against pulse number, for a staircase from :func:`analogkit.pulse_response`.

    Args:
        ax: matplotlib axes.
        staircase: array of shape (n_up + n_down + 1, ...): the weight before any pulse and after
            each pulse (one column per device for array-parameter devices).
        n_up: number of up pulses before the down pulses start (marked by a vertical line).
        label: legend label.
        **kw: passed on to ``ax.plot``.

    Returns:
        The Line2D (or list of lines for several devices).
    """
    staircase = np.asarray(staircase)
    lines = ax.plot(np.arange(staircase.shape[0]), staircase, label=label, **kw)
    ax.axvline(n_up, color="0.7", lw=0.6)
    ax.set_xlabel("pulse number")
    ax.set_ylabel("weight $w$")
    return lines if len(lines) > 1 else lines[0]
