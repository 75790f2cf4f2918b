"""The response-function figure (notebook 01): q±, F, G and the pulse staircase of each family."""

from __future__ import annotations

import numpy as np

import analogkit as ak
from analogkit.figures._registry import FigureData, FigureSpec, Row, by_quantity
from analogkit.plotting import plot_pulse_staircase, plot_response

RESPONSE_EXAMPLES = {
    "linear, c = 0.2": ak.LinearDevice(tau=1.0, asymmetry=0.2),
    "soft bounds (aihwkit), up_down = 0.3": ak.SoftBoundsDevice(w_min=-0.8, w_max=1.2, up_down=0.3),
    "power, γ = 2": ak.PowerDevice(tau=1.0, gamma=2.0),
    "exponential, γ = 3, c = 0.2": ak.ExponentialDevice(tau=1.0, gamma=3.0, asymmetry=0.2),
    "piecewise (tabulated)": ak.PiecewiseDevice(
        np.array([-1.0, -0.5, 0.0, 0.5, 1.0]),
        np.array([1.6, 1.3, 0.9, 0.5, 0.0]),
        np.array([0.0, 0.7, 1.0, 1.2, 1.3]),
    ),
}

N_PULSES = 250  # up, then as many down


def compute_response_functions(quick: bool = False) -> FigureData:
    """q±, F, G and the symmetric point of each device family, and their pulse staircases."""
    rows, symmetric_points = [], {}
    for title, device in RESPONSE_EXAMPLES.items():
        sp = symmetric_points[title] = device.symmetric_point
        rows.append(Row(f"symmetric point, {title}", sp, None, f"G(w⋄) = {device.G(sp):.1e}"))
    pulse = ak.PulseConfig(dw_min=0.02)
    staircases = {
        title: ak.pulse_response(device, pulse, N_PULSES, N_PULSES)
        for title, device in RESPONSE_EXAMPLES.items()
    }
    return FigureData(
        by_quantity(rows),
        devices=RESPONSE_EXAMPLES,
        symmetric_points=symmetric_points,
        staircases=staircases,
    )


def draw_response_functions(fig, data: FigureData) -> None:
    axes = fig.subplots(2, 3)
    for ax, (title, device) in zip(axes.flat, data.devices.items()):
        plot_response(ax, device, legend=ax is axes.flat[0])
        ax.set_title(f"{title}  (w⋄ = {data.symmetric_points[title]:.3g})")
    ax = axes.flat[-1]
    for title, staircase in data.staircases.items():
        plot_pulse_staircase(ax, staircase, N_PULSES, label=title.split(",")[0])
    ax.set_title("pulse staircase (Δw_min = 0.02)")
    ax.legend(loc="lower center")
    fig.suptitle("Device response functions: up/down responses, symmetric and asymmetric parts")


response_functions = FigureSpec(
    "response_functions",
    compute_response_functions,
    draw_response_functions,
    figsize=(11, 6.2),
    caption="Each family's q±, F, G and symmetric point, and its up/down pulse staircase.",
)
