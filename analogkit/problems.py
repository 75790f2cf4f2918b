"""Objectives with a known optimum, and the gradient-noise models the papers analyse.

Every problem is vectorised over a leading *trials* axis: weights ``W`` have shape
``(trials, dim)``, ``loss(W)`` returns ``(trials,)`` and ``grad(W)`` returns ``(trials, dim)``, so
that the algorithms run many independent trials with one numpy call per step.

* :class:`Quadratic` -- f(W) = sum_d L_d/2 (W_d - W*_d)^2 (paper 1 App. G.2, paper 2 Fig. 2 toy).
* :class:`LeastSquares` -- f(W) = 1/2 ||A W - b||^2 (paper 1 App. I.1 eq. (141), paper 2 eq. (150)).

Noise models (added to the exact gradient by ``stochastic_grad``):

* :class:`GaussianNoise` -- iid N(0, std^2) per coordinate (paper 1 Assumption 3/5).
* :class:`LowerBoundNoise` -- the two-point noise of paper 1's lower-bound instance (App. G.2).
* :class:`SamplingNoise` -- a mini-batch gradient of :class:`LeastSquares` (paper 1 Assumption 7).

This module imports only analogkit's validation helpers; it must never import devices, pulses,
algorithms, trace, theory, plotting or widgets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analogkit._validate import as_float_array, generator, integer, param

__all__ = [
    "Noise",
    "GaussianNoise",
    "LowerBoundNoise",
    "SamplingNoise",
    "Problem",
    "Quadratic",
    "LeastSquares",
]


# --------------------------------------------------------------------------------------------
# noise models
# --------------------------------------------------------------------------------------------


class Noise:
    """Base class of gradient-noise models: ``sample(problem, W, rng)`` returns eps of W's shape."""

    def sample(self, problem: Problem, W, rng: np.random.Generator) -> np.ndarray:
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

    def _add(self, problem, W, g, rng) -> None:
        """Add a sample to the gradient `g` in place (the algorithms' unchecked fast path)."""
        g += self._sample(problem, W, rng)


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
        object.__setattr__(self, "std", param("std", self.std, 0.0, low_open=False))
        if np.ndim(self.std) != 0:
            raise ValueError("std must be a scalar")

    def _sample(self, problem, W, rng):
        if self.std == 0.0:
            return np.zeros(W.shape)
        eps = rng.standard_normal(W.shape)
        eps *= self.std
        return eps

    def _add(self, problem, W, g, rng):
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
        tau: the device's saturation level tau > 0; |w| < tau is required.
    """

    sigma: float
    tau: float

    def __post_init__(self):
        object.__setattr__(self, "sigma", param("sigma", self.sigma, 0.0, low_open=False))
        object.__setattr__(self, "tau", param("tau", self.tau, 0.0))
        if np.ndim(self.sigma) or np.ndim(self.tau):
            raise ValueError("sigma and tau of LowerBoundNoise must be scalars")

    def probability(self, w) -> np.ndarray:
        """p = (1 - w/tau)/2, the probability of the positive value; ValueError unless |w| < tau."""
        w = np.asarray(w, dtype=float)
        if not np.all(np.abs(w) < self.tau):
            bad = w[~(np.abs(w) < self.tau)].ravel()[0]
            raise ValueError(
                f"LowerBoundNoise needs the weight inside (-tau, tau) = "
                f"({-self.tau:g}, {self.tau:g}) so that p = (1 - w/tau)/2 lies in (0, 1); "
                f"got w = {bad!r}"
            )
        return 0.5 * (1.0 - w / self.tau)

    def values(self, w, dim: int):
        """The two values (positive, negative) xi takes, and p, for coordinate value(s) `w`."""
        p = self.probability(w)
        a = self.sigma / np.sqrt(dim)
        return a * np.sqrt((1 - p) / p), -a * np.sqrt(p / (1 - p)), p

    def _sample(self, problem, W, rng):
        hi, lo, p = self.values(W.mean(axis=1), W.shape[1])
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
        if not isinstance(problem, LeastSquares):
            raise TypeError(
                f"SamplingNoise draws rows of a LeastSquares problem; got {type(problem).__name__}"
            )

    def _sample(self, problem, W, rng):
        A, b = problem.A, problem.b
        rows = A.shape[0]
        idx = rng.integers(0, rows, size=(W.shape[0], self.batch))
        Ai = A[idx]  # (trials, batch, dim)
        r = np.einsum("tbd,td->tb", Ai, W) - b[idx]
        g_batch = np.einsum("tb,tbd->td", r, Ai) * (rows / self.batch)
        return g_batch - problem._grad(W)


def _check_noise(noise):
    if noise is not None and not isinstance(noise, Noise):
        raise TypeError(
            "noise must be None or a noise model (GaussianNoise, LowerBoundNoise, SamplingNoise), "
            f"got {type(noise).__name__}"
        )


# --------------------------------------------------------------------------------------------
# problems
# --------------------------------------------------------------------------------------------


class Problem:
    """Base class: an objective f over weights of shape (trials, dim) with a known minimiser.

    Subclasses define ``dim``, ``w_star``, ``f_star``, ``smoothness``, ``_grad`` and ``_excess``.
    """

    noise: Noise | None

    def _check_W(self, W) -> np.ndarray:
        W = as_float_array("W", W)
        if W.ndim != 2 or W.shape[1] != self.dim:
            raise ValueError(
                f"W must have shape (trials, dim) = (trials, {self.dim}), got shape {W.shape}"
            )
        return W

    def loss(self, W) -> np.ndarray:
        """f(W) per trial, shape (trials,)."""
        W = self._check_W(W)
        return self._excess(W) + self.f_star

    def excess_loss(self, W) -> np.ndarray:
        """f(W) - f*, per trial, computed without cancellation (what a Trace records)."""
        return self._excess(self._check_W(W))

    def grad(self, W) -> np.ndarray:
        """The exact gradient, shape (trials, dim)."""
        return self._grad(self._check_W(W))

    def stochastic_grad(self, W, rng: np.random.Generator) -> np.ndarray:
        """grad(W) + eps with eps drawn from ``noise`` (the exact gradient if noise is None)."""
        W = self._check_W(W)
        rng = generator("rng", rng)
        g = self._grad(W)
        if self.noise is not None:
            self.noise._add(self, W, g, rng)
        return g

    def _add_noise(self, W, g, rng) -> None:
        """Unchecked: add a noise sample to g in place."""
        if self.noise is not None:
            self.noise._add(self, W, g, rng)

    def _grad(self, W) -> np.ndarray:
        raise NotImplementedError

    def _excess(self, W) -> np.ndarray:
        raise NotImplementedError


def _vector(name, value, dim, low=-np.inf):
    """A scalar or (dim,) parameter as a read-only (dim,) float array."""
    arr = param(name, value, low)
    arr = np.asarray(arr, dtype=float)
    if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] != dim):
        raise ValueError(
            f"{name} must be a scalar or have shape (dim,) = ({dim},), got {arr.shape}"
        )
    out = np.broadcast_to(arr, (dim,)).copy()
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class Quadratic(Problem):
    """f(W) = sum_d L_d/2 (W_d - W*_d)^2 per trial; f* = 0 (paper 1 App. G.2, paper 2 Fig. 2 toy).

    Args:
        L: curvature, > 0; a scalar or one value per coordinate, shape (dim,).
        w_star: the minimiser, a scalar or shape (dim,); stored as shape (dim,).
        dim: number of coordinates; by default taken from L or w_star (1 if both are scalars).
        noise: gradient-noise model, or None for exact gradients.
    """

    L: float | np.ndarray = 1.0
    w_star: np.ndarray = 0.0
    dim: int | None = None
    noise: Noise | None = None

    def __post_init__(self):
        sizes = {np.size(v) for v in (self.L, self.w_star) if np.ndim(v) > 0}
        if self.dim is None:
            if len(sizes) > 1:
                raise ValueError(
                    f"L and w_star must have the same length (dim,), got shapes "
                    f"{np.shape(self.L)} and {np.shape(self.w_star)}"
                )
            dim = sizes.pop() if sizes else 1
        else:
            dim = integer("dim", self.dim, 1)
        object.__setattr__(self, "dim", dim)
        L = _vector("L", self.L, dim, low=0.0)
        object.__setattr__(self, "L", float(L[0]) if np.ndim(self.L) == 0 else L)
        object.__setattr__(self, "w_star", _vector("w_star", self.w_star, dim))
        _check_noise(self.noise)
        if self.noise is not None:
            self.noise._check_problem(self)

    @property
    def f_star(self) -> float:
        """The minimum value, 0."""
        return 0.0

    @property
    def smoothness(self) -> float:
        """Largest eigenvalue of the Hessian, max_d L_d (the L of paper 1 Assumption 1)."""
        return float(np.max(self.L))

    def _grad(self, W):
        g = W - self.w_star
        g *= self.L
        return g

    def _excess(self, W):
        d = W - self.w_star
        return 0.5 * np.einsum("td,td->t", d * self.L, d)


@dataclass(frozen=True, eq=False, repr=False)
class LeastSquares(Problem):
    """f(W) = 1/2 ||A W - b||^2 per trial (paper 1 App. I.1 eq. (141), paper 2 eq. (150)).

    A^T A and A^T b are precomputed, so the gradient is one matrix product, W @ A^T A - A^T b.
    ``w_star`` is the least-squares solution and ``f_star = f(w_star)``; f - f* is evaluated as
    1/2 ||A (W - w_star)||^2, which is exact algebra and keeps tiny losses accurate.

    Args:
        A: design matrix, shape (rows, dim).
        b: targets, shape (rows,).
        noise: gradient-noise model, or None for exact gradients.
    """

    A: np.ndarray
    b: np.ndarray
    noise: Noise | None = None

    def __post_init__(self):
        A = as_float_array("A", self.A)
        b = as_float_array("b", self.b)
        if A.ndim != 2 or A.shape[0] < 1 or A.shape[1] < 1:
            raise ValueError(f"A must be a 2-D array of shape (rows, dim), got shape {A.shape}")
        if b.shape != (A.shape[0],):
            raise ValueError(f"b must have shape (rows,) = ({A.shape[0]},), got shape {b.shape}")
        A, b = A.copy(), b.copy()
        A.setflags(write=False)
        b.setflags(write=False)
        object.__setattr__(self, "A", A)
        object.__setattr__(self, "b", b)
        AtA = A.T @ A
        AtA = 0.5 * (AtA + AtA.T)  # exactly symmetric
        object.__setattr__(self, "_AtA", AtA)
        object.__setattr__(self, "_Atb", A.T @ b)
        w_star = np.linalg.lstsq(A, b, rcond=None)[0]
        w_star.setflags(write=False)
        object.__setattr__(self, "_w_star", w_star)
        r = A @ w_star - b
        object.__setattr__(self, "_f_star", float(0.5 * r @ r))
        object.__setattr__(self, "_smoothness", float(np.linalg.eigvalsh(AtA)[-1]))
        _check_noise(self.noise)
        if self.noise is not None:
            self.noise._check_problem(self)

    @classmethod
    def random(
        cls,
        rng: np.random.Generator,
        dim: int = 40,
        rows: int = 100,
        w_star_std: float = 0.45,
        a_std: float | None = None,
        noise: Noise | None = None,
    ) -> LeastSquares:
        """The random least-squares problem of paper 1 App. I.1: b = A W*, so f* = 0.

        A has iid N(0, a_std^2) entries and W* iid N(0, w_star_std^2) (drawn in that order from
        `rng`). The default ``a_std = 1/sqrt(rows)`` makes f equal to the authors' code's
        ``MSELoss/2`` (the mean over rows), so that the papers' learning
        rates (0.03-0.2) are stable: the smoothness is then about (1 + sqrt(dim/rows))^2, 2.7 for
        the defaults. Pass ``a_std=1`` for the paper's printed eq. (141) (smoothness ~ rows times
        larger).

        Args:
            rng: random generator.
            dim: number of weights D, >= 1.
            rows: number of rows D_out, >= 1.
            w_star_std: standard deviation of the entries of W*, >= 0.
            a_std: standard deviation of the entries of A, > 0 (default 1/sqrt(rows)).
            noise: gradient-noise model.

        Returns:
            The problem; its ``w_star`` is the least-squares solution (equal to the drawn W* up
            to rounding when rows >= dim).
        """
        rng = generator("rng", rng)
        dim = integer("dim", dim, 1)
        rows = integer("rows", rows, 1)
        w_star_std = param("w_star_std", w_star_std, 0.0, low_open=False)
        a_std = 1.0 / np.sqrt(rows) if a_std is None else param("a_std", a_std, 0.0)
        A = a_std * rng.standard_normal((rows, dim))
        w_true = w_star_std * rng.standard_normal(dim)
        return cls(A, A @ w_true, noise=noise)

    def __repr__(self):
        rows, dim = self.A.shape
        return f"LeastSquares(rows={rows}, dim={dim}, noise={self.noise!r})"

    @property
    def dim(self) -> int:
        """Number of weights (columns of A)."""
        return self.A.shape[1]

    @property
    def w_star(self) -> np.ndarray:
        """The least-squares solution, shape (dim,)."""
        return self._w_star

    @property
    def f_star(self) -> float:
        """f(w_star) (0 when b is in the range of A)."""
        return self._f_star

    @property
    def smoothness(self) -> float:
        """Largest eigenvalue of the Hessian A^T A (the L of paper 1 Assumption 1)."""
        return self._smoothness

    def _grad(self, W):
        g = W @ self._AtA
        g -= self._Atb
        return g

    def _excess(self, W):
        r = (W - self._w_star) @ self.A.T
        return 0.5 * np.einsum("tr,tr->t", r, r)
