"""The Tiki-Taka dashboard (notebook 04): residual learning against Analog SGD and digital SGD."""

from __future__ import annotations

import ipywidgets as W

import analogkit as ak
from analogkit import theory
from analogkit.plotting import plot_loss
from analogkit.style import COLORS
from analogkit.widgets import runs
from analogkit.widgets.base import Dashboard, Result, slider

__all__ = ["TikiTakaDashboard", "tiki_taka_dashboard"]


class TikiTakaDashboard(Dashboard):
    """Tiki-Taka / residual learning against Analog SGD and digital SGD on a 1-D quadratic."""

    name = "tiki-taka"
    w_star = 0.5
    steps = 800

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
        digital = runs.digital(self.w_star, noise, lr, self.steps)
        analog = runs.analog(self.w_star, noise, lr, tau, 0.0, self.steps)
        tt = runs.tiki_taka(
            self.w_star, noise, lr, transfer_lr, gamma, tau, asymmetry, zero_shift, self.steps
        )
        pmax = theory.tiki_taka_pmax(1.0, tau, 1, max(noise, 1e-12))
        numbers = {
            "final_loss_digital": digital.tail_mean("loss")
            if not digital.any_diverged
            else float("inf"),
            "final_loss_analog": analog.tail_mean("loss"),
            "final_loss_tiki_taka": tt.tail_mean("loss") if not tt.any_diverged else float("inf"),
            "w_tiki_taka": tt.tail_mean("weights")[0] if not tt.any_diverged else float("nan"),
            # gradient at the mixed weight W + gamma P (L = 1); its lr -> 0 theory g = c E|g + eps|
            "grad_tiki_taka": (
                float(tt.tail_mean("weights")[0] + gamma * tt.tail_mean("fast")[0]) - self.w_star
                if not tt.any_diverged
                else float("nan")
            ),
            "grad_theory": theory.residual_fixed_point_gradient(
                tau, asymmetry, noise, zero_shift=zero_shift
            ),
            "fast_symmetric_point": fast.symmetric_point,
            "thm4_ratio_33pmax2_over_tau2": pmax.ratio,
        }
        messages = []
        if digital.any_diverged:
            messages.append(
                f"Digital SGD diverged at lr = {lr:.3g} (≥ 2/L = 2); its curve is left out."
            )
        elif lr >= 2.0:
            messages.append(runs.UNSTABLE.format(lr=lr))
        if tt.any_diverged:
            messages.append("Tiki-Taka diverged for these learning rates; lower lr or transfer_lr.")
        if asymmetry != 0 and not zero_shift:
            messages.append(
                f"The fast array's symmetric point is {fast.symmetric_point:+.3f}, not 0: the transfer keeps "
                "pushing W and a bias returns (paper 2, Fig. 2). Tick zero_shift to subtract it."
            )
        if noise == 0:
            messages.append("No noise: every method converges; the differences need noise to show.")
        return Result(numbers, messages, {"digital": digital, "analog": analog, "tt": tt})

    def draw(self, fig, result):
        ax1, ax2 = fig.subplots(1, 2)
        d = result.data
        plot_loss(ax1, d["digital"], label="digital SGD", color=COLORS["digital"])
        plot_loss(ax1, d["analog"], label="Analog SGD", color=COLORS["analog"])
        plot_loss(ax1, d["tt"], label="Tiki-Taka / RL", color=COLORS["tiki-taka"])
        ax1.legend(loc="lower left")
        ax1.set_title("loss over steps (mean over trials)")
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
        g_theory = result.numbers["grad_theory"]
        if g_theory != 0:  # shifted fast array: W + gamma P settles at w* + c E|g + eps|
            ax2.axhline(
                self.w_star + g_theory,
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
