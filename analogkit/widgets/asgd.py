"""The Analog SGD dashboard (notebook 02): digital against Analog SGD, with the theory's floor."""

from __future__ import annotations

import analogkit as ak
from analogkit import theory
from analogkit.plotting import plot_level, plot_loss
from analogkit.style import COLORS
from analogkit.widgets import runs
from analogkit.widgets.base import Dashboard, Result, slider

__all__ = ["AsgdDashboard", "asgd_dashboard"]


class AsgdDashboard(Dashboard):
    """Digital SGD against Analog SGD on f = (w - w*)^2 / 2 with the theory's floor."""

    name = "asgd"
    w_star = 0.5

    def controls(self):
        return {
            "tau": slider("tau", 1.0, 0.55, 5.0, 0.05),
            "noise": slider("noise", 0.3, 0.0, 1.0, 0.01),
            "lr": slider("lr", 0.05, 0.005, 2.5, 0.05, log=True),
            "asymmetry": slider("asymmetry", 0.0, -0.99, 0.99, 0.01),
        }

    def simulate(self, tau, noise, lr, asymmetry):
        steps = runs.steps_for(lr)
        device = ak.LinearDevice(tau, asymmetry)  # validates tau and asymmetry with clear errors
        digital = runs.digital(self.w_star, noise, lr, steps)
        analog = runs.analog(self.w_star, noise, lr, tau, asymmetry, steps)
        w_fp = float(theory.asgd_fixed_point(1.0, self.w_star, tau, noise, asymmetry))
        floor = 0.5 * (w_fp - self.w_star) ** 2
        numbers = {
            "final_loss_digital": digital.tail_mean("loss")
            if not digital.any_diverged
            else float("inf"),
            "final_loss_analog": analog.tail_mean("loss"),
            "floor_theory": floor,
            "w_analog": analog.tail_mean("weights")[0],
            "w_fixed_point_theory": w_fp,
            "symmetric_point": device.symmetric_point,
        }
        messages = []
        if digital.any_diverged:
            messages.append(
                f"Digital SGD diverged (lr = {lr:.3g} ≥ 2/L = 2): its curve is left out. The analog weights "
                f"cannot run away: the device keeps them in [−τ, τ] = [−{tau:.3g}, {tau:.3g}]."
            )
        elif lr >= 2.0:
            messages.append(runs.UNSTABLE.format(lr=lr))
        if noise == 0:
            messages.append(
                "No gradient noise: Analog GD converges to w* exactly — no floor (paper 1, Thm. 9)."
            )
        if abs(asymmetry) >= 0.9:
            messages.append(
                f"Asymmetry {asymmetry:+.2f}: the symmetric point {device.symmetric_point:+.3f} is near the bound "
                "and the drift towards it dominates."
            )
        return Result(
            numbers, messages, {"digital": digital, "analog": analog, "floor": floor, "w_fp": w_fp}
        )

    def draw(self, fig, result):
        ax1, ax2 = fig.subplots(1, 2)
        d = result.data
        plot_loss(ax1, d["digital"], label="digital SGD", color=COLORS["digital"])
        plot_loss(ax1, d["analog"], label="Analog SGD", color=COLORS["analog"])
        plot_level(ax1, d["floor"], label="theory: floor ½(w̄−w*)²")
        ax1.legend(loc="lower left")
        ax1.set_title("loss over steps (mean over trials)")
        weights = d["analog"].weights[:, :, 0]
        ax2.plot(
            d["analog"].steps,
            weights.mean(axis=1),
            color=COLORS["analog"],
            label="Analog SGD mean w",
        )
        ax2.axhline(self.w_star, color=COLORS["digital"], lw=1, label="w*")
        ax2.axhline(
            d["w_fp"], color=COLORS["theory"], ls="--", lw=1.2, label="theory: fixed point w̄"
        )
        ax2.axhline(
            result.numbers["symmetric_point"], color="0.5", ls="-.", lw=0.8, label="symmetric point"
        )
        ax2.set_xlabel("step $k$")
        ax2.set_ylabel("weight")
        ax2.legend(loc="best")
        ax2.set_title("where Analog SGD settles")


def asgd_dashboard(**values) -> AsgdDashboard:
    """tau, noise, lr, asymmetry -> digital against analog loss curves with the theory's floor."""
    return AsgdDashboard(**values)
