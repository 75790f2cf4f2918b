"""Objectives with a known optimum, vectorised over a leading *trials* axis.

Weights ``W`` have shape ``(trials, dim)``, ``loss(W)`` returns ``(trials,)`` and ``grad(W)``
returns ``(trials, dim)``, so that the algorithms run many independent trials with one numpy
call per step.

* :class:`Quadratic` -- f(W) = sum_d L_d/2 (W_d - W*_d)^2 (paper 1 App. G.2, paper 2 Fig. 2 toy).
* :class:`LeastSquares` -- f(W) = 1/2 ||A W - b||^2 (paper 1 App. I.1 eq. (141), paper 2 eq. (150)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analogkit._validate import as_float_array, check_bytes, generator, integer, param, scalar
from analogkit.problems.noise import Noise, check_noise

__all__ = ["Problem", "Quadratic", "LeastSquares"]


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

    def excess_loss(self, W, *, check: bool = True) -> np.ndarray:
        """f(W) - f*, per trial, computed without cancellation (what a Trace records).

        Args:
            W: weights, shape (trials, dim).
            check: validate W (the training loop passes False).
        """
        return self._excess(self._check_W(W) if check else W)

    def grad(self, W, *, check: bool = True) -> np.ndarray:
        """The exact gradient, shape (trials, dim) (a new array).

        Args:
            W: weights, shape (trials, dim).
            check: validate W (the training loop passes False).
        """
        return self._grad(self._check_W(W) if check else W)

    def stochastic_grad(
        self, W, rng: np.random.Generator, *, exact=None, check: bool = True
    ) -> np.ndarray:
        """grad(W) + eps with eps drawn from ``noise`` (the exact gradient if noise is None).

        Args:
            W: weights, shape (trials, dim).
            rng: random generator.
            exact: the exact gradient at W when the caller has it already; the noise is then
                added to it in place (and it is returned), saving one gradient evaluation.
            check: validate W and rng (the training loop passes False).
        """
        if check:
            W = self._check_W(W)
            rng = generator("rng", rng)
        g = self._grad(W) if exact is None else exact
        if self.noise is not None:
            self.noise.add(self, W, g, rng)
        return g

    def metrics(self) -> dict:
        """Further metrics every training run records, name -> function of the weights
        (trials, dim) returning (trials,) values (none by default; a network adds its test
        accuracy). The training loop merges them with its own."""
        return {}

    def loss_scale(self) -> float:
        """The loss level the gradient noise sets: E||eps||^2 / (2 L) at the minimiser (0 without
        noise). A run is judged diverged relative to this and to its starting loss."""
        if self.noise is None:
            return 0.0
        return float(self.noise.variance(self)) / (2.0 * self.smoothness)

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
        check_bytes(f"a Quadratic of dim {dim}", 24.0 * dim, "use a smaller dim")
        object.__setattr__(self, "dim", dim)
        L = _vector("L", self.L, dim, low=0.0)
        object.__setattr__(self, "L", float(L[0]) if np.ndim(self.L) == 0 else L)
        object.__setattr__(self, "w_star", _vector("w_star", self.w_star, dim))
        check_noise(self.noise)
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
        check_bytes(
            f"a LeastSquares of shape {A.shape}",
            8.0 * A.size + 16.0 * A.shape[1] ** 2,
            "use fewer rows or weights",
        )
        with np.errstate(all="ignore"):
            AtA = A.T @ A
        if not np.all(np.isfinite(AtA)):
            raise ValueError("A's entries are too large: A^T A overflows; rescale A and b")
        if A.shape[0] < A.shape[1] or np.linalg.matrix_rank(A) < A.shape[1]:
            raise ValueError(
                f"A must have full column rank (rows >= dim and independent columns) so that the "
                f"least-squares minimiser is unique; got shape {A.shape} of rank "
                f"{np.linalg.matrix_rank(A)}"
            )
        AtA = 0.5 * (AtA + AtA.T)  # exactly symmetric
        object.__setattr__(self, "_AtA", AtA)
        object.__setattr__(self, "_Atb", A.T @ b)
        w_star = np.linalg.lstsq(A, b, rcond=None)[0]
        w_star.setflags(write=False)
        object.__setattr__(self, "_w_star", w_star)
        r = A @ w_star - b
        object.__setattr__(self, "_f_star", float(0.5 * r @ r))
        object.__setattr__(self, "_smoothness", float(np.linalg.eigvalsh(AtA)[-1]))
        check_noise(self.noise)
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
            rows: number of rows D_out, >= dim (a unique minimiser needs as many rows as weights).
            w_star_std: standard deviation of the entries of W*, >= 0.
            a_std: standard deviation of the entries of A, > 0 (default 1/sqrt(rows)).
            noise: gradient-noise model.

        Returns:
            The problem; its ``w_star`` is the least-squares solution, equal to the drawn W* up
            to rounding.
        """
        rng = generator("rng", rng)
        dim = integer("dim", dim, 1)
        rows = integer("rows", rows, 1)
        if rows < dim:
            raise ValueError(
                f"rows must be >= dim = {dim} for a unique least-squares minimiser, got {rows}"
            )
        w_star_std = scalar("w_star_std", w_star_std, 0.0, low_open=False)
        a_std = 1.0 / np.sqrt(rows) if a_std is None else scalar("a_std", a_std, 0.0)
        check_bytes(
            f"a LeastSquares of {rows} rows and {dim} weights",
            8.0 * rows * dim,
            "use fewer rows or weights",
        )
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
