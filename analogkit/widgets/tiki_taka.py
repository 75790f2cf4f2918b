"""The Tiki-Taka dashboard (notebook 04): residual learning against Analog SGD and digital SGD."""

from __future__ import annotations

import ipywidgets as W
import numpy as np

import analogkit as ak
from analogkit import theory
from analogkit.plotting import plot_loss
from analogkit.style import COLORS
from analogkit.widgets import runs
from analogkit.widgets.base import Dashboard, Result, slider
from analogkit.widgets.notes import run_notes, settled


def _thm4_ratio(tau, noise) -> float:
    """33 P_max^2/tau^2 of paper 1 Thm 4 at D = 1 (noise > 0: Assumption 5 needs it)."""
    try:
        return float(theory.tiki_taka_pmax(1.0, tau, 1, noise).ratio)
    except ValueError as exc:  # the ratio beyond the float range: noise is too small to show
        raise ValueError(
            f"noise = {noise:g} is too small for Theorem 4's ratio 33 P_max^2/tau^2 to be a float; "
            f"use noise = 0 or a noise of at least 1e-150 ({exc})"
        ) from None


__all__ = ["TikiTakaDashboard", "tiki_taka_dashboard", "tiki_taka_steps"]

#: Tiki-Taka's step counts: at least the other methods' 800, at most what a slider move can afford
#: (p95 < 200 ms per move on a 2-core machine, benchmarks/bench_widgets.py)
MIN_STEPS, MAX_STEPS = 800, 3000

_NO_NOISE = (
    "No noise: digital and Analog SGD converge to w* exactly, with no floor (paper 1, Thm. 9). "
)
NO_NOISE_GAMMA0 = _NO_NOISE + (
    "Tiki-Taka at gamma = 0 does not settle: without noise nothing pulls the fast array back to 0 "
    "(paper 1 eq. (13) needs E|ε| > 0, its Assumption 5), so W and P keep oscillating around w* and "
    "die down only slowly. Raise gamma to damp them."
)
NO_NOISE_GAMMA = _NO_NOISE + (
    "Tiki-Taka converges too: with gamma > 0 the gradient at W + γP pulls the fast array back to 0, "
    "the job noise does at gamma = 0."
)
THEORY_LEFT_OUT = (
    "No theory line: w* + cE|g+ε| is where a settled run ends as lr → 0, and this run is not one "
    "(see the notes above)."
)


def tiki_taka_steps(lr: float, transfer_lr: float, gamma: float, tau: float, noise: float) -> int:
    """Steps for ~8 time constants of Tiki-Taka's slower array, in [MIN_STEPS, MAX_STEPS].

    With L = 1 the fast array relaxes at the rate lr·λ, λ = E|ε|/τ + γ (noise through its own
    asymmetry, plus γ's direct pull); the main array then follows like SGD with the effective rate
    transfer_lr/λ (notebook 04 §4-§5). Rounded up to a multiple of 100 steps.
    """
    lam = max(noise * np.sqrt(2 / np.pi) / tau + gamma, 1e-3)
    slowest = 1 / min(lr * lam, 1.0) + lam / transfer_lr
    return int(np.clip(100 * np.ceil(8 * slowest / 100), MIN_STEPS, MAX_STEPS))


class TikiTakaDashboard(Dashboard):
    """Tiki-Taka / residual learning against Analog SGD and digital SGD on a 1-D quadratic.

    Digital and Analog SGD run ``max(800, runs.steps_for(lr))`` steps; Tiki-Taka runs
    :func:`tiki_taka_steps`, enough for its slower array to settle (the number ``steps_tiki_taka``).
    A run that diverged, saturated, ended above its start or has not settled says so.
    """

    name = "tiki-taka"
    w_star = 0.5

    def controls(self):
        return {
            "lr": slider("lr", 0.1, 0.005, 2.5, 0.05, log=True),
            "transfer_lr": slider("transfer_lr", 0.05, 0.001, 1.0, 0.05, log=True),
            "gamma": slider("gamma", 0.0, 0.0, 1.0, 0.05),
            "tau": slider("tau", 1.0, 0.55, 5.0, 0.05),
            "noise": slider("noise", 0.3, 0.0, 1.0, 0.01),
            "asymmetry": slider("asymmetry", 0.0, -0.9, 0.9, 0.01),
            "zero_shift": W.Checkbox(description="zero_shift", value=False, indent=False),
        }

    def simulate(self, lr, transfer_lr, gamma, tau, noise, asymmetry, zero_shift):
        fast = ak.LinearDevice(tau, asymmetry)
        steps = max(MIN_STEPS, runs.steps_for(lr))
        tt_steps = tiki_taka_steps(lr, transfer_lr, gamma, tau, noise)
        digital = runs.digital(self.w_star, noise, lr, steps)
        analog = runs.analog(self.w_star, noise, lr, tau, 0.0, steps)
        tt = runs.tiki_taka(
            self.w_star, noise, lr, transfer_lr, gamma, tau, asymmetry, zero_shift, tt_steps
        )
        # a diverged run has no final numbers: they are left out and the message says why
        numbers = {} if digital.any_diverged else {"final_loss_digital": digital.tail_mean("loss")}
        numbers["final_loss_analog"] = analog.tail_mean("loss")
        if not tt.any_diverged:
            numbers |= {
                "final_loss_tiki_taka": tt.tail_mean("loss"),
                "w_tiki_taka": tt.tail_mean("weights")[0],
                # gradient at the mixed weight W + gamma P (L = 1); lr -> 0 theory g = c E|g + eps|
                "grad_tiki_taka": float(
                    tt.tail_mean("weights")[0] + gamma * tt.tail_mean("fast")[0]
                )
                - self.w_star,
            }
        numbers |= {
            "grad_theory": theory.residual_fixed_point_gradient(
                tau, asymmetry, noise, zero_shift=zero_shift
            ),
            "fast_symmetric_point": fast.symmetric_point,
            "steps_tiki_taka": tt_steps,
        }
        if noise > 0:  # without noise Thm 4 does not apply (Assumption 5): no ratio to show
            # D = 1: kappa = sqrt(2/pi) is admissible
            numbers["thm4_ratio_33pmax2_over_tau2"] = _thm4_ratio(tau, noise)
        messages = []
        if digital.any_diverged:
            messages.append(
                f"Digital SGD diverged at lr = {lr:.3g} (≥ 2/L = 2); its curve is left out."
            )
        elif lr >= 2.0:
            messages.append(runs.UNSTABLE.format(lr=lr))
        else:
            messages += run_notes(digital, "Digital SGD")
        messages += run_notes(analog, "Analog SGD")
        messages += run_notes(tt, "Tiki-Taka")
        healthy = not (tt.diverged.any() or tt.saturated.any() or tt.worsened.any())
        draw_theory = healthy and settled(tt) and numbers["grad_theory"] != 0
        if asymmetry != 0 and not zero_shift:
            messages.append(
                f"The fast array's symmetric point is {fast.symmetric_point:+.3f}, not 0: the transfer keeps "
                "pushing W and a bias returns (paper 2, Fig. 2). Tick zero_shift to subtract it."
            )
            if not draw_theory and noise > 0:
                messages.append(THEORY_LEFT_OUT)
        if noise == 0:
            messages.append(NO_NOISE_GAMMA0 if gamma == 0 else NO_NOISE_GAMMA)
        data = {"digital": digital, "analog": analog, "tt": tt, "draw_theory": draw_theory}
        return Result(numbers, messages, data)

    def draw(self, fig, result):
        # zero-shifting subtracts the symmetric point c tau: nothing to subtract at c = 0
        self.sliders["zero_shift"].disabled = result.numbers["fast_symmetric_point"] == 0
        ax1, ax2 = fig.subplots(1, 2)
        d = result.data
        plot_loss(ax1, d["digital"], label="digital SGD", color=COLORS["digital"])
        plot_loss(ax1, d["analog"], label="Analog SGD", color=COLORS["analog"])
        plot_loss(ax1, d["tt"], label="Tiki-Taka / RL", color=COLORS["tiki-taka"])
        ax1.legend(loc="lower left")
        ax1.set_title("loss over steps (mean, 10-90 % of trials shaded)")
        for key, label, color in (
            ("analog", "Analog SGD", COLORS["analog"]),
            ("tt", "Tiki-Taka W", COLORS["tiki-taka"]),
        ):
            tr = d[key]
            if not tr.any_diverged:
                ax2.plot(tr.steps, tr.weights[:, :, 0].mean(axis=1), color=color, label=label)
        if not d["tt"].any_diverged:
            ax2.plot(
                d["tt"].steps,
                d["tt"].fast[:, :, 0].mean(axis=1),
                color=COLORS["tiki-taka"],
                ls=":",
                label="fast array P",
            )
        ax2.axhline(self.w_star, color=COLORS["digital"], lw=1, label="w*")
        if d["draw_theory"]:  # shifted fast array: W + gamma P settles at w* + c E|g + eps|
            ax2.axhline(
                self.w_star + result.numbers["grad_theory"],
                color=COLORS["theory"],
                ls="--",
                lw=1.2,
                label="theory: W + γP = w* + cE|g+ε|",
            )
        ax2.set_xlabel("step $k$")
        ax2.set_ylabel("weight")
        ax2.legend(loc="best")
        ax2.set_title("mean weights")


def tiki_taka_dashboard(**values) -> TikiTakaDashboard:
    """lr, transfer_lr, gamma, tau, noise, fast-array asymmetry (+ zero-shift) -> the three methods."""
    return TikiTakaDashboard(**values)
