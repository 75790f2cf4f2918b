"""Helpers shared by the theory tests.

Statistical tests are seeded. Their standard errors (SE) come from per-trial time averages over
the tail of a run (trials are independent, so SE = std over trials / sqrt(trials)); each
tolerance is stated next to its assertion.
"""

import numpy as np

#: std of the Gaussian gradient noise in the simulations
NOISE = 0.3


def sem(x, axis=0):
    """Standard error of the mean over independent trials (axis 0)."""
    return np.std(x, axis=axis, ddof=1) / np.sqrt(np.shape(x)[axis])


def assert_steps_hold(derivation):
    """A derivation has at least three steps and each one simplifies to 0."""
    assert len(derivation.steps) >= 3
    for step in derivation.steps:
        assert step.simplified == 0, f"{derivation.name}: {step.name}"
