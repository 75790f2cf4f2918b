"""Choppers: c-TTv2 and AGAD (Rasch et al. 2024), TTv2 whose fast array sees sign-flipped inputs.

R24 = M. J. Rasch, F. Carta, O. Fagbohungbe, T. Gokmen, "Fast and robust analog in-memory deep
neural network training", Nature Communications 15:7133 (2024), eqs. (11)-(13); aihwkit's
``ChoppedTransferCompound`` and ``DynamicTransferCompound``.

A chopper c = ±1 per weight multiplies what the fast array P receives, and every read of P is
multiplied by the same c, so the gradient comes through unchanged while anything P holds that does
not follow c -- a constant offset, a symmetric point that is not where the reference thinks it is
-- enters the reads with a sign that flips at random (probability ``flip_prob`` per read) and
averages out:

* c-TTv2 (R24 eqs. (11)-(12)): z = c (P - R), with R the fixed reference (the symmetric point with
  ``zero_shift``, else 0);
* AGAD (R24 eq. (13)): z = c (P - p_ref), where a digital running mean p <- (1 - ref_rate) p +
  ref_rate P follows P and p_ref <- p whenever c flips, so no programmed reference is needed.

z then goes through TTv2's digital buffer H, which fires single pulses of ``threshold`` onto W
(:class:`analogkit.algorithms.transfer.TTv2`).
"""

from __future__ import annotations

import numpy as np

from analogkit._validate import scalar
from analogkit.algorithms import _setup as check
from analogkit.algorithms._setup import InitialWeights
from analogkit.algorithms.loop import train
from analogkit.algorithms.tile import Tile
from analogkit.algorithms.transfer import TTv2
from analogkit.devices import Device
from analogkit.problems import Problem
from analogkit.pulses import PulseConfig
from analogkit.trace import Trace

__all__ = ["ChoppedTTv2", "AGAD", "c_ttv2", "agad"]


class ChoppedTTv2(TTv2):
    """R24 eqs. (11)-(12): the gradient into P and the reads of P carry the chopper c."""

    name = "c_ttv2"

    def __init__(
        self, W, P, lr, transfer_lr, transfer_every, read_noise, threshold, flip_prob, decay
    ):
        super().__init__(W, P, lr, transfer_lr, 0.0, transfer_every, read_noise, decay, threshold)
        self.flip_prob = flip_prob
        self.c = np.ones_like(W.conductance)

    def step(self, g, k, rng):
        g *= self.neg_lr
        g *= self.c  # (11): the chopped gradient input
        self.P.write(g, rng)
        if (k + 1) % self.transfer_every == 0:
            read = self.read_fast()
            if self.read_noise:
                read = read + self.read_noise * rng.standard_normal(read.shape)
            self.transfer(self.c * read, rng)  # (12): the sign-corrected read
            self.flip(rng)

    def read_fast(self):
        """What a read of P returns against its reference."""
        return self.P.value()

    def flip(self, rng):
        """Flip each chopper with probability flip_prob; return the mask of flipped ones."""
        if not self.flip_prob:  # draws nothing, so flip_prob = 0 is TTv2 exactly
            return np.zeros(self.c.shape, dtype=bool)
        flipped = rng.random(self.c.shape) < self.flip_prob
        self.c[flipped] *= -1.0
        return flipped

    def reset(self, bad):
        super().reset(bad)
        self.c[bad] = 1.0


class AGAD(ChoppedTTv2):
    """R24 eq. (13): a digital running mean of P is the reference, refreshed at chopper flips."""

    name = "agad"

    def __init__(self, *args, ref_rate):
        super().__init__(*args)
        self.ref_rate = ref_rate
        self.mean = self.P.conductance.copy()  # p, the running mean of the raw reads

    def read_fast(self):
        raw = self.P.conductance
        self.mean += self.ref_rate * (raw - self.mean)
        return self.P.value()  # raw - p_ref, the tile's dynamic reference

    def flip(self, rng):
        flipped = super().flip(rng)
        self.P.reference[flipped] = self.mean[flipped]  # p_ref <- p
        return flipped

    def reset(self, bad):
        super().reset(bad)
        self.mean[bad] = self.P.initial[bad]
        self.P.reference[bad] = 0.0


def _chopped(
    name,
    make_rule,
    problem,
    device,
    lr,
    transfer_lr,
    *,
    decay,
    fast_device,
    transfer_every,
    read_noise,
    threshold,
    flip_prob,
    reference,
    pulse,
    w0,
    steps,
    trials,
    rng,
    record_every,
    record_weights,
    **extra,
):
    """Check the arguments, build the tiles and the rule ``make_rule(W, P, ...)``, and train."""
    steps, trials, rng, record_every, record_weights = check.common(
        problem, steps, trials, rng, record_every, record_weights
    )
    lr = check.rate("lr", lr)
    decay = check.flag("decay", decay)
    transfer_lr = check.rate("transfer_lr", transfer_lr, 1.0 if decay else np.inf, high_open=False)
    read_noise = check.rate("read_noise", read_noise)
    transfer_every = check.integer("transfer_every", transfer_every, 1)
    flip_prob = scalar("flip_prob", flip_prob, 0.0, 1.0, low_open=False, high_open=False)
    pulse = check.pulse(pulse)
    shape = (trials, problem.dim)
    device = check.device("device", device, shape)
    fast_device = check.device("fast_device", device if fast_device is None else fast_device, shape)
    check.pulse(pulse, device, fast_device)
    if threshold is None:
        threshold = pulse.dw_min if pulse is not None else 1e-3
    threshold = scalar("threshold", threshold, 0.0)
    single = None if pulse is None else PulseConfig(threshold, 1, False, pulse.cycle_noise)
    W = Tile(device, shape, pulse=single, init=check.initial_weights(w0, rng, shape))
    P = Tile(fast_device, shape, pulse=pulse, reference=reference)
    rule = make_rule(W, P, lr, transfer_lr, transfer_every, read_noise, threshold, flip_prob, decay)
    meta = check.meta(
        name,
        problem,
        steps,
        trials,
        record_every,
        lr=lr,
        transfer_lr=transfer_lr,
        threshold=threshold,
        flip_prob=flip_prob,
        transfer_every=transfer_every,
        read_noise=read_noise,
        device=device,
        fast_device=fast_device,
        pulse=pulse,
        grad_point="W",
        final_buffer=rule.H,
        **extra,
    )
    trace = train(
        problem,
        rule,
        steps=steps,
        rng=rng,
        record_every=record_every,
        record_weights=record_weights,
        meta=meta,
    )
    rule.H.setflags(write=False)
    return trace


def c_ttv2(
    problem: Problem,
    device: Device,
    lr: float,
    transfer_lr: float,
    *,
    flip_prob: float = 0.1,
    decay: bool = False,
    threshold: float | None = None,
    zero_shift: bool = False,
    fast_device: Device | None = None,
    transfer_every: int = 1,
    read_noise: float = 0.0,
    steps: int,
    trials: int,
    rng: np.random.Generator,
    pulse: PulseConfig | None = None,
    w0: InitialWeights = 0.0,
    record_every: int = 1,
    record_weights: bool = False,
) -> Trace:
    """c-TTv2 (R24 eqs. (11)-(12)): TTv2 with a chopper on P's input and its reads.

    Every step P <- U_qP(P, c (-lr (grad f + eps))); every ``transfer_every`` steps the buffer gets
    H <- H + transfer_lr c (P - R) (R: the symmetric point with ``zero_shift``, else 0), fires single
    pulses of size ``threshold`` onto W wherever |H| >= threshold (keeping the remainder, as
    :func:`analogkit.ttv2` does), and each chopper flips with probability ``flip_prob``. A constant
    offset of P, which biases TTv2, enters H with a random sign and averages out.

    Args:
        problem, device, lr, transfer_lr, decay, threshold, zero_shift, fast_device,
            transfer_every, read_noise, steps, trials, rng, pulse, w0, record_every,
            record_weights: as :func:`analogkit.ttv2` (gradient at W; ``decay`` is RLv2's
            buffer).
        flip_prob: probability that a chopper flips at each read, in [0, 1] (aihwkit's
            ``in_chop_prob``); 0 is TTv2 bit for bit.

    Returns:
        The Trace (``weights`` W, ``fast`` the logical P); ``meta["final_buffer"]`` holds H.
    """
    zero_shift = check.flag("zero_shift", zero_shift)
    return _chopped(
        "c_ttv2",
        ChoppedTTv2,
        problem,
        device,
        lr,
        transfer_lr,
        decay=decay,
        fast_device=fast_device,
        transfer_every=transfer_every,
        read_noise=read_noise,
        threshold=threshold,
        flip_prob=flip_prob,
        reference="symmetric point" if zero_shift else None,
        pulse=pulse,
        w0=w0,
        steps=steps,
        trials=trials,
        rng=rng,
        record_every=record_every,
        record_weights=record_weights,
        zero_shift=zero_shift,
    )


def agad(
    problem: Problem,
    device: Device,
    lr: float,
    transfer_lr: float,
    *,
    flip_prob: float = 0.1,
    ref_rate: float = 0.1,
    decay: bool = False,
    threshold: float | None = None,
    fast_device: Device | None = None,
    transfer_every: int = 1,
    read_noise: float = 0.0,
    steps: int,
    trials: int,
    rng: np.random.Generator,
    pulse: PulseConfig | None = None,
    w0: InitialWeights = 0.0,
    record_every: int = 1,
    record_weights: bool = False,
) -> Trace:
    """AGAD (R24 eq. (13)): c-TTv2 whose reference is a digital running mean of P, not a program.

    Reads are z = c (P - p_ref); a digital mean p <- (1 - ref_rate) p + ref_rate P follows every
    read, and p_ref <- p wherever the chopper flips. The fast array's symmetric point need not be
    known: whatever P settles at is subtracted.

    Args:
        problem, device, lr, transfer_lr, flip_prob, decay, threshold, fast_device,
            transfer_every, read_noise, steps, trials, rng, pulse, w0, record_every,
            record_weights: as :func:`c_ttv2` (there is no zero_shift: the reference is
            dynamic).
        ref_rate: rate of the running mean of P, in (0, 1].

    Returns:
        The Trace (``fast`` holds P - p_ref); ``meta["final_buffer"]`` holds H.
    """
    ref_rate = scalar("ref_rate", ref_rate, 0.0, 1.0, high_open=False)

    def make_rule(*args):
        return AGAD(*args, ref_rate=ref_rate)

    return _chopped(
        "agad",
        make_rule,
        problem,
        device,
        lr,
        transfer_lr,
        decay=decay,
        fast_device=fast_device,
        transfer_every=transfer_every,
        read_noise=read_noise,
        threshold=threshold,
        flip_prob=flip_prob,
        reference="dynamic",
        pulse=pulse,
        w0=w0,
        steps=steps,
        trials=trials,
        rng=rng,
        record_every=record_every,
        record_weights=record_weights,
        ref_rate=ref_rate,
    )
