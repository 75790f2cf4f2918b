"""Input checks shared by every module: each error names the parameter and the allowed range.

Imports nothing from analogkit.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(name: str, value) -> np.ndarray:
    """`value` as a float64 array; TypeError if it is not numeric, ValueError if NaN or inf."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a real number or array of real numbers, got a bool")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be a real number or array of real numbers, got {type(value).__name__}"
        ) from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf), got {value!r}")
    return arr


def param(
    name: str,
    value,
    low: float = -np.inf,
    high: float = np.inf,
    *,
    low_open: bool = True,
    high_open: bool = True,
):
    """Validate a scalar-or-array parameter against an interval; return a float or a float array.

    The interval is open at an end when `low_open` / `high_open` (the default), closed otherwise.
    """
    arr = as_float_array(name, value)
    too_low = arr <= low if low_open else arr < low
    too_high = arr >= high if high_open else arr > high
    if np.any(too_low) or np.any(too_high):
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        bad = arr[too_low | too_high].ravel()[0] if arr.ndim else float(arr)
        raise ValueError(f"{name} must lie in {left}{low:g}, {high:g}{right}, got {bad!r}")
    if arr.ndim == 0:
        return float(arr)
    arr = arr.copy()
    arr.setflags(write=False)
    return arr


def integer(name: str, value, low: int = 0) -> int:
    """A Python int >= `low`; TypeError for non-integers (including bools and floats)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value}")
    return int(value)


def generator(name: str, rng) -> np.random.Generator:
    """Require a numpy Generator: analogkit never seeds or uses global random state."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy.random.Generator (np.random.default_rng(seed)), "
            f"got {type(rng).__name__}"
        )
    return rng


def broadcast(names_values: dict) -> tuple:
    """The broadcast shape of several named arrays; ValueError naming them when they do not fit."""
    shapes = {k: np.shape(v) for k, v in names_values.items()}
    try:
        return np.broadcast_shapes(*shapes.values())
    except ValueError:
        desc = ", ".join(f"{k} {s}" for k, s in shapes.items())
        raise ValueError(f"shapes do not broadcast: {desc}") from None
