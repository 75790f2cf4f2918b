"""Input checks shared by every module (each error names the parameter and the allowed range), and
the one root finder.
"""

from __future__ import annotations

import numbers

import numpy as np

#: the memory budget: a request whose working arrays would exceed this many bytes is refused
MAX_BYTES = 2e9


def as_float_array(name: str, value, *, allow_inf: bool = False) -> np.ndarray:
    """`value` as a float64 array.

    Real numbers, numpy scalars and (nested) sequences or arrays of them are accepted. TypeError
    for anything else -- strings, None, bools, complex numbers (a complex array would otherwise
    lose its imaginary part); ValueError for NaN, and for ±inf unless `allow_inf`.
    """
    kind = f"{name} must be a real number or an array of real numbers"
    if value is None or isinstance(
        value, (bool, np.bool_, str, bytes, complex, np.complexfloating)
    ):
        raise TypeError(f"{kind}, got {type(value).__name__}")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{kind}, got {type(value).__name__}") from exc
    if raw.dtype.kind not in "fiu":
        what = {"b": "bools", "c": "complex numbers", "U": "strings", "S": "bytes", "O": "objects"}
        raise TypeError(f"{kind}, got an array of {what.get(raw.dtype.kind, raw.dtype)}")
    arr = raw.astype(np.float64, copy=False)
    if allow_inf and np.isnan(arr).any():
        raise ValueError(f"{name} must not be NaN, got {value!r}")
    if not allow_inf and not np.isfinite(arr).all():
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


def scalar(name: str, value, low: float = -np.inf, high: float = np.inf, **open_ends) -> float:
    """A real number in an interval (as :func:`param`), refusing arrays of any shape."""
    v = param(name, value, low, high, **open_ends)
    if np.ndim(v):
        raise ValueError(f"{name} must be a single number, got an array of shape {np.shape(v)}")
    return float(v)


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


def check_bytes(what: str, nbytes: float, shrink: str) -> None:
    """ValueError, up front, when `what` would need more than MAX_BYTES; `shrink` says how not to."""
    if nbytes > MAX_BYTES:
        raise ValueError(
            f"{what} would need {nbytes / 1e9:.3g} GB (limit {MAX_BYTES / 1e9:g} GB); {shrink}"
        )


def find_root(fun, lo, hi, *, maxiter: int = 200) -> np.ndarray:
    """A root of `fun` in every bracket between `lo` and `hi` (either order), to float precision.

    Vectorised: `lo`, `hi` and the values of `fun` broadcast to an array of brackets; `fun` is
    called with arrays of that shape and must act element-wise (value i depends only on
    argument i, so it may close over arrays of the same shape). It must not have the same strict
    sign at both ends of a bracket. Where it is 0 at an end (or the bracket is a single point)
    that end is the result, exactly. Chandrupatla's method (``scipy.optimize.elementwise``),
    which falls back to bisection where interpolation does not help, to within two ulps.

    Args:
        fun: the element-wise function.
        lo, hi: ends of the brackets, finite.
        maxiter: iterations before giving up, >= 1.

    Returns:
        An array of the brackets' shape (0-d for scalar brackets).

    Raises:
        ValueError: `fun` has the same sign at both ends of a bracket, or is not finite.
        RuntimeError: a root has not converged within `maxiter` iterations.
    """
    from scipy.optimize import elementwise  # scipy.optimize takes 0.5 s to import: only when used

    maxiter = integer("maxiter", maxiter, 1)
    a, b = np.broadcast_arrays(as_float_array("lo", lo), as_float_array("hi", hi))
    a, b = np.minimum(a, b), np.maximum(a, b)
    f_a, f_b = np.asarray(fun(a), dtype=float), np.asarray(fun(b), dtype=float)
    shape = np.broadcast_shapes(np.shape(a), f_a.shape, f_b.shape)
    a, b, f_a, f_b = (np.broadcast_to(x, shape) for x in (a, b, f_a, f_b))
    at_a = (f_a == 0) | (a == b)
    root = np.where(at_a, a, b)  # an end where the root is there (b where f_b == 0)
    todo = np.flatnonzero(~at_a & (f_b != 0))
    if todo.size == 0:
        return root
    if not np.all(np.sign(f_a.flat[todo]) == -np.sign(f_b.flat[todo])):
        raise ValueError(
            "find_root needs fun to change sign between lo and hi; it has the same sign at both "
            "ends (or is not finite) for some brackets"
        )

    def fun_flat(x, i):
        # scipy passes only the unconverged elements; fun sees arrays of the brackets' shape
        full = a.copy()
        full.flat[i] = x
        return np.asarray(fun(full), dtype=float).reshape(-1)[i]

    res = elementwise.find_root(
        fun_flat,
        (a.flat[todo], b.flat[todo]),
        args=(todo,),
        tolerances={"xatol": 4 * np.finfo(float).tiny, "xrtol": 2 * np.finfo(float).eps},
        maxiter=maxiter,
    )
    if np.any(res.status == -2):
        raise RuntimeError(f"find_root did not converge within maxiter = {maxiter} iterations")
    if not np.all(res.success):
        raise ValueError("find_root: fun is not finite inside some brackets")
    root.flat[todo] = res.x
    return root
