"""Pulse-level updates: what the hardware does instead of the expected analog update.

To apply an increment dw, the device receives n = |dw|/dw_min pulses of sign s = sign(dw) (paper 1
eq. (16), paper 2 eq. (29)); each pulse moves the weight by (paper 2 App. C eq. (26))::

    w <- clip(w + s * dw_min * (q_s(w) + cycle_noise * xi),  bounds),   xi ~ N(0, 1)

For devices whose response is affine in w (ideal, linear, soft bounds) k pulses have a closed form,
so the cost does not grow with k; other families apply the pulses one at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analogkit._validate import generator, integer, param
from analogkit.devices import Device

__all__ = ["PulseConfig", "pulse_update", "pulse_response"]


@dataclass(frozen=True)
class PulseConfig:
    """How increments become pulses.

    Args:
        dw_min: weight change of one pulse at q = 1 (aihwkit's ``dw_min``), > 0.
        max_pulses: the most pulses one update may send (aihwkit's ``desired_bl``); larger
            increments are truncated to this many pulses. ``None`` means no cap.
        stochastic_rounding: round |dw|/dw_min up or down at random so that the expected pulse
            count is exactly |dw|/dw_min (aihwkit's ``sto_round``). If False, use ceil (paper 1
            eq. (16)).
        cycle_noise: cycle-to-cycle noise sigma_c of each pulse, relative to dw_min, >= 0
            (aihwkit's ``dw_min_std`` as an additive term, paper 2 eq. (26)).
    """

    dw_min: float = 1e-3
    max_pulses: int | None = None
    stochastic_rounding: bool = True
    cycle_noise: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "dw_min", param("dw_min", self.dw_min, 0.0))
        if self.max_pulses is not None:
            object.__setattr__(self, "max_pulses", integer("max_pulses", self.max_pulses, 1))
        if not isinstance(self.stochastic_rounding, (bool, np.bool_)):
            raise TypeError("stochastic_rounding must be True or False")
        object.__setattr__(
            self, "cycle_noise", param("cycle_noise", self.cycle_noise, 0.0, low_open=False)
        )


def _pulse_counts(dw, pulse: PulseConfig, rng):
    """Number of pulses per element (float array of whole numbers); the sign is sign(dw)."""
    n = np.divide(np.abs(dw), pulse.dw_min, out=np.empty(np.shape(dw)))
    if pulse.stochastic_rounding:
        n += rng.random(np.shape(n))  # floor(x + U) is x rounded up with probability frac(x)
        np.floor(n, out=n)
    else:
        np.ceil(n, out=n)
    if pulse.max_pulses is not None:
        np.minimum(n, pulse.max_pulses, out=n)
    return n


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
    _, b_p, _, b_m = device.affine()
    return bool(np.all(pulse.dw_min * np.abs(b_p) < 1) and np.all(pulse.dw_min * np.abs(b_m) < 1))


def _pulses_one_by_one(device, w, dw, n, pulse: PulseConfig, rng):
    """Apply the pulses one at a time (for responses with no closed form)."""
    w = np.array(w, dtype=float, copy=True)
    s = np.sign(dw)
    lo, hi = device.bounds
    for j in range(int(n.max(initial=0))):
        active = n > j
        q = np.where(s > 0, device.q_plus(w), device.q_minus(w))
        if pulse.cycle_noise > 0:
            q = q + pulse.cycle_noise * rng.standard_normal(w.shape)
        w = np.where(active, np.clip(w + s * pulse.dw_min * q, lo, hi), w)
    return w


def pulse_update(
    device: Device, w, dw, pulse: PulseConfig, rng: np.random.Generator, *, check=True
):
    """Apply increments `dw` to weights `w` as trains of pulses.

    Args:
        device: the response function.
        w: weights inside the device range.
        dw: desired increments, broadcast against `w`.
        pulse: the pulse configuration.
        rng: random generator for stochastic rounding and cycle noise (may be None without them).
        check: validate inputs (the algorithms' inner loops pass False).

    Returns:
        New weights, clipped to the device range. Their mean approaches ``device.update(w, dw)``
        as dw_min -> 0, with an error O(dw_min) + O(dw**2) (paper 1 App. B eqs. (19)-(20)).
    """
    if check:
        w, dw = device._check_inputs(w, dw)
        if not isinstance(pulse, PulseConfig):
            raise TypeError(f"pulse must be a PulseConfig, got {type(pulse).__name__}")
        if pulse.stochastic_rounding or pulse.cycle_noise > 0:
            rng = generator("rng", rng)
    shape = np.broadcast_shapes(
        np.shape(w), np.shape(dw), *(np.shape(v) for v in device.params().values())
    )
    w = np.broadcast_to(w, shape)
    dw = np.broadcast_to(dw, shape)
    n = _pulse_counts(dw, pulse, rng)
    if hasattr(device, "affine") and _closed_form_ok(device, pulse):
        return device.clip(_affine_pulses(device, w, dw, n, pulse, rng))
    return _pulses_one_by_one(device, w, dw, n, pulse, rng)


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
        n_down: number of down pulses, >= 0.
        w0: starting weight; default the lower bound of the range (0 for an ideal device).
        rng: random generator, required when ``pulse.cycle_noise > 0``.

    Returns:
        Array of shape (n_up + n_down + 1, *device_shape): the weight before any pulse and after
        each pulse.
    """
    n_up = integer("n_up", n_up)
    n_down = integer("n_down", n_down)
    if pulse.cycle_noise > 0:
        rng = generator("rng", rng)
    lo, hi = device.bounds
    if w0 is None:
        w0 = np.where(np.isfinite(lo), lo, 0.0)
    w, _ = device._check_inputs(w0)
    shape = np.broadcast_shapes(np.shape(w), *(np.shape(v) for v in device.params().values()))
    w = np.broadcast_to(w, shape).astype(float)
    single = PulseConfig(pulse.dw_min, 1, False, pulse.cycle_noise)
    out = [w]
    for sign, count in ((1.0, n_up), (-1.0, n_down)):
        dw = np.full(shape, sign * pulse.dw_min)
        for _ in range(count):
            w = pulse_update(device, w, dw, single, rng, check=False)
            out.append(w)
    return np.stack(out)
