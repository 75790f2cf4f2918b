"""A tile: one array of weights (trials, dim) on one device, and the rule interface over tiles.

A :class:`Tile` holds the physical state of an analog array -- its conductance-weights, its
device's response function, the pulse configuration that writes to it and its bounds -- and an
optional reference it is read against:

* ``reference=None``: the logical weight is the conductance itself;
* ``reference="symmetric point"``: a reference holding the device's symmetric point (zero-shift,
  aihwkit's ``subtract_symmetry_point=True``); the logical weight is conductance - w⋄ and starts at 0;
* ``reference="dynamic"``: a digital reference array the rule sets itself (``tile.reference``),
  as AGAD does.

``device=None`` makes a digital tile: exact float updates W <- W + dW, the reference of every
analog method.

A :class:`Rule` is one training algorithm over its tiles: ``read`` gives the weight the gradient
is taken at, ``step`` applies one update given the stochastic gradient, ``reset`` restarts
diverged trials. All of its state (buffers, counters, choppers) lives in the rule object.
"""

from __future__ import annotations

import numpy as np

from analogkit.devices import Device
from analogkit.pulses import PulseConfig, fire, pulse_train

__all__ = ["Tile", "Rule"]

_REFERENCES = (None, "symmetric point", "dynamic")


class Tile:
    """One array of weights of shape (trials, dim) on one device.

    Args:
        device: the response function, or None for a digital array.
        shape: (trials, dim).
        pulse: None for the expected update U_q (clipped to the device range), or a PulseConfig
            for pulse trains (:func:`analogkit.pulse_update`); ``truncated`` counts the
            increments cut at ``pulse.max_pulses``.
        init: the initial *logical* weights, broadcastable to `shape`; the conductance starts at
            init + reference, clipped into the device range (as aihwkit's hard bounds do).
        reference: None, "symmetric point" (zero-shift) or "dynamic" (see the module docstring).
    """

    def __init__(
        self,
        device: Device | None,
        shape: tuple,
        *,
        pulse: PulseConfig | None = None,
        init=0.0,
        reference: str | None = None,
    ):
        if reference not in _REFERENCES:
            raise ValueError(f"reference must be one of {_REFERENCES}, got {reference!r}")
        if device is None and (reference is not None or pulse is not None):
            raise ValueError("a digital tile (device=None) takes neither a reference nor pulses")
        self.device = device
        self.pulse = pulse
        self.bounded = device is not None and device.bounded
        if reference == "symmetric point":
            self.reference = device.symmetric_point
        elif reference == "dynamic":
            self.reference = np.zeros(shape)
        else:
            self.reference = None
        phys = np.array(np.broadcast_to(init, shape), dtype=np.float64, order="C", copy=True)
        if self.reference is not None:
            phys += self.reference
        if self.bounded:
            phys = np.ascontiguousarray(device.clip(phys), dtype=np.float64)
        self.conductance = phys
        self.initial = phys.copy()
        self.truncated = 0  # increments cut at pulse.max_pulses
        self.writes = 0  # increments written in pulse mode

    def value(self) -> np.ndarray:
        """The logical weights: conductance - reference (the conductance itself, not a copy,
        when there is no reference)."""
        if self.reference is None:
            return self.conductance
        return self.conductance - self.reference

    def write(self, dW, rng) -> None:
        """Apply the increments dW: W + dW (digital), U_q(W, dW) clipped, or pulse trains."""
        if self.device is None:
            self.conductance += dW
        elif self.pulse is None:
            self.conductance = self.device.update(self.conductance, dW, check=False)
        else:
            self.conductance, capped = pulse_train(
                self.device, self.conductance, dW, self.pulse, rng
            )
            self.truncated += capped
            self.writes += dW.size

    def fire(self, pulses, rng) -> None:
        """Fire exactly |pulses| pulses of sign(pulses) on every weight (pulse mode only)."""
        self.conductance = fire(self.device, self.conductance, pulses, self.pulse, rng)

    def reset(self, bad) -> None:
        """Restart the trials in the boolean mask `bad` from the initial conductance."""
        self.conductance[bad] = self.initial[bad]

    def pinned(self) -> np.ndarray | None:
        """(trials,) fraction of the weights sitting on a bound of the device range, or None for a
        tile without bounds."""
        if not self.bounded:
            return None
        lo, hi = self.device.bounds
        tol = 1e-9 * (np.asarray(hi) - np.asarray(lo))
        W = self.conductance
        return ((W <= lo + tol) | (W >= hi - tol)).mean(axis=1)


class Rule:
    """A training algorithm over named tiles; subclasses define ``read`` and ``step``.

    Attributes:
        name: the algorithm's name (``Trace.meta["algorithm"]``).
        tiles: tile name -> Tile, the main array first.
        mixing: tile name -> coefficient of that tile in the weight ``read`` returns.
    """

    name = "rule"
    tiles: dict
    mixing: dict

    def read(self) -> np.ndarray:
        """The weight the gradient is taken at, (trials, dim)."""
        raise NotImplementedError

    def step(self, g: np.ndarray, k: int, rng: np.random.Generator) -> None:
        """One update of step k from the stochastic gradient `g` (which the rule may overwrite)."""
        raise NotImplementedError

    def reset(self, bad) -> None:
        """Restart the trials in the mask `bad` (a rule with extra state resets it too)."""
        for tile in self.tiles.values():
            tile.reset(bad)

    def values(self) -> dict:
        """Tile name -> logical weights."""
        return {name: tile.value() for name, tile in self.tiles.items()}
