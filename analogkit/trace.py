"""The Trace: what a training run records, over recorded steps x trials.

An algorithm runs many independent trials at once and records, every ``record_every`` steps (and
always at step 0 and at the final step), the suboptimality f - f*, the squared norm of the true
gradient, and optionally the weights. Memory therefore grows with steps/record_every, not with
steps: 1000 trials x 1e5 steps with record_every=1000 store 101 records.

A trial is flagged as diverged at the first recorded step where its weights are non-finite or
larger than 1e100 in norm, or its f - f* exceeds 1e12 x (1 + its f - f* at step 0) -- no
convergent run grows its loss a trillion-fold, while an unstable one (lr > 2/L) gets there in a
few dozen steps; from then on its records are NaN (never silently:
``Trace.diverged``/``diverged_step`` say which, and the algorithm warns once).

This module imports only numpy; it must never import algorithms, theory, plotting or widgets.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Trace", "DivergenceWarning", "quietly", "DIVERGENCE_NORM", "DIVERGENCE_GROWTH"]

#: a trial whose weight norm exceeds this is treated as diverged
DIVERGENCE_NORM = 1e100
#: ... and so is one whose f - f* exceeds this factor times (1 + its initial f - f*)
DIVERGENCE_GROWTH = 1e12

#: refuse to allocate records larger than this (bytes); the error suggests a record_every
MAX_RECORD_BYTES = 2e9


class DivergenceWarning(RuntimeWarning):
    """Some trials of a run diverged; ``Trace.diverged`` and ``Trace.diverged_step`` say which."""


def quietly(fn, *args, **kwargs):
    """Run an algorithm without its DivergenceWarning, for callers that report
    ``Trace.diverged`` themselves (dashboards, figures). Other warnings still show."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        return fn(*args, **kwargs)


@dataclass(frozen=True, eq=False)
class Trace:
    """The record of a run of many trials.

    Attributes:
        steps: (R,) int array of the recorded steps; step 0 is the initial point and the final
            step is always recorded.
        loss: (R, trials) f - f* at the effective weight (see ``meta["grad_point"]``).
        grad_norm2: (R, trials) squared norm of the *true* gradient at the point where the
            algorithm evaluates its gradient: W for SGD, W + gamma*P for Tiki-Taka / residual
            learning (``meta["grad_point"]`` says which).
        weights: (R, trials, dim) main-array weights W, or None unless ``record_weights=True``.
        fast: (R, trials, dim) the fast / residual array P (logical value) for two-array
            methods when ``record_weights=True``, else None.
        final_weights: (trials, dim) W after the last step (NaN rows for diverged trials).
        final_fast: (trials, dim) P after the last step, or None for one-array methods.
        diverged: (trials,) bool, True for trials that diverged.
        diverged_step: (trials,) int, the first recorded step at which the trial was seen to
            diverge, -1 if it did not.
        meta: algorithm name and its parameters.
    """

    steps: np.ndarray
    loss: np.ndarray
    grad_norm2: np.ndarray
    weights: np.ndarray | None
    fast: np.ndarray | None
    final_weights: np.ndarray
    final_fast: np.ndarray | None
    diverged: np.ndarray
    diverged_step: np.ndarray
    meta: dict = field(default_factory=dict)

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
        arrays = (
            self.steps,
            self.loss,
            self.grad_norm2,
            self.weights,
            self.fast,
            self.final_weights,
            self.final_fast,
            self.diverged,
            self.diverged_step,
        )
        return sum(a.nbytes for a in arrays if a is not None)

    @property
    def effective_weights(self) -> np.ndarray | None:
        """(R, trials, dim) W + gamma*P at every record (where the loss is taken), or None."""
        if self.weights is None:
            return None
        if self.fast is None:
            return self.weights
        return self.weights + self.meta.get("gamma", 0.0) * self.fast

    @property
    def final_effective_weights(self) -> np.ndarray:
        """(trials, dim) W + gamma*P after the last step."""
        if self.final_fast is None:
            return self.final_weights
        return self.final_weights + self.meta.get("gamma", 0.0) * self.final_fast

    def mean_loss(self) -> np.ndarray:
        """Mean of f - f* over the trials that did not diverge, per record, shape (R,)."""
        return _mean_over_ok(self.loss, ~self.diverged)

    def _quantity(self, quantity: str) -> np.ndarray:
        allowed = ("loss", "grad_norm2", "weights", "fast")
        if quantity not in allowed:
            raise ValueError(f"quantity must be one of {allowed}, got {quantity!r}")
        value = getattr(self, quantity)
        if value is None:
            raise ValueError(
                f"this trace has no {quantity!r} records (run with record_weights=True"
                + (" and a two-array algorithm)" if quantity == "fast" else ")")
            )
        return value

    def tail_slice(self, fraction: float = 0.2) -> slice:
        """The records in the last `fraction` of the record list (at least one record)."""
        if not (isinstance(fraction, (int, float)) and 0 < fraction <= 1):
            raise ValueError(f"fraction must lie in (0, 1], got {fraction!r}")
        n = max(1, math.ceil(fraction * self.n_records))
        return slice(self.n_records - n, self.n_records)

    def tail_mean(self, quantity: str = "loss", fraction: float = 0.2, *, per_trial: bool = False):
        """Mean of a recorded quantity over the last `fraction` of the records ("error floor").

        Args:
            quantity: "loss", "grad_norm2", "weights" or "fast".
            fraction: fraction of the records, in (0, 1]; at least one record is used.
            per_trial: return the time average of every trial (NaN for diverged trials) instead
                of also averaging over the trials that did not diverge.

        Returns:
            A float for loss / grad_norm2 (an array of shape (dim,) for weights / fast); with
            ``per_trial=True`` an array of shape (trials,) (or (trials, dim)).
        """
        value = self._quantity(quantity)[self.tail_slice(fraction)]
        per = value.mean(axis=0)
        if per_trial:
            return per
        ok = ~self.diverged
        if not ok.any():
            return np.full(per.shape[1:], np.nan) if per.ndim > 1 else float("nan")
        out = per[ok].mean(axis=0)
        return float(out) if np.ndim(out) == 0 else out


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


class _Recorder:
    """Fills a Trace during a run and keeps the divergence bookkeeping (used by algorithms)."""

    def __init__(self, steps, record_every, trials, dim, record_weights, two_arrays):
        R = steps // record_every + 1 + (1 if steps % record_every else 0)
        per_record = trials * (2 + dim * (int(record_weights) + int(record_weights and two_arrays)))
        if 8.0 * R * per_record > MAX_RECORD_BYTES:
            suggestion = max(1, math.ceil(8.0 * steps * per_record / MAX_RECORD_BYTES * 2))
            raise ValueError(
                f"recording {R} steps of {trials} trials would need "
                f"{8.0 * R * per_record / 1e9:.1f} GB (limit {MAX_RECORD_BYTES / 1e9:g} GB); "
                f"pass a larger record_every (e.g. record_every={suggestion}) or fewer trials"
            )
        self.steps = record_schedule(steps, record_every)
        self._sched = self.steps.tolist()
        self.loss = np.empty((R, trials))
        self.grad_norm2 = np.empty((R, trials))
        self.weights = np.empty((R, trials, dim)) if record_weights else None
        self.fast = np.empty((R, trials, dim)) if (record_weights and two_arrays) else None
        self.diverged = np.zeros(trials, dtype=bool)
        self.diverged_step = np.full(trials, -1, dtype=np.int64)
        self.i = 0
        self.next = self._sched[0]

    def record(self, k, loss, g, W, P=None):
        """Record step k; return a bool mask of trials whose state is bad (to be reset), or None.

        Args:
            k: the step.
            loss: f - f* at the point where the gradient was evaluated, (trials,).
            g: the exact gradient there, (trials, dim).
            W: the main array.
            P: the logical fast array (two-array methods).
        """
        i = self.i
        gn2 = np.einsum("td,td->t", g, g)
        if i == 0:
            start = np.where(np.isfinite(loss), np.abs(loss), 0.0)
            self.loss_limit = DIVERGENCE_GROWTH * (1 + start)
        limit = DIVERGENCE_NORM**2
        bad = (
            ~(np.einsum("td,td->t", W, W) <= limit) | ~(loss <= self.loss_limit) | ~np.isfinite(gn2)
        )
        if P is not None:
            bad |= ~(np.einsum("td,td->t", P, P) <= limit)
        new = bad & ~self.diverged
        if new.any():
            self.diverged[new] = True
            self.diverged_step[new] = k
        self.loss[i] = loss
        self.grad_norm2[i] = gn2
        if self.weights is not None:
            self.weights[i] = W
        if self.fast is not None:
            self.fast[i] = P
        if self.diverged.any():
            d = self.diverged
            self.loss[i, d] = np.nan
            self.grad_norm2[i, d] = np.nan
            if self.weights is not None:
                self.weights[i, d] = np.nan
            if self.fast is not None:
                self.fast[i, d] = np.nan
        self.i += 1
        self.next = self._sched[self.i] if self.i < len(self._sched) else -1
        return bad if bad.any() else None

    def finish(self, W, P, meta, *, stacklevel=3) -> Trace:
        """The Trace; warns once (DivergenceWarning) when trials diverged."""
        final_w = np.array(W, dtype=float, copy=True)
        final_p = None if P is None else np.array(P, dtype=float, copy=True)
        d = self.diverged
        if d.any():
            final_w[d] = np.nan
            if final_p is not None:
                final_p[d] = np.nan
            warnings.warn(
                f"{meta.get('algorithm', 'run')}: {int(d.sum())} of {d.size} trials diverged "
                f"(first seen at step {int(self.diverged_step[d].min())}); their records are NaN "
                "from then on (see Trace.diverged and Trace.diverged_step)",
                DivergenceWarning,
                stacklevel=stacklevel,
            )
        for arr in (self.steps, self.loss, self.grad_norm2, self.weights, self.fast):
            if arr is not None:
                arr.setflags(write=False)
        for arr in (final_w, final_p, self.diverged, self.diverged_step):
            if arr is not None:
                arr.setflags(write=False)
        return Trace(
            steps=self.steps,
            loss=self.loss,
            grad_norm2=self.grad_norm2,
            weights=self.weights,
            fast=self.fast,
            final_weights=final_w,
            final_fast=final_p,
            diverged=self.diverged,
            diverged_step=self.diverged_step,
            meta=meta,
        )
