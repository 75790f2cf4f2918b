"""The Device base class: response functions q±, their parts F and G, the analog update and the symmetric point."""

from __future__ import annotations

import dataclasses

import numpy as np

from analogkit._validate import as_float_array, broadcast, find_root

__all__ = ["Device"]


class Device:
    """Base class: subclasses define ``bounds``, ``_q_plus`` and ``_q_minus``.

    The public ``q_plus``, ``q_minus``, ``F``, ``G`` and ``update`` check that ``w`` is real,
    finite and inside the device range (ValueError naming the range otherwise) and then call the
    unchecked forms ``_q_plus``, ``_q_minus``, ``_F``, ``_G``, ``_update``; ``check=False`` skips
    the check (the training loop and the pulse trains do). ``F``, ``G``, ``update`` and
    ``symmetric_point`` follow from q±; the built-in families override them with closed forms,
    and a new family without one gets the symmetric point by root finding on ``G``.
    """

    #: parameters that `vary` spreads multiplicatively (log-normal) rather than additively
    _positive_params: tuple[str, ...] = ()

    @property
    def bounds(self) -> tuple:
        """(lower, upper) edge of the weight range on which the response is defined."""
        raise NotImplementedError

    def _q_plus(self, w):
        raise NotImplementedError

    def _q_minus(self, w):
        raise NotImplementedError

    def _F(self, w):
        return 0.5 * (self._q_minus(w) + self._q_plus(w))

    def _G(self, w):
        return 0.5 * (self._q_minus(w) - self._q_plus(w))

    def q_plus(self, w, *, check: bool = True):
        """Response to an up pulse, relative to dw_min, at weights `w` inside the range."""
        return self._q_plus(self.check_weights(w) if check else w)

    def q_minus(self, w, *, check: bool = True):
        """Response to a down pulse, relative to dw_min, at weights `w` inside the range."""
        return self._q_minus(self.check_weights(w) if check else w)

    def F(self, w, *, check: bool = True):
        """Symmetric component (q_minus + q_plus) / 2."""
        return self._F(self.check_weights(w) if check else w)

    def G(self, w, *, check: bool = True):
        """Asymmetric component (q_minus - q_plus) / 2; zero at the symmetric point."""
        return self._G(self.check_weights(w) if check else w)

    @property
    def symmetric_point(self):
        """The weight w⋄ with G(w⋄) = 0 (q_plus = q_minus), found by root finding on G."""
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
            dw: desired increments (finite); broadcast against ``w`` and the device parameters.
            check: validate the inputs (the training loop passes False).

        Returns:
            The new weights, inside the device range.
        """
        if check:
            w, dw = self.check_weights(w), as_float_array("dw", dw)
            broadcast({"w": w, "dw": dw, **self._array_params()})
        return self.clip(self._update(w, dw), check=False)

    def _update(self, w, dw):
        """The unclipped expected update; families override it with a faster closed form."""
        return w + dw * self._F(w) - np.abs(dw) * self._G(w)

    def clip(self, w, *, check: bool = True):
        """Weights clipped into the device's range, as hard bounds do (±inf go to the bounds;
        NaN and complex values are refused unless ``check=False``)."""
        if check:
            w = as_float_array("w", w, allow_inf=True)
        lo, hi = self.bounds
        return np.clip(w, lo, hi)

    def params(self) -> dict:
        """The device's parameters as a dict (name -> float or array)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def _array_params(self) -> dict:
        return {k: v for k, v in self.params().items() if np.ndim(v)}

    def check_weights(self, w) -> np.ndarray:
        """w as a float array inside the device range (a rounding error at the edge is allowed)."""
        w = as_float_array("w", w)
        broadcast({"w": w, **self._array_params()})
        lo, hi = self.bounds
        slack = 1e-9 * (1 + np.abs(lo) + np.abs(hi))
        if np.any(w < lo - slack) or np.any(w > hi + slack):
            raise ValueError(
                f"w must lie in the device range [{np.min(lo):g}, {np.max(hi):g}] "
                f"of {type(self).__name__}, got values in [{w.min():g}, {w.max():g}]"
            )
        return w


def _symmetric_point_root(device: Device):
    """Root of G on the device range, element-wise over array parameters (no Python loop over them).

    The stable symmetric point is where G crosses from negative to positive (the drift
    -|dw|*G(w) then points towards it); a ValueError says so when no such crossing exists.
    """
    lo, hi = (np.asarray(b, dtype=float) for b in device.bounds)
    shape = broadcast({"lo": lo, "hi": hi, **device.params()})
    lo, hi = np.broadcast_to(lo, shape), np.broadcast_to(hi, shape)
    if np.any(device.G(lo, check=False) > 0) or np.any(device.G(hi, check=False) < 0):
        raise ValueError(
            f"{type(device).__name__} has no symmetric point in its range: "
            "G = (q_minus - q_plus)/2 does not change sign from - to + between the bounds"
        )
    sp = find_root(lambda w: device.G(w, check=False), lo, hi)
    return float(sp) if sp.ndim == 0 else sp
