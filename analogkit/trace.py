"""What a training run records, over recorded steps x trials: the Recorder and the Trace it returns.

An algorithm runs many independent trials at once and records, every ``record_every`` steps (and
always at step 0 and at the final step), the suboptimality f - f*, the squared norm of the true
gradient, any further named metrics (test accuracy, say) and optionally every tile's weights.
Memory grows with steps/record_every, not with steps: 1000 trials x 1e5 steps with
record_every=1000 store 101 records.

Every judgement is relative to the problem's own scale, never an absolute number:

* a trial **diverged** at the first recorded step where its loss exceeds 1e12 x (1 + its loss at
  step 0 + the problem's noise level ``Problem.loss_scale()``), or a tile's largest weight exceeds
  1e50 x (1 + the largest weight at step 0 + the largest |w*|), or anything is non-finite. No
  convergent run grows its loss a trillion-fold, while an unstable one (lr > 2/L) gets there in a
  few dozen steps. From then on its records are NaN and it is restarted from its initial state;
* a trial **saturated** when at the end at least half of the weights of one of its tiles sit on a
  bound of the device range;
* a trial **worsened** when its loss over the last fifth of the records averages more than twice
  its starting loss plus twice the noise level: a bounded device cannot diverge, but a learning
  rate too large for it drives the weights to the bounds and the loss up.

Each is flagged in the Trace (``diverged``, ``saturated``, ``worsened``) and warned about once per
run (:class:`DivergenceWarning`, :class:`SaturationWarning`); ``quietly`` silences both for
callers that report the flags themselves.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

__all__ = [
    "Trace",
    "Recorder",
    "RunWarning",
    "DivergenceWarning",
    "SaturationWarning",
    "quietly",
    "record_schedule",
    "DIVERGENCE_GROWTH",
    "DIVERGENCE_WEIGHT_GROWTH",
]

#: a trial whose f - f* exceeds this factor times (1 + its initial f - f* + the noise level)
#: is treated as diverged
DIVERGENCE_GROWTH = 1e12
#: ... and so is one whose largest weight exceeds this factor times its scale at step 0
DIVERGENCE_WEIGHT_GROWTH = 1e50
#: a tile whose weights sit on a bound in at least this fraction is saturated
SATURATION_FRACTION = 0.5

#: refuse to allocate records larger than this (bytes); the error suggests a record_every
MAX_RECORD_BYTES = 2e9


class RunWarning(RuntimeWarning):
    """A training run went wrong in a way its Trace records (the base of the two below)."""


class DivergenceWarning(RunWarning):
    """Some trials of a run diverged; ``Trace.diverged`` and ``Trace.diverged_step`` say which."""


class SaturationWarning(RunWarning):
    """Some trials saturated the hardware: weights pinned at the device bounds, a loss that ended
    above its start, or pulse trains cut at ``max_pulses`` (``Trace.saturated``,
    ``Trace.worsened``, ``Trace.meta["pulses_truncated"]``)."""


def quietly(fn, *args, **kwargs):
    """Run an algorithm without its run warnings (divergence, saturation), for callers that
    report the Trace's flags themselves (dashboards, figures). Other warnings still show."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RunWarning)
        return fn(*args, **kwargs)


@dataclass(frozen=True, eq=False)
class Trace:
    """The record of a run of many trials. Its arrays and dicts are read-only.

    Attributes:
        steps: (R,) int array of the recorded steps; step 0 is the initial point and the final
            step is always recorded.
        metrics: name -> (R, trials) array. Always "loss" (f - f* at the point where the
            algorithm evaluates its gradient, see ``meta["grad_point"]``) and "grad_norm2" (the
            squared norm of the *true* gradient there); further metrics (e.g. "accuracy") when
            the algorithm was given them.
        tiles: tile name -> (R, trials, dim) logical weights of that tile at every record, in
            the algorithm's order ("W" the main array, "P" the fast array, ...); empty unless
            ``record_weights=True``.
        final: tile name -> (trials, dim) logical weights after the last step (NaN rows for
            diverged trials).
        diverged: (trials,) bool, True for trials that diverged.
        diverged_step: (trials,) int, the first recorded step at which the trial was seen to
            diverge, -1 if it did not.
        saturated: (trials,) bool, True where at the end at least half of the weights of a tile
            sit on a bound of its device range.
        worsened: (trials,) bool, True where the loss over the last fifth of the records
            averages more than 2 x (its start + ``Problem.loss_scale()``).
        meta: algorithm name and its parameters (read-only); ``meta["mixing"]`` maps tile names to their
            coefficients in the weight the gradient is taken at (W + gamma P, ...).
    """

    steps: np.ndarray
    metrics: dict
    tiles: dict
    final: dict
    diverged: np.ndarray
    diverged_step: np.ndarray
    saturated: np.ndarray
    worsened: np.ndarray
    meta: dict = field(default_factory=dict)

    # -- the names every analogkit user knows ----------------------------------------------------
    @property
    def loss(self) -> np.ndarray:
        """(R, trials) f - f* at every record."""
        return self.metrics["loss"]

    @property
    def grad_norm2(self) -> np.ndarray:
        """(R, trials) squared norm of the true gradient at every record."""
        return self.metrics["grad_norm2"]

    @property
    def weights(self) -> np.ndarray | None:
        """(R, trials, dim) the main tile (the first one), or None unless ``record_weights``."""
        return next(iter(self.tiles.values()), None)

    @property
    def fast(self) -> np.ndarray | None:
        """(R, trials, dim) the fast array P of two-array methods, or None."""
        return self.tiles.get("P")

    @property
    def final_weights(self) -> np.ndarray:
        """(trials, dim) the main tile after the last step."""
        return next(iter(self.final.values()))

    @property
    def final_fast(self) -> np.ndarray | None:
        """(trials, dim) the fast array P after the last step, or None for one-array methods."""
        return self.final.get("P")

    @property
    def any_diverged(self) -> bool:
        """True when at least one trial diverged."""
        return bool(self.diverged.any())

    @property
    def trials(self) -> int:
        """Number of trials."""
        return self.loss.shape[1]

    @property
    def n_records(self) -> int:
        """Number of recorded steps R."""
        return self.steps.shape[0]

    @property
    def nbytes(self) -> int:
        """Memory held by the trace's arrays, in bytes."""
        arrays = [self.steps, self.diverged, self.diverged_step, self.saturated, self.worsened]
        arrays += [*self.metrics.values(), *self.tiles.values(), *self.final.values()]
        return sum(a.nbytes for a in arrays)

    def _mix(self, arrays: dict) -> np.ndarray:
        mixing = self.meta.get("mixing") or {next(iter(arrays)): 1.0}
        out = None
        for name, coef in mixing.items():
            if coef == 0:
                continue
            term = arrays[name] if coef == 1 else coef * arrays[name]
            out = term if out is None else out + term
        return out

    @property
    def effective_weights(self) -> np.ndarray | None:
        """(R, trials, dim) the weight the gradient is taken at (W + gamma*P, ...), or None."""
        return self._mix(self.tiles) if self.tiles else None

    @property
    def final_effective_weights(self) -> np.ndarray:
        """(trials, dim) the weight the gradient is taken at, after the last step."""
        return self._mix(self.final)

    def mean_loss(self) -> np.ndarray:
        """Mean of f - f* over the trials that did not diverge, per record, shape (R,)."""
        return _mean_over_ok(self.loss, ~self.diverged)

    def _quantity(self, quantity: str) -> np.ndarray:
        aliases = {"weights": self.weights, "fast": self.fast}
        allowed = (*self.metrics, "weights", "fast", *self.tiles)
        if quantity not in allowed:
            raise ValueError(f"quantity must be one of {allowed}, got {quantity!r}")
        value = self.metrics.get(quantity, self.tiles.get(quantity, aliases.get(quantity)))
        if value is None:
            raise ValueError(
                f"this trace has no {quantity!r} records (run with record_weights=True"
                + (" and a two-array algorithm)" if quantity == "fast" else ")")
            )
        return value

    def tail_slice(self, fraction: float = 0.2) -> slice:
        """The records in the last `fraction` of the record list (at least one record)."""
        return _tail(self.n_records, fraction)

    def tail_mean(self, quantity: str = "loss", fraction: float = 0.2, *, per_trial: bool = False):
        """Mean of a recorded quantity over the last `fraction` of the records ("error floor").

        Args:
            quantity: a metric ("loss", "grad_norm2", ...), a tile name, or "weights" / "fast".
            fraction: fraction of the records, in (0, 1]; at least one record is used.
            per_trial: return the time average of every trial (NaN for diverged trials) instead
                of also averaging over the trials that did not diverge.

        Returns:
            A float for a metric (an array of shape (dim,) for weights); with
            ``per_trial=True`` an array of shape (trials,) (or (trials, dim)).
        """
        if not isinstance(quantity, str):
            raise TypeError(f"quantity must be a string, got {type(quantity).__name__}")
        if not isinstance(per_trial, (bool, np.bool_)):
            raise TypeError(f"per_trial must be True or False, got {type(per_trial).__name__}")
        value = self._quantity(quantity)[self.tail_slice(fraction)]
        per = value.mean(axis=0)
        if per_trial:
            return per
        ok = ~self.diverged
        if not ok.any():
            return np.full(per.shape[1:], np.nan) if per.ndim > 1 else float("nan")
        out = per[ok].mean(axis=0)
        return float(out) if np.ndim(out) == 0 else out


def _tail(n_records: int, fraction) -> slice:
    if isinstance(fraction, (bool, np.bool_)) or not isinstance(fraction, numbers.Real):
        raise TypeError(f"fraction must be a real number, got {type(fraction).__name__}")
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must lie in (0, 1], got {fraction!r}")
    n = max(1, math.ceil(fraction * n_records))
    return slice(n_records - n, n_records)


def _mean_over_ok(values: np.ndarray, ok: np.ndarray) -> np.ndarray:
    if not ok.any():
        return np.full(values.shape[:1] + values.shape[2:], np.nan)
    return values[:, ok].mean(axis=1)


def record_schedule(steps: int, record_every: int) -> np.ndarray:
    """Steps 0, record_every, 2*record_every, ... and always the final step."""
    sched = list(range(0, steps + 1, record_every))
    if sched[-1] != steps:
        sched.append(steps)
    return np.asarray(sched, dtype=np.int64)


def _frozen(arr: np.ndarray) -> np.ndarray:
    arr.setflags(write=False)
    return arr


class Recorder:
    """Fills a :class:`Trace` during a run and keeps the divergence bookkeeping.

    The training loop calls :meth:`record` at every step in the schedule (``next`` is the next
    one) and :meth:`finish` once at the end. An algorithm with more to record names its tiles
    and passes extra metrics.

    Args:
        steps: number of steps of the run.
        record_every: record every this many steps (step 0 and the last step always).
        trials: number of trials.
        dim: number of weights per tile.
        tiles: names of the tiles, in order (the first is the main array).
        record_weights: also store every tile's weights at every record.
        metrics: name -> function of the weight the gradient is taken at (trials, dim) returning
            (trials,) values; recorded next to "loss" and "grad_norm2".
        loss_scale: the problem's noise level (``Problem.loss_scale()``), >= 0.
        weight_scale: the largest |w*| of the problem (0 if unknown), >= 0.
    """

    def __init__(
        self,
        steps: int,
        record_every: int,
        trials: int,
        dim: int,
        tiles=("W",),
        record_weights: bool = False,
        metrics: dict[str, Callable] | None = None,
        loss_scale: float = 0.0,
        weight_scale: float = 0.0,
    ):
        R = steps // record_every + 1 + (1 if steps % record_every else 0)
        self.extra = dict(metrics or {})
        n_metrics = 2 + len(self.extra)
        per_record = trials * (n_metrics + dim * len(tiles) * int(record_weights))
        if 8.0 * R * per_record > MAX_RECORD_BYTES:
            suggestion = max(1, math.ceil(8.0 * steps * per_record / MAX_RECORD_BYTES * 2))
            raise ValueError(
                f"recording {R} steps of {trials} trials would need "
                f"{8.0 * R * per_record / 1e9:.1f} GB (limit {MAX_RECORD_BYTES / 1e9:g} GB); "
                f"pass a larger record_every (e.g. record_every={suggestion}) or fewer trials"
            )
        self.steps = record_schedule(steps, record_every)
        self._sched = self.steps.tolist()
        names = ("loss", "grad_norm2", *self.extra)
        self.metrics = {name: np.empty((R, trials)) for name in names}
        self.tiles = {t: np.empty((R, trials, dim)) for t in tiles} if record_weights else {}
        self.diverged = np.zeros(trials, dtype=bool)
        self.diverged_step = np.full(trials, -1, dtype=np.int64)
        self.loss_scale = float(loss_scale)
        self.weight_scale = float(weight_scale)
        self.i = 0
        self.next = self._sched[0]

    def record(self, k: int, W_read, loss, grad, tiles: dict):
        """Record step k; return a bool mask of trials whose state is bad (to be reset), or None.

        Args:
            k: the step.
            W_read: the weight the gradient is taken at, (trials, dim).
            loss: f - f* there, (trials,).
            grad: the exact gradient there, (trials, dim).
            tiles: tile name -> its logical weights, (trials, dim), in the constructor's order.
        """
        i = self.i
        gn2 = np.einsum("td,td->t", grad, grad)
        largest = np.max([np.max(np.abs(T), axis=1, initial=0.0) for T in tiles.values()], axis=0)
        if i == 0:
            self.start = np.where(np.isfinite(loss), np.abs(loss), 0.0)
            self.loss_limit = DIVERGENCE_GROWTH * (1 + self.start + self.loss_scale)
            start_w = np.where(np.isfinite(largest), largest, 0.0)
            self.weight_limit = DIVERGENCE_WEIGHT_GROWTH * (1 + start_w + self.weight_scale)
        bad = ~(largest <= self.weight_limit) | ~(loss <= self.loss_limit) | ~np.isfinite(gn2)
        new = bad & ~self.diverged
        if new.any():
            self.diverged[new] = True
            self.diverged_step[new] = k
        self.metrics["loss"][i] = loss
        self.metrics["grad_norm2"][i] = gn2
        for name, fn in self.extra.items():
            self.metrics[name][i] = fn(W_read)
        for name, store in self.tiles.items():
            store[i] = tiles[name]
        if self.diverged.any():
            d = self.diverged
            for store in (*self.metrics.values(), *self.tiles.values()):
                store[i, d] = np.nan
        self.i += 1
        self.next = self._sched[self.i] if self.i < len(self._sched) else -1
        return bad if bad.any() else None

    def finish(
        self,
        tiles: dict,
        meta: dict,
        *,
        pinned=None,
        truncated: float = 0.0,
        stacklevel: int = 4,
    ) -> Trace:
        """The Trace, with read-only arrays; warns once per kind when trials diverged or saturated.

        Args:
            tiles: tile name -> its final logical weights (copied).
            meta: the algorithm's name and parameters.
            pinned: (trials,) the largest fraction of a tile's weights that sit on a bound of the
                device range at the end (None: no bounded tile).
            truncated: fraction of the pulse-mode increments cut at ``max_pulses``.
            stacklevel: passed to ``warnings.warn`` (4 points at the caller of a public
                algorithm function that calls the training loop).
        """
        final = {name: np.array(T, dtype=float, copy=True) for name, T in tiles.items()}
        d = self.diverged
        name = meta.get("algorithm", "run")
        if d.any():
            for T in final.values():
                T[d] = np.nan
            warnings.warn(
                f"{name}: {int(d.sum())} of {d.size} trials diverged "
                f"(first seen at step {int(self.diverged_step[d].min())}); their records are NaN "
                "from then on (see Trace.diverged and Trace.diverged_step)",
                DivergenceWarning,
                stacklevel=stacklevel,
            )
        loss = self.metrics["loss"]
        tail = loss[_tail(loss.shape[0], 0.2)].mean(axis=0)
        worsened = ~d & (tail > 2 * (self.start + self.loss_scale))
        saturated = np.zeros_like(d) if pinned is None else ~d & (pinned >= SATURATION_FRACTION)
        problems = []
        if saturated.any():
            problems.append(
                f"{int(saturated.sum())} of {d.size} trials end with at least half of a tile's "
                "weights pinned at the device bounds (Trace.saturated)"
            )
        if worsened.any():
            problems.append(
                f"{int(worsened.sum())} of {d.size} trials end with a loss above twice their "
                "start plus the noise level (Trace.worsened)"
            )
        if truncated > 0:
            problems.append(
                f"a fraction {truncated:.2g} of the pulse-mode increments were cut at max_pulses "
                '(Trace.meta["pulses_truncated"])'
            )
        if problems:
            warnings.warn(
                f"{name}: " + "; ".join(problems) + ". A smaller learning rate keeps the "
                "updates within what the device can do.",
                SaturationWarning,
                stacklevel=stacklevel,
            )
        return Trace(
            steps=_frozen(self.steps),
            metrics=MappingProxyType({k: _frozen(v) for k, v in self.metrics.items()}),
            tiles=MappingProxyType({k: _frozen(v) for k, v in self.tiles.items()}),
            final=MappingProxyType({k: _frozen(v) for k, v in final.items()}),
            diverged=_frozen(self.diverged),
            diverged_step=_frozen(self.diverged_step),
            saturated=_frozen(saturated),
            worsened=_frozen(worsened),
            meta=MappingProxyType({**meta, "pulses_truncated": truncated}),
        )
