"""Training algorithms on analog devices, run over many independent trials at once.

Every function takes a problem (``analogkit.problems``), learning rates, ``steps``, ``trials`` and a
numpy ``Generator``, runs all trials vectorised (the only Python loop is over time steps) and
returns a :class:`~analogkit.trace.Trace`. The same generator state gives the same numbers.

* :func:`digital_sgd` -- W <- W - lr (grad f + eps)                         (paper 1 eq. (2))
* :func:`analog_sgd`  -- W <- U_q(W, -lr (grad f + eps))                     (paper 1 eq. (3)/(7),
                                                                             paper 2 eq. (2))
* :func:`tiki_taka`   -- P <- U_q(P, -lr grad f(W + gamma P)), W <- U_q(W, transfer_lr P)
                                                                            (paper 2 eqs. (10)-(11);
                                                                             paper 1 TT-P/TT-W)
* :func:`ttv2`        -- as tiki_taka, but P is read into a digital buffer H that fires single
                         pulses onto W when |H| crosses a threshold (paper 2 §5 eq. (14) and App. D)

Learning-rate names are neutral (README, "Conventions")::

    analogkit     paper 1 (Tiki-Taka, gamma=0)   paper 2 (residual learning)   aihwkit
    lr            beta  (P accumulates +grad)    alpha (P accumulates -grad)   fast_lr (on A)
    transfer_lr   alpha (W <- W - alpha P ...)   beta  (W <- W + beta P ...)   transfer_lr (onto C)
    gamma         0                              gamma                         gamma (W=gamma A + C)

For Analog SGD ``lr`` is paper 1's and paper 2's alpha (aihwkit's SGD lr). analogkit's P follows
paper 2 and aihwkit: it accumulates **minus** the gradient and the transfer **adds** it.

Every iteration evaluates the exact gradient (so the trace can record the true ||grad f||^2), then
adds the noise drawn by ``problem.noise`` *before* any absolute value is taken: the bias of
Analog SGD comes from E|grad f + eps|, not from |E grad f|.

This module may import devices, pulses, problems and trace; it must never import theory,
plotting, widgets or figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from analogkit._validate import as_float_array, broadcast, generator, integer, param
from analogkit.devices import Device
from analogkit.problems import Problem
from analogkit.pulses import PulseConfig, pulse_update
from analogkit.trace import Trace, _Recorder

__all__ = ["digital_sgd", "analog_sgd", "tiki_taka", "ttv2"]

#: an initial point: scalar, array broadcastable to (trials, dim), or callable w0(rng, shape)
InitialWeights = float | np.ndarray | Callable[[np.random.Generator, tuple], np.ndarray]


# --------------------------------------------------------------------------------------------
# validation (once, before the loop)
# --------------------------------------------------------------------------------------------


def _rate(name, value, high=np.inf, *, high_open=True) -> float:
    """A scalar learning rate (or similar) in [0, high)."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    v = param(name, value, 0.0, high, low_open=False, high_open=high_open)
    if np.ndim(v) != 0:
        raise ValueError(f"{name} must be a scalar, got an array of shape {np.shape(v)}")
    return float(v)


def _flag(name, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__}")
    return bool(value)


def _common(problem, steps, trials, rng, record_every, record_weights):
    if not isinstance(problem, Problem):
        raise TypeError(
            f"problem must be an analogkit problem (Quadratic, LeastSquares, ...), "
            f"got {type(problem).__name__}"
        )
    steps = integer("steps", steps, 0)
    trials = integer("trials", trials, 1)
    rng = generator("rng", rng)
    record_every = integer("record_every", record_every, 1)
    record_weights = _flag("record_weights", record_weights)
    return steps, trials, rng, record_every, record_weights


def _check_device(name, device, shape) -> Device:
    if not isinstance(device, Device):
        raise TypeError(f"{name} must be an analogkit Device, got {type(device).__name__}")
    arrays = {k: v for k, v in device.params().items() if np.ndim(v)}
    if arrays:
        try:
            out = broadcast({"weights (trials, dim)": np.broadcast_to(0.0, shape), **arrays})
        except ValueError as exc:
            raise ValueError(f"{name}'s parameter arrays do not fit the weights: {exc}") from None
        if tuple(out) != tuple(shape):
            raise ValueError(
                f"{name}'s parameter arrays must broadcast to the weights' shape (trials, dim) = "
                f"{shape}, but they broadcast to {tuple(out)}"
            )
    return device


def _check_pulse(pulse):
    if pulse is not None and not isinstance(pulse, PulseConfig):
        raise TypeError(f"pulse must be None or a PulseConfig, got {type(pulse).__name__}")
    return pulse


def _initial_weights(w0, rng, shape) -> np.ndarray:
    """w0 as a fresh C-contiguous float array of `shape` (a callable is called w0(rng, shape))."""
    value = w0(rng, shape) if callable(w0) else w0
    arr = as_float_array("w0", value)
    try:
        arr = np.broadcast_to(arr, shape)
    except ValueError:
        raise ValueError(
            f"w0 must be a scalar, an array broadcastable to (trials, dim) = {shape}, or a "
            f"callable w0(rng, shape) returning one; got shape {np.shape(value)}"
        ) from None
    return np.array(arr, dtype=np.float64, order="C", copy=True)


def _has_bounds(device) -> bool:
    lo, hi = device.bounds
    return bool(np.any(np.isfinite(lo)) or np.any(np.isfinite(hi)))


def _base_meta(name, problem, steps, trials, record_every, **params) -> dict:
    return {
        "algorithm": name,
        **params,
        "problem": problem,
        "steps": steps,
        "trials": trials,
        "record_every": record_every,
    }


# --------------------------------------------------------------------------------------------
# Digital SGD and Analog SGD
# --------------------------------------------------------------------------------------------


def digital_sgd(
    problem: Problem,
    lr: float,
    *,
    steps: int,
    trials: int,
    rng: np.random.Generator,
    w0: InitialWeights = 0.0,
    record_every: int = 1,
    record_weights: bool = False,
) -> Trace:
    """Digital SGD, W_{k+1} = W_k - lr (grad f(W_k) + eps_k) (paper 1 eq. (2)).

    The reference every analog method is compared with. ``lr`` is paper 1's / paper 2's alpha.
    Computed as W + (-lr * g), so that it agrees bit for bit with
    ``analog_sgd(problem, IdealDevice(), lr, ...)`` under the same generator.

    Args:
        problem: the objective and its gradient noise.
        lr: learning rate, >= 0.
        steps: number of iterations, >= 0.
        trials: number of independent trials, >= 1.
        rng: random generator (noise; and w0 if w0 is callable).
        w0: initial weights: scalar, array broadcastable to (trials, dim), or a callable
            ``w0(rng, (trials, dim))``.
        record_every: record every this many steps (step 0 and the last step always), >= 1.
        record_weights: also record W at every recorded step.

    Returns:
        The Trace (loss and gradient norm at W).
    """
    steps, trials, rng, record_every, record_weights = _common(
        problem, steps, trials, rng, record_every, record_weights
    )
    lr = _rate("lr", lr)
    shape = (trials, problem.dim)
    W = _initial_weights(w0, rng, shape)
    W_init = W.copy()
    rec = _Recorder(steps, record_every, trials, problem.dim, record_weights, False)
    neg_lr = -lr
    with np.errstate(all="ignore"):
        for k in range(steps):
            g = problem._grad(W)
            if k == rec.next:
                bad = rec.record(k, problem._excess(W), g, W)
                if bad is not None:  # restart diverged trials; their records stay NaN
                    W[bad] = W_init[bad]
                    g = problem._grad(W)
            problem._add_noise(W, g, rng)
            g *= neg_lr
            W += g
        rec.record(steps, problem._excess(W), problem._grad(W), W)
    meta = _base_meta("digital_sgd", problem, steps, trials, record_every, lr=lr, grad_point="W")
    return rec.finish(W, None, meta)


def analog_sgd(
    problem: Problem,
    device: Device,
    lr: float,
    *,
    steps: int,
    trials: int,
    rng: np.random.Generator,
    pulse: PulseConfig | None = None,
    w0: InitialWeights = 0.0,
    record_every: int = 1,
    record_weights: bool = False,
) -> Trace:
    """Analog SGD, W_{k+1} = U_q(W_k, -lr (grad f(W_k) + eps_k)) (paper 1 eqs. (3)/(7), P2 eq. (2)).

    Element-wise, W + dW F(W) - |dW| G(W) with dW = -lr (grad f + eps): the noise enters before
    the absolute value, which is what makes the weights drift towards the device's symmetric
    point (paper 2 eq. (6)). For ``LinearDevice(tau)`` this is paper 1 eq. (3),
    W - lr g - (lr/tau)|g| W. ``lr`` is paper 1's / paper 2's alpha (aihwkit's SGD lr).

    Expected mode (``pulse=None``) uses the device's expected update and then clips to the device
    range (the clip is inactive while |dW| <= tau, paper 1 Theorem 1). Pulse mode sends
    |dW|/dw_min pulses through :func:`analogkit.pulse_update`. ``w0`` outside the device range is
    clipped into it, as aihwkit's hard bounds do.

    With ``IdealDevice()`` in expected mode the result equals :func:`digital_sgd` bit for bit.

    Args:
        problem: the objective and its gradient noise.
        device: response function of the array (parameter arrays must broadcast to
            (trials, dim)).
        lr: learning rate, >= 0.
        steps: number of iterations, >= 0.
        trials: number of independent trials, >= 1.
        rng: random generator (noise, pulse rounding; w0 if callable).
        pulse: None for the expected update, or a PulseConfig for pulse-level updates.
        w0: initial weights: scalar, array broadcastable to (trials, dim), or a callable
            ``w0(rng, (trials, dim))``.
        record_every: record every this many steps (step 0 and the last step always), >= 1.
        record_weights: also record W at every recorded step.

    Returns:
        The Trace (loss and gradient norm at W).
    """
    steps, trials, rng, record_every, record_weights = _common(
        problem, steps, trials, rng, record_every, record_weights
    )
    lr = _rate("lr", lr)
    shape = (trials, problem.dim)
    device = _check_device("device", device, shape)
    pulse = _check_pulse(pulse)
    W = _initial_weights(w0, rng, shape)
    clip = _has_bounds(device)
    if clip:
        W = np.ascontiguousarray(device.clip(W), dtype=np.float64)
    W_init = W.copy()
    rec = _Recorder(steps, record_every, trials, problem.dim, record_weights, False)
    neg_lr = -lr
    with np.errstate(all="ignore"):
        for k in range(steps):
            g = problem._grad(W)
            if k == rec.next:
                bad = rec.record(k, problem._excess(W), g, W)
                if bad is not None:  # restart diverged trials; their records stay NaN
                    W[bad] = W_init[bad]
                    g = problem._grad(W)
            problem._add_noise(W, g, rng)
            g *= neg_lr  # dW = -lr (grad f + eps)
            W = _write(device, W, g, pulse, clip, rng)
        rec.record(steps, problem._excess(W), problem._grad(W), W)
    meta = _base_meta(
        "analog_sgd",
        problem,
        steps,
        trials,
        record_every,
        lr=lr,
        device=device,
        pulse=pulse,
        grad_point="W",
    )
    return rec.finish(W, None, meta)


# --------------------------------------------------------------------------------------------
# Tiki-Taka / residual learning, and TTv2 / RLv2
# --------------------------------------------------------------------------------------------


class _FastArray:
    """The fast / residual array P: physical conductance P_phys, logical P = P_phys - shift."""

    def __init__(self, device, shape, zero_shift, pulse):
        self.device = device
        self.pulse = pulse
        self.clip = _has_bounds(device)
        self.zero_shift = zero_shift
        self.shift = device.symmetric_point if zero_shift else 0.0
        self.init = np.zeros(shape)
        if zero_shift:
            self.init += self.shift  # P_phys starts at the symmetric point: logical P = 0
        elif self.clip:  # only matters for a device whose range excludes 0
            self.init = np.array(device.clip(self.init), dtype=np.float64)
        self.phys = self.init.copy()

    def logical(self):
        return self.phys - self.shift if self.zero_shift else self.phys

    def step(self, dP, rng):
        self.phys = _write(self.device, self.phys, dP, self.pulse, self.clip, rng)

    def reset(self, bad):
        self.phys[bad] = self.init[bad]


@dataclass
class _TwoArrays:
    """Validated settings and initial state shared by tiki_taka and ttv2."""

    steps: int
    trials: int
    rng: np.random.Generator
    record_every: int
    lr: float
    transfer_lr: float
    gamma: float
    read_noise: float
    transfer_every: int
    zero_shift: bool
    device: Device
    fast_device: Device
    pulse: PulseConfig | None
    W: np.ndarray
    clip: bool
    fast: _FastArray
    rec: _Recorder

    def meta(self, name, problem, **extra) -> dict:
        return _base_meta(
            name,
            problem,
            self.steps,
            self.trials,
            self.record_every,
            lr=self.lr,
            transfer_lr=self.transfer_lr,
            gamma=self.gamma,
            **extra,
            device=self.device,
            fast_device=self.fast_device,
            transfer_every=self.transfer_every,
            zero_shift=self.zero_shift,
            read_noise=self.read_noise,
            pulse=self.pulse,
            grad_point="W + gamma*P" if self.gamma else "W",
        )


def _two_array_setup(
    problem,
    device,
    lr,
    transfer_lr,
    gamma,
    fast_device,
    transfer_every,
    zero_shift,
    read_noise,
    steps,
    trials,
    rng,
    pulse,
    w0,
    record_every,
    record_weights,
    transfer_lr_high=np.inf,
) -> _TwoArrays:
    steps, trials, rng, record_every, record_weights = _common(
        problem, steps, trials, rng, record_every, record_weights
    )
    lr = _rate("lr", lr)
    transfer_lr = _rate("transfer_lr", transfer_lr, transfer_lr_high, high_open=False)
    gamma = _rate("gamma", gamma)
    read_noise = _rate("read_noise", read_noise)
    transfer_every = integer("transfer_every", transfer_every, 1)
    zero_shift = _flag("zero_shift", zero_shift)
    shape = (trials, problem.dim)
    device = _check_device("device", device, shape)
    fast_device = _check_device(
        "fast_device", device if fast_device is None else fast_device, shape
    )
    pulse = _check_pulse(pulse)
    W = _initial_weights(w0, rng, shape)
    clip = _has_bounds(device)
    if clip:
        W = np.ascontiguousarray(device.clip(W), dtype=np.float64)
    fast = _FastArray(fast_device, shape, zero_shift, pulse)
    rec = _Recorder(steps, record_every, trials, problem.dim, record_weights, True)
    return _TwoArrays(
        steps,
        trials,
        rng,
        record_every,
        lr,
        transfer_lr,
        gamma,
        read_noise,
        transfer_every,
        zero_shift,
        device,
        fast_device,
        pulse,
        W,
        clip,
        fast,
        rec,
    )


def _write(device, W, dW, pulse, clip, rng):
    """W <- U_q(W, dW): the expected analog update (clipped to the range) or a pulse train."""
    if pulse is None:
        W = device._update(W, dW)
        return device.clip(W) if clip else W
    return pulse_update(device, W, dW, pulse, rng, check=False)


def _run_two_arrays(problem, s: _TwoArrays, transfer, on_reset=None) -> np.ndarray:
    """The loop shared by tiki_taka and ttv2; returns the final W.

    Every step the fast array receives -lr (grad f + eps) at W + gamma P (paper 2 eq. (10));
    every ``transfer_every`` steps ``transfer(W, read)`` writes the (noisily) read P onto W.
    """
    W, fast, rec, rng, gamma = s.W, s.fast, s.rec, s.rng, s.gamma
    W_init = W.copy()
    neg_lr = -s.lr
    with np.errstate(all="ignore"):
        for k in range(s.steps):
            P = fast.logical()
            W_eff = W + gamma * P if gamma else W
            g = problem._grad(W_eff)
            if k == rec.next:
                bad = rec.record(k, problem._excess(W_eff), g, W, P)
                if bad is not None:  # restart diverged trials; their records stay NaN
                    W[bad] = W_init[bad]
                    fast.reset(bad)
                    if on_reset is not None:
                        on_reset(bad)
                    P = fast.logical()
                    W_eff = W + gamma * P if gamma else W
                    g = problem._grad(W_eff)
            problem._add_noise(W_eff, g, rng)
            g *= neg_lr
            fast.step(g, rng)  # (10)
            if (k + 1) % s.transfer_every == 0:
                read = fast.logical()
                if s.read_noise:
                    read = read + s.read_noise * rng.standard_normal(read.shape)
                W = transfer(W, read)
        P = fast.logical()
        W_eff = W + gamma * P if gamma else W
        rec.record(s.steps, problem._excess(W_eff), problem._grad(W_eff), W, P)
    return W


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

    Per step (paper 2 eqs. (10)-(11))::

        W_eff = W + gamma P
        P <- U_qP(P, -lr (grad f(W_eff) + eps))                        (10)
        every transfer_every steps:  W <- U_qW(W, transfer_lr (P + read_noise xi))   (11), §3.6

    ``gamma = 0`` is paper 1's analysed Tiki-Taka (§2.4, TT-P / TT-W), with the sign of P flipped:
    paper 1's P accumulates +gradient and the transfer subtracts it. analogkit's P is -P_paper1,
    so paper 1's algorithm on a fast device with response q equals this one on the mirrored
    device q~_+(w) = q_-(-w), q~_-(w) = q_+(-w) (``LinearDevice(tau, c)`` <-> ``LinearDevice(tau,
    -c)``); for mirror-symmetric responses such as paper 1's ALD the two are identical.
    ``gamma != 0`` is paper 2's residual learning (aihwkit W_eff = gamma A + C).

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

    The main array is clipped to its range after every expected-mode update (inactive while
    |dW| <= tau), and ``w0`` is clipped into it; in pulse mode both arrays get pulse trains from
    the same PulseConfig.

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
    s = _two_array_setup(
        problem,
        device,
        lr,
        transfer_lr,
        gamma,
        fast_device,
        transfer_every,
        zero_shift,
        read_noise,
        steps,
        trials,
        rng,
        pulse,
        w0,
        record_every,
        record_weights,
    )

    def transfer(W, read):  # (11)
        return _write(s.device, W, read * s.transfer_lr, s.pulse, s.clip, s.rng)

    W = _run_two_arrays(problem, s, transfer)
    return s.rec.finish(W, s.fast.logical(), s.meta("tiki_taka", problem))


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
    """TTv2 (Gokmen 2021) and residual learning v2 (paper 2 §5): a digital buffer between P and W.

    The fast array P is updated as in :func:`tiki_taka` (paper 2 eq. (10), gradient at
    W + gamma P). Every ``transfer_every`` steps P is read (with ``read_noise``) into a digital
    buffer H::

        decay=True  (RLv2, paper 2 eq. (14)):  H_half = (1 - transfer_lr) H + transfer_lr R
        decay=False (TTv2, paper 2 App. D):    H_half = H + transfer_lr R,     R = P + read_noise xi

    and wherever |H_half| >= threshold ONE pulse of the sign s of H_half is fired on W,
    W <- W + s threshold q_s(W) (the threshold plays the role of dw_min), and s threshold is
    subtracted from H (the remainder stays in the buffer). Paper 2's TTv2 has gamma = 0.

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
    decay = _flag("decay", decay)
    s = _two_array_setup(
        problem,
        device,
        lr,
        transfer_lr,
        gamma,
        fast_device,
        transfer_every,
        zero_shift,
        read_noise,
        steps,
        trials,
        rng,
        pulse,
        w0,
        record_every,
        record_weights,
        transfer_lr_high=1.0 if decay else np.inf,
    )
    if threshold is None:
        threshold = s.pulse.dw_min if s.pulse is not None else 1e-3
    threshold = param("threshold", threshold, 0.0)
    if np.ndim(threshold) != 0:
        raise ValueError("threshold must be a scalar")
    single = None if s.pulse is None else PulseConfig(threshold, 1, False, s.pulse.cycle_noise)
    H = np.zeros_like(s.W)
    keep = 1.0 - s.transfer_lr

    def transfer(W, read):
        if decay:  # RLv2, paper 2 eq. (14)
            H[...] *= keep
        H[...] += s.transfer_lr * read
        # one pulse of size threshold, sign of H, wherever |H| >= threshold
        dW = np.copysign(threshold, H)
        dW *= np.abs(H) >= threshold
        W = _write(s.device, W, dW, single, s.clip, s.rng)
        H[...] -= dW
        return W

    def on_reset(bad):
        H[bad] = 0.0

    W = _run_two_arrays(problem, s, transfer, on_reset)
    meta = s.meta("ttv2", problem, decay=decay, threshold=float(threshold), final_buffer=H)
    return s.rec.finish(W, s.fast.logical(), meta)
