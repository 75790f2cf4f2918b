"""A deep linear network on a teacher-student regression, as a Problem: the fast many-layer network
that pipeline training (notebook 07) splits into one stage per layer.

The student maps x to (g A_depth) ... (g A_1) x, every A_l a square ``width x width`` analog
matrix and g a fixed digital output gain (as the MLP's ``gains``), so that weights near 1/g give a
map near the identity. The teacher is y = T x + label noise with x ~ N(0, I). The weights of shape
(trials, depth * width^2) hold A_1, ..., A_depth row by row.

* ``loss`` / ``grad``: f(W) = 1/2 ||g^depth A_depth ... A_1 - T||_F^2, the population loss less
  its label-noise part (so f* = 0), and its exact gradient (backpropagation with x = the identity);
* ``stochastic_grad``: the gradient of a minibatch of ``batch`` fresh samples (x, y), drawn for
  every trial independently: an unbiased estimate of ``grad``.
"""

from __future__ import annotations

import numpy as np

from analogkit._validate import check_bytes, generator, integer, scalar
from analogkit.problems.objectives import Problem

__all__ = ["DeepLinear"]


class DeepLinear(Problem):
    """Teacher-student regression with a deep linear network of ``depth`` square layers.

    Args:
        width: inputs = outputs = width of every layer, integer in [1, 64].
        depth: number of layers, integer in [1, 64].
        rng: random generator that draws the teacher T = I + teacher_scale * N(0, 1/width).
        teacher_scale: how far the teacher is from the identity, in [0, 1000].
        gain: the fixed output gain g of every layer, in (0, 1000].
        batch: minibatch size of ``stochastic_grad``, integer >= 1.
        label_noise: std of the Gaussian noise on every label, in [0, 1000].
    """

    noise = None
    f_star = 0.0

    def __init__(
        self,
        width: int = 4,
        depth: int = 4,
        *,
        rng: np.random.Generator,
        teacher_scale: float = 0.5,
        gain: float = 2.0,
        batch: int = 1,
        label_noise: float = 0.1,
    ):
        width, depth = integer("width", width, 1), integer("depth", depth, 1)
        for name, value in (("width", width), ("depth", depth)):
            if value > 64:
                raise ValueError(f"{name} must lie in [1, 64], got {value}")
        rng = generator("rng", rng)
        teacher_scale = scalar(
            "teacher_scale", teacher_scale, 0.0, 1e3, low_open=False, high_open=False
        )
        self.gain = scalar("gain", gain, 0.0, 1e3, high_open=False)
        self.batch = integer("batch", batch, 1)
        self.label_noise = scalar(
            "label_noise", label_noise, 0.0, 1e3, low_open=False, high_open=False
        )
        check_bytes(
            f"a DeepLinear network of batch {self.batch} and width {width}",
            8.0 * self.batch * width * (depth + 2),
            "use a smaller batch",
        )
        self.width, self.depth, self.teacher_scale = width, depth, teacher_scale
        teacher = np.eye(width) + teacher_scale * rng.standard_normal((width, width)) / np.sqrt(
            width
        )
        teacher.setflags(write=False)
        self.teacher = teacher
        n = width * width
        #: (slice of A_l, empty bias slice, out, in) per layer, as ``MLP.layers``
        self.layers = [
            (slice(i * n, (i + 1) * n), slice((i + 1) * n, (i + 1) * n), width, width)
            for i in range(depth)
        ]
        self.dim = depth * n
        self.smoothness = float(depth * self.gain**2)  # order of the curvature near the identity

    def __repr__(self):
        return (
            f"DeepLinear(width={self.width}, depth={self.depth}, teacher_scale="
            f"{self.teacher_scale:g}, gain={self.gain:g}, batch={self.batch}, "
            f"label_noise={self.label_noise:g})"
        )

    def init(self, trials: int, scale: float = 1.0) -> np.ndarray:
        """The initial weights (trials, dim): every layer ``scale / gain`` times the identity
        (``scale = 1``: the student starts as the identity map)."""
        trials = integer("trials", trials, 1)
        scale = scalar("scale", scale)
        eye = np.eye(self.width).ravel() * (scale / self.gain)
        return np.tile(eye, (trials, self.depth))

    def _backprop(self, W, x, y, weight):
        """weight * 1/2 sum_n ||student(x_n) - y_n||^2 per trial and its gradient; x and y are
        (trials, N, width)."""
        T, n, g = W.shape[0], self.width, self.gain
        A = W.reshape(T, self.depth, n, n)
        hs, h = [], x
        for layer in range(self.depth):
            hs.append(h)
            h = g * (h @ A[:, layer].transpose(0, 2, 1))
        r = h - y
        loss = 0.5 * weight * np.einsum("tni,tni->t", r, r)
        grad = np.empty((T, self.depth, n, n))
        delta = weight * g * r
        for layer in range(self.depth - 1, -1, -1):
            grad[:, layer] = delta.transpose(0, 2, 1) @ hs[layer]
            if layer:
                delta = g * (delta @ A[:, layer])
        return loss, grad.reshape(T, -1)

    def _population(self, W):
        x = np.broadcast_to(np.eye(self.width), (W.shape[0], self.width, self.width))
        return self._backprop(W, x, np.broadcast_to(self.teacher, x.shape).transpose(0, 2, 1), 1.0)

    def _grad(self, W):
        return self._population(W)[1]

    def _excess(self, W):
        return self._population(W)[0]

    def stochastic_grad(self, W, rng: np.random.Generator, *, exact=None, check: bool = True):
        """The gradient of a minibatch of ``batch`` fresh samples per trial (a new array).

        Args:
            W: weights, shape (trials, dim).
            rng: random generator of the samples.
            exact: ignored (the network's gradient noise is its minibatch).
            check: validate W and rng (the training loop passes False).
        """
        if check:
            W = self._check_W(W)
            rng = generator("rng", rng)
        x = rng.standard_normal((W.shape[0], self.batch, self.width))
        y = x @ self.teacher.T
        if self.label_noise:
            y += self.label_noise * rng.standard_normal(y.shape)
        return self._backprop(W, x, y, 1.0 / self.batch)[1]

    def loss_scale(self) -> float:
        """1/2 ||T||_F^2, the loss of the zero map: the scale a diverged run is judged against."""
        return float(0.5 * np.sum(self.teacher**2))
