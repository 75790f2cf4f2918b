"""One consistent look for figures, notebooks and dashboards: rcParams and a colour per method."""

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
    """Apply analogkit's rcParams for the rest of the session (``notebook()`` does this too)."""
    mpl.rcParams.update(RC)


def notebook(dpi: int = 80) -> None:
    """The whole setup a notebook needs: analogkit's rcParams and inline PNG figures at `dpi`.

    Every figure, whether drawn in the notebook or made by ``ak.figures.make``, is shown at the
    same resolution, so no cell needs to set a dpi of its own. Outside IPython only the rcParams
    are applied.
    """
    apply()
    mpl.rcParams["figure.dpi"] = dpi
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to configure
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.run_line_magic("matplotlib", "inline")
    shell.run_line_magic("config", "InlineBackend.figure_format = 'png'")
    shell.run_line_magic(
        "config", f"InlineBackend.print_figure_kwargs = {{'bbox_inches': 'tight', 'dpi': {dpi}}}"
    )
