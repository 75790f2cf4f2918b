"""One consistent look for figures, notebooks and dashboards: rcParams and a colour per method.

Imports nothing from analogkit.
"""

from __future__ import annotations

import contextlib

import matplotlib as mpl

#: colour of each method / curve family, used by every plot
COLORS = {
    "digital": "#222222",
    "analog": "#d62728",
    "tiki-taka": "#1f77b4",
    "residual": "#2ca02c",
    "ttv2": "#9467bd",
    "theory": "#ff7f0e",
    "q_plus": "#1f77b4",
    "q_minus": "#d62728",
    "F": "#2ca02c",
    "G": "#9467bd",
}

RC = {
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "figure.figsize": (6.4, 4.0),
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "lines.linewidth": 1.6,
    "svg.hashsalt": "analogkit",
    "svg.fonttype": "none",
    "path.simplify": True,
}


@contextlib.contextmanager
def context():
    """Temporarily apply analogkit's rcParams."""
    with mpl.rc_context(RC):
        yield


def apply() -> None:
    """Apply analogkit's rcParams for the rest of the session (notebooks call this once)."""
    mpl.rcParams.update(RC)
