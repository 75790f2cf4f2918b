"""The multi-tile dashboard (notebook 05): residual learning over several few-state tiles.

Paper 3's multi-tile residual learning (:func:`analogkit.multi_tile`, Cor. 1's schedule,
transfer_lr = gamma^2) on f = (w - 0.3)^2 / 2 with Gaussian gradient noise, every tile a linear
device on [-1, 1] with ``n_states`` states and stochastic rounding: the floor mean (W̄ - w*)^2
over the steps and the trajectories of W̄ and of each tile.
"""

from __future__ import annotations

import functools

import numpy as np

import analogkit as ak
from analogkit.plotting import plot_message
from analogkit.style import COLORS
from analogkit.widgets import runs
from analogkit.widgets.base import Dashboard, Result, int_slider, slider

__all__ = ["MultiTileDashboard", "multi_tile_dashboard"]

W_STAR = 0.3
STEPS = 240
#: colours of the tiles W0, W1, ... in the trajectory panel
TILE_COLORS = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2")


@functools.lru_cache(maxsize=64)
def multi_tile_run(n_states, tiles, gamma, noise, lr):
    """The seeded multi-tile run behind the dashboard (runs.TRIALS trials, STEPS steps)."""
    device = ak.LinearDevice(1.0)
    return ak.quietly(
        ak.multi_tile,
        ak.Quadratic(L=1.0, w_star=W_STAR, dim=1, noise=ak.GaussianNoise(noise)),
        device,
        lr,
        gamma**2,
        gamma,
        tiles=tiles,
        pulse=ak.PulseConfig.for_states(device, n_states),
        steps=STEPS,
        trials=runs.TRIALS,
        rng=np.random.default_rng(runs.SEED),
        record_every=STEPS // 100,
        record_weights=True,
    )


def _mse(trace):
    """Mean over the trials that did not diverge of (W̄ - w*)^2 at every record (None if none)."""
    ok = ~trace.diverged
    if not ok.any():
        return None
    return ((trace.effective_weights[:, ok, 0] - W_STAR) ** 2).mean(axis=1)


class MultiTileDashboard(Dashboard):
    """Multi-tile residual learning with few states: the floor and the tiles' trajectories."""

    name = "multi-tile"

    def controls(self):
        return {
            "n_states": int_slider("n_states", 10, 4, 100),
            "tiles": int_slider("tiles", 2, 1, 5),
            "gamma": slider("gamma", 0.3, 0.05, 0.6, 0.01),
            "noise": slider("noise", 0.05, 0.0, 0.3, 0.01),
            "lr": slider("lr", 0.5, 0.02, 1.0, 0.05, log=True),
        }

    def simulate(self, n_states, tiles, gamma, noise, lr):
        tr = multi_tile_run(n_states, tiles, gamma, noise, lr)
        dw = 2.0 / n_states
        period = int(np.prod(tr.meta["inner_steps"])) if tiles > 1 else 1
        t_min = W_STAR * period / gamma**2 if tiles > 1 else 0.0
        mse = _mse(tr)
        # without a simulated floor (every trial diverged) the number is left out; run_notes say why
        numbers = {} if mse is None else {"floor_simulated": mse[tr.tail_slice(0.5)].mean()}
        numbers |= {
            "floor_digital_sgd": lr * noise**2 / (2 - lr),
            "grid_dw_min2_over_12": dw**2 / 12,
            "cor1_order_constant_1": float(
                ak.theory.corollary_1_floor(gamma, tiles, max(noise, 1e-12), dw)
            ),
            "steps_between_tile0_updates": period,
            "t_min_steps": t_min,
        }
        messages = []
        if STEPS < 10 * t_min:
            messages.append(
                f"Not converged: tile 0 moves once every {period} steps and can reach w* no sooner "
                f"than about {t_min:.0f} steps (each move adds at most γ² = {gamma**2:.3g}); this "
                f"run has {STEPS}. Cor. 1's schedule makes the period grow like γ^-(2N−1): use "
                "fewer tiles or a larger γ."
            )
        if tr.any_diverged:
            messages.append(f"{int(tr.diverged.sum())} of {tr.trials} trials diverged: lower lr.")
        if tr.saturated.mean() > 0.1:
            messages.append(
                f"{int(tr.saturated.sum())} of {tr.trials} trials saturated: a tile ends at the "
                "bound ±1 of its range (its residual needs more than a tile can hold)."
            )
        elif tr.worsened.any():
            messages.append(f"{int(tr.worsened.sum())} trials end worse than they started.")
        if gamma > 1 / np.sqrt(6):
            messages.append(f"γ = {gamma:.2f} is above Cor. 1's range γ ≤ 1/√6 ≈ 0.41.")
        if tiles > 1 and gamma < 1 / n_states:
            messages.append(
                f"γ = {gamma:.2f} is below 1/n_states = {1 / n_states:.3f}; paper 3 suggests γ "
                "slightly above it."
            )
        if noise == 0:
            messages.append("No gradient noise: the only randomness is the rounding to pulses.")
        return Result(numbers, messages, {"trace": tr})

    def draw(self, fig, result):
        ax1, ax2 = fig.subplots(1, 2)
        tr, n = result.data["trace"], result.numbers
        if tr.diverged.all():
            for ax in (ax1, ax2):
                plot_message(ax, "every trial diverged: lower lr")
            return
        ax1.plot(tr.steps, _mse(tr), color=COLORS["residual"], label="mean (W̄ − w*)²")
        ax1.axhline(n["grid_dw_min2_over_12"], color="0.4", ls=":", label="dw_min²/12")
        if n["floor_digital_sgd"] > 0:
            ax1.axhline(
                n["floor_digital_sgd"], color=COLORS["digital"], ls="--", label="digital SGD"
            )
        ax1.set_yscale("log")
        ax1.set_xlabel("step $k$")
        ax1.set_ylabel("mean (W̄ − w*)²")
        ax1.legend(loc="upper right")
        ax1.set_title("the floor over the steps")
        ok = ~tr.diverged
        for i, name in enumerate(tr.tiles):
            ax2.plot(
                tr.steps,
                tr.tiles[name][:, ok, 0].mean(axis=1),
                color=TILE_COLORS[i],
                lw=1,
                label=name,
            )
        ax2.plot(
            tr.steps, tr.effective_weights[:, ok, 0].mean(axis=1), color=COLORS["analog"], label="W̄"
        )
        ax2.axhline(W_STAR, color=COLORS["digital"], lw=1, label="w*")
        ax2.set_xlabel("step $k$")
        ax2.set_ylabel("weight (mean over trials)")
        ax2.legend(loc="best")
        ax2.set_title("W̄ = Σ γⁿ W⁽ⁿ⁾ and each tile")


def multi_tile_dashboard(**values) -> MultiTileDashboard:
    """n_states, tiles, gamma, noise, lr -> the multi-tile floor and the tiles' trajectories."""
    return MultiTileDashboard(**values)
