"""The lower-bound dashboard (notebook 03): paper 1's Thm. 3 instance behind sliders.

The simulated gradient floor of Analog SGD on the instance, against the derived floor σ²S(w),
its O(lr)-corrected value and the printed constant 4σ²S. The run starts at w* and relaxes to the
stationary weight w̄ at lr·h'(w̄) per step (h the mean drift of notebook 03 §6); the floor is the
mean over the second half, so the run covers twice the steps that relaxation needs, within a
budget, and says so when that is not enough.
"""

from __future__ import annotations

import numpy as np

import analogkit as ak
from analogkit import theory
from analogkit.plotting import plot_level, plot_loss, plot_message
from analogkit.style import COLORS
from analogkit.widgets import runs
from analogkit.widgets.base import Dashboard, Result, slider
from analogkit.widgets.notes import run_notes

__all__ = ["LowerBoundDashboard", "lower_bound_dashboard"]


class LowerBoundDashboard(Dashboard):
    """Paper 1's lower-bound instance: the simulated gradient floor against the derived and printed constants."""

    name = "lower-bound"
    lr = 0.01
    #: time constants of relaxation before the averaged second half, and the step range
    time_constants = 4.0
    min_steps, max_steps = 800, 2000

    def controls(self):
        return {
            "sigma": slider("sigma", 0.1, 0.0, 0.4, 0.01),
            "tau": slider("tau", 1.0, 0.3, 3.0, 0.05),
            "w_star": slider("w_star", 0.2, -0.75, 0.75, 0.01),
        }

    def simulate(self, sigma, tau, w_star):
        if abs(w_star) >= tau:
            raise ValueError(
                f"w_star = {w_star:g} must lie inside the device range (-tau, tau) = "
                f"({-tau:g}, {tau:g}): move w_star towards 0 or raise tau"
            )
        w_stat = float(theory.lower_bound_stationary_w(sigma, w_star, tau))
        needed = 2 * int(
            np.ceil(self.time_constants / (self.lr * relaxation_rate(sigma, tau, w_star, w_stat)))
        )
        steps = int(np.clip(needed, self.min_steps, self.max_steps))
        tr = runs.lower_bound(sigma, tau, w_star, self.lr, steps)
        derived = float(theory.lower_bound_floor(sigma, w_stat, tau))
        moments = theory.lower_bound_stationary_moments(sigma, w_star, tau, self.lr)
        at_lr = float(moments.grad_norm2)
        numbers = {
            "floor_simulated": tr.tail_mean("grad_norm2", 0.5),
            "floor_theory": derived,
            "floor_theory_at_lr": at_lr,
            "floor_printed_4sigma2S": 4 * derived,
            "w_stationary_theory": w_stat,
            "w_simulated": tr.tail_mean("weights", 0.5)[0],
            "steps": steps,
        }
        messages = run_notes(tr, "Analog SGD")
        if needed > steps:
            messages = [m for m in messages if "not converged" not in m]
            messages.append(
                f"Not converged yet: the weight relaxes towards w̄ = {w_stat:.3f} slowly here, and "
                f"averaging after it settles would need about {needed} steps; the dashboard runs "
                f"{steps}. The simulated floor is not yet the stationary one."
            )
        if abs(w_star) > tau / 4 or sigma > tau / (4 * np.sqrt(3)):
            messages.append(
                "Outside the instance's assumptions (|w*| ≤ τ/4 and σ ≤ τL√D/(4√3)): the simulation still "
                "runs, but paper 1's Lemma 2 no longer guarantees |w| ≤ τ/2."
            )
        if sigma == 0:
            messages.append("σ = 0: no noise, no floor — the weight stays at w*.")
        elif at_lr > 1.25 * derived:
            extra = "" if derived == 0 else f" (+{at_lr / derived - 1:.0%} here)"
            messages.append(
                f"At lr = {self.lr:g} the weight fluctuates around its stationary value, which adds "
                f"an O(lr) term to ‖∇f‖²{extra}: the simulation follows σ²S + O(lr) (dash-dotted); "
                "σ²S is its lr → 0 limit."
            )
        return Result(numbers, messages, {"trace": tr})

    def draw(self, fig, result):
        ax1, ax2 = fig.subplots(1, 2)
        tr, n = result.data["trace"], result.numbers
        if not np.any(tr.grad_norm2 > 0):  # sigma = 0: nothing to draw on a log scale
            plot_message(ax1, "σ = 0: ‖∇f(W_k)‖² = 0 at every step — no floor")
        else:
            plot_loss(
                ax1, tr, quantity="grad_norm2", label="simulated ‖∇f‖²", color=COLORS["analog"]
            )
            plot_level(ax1, n["floor_theory"], label="derived σ²S(w)")
            plot_level(
                ax1,
                n["floor_theory_at_lr"],
                label="σ²S + O(lr) term",
                color=COLORS["theory"],
                ls="-.",
            )
            plot_level(ax1, n["floor_printed_4sigma2S"], label="printed 4σ²S", color="0.4", ls=":")
            ax1.legend(loc="lower right")
        ax1.set_title("gradient floor of the lower-bound instance")
        ax2.plot(tr.steps, tr.weights[:, :, 0].mean(axis=1), color=COLORS["analog"], label="mean w")
        ax2.axhline(
            n["w_stationary_theory"], color=COLORS["theory"], ls="--", label="theory: stationary w"
        )
        ax2.set_xlabel("step $k$")
        ax2.set_ylabel("weight")
        ax2.legend(loc="best")
        ax2.set_title("the weight drifts towards 0 and stops")


def relaxation_rate(sigma, tau, w_star, w_bar, L=1.0) -> float:
    """h'(w̄) for h(w) = L(w − w*) + (w/τ)·E|L(w − w*) + ξ| with the instance's two-point noise ξ.

    L + σ/τ at w̄ = w* = 0, close to it for small w̄/τ; L for σ = 0 (the weight does not move).
    """
    if sigma == 0:
        return L
    noise = ak.LowerBoundNoise(sigma, tau)

    def h(w):
        hi, lo, p = noise.values(w, 1)
        g = L * (w - w_star)
        return g + (w / tau) * (p * np.abs(g + hi) + (1 - p) * np.abs(g + lo))

    dw = 1e-6 * tau
    return float((h(w_bar + dw) - h(w_bar - dw)) / (2 * dw))


def lower_bound_dashboard(**values) -> LowerBoundDashboard:
    """sigma, tau, w* -> the lower-bound instance's simulated floor against theory."""
    return LowerBoundDashboard(**values)
