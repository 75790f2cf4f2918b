"""The checks every training function runs once, before its loop, and the initial weights."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from analogkit._validate import as_float_array, broadcast, check_bytes, generator, integer, scalar
from analogkit.devices import Device
from analogkit.problems import Problem
from analogkit.pulses import PulseConfig

#: the most steps x trials x weights one run may do (about ten minutes on one core)
MAX_WORK = 1e11

#: an initial point: scalar, array broadcastable to (trials, dim), or callable w0(rng, shape)
InitialWeights = float | np.ndarray | Callable[[np.random.Generator, tuple], np.ndarray]


def rate(name, value, high=np.inf, *, high_open=True) -> float:
    """A learning rate (or similar): one real number in [0, high)."""
    return scalar(name, value, 0.0, high, low_open=False, high_open=high_open)


def flag(name, value) -> bool:
    """True or False (numpy bools too), nothing else."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__}")
    return bool(value)


def common(problem, steps, trials, rng, record_every, record_weights):
    """Check the arguments every training function shares."""
    if not isinstance(problem, Problem):
        raise TypeError(
            f"problem must be an analogkit problem (Quadratic, LeastSquares, ...), "
            f"got {type(problem).__name__}"
        )
    steps = integer("steps", steps, 0)
    trials = integer("trials", trials, 1)
    rng = generator("rng", rng)
    record_every = integer("record_every", record_every, 1)
    record_weights = flag("record_weights", record_weights)
    memory(problem, trials, 8)
    work = float(steps) * trials * problem.dim
    if work > MAX_WORK:
        raise ValueError(
            f"steps x trials x dim = {work:.3g} exceeds {MAX_WORK:.0e} (hours of work); "
            "use fewer steps or trials"
        )
    return steps, trials, rng, record_every, record_weights


def device(name, value, shape) -> Device:
    """A Device whose parameter arrays broadcast to the weights' shape (trials, dim)."""
    if not isinstance(value, Device):
        raise TypeError(f"{name} must be an analogkit Device, got {type(value).__name__}")
    arrays = {k: v for k, v in value.params().items() if np.ndim(v)}
    if arrays:
        try:
            out = broadcast({"weights (trials, dim)": np.broadcast_to(0.0, shape), **arrays})
        except ValueError as exc:
            raise ValueError(f"{name}'s parameter arrays do not fit the weights: {exc}") from None
        if tuple(out) != tuple(shape):
            raise ValueError(
                f"{name}'s parameter arrays must broadcast to the weights' shape (trials, dim) = "
                f"{shape}, but they broadcast to {tuple(out)}"
            )
    return value


def pulse(value, *devices: Device) -> PulseConfig | None:
    """None or a PulseConfig whose dw_min leaves each of `devices` at least two states."""
    if value is not None and not isinstance(value, PulseConfig):
        raise TypeError(f"pulse must be None or a PulseConfig, got {type(value).__name__}")
    if value is not None:
        for dev in devices:
            value.check_device(dev)
    return value


def memory(problem, trials: int, arrays: int) -> None:
    """Refuse, up front, a run whose working arrays would exceed the memory budget."""
    noise = 0.0 if problem.noise is None else problem.noise.working_bytes(trials, problem.dim)
    check_bytes(
        f"{trials} trials of {problem.dim} weights",
        8.0 * trials * problem.dim * arrays + noise,
        "use fewer trials (or a smaller problem)",
    )


def initial_weights(w0, rng, shape) -> np.ndarray:
    """w0 as a float array of `shape` (a callable is called w0(rng, shape))."""
    value = w0(rng, shape) if callable(w0) else w0
    arr = as_float_array("w0", value)
    try:
        return np.broadcast_to(arr, shape)
    except ValueError:
        raise ValueError(
            f"w0 must be a scalar, an array broadcastable to (trials, dim) = {shape}, or a "
            f"callable w0(rng, shape) returning one; got shape {np.shape(value)}"
        ) from None


def meta(name, problem, steps, trials, record_every, **params) -> dict:
    """The Trace's meta dict: the algorithm, its parameters and the run's size."""
    return {
        "algorithm": name,
        **params,
        "problem": problem,
        "steps": steps,
        "trials": trials,
        "record_every": record_every,
    }
