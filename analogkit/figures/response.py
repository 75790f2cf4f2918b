"""The response-function figure (notebook 01): q±, F, G and the pulse staircase of each family."""

from __future__ import annotations

import analogkit as ak
from analogkit.figures._registry import FigureData, FigureSpec, Row, by_quantity
from analogkit.plotting import plot_pulse_staircase, plot_response

#: the devices of notebook 01's table (§2), under the same names; PARAMETERS gives each in full
RESPONSE_EXAMPLES = {
    "linear, c = 0.2": ak.LinearDevice(tau=1.0, asymmetry=0.2),
    "soft bounds, up_down = 0.2": ak.SoftBoundsDevice(w_min=-1.0, w_max=1.0, up_down=0.2),
    "power, gamma = 2, c = 0.2": ak.PowerDevice(tau=1.0, gamma=2.0, asymmetry=0.2),
    "exponential, gamma = 3, c = 0.2": ak.ExponentialDevice(tau=1.0, gamma=3.0, asymmetry=0.2),
}
PARAMETERS = {
    "linear, c = 0.2": "LinearDevice(tau=1, asymmetry=0.2)",
    "soft bounds, up_down = 0.2": "SoftBoundsDevice(w_min=-1, w_max=1, up_down=0.2)",
    "power, gamma = 2, c = 0.2": "PowerDevice(tau=1, gamma=2, asymmetry=0.2)",
    "exponential, gamma = 3, c = 0.2": "ExponentialDevice(tau=1, gamma=3, asymmetry=0.2)",
}

N_PULSES = 250  # up, then as many down


def compute_response_functions(quick: bool = False) -> FigureData:
    """q±, F, G and the symmetric point of each device family, and their pulse staircases.

    The four devices of notebook 01's table (§2), with the same names: linear (tau = 1, c = 0.2),
    aihwkit's soft bounds (w in [-1, 1], up_down = 0.2), power (tau = 1, gamma = 2, c = 0.2) and
    exponential (tau = 1, gamma = 3, c = 0.2); the (1 ± c) factors of the power and exponential
    responses are analogkit's extension of paper 2's camera-ready eqs. (148)-(149) (arXiv v3:
    (149) is (145)). Staircase: 250 up pulses, then 250 down, dw_min = 0.02, from w = 0.
    """
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
    axes = fig.subplot_mosaic([["0", "1", "staircase"], ["2", "3", "staircase"]])
    for i, (title, device) in enumerate(data.devices.items()):
        ax = axes[str(i)]
        plot_response(ax, device, legend=i == 0)
        sp = data.symmetric_points[title]
        ax.set_title(f"{title}  (w⋄ = {sp:.3g})\n{PARAMETERS[title]}", fontsize="small")
    ax = axes["staircase"]
    for title, staircase in data.staircases.items():
        plot_pulse_staircase(ax, staircase, N_PULSES, label=title.split(",")[0])
    ax.set_title(f"pulse staircase (Δw_min = 0.02)\n{N_PULSES} up, then {N_PULSES} down")
    ax.legend(loc="lower center")
    fig.suptitle("Device response functions: up/down responses, symmetric and asymmetric parts")


response_functions = FigureSpec(
    "response_functions",
    compute_response_functions,
    draw_response_functions,
    figsize=(11, 6.2),
    caption="q±, F, G and the symmetric point of the four devices in notebook 01's table, and the "
    "up/down pulse staircase of each.",
)
