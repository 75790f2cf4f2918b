"""A multi-layer perceptron as a Problem: every weight and bias of the network in one flat vector.

The weights W of shape (trials, n_params) hold, layer after layer, the matrix A_l (out x in, row
by row) and then the bias b_l. Layer l computes z_l = gain_l (A_l h_{l-1} + b_l), hidden layers
apply the activation, the last one gives the logits of a softmax cross-entropy. ``gain_l`` is a
fixed digital scale of the layer's output (aihwkit's ``out_scaling_alpha``): it lets every layer's
analog weights live in the same range.

* ``loss`` / ``grad``: the mean cross-entropy over the training split and its exact gradient
  (backpropagation, vectorised over trials);
* ``stochastic_grad``: the gradient of a minibatch of ``batch`` training images drawn, for every
  trial independently, uniformly with replacement;
* ``accuracy``: the fraction of a split classified correctly; ``metrics()`` hands the test
  accuracy to the training loop, so every algorithm records it.

No minimiser is known: ``f_star`` is 0 (cross-entropy is positive), so "f - f*" in a Trace is the
training loss itself.
"""

from __future__ import annotations

import numpy as np

from analogkit._validate import as_float_array, check_bytes, generator, integer, param
from analogkit.problems.digits import Dataset
from analogkit.problems.objectives import Problem

__all__ = ["MLP", "ACTIVATIONS"]

#: activation name -> (function, derivative written in terms of the pre-activation z)
ACTIVATIONS = {
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
}


class MLP(Problem):
    """A fully connected network with softmax cross-entropy on a :class:`Dataset`.

    Args:
        sizes: layer widths (inputs, hidden ..., classes), integers >= 1, at least two; the first
            must be the data's number of features and the last its number of classes.
        data: the train and test splits (:func:`analogkit.problems.digits.load_digits`).
        batch: minibatch size of ``stochastic_grad``, from 1 to the size of the training split.
        activation: "relu" or "tanh", for every hidden layer.
        gains: the fixed output scale of each layer, > 0 (default 1 for every layer).
    """

    noise = None
    f_star = 0.0

    def __init__(
        self,
        sizes=(64, 32, 10),
        data: Dataset | None = None,
        batch: int = 10,
        activation: str = "relu",
        gains=None,
    ):
        if not isinstance(data, Dataset):
            raise TypeError(
                f"data must be an analogkit Dataset (ak.networks.load_digits(rng)), "
                f"got {type(data).__name__}"
            )
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
            raise TypeError(
                "sizes must be a sequence of at least two layer widths, e.g. (64, 32, 10)"
            )
        sizes = tuple(integer(f"sizes[{i}]", s, 1) for i, s in enumerate(sizes))
        if sizes[0] != data.features or sizes[-1] != data.n_classes:
            raise ValueError(
                f"sizes must start with the data's {data.features} features and end with its "
                f"{data.n_classes} classes, got {sizes}"
            )
        if not isinstance(activation, str) or activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        n_train = data.x_train.shape[0]
        batch = integer("batch", batch, 1)
        if batch > n_train:
            raise ValueError(f"batch must lie in [1, {n_train}] (the training split), got {batch}")
        n_layers = len(sizes) - 1
        gains = np.asarray(param("gains", 1.0 if gains is None else gains, 0.0), dtype=float)
        if gains.ndim == 0:
            gains = np.full(n_layers, float(gains))
        if gains.shape != (n_layers,):
            raise ValueError(
                f"gains must be a scalar or one value per layer ({n_layers}), got {gains.shape}"
            )
        self.sizes, self.data, self.batch, self.activation = sizes, data, batch, activation
        self.gains = tuple(float(g) for g in gains)
        self._act, self._dact = ACTIVATIONS[activation]
        self.layers = []  # (slice of A_l, slice of b_l, out, in) per layer
        start = 0
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            a = slice(start, start + n_out * n_in)
            b = slice(a.stop, a.stop + n_out)
            self.layers.append((a, b, n_out, n_in))
            start = b.stop
        self.dim = start
        check_bytes(
            f"an MLP {sizes} on {n_train} training images",
            32.0 * n_train * max(sizes),
            "use a smaller network",
        )

    def __repr__(self):
        return (
            f"MLP(sizes={self.sizes}, data={self.data!r}, batch={self.batch}, "
            f"activation={self.activation!r})"
        )

    # -- the network -----------------------------------------------------------------------------
    def init(self, rng: np.random.Generator, trials: int) -> np.ndarray:
        """Seeded initial weights, shape (trials, n_params): every entry of layer l uniform in
        ±1/(gain_l sqrt(fan_in)), PyTorch's default for ``nn.Linear`` (and so aihwkit's)."""
        rng = generator("rng", rng)
        trials = integer("trials", trials, 1)
        W = np.empty((trials, self.dim))
        for (a, b, _, n_in), gain in zip(self.layers, self.gains):
            bound = 1.0 / (gain * np.sqrt(n_in))
            W[:, a.start : b.stop] = rng.uniform(-bound, bound, (trials, b.stop - a.start))
        return W

    def layer_values(self, values) -> np.ndarray:
        """One value per layer spread over that layer's parameters, shape (n_params,) (a device
        parameter per layer, e.g. ``LinearDevice(tau=mlp.layer_values([0.4, 0.8]))``)."""
        values = param("values", values)
        values = np.broadcast_to(values, (len(self.layers),)) if np.ndim(values) == 0 else values
        if np.shape(values) != (len(self.layers),):
            raise ValueError(
                f"values must be a scalar or one value per layer ({len(self.layers)}), "
                f"got shape {np.shape(values)}"
            )
        out = np.empty(self.dim)
        for (a, b, _, _), v in zip(self.layers, values):
            out[a.start : b.stop] = v
        return out

    def layer_max(self, W) -> np.ndarray:
        """The largest |weight| of each layer (matrix and bias) per trial, shape (trials, layers)."""
        W = self._check_W(W)
        return np.stack(
            [np.abs(W[:, a.start : b.stop]).max(axis=1) for a, b, _, _ in self.layers], 1
        )

    def _unpack(self, W):
        T = W.shape[0]
        return [(W[:, a].reshape(T, o, i), W[:, b]) for a, b, o, i in self.layers]

    def _forward(self, params, x):
        """Pre-activations of every layer, (T, N, width), and the inputs of every layer; x is
        (N, in), shared by the trials (one matrix product for all of them), or (T, N, in)."""
        zs, hs, h = [], [x], x
        last = len(params) - 1
        for n, ((A, b), gain) in enumerate(zip(params, self.gains)):
            T, n_out, n_in = A.shape
            if h.ndim == 2:  # (N, in) @ (in, T*out) -> (T, N, out)
                z = (h @ A.reshape(T * n_out, n_in).T).reshape(-1, T, n_out).transpose(1, 0, 2)
            else:
                z = h @ A.transpose(0, 2, 1)
            z += b[:, None, :]
            if gain != 1.0:
                z *= gain
            zs.append(z)
            if n < last:
                h = self._act(z)
                hs.append(h)
        return zs, hs

    @staticmethod
    def _cross_entropy(logits, y):
        """Mean cross-entropy per trial and d(mean)/d(logits); y is (N,) or (T, N)."""
        T, N, _ = logits.shape
        z = logits - logits.max(axis=2, keepdims=True)
        rows, cols = np.arange(T)[:, None], np.arange(N)[None, :]
        y = np.broadcast_to(y, (T, N))
        picked = z[rows, cols, y]
        np.exp(z, out=z)
        total = z.sum(axis=2)
        loss = (np.log(total) - picked).mean(axis=1)
        z /= total[:, :, None]  # the softmax
        z[rows, cols, y] -= 1.0
        z /= N
        return loss, z

    def _loss_and_grad(self, W, x, y, want_grad=True):
        n = x.shape[-2]
        check_bytes(
            f"the MLP on {W.shape[0]} trials x {n} images",
            32.0 * W.shape[0] * n * max(self.sizes),
            "use fewer trials",
        )
        params = self._unpack(W)
        zs, hs = self._forward(params, x)
        loss, dz = self._cross_entropy(zs[-1], y)
        if not want_grad:
            return loss, None
        T = W.shape[0]
        g = np.empty(W.shape)
        for n in range(len(params) - 1, -1, -1):
            (A, _), (a, b, n_out, _), gain = params[n], self.layers[n], self.gains[n]
            if gain != 1.0:
                dz *= gain
            h = hs[n]
            if h.ndim == 2:  # (T*out, N) @ (N, in)
                dA = dz.transpose(0, 2, 1).reshape(T * n_out, -1) @ h
            else:
                dA = dz.transpose(0, 2, 1) @ h
            g[:, a] = dA.reshape(T, -1)
            g[:, b] = dz.sum(axis=1)
            if n:
                dz = dz @ A
                dz *= self._dact(zs[n - 1])
        return loss, g

    # -- the Problem interface -------------------------------------------------------------------
    @staticmethod
    def _finite(out):
        """`out` when finite; ValueError when W was so large that the logits overflowed."""
        if not np.all(np.isfinite(out)):
            raise ValueError(
                "W is too large for the network: its logits overflow (a non-finite loss); "
                "use weights of moderate size"
            )
        return out

    def loss(self, W) -> np.ndarray:
        """The mean cross-entropy over the training split, per trial, (trials,)."""
        return self._finite(super().loss(W))

    def excess_loss(self, W, *, check: bool = True) -> np.ndarray:
        """The training loss (f* = 0), per trial; unchecked for the training loop, which judges a
        non-finite loss as divergence."""
        out = super().excess_loss(W, check=check)
        return self._finite(out) if check else out

    def grad(self, W, *, check: bool = True) -> np.ndarray:
        """The exact full-batch gradient, (trials, n_params) (a new array)."""
        out = super().grad(W, check=check)
        return self._finite(out) if check else out

    def _grad(self, W):
        return self._loss_and_grad(W, self.data.x_train, self.data.y_train)[1]

    def _excess(self, W):
        return self._loss_and_grad(W, self.data.x_train, self.data.y_train, want_grad=False)[0]

    def stochastic_grad(self, W, rng: np.random.Generator, *, exact=None, check: bool = True):
        """The gradient of a minibatch of ``batch`` training images, drawn uniformly with
        replacement for every trial independently (a new array).

        Args:
            W: weights, shape (trials, n_params).
            rng: random generator of the minibatches.
            exact: ignored (the training loop passes the full-batch gradient at recorded steps;
                a network's gradient noise is its minibatch).
            check: validate W and rng (the training loop passes False).
        """
        if check:
            W = self._check_W(W)
            rng = generator("rng", rng)
        idx = rng.integers(0, self.data.x_train.shape[0], size=(W.shape[0], self.batch))
        g = self._loss_and_grad(W, self.data.x_train[idx], self.data.y_train[idx])[1]
        return self._finite(g) if check else g

    def accuracy(self, W, split: str = "test", *, check: bool = True) -> np.ndarray:
        """Fraction of ``split`` ("train" or "test") classified correctly, per trial, (trials,).

        Args:
            W: weights, shape (trials, n_params).
            split: "test" or "train".
            check: validate W (the training loop's metric passes False).
        """
        x, y = self.data.split(split)
        if check:
            W = self._check_W(W)
        logits = self._forward(self._unpack(W), x)[0][-1]
        if check:
            self._finite(logits)
        return (logits.argmax(axis=2) == y).mean(axis=1)

    def predict(self, W, x) -> np.ndarray:
        """Predicted classes of the inputs x, shape (N, features), per trial: (trials, N)."""
        W = self._check_W(W)
        x = as_float_array("x", x)
        if x.ndim != 2 or x.shape[1] != self.sizes[0]:
            raise ValueError(f"x must have shape (N, {self.sizes[0]}), got {x.shape}")
        return self._finite(self._forward(self._unpack(W), x)[0][-1]).argmax(axis=2)

    def metrics(self) -> dict:
        """{"test_accuracy": accuracy on the test split}, recorded by every algorithm."""
        return {"test_accuracy": lambda W: self.accuracy(W, "test", check=False)}

    def loss_scale(self) -> float:
        """log(n_classes): the cross-entropy of a uniform guess, the scale a diverged run is
        judged against (no gradient-noise level is known for a network)."""
        return float(np.log(self.data.n_classes))
