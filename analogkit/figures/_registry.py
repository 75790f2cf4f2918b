"""The registry of figures, how one is built from its compute() and draw(), and how they are written.

A figure is split in two: ``compute(quick)`` runs the simulations and the theory and returns a
:class:`FigureData` (the summary rows keyed by name and whatever the drawing needs);
``draw(fig, data)`` only draws that data on the matplotlib figure it is given. Files are written
deterministically (PNG without a Software tag, fixed SVG hash salt), so two runs give
byte-identical files. ``write`` saves each figure twice from the same data: a PNG at its own size
and an SVG at slide size (16:9, :data:`SLIDE`) with larger fonts.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import matplotlib
import matplotlib.figure
import matplotlib.pyplot as plt
import matplotlib.text

from analogkit.style import context

__all__ = [
    "Row",
    "FigureData",
    "by_quantity",
    "FigureResult",
    "FigureSpec",
    "FIGURES",
    "register",
    "make",
    "save",
    "slide",
    "SLIDE",
    "SLIDE_MIN_FONT",
    "write",
    "output_dir",
    "summary_markdown",
]


@dataclass(frozen=True)
class Row:
    """One line of figures/summary.md: a number behind a figure, with what theory says."""

    quantity: str
    value: float
    reference: float | None = None
    note: str = ""


class FigureData(SimpleNamespace):
    """What a figure's compute() returns: ``rows`` (name -> Row, in summary order) and, as further
    attributes, everything its draw() needs (traces, theory curves, settings)."""

    def __init__(self, rows: dict[str, Row], **drawn):
        super().__init__(rows=dict(rows), **drawn)


def by_quantity(rows: Iterable[Row]) -> dict[str, Row]:
    """Summary rows keyed by their quantity, which must then be unique."""
    rows = list(rows)
    keyed = {row.quantity: row for row in rows}
    if len(keyed) != len(rows):
        raise ValueError("two summary rows share a quantity; key them by name instead")
    return keyed


@dataclass
class FigureResult:
    """A figure and the key numbers it shows."""

    name: str
    figure: matplotlib.figure.Figure
    rows: list[Row] = field(default_factory=list)
    caption: str = ""


class FigureSpec:
    """A named figure: its compute() and draw(), the figure size, and a caption.

    Calling it, ``spec(quick)``, computes the data and draws it on a new figure.
    """

    def __init__(
        self,
        name: str,
        compute: Callable[[bool], FigureData],
        draw: Callable[[matplotlib.figure.Figure, FigureData], None],
        *,
        figsize: tuple[float, float],
        caption: str,
    ):
        self.name, self.compute, self.draw = name, compute, draw
        self.figsize, self.caption = figsize, caption
        self.__doc__ = compute.__doc__  # what `--list` and help() show

    def __call__(self, quick: bool = False) -> FigureResult:
        return self.render(self.compute(quick))

    def render(self, data: FigureData) -> FigureResult:
        """Draw computed data on a new figure (managed by pyplot, so notebooks show it)."""
        fig = plt.figure(figsize=self.figsize, layout="constrained")
        self.draw(fig, data)
        return FigureResult(self.name, fig, list(data.rows.values()), self.caption)

    def __repr__(self) -> str:
        return f"FigureSpec({self.name!r})"


#: name -> FigureSpec, in the order they are written
FIGURES: dict[str, FigureSpec] = {}


def register(spec: FigureSpec) -> FigureSpec:
    """Add a figure to :data:`FIGURES` under its name."""
    FIGURES[spec.name] = spec
    return spec


def _check(name: str) -> None:
    if name not in FIGURES:
        raise ValueError(f"unknown figure {name!r}; valid names: {', '.join(FIGURES)}")


def make(name: str, quick: bool = False) -> FigureResult:
    """Build one figure by name (a ValueError lists the valid names)."""
    _check(name)
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


#: the SVG's size in inches: a 16:9 slide (PowerPoint/Keynote widescreen)
SLIDE = (13.33, 7.5)
#: the fonts of the slide-size SVG, readable when projected
SLIDE_RC = {
    "font.size": 14,
    "axes.titlesize": 15,
    "axes.labelsize": 14,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "figure.titlesize": 16,
}
#: no text of the slide-size SVG is smaller than this (points)
SLIDE_MIN_FONT = 10


def slide(spec: FigureSpec, data: FigureData) -> matplotlib.figure.Figure:
    """The figure drawn again from `data` at slide size (:data:`SLIDE`) with larger fonts (none
    below :data:`SLIDE_MIN_FONT`), on a figure outside pyplot (nothing to close)."""
    with context(), matplotlib.rc_context(SLIDE_RC):
        fig = matplotlib.figure.Figure(figsize=SLIDE, layout="constrained")
        spec.draw(fig, data)
        for text in fig.findobj(matplotlib.text.Text):
            text.set_fontsize(max(text.get_fontsize(), SLIDE_MIN_FONT))
    return fig


#: what write() calls the summary of some of the figures (summary.md needs all of them)
PARTIAL_SUMMARY = "partial-summary.md"


def output_dir(out) -> Path:
    """`out` as a directory to write into, created if needed; ValueError saying why not."""
    if not isinstance(out, (str, Path)) or not str(out).strip():
        raise ValueError(f"the output directory must be a non-empty path, got {out!r}")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"the output directory {str(out)!r} exists and is not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValueError(
            f"cannot create the output directory {str(out)!r}: {exc.strerror}"
        ) from None
    return out


def write(out: Path, names=None, quick: bool = False, progress: bool = True) -> list[Path]:
    """Write the named figures (all by default) into `out` as PNG and as slide-size SVG, with
    their summary.

    The summary of every figure is ``summary.md``; a subset writes ``partial-summary.md`` with
    only its own rows, so that making a few figures never overwrites the full summary.
    """
    names = list(FIGURES) if not names else list(names)
    for name in names:
        _check(name)
    out = output_dir(out)
    bar = _progress(names, progress)
    results, written = [], []
    for name in bar:
        if hasattr(bar, "set_description"):
            bar.set_description(name)
        spec = FIGURES[name]
        with context():
            data = spec.compute(quick)
            res = spec.render(data)
        png, svg = out / f"{name}.png", out / f"{name}.svg"
        save(res.figure, png)  # saved after the style, as make()'s figures are in a notebook
        plt.close(res.figure)
        with context():  # the SVG hash salt applies when saving
            save(slide(spec, data), svg)
        results.append(res)
        written += [png, svg]
    complete = set(names) == set(FIGURES)
    summary = out / ("summary.md" if complete else PARTIAL_SUMMARY)
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
