"""Two arrays and a transfer: Tiki-Taka / residual learning, and TTv2 / RLv2 with a digital buffer.

Learning-rate names are neutral (README, "Conventions")::

    analogkit     paper 1 (Tiki-Taka, gamma=0)   paper 2 (residual learning)   aihwkit
    lr            beta  (P accumulates +grad)    alpha (P accumulates -grad)   fast_lr (on A)
    transfer_lr   alpha (W <- W - alpha P ...)   beta  (W <- W + beta P ...)   transfer_lr (onto C)
    gamma         0                              gamma                         gamma (W=gamma A + C)

analogkit's P follows paper 2 and aihwkit: it accumulates **minus** the gradient and the transfer
**adds** it. Paper 1's equation numbers are arXiv v1's (Tiki-Taka is its §4); paper 2's are the
NeurIPS 2025 camera-ready's (arXiv v3 numbers differently); noisy reads are paper 2 §5.
"""

from __future__ import annotations

import warnings

import numpy as np

from analogkit._validate import scalar
from analogkit.algorithms import _setup as check
from analogkit.algorithms._setup import InitialWeights
from analogkit.algorithms.loop import train
from analogkit.algorithms.tile import Rule, Tile
from analogkit.devices import Device
from analogkit.problems import Problem
from analogkit.pulses import PulseConfig
from analogkit.trace import RunWarning, Trace

__all__ = ["TikiTaka", "TTv2", "tiki_taka", "ttv2"]


class TikiTaka(Rule):
    """Paper 2 eqs. (10)-(11): the fast array P gets the gradient at W + gamma P, and every
    ``transfer_every`` steps its (noisily) read value is written onto the main array W."""

    name = "tiki_taka"

    def __init__(self, W: Tile, P: Tile, lr, transfer_lr, gamma, transfer_every, read_noise):
        self.tiles = {"W": W, "P": P}
        self.mixing = {"W": 1.0, "P": gamma}
        self.W, self.P = W, P
        self.neg_lr = -lr
        self.transfer_lr = transfer_lr
        self.gamma = gamma
        self.transfer_every = transfer_every
        self.read_noise = read_noise

    def read(self):
        W = self.W.value()
        return W + self.gamma * self.P.value() if self.gamma else W

    def step(self, g, k, rng):
        g *= self.neg_lr
        self.P.write(g, rng)  # (10)
        if (k + 1) % self.transfer_every == 0:
            read = self.P.value()
            if self.read_noise:
                read = read + self.read_noise * rng.standard_normal(read.shape)
            self.transfer(read, rng)

    def transfer(self, read, rng):
        """(11): W <- U_qW(W, transfer_lr * read)."""
        self.W.write(read * self.transfer_lr, rng)


class TTv2(TikiTaka):
    """P is read into a digital buffer H that fires single pulses of size ``threshold`` onto W:
    paper 2's reading of TTv2 (camera-ready App. D); with ``decay``, RLv2's buffer (paper 2
    camera-ready eq. (14))."""

    name = "ttv2"

    def __init__(self, W, P, lr, transfer_lr, gamma, transfer_every, read_noise, decay, threshold):
        super().__init__(W, P, lr, transfer_lr, gamma, transfer_every, read_noise)
        self.decay = decay
        self.keep = 1.0 - transfer_lr
        self.threshold = threshold
        self.H = np.zeros_like(W.conductance)
        self.fired = 0  # pulses fired onto W

    def transfer(self, read, rng):
        H = self.H
        if self.decay:  # RLv2, paper 2 camera-ready eq. (14)
            H *= self.keep
        H += self.transfer_lr * read
        # one pulse of size threshold, sign of H, wherever |H| >= threshold
        dW = np.copysign(self.threshold, H)
        fire = np.abs(H) >= self.threshold
        dW *= fire
        self.fired += int(np.count_nonzero(fire))
        self.W.write(dW, rng)
        H -= dW

    def reset(self, bad):
        super().reset(bad)
        self.H[bad] = 0.0


def _two_arrays(
    problem, device, fast_device, zero_shift, pulse, w0, trials, rng, w_pulse=None
) -> tuple:
    """The main tile W (initial weights w0) and the fast tile P (logical 0)."""
    shape = (trials, problem.dim)
    device = check.device("device", device, shape)
    fast_device = check.device("fast_device", device if fast_device is None else fast_device, shape)
    check.pulse(pulse, device, fast_device)
    init = check.initial_weights(w0, rng, shape)
    W = Tile(device, shape, pulse=pulse if w_pulse is None else w_pulse, init=init)
    P = Tile(fast_device, shape, pulse=pulse, reference="symmetric point" if zero_shift else None)
    return W, P


def _meta(name, problem, steps, trials, record_every, rule, device, fast_device, pulse, **extra):
    return check.meta(
        name,
        problem,
        steps,
        trials,
        record_every,
        lr=-rule.neg_lr,
        transfer_lr=rule.transfer_lr,
        gamma=rule.gamma,
        **extra,
        device=device,
        fast_device=device if fast_device is None else fast_device,
        transfer_every=rule.transfer_every,
        zero_shift=rule.P.reference is not None,
        read_noise=rule.read_noise,
        pulse=pulse,
        grad_point="W + gamma*P" if rule.gamma else "W",
    )


def tiki_taka(
    problem: Problem,
    device: Device,
    lr: float,
    transfer_lr: float,
    gamma: float = 0.0,
    *,
    fast_device: Device | None = None,
    transfer_every: int = 1,
    zero_shift: bool = False,
    read_noise: float = 0.0,
    steps: int,
    trials: int,
    rng: np.random.Generator,
    pulse: PulseConfig | None = None,
    w0: InitialWeights = 0.0,
    record_every: int = 1,
    record_weights: bool = False,
) -> Trace:
    """Tiki-Taka / residual learning: two arrays, a fast (residual) one P and the main one W.

    Per step (paper 2 camera-ready eqs. (10)-(11))::

        W_eff = W + gamma P
        P <- U_qP(P, -lr (grad f(W_eff) + eps))                        (10)
        every transfer_every steps:  W <- U_qW(W, transfer_lr (P + read_noise xi))   (11)

    (the noisy read of P is paper 2 §5's). ``gamma = 0`` is paper 1's analysed Tiki-Taka (§4,
    TT-P / TT-W), with the sign of P flipped: paper 1's P accumulates +gradient and the transfer
    subtracts it. analogkit's P is -P_paper1, so paper 1's algorithm on a fast device with
    response q equals this one on the mirrored device q~_+(w) = q_-(-w), q~_-(w) = q_+(-w)
    (``LinearDevice(tau, c)`` <-> ``LinearDevice(tau, -c)``); for mirror-symmetric responses such
    as paper 1's ALD the two are identical. At ``gamma = 0`` a bias of order sqrt(lr) in the
    fast lr remains (``analogkit.theory.tiki_taka_fixed_point``): a quantification of paper 1
    §4's remark after eq. (12) that a small fast rate controls the drift. ``gamma != 0`` is
    paper 2's residual learning (aihwkit W_eff = gamma A + C).

    Learning rates: ``lr`` = paper 1's beta = paper 2's alpha = aihwkit's ``fast_lr``;
    ``transfer_lr`` = paper 1's alpha = paper 2's beta = aihwkit's ``transfer_lr`` (times the SGD
    lr when ``scale_transfer_lr``); ``gamma`` = paper 2's and aihwkit's gamma (paper 1: 0).

    Zero-shift: with ``zero_shift=True`` the fast array's physical conductance P_phys is read
    against a reference holding its symmetric point P⋄ (aihwkit ``SoftBoundsReferenceDevice(
    subtract_symmetry_point=True)``): the logical value is P = P_phys - P⋄, while the response
    acts on P_phys. Without zero-shift P = P_phys. Either way the logical P starts at 0 (P_phys
    starts at P⋄ with zero-shift, at 0 without). Paper 2 Corollary 1 needs this (its Assumption 4,
    G(0) = 0 for the residual array) for exact convergence.

    Transfer granularity: aihwkit (and the papers' real-data runs) transfer one column of P per
    transfer; this function transfers the whole P, as the papers' toy runs do.

    Both arrays are clipped to their ranges after every expected-mode update (``Device.update``),
    and ``w0`` is clipped into W's range; in pulse mode both arrays get pulse trains from the same
    PulseConfig.

    Args:
        problem: the objective and its gradient noise (drawn at W_eff).
        device: response function of the main array W.
        lr: learning rate of the fast array, >= 0.
        transfer_lr: learning rate of the transfer P -> W, >= 0.
        gamma: mixing coefficient, >= 0; the gradient is taken at W + gamma P.
        fast_device: response function of P (default: ``device``).
        transfer_every: transfer after every this many steps, >= 1.
        zero_shift: read P against a reference at its symmetric point.
        read_noise: std of Gaussian noise on each read of P at a transfer, >= 0 (paper 2 §5).
        steps: number of iterations, >= 0.
        trials: number of independent trials, >= 1.
        rng: random generator.
        pulse: None for expected updates, or a PulseConfig for pulse-level updates.
        w0: initial main weights (scalar, array broadcastable to (trials, dim), or callable).
        record_every: record every this many steps (step 0 and the last step always), >= 1.
        record_weights: also record W and the logical P at every recorded step.

    Returns:
        The Trace; loss and grad_norm2 are taken at W_eff = W + gamma P, ``weights`` holds W
        and ``fast`` the logical P.
    """
    steps, trials, rng, record_every, record_weights = check.common(
        problem, steps, trials, rng, record_every, record_weights
    )
    lr, gamma = check.rate("lr", lr), check.rate("gamma", gamma)
    transfer_lr = check.rate("transfer_lr", transfer_lr, high_open=False)
    read_noise = check.rate("read_noise", read_noise)
    transfer_every = check.integer("transfer_every", transfer_every, 1)
    zero_shift = check.flag("zero_shift", zero_shift)
    pulse = check.pulse(pulse)
    W, P = _two_arrays(problem, device, fast_device, zero_shift, pulse, w0, trials, rng)
    rule = TikiTaka(W, P, lr, transfer_lr, gamma, transfer_every, read_noise)
    meta = _meta(
        "tiki_taka", problem, steps, trials, record_every, rule, device, fast_device, pulse
    )
    return train(
        problem,
        rule,
        steps=steps,
        rng=rng,
        record_every=record_every,
        record_weights=record_weights,
        meta=meta,
    )


def ttv2(
    problem: Problem,
    device: Device,
    lr: float,
    transfer_lr: float,
    gamma: float = 0.0,
    *,
    decay: bool = False,
    threshold: float | None = None,
    fast_device: Device | None = None,
    transfer_every: int = 1,
    zero_shift: bool = False,
    read_noise: float = 0.0,
    steps: int,
    trials: int,
    rng: np.random.Generator,
    pulse: PulseConfig | None = None,
    w0: InitialWeights = 0.0,
    record_every: int = 1,
    record_weights: bool = False,
) -> Trace:
    """Paper 2's reading of TTv2 (App. D) and residual learning v2 (§5): a digital buffer H.

    Equation numbers are paper 2's NeurIPS camera-ready. The fast array P is updated as in
    :func:`tiki_taka` (paper 2 eq. (10), gradient at W + gamma P). Every ``transfer_every`` steps
    P is read (with ``read_noise``) into a digital buffer H::

        decay=True  (RLv2, paper 2 eq. (14)):  H_half = (1 - transfer_lr) H + transfer_lr R
        decay=False (TTv2, paper 2 App. D):    H_half = H + transfer_lr R,   R = P + read_noise xi

    and wherever |H_half| >= threshold ONE pulse of the sign s of H_half is fired on W,
    W <- W + s threshold q_s(W) (the threshold plays the role of dw_min), and s threshold is
    subtracted from H (the remainder stays in the buffer). Paper 2's TTv2 has gamma = 0.

    This is paper 2's reading of TTv2 (Gokmen 2021), not aihwkit's: aihwkit's
    ``BufferedTransferCompound`` fires n = trunc(H/threshold) pulses at once (clamped to
    +-desired_BL) and then forgets the buffer (by default ``forget_buffer=True``,
    ``momentum=0.1``: H <- 0.1 H), where this function fires one pulse and keeps the remainder.

    Learning rates: ``lr`` = paper 2's alpha = aihwkit's ``fast_lr``; ``transfer_lr`` = paper 2's
    beta (the buffer's rate; with decay it must lie in [0, 1]); ``gamma`` as in tiki_taka.

    Args:
        problem: the objective and its gradient noise.
        device: response function of the main array W.
        lr: learning rate of the fast array, >= 0.
        transfer_lr: buffer learning rate, >= 0 (<= 1 with decay).
        gamma: mixing coefficient, >= 0.
        decay: RLv2's (1 - transfer_lr) decay of the buffer (True) or TTv2's plain sum (False).
        threshold: buffer level that fires one pulse on W, > 0; None means ``pulse.dw_min`` when
            a PulseConfig is given, else 1e-3 (it plays dw_min of the main array).
        fast_device: response function of P (default: ``device``).
        transfer_every: read P into the buffer after every this many steps, >= 1.
        zero_shift: read P against a reference at its symmetric point (see tiki_taka).
        read_noise: std of Gaussian noise on each read of P, >= 0.
        steps: number of iterations, >= 0.
        trials: number of independent trials, >= 1.
        rng: random generator.
        pulse: None for expected updates; a PulseConfig makes P's updates pulse trains and W's
            single pulses carry its cycle-to-cycle noise.
        w0: initial main weights (scalar, array broadcastable to (trials, dim), or callable).
        record_every: record every this many steps (step 0 and the last step always), >= 1.
        record_weights: also record W and the logical P at every recorded step.

    Returns:
        The Trace (as tiki_taka's); ``meta["final_buffer"]`` holds H after the last step.
    """
    decay = check.flag("decay", decay)
    steps, trials, rng, record_every, record_weights = check.common(
        problem, steps, trials, rng, record_every, record_weights
    )
    lr, gamma = check.rate("lr", lr), check.rate("gamma", gamma)
    transfer_lr = check.rate("transfer_lr", transfer_lr, 1.0 if decay else np.inf, high_open=False)
    read_noise = check.rate("read_noise", read_noise)
    transfer_every = check.integer("transfer_every", transfer_every, 1)
    zero_shift = check.flag("zero_shift", zero_shift)
    pulse = check.pulse(pulse)
    if threshold is None:
        threshold = pulse.dw_min if pulse is not None else 1e-3
    threshold = scalar("threshold", threshold, 0.0)
    lo, hi = check.device("device", device, (trials, problem.dim)).bounds
    half = float(np.min(np.asarray(hi) - np.asarray(lo))) / 2
    if threshold > half:
        raise ValueError(
            f"threshold must lie in (0, {half:g}], half the main array's range, so that one pulse "
            f"can move W; got {threshold:g}"
        )
    single = None if pulse is None else PulseConfig(threshold, 1, False, pulse.cycle_noise)
    W, P = _two_arrays(
        problem, device, fast_device, zero_shift, pulse, w0, trials, rng, w_pulse=single
    )
    rule = TTv2(W, P, lr, transfer_lr, gamma, transfer_every, read_noise, decay, threshold)
    meta = _meta(
        "ttv2",
        problem,
        steps,
        trials,
        record_every,
        rule,
        device,
        fast_device,
        pulse,
        decay=decay,
        threshold=float(threshold),
        final_buffer=rule.H,
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
    if steps and not rule.fired:
        warnings.warn(
            f"ttv2: in {steps} steps no buffer entry reached threshold={threshold:g}, so W never "
            "moved; lower the threshold or raise lr or transfer_lr",
            RunWarning,
            stacklevel=2,
        )
    return trace
