"""Pipeline training (notebook 07, analogkit's model of paper 4's setting, arXiv:2410.15155):
clock cycles of the synchronous and asynchronous schedules, and how gradient staleness meets
device asymmetry on a quadratic.

* :func:`cycles_derivation` -- in sympy: the cycles for K samples in each mode, the bubble
  fraction and the speed-up's limit (M + S - 1)/M; :func:`cycles` is its numeric form.
* :func:`schedule` -- who does what in every cycle: the table of forward (F) and backward (B)
  passes of each micro-batch at each stage, built cycle by cycle from the dependencies alone.
* :func:`delay_stability_derivation` / :func:`delay_stability_limit` -- gradient descent with
  delay d on curvature L, e_{k+1} = e_k - lr L e_{k-d}, is stable iff lr L < 2 sin(pi/(2(2d+1))).
* :func:`delayed_asgd_moments` -- first-order (mean-field, linearised) model of Analog SGD on
  f = L/2 (w - w*)^2, LinearDevice(tau), with a gradient d steps stale: the fixed point does not
  depend on d; the stationary variance, the loss floor and the stability do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from analogkit._validate import integer, scalar
from analogkit.theory._core import Derivation, check
from analogkit.theory.asgd import asgd_fixed_point
from analogkit.theory.folded_normal import folded_normal_mean

__all__ = [
    "cycles_derivation",
    "cycles",
    "schedule",
    "delay_stability_derivation",
    "delay_stability_limit",
    "DelayedMoments",
    "delayed_asgd_moments",
]

S, M, b, K, d = sp.symbols("S M b K d", positive=True)
MODES = ("sync", "async")
MAX_CYCLES = 10_000  # the largest schedule table drawn


def cycles_derivation() -> Derivation:
    """The clock cycles each mode needs for K samples (micro-batches of b samples, S stages, M
    micro-batches per synchronous update), verified step by step.

    Sync: forward passes of M micro-batches through S stages end at cycle M + S - 1 (the last
    micro-batch enters stage 1 at cycle M and needs S - 1 more), the backward passes take as many:
    2(M + S - 1) cycles per update of M b samples. Async (1F1B): micro-batch 1 is done after 2S
    cycles, every further one 2 cycles later: 2S + 2(K/b - 1) = 2(S - 1) + 2K/b.
    """
    per_update = 2 * (M + S - 1)
    sync = per_update * K / (M * b)
    async_ = 2 * S + 2 * (K / b - 1)
    busy = 2 * M  # cycles a stage works per synchronous update
    steps = [
        check(sync, 2 * K * (M + S - 1) / (M * b), "sync: K/(M b) updates of 2(M + S - 1) cycles"),
        check(async_, 2 * (S - 1) + 2 * K / b, "async: 2S for the first micro-batch, 2 per next"),
        check(1 - busy / per_update, (S - 1) / (M + S - 1), "sync bubble fraction"),
        check(sp.limit(sync / async_, K, sp.oo), (M + S - 1) / M, "speed-up sync/async as K -> oo"),
        check(sp.limit(sync / async_, K, sp.oo).subs({M: 1}), S, "M = 1: S times fewer cycles"),
    ]
    results = {
        "sync": sync,
        "async": async_,
        "bubble": (S - 1) / (M + S - 1),
        "speedup_limit": (M + S - 1) / M,
    }
    return Derivation("pipeline cycles", steps, results)


def _counts(name, value, high=MAX_CYCLES):
    value = integer(name, value, 1)
    if value > high:
        raise ValueError(f"{name} must lie in [1, {high}], got {value}")
    return value


def cycles(samples, stages: int, micro_batches: int = 1, mode: str = "sync", micro_batch=1):
    """Clock cycles to process ``samples`` samples (numeric form of :func:`cycles_derivation`).

    Args:
        samples: K, a whole number of updates' worth: a multiple of M b (sync) or b (async), >= 0.
        stages: S, integer in [1, 10000].
        micro_batches: M (sync), integer in [1, 10000]; ignored by async.
        mode: "sync" or "async".
        micro_batch: b, samples per micro-batch, integer >= 1.

    Returns:
        The cycles as a float (array for an array of samples).
    """
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    Sv, Mv = _counts("stages", stages), _counts("micro_batches", micro_batches)
    bv = integer("micro_batch", micro_batch, 1)
    k = np.asarray(samples, dtype=float)
    if k.dtype.kind not in "fiu" or np.any(~np.isfinite(k)) or np.any(k < 0):
        raise ValueError(f"samples must be finite and >= 0, got {samples!r}")
    per = Mv * bv if mode == "sync" else bv
    if np.any(k % per):
        raise ValueError(f"samples must be a multiple of {per} (one update's samples)")
    if mode == "sync":
        out = 2.0 * (Mv + Sv - 1) * k / (Mv * bv)
    else:
        out = np.where(k > 0, 2.0 * (Sv - 1) + 2.0 * k / bv, 0.0)
    return float(out) if out.ndim == 0 else out


def schedule(stages: int, micro_batches: int, mode: str = "sync") -> list[list[str]]:
    """The pipeline's work, cycle by cycle: ``rows[t][s]`` is what stage s + 1 does in cycle t + 1,
    "F3" (forward of micro-batch 3), "B3" (its backward) or "" (idle).

    Built from the dependencies only: a forward needs the previous stage's forward of the same
    micro-batch in an earlier cycle, a backward the next stage's backward (the last stage: its own
    forward). Sync does all M forwards, then the backwards (GPipe), and ends when the pipeline
    has drained; async (1F1B) prefers a backward, and stage s keeps at most S - s + 1 micro-batches
    in flight, until M micro-batches are done.
    """
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    n_stages = _counts("stages", stages, 64)
    n_micro = _counts("micro_batches", micro_batches, 256)
    fwd = [[0] * (n_micro + 1) for _ in range(n_stages)]  # cycle of F(s, m), 0 = not yet
    bwd = [[0] * (n_micro + 1) for _ in range(n_stages)]
    nf, nb = [1] * n_stages, [1] * n_stages  # next micro-batch to forward / backward
    rows = []
    t = 0
    while nb[0] <= n_micro:
        t += 1
        row = []
        for s in range(n_stages):
            m, mb = nf[s], nb[s]
            can_f = m <= n_micro and (s == 0 or 0 < fwd[s - 1][m] < t)
            last = s == n_stages - 1
            can_b = mb < nf[s] and (0 < fwd[s][mb] < t if last else 0 < bwd[s + 1][mb] < t)
            if mode == "sync":
                can_b = can_b and nf[s] > n_micro  # GPipe: backwards after every forward
            else:
                can_f = can_f and m - mb < n_stages - s  # 1F1B: at most S - s + 1 in flight
            if can_b:
                bwd[s][mb], nb[s] = t, mb + 1
                row.append(f"B{mb}")
            elif can_f:
                fwd[s][m], nf[s] = t, m + 1
                row.append(f"F{m}")
            else:
                row.append("")
        rows.append(row)
        if t > MAX_CYCLES:  # cannot happen for valid inputs; a guard against an endless loop
            raise RuntimeError("schedule did not finish")
    return rows


def delay_stability_derivation() -> Derivation:
    """Gradient descent with delay d, e_{k+1} = e_k - c e_{k-d} (c = lr L): the characteristic
    polynomial z^(d+1) - z^d + c has a root on the unit circle, z = exp(i theta), exactly when
    c = 2 sin(theta/2) and theta = pi/(2d + 1); for smaller c every root is inside (d = 0: c < 2).
    """
    theta = sp.symbols("theta", positive=True)
    crit = 2 * sp.sin(sp.pi / (2 * (2 * d + 1)))
    steps = [
        check(
            sp.exp(sp.I * theta) - 1,
            2 * sp.I * sp.sin(theta / 2).rewrite(sp.exp) * sp.exp(sp.I * theta / 2),
            "z - 1 = 2i sin(theta/2) exp(i theta/2), so z^(d+1) - z^d + c = 0 needs "
            "c = -2i sin(theta/2) exp(i theta (d + 1/2))",
        ),
        check(
            sp.pi / (2 * d + 1) * (d + sp.Rational(1, 2)),
            sp.pi / 2,
            "c real > 0 needs theta (d + 1/2) = pi/2: theta = pi/(2d + 1)",
        ),
        check(
            -2 * sp.I * sp.sin(theta / 2) * sp.exp(sp.I * sp.pi / 2),
            2 * sp.sin(theta / 2),
            "then c = 2 sin(theta/2) = 2 sin(pi/(2(2d + 1)))",
        ),
        check(crit.subs(d, 0), 2, "no delay: lr L < 2"),
    ]
    return Derivation("delayed gradient descent stability", steps, {"limit": crit})


def delay_stability_limit(delay) -> float:
    """The largest stable lr L of gradient descent with a gradient ``delay`` steps stale,
    2 sin(pi/(2(2d + 1))) (numeric form of :func:`delay_stability_derivation`)."""
    dv = integer("delay", delay, 0)
    return float(2 * np.sin(np.pi / (2 * (2 * dv + 1))))


@dataclass(frozen=True)
class DelayedMoments:
    """First-order stationary moments of Analog SGD with a stale gradient.

    Attributes:
        mean: the fixed point w_bar (independent of the delay).
        var: the stationary variance of w around it (inf where unstable).
        floor: L/2 ((w_bar - w*)^2 + var), the model's loss floor.
        stable: whether the linearised recursion is stable.
        radius: spectral radius of the linearised recursion.
    """

    mean: float
    var: float
    floor: float
    stable: bool
    radius: float


def delayed_asgd_moments(L, w_star, tau, noise_std, lr, delay) -> DelayedMoments:
    """Analog SGD on f = L/2 (w - w*)^2 with LinearDevice(tau) (paper 1's ALD, symmetric point 0)
    and a gradient ``delay`` steps stale, w_{k+1} = w_k - lr g_k - (lr/tau)|g_k| w_k,
    g_k = L (w_{k-d} - w*) + eps_k, eps ~ N(0, s^2) (the update acts on the current weight, as an
    asynchronous stage's does).

    Mean field: in the stationary state w_{k-d} has the law of w_k, so the fixed point solves
    the undelayed equation (:func:`analogkit.theory.asgd_fixed_point`): the drift towards the
    symmetric point does not depend on d. Linearised around it, with m = L (w_bar - w*),
    A = E|m + eps|, rho = erf(m/(s sqrt 2)) = dA/dm, e = w - w_bar::

        e_{k+1} = (1 - lr A/tau) e_k - lr L (1 + rho w_bar/tau) e_{k-d} + xi_k,
        Var xi = lr^2 (s^2 (1 + 2 rho w_bar/tau) + (w_bar/tau)^2 (m^2 + s^2 - A^2))

    (Cov(eps, |m + eps|) = s^2 rho by Stein's lemma), whose stationary variance solves the discrete
    Lyapunov equation of its companion form. Holds while lr L and lr s/tau are small and the
    recursion is stable; it ignores the curvature of |.| beyond first order.

    Args:
        L: curvature, > 0.  w_star: minimiser, |w*| < tau.  tau: saturation level, > 0.
        noise_std: s, > 0.  lr: learning rate, > 0.  delay: d, integer in [0, 30].
    """
    L = scalar("L", L, 0.0)
    tau = scalar("tau", tau, 0.0)
    w_star = scalar("w_star", w_star, -tau, tau)
    s = scalar("noise_std", noise_std, 0.0, 1e6 * L * tau)
    lr = scalar("lr", lr, 0.0, 1e6 / L)
    dv = integer("delay", delay, 0)
    if dv > 30:
        raise ValueError(f"delay must lie in [0, 30], got {dv}")
    w_bar = float(asgd_fixed_point(L, w_star, tau, s))
    m = L * (w_bar - w_star)
    A = float(folded_normal_mean(m, s))
    rho = float(sp.erf(m / (s * np.sqrt(2))))
    r = w_bar / tau
    a, c = 1 - lr * A / tau, lr * L * (1 + rho * r)
    q = lr**2 * (s**2 * (1 + 2 * rho * r) + r**2 * (m**2 + s**2 - A**2))
    n = dv + 1  # state (e_k, ..., e_{k-d})
    comp = np.zeros((n, n))
    comp[0, 0] += a
    comp[0, dv] -= c
    comp[1:, :-1] += np.eye(n - 1)
    radius = float(np.max(np.abs(np.linalg.eigvals(comp))))
    stable = radius < 1
    if stable:
        # X = comp X comp^T + q e0 e0^T, vectorised: (I - comp (x) comp) vec X = q vec(e0 e0^T)
        rhs = np.zeros(n * n)
        rhs[0] = q
        var = float(np.linalg.solve(np.eye(n * n) - np.kron(comp, comp), rhs)[0])
    else:
        var = float("inf")
    floor = 0.5 * L * ((w_bar - w_star) ** 2 + var)
    return DelayedMoments(w_bar, var, floor, stable, radius)
