"""The Device base class: response functions q±, their parts F and G, the analog update and the symmetric point."""

from __future__ import annotations

import dataclasses

import numpy as np

from analogkit._validate import as_float_array, broadcast, find_root

__all__ = ["Device"]


class Device:
    """Base class: subclasses define ``q_plus``, ``q_minus`` and ``bounds``.

    ``F``, ``G``, ``update`` and ``symmetric_point`` follow; the built-in families override them
    with closed forms, and a new family without one gets the symmetric point by root finding on
    ``G``.
    """

    #: parameters that `vary` spreads multiplicatively (log-normal) rather than additively
    _positive_params: tuple[str, ...] = ()

    @property
    def bounds(self) -> tuple:
        """(lower, upper) edge of the weight range on which the response is defined."""
        raise NotImplementedError

    def q_plus(self, w):
        """Response to an up pulse, relative to dw_min."""
        raise NotImplementedError

    def q_minus(self, w):
        """Response to a down pulse, relative to dw_min."""
        raise NotImplementedError

    def F(self, w):
        """Symmetric component (q_minus + q_plus) / 2."""
        return 0.5 * (self.q_minus(w) + self.q_plus(w))

    def G(self, w):
        """Asymmetric component (q_minus - q_plus) / 2; zero at the symmetric point."""
        return 0.5 * (self.q_minus(w) - self.q_plus(w))

    @property
    def symmetric_point(self):
        """The weight w⋄ with G(w⋄) = 0 (q_plus = q_minus), found by a vectorised root finder."""
        return _symmetric_point_root(self)

    @property
    def bounded(self) -> bool:
        """True when the weight range has a finite bound (every family but the ideal device)."""
        lo, hi = self.bounds
        return bool(np.any(np.isfinite(lo)) or np.any(np.isfinite(hi)))

    def update(self, w, dw, *, check: bool = True):
        """Expected analog update U_q(w, dw) = w + dw*F(w) - |dw|*G(w) (paper 1 eq. (7)).

        The result is clipped into the device range (the hard bounds of a pulsed simulator): a
        step too large for the response, e.g. dw > tau/(1 + |asymmetry|) on a linear device,
        would otherwise overshoot a bound.

        Args:
            w: current weights, inside ``bounds``.
            dw: desired increments; broadcast against ``w`` and the device parameters.
            check: validate the inputs (the training loop passes False).

        Returns:
            The new weights, inside the device range.
        """
        if check:
            w, dw = self._check_inputs(w, dw)
        return self.clip(self._update(w, dw))

    def _update(self, w, dw):
        """The unclipped expected update; families override it with a faster closed form."""
        return w + dw * self.F(w) - np.abs(dw) * self.G(w)

    def clip(self, w):
        """Weights clipped into the device's range (the hard bounds of a pulsed simulator)."""
        lo, hi = self.bounds
        return np.clip(w, lo, hi)

    def params(self) -> dict:
        """The device's parameters as a dict (name -> float or array)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def _check_inputs(self, w, dw=None):
        w = as_float_array("w", w)
        lo, hi = self.bounds
        arrays = {"w": w, **{k: v for k, v in self.params().items() if np.ndim(v)}}
        if dw is not None:
            dw = as_float_array("dw", dw)
            arrays["dw"] = dw
        broadcast(arrays)
        slack = 1e-9 * (1 + np.abs(lo) + np.abs(hi))  # rounding at the edge is not an error
        if np.any(w < lo - slack) or np.any(w > hi + slack):
            raise ValueError(
                f"w must lie in the device range [{np.min(lo):g}, {np.max(hi):g}] "
                f"of {type(self).__name__}, got values in [{w.min():g}, {w.max():g}]"
            )
        return w, dw


def _symmetric_point_root(device: Device):
    """Root of G on the device range, element-wise over array parameters (no Python loop over them).

    The stable symmetric point is where G crosses from negative to positive (the drift
    -|dw|*G(w) then points towards it); a ValueError says so when no such crossing exists.
    """
    lo, hi = (np.asarray(b, dtype=float) for b in device.bounds)
    shape = broadcast({"lo": lo, "hi": hi, **device.params()})
    lo, hi = np.broadcast_to(lo, shape), np.broadcast_to(hi, shape)
    if np.any(device.G(lo) > 0) or np.any(device.G(hi) < 0):
        raise ValueError(
            f"{type(device).__name__} has no symmetric point in its range: "
            "G = (q_minus - q_plus)/2 does not change sign from - to + between the bounds"
        )
    sp = find_root(device.G, lo, hi)
    return float(sp) if sp.ndim == 0 else sp
