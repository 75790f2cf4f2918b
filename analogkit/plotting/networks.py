"""The plot of a network's training: test accuracy against epoch, every seed at once."""

from __future__ import annotations

import numpy as np

from analogkit.plotting.axes import Axes

__all__ = ["plot_accuracy"]


def plot_accuracy(ax: Axes, curve, *, label=None, color=None, ls="-", band=True):
    """Mean test accuracy (%) over the seeds against epoch, with the seeds' range shaded.

    Args:
        ax: matplotlib axes or the dashboards' SvgAxes.
        curve: (epochs + 1, seeds) accuracies in % (NaN or None for a diverged seed, left out).
        label, color, ls: legend label, colour and line style of the mean.
        band: shade from the lowest to the highest seed.

    Returns:
        The line of the mean, or None when every seed diverged.
    """
    acc = np.asarray(curve, dtype=float)
    acc = acc[:, np.isfinite(acc).all(axis=0)]
    ax.set_xlabel("epoch")
    ax.set_ylabel("test accuracy (%)")
    if acc.shape[1] == 0:
        ax.plot([], [], color=color, label=None if label is None else f"{label} (diverged)")
        return None
    epochs = np.arange(acc.shape[0])
    (line,) = ax.plot(epochs, acc.mean(axis=1), color=color, ls=ls, label=label)
    if band and acc.shape[1] > 1:
        ax.fill_between(
            epochs, acc.min(axis=1), acc.max(axis=1), color=line.get_color(), alpha=0.15
        )
    return line
