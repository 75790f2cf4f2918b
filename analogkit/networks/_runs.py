"""What the four tables share: the seeds, the learning rates, one seeded run of the standard
network, its accuracies per setting, and the check of one ordering."""

from __future__ import annotations

import numpy as np

from analogkit.networks.setup import digits_mlp, single_threaded, steps_per_epoch
from analogkit.networks.table import Ordering, cell
from analogkit.trace import quietly

#: seeds per setting (the trials axis)
SEEDS = 3
#: (a): device ranges, in units of the largest weight digital SGD needs (about 1, see setup)
TAUS = (0.15, 0.3, 0.6)
#: (b): non-linearity of the power and exponential responses, at tau = TAUS[-1]
GAMMAS_RES = (0.5, 1.0, 2.0)
#: the transfer rate of every Tiki-Taka variant, and the mixing of residual learning
TRANSFER_LR, GAMMA_RL = 0.01, 0.1


def epochs_for(quick, full):
    return 1 if quick else full


def run(fn, *args, epochs, trials, w0, seed=0, **kw):
    net = digits_mlp()
    spe = steps_per_epoch(net)
    with single_threaded():
        return quietly(
            fn,
            net,
            *args,
            steps=epochs * spe,
            trials=trials,
            rng=np.random.default_rng(seed),
            w0=w0,
            record_every=spe,
            **kw,
        )


def setting_cells(trace, n_settings):
    """One Cell per setting of a run whose trials are setting-major."""
    acc = 100.0 * np.asarray(trace.metrics["test_accuracy"])
    return [cell(acc[:, i * SEEDS : (i + 1) * SEEDS]) for i in range(n_settings)]


def above(claim, t, pairs, reason=""):
    """The ordering 'first > second' for every pair of (row, column) cells."""
    values = [(t.mean(*a), t.mean(*b)) for a, b in pairs]
    holds = all(x > y for x, y in values)
    detail = "; ".join(f"{x:.1f} vs {y:.1f}" for x, y in values)
    return Ordering(claim, holds, detail, reason)
