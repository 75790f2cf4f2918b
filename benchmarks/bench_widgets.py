"""Slider latency inside the kernel: time of each dashboard callback (simulate + draw the SVG).

Run: python benchmarks/bench_widgets.py [NAME ...] (dashboard names, e.g. ``pipeline``; all by
default). For every dashboard and slider, 30 changes to fresh values (no cache hits for the slider
being moved) and prints p50/p95 in milliseconds, of the wall time and of the process's CPU time
(which a busy machine inflates less). Target on a 2-core machine: p95 under 200 ms. The browser
round trip is measured by benchmarks/bench_widgets_browser.py.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from analogkit import widgets

CHANGES = 30


def sweep(widget, n=CHANGES):
    """n distinct values spread over the slider's range, in an order that jumps around."""
    if hasattr(widget, "options"):
        opts = list(widget.options)
        return [opts[i % len(opts)] for i in range(1, n + 1)]
    if isinstance(widget.value, bool):
        return [bool(i % 2) for i in range(1, n + 1)]
    lo, hi = widget.min, widget.max
    if type(widget).__name__ == "IntSlider":  # every value in turn (the cache answers repeats)
        values = list(range(lo, hi + 1))
        values = values[1:] + values[:1] if values[0] == widget.value else values
        return [values[i % len(values)] for i in range(n)]
    if type(widget).__name__ == "FloatLogSlider":
        values = widget.base ** np.linspace(lo, hi, n + 2)[1:-1]
    else:
        values = np.linspace(lo, hi, n + 2)[1:-1]
    order = np.random.default_rng(0).permutation(n)
    return [float(v) for v in values[order]]


def main(names=()):
    print(
        f"{'dashboard':12s} {'slider':14s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s} "
        f"{'cpu p50':>8s} {'cpu p95':>8s}"
    )
    # the network dashboard trains live: each slider value below is a fresh run
    worst = 0.0
    for factory in (
        widgets.device_dashboard,
        widgets.asgd_dashboard,
        widgets.lower_bound_dashboard,
        widgets.tiki_taka_dashboard,
        widgets.multi_tile_dashboard,
        widgets.network_dashboard,
        widgets.pipeline_dashboard,
    ):
        if names and factory.__name__.removesuffix("_dashboard").replace("_", "-") not in names:
            continue
        dash = factory()
        for name, widget in dash.sliders.items():
            times, cpu = [], []
            for value in sweep(widget):
                start = time.process_time()
                widget.value = value
                cpu.append((time.process_time() - start) * 1e3)
                times.append(dash.last_seconds * 1e3)
            widget.value = dash.defaults[name]
            p50, p95 = np.percentile(times, [50, 95])
            c50, c95 = np.percentile(cpu, [50, 95])
            worst = max(worst, p95)
            print(
                f"{dash.name:12s} {name:14s} {p50:8.1f} {p95:8.1f} {max(times):8.1f} "
                f"{c50:8.1f} {c95:8.1f}"
            )
    print(f"worst p95: {worst:.1f} ms (target < 200 ms)")


if __name__ == "__main__":
    main(sys.argv[1:])
