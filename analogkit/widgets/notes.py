"""The notes a dashboard shows about a run: diverged, saturated, worse than its start, not settled."""

from __future__ import annotations

import numpy as np

from analogkit.trace import Trace

__all__ = ["run_notes", "settled"]


def _settled(values, window, tol) -> bool:
    """values: (records, trials). True unless the trial mean over the last `window` of the records
    differs from the window before by more than `tol` times the range the mean covered over the run
    and by more than 3 standard errors of that difference."""
    n = max(1, int(round(window * values.shape[0])))
    if values.shape[1] < 2 or values.shape[0] < 2 * n + 1:
        return True
    diff = values[-n:].mean(axis=0) - values[-2 * n : -n].mean(axis=0)
    se = diff.std(ddof=1) / np.sqrt(diff.size)
    mean = values.mean(axis=1)
    return bool(abs(diff.mean()) <= max(tol * (mean.max() - mean.min()), 3 * se))


def settled(trace: Trace, window: float = 0.1, tol: float = 0.01) -> bool:
    """Whether a run has stopped moving: its loss, and its main tile's weights when they were
    recorded, change over the last `window` of the records by no more than `tol` of the range they
    covered (or than their noise, 3 standard errors)."""
    ok = ~trace.diverged
    quantities = [trace.loss[:, ok]]
    if trace.weights is not None:
        quantities += list(np.moveaxis(trace.weights[:, ok], 2, 0))
    return all(_settled(q, window, tol) for q in quantities)


def run_notes(trace: Trace, label: str) -> list[str]:
    """Plain-language notes for a run that diverged, saturated the device, ended with a loss above
    its start, or has not settled yet (empty for a healthy run)."""
    trials = trace.trials
    notes = []
    if trace.any_diverged:
        notes.append(
            f"{label} diverged in {int(trace.diverged.sum())} of {trials} trials (left out of the "
            "curves): lower the learning rate."
        )
    if trace.saturated.any():
        notes.append(
            f"{label} saturated: in {int(trace.saturated.sum())} of {trials} trials most weights end "
            "pinned at the device bounds."
        )
    if trace.worsened.any():
        notes.append(
            f"{label} ends with a loss above its start in {int(trace.worsened.sum())} of {trials} "
            "trials: the steps are too large for the device."
        )
    if not trace.diverged.all() and not settled(trace):
        notes.append(f"{label} has not converged yet: its loss is still changing at the last step.")
    return notes
