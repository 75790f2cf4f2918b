"""analogkit: a small numpy package that teaches gradient-based training on analog in-memory hardware.

Data flows one way: devices/pulses/problems -> algorithms -> trace -> plotting -> widgets/figures.
``theory`` stands apart (sympy/numpy/scipy only) and is checked against the algorithms in tests.
"""

from analogkit.devices import (
    DEVICE_FAMILIES,
    Device,
    ExponentialDevice,
    IdealDevice,
    LinearDevice,
    PiecewiseDevice,
    PowerDevice,
    SoftBoundsDevice,
    vary,
)
from analogkit.pulses import PulseConfig, pulse_response, pulse_update

__version__ = "0.1.0"

__all__ = [
    "DEVICE_FAMILIES",
    "Device",
    "ExponentialDevice",
    "IdealDevice",
    "LinearDevice",
    "PiecewiseDevice",
    "PowerDevice",
    "SoftBoundsDevice",
    "vary",
    "PulseConfig",
    "pulse_response",
    "pulse_update",
]
