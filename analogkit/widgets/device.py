"""The device explorer (notebook 01): response functions and the pulse staircase of one device.

The family dropdown lists the device families of :data:`analogkit.devices.FAMILIES` that have
controls (every family but the ideal device), and each device slider spans the union of the
ranges those families give it.
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


def _control_range(control: str) -> tuple[float, float]:
    """The slider interval of a control: the union of its ranges over the dropdown's families."""
    families = [ak.FAMILIES[name] for name in FAMILY_NAMES]
    ranges = [family.ranges[control] for family in families if control in family.controls]
    return min(lo for lo, _ in ranges), max(hi for _, hi in ranges)


class DeviceDashboard(Dashboard):
    """Response functions q±, F, G with the symmetric point, and the up/down pulse staircase."""

    name = "device"

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
        # enough pulses to cross the range, at most 300 each way (each pulse is a step of the loop)
        n = int(min(300, np.ceil(2 * tau / dw_min * 1.5)))
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
        return Result(numbers, messages, {"device": device, "pulse": pulse, "n": n})

    def draw(self, fig, result):
        ax1, ax2 = fig.subplots(1, 2)
        device, pulse, n = result.data["device"], result.data["pulse"], result.data["n"]
        plot_response(ax1, device)
        ax1.set_title("response functions")
        staircase = ak.pulse_response(device, pulse, n, n, rng=np.random.default_rng(SEED))
        plot_pulse_staircase(ax2, staircase, n, color=COLORS["analog"])
        ax2.set_title(f"pulse staircase ({n} up, {n} down)")


def device_dashboard(**values) -> DeviceDashboard:
    """Device family, tau, asymmetry, gamma, dw_min and cycle noise -> q±, F, G and the pulse response."""
    return DeviceDashboard(**values)
