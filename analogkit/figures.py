"""The figures of ``make figures``: each is a function that builds a matplotlib Figure from analogkit.

Every figure function takes ``quick`` (fewer trials/steps, for tests) and returns a
:class:`FigureResult`: the Figure and the key numbers behind it for ``figures/summary.md``.
Notebooks call the same functions, so there is one source. Files are written deterministically
(PNG without a Software tag, fixed SVG hash salt), so two runs give byte-identical files.

Imports devices, pulses, problems, algorithms, theory, plotting and style; never widgets.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from analogkit import devices as dv
from analogkit.plotting import plot_pulse_staircase, plot_response
from analogkit.pulses import PulseConfig
from analogkit.style import context

__all__ = ["FigureResult", "Row", "FIGURES", "make", "save", "write", "summary_markdown"]


@dataclass(frozen=True)
class Row:
    """One line of figures/summary.md: a number behind a figure, with what theory says."""

    quantity: str
    value: float
    reference: float | None = None
    note: str = ""


@dataclass
class FigureResult:
    """A figure and the key numbers it shows."""

    name: str
    figure: matplotlib.figure.Figure
    rows: list[Row] = field(default_factory=list)
    caption: str = ""


#: name -> figure function(quick: bool) -> FigureResult, in the order they are written
FIGURES: dict[str, Callable[[bool], FigureResult]] = {}


def register(name: str):
    def deco(fn):
        FIGURES[name] = fn
        fn.figure_name = name
        return fn

    return deco


def make(name: str, quick: bool = False) -> FigureResult:
    """Build one figure by name (a ValueError lists the valid names)."""
    if name not in FIGURES:
        raise ValueError(f"unknown figure {name!r}; valid names: {', '.join(FIGURES)}")
    with context():
        return FIGURES[name](quick)


def save(fig, path: Path) -> None:
    """Save deterministically: no Software/date metadata in PNG, fixed hash salt and no date in SVG."""
    path = Path(path)
    if path.suffix == ".svg":
        fig.savefig(path, metadata={"Date": None, "Creator": None})
    else:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
        path.write_bytes(buf.getvalue())


def summary_markdown(results: list[FigureResult]) -> str:
    """The table of key numbers behind the figures."""
    lines = [
        "# Key numbers behind the figures",
        "",
        "Written by `python -m analogkit figures`; every number is recomputed from a seeded run.",
        "",
        "| figure | quantity | simulated | theory / reference | note |",
        "|---|---|---|---|---|",
    ]
    for res in results:
        for row in res.rows:
            ref = "" if row.reference is None else f"{row.reference:.4g}"
            lines.append(f"| {res.name} | {row.quantity} | {row.value:.4g} | {ref} | {row.note} |")
    return "\n".join(lines) + "\n"


def write(out: Path, names=None, quick: bool = False, progress: bool = True) -> list[Path]:
    """Write the named figures (all by default) as PNG into `out`, plus summary.md."""
    names = list(FIGURES) if not names else list(names)
    for name in names:
        if name not in FIGURES:
            raise ValueError(f"unknown figure {name!r}; valid names: {', '.join(FIGURES)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    bar = _progress(names, progress)
    results, written = [], []
    for name in bar:
        if hasattr(bar, "set_description"):
            bar.set_description(name)
        res = make(name, quick)
        path = out / f"{name}.png"
        save(res.figure, path)
        plt.close(res.figure)
        results.append(res)
        written.append(path)
    summary = out / "summary.md"
    summary.write_text(summary_markdown(results))
    return written + [summary]


def _progress(items, enabled):
    if not enabled:
        return items
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm comes with the notebooks extra; without it, no bar
        return items
    return tqdm(items, unit="figure")


# --------------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------------

RESPONSE_EXAMPLES = {
    "linear, c = 0.2": dv.LinearDevice(tau=1.0, asymmetry=0.2),
    "soft bounds (aihwkit), up_down = 0.3": dv.SoftBoundsDevice(w_min=-0.8, w_max=1.2, up_down=0.3),
    "power, γ = 2": dv.PowerDevice(tau=1.0, gamma=2.0),
    "exponential, γ = 3, c = 0.2": dv.ExponentialDevice(tau=1.0, gamma=3.0, asymmetry=0.2),
    "piecewise (tabulated)": dv.PiecewiseDevice(
        np.array([-1.0, -0.5, 0.0, 0.5, 1.0]),
        np.array([1.6, 1.3, 0.9, 0.5, 0.0]),
        np.array([0.0, 0.7, 1.0, 1.2, 1.3]),
    ),
}


@register("response_functions")
def response_functions(quick: bool = False) -> FigureResult:
    """q±, F, G and the symmetric point of each device family, and their pulse staircases."""
    fig, axes = plt.subplots(2, 3, figsize=(11, 6.2), layout="constrained")
    rows = []
    for ax, (title, device) in zip(axes.flat, RESPONSE_EXAMPLES.items()):
        plot_response(ax, device, legend=ax is axes.flat[0])
        sp = device.symmetric_point
        ax.set_title(f"{title}  (w⋄ = {sp:.3g})")
        rows.append(Row(f"symmetric point, {title}", sp, None, f"G(w⋄) = {device.G(sp):.1e}"))
    ax = axes.flat[-1]
    pulse = PulseConfig(dw_min=0.02)
    for title, device in RESPONSE_EXAMPLES.items():
        plot_pulse_staircase(ax, device, pulse, 250, 250, label=title.split(",")[0])
    ax.set_title("pulse staircase (Δw_min = 0.02)")
    ax.legend(loc="lower center")
    fig.suptitle("Device response functions: up/down responses, symmetric and asymmetric parts")
    return FigureResult("response_functions", fig, rows,
                        "Each family's q±, F, G and symmetric point, and its up/down pulse staircase.")
