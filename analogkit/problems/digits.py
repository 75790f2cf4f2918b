"""Real data for the networks: scikit-learn's handwritten digits, split into train and test.

``sklearn.datasets.load_digits`` ships the UCI optical-recognition digits with scikit-learn
(1,797 images of 8 x 8 pixels with 17 grey levels, 10 classes; no download). :func:`load_digits`
scales the pixels to [0, 1], shuffles with the caller's generator and splits off a test part, so
the same seed gives the same split. scikit-learn is imported only inside it, so that
``import analogkit`` stays fast.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from analogkit._validate import as_float_array, generator, scalar

__all__ = ["Dataset", "load_digits"]


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """A classification data set split into train and test (read-only arrays).

    Args:
        x_train: inputs, shape (n_train, features), finite.
        y_train: class labels 0 .. n_classes - 1, shape (n_train,), integers.
        x_test: inputs, shape (n_test, features).
        y_test: labels, shape (n_test,).
        n_classes: number of classes, >= 2 (default: the largest label + 1).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    n_classes: int | None = None

    def __post_init__(self):
        xs = {}
        for split in ("train", "test"):
            x = as_float_array(f"x_{split}", getattr(self, f"x_{split}"))
            if x.ndim != 2 or x.shape[0] < 1 or x.shape[1] < 1:
                raise ValueError(
                    f"x_{split} must have shape (samples, features) with both >= 1, got {x.shape}"
                )
            xs[split] = x
        if xs["train"].shape[1] != xs["test"].shape[1]:
            raise ValueError(
                f"x_train and x_test must have the same number of features, got "
                f"{xs['train'].shape[1]} and {xs['test'].shape[1]}"
            )
        ys = {
            split: _labels(f"y_{split}", getattr(self, f"y_{split}"), len(xs[split]))
            for split in xs
        }
        top = int(max(ys["train"].max(), ys["test"].max())) + 1
        n_classes = top if self.n_classes is None else self.n_classes
        if isinstance(n_classes, (bool, np.bool_)) or not isinstance(n_classes, (int, np.integer)):
            raise TypeError(f"n_classes must be an integer, got {type(n_classes).__name__}")
        if n_classes < max(2, top):
            raise ValueError(
                f"n_classes must be an integer >= max(2, largest label + 1) = {max(2, top)}, "
                f"got {n_classes}"
            )
        for split in xs:
            for name, arr in ((f"x_{split}", xs[split]), (f"y_{split}", ys[split])):
                arr = arr.copy()
                arr.setflags(write=False)
                object.__setattr__(self, name, arr)
        object.__setattr__(self, "n_classes", int(n_classes))

    @property
    def features(self) -> int:
        """Number of input features."""
        return self.x_train.shape[1]

    def split(self, split: str) -> tuple[np.ndarray, np.ndarray]:
        """(inputs, labels) of ``split``, "train" or "test"."""
        if not isinstance(split, str) or split not in ("train", "test"):
            raise ValueError(f"split must be 'train' or 'test', got {split!r}")
        return getattr(self, f"x_{split}"), getattr(self, f"y_{split}")

    def __repr__(self):
        return (
            f"Dataset(train={self.x_train.shape[0]}, test={self.x_test.shape[0]}, "
            f"features={self.features}, n_classes={self.n_classes})"
        )


def _labels(name, value, n) -> np.ndarray:
    arr = np.asarray(value)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must be an array of integer class labels, got dtype {arr.dtype}")
    if arr.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), one label per input, got {arr.shape}")
    if arr.min() < 0:
        raise ValueError(f"{name} must hold labels >= 0, got {int(arr.min())}")
    return arr.astype(np.int64)


def load_digits(rng: np.random.Generator, test_fraction: float = 0.2) -> Dataset:
    """scikit-learn's handwritten digits, pixels scaled to [0, 1], shuffled and split.

    Args:
        rng: random generator of the shuffle (the same seed gives the same split).
        test_fraction: fraction of the 1,797 images held out for testing, in (0, 1); the test
            split gets ceil(1797 * test_fraction) images (scikit-learn's convention), at least one,
            and so does the train split (0.2 gives 1,437 train and 360 test images).

    Returns:
        The :class:`Dataset`, 64 features (the 8 x 8 pixels, row by row), 10 classes.
    """
    rng = generator("rng", rng)
    test_fraction = scalar("test_fraction", test_fraction, 0.0, 1.0)
    from sklearn.datasets import load_digits as sklearn_digits  # about 1 s: only when used

    raw = sklearn_digits()
    x = raw.data / 16.0  # 17 grey levels 0..16
    y = raw.target.astype(np.int64)
    n = y.shape[0]
    n_test = min(n - 1, max(1, math.ceil(n * test_fraction - 1e-9)))
    order = rng.permutation(n)
    test, train = order[:n_test], order[n_test:]
    return Dataset(x[train], y[train], x[test], y[test], n_classes=10)
