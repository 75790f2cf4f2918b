"""Plots of a run: f - f* over the steps, a reference level, and a message in place of a plot."""

from __future__ import annotations

import numpy as np

from analogkit.plotting.axes import Axes
from analogkit.style import COLORS
from analogkit.trace import Trace

__all__ = ["plot_loss", "plot_level", "plot_message", "band_note"]

#: what the shaded band of :func:`plot_loss` is, for captions and legends
BAND = "shaded: 10–90 % quantiles over the trials"


def plot_message(ax: Axes, text: str):
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


def band_note(trace: Trace | None = None) -> str:
    """The caption of :func:`plot_loss`'s band: its quantiles and, given a trace, the trial count."""
    return BAND if trace is None else f"{BAND} ({trace.trials} trials)"


def plot_loss(ax: Axes, trace: Trace, *, quantity="loss", label=None, color=None, band=True, **kw):
    """Mean over the trials of f - f* (or the squared gradient norm) against the step, log scale.

    Trials that diverged are left out of the mean and counted in the label; if every trial
    diverged, nothing is drawn and the label says so (never a line of NaN).

    Args:
        ax: matplotlib axes.
        trace: a Trace.
        quantity: "loss" (f - f*) or "grad_norm2".
        label, color: legend label and colour.
        band: shade the 10 %-90 % quantiles over the trials (say so in the caption:
            :func:`band_note`).

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


def plot_level(ax: Axes, value: float, *, label=None, color=None, ls="--", **kw):
    """A horizontal reference level (a theoretical floor or bound); skipped when not positive."""
    if not np.isfinite(value) or value <= 0:
        return None
    return ax.axhline(value, color=color or COLORS["theory"], ls=ls, lw=1.2, label=label, **kw)
