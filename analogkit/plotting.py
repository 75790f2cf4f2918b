"""Plot functions: each takes a matplotlib ``ax`` (and data or a device) and returns the artists.

No hidden global state: nothing here creates figures, saves files or runs long simulations.
Imports devices, pulses, trace and style; never widgets, figures or notebooks.
"""

from __future__ import annotations

import numpy as np

from analogkit.devices import Device
from analogkit.pulses import PulseConfig, pulse_response
from analogkit.style import COLORS

__all__ = ["plot_response", "plot_pulse_staircase", "plot_message"]


def plot_response(ax, device: Device, *, curves=("q_plus", "q_minus", "F", "G"), n: int = 201, legend=True):
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
        (artists[name],) = ax.plot(w, y, styles.get(name, "-"), color=COLORS[name], label=labels[name])
    sp = device.symmetric_point
    artists["symmetric_point"] = ax.axvline(sp, color="0.4", lw=0.8, ls="-.", label=rf"$w_\diamond={sp:.3g}$")
    ax.axhline(0, color="0.6", lw=0.6)
    ax.set_xlabel("weight $w$")
    ax.set_ylabel("response (units of $\\Delta w_{min}$)")
    if legend:
        ax.legend(loc="best")
    return artists


def plot_pulse_staircase(ax, device: Device, pulse: PulseConfig, n_up: int, n_down: int, *, rng=None, label=None, **kw):
    """Conductance-weight against pulse number: n_up up pulses then n_down down pulses.

    Returns:
        The Line2D (or list of lines for array-parameter devices).
    """
    trace = pulse_response(device, pulse, n_up, n_down, rng=rng)
    lines = ax.plot(np.arange(trace.shape[0]), trace, label=label, **kw)
    ax.axvline(n_up, color="0.7", lw=0.6)
    ax.set_xlabel("pulse number")
    ax.set_ylabel("weight $w$")
    return lines if len(lines) > 1 else lines[0]


def plot_message(ax, text: str):
    """Replace an axes' content by a clear message (used when a run diverged or inputs are invalid)."""
    ax.clear()
    ax.set_axis_off()
    return ax.text(0.5, 0.5, text, ha="center", va="center", wrap=True, transform=ax.transAxes,
                   color="#b00020", fontsize=10)
