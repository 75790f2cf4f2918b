"""Plot functions: each takes a matplotlib ``ax`` (and data or a device) and returns the artists.

No hidden global state: nothing here creates figures, saves files or runs long simulations.
"""

from __future__ import annotations

import numpy as np

from analogkit.devices import Device
from analogkit.style import COLORS
from analogkit.trace import Trace

__all__ = ["plot_response", "plot_pulse_staircase", "plot_loss", "plot_level", "plot_message"]


def plot_response(
    ax, device: Device, *, curves=("q_plus", "q_minus", "F", "G"), n: int = 201, legend=True
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


def plot_pulse_staircase(ax, staircase, n_up: int, *, label=None, **kw):
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


def plot_message(ax, text: str):
    """Replace an axes' content by a clear message (used when a run diverged or inputs are invalid)."""
    ax.clear()
    ax.set_axis_off()
    return ax.text(
        0.5,
        0.5,
        text,
        ha="center",
        va="center",
        wrap=True,
        transform=ax.transAxes,
        color="#b00020",
        fontsize=10,
    )


def plot_loss(ax, trace: Trace, *, quantity="loss", label=None, color=None, band=True, **kw):
    """Mean over the trials of f - f* (or the squared gradient norm) against the step, log scale.

    Trials that diverged are left out of the mean and counted in the label; if every trial
    diverged, nothing is drawn and the label says so (never a line of NaN).

    Args:
        ax: matplotlib axes.
        trace: a Trace.
        quantity: "loss" (f - f*) or "grad_norm2".
        label, color: legend label and colour.
        band: shade the 10 %-90 % quantiles over the trials.

    Returns:
        The Line2D of the mean, or None when every trial diverged.
    """
    values = getattr(trace, quantity)
    ok = ~trace.diverged
    if label is not None and trace.any_diverged:
        label = f"{label} ({int(trace.diverged.sum())}/{trace.trials} diverged)"
    if not ok.any():
        ax.plot([], [], color=color, label=label)
        return None
    v = values[:, ok]
    (line,) = ax.plot(trace.steps, v.mean(axis=1), color=color, label=label, **kw)
    if band and v.shape[1] > 1:
        lo, hi = np.quantile(v, [0.1, 0.9], axis=1)
        ax.fill_between(trace.steps, lo, hi, color=line.get_color(), alpha=0.15, lw=0)
    ax.set_yscale("log")
    ax.set_xlabel("step $k$")
    ax.set_ylabel(r"$f(W_k) - f^*$" if quantity == "loss" else r"$\|\nabla f(W_k)\|^2$")
    return line


def plot_level(ax, value: float, *, label=None, color=None, ls="--", **kw):
    """A horizontal reference level (a theoretical floor or bound); skipped when not positive."""
    if not np.isfinite(value) or value <= 0:
        return None
    return ax.axhline(value, color=color or COLORS["theory"], ls=ls, lw=1.2, label=label, **kw)
