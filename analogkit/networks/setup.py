"""The network every table, figure and dashboard of notebook 06 trains, and how its runs are set up.

A 64-32-10 ReLU MLP on scikit-learn's digits (1,437 training and 360 test images, split with
seed 0), batch 10, so one epoch is 144 steps. Its layers carry the fixed output gains
:data:`GAINS` (aihwkit's ``out_scaling_alpha``), which put the largest weights digital SGD needs
near 1 in both layers: a device range tau then means the same thing in every layer. The trials
axis holds the seeds: every seed has its own initial weights and its own minibatches, and all
seeds of all settings run in one vectorised call where the settings differ only in a device
parameter.

The network's matrix products are small (batch 10, 64 x 32): waking BLAS's threads for each of
them costs several times the product itself, so every run here is :func:`single_threaded`.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from analogkit._validate import generator, integer
from analogkit.algorithms import digital_sgd
from analogkit.problems import MLP, load_digits
from analogkit.trace import quietly

__all__ = [
    "SIZES",
    "GAINS",
    "BATCH",
    "LR",
    "digits_mlp",
    "steps_per_epoch",
    "initial",
    "pretrain",
    "single_threaded",
]

#: layer widths of the network
SIZES = (64, 32, 10)
#: output gains of the two layers
GAINS = (1.0, 2.0)
#: minibatch size (paper 1's FCN runs use 10)
BATCH = 10
#: the learning rate of every gradient step (digital SGD, Analog SGD, every fast array)
LR = 0.1


def single_threaded():
    """A context in which BLAS uses one thread (threadpoolctl, which scikit-learn brings): a
    small network trains three to five times faster in CPU time, more on a busy machine."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


@functools.lru_cache(maxsize=4)
def digits_mlp(split_seed: int = 0, batch: int = BATCH) -> MLP:
    """The standard network on the digits split drawn with ``split_seed`` (cached)."""
    split_seed = integer("split_seed", split_seed, 0)
    data = load_digits(np.random.default_rng(split_seed))
    return MLP(SIZES, data, batch=batch, activation="relu", gains=GAINS)


def steps_per_epoch(net: MLP) -> int:
    """Minibatches in one pass over the training split, ceil(n_train / batch)."""
    return math.ceil(net.data.x_train.shape[0] / net.batch)


def initial(net: MLP, seeds: int, settings: int = 1, seed: int = 1) -> np.ndarray:
    """Initial weights of `seeds` seeds, repeated for each of `settings` settings (setting-major:
    trial = setting * seeds + seed), so every setting starts from the same networks."""
    seeds = integer("seeds", seeds, 1)
    settings = integer("settings", settings, 1)
    return np.tile(net.init(np.random.default_rng(seed), seeds), (settings, 1))


def pretrain(net: MLP, rng: np.random.Generator, *, epochs: int, seeds: int, lr: float = LR):
    """Digital SGD from :func:`initial` for `epochs` epochs: the pre-trained networks that paper 2's
    fine-tuning setting starts from, shape (seeds, n_params)."""
    rng = generator("rng", rng)
    epochs = integer("epochs", epochs, 0)
    spe = steps_per_epoch(net)
    with single_threaded():
        tr = quietly(
            digital_sgd,
            net,
            lr,
            steps=epochs * spe,
            trials=seeds,
            rng=rng,
            w0=initial(net, seeds),
            record_every=spe,
        )
    return tr.final_weights
