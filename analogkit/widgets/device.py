"""The device explorer (notebook 01): response functions and the pulse staircase of one device.

The family dropdown lists the device families of :data:`analogkit.devices.FAMILIES` that have
controls (every family but the ideal device), and each device slider spans the union of the
ranges those families give it; a slider the chosen family does not use is disabled. The staircase
sends as many pulses each way as the response needs to flatten near the bound it moves to, up to
the latency budget's :data:`MAX_PULSES`, and says so when that is too few.
"""

from __future__ import annotations

import numpy as np

import analogkit as ak
from analogkit.plotting import plot_pulse_staircase, plot_response
from analogkit.style import COLORS
from analogkit.widgets.base import Dashboard, Result, dropdown, slider
from analogkit.widgets.runs import SEED

__all__ = ["DeviceDashboard", "device_dashboard"]

#: the families in the dropdown, in the registry's order
FAMILY_NAMES = tuple(name for name, family in ak.FAMILIES.items() if family.controls)

#: default value and step of the slider of each control a family is built from
_CONTROLS = {"tau": (1.0, 0.05), "asymmetry": (0.2, 0.01), "gamma": (2.0, 0.1)}

#: the most pulses the staircase sends each way: each pulse is a step of a Python loop, and 2 x 300
#: keep a slider move under the 200 ms latency budget (benchmarks/bench_widgets.py)
MAX_PULSES = 300

#: the staircase has flattened where a pulse has shrunk to this fraction of a nominal one (q = 1),
#: or of the largest pulse on the way when that is smaller (the weak direction of a strong asymmetry)
FLAT = 0.05


def _pulses_to_flatten(q, start: float, stop: float, dw_min: float) -> float:
    """About how many pulses of size ``dw_min * q(w)`` take a weight from ``start`` towards ``stop``
    until the staircase has flattened (see FLAT): the integral of dw / (dw_min q) up to there."""
    w = np.linspace(start, stop, 2001)
    qs = np.asarray(q(w), dtype=float)
    level = FLAT * min(1.0, qs.max())
    flat = np.flatnonzero(qs <= level)
    end = int(flat[0]) if flat.size else w.size - 1
    inv = 1.0 / np.maximum(qs[: end + 1], level)
    return float(abs(np.sum((inv[1:] + inv[:-1]) / 2 * np.diff(w[: end + 1]))) / dw_min)


def _control_range(control: str) -> tuple[float, float]:
    """The slider interval of a control: the union of its ranges over the dropdown's families."""
    families = [ak.FAMILIES[name] for name in FAMILY_NAMES]
    ranges = [family.ranges[control] for family in families if control in family.controls]
    return min(lo for lo, _ in ranges), max(hi for _, hi in ranges)


class DeviceDashboard(Dashboard):
    """Response functions q±, F, G with the symmetric point, and the up/down pulse staircase."""

    name = "device"

    def __init__(self, **values):
        super().__init__(**values)
        self.sliders["family"].observe(self._enable_sliders, names="value")
        self._enable_sliders()

    def _enable_sliders(self, change=None) -> None:
        """Disable the device sliders the chosen family does not use (gamma for linear, ...)."""
        used = ak.FAMILIES[self.sliders["family"].value].controls
        for key in _CONTROLS:
            self.sliders[key].disabled = key not in used

    def controls(self):
        return {
            "family": dropdown("family", list(FAMILY_NAMES), "linear"),
            **{
                key: slider(key, value, *_control_range(key), step)
                for key, (value, step) in _CONTROLS.items()
            },
            "dw_min": slider("dw_min", 0.02, 1e-3, 0.2, 0.05, log=True),
            "cycle_noise": slider("cycle_noise", 0.0, 0.0, 2.0, 0.05),
        }

    @staticmethod
    def device(family, tau, asymmetry, gamma):
        """The device of a dropdown family for these controls."""
        if family not in FAMILY_NAMES:
            raise ValueError(f"family must be one of {', '.join(FAMILY_NAMES)}; got {family!r}")
        return ak.FAMILIES[family].build(tau, asymmetry, gamma)

    def simulate(self, family, tau, asymmetry, gamma, dw_min, cycle_noise):
        device = self.device(family, tau, asymmetry, gamma)
        pulse = ak.PulseConfig(dw_min=dw_min, cycle_noise=cycle_noise)
        lo, hi = device.bounds
        # enough pulses each way for the response to flatten near the bound, within the budget
        needed = {
            "up": _pulses_to_flatten(device.q_plus, lo, hi, dw_min),
            "down": _pulses_to_flatten(device.q_minus, hi, lo, dw_min),
        }
        n_up, n_down = (int(min(MAX_PULSES, max(1, np.ceil(n)))) for n in needed.values())
        sp = device.symmetric_point
        numbers = {
            "symmetric_point": sp,
            "q_plus_at_0": device.q_plus(0.0),
            "q_minus_at_0": device.q_minus(0.0),
            "n_states": 2 * tau / dw_min,
        }
        messages = []
        if abs(asymmetry) >= 0.9:
            weak = "down" if asymmetry > 0 else "up"
            messages.append(
                f"Asymmetry {asymmetry:+.2f}: {weak} pulses are scaled by {1 - abs(asymmetry):.2f}, so the "
                f"symmetric point {sp:+.3f} sits close to the bound and updates barely move the other way."
            )
        if family == "soft bounds" and asymmetry != 0:
            messages.append("Soft bounds use aihwkit's up_down: only the weaker direction shrinks.")
        short = [(way, n) for way, n in needed.items() if n > MAX_PULSES]
        if short:
            ways = " and ".join(f"about {n:.0f} {way}" for way, n in short)
            messages.append(
                f"Not flattened yet: the staircase needs {ways} pulses to reach the flat part of its "
                f"response at dw_min = {dw_min:.3g}; it shows the first {MAX_PULSES} (raise dw_min to "
                "see the whole staircase)."
            )
        unused = [key for key in _CONTROLS if key not in ak.FAMILIES[family].controls]
        if unused:
            messages.append(
                f"{' and '.join(unused)} does nothing for the {family} family (slider disabled)."
            )
        data = {"device": device, "pulse": pulse, "n_up": n_up, "n_down": n_down}
        return Result(numbers, messages, data)

    def draw(self, fig, result):
        ax1, ax2 = fig.subplots(1, 2)
        device, n_up, n_down = (result.data[key] for key in ("device", "n_up", "n_down"))
        plot_response(ax1, device)
        ax1.set_title("response functions")
        staircase = ak.pulse_response(
            device, result.data["pulse"], n_up, n_down, rng=np.random.default_rng(SEED)
        )
        plot_pulse_staircase(ax2, staircase, n_up, color=COLORS["analog"])
        ax2.set_title(f"pulse staircase ({n_up} up, {n_down} down)")


def device_dashboard(**values) -> DeviceDashboard:
    """Device family, tau, asymmetry, gamma, dw_min and cycle noise -> q±, F, G and the pulse response."""
    return DeviceDashboard(**values)
