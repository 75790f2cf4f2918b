"""Pulse-level updates: what the hardware does instead of the expected analog update.

To apply an increment dw, the device receives n = |dw|/dw_min pulses of sign s = sign(dw) (paper 1
eq. (16), paper 2 eq. (29)); each pulse moves the weight by (paper 2 App. C eq. (26))::

    w <- clip(w + s * dw_min * (q_s(w) + cycle_noise * xi),  bounds),   xi ~ N(0, 1)

A pulse train is at most ``max_pulses`` long (the hardware's pulse budget per update, aihwkit's
``desired_bl``); longer requests are truncated, and the caller is told (:class:`PulseCapWarning`
from :func:`pulse_update`, ``Trace.meta["pulses_truncated"]`` from a training run). For devices
whose response is affine in w (ideal, linear, soft bounds) k pulses have a closed form, so the cost
does not grow with k; other families apply the pulses one at a time, so their cost is bounded by
the cap.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from analogkit._validate import (
    as_float_array,
    broadcast,
    check_bytes,
    generator,
    integer,
    scalar,
)
from analogkit.devices import Device

__all__ = [
    "PulseConfig",
    "PulseCapWarning",
    "pulse_update",
    "pulse_train",
    "fire",
    "pulse_response",
    "DEFAULT_MAX_PULSES",
    "MAX_UNCAPPED_PULSES",
    "MAX_STAIRCASE_PULSES",
]

#: the default pulse budget of one update
DEFAULT_MAX_PULSES = 1000
#: the most pulses applied one at a time without a cap (responses with no closed form)
MAX_UNCAPPED_PULSES = 100_000
#: the longest staircase pulse_response draws
MAX_STAIRCASE_PULSES = 100_000


class PulseCapWarning(UserWarning):
    """Some increments needed more pulses than ``max_pulses`` and were truncated."""


@dataclass(frozen=True)
class PulseConfig:
    """How increments become pulses.

    Args:
        dw_min: weight change of one pulse at q = 1 (aihwkit's ``dw_min``), a scalar > 0. With a
            device it must leave at least two states: dw_min <= (w_max - w_min)/2.
        max_pulses: the most pulses one update may send (aihwkit's ``desired_bl``), an integer
            >= 1, default 1000 (paper 1 App. I uses 300, its released script 5000); larger
            increments are truncated to this many pulses. ``None`` means no cap, which only
            devices with a closed form for k pulses (ideal, linear, soft bounds) afford for any
            k; the others refuse more than 100,000 pulses per update.
        stochastic_rounding: round |dw|/dw_min up or down at random so that the expected pulse
            count is exactly |dw|/dw_min (aihwkit's ``sto_round``). If False, use ceil (paper 1
            eq. (16)).
        cycle_noise: cycle-to-cycle noise sigma_c of each pulse, relative to dw_min, a scalar
            >= 0 (aihwkit's ``dw_min_std`` as an additive term, paper 2 eq. (26)).
    """

    dw_min: float = 1e-3
    max_pulses: int | None = DEFAULT_MAX_PULSES
    stochastic_rounding: bool = True
    cycle_noise: float = 0.0

    def __post_init__(self):
        for name, low_open in (("dw_min", True), ("cycle_noise", False)):
            object.__setattr__(
                self, name, scalar(name, getattr(self, name), 0.0, low_open=low_open)
            )
        if self.max_pulses is not None:
            object.__setattr__(self, "max_pulses", integer("max_pulses", self.max_pulses, 1))
        if not isinstance(self.stochastic_rounding, (bool, np.bool_)):
            raise TypeError(
                "stochastic_rounding must be True or False, "
                f"got {type(self.stochastic_rounding).__name__}"
            )

    @classmethod
    def for_states(cls, device: Device, n_states: int, **kw) -> PulseConfig:
        """The granularity that gives `device` ``n_states`` conductance states (paper 3 §1):
        dw_min = (w_max - w_min) / n_states.

        Args:
            device: a device with a finite range (scalar bounds).
            n_states: number of states, an integer >= 2 (ReRAM: 4-50, paper 3 Table 3; the
                papers' earlier networks ~1,200).
            **kw: the other PulseConfig fields (max_pulses, stochastic_rounding, cycle_noise).
        """
        if not isinstance(device, Device):
            raise TypeError(f"device must be an analogkit Device, got {type(device).__name__}")
        n_states = integer("n_states", n_states, 2)
        lo, hi = device.bounds
        if np.ndim(lo) or np.ndim(hi) or not (np.isfinite(lo) and np.isfinite(hi)):
            raise ValueError(
                f"{type(device).__name__} must have one finite range (scalar bounds) to count "
                f"states, got bounds ({lo}, {hi})"
            )
        if "dw_min" in kw:
            raise TypeError("for_states sets dw_min itself; pass PulseConfig(dw_min=...) instead")
        return cls(dw_min=(float(hi) - float(lo)) / n_states, **kw)

    def states(self, device: Device) -> float:
        """Number of conductance states of `device` at this granularity, (w_max - w_min)/dw_min."""
        lo, hi = device.bounds
        return float(np.min(np.asarray(hi) - np.asarray(lo))) / self.dw_min

    def check_device(self, device: Device, name: str = "pulse") -> None:
        """ValueError unless dw_min leaves `device` at least two states."""
        lo, hi = device.bounds
        width = np.min(np.asarray(hi) - np.asarray(lo))
        if self.dw_min > width / 2:
            raise ValueError(
                f"{name}.dw_min must be at most half the device range (w_max - w_min)/2 = "
                f"{width / 2:g} of {type(device).__name__}, so that it has at least two states; "
                f"got {self.dw_min:g}"
            )


def _pulse_counts(dw, pulse: PulseConfig, rng):
    """Number of pulses per element (float array of whole numbers) and how many were capped."""
    n = np.divide(np.abs(dw), pulse.dw_min, out=np.empty(np.shape(dw)))
    if pulse.stochastic_rounding:
        n += rng.random(np.shape(n))  # floor(x + U) is x rounded up with probability frac(x)
        np.floor(n, out=n)
    else:
        np.ceil(n, out=n)
    capped = 0
    if pulse.max_pulses is not None:
        over = n > pulse.max_pulses
        capped = int(np.count_nonzero(over))
        if capped:
            n[over] = pulse.max_pulses
    return n, capped


def _affine_pulses(device, w, dw, n, pulse: PulseConfig, rng):
    """k pulses of an affine response q_s(w) = a_s + b_s*w in closed form.

    One pulse of sign s is the affine map w -> w_s + r_s*(w - w_s) with r_s = 1 + s*dw_min*b_s and
    fixed point w_s = -a_s/b_s (the bound it saturates at), so k pulses give
    w_s + r_s**k * (w - w_s). Cycle noise adds a Gaussian of variance
    (dw_min*sigma_c)**2 * (1 - r_s**(2k))/(1 - r_s**2): exact in distribution for Gaussian xi as
    long as no intermediate pulse would cross a bound (bounds are applied once, at the end).
    With b = 0 (ideal device) k pulses add s*dw_min*a*k.
    """
    a_p, b_p, a_m, b_m = device.affine()
    up = dw > 0
    s = np.where(up, 1.0, -1.0)
    if np.all(np.asarray(b_p) == 0) and np.all(np.asarray(b_m) == 0):
        w_new = w + s * pulse.dw_min * np.where(up, a_p, a_m) * n
        var_factor = n
    else:
        log_r = np.where(up, np.log1p(pulse.dw_min * b_p), np.log1p(-pulse.dw_min * b_m))
        w_fix = np.where(up, -np.divide(a_p, b_p), -np.divide(a_m, b_m))
        w_new = w + np.expm1(n * log_r) * (w - w_fix)
        if pulse.cycle_noise > 0:
            var_factor = np.expm1(2 * n * log_r) / np.expm1(2 * log_r)
    if pulse.cycle_noise > 0:
        std = pulse.dw_min * pulse.cycle_noise * np.sqrt(var_factor)
        w_new += std * rng.standard_normal(np.shape(w_new))
    return w_new


def _closed_form_ok(device, pulse: PulseConfig) -> bool:
    """The closed form needs 0 < r = 1 + s*dw_min*b for both signs (no pulse overshoots a bound)."""
    if not hasattr(device, "affine"):
        return False
    _, b_p, _, b_m = device.affine()
    return bool(np.all(pulse.dw_min * np.abs(b_p) < 1) and np.all(pulse.dw_min * np.abs(b_m) < 1))


def _pulses_one_by_one(device, w, dw, n, pulse: PulseConfig, rng):
    """Apply the pulses one at a time (for responses with no closed form)."""
    longest = int(n.max(initial=0))
    if longest > MAX_UNCAPPED_PULSES:
        raise ValueError(
            f"an increment needs {longest} pulses, but {type(device).__name__} has no closed form "
            f"for many pulses and at most {MAX_UNCAPPED_PULSES} are applied one by one: give the "
            "PulseConfig a finite max_pulses (the default is "
            f"{DEFAULT_MAX_PULSES}) or smaller increments"
        )
    w = np.array(w, dtype=float, copy=True)
    s = np.sign(dw)
    lo, hi = device.bounds
    for j in range(longest):
        active = n > j
        q = np.where(s > 0, device.q_plus(w, check=False), device.q_minus(w, check=False))
        if pulse.cycle_noise > 0:
            q = q + pulse.cycle_noise * rng.standard_normal(w.shape)
        w = np.where(active, np.clip(w + s * pulse.dw_min * q, lo, hi), w)
    return w


def pulse_train(device: Device, w, dw, pulse: PulseConfig, rng: np.random.Generator):
    """:func:`pulse_update` without input checks or warning, for the training loop.

    Returns:
        (new weights, number of increments truncated at ``pulse.max_pulses``).
    """
    shape = np.broadcast_shapes(
        np.shape(w), np.shape(dw), *(np.shape(v) for v in device.params().values())
    )
    dw = np.broadcast_to(dw, shape)
    n, capped = _pulse_counts(dw, pulse, rng)
    return fire(device, w, np.copysign(n, dw), pulse, rng), capped


def fire(device: Device, w, pulses, pulse: PulseConfig, rng: np.random.Generator):
    """Fire exactly ``|pulses|`` pulses of sign ``sign(pulses)`` on each weight (no rounding, no
    cap), unchecked: the pulse trains of :func:`pulse_train` and of mixed precision's digital
    accumulator.

    Args:
        device: the response function.
        w: weights inside the device range.
        pulses: whole numbers of pulses, signed, broadcast against `w`.
        pulse: the pulse configuration (its dw_min and cycle_noise are used).
        rng: random generator for the cycle noise.
    """
    shape = np.broadcast_shapes(
        np.shape(w), np.shape(pulses), *(np.shape(v) for v in device.params().values())
    )
    w = np.broadcast_to(w, shape)
    pulses = np.broadcast_to(pulses, shape)
    n = np.abs(pulses)
    if _closed_form_ok(device, pulse):
        return device.clip(_affine_pulses(device, w, pulses, n, pulse, rng), check=False)
    return _pulses_one_by_one(device, w, pulses, n, pulse, rng)


def pulse_update(device: Device, w, dw, pulse: PulseConfig, rng: np.random.Generator | None):
    """Apply increments `dw` to weights `w` as trains of pulses.

    Args:
        device: the response function.
        w: weights inside the device range.
        dw: desired increments (finite), broadcast against `w`.
        pulse: the pulse configuration; its dw_min must leave the device two states or more.
        rng: random generator for stochastic rounding and cycle noise (may be None without them).

    Returns:
        New weights, clipped to the device range. Their mean approaches ``device.update(w, dw)``
        as dw_min -> 0, with an error O(dw_min) + O(dw**2) (paper 1 App. B eqs. (19)-(20)).
        Increments that need more than ``pulse.max_pulses`` pulses are truncated to that many,
        with a :class:`PulseCapWarning`.
    """
    if not isinstance(device, Device):
        raise TypeError(f"device must be an analogkit Device, got {type(device).__name__}")
    if not isinstance(pulse, PulseConfig):
        raise TypeError(f"pulse must be a PulseConfig, got {type(pulse).__name__}")
    pulse.check_device(device)
    w, dw = device.check_weights(w), as_float_array("dw", dw)
    shape = broadcast({"w": w, "dw": dw, **{k: v for k, v in device.params().items()}})
    check_bytes(f"a pulse update of shape {shape}", 48.0 * np.prod(shape), "update fewer weights")
    if pulse.stochastic_rounding or pulse.cycle_noise > 0:
        rng = generator("rng", rng)
    out, capped = pulse_train(device, w, dw, pulse, rng)
    if capped:
        warnings.warn(
            f"{capped} increment(s) needed more than max_pulses={pulse.max_pulses} pulses and "
            "were truncated to that many",
            PulseCapWarning,
            stacklevel=2,
        )
    return out


def pulse_response(
    device: Device,
    pulse: PulseConfig,
    n_up: int,
    n_down: int,
    *,
    w0=None,
    rng: np.random.Generator | None = None,
):
    """The up/down pulse staircase: weight against pulse number for n_up up then n_down down pulses.

    Args:
        device: the response function (array parameters give one trace per device).
        pulse: pulse configuration (its dw_min and cycle_noise are used).
        n_up: number of up pulses, >= 0.
        n_down: number of down pulses, >= 0; n_up + n_down <= 100,000.
        w0: starting weight; default the lower bound of the range (0 for an ideal device).
        rng: random generator, required when ``pulse.cycle_noise > 0``.

    Returns:
        Array of shape (n_up + n_down + 1, *device_shape): the weight before any pulse and after
        each pulse.
    """
    if not isinstance(device, Device):
        raise TypeError(f"device must be an analogkit Device, got {type(device).__name__}")
    if not isinstance(pulse, PulseConfig):
        raise TypeError(f"pulse must be a PulseConfig, got {type(pulse).__name__}")
    pulse.check_device(device)
    n_up = integer("n_up", n_up)
    n_down = integer("n_down", n_down)
    if n_up + n_down > MAX_STAIRCASE_PULSES:
        raise ValueError(
            f"n_up + n_down must be at most {MAX_STAIRCASE_PULSES} pulses, got {n_up + n_down}"
        )
    if pulse.cycle_noise > 0:
        rng = generator("rng", rng)
    lo, hi = device.bounds
    if w0 is None:
        w0 = np.where(np.isfinite(lo), lo, 0.0)
    w = device.check_weights(w0)
    shape = np.broadcast_shapes(np.shape(w), *(np.shape(v) for v in device.params().values()))
    check_bytes(
        f"a staircase of {n_up + n_down} pulses on {int(np.prod(shape))} devices",
        8.0 * (n_up + n_down + 1) * np.prod(shape),
        "ask for fewer pulses or devices",
    )
    w = np.broadcast_to(w, shape).astype(float)
    single = PulseConfig(pulse.dw_min, 1, False, pulse.cycle_noise)
    out = np.empty((n_up + n_down + 1, *shape))
    out[0] = w
    i = 1
    for sign, count in ((1.0, n_up), (-1.0, n_down)):
        dw = np.full(shape, sign * pulse.dw_min)
        for _ in range(count):
            w, _ = pulse_train(device, w, dw, single, rng)
            out[i] = w
            i += 1
    return out
