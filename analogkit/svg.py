"""A tiny SVG backend for the dashboards: renders a slider's figure in a few milliseconds.

matplotlib lays out every tick label, title and legend on each redraw, which on a 2-core machine
costs more than a slider's whole latency budget. :class:`SvgFigure` gives the dashboards an
Axes-like object supporting exactly the part of matplotlib's Axes API that
``analogkit.plotting`` and ``analogkit.widgets`` use (``plot``, ``fill_between``, ``axhline``,
``axvline``, ``text``, scales, labels, title, legend), so the same plot functions draw both the
figures (matplotlib) and the dashboards (SVG, drawn by the browser).

Imports only numpy, matplotlib.colors and analogkit.style.
"""

from __future__ import annotations

import math
import re

import numpy as np
from matplotlib.colors import to_hex

from analogkit.style import COLORS

__all__ = ["SvgFigure", "SvgAxes"]

_CYCLE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
_DASH = {
    "-": "",
    "--": "6,4",
    ":": "2,3",
    "-.": "7,3,2,3",
    "solid": "",
    "dashed": "6,4",
    "dotted": "2,3",
    "dashdot": "7,3,2,3",
    "None": "",
    "": "",
}
_TEX = {
    r"\|": "‖",
    r"\nabla": "∇",
    r"\Delta": "Δ",
    r"\diamond": "⋄",
    r"\sigma": "σ",
    r"\tau": "τ",
    r"\gamma": "γ",
    r"\Sigma": "Σ",
    r"\alpha": "α",
    r"\beta": "β",
    r"\bar": "",
    r"\mathrm": "",
    r"\,": " ",
}
_SUP = str.maketrans("0123456789*+-", "⁰¹²³⁴⁵⁶⁷⁸⁹*⁺⁻")
_SUB = dict(zip("0123456789+-aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
FONT = 11  # px


def _plain(text) -> str:
    """A matplotlib label as plain text: '$f(W_k) - f^*$' -> 'f(W_k) − f*'."""
    s = str(text)
    if "$" not in s:
        return s
    s = s.replace("$", "")
    for k, v in _TEX.items():
        s = s.replace(k, v)
    s = re.sub(r"\^\{([^}]*)\}|\^(\S)", lambda m: (m.group(1) or m.group(2)).translate(_SUP), s)
    s = re.sub(r"_\{([^}]*)\}|_(\S)", lambda m: _subscript(m.group(1) or m.group(2)), s)
    return s.replace("{", "").replace("}", "").replace(" - ", " − ")


def _subscript(text: str) -> str:
    return "".join(_SUB[c] for c in text) if all(c in _SUB for c in text) else text


def _esc(text) -> str:
    return _plain(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _color(c, default) -> str:
    if c is None:
        return default
    return c if isinstance(c, str) and c.startswith("#") else to_hex(c)


def _width(text: str, size: float = FONT) -> float:
    return 0.56 * size * len(_plain(text))


class _Line:
    def __init__(self, color):
        self._color = color

    def get_color(self):
        return self._color


class _Transform:
    """Stands for ``ax.transAxes``: text positions in axes fractions."""


class SvgAxes:
    """The subset of matplotlib's Axes that analogkit's plot functions use."""

    def __init__(self, box):
        self.box = box  # (left, top, width, height) in px
        self.transAxes = _Transform()
        self.clear()

    def clear(self):
        self.items, self.texts, self._cycle = [], [], 0
        self.xscale = self.yscale = "linear"
        self.title = self.xlabel = self.ylabel = ""
        self.legend_loc, self.axis_on = None, True
        self.xlim = self.ylim = None

    # -- drawing ----------------------------------------------------------------------------------
    def _next_color(self):
        c = _CYCLE[self._cycle % len(_CYCLE)]
        self._cycle += 1
        return c

    def plot(
        self,
        x,
        y=None,
        fmt=None,
        *,
        color=None,
        label=None,
        ls=None,
        linestyle=None,
        lw=None,
        linewidth=None,
        marker=None,
        **_,
    ):
        if y is None:
            x, y = np.arange(len(x)), x
        x, y = np.asarray(x, float), np.asarray(y, float)
        ys = y.reshape(len(y), -1).T if y.ndim > 1 else [y]
        style = ls or linestyle or (fmt.strip("o.") if isinstance(fmt, str) else None) or "-"
        if isinstance(fmt, str) and ("o" in fmt or "." in fmt):
            marker = "o"
        lines = []
        for i, yi in enumerate(ys):
            c = _color(color, self._next_color())
            self.items.append(
                (
                    "line",
                    x,
                    yi,
                    c,
                    _DASH.get(style, ""),
                    lw or linewidth or 1.6,
                    label if i == 0 else None,
                    marker,
                )
            )
            lines.append(_Line(c))
        return lines

    def fill_between(self, x, lo, hi, *, color=None, alpha=0.2, **_):
        self.items.append(
            (
                "band",
                np.asarray(x, float),
                np.asarray(lo, float),
                np.asarray(hi, float),
                _color(color, "#888888"),
                alpha,
            )
        )

    def axhline(self, y, *, color=None, ls="-", linestyle=None, lw=1.0, label=None, **_):
        self.items.append(
            (
                "hline",
                float(y),
                _color(color, COLORS["theory"]),
                _DASH.get(linestyle or ls, ""),
                lw,
                label,
            )
        )

    def axvline(self, x, *, color=None, ls="-", linestyle=None, lw=1.0, label=None, **_):
        self.items.append(
            ("vline", float(x), _color(color, "#666666"), _DASH.get(linestyle or ls, ""), lw, label)
        )

    def text(self, x, y, s, *, color="#222222", **_):
        self.texts.append((x, y, s, _color(color, "#222222")))

    # -- settings -----------------------------------------------------------------------------------
    def set_xscale(self, scale):
        self.xscale = scale

    def set_yscale(self, scale):
        self.yscale = scale

    def get_yscale(self):
        return self.yscale

    def set_xlabel(self, s):
        self.xlabel = s

    def set_ylabel(self, s):
        self.ylabel = s

    def set_title(self, s):
        self.title = s

    def set_xlim(self, lo, hi):
        self.xlim = (lo, hi)

    def set_ylim(self, lo, hi):
        self.ylim = (lo, hi)

    def legend(self, *_, loc="upper right", **__):
        self.legend_loc = loc

    def set_axis_off(self):
        self.axis_on = False

    # -- rendering ----------------------------------------------------------------------------------
    def _limits(self):
        xs, ys = [], []
        for it in self.items:
            if it[0] == "line":
                xs.append(it[1])
                ys.append(it[2])
            elif it[0] == "band":
                xs.append(it[1])
                ys += [it[2], it[3]]
            elif it[0] == "hline":
                ys.append(np.array([it[1]]))
            elif it[0] == "vline":
                xs.append(np.array([it[1]]))
        return (
            _range(xs, self.xscale, self.xlim, pad=0.02),
            _range(ys, self.yscale, self.ylim, pad=0.06),
        )

    def render(self) -> str:
        left, top, width, height = self.box
        out = []
        if self.title:
            out.append(_txt(left + width / 2, top - 8, self.title, anchor="middle", size=FONT + 1))
        if not self.axis_on:
            for fx, fy, s, c in self.texts:
                out.append(
                    _txt(
                        left + fx * width,
                        top + (1 - fy) * height,
                        s,
                        anchor="middle",
                        color=c,
                        size=FONT + 2,
                    )
                )
            return "".join(out)
        (x0, x1), (y0, y1) = self._limits()
        fx = _mapper(x0, x1, left, left + width, self.xscale)
        fy = _mapper(y0, y1, top + height, top, self.yscale)
        out.append(
            f'<rect x="{left}" y="{top}" width="{width}" height="{height}" fill="none" stroke="#bbb"/>'
        )
        for value, label in _ticks(x0, x1, self.xscale):
            px = fx(value)
            out.append(
                f'<line x1="{px:.1f}" y1="{top}" x2="{px:.1f}" y2="{top + height}" stroke="#eee"/>'
            )
            out.append(_txt(px, top + height + 13, label, anchor="middle", size=FONT - 1))
        for value, label in _ticks(y0, y1, self.yscale):
            py = fy(value)
            out.append(
                f'<line x1="{left}" y1="{py:.1f}" x2="{left + width}" y2="{py:.1f}" stroke="#eee"/>'
            )
            out.append(_txt(left - 4, py + 4, label, anchor="end", size=FONT - 1))
        out.append(
            f'<clipPath id="c{left:.0f}"><rect x="{left}" y="{top}" width="{width}" '
            f'height="{height}"/></clipPath><g clip-path="url(#c{left:.0f})">'
        )
        legend = []
        for it in self.items:
            kind = it[0]
            if kind == "band":
                _, x, lo, hi, c, a = it
                ok = np.isfinite(x) & np.isfinite(lo) & np.isfinite(hi)
                if self.yscale == "log":
                    ok &= (lo > 0) & (hi > 0)
                if ok.sum() > 1:
                    pts = [f"{fx(a_):.1f},{fy(b_):.1f}" for a_, b_ in zip(x[ok], hi[ok])]
                    pts += [
                        f"{fx(a_):.1f},{fy(b_):.1f}" for a_, b_ in zip(x[ok][::-1], lo[ok][::-1])
                    ]
                    out.append(
                        f'<polygon points="{" ".join(pts)}" fill="{c}" fill-opacity="{a}" stroke="none"/>'
                    )
            elif kind == "line":
                _, x, y, c, dash, lw, label, marker = it
                for seg in _segments(x, y, self.xscale, self.yscale):
                    pts = " ".join(f"{fx(a_):.1f},{fy(b_):.1f}" for a_, b_ in seg)
                    out.append(
                        f'<polyline points="{pts}" fill="none" stroke="{c}" stroke-width="{lw}"'
                        + (f' stroke-dasharray="{dash}"' if dash else "")
                        + "/>"
                    )
                    if marker:
                        out += [
                            f'<circle cx="{fx(a_):.1f}" cy="{fy(b_):.1f}" r="3" fill="{c}"/>'
                            for a_, b_ in seg
                        ]
                if label:
                    legend.append((label, c, dash))
            elif kind in ("hline", "vline"):
                _, v, c, dash, lw, label = it
                if kind == "hline" and (self.yscale != "log" or v > 0):
                    p = fy(v)
                    out.append(
                        f'<line x1="{left}" y1="{p:.1f}" x2="{left + width}" y2="{p:.1f}" stroke="{c}" '
                        f'stroke-width="{lw}"'
                        + (f' stroke-dasharray="{dash}"' if dash else "")
                        + "/>"
                    )
                elif kind == "vline" and (self.xscale != "log" or v > 0):
                    p = fx(v)
                    out.append(
                        f'<line x1="{p:.1f}" y1="{top}" x2="{p:.1f}" y2="{top + height}" stroke="{c}" '
                        f'stroke-width="{lw}"'
                        + (f' stroke-dasharray="{dash}"' if dash else "")
                        + "/>"
                    )
                if label:
                    legend.append((label, c, dash))
        out.append("</g>")
        if self.xlabel:
            out.append(_txt(left + width / 2, top + height + 28, self.xlabel, anchor="middle"))
        if self.ylabel:
            cx, cy = left - 46, top + height / 2
            out.append(_txt(cx, cy, self.ylabel, anchor="middle", rotate=(cx, cy)))
        if self.legend_loc and legend:
            out.append(_legend(legend, self.legend_loc, self.box))
        return "".join(out)


class SvgFigure:
    """A figure of SvgAxes; ``subplots(1, n)`` lays them out side by side."""

    def __init__(self, width: int = 900, height: int = 330):
        self.width, self.height = width, height
        self.axes: list[SvgAxes] = []

    def clear(self):
        self.axes = []

    def subplots(self, nrows: int = 1, ncols: int = 1):
        left, right, top, bottom, gap = 64, 12, 28, 40, 70
        w = (self.width - left - right - gap * (ncols - 1)) / ncols
        h = (self.height - top - bottom - 40 * (nrows - 1)) / nrows
        self.axes = [
            SvgAxes((left + j * (w + gap), top + i * (h + 40), w, h))
            for i in range(nrows)
            for j in range(ncols)
        ]
        return self.axes[0] if len(self.axes) == 1 else tuple(self.axes)

    def to_svg(self) -> str:
        body = "".join(ax.render() for ax in self.axes)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
            f'viewBox="0 0 {self.width} {self.height}" font-family="DejaVu Sans, Arial, sans-serif" '
            f'font-size="{FONT}"><rect width="100%" height="100%" fill="white"/>{body}</svg>'
        )


def _txt(x, y, s, *, anchor="start", size=FONT, color="#222222", rotate=None) -> str:
    rot = f' transform="rotate(-90 {rotate[0]:.1f} {rotate[1]:.1f})"' if rotate else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{color}"{rot}>'
        f"{_esc(s)}</text>"
    )


def _legend(entries, loc, box) -> str:
    left, top0, width, height = box
    w = max(_width(label, FONT - 1) for label, _, _ in entries) + 34
    h = 15 * len(entries) + 6
    x = left + 6 if "left" in loc else left + width - 6 - w
    top = top0 + height - 6 - h if "lower" in loc else top0 + 6
    out = [
        f'<rect x="{x:.1f}" y="{top}" width="{w:.1f}" height="{h}" fill="white" fill-opacity="0.85" '
        'stroke="#ccc"/>'
    ]
    for i, (label, c, dash) in enumerate(entries):
        y = top + 13 + 15 * i
        out.append(
            f'<line x1="{x + 5:.1f}" y1="{y - 4}" x2="{x + 25:.1f}" y2="{y - 4}" stroke="{c}" stroke-width="2"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + "/>"
        )
        out.append(_txt(x + 29, y, label, size=FONT - 1))
    return "".join(out)


def _range(arrays, scale, fixed, pad):
    if fixed is not None:
        return fixed
    v = np.concatenate([np.ravel(a) for a in arrays]) if arrays else np.array([])
    v = v[np.isfinite(v)]
    if scale == "log":
        v = v[v > 0]
    if v.size == 0:
        return (0.1, 10.0) if scale == "log" else (0.0, 1.0)
    lo, hi = float(v.min()), float(v.max())
    if scale == "log":
        lo, hi = math.log10(lo), math.log10(hi)
    if hi - lo < 1e-12:
        lo, hi = lo - 0.5, hi + 0.5
    span = hi - lo
    lo, hi = lo - pad * span, hi + pad * span
    return (10**lo, 10**hi) if scale == "log" else (lo, hi)


def _mapper(d0, d1, p0, p1, scale):
    if scale == "log":
        d0, d1 = math.log10(d0), math.log10(d1)
        k = (p1 - p0) / (d1 - d0)
        return lambda v: p0 + (math.log10(v) - d0) * k
    k = (p1 - p0) / (d1 - d0)
    return lambda v: p0 + (v - d0) * k


def _ticks(lo, hi, scale):
    if scale == "log":
        a, b = math.ceil(math.log10(lo) - 1e-9), math.floor(math.log10(hi) + 1e-9)
        step = max(1, math.ceil((b - a + 1) / 6))
        return [(10.0**e, f"1e{e}") for e in range(a, b + 1, step)]
    raw = (hi - lo) / 5
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.ceil(lo / step - 1e-9) * step
    n = int(math.floor((hi - start) / step + 1e-9)) + 1
    return [(start + i * step, f"{round(start + i * step, 10):g}") for i in range(n)]


def _segments(x, y, xscale, yscale):
    ok = np.isfinite(x) & np.isfinite(y)
    if xscale == "log":
        ok &= x > 0
    if yscale == "log":
        ok &= y > 0
    if len(x) > 400:  # thin long traces: the figure is a few hundred pixels wide
        keep = np.zeros(len(x), bool)
        keep[np.linspace(0, len(x) - 1, 400).astype(int)] = True
        ok &= keep
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > (1 if len(x) <= 400 else len(x) // 200))
    return [list(zip(x[s], y[s])) for s in np.split(idx, breaks + 1) if s.size]
