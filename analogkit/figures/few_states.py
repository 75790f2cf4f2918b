"""Few states (notebook 05, paper 3): Analog SGD's floor against the number of states, and the
side-by-side problems it and the multi-tile figures (:mod:`analogkit.figures.multi_tile`) run on.

The 1-D quadratics f = (w - w*)^2 / 2 (w* = 0.3, Gaussian gradient noise) on a linear device with
range [-1, 1] and n states run side by side as the coordinates of one problem: coordinate d is
the same problem scaled by tau_d = n_d dw_min / 2 (weights, w*, noise and pulses all scale with
tau_d), so one pulse-level run covers every number of states, and errors are divided by tau_d^2.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib
import numpy as np

import analogkit as ak
from analogkit.figures._common import rng
from analogkit.figures._registry import FigureData, FigureSpec, Row, by_quantity

W_STAR, NOISE = 0.3, 0.05
_DW = 0.05  # the common pulse size of the side-by-side problems


@dataclass(frozen=True, eq=False)
class CoordinateNoise(ak.Noise):
    """Gaussian gradient noise whose standard deviation differs per coordinate."""

    std: np.ndarray

    def _sample(self, problem, W, rng):
        return rng.standard_normal(W.shape) * self.std

    def variance(self, problem):
        return float(np.sum(self.std**2))


class SideBySide:
    """Independent copies of the unit problem, coordinate d with n_states[d] states and noise
    noise[d] (both broadcast over each other and flattened)."""

    def __init__(self, n_states, noise=NOISE):
        n, s = np.broadcast_arrays(np.asarray(n_states, float), np.asarray(noise, float))
        self.shape = n.shape
        self.tau = n.ravel() * _DW / 2
        self.problem = ak.Quadratic(
            L=1.0, w_star=W_STAR * self.tau, noise=CoordinateNoise(s.ravel() * self.tau)
        )
        self.device, self.pulse = ak.LinearDevice(self.tau), ak.PulseConfig(_DW)

    def run(self, algorithm, *args, steps, trials, seed, **kw):
        """A seeded, quiet run with the weights recorded 100 times."""
        kw.update(steps=steps, trials=trials, rng=rng(seed), record_every=max(1, steps // 100))
        return ak.quietly(algorithm, self.problem, *args, record_weights=True, **kw)

    def mse(self, trace, fraction=0.5):
        """Mean over trials and the last `fraction` of the records of (W̄ - w*)^2 in unit range,
        per coordinate, in the shape of (n_states, noise)."""
        W = trace.effective_weights[trace.tail_slice(fraction)] / self.tau
        return ((W - W_STAR) ** 2).mean(axis=(0, 1)).reshape(self.shape)


# -- Analog SGD's floor against the number of states ---------------------------------------------


def compute_few_states_floor(quick: bool = False) -> FigureData:
    """Paper 3 Thm 1/2: Analog SGD's floor with n states and stochastic rounding, at three lr.

    f = (w - 0.3)^2/2 on a linear device with range [-1, 1] and n in {4, ..., 1000} states
    (dw_min = 2/n), pulse-level updates with stochastic rounding, Gaussian gradient noise of std
    0.3 (left) and 0.05 (right, the setting of the multi-tile figures). Simulated mean
    (w - w*)^2 over the second half of the run, against ``theory.few_states_floor`` (the
    gradient-noise floor plus the quantisation term) and its gradient-only part. The
    quantisation term tends to a constant as lr -> 0: no learning rate removes it. The theory is
    first order in lr and dw_min: at noise 0.3 and lr <= 0.1 it holds within 5 % from about 40
    states and underestimates below (x 2 at 4 states); at noise 0.05, where a pulse is large next
    to the noise, it underestimates up to about 100 states; at lr = 0.5 it is some 8 % high.
    """
    from analogkit import theory

    states = (4, 10, 40, 1000) if quick else (4, 6, 10, 20, 40, 100, 300, 1000)
    noises, lrs, trials = (0.3, NOISE), (0.5, 0.1, 0.02), 100 if quick else 200
    side = SideBySide(np.array(states)[:, None], noises)
    fine = np.unique(np.geomspace(4, 1000, 30).astype(int))

    def floor(s, lr, n):
        f = theory.few_states_floor(1.0, W_STAR, 1.0, s, lr, int(n))
        return f.mse, f.mse - f.var_quantisation

    sim, curves = {}, {}
    for lr in lrs:
        steps = max(1000, int(50 / lr)) if quick else max(2000, int(100 / lr))
        sim[lr] = side.mse(
            side.run(
                ak.analog_sgd,
                side.device,
                lr,
                pulse=side.pulse,
                steps=steps,
                trials=trials,
                seed=31,
            )
        )
        curves[lr] = [np.array([floor(s, lr, n) for n in fine]).T for s in noises]
    rows = []
    for j, s in enumerate(noises):
        for i, n in enumerate(states):
            if n in (4, 10, 40, 1000):
                total = floor(s, 0.1, n)[0]
                rows.append(
                    Row(
                        f"noise {s:g}, lr=0.1, {n} states: mean (w - w*)^2",
                        sim[0.1][i, j],
                        total,
                        f"theory; simulated / theory {sim[0.1][i, j] / total:.3g}",
                    )
                )
    i, j = states.index(10), noises.index(NOISE)
    for lr in lrs:
        total, gradient = floor(NOISE, lr, 10)
        rows.append(
            Row(
                f"noise {NOISE:g}, 10 states, lr={lr:g}: mean (w - w*)^2",
                sim[lr][i, j],
                total,
                f"theory; its gradient-only part {gradient:.3g}",
            )
        )
    limit = theory.few_states_floor(1.0, W_STAR, 1.0, NOISE, 1e-6, 10).var_quantisation
    rows.append(
        Row(
            f"noise {NOISE:g}, 10 states, lr=0.02: simulated - gradient-only theory",
            sim[0.02][i, j] - floor(NOISE, 0.02, 10)[1],
            limit,
            "the theory's quantisation term as lr -> 0",
        )
    )
    return FigureData(
        by_quantity(rows), states=states, noises=noises, lrs=lrs, sim=sim, fine=fine, curves=curves
    )


def draw_few_states_floor(fig, data: FigureData) -> None:
    axes = fig.subplots(1, 2, sharey=True)
    cmap = matplotlib.colormaps["viridis"]
    for j, (ax, s) in enumerate(zip(axes, data.noises)):
        for i, lr in enumerate(data.lrs):
            color = cmap(i / len(data.lrs))
            total, gradient = data.curves[lr][j]
            ax.plot(
                data.states, data.sim[lr][:, j], "o", color=color, label=f"simulated, lr = {lr:g}"
            )
            ax.plot(data.fine, total, "-", color=color, lw=1.2)
            ax.plot(data.fine, gradient, "--", color=color, lw=1)
        ax.plot(data.fine, (2 / data.fine) ** 2 / 12, ":", color="0.4", label="dw_min²/12")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("number of states n (dw_min = 2/n on [−1, 1])")
        ax.set_ylim(5e-5, 0.3)
        ax.set_title(f"gradient noise {s:g}")
    axes[0].plot([], [], "-", color="0.3", lw=1.2, label="theory: few_states_floor")
    axes[0].plot([], [], "--", color="0.3", lw=1, label="its gradient-only part")
    axes[0].set_ylabel("mean (w − w*)²")
    axes[0].legend(loc="lower left", fontsize=7)
    fig.suptitle(
        "Analog SGD with few states: a quantisation floor that no learning rate removes "
        "(the first-order theory is low for coarse pulses)"
    )


few_states_floor = FigureSpec(
    "few_states_floor",
    compute_few_states_floor,
    draw_few_states_floor,
    figsize=(11, 4.2),
    caption="Analog SGD's floor against the number of states, simulated and in theory.",
)
