"""Gradient-noise models: what is added to the exact gradient to make a stochastic one.

* :class:`GaussianNoise` -- iid N(0, std^2) per coordinate (paper 1 Assumption 3/5).
* :class:`LowerBoundNoise` -- the two-point noise of paper 1's lower-bound instance (App. G.2).
* :class:`SamplingNoise` -- a mini-batch gradient of a least-squares problem (paper 1 Assumption 7).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analogkit._validate import as_float_array, generator, integer, scalar

__all__ = ["Noise", "GaussianNoise", "LowerBoundNoise", "SamplingNoise", "check_noise"]


class Noise:
    """Base class of gradient-noise models: ``sample(problem, W, rng)`` returns eps of W's shape."""

    def sample(self, problem, W, rng: np.random.Generator) -> np.ndarray:
        """Draw the noise eps to add to ``problem.grad(W)``.

        Args:
            problem: the objective (some noise models need it, e.g. sampling noise).
            W: weights, shape (trials, dim).
            rng: random generator.

        Returns:
            eps, shape (trials, dim), zero mean.
        """
        W = problem._check_W(W)
        rng = generator("rng", rng)
        self._check_problem(problem)
        return self._sample(problem, W, rng)

    def _check_problem(self, problem) -> None:
        """Raise TypeError when this noise model cannot be used with `problem`."""

    def _sample(self, problem, W, rng) -> np.ndarray:
        raise NotImplementedError

    def add(self, problem, W, g, rng: np.random.Generator) -> None:
        """Add a sample to the gradient `g` in place, without input checks (the training loop's
        fast path; :meth:`sample` is the checked way to draw the noise)."""
        g += self._sample(problem, W, rng)

    def variance(self, problem) -> float:
        """E||eps||^2 at the minimiser (the noise level a run's scale is judged by)."""
        raise NotImplementedError

    def working_bytes(self, trials: int, dim: int) -> float:
        """Memory one draw for (trials, dim) weights needs, in bytes."""
        return 16.0 * trials * dim


@dataclass(frozen=True)
class GaussianNoise(Noise):
    """Independent N(0, std^2) noise on every gradient coordinate (paper 1 Assumptions 3 and 5).

    The total variance is E||eps||^2 = dim * std^2, i.e. paper 1's sigma^2 = dim * std^2.
    ``std = 0`` is noiseless (Analog GD) and consumes no random numbers.

    Args:
        std: standard deviation per coordinate, >= 0.
    """

    std: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "std", scalar("std", self.std, 0.0, low_open=False))

    def _sample(self, problem, W, rng):
        if self.std == 0.0:
            return np.zeros(W.shape)
        eps = rng.standard_normal(W.shape)
        eps *= self.std
        return eps

    def variance(self, problem):
        return problem.dim * self.std**2

    def add(self, problem, W, g, rng):
        if self.std == 0.0:
            return
        eps = rng.standard_normal(g.shape)
        eps *= self.std
        g += eps


@dataclass(frozen=True)
class LowerBoundNoise(Noise):
    """The two-point noise of paper 1's lower-bound instance (Theorem 3, App. G.2).

    One draw per trial, the same on all D coordinates: eps = xi * 1 with::

        xi = +(sigma/sqrt(D)) * sqrt((1-p)/p)    with probability p
             -(sigma/sqrt(D)) * sqrt(p/(1-p))    with probability 1-p,      p = (1 - w/tau)/2

    where w is the trial's coordinate value. On the instance all coordinates are equal; this
    implementation uses the per-trial **mean of W over its coordinates** as w. The noise has mean
    zero and variance sigma^2/D per coordinate (total sigma^2) for every w; it is skewed so that
    E|g + xi| = (2 sigma/sqrt(D)) sqrt(p(1-p)) + (2p - 1) g (paper 1 Lemma 4).

    Args:
        sigma: total noise level sigma >= 0 (paper 1's sigma).
        tau: the device's saturation level tau > 0; the instance lives on |w| <= tau.
    """

    sigma: float
    tau: float

    def __post_init__(self):
        object.__setattr__(self, "sigma", scalar("sigma", self.sigma, 0.0, low_open=False))
        object.__setattr__(self, "tau", scalar("tau", self.tau, 0.0))

    def probability(self, w) -> np.ndarray:
        """p = (1 - w/tau)/2, the probability of the positive value; ValueError unless |w| <= tau."""
        w = as_float_array("w", w)
        if np.any(np.abs(w) > self.tau):
            bad = w[np.abs(w) > self.tau].ravel()[0]
            raise ValueError(
                f"LowerBoundNoise is defined for weights in [-tau, tau] = "
                f"[{-self.tau:g}, {self.tau:g}] (so that p = (1 - w/tau)/2 lies in [0, 1]); "
                f"got w = {bad!r}"
            )
        return 0.5 * (1.0 - w / self.tau)

    def values(self, w, dim: int):
        """The two values (positive, negative) xi takes, and p, for coordinate value(s) `w`.

        At w = tau (p = 0) xi is 0 with probability 1, and so at w = -tau (p = 1): the limits of
        the two-point law at the bounds. The value that is never drawn there is returned as 0.
        """
        p = self.probability(w)
        dim = integer("dim", dim, 1)
        a = self.sigma / np.sqrt(dim)
        with np.errstate(divide="ignore", invalid="ignore"):
            hi = np.where(p > 0, a * np.sqrt((1 - p) / p), 0.0)[()]
            lo = np.where(p < 1, -a * np.sqrt(p / (1 - p)), 0.0)[()]
        return hi, lo, p

    def variance(self, problem):
        return self.sigma**2

    def _sample(self, problem, W, rng):
        # a run that left the device range (digital SGD diverging, say) sees the noise of the
        # nearest bound, 0, so that its divergence is flagged rather than raised
        w = np.clip(W.mean(axis=1), -self.tau, self.tau)
        hi, lo, p = self.values(w, W.shape[1])
        u = rng.random(W.shape[0])
        xi = np.where(u < p, hi, lo)
        return np.repeat(xi[:, None], W.shape[1], axis=1)


@dataclass(frozen=True)
class SamplingNoise(Noise):
    """Mini-batch gradient noise of :class:`LeastSquares` (paper 1 Assumption 7).

    eps = grad f(W; xi) - grad f(W), with xi a random mini-batch of rows.

    Each trial draws ``batch`` rows of A uniformly with replacement; the estimate
    (rows/batch) * sum_j a_j (a_j . w - b_j) of the full gradient A^T (A w - b) is unbiased.

    Args:
        batch: rows per mini-batch, >= 1.
    """

    batch: int = 1

    def __post_init__(self):
        object.__setattr__(self, "batch", integer("batch", self.batch, 1))

    def _check_problem(self, problem):
        if not (hasattr(problem, "A") and hasattr(problem, "b")):
            raise TypeError(
                f"SamplingNoise draws rows of a LeastSquares problem; got {type(problem).__name__}"
            )

    def variance(self, problem):
        # at the minimiser the full gradient is 0 and row i's gradient is rows * a_i r_i
        A, rows = problem.A, problem.A.shape[0]
        r = A @ problem.w_star - problem.b
        return float(rows / self.batch * np.sum(np.sum(A**2, axis=1) * r**2))

    def working_bytes(self, trials, dim):
        return 8.0 * trials * self.batch * (dim + 2) + 16.0 * trials * dim

    def _sample(self, problem, W, rng):
        A, b = problem.A, problem.b
        rows = A.shape[0]
        idx = rng.integers(0, rows, size=(W.shape[0], self.batch))
        Ai = A[idx]  # (trials, batch, dim)
        r = np.einsum("tbd,td->tb", Ai, W) - b[idx]
        g_batch = np.einsum("tb,tbd->td", r, Ai) * (rows / self.batch)
        return g_batch - problem.grad(W, check=False)


def check_noise(noise) -> None:
    """TypeError unless `noise` is None or a noise model."""
    if noise is not None and not isinstance(noise, Noise):
        raise TypeError(
            "noise must be None or a noise model (GaussianNoise, LowerBoundNoise, SamplingNoise), "
            f"got {type(noise).__name__}"
        )
