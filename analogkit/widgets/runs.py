"""The seeded, cached runs behind the dashboards.

Every run uses the same seed (:data:`SEED`) and :data:`TRIALS` trials, so the same slider values
give the same numbers. Runs are cached per algorithm and parameters, so moving a slider re-runs
only the algorithms that depend on it. A cached run is shared by every dashboard that asks for
it: its Trace is frozen (a finished Trace's arrays are read-only), and dashboards read numbers
out of it as plain floats.

All runs are on the 1-D quadratic f = (w - w*)^2 / 2 (L = 1) and run without a
DivergenceWarning: the dashboards report diverged trials themselves.
"""

from __future__ import annotations

import functools

import numpy as np

import analogkit as ak

__all__ = [
    "SEED",
    "TRIALS",
    "UNSTABLE",
    "steps_for",
    "digital",
    "analog",
    "tiki_taka",
    "lower_bound",
]

SEED = 2024
TRIALS = 200

#: the message for a digital SGD run with lr >= 2/L that has not (yet) been flagged as diverged
UNSTABLE = (
    "lr = {lr:.3g} ≥ 2/L = 2: digital SGD is unstable here (each step multiplies the error by "
    "|1 − lr·L| ≥ 1); it has not blown up within these steps, but it does not converge."
)


def _quadratic(w_star, noise):
    return ak.Quadratic(L=1.0, w_star=w_star, dim=1, noise=ak.GaussianNoise(noise))


def _record_every(steps: int) -> int:
    return max(1, steps // 100)


def steps_for(rate: float) -> int:
    """Enough steps for ~8 time constants 1/rate, within the slider budget."""
    return int(np.clip(np.ceil(8.0 / max(rate, 1e-9)), 200, 1200))


@functools.lru_cache(maxsize=128)
def digital(w_star, noise, lr, steps):
    """Digital SGD on the quadratic with Gaussian gradient noise."""
    return ak.quietly(
        ak.digital_sgd,
        _quadratic(w_star, noise),
        lr,
        steps=steps,
        trials=TRIALS,
        rng=np.random.default_rng(SEED),
        record_every=_record_every(steps),
    )


@functools.lru_cache(maxsize=128)
def analog(w_star, noise, lr, tau, asymmetry, steps):
    """Analog SGD on LinearDevice(tau, asymmetry), weights recorded."""
    return ak.quietly(
        ak.analog_sgd,
        _quadratic(w_star, noise),
        ak.LinearDevice(tau, asymmetry),
        lr,
        steps=steps,
        trials=TRIALS,
        rng=np.random.default_rng(SEED),
        record_every=_record_every(steps),
        record_weights=True,
    )


@functools.lru_cache(maxsize=128)
def tiki_taka(w_star, noise, lr, transfer_lr, gamma, tau, asymmetry, zero_shift, steps):
    """Tiki-Taka / residual learning: main array LinearDevice(tau), fast array with asymmetry."""
    return ak.quietly(
        ak.tiki_taka,
        _quadratic(w_star, noise),
        ak.LinearDevice(tau),
        lr,
        transfer_lr,
        gamma,
        fast_device=ak.LinearDevice(tau, asymmetry),
        zero_shift=zero_shift,
        steps=steps,
        trials=TRIALS,
        rng=np.random.default_rng(SEED),
        record_every=_record_every(steps),
        record_weights=True,
    )


@functools.lru_cache(maxsize=64)
def lower_bound(sigma, tau, w_star, lr, steps):
    """Analog SGD on paper 1's lower-bound instance (LowerBoundNoise), started at w*."""
    problem = ak.Quadratic(L=1.0, w_star=w_star, dim=1, noise=ak.LowerBoundNoise(sigma, tau))
    return ak.quietly(
        ak.analog_sgd,
        problem,
        ak.LinearDevice(tau),
        lr,
        steps=steps,
        trials=TRIALS,
        rng=np.random.default_rng(SEED),
        w0=w_star,
        record_every=_record_every(steps),
        record_weights=True,
    )
