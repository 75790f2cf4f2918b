"""What several figures share: seeded generators and paper 1's random least-squares problems."""

from __future__ import annotations

import numpy as np

import analogkit as ak


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def least_squares(seed, dim, rows, w_star_std, noise, a_std=None) -> ak.LeastSquares:
    """A random least-squares problem with Gaussian gradient noise of std `noise` (None: none)."""
    noise = None if noise is None else ak.GaussianNoise(noise)
    return ak.LeastSquares.random(
        rng(seed), dim=dim, rows=rows, w_star_std=w_star_std, a_std=a_std, noise=noise
    )
