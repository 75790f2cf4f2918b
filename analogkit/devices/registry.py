"""The registry of built-in families, as the dashboards, figures and tests build them from shared controls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analogkit.devices.base import Device
from analogkit.devices.families import (
    ExponentialDevice,
    IdealDevice,
    LinearDevice,
    PowerDevice,
    SoftBoundsDevice,
)

__all__ = ["Family", "FAMILIES"]


@dataclass(frozen=True)
class Family:
    """One device family as the dashboards, figures and tests build it from shared controls.

    Every family is made from the same three controls: ``tau`` (half the weight range),
    ``asymmetry`` (c for the linear, power and exponential families, aihwkit's ``up_down`` for
    soft bounds) and ``gamma`` (the power or exponential shape). ``ranges`` holds the controls a
    family uses, each with its (low, high) slider interval; the others leave the device unchanged.

    Attributes:
        name: the family's name (its key in :data:`FAMILIES`).
        cls: the Device class.
        ranges: control name -> (low, high), for the controls the family uses.
        make: ``make(tau, asymmetry, gamma)`` -> the device.
    """

    name: str
    cls: type
    ranges: dict
    make: Callable[[float, float, float], Device]

    @property
    def controls(self) -> tuple[str, ...]:
        """The controls that change this family's device."""
        return tuple(self.ranges)

    def build(self, tau: float = 1.0, asymmetry: float = 0.0, gamma: float = 2.0) -> Device:
        """The family's device for these controls (the unused ones are ignored)."""
        return self.make(tau, asymmetry, gamma)


_TAU, _ASYM, _GAMMA = (0.2, 3.0), (-0.99, 0.99), (0.2, 5.0)

#: every built-in family with a parameterised response, by name
FAMILIES = {
    f.name: f
    for f in (
        Family("ideal", IdealDevice, {}, lambda tau, asymmetry, gamma: IdealDevice()),
        Family(
            "linear",
            LinearDevice,
            {"tau": _TAU, "asymmetry": _ASYM},
            lambda tau, asymmetry, gamma: LinearDevice(tau, asymmetry),
        ),
        Family(
            "soft bounds",
            SoftBoundsDevice,
            {"tau": _TAU, "asymmetry": _ASYM},
            lambda tau, asymmetry, gamma: SoftBoundsDevice(-tau, tau, asymmetry),
        ),
        Family(
            "power",
            PowerDevice,
            {"tau": _TAU, "asymmetry": _ASYM, "gamma": _GAMMA},
            lambda tau, asymmetry, gamma: PowerDevice(tau, gamma, asymmetry),
        ),
        Family(
            "exponential",
            ExponentialDevice,
            {"tau": _TAU, "asymmetry": _ASYM, "gamma": _GAMMA},
            lambda tau, asymmetry, gamma: ExponentialDevice(tau, gamma, asymmetry),
        ),
    )
}
