"""Statistics shared by the algorithm tests.

Statistical tests reproduce published or derived properties (paper 1 Fig. 1 mechanism and
Theorem 9, paper 2 Fig. 2 / Corollary 1). They are seeded; every tolerance is a stated multiple of
the Monte Carlo standard error (SE) plus, where named, a deterministic allowance. Stationary means
are first averaged over time within each trial; those per-trial averages are independent, so
SE = std(per-trial averages) / sqrt(trials).
"""

import numpy as np
from scipy.stats import norm

import analogkit as ak


def folded_mean(m, s):
    """E|m + eps| for eps ~ N(0, s^2)."""
    return s * np.sqrt(2 / np.pi) * np.exp(-(m**2) / (2 * s**2)) + m * (1 - 2 * norm.cdf(-m / s))


def tail_stats(trace, quantity="weights", fraction=0.75, coordinate=0, effective=False):
    """(mean, SE) over trials of the per-trial time average of a quantity over the tail."""
    if effective:
        values = trace.effective_weights[trace.tail_slice(fraction)].mean(axis=0)[:, coordinate]
    else:
        values = trace.tail_mean(quantity, fraction, per_trial=True)
        if values.ndim == 2:
            values = values[:, coordinate]
    values = values[~trace.diverged]
    return values.mean(), values.std(ddof=1) / np.sqrt(values.size)


# paper 1 Fig. 1 / paper 2 Fig. 2 style 1-D problem: f = (w - 0.5)^2 / 2, Gaussian noise 0.3
W_STAR, SIGMA = 0.5, 0.3
QUAD = ak.Quadratic(L=1.0, w_star=W_STAR, noise=ak.GaussianNoise(SIGMA))
