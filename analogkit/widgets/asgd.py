"""The Analog SGD dashboard (notebook 02): digital against Analog SGD, with the theory's loss floor.

The number of steps follows the slowest rate of the run: Analog SGD relaxes towards its fixed
point w̄ at lr·h'(w̄) per step (h the mean drift of notebook 02 §3), which is small where the
symmetric point sits near the bound. A run that cannot get there within the step budget says so.
"""

from __future__ import annotations

import numpy as np

import analogkit as ak
from analogkit import theory
from analogkit.plotting import plot_level, plot_loss
from analogkit.style import COLORS
from analogkit.widgets import runs
from analogkit.widgets.base import Dashboard, Result, slider
from analogkit.widgets.notes import run_notes

#: time constants a run covers, and the step range (the most keeps a slider move within budget)
TIME_CONSTANTS = 8.0
MIN_STEPS, MAX_STEPS = 200, 2000
#: the loss floor is the lr -> 0 limit; it is drawn while the O(lr) term adds at most this much
MAX_LR_EXCESS = 1.0


def relaxation_rate(device, w_star, noise, w_bar) -> float:
    """h'(w̄): the slope of the mean drift h(w) = L(w - w*)F(w) + E|L(w - w*) + ε|G(w), L = 1."""

    def h(w):
        m = w - w_star
        return m * device.F(w) + theory.folded_normal_mean(m, noise) * device.G(w)

    dw = 1e-6 * device.tau
    return float((h(w_bar + dw) - h(w_bar - dw)) / (2 * dw))


def steps_for(lr, rate) -> tuple[int, int]:
    """(steps run, steps needed): TIME_CONSTANTS of the slower of lr·L and lr·rate, in range."""
    needed = int(np.ceil(TIME_CONSTANTS / (lr * min(1.0, rate))))
    return int(np.clip(needed, MIN_STEPS, MAX_STEPS)), needed


def _lr_excess(w_star, tau, noise, lr, asymmetry, floor):
    """How much the O(lr) fluctuations add to the loss floor at this lr (inf: no stationary state)."""
    if floor == 0:
        return 0.0
    try:
        m = theory.asgd_stationary_moments(1.0, w_star, tau, noise, lr, asymmetry)
    except ValueError:  # lr h'(w̄) >= 2: no stationary distribution around w̄
        return float("inf")
    return float(0.5 * ((m.mean - w_star) ** 2 + m.var) / floor - 1)


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
        device = ak.LinearDevice(tau, asymmetry)  # validates tau and asymmetry with clear errors
        w_fp = float(theory.asgd_fixed_point(1.0, self.w_star, tau, noise, asymmetry))
        rate = relaxation_rate(device, self.w_star, noise, w_fp)
        steps, needed = steps_for(lr, rate)
        digital = runs.digital(self.w_star, noise, lr, steps)
        analog = runs.analog(self.w_star, noise, lr, tau, asymmetry, steps)
        floor = 0.5 * (w_fp - self.w_star) ** 2
        excess = _lr_excess(self.w_star, tau, noise, lr, asymmetry, floor)
        draw_floor = excess <= MAX_LR_EXCESS and not analog.worsened.any()
        # a diverged run has no final loss: its number is left out and the message says why
        numbers = {} if digital.any_diverged else {"final_loss_digital": digital.tail_mean("loss")}
        numbers |= {
            "final_loss_analog": analog.tail_mean("loss"),
            "floor_theory": floor,
            "w_analog": analog.tail_mean("weights")[0],
            "w_fixed_point_theory": w_fp,
            "symmetric_point": device.symmetric_point,
            "steps": steps,
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
        notes = run_notes(analog, "Analog SGD")
        if needed > steps:
            notes = [n for n in notes if "not converged" not in n]
            notes.append(
                f"Analog SGD has not converged yet: near w̄ = {w_fp:.3f} the weight relaxes by "
                f"lr·h'(w̄) = {lr * rate:.2g} per step, so it needs about {needed} steps and the "
                f"dashboard runs {steps}. Its loss is still on the way to the floor: raise lr."
            )
        messages += notes
        if not draw_floor:
            why = (
                "the run ends with a loss above its start"
                if analog.worsened.any()
                else "the O(lr) fluctuations add more than the floor itself"
                + ("" if np.isinf(excess) else f" (+{excess:.0%} predicted)")
            )
            messages.append(
                f"No theory line: the loss floor ½(w̄ − w*)² = {floor:.2g} is the lr → 0 limit, and "
                f"at lr = {lr:.3g} {why}. Lower lr to see Analog SGD settle on it."
            )
        return Result(
            numbers,
            messages,
            {
                "digital": digital,
                "analog": analog,
                "floor": floor if draw_floor else None,
                "w_fp": w_fp,
            },
        )

    def draw(self, fig, result):
        ax1, ax2 = fig.subplots(1, 2)
        d = result.data
        plot_loss(ax1, d["digital"], label="digital SGD", color=COLORS["digital"])
        plot_loss(ax1, d["analog"], label="Analog SGD", color=COLORS["analog"])
        if d["floor"] is not None:
            plot_level(ax1, d["floor"], label="theory: loss floor ½(w̄−w*)²")
        ax1.legend(loc="lower left")
        ax1.set_title("loss over steps (mean, band 10-90 % of trials)")
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
