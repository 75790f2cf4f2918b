"""Device-to-device variation: a copy of a device whose parameters are arrays sampled from a Generator."""

from __future__ import annotations

import dataclasses
import numbers

import numpy as np

from analogkit._validate import check_bytes, generator, param
from analogkit.devices.base import Device

__all__ = ["vary"]


def _shape(name, value) -> tuple:
    """A shape: an integer >= 1 or a tuple of them."""
    dims = (value,) if isinstance(value, numbers.Integral) else value
    if not isinstance(dims, tuple) or not all(
        isinstance(d, numbers.Integral) and not isinstance(d, bool) for d in dims
    ):
        raise TypeError(f"{name} must be an integer or a tuple of integers, got {value!r}")
    if any(d < 1 for d in dims):
        raise ValueError(f"{name} must have every size >= 1, got {value!r}")
    return tuple(int(d) for d in dims)


def vary(device: Device, rng: np.random.Generator, shape, **spread) -> Device:
    """Sample device-to-device variation: a copy of `device` whose parameters are arrays of `shape`.

    Positive parameters (tau, gamma) are spread log-normally, p * exp(s*xi), so they stay positive
    (aihwkit's ``*_dtod_log_normal``); the others additively, p + s*xi (like ``up_down_dtod``).
    A sample outside a parameter's range raises the device's usual ValueError.

    Args:
        device: the nominal device.
        rng: the random generator.
        shape: shape of the parameter arrays (usually the weight array's shape).
        **spread: ``<parameter>=s`` with s >= 0, e.g. ``tau=0.1, asymmetry=0.02``.

    Returns:
        A device of the same family with array parameters.
    """
    if not isinstance(device, Device):
        raise TypeError(f"device must be an analogkit Device, got {type(device).__name__}")
    rng = generator("rng", rng)
    shape = _shape("shape", shape)
    check_bytes(
        f"device parameters of shape {shape}",
        8.0 * len(spread) * np.prod(shape),
        "use a smaller shape",
    )
    fields = device.params()
    new = {}
    for name, s in spread.items():
        if name not in fields:
            raise ValueError(
                f"{type(device).__name__} has no parameter {name!r}; choose from {sorted(fields)}"
            )
        s = param(f"spread of {name}", s, 0.0, low_open=False)
        xi = rng.standard_normal(shape)
        if name in device._positive_params:
            new[name] = fields[name] * np.exp(s * xi)
        else:
            new[name] = fields[name] + s * xi
    return dataclasses.replace(device, **new)
