"""The built-in device families: ideal, linear, soft bounds (aihwkit), power, exponential and tabulated responses."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analogkit._validate import as_float_array, broadcast, param
from analogkit.devices.base import Device

__all__ = [
    "IdealDevice",
    "LinearDevice",
    "SoftBoundsDevice",
    "PowerDevice",
    "ExponentialDevice",
    "PiecewiseDevice",
    "MAX_GAMMA",
]

#: the largest gamma of the power and exponential families
MAX_GAMMA = 100.0


@dataclass(frozen=True, eq=False)
class IdealDevice(Device):
    """A device with q_plus = q_minus = 1: the analog update is exactly w + dw (digital SGD).

    Every weight is a symmetric point (G = 0); ``symmetric_point`` returns 0 by convention.
    """

    @property
    def bounds(self):
        return (-np.inf, np.inf)

    def _q_plus(self, w):
        return np.ones_like(np.asarray(w, dtype=float))

    def _q_minus(self, w):
        return np.ones_like(np.asarray(w, dtype=float))

    def _F(self, w):
        return np.ones_like(np.asarray(w, dtype=float))

    def _G(self, w):
        return np.zeros_like(np.asarray(w, dtype=float))

    @property
    def symmetric_point(self):
        return 0.0

    def _update(self, w, dw):
        return w + dw

    def clip(self, w, *, check: bool = True):
        return as_float_array("w", w, allow_inf=True) if check else w  # no bounds

    def affine(self):
        """q_plus = a_plus + b_plus*w, q_minus = a_minus + b_minus*w (used for multi-pulse steps)."""
        return 1.0, 0.0, 1.0, 0.0


@dataclass(frozen=True, eq=False)
class LinearDevice(Device):
    """Generic linear (soft-bounds) device on [-tau, tau] (paper 2 §1.1)::

        q_plus  = (1 + asymmetry) * (1 - w/tau)
        q_minus = (1 - asymmetry) * (1 + w/tau)
        F = 1 - asymmetry*w/tau,   G = w/tau - asymmetry,   w⋄ = asymmetry * tau

    ``asymmetry = 0`` is paper 1's asymmetric linear device (ALD) with w⋄ = 0, whose update is
    w + dw - |dw|*w/tau (paper 1 eq. (8)); ``asymmetry`` is paper 2's c_Lin.

    Args:
        tau: saturation level, > 0 (the weight range is [-tau, tau]).
        asymmetry: c_Lin in (-1, 1); up pulses are scaled by (1+c), down pulses by (1-c).
    """

    tau: float = 1.0
    asymmetry: float = 0.0
    _positive_params = ("tau",)

    def __post_init__(self):
        object.__setattr__(self, "tau", param("tau", self.tau, 0.0))
        object.__setattr__(self, "asymmetry", param("asymmetry", self.asymmetry, -1.0, 1.0))
        broadcast({"tau": self.tau, "asymmetry": self.asymmetry})

    @property
    def bounds(self):
        return (-self.tau, self.tau)

    def _q_plus(self, w):
        return (1 + self.asymmetry) * (1 - w / self.tau)

    def _q_minus(self, w):
        return (1 - self.asymmetry) * (1 + w / self.tau)

    def _F(self, w):
        return 1 - self.asymmetry * w / self.tau

    def _G(self, w):
        return w / self.tau - self.asymmetry

    @property
    def symmetric_point(self):
        return self.asymmetry * self.tau

    def _update(self, w, dw):
        if np.ndim(self.asymmetry) == 0 and self.asymmetry == 0.0:
            return w + dw - np.abs(dw) * (w / self.tau)  # paper 1 eq. (8)
        return w + dw * self._F(w) - np.abs(dw) * self._G(w)

    def affine(self):
        c, tau = self.asymmetry, self.tau
        return 1 + c, -(1 + c) / tau, 1 - c, (1 - c) / tau


@dataclass(frozen=True, eq=False)
class SoftBoundsDevice(Device):
    """aihwkit's ``SoftBoundsDevice`` response, in its parameterisation, relative to dw_min::

        q_plus  = s_up   * (1 - w/w_max),    s_up   = 1 + min(up_down, 0)
        q_minus = s_down * (1 - w/w_min),    s_down = 1 - max(up_down, 0)

    ``up_down`` acts as aihwkit's C++ code does (``rpu_pulsed_device.cpp``), not as its docstring
    says: it only *shrinks* the weaker direction. ``up_down = 0.2`` gives up steps of dw_min and
    down steps of 0.8*dw_min; ``up_down = -0.2`` gives up steps of 0.8*dw_min and down steps of
    dw_min. (``LinearDevice(tau, c)`` instead scales up by 1+c and down by 1-c.) The symmetric
    point is aihwkit's (s_up - s_down) / (s_up/w_max - s_down/w_min).

    Args:
        w_min: lower bound, < 0.
        w_max: upper bound, > 0.
        up_down: in (-1, 1).
    """

    w_min: float = -1.0
    w_max: float = 1.0
    up_down: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "w_min", param("w_min", self.w_min, high=0.0))
        object.__setattr__(self, "w_max", param("w_max", self.w_max, low=0.0))
        object.__setattr__(self, "up_down", param("up_down", self.up_down, -1.0, 1.0))
        broadcast(self.params())

    @property
    def _slopes(self):
        return 1 + np.minimum(self.up_down, 0.0), 1 - np.maximum(self.up_down, 0.0)

    @property
    def bounds(self):
        return (self.w_min, self.w_max)

    def _q_plus(self, w):
        return self._slopes[0] * (1 - w / self.w_max)

    def _q_minus(self, w):
        return self._slopes[1] * (1 - w / self.w_min)

    @property
    def symmetric_point(self):
        s_up, s_down = self._slopes
        sp = (s_up - s_down) / (s_up / self.w_max - s_down / self.w_min)
        return float(sp) if np.ndim(sp) == 0 else sp

    def affine(self):
        s_up, s_down = self._slopes
        return s_up, -s_up / self.w_max, s_down, -s_down / self.w_min


@dataclass(frozen=True, eq=False)
class _ShapedDevice(Device):
    """q_plus = (1 + asymmetry) q(1 - w/tau), q_minus = (1 - asymmetry) q(1 + w/tau) on [-tau, tau].

    ``gamma`` lies in (0, 100]: beyond, the response would span more than 30 orders of magnitude
    across the range (2**100 for the power family, e**100 for the exponential one).
    """

    tau: float = 1.0
    gamma: float = 2.0
    asymmetry: float = 0.0
    _positive_params = ("tau", "gamma")

    def __post_init__(self):
        object.__setattr__(self, "tau", param("tau", self.tau, 0.0))
        gamma = param("gamma", self.gamma, 0.0, MAX_GAMMA, high_open=False)
        object.__setattr__(self, "gamma", gamma)
        object.__setattr__(self, "asymmetry", param("asymmetry", self.asymmetry, -1.0, 1.0))
        broadcast(self.params())

    @property
    def bounds(self):
        return (-self.tau, self.tau)

    def _q(self, x):
        raise NotImplementedError

    def _q_plus(self, w):
        return (1 + self.asymmetry) * self._q(1 - w / self.tau)

    def _q_minus(self, w):
        return (1 - self.asymmetry) * self._q(1 + w / self.tau)


@dataclass(frozen=True, eq=False)
class PowerDevice(_ShapedDevice):
    """Power response on [-tau, tau] (paper 2 App. K.1 eq. (148)), with optional asymmetry::

        q_plus  = (1 + asymmetry) * (1 - w/tau)**gamma
        q_minus = (1 - asymmetry) * (1 + w/tau)**gamma

    ``gamma = 1`` is the linear device. The symmetric point has a closed form:
    w⋄ = tau*(1 - r)/(1 + r) with r = ((1 - asymmetry)/(1 + asymmetry))**(1/gamma).
    aihwkit's ``PowStepDevice`` has the same shape up to a constant 2**-gamma absorbed in dw_min.

    Args:
        tau: saturation level, > 0.
        gamma: exponent, > 0.
        asymmetry: in (-1, 1).
    """

    def _q(self, x):
        return np.maximum(x, 0.0) ** self.gamma

    @property
    def symmetric_point(self):
        r = ((1 - self.asymmetry) / (1 + self.asymmetry)) ** (1 / self.gamma)
        sp = self.tau * (1 - r) / (1 + r)
        return float(sp) if np.ndim(sp) == 0 else sp


@dataclass(frozen=True, eq=False)
class ExponentialDevice(_ShapedDevice):
    """Exponential response on [-tau, tau] (paper 2 App. K.1 eq. (149)), with optional asymmetry::

        q_plus  = (1 + asymmetry) * (exp(gamma*(1 - w/tau)) - 1) / (exp(gamma) - 1)
        q_minus = (1 - asymmetry) * (exp(gamma*(1 + w/tau)) - 1) / (exp(gamma) - 1)

    G = 0 is a quadratic in u = exp(gamma*w/tau), so the symmetric point has a closed form:
    w⋄ = (tau/gamma) * log[(sqrt(c² + (1 - c²) e^(2 gamma)) - c) / ((1 - c) e^gamma)], 0 at c = 0
    (derived in ``analogkit.theory.response_decomposition("exponential")``). aihwkit's
    ``ExpStepDevice`` is a different parameterisation.

    Args:
        tau: saturation level, > 0.
        gamma: steepness, > 0.
        asymmetry: in (-1, 1).
    """

    def _q(self, x):
        return np.expm1(self.gamma * np.maximum(x, 0.0)) / np.expm1(self.gamma)

    @property
    def symmetric_point(self):
        c, g = self.asymmetry, self.gamma
        # the closed form divided through by e^gamma, so that it does not overflow
        e = np.exp(-g)
        u = (np.sqrt(c**2 * e**2 + (1 - c**2)) - c * e) / (1 - c)
        sp = self.tau / g * np.log(u)
        return float(sp) if np.ndim(sp) == 0 else sp


@dataclass(frozen=True, eq=False)
class PiecewiseDevice(Device):
    """A response tabulated on a grid of weights and interpolated linearly (measured devices).

    Like aihwkit's ``PiecewiseStepDevice``, but the grid need not be even. q_plus and q_minus must
    be positive on the grid's interior; q_plus may reach 0 at the top node and q_minus at the
    bottom node (saturation). G is piecewise linear, so the symmetric point is exact: the first
    node interval where G crosses from negative to non-negative.

    Args:
        w_grid: strictly increasing weights (at least two).
        q_plus_values: q_plus at the grid nodes.
        q_minus_values: q_minus at the grid nodes.
    """

    w_grid: np.ndarray
    q_plus_values: np.ndarray
    q_minus_values: np.ndarray

    def __post_init__(self):
        grid = param("w_grid", self.w_grid)
        qp = param("q_plus_values", self.q_plus_values, 0.0, low_open=False)
        qm = param("q_minus_values", self.q_minus_values, 0.0, low_open=False)
        if np.ndim(grid) != 1 or np.size(grid) < 2:
            raise ValueError("w_grid must be a 1-D array of at least two weights")
        if np.any(np.diff(grid) <= 0):
            raise ValueError("w_grid must be strictly increasing")
        for name, q in (("q_plus_values", qp), ("q_minus_values", qm)):
            if np.shape(q) != np.shape(grid):
                raise ValueError(
                    f"{name} must have the shape of w_grid {grid.shape}, got {np.shape(q)}"
                )
        if np.any(qp[:-1] <= 0) or np.any(qm[1:] <= 0):
            raise ValueError(
                "the response must be positive inside its range: q_plus_values > 0 except at the "
                "top node, q_minus_values > 0 except at the bottom node"
            )
        for name, v in (("w_grid", grid), ("q_plus_values", qp), ("q_minus_values", qm)):
            object.__setattr__(self, name, v)

    @property
    def bounds(self):
        return (float(self.w_grid[0]), float(self.w_grid[-1]))

    def _q_plus(self, w):
        return np.interp(w, self.w_grid, self.q_plus_values)

    def _q_minus(self, w):
        return np.interp(w, self.w_grid, self.q_minus_values)

    @property
    def symmetric_point(self):
        g = 0.5 * (self.q_minus_values - self.q_plus_values)
        crossing = np.flatnonzero((g[:-1] < 0) & (g[1:] >= 0))
        if crossing.size == 0:
            raise ValueError(
                "PiecewiseDevice has no symmetric point in its range: G = (q_minus - q_plus)/2 "
                "does not change sign from - to + on the grid"
            )
        i = crossing[0]
        w0, w1 = self.w_grid[i], self.w_grid[i + 1]
        return float(w0 - g[i] * (w1 - w0) / (g[i + 1] - g[i]))

    def params(self) -> dict:
        return {}  # the grid is a table, not a per-device parameter that broadcasts against w
