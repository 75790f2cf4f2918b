"""Dashboards: sliders wired to simulations and plots, for the notebooks and the Voilà explorer.

Each factory returns a :class:`Dashboard`. Displaying it shows sliders, a figure (an
``ipywidgets.Image`` holding an SVG re-drawn on each change by ``analogkit.svg``, so that a slider
answers well under 200 ms), the key numbers and a message line that
explains extreme settings (a diverging learning rate, no noise, asymmetry near 1) instead of a
traceback. ``dashboard.compute(**params)`` returns the numbers for any parameters without
touching the widgets, so tests and the browser checks can compare against it.

DOM contract (used by the browser tests): the dashboard box has classes ``ak-dashboard`` and
``ak-<name>``; each slider has ``description`` = parameter name and class ``ak-slider-<param>``;
the figure has class ``ak-figure``; the numbers are ``<span class="ak-num" data-key=KEY>`` inside
class ``ak-numbers``; the message has class ``ak-message``.

Simulations are cached per algorithm and parameters, so moving a slider re-runs only the
algorithms that depend on it. Imports everything below it; nothing imports widgets.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field

import ipywidgets as W
import numpy as np

from analogkit import algorithms as alg
from analogkit import devices as dv
from analogkit import problems as pb
from analogkit import theory
from analogkit.plotting import plot_level, plot_loss, plot_pulse_staircase, plot_response
from analogkit.pulses import PulseConfig, pulse_response
from analogkit.style import COLORS
from analogkit.svg import SvgFigure
from analogkit.trace import quietly

__all__ = [
    "Dashboard",
    "Result",
    "device_dashboard",
    "asgd_dashboard",
    "lower_bound_dashboard",
    "tiki_taka_dashboard",
]

SEED = 2024
TRIALS = 200
_UNSTABLE = (
    "lr = {lr:.3g} ≥ 2/L = 2: digital SGD is unstable here (each step multiplies the error by "
    "|1 − lr·L| ≥ 1); it has not blown up within these steps, but it does not converge."
)


@dataclass
class Result:
    """What one set of slider values produces: key numbers, messages and data to draw."""

    numbers: dict
    messages: list = field(default_factory=list)
    data: dict = field(default_factory=dict)


class Dashboard:
    """Sliders -> simulate -> draw. Subclasses define ``name``, ``controls``, ``simulate``, ``draw``."""

    name = "dashboard"
    size = (900, 330)  # px

    def __init__(self, **values):
        self.sliders = self.controls()
        for key, widget in self.sliders.items():
            widget.add_class(f"ak-slider-{key}")
        self.defaults = {k: w.value for k, w in self.sliders.items()}
        for key, value in values.items():
            if key not in self.sliders:
                raise ValueError(
                    f"{type(self).__name__} has no parameter {key!r}; choose from {list(self.sliders)}"
                )
            self.sliders[key].value = value
        self.figure = SvgFigure(*self.size)
        self.image = W.Image(format="svg+xml", layout=W.Layout(max_width="100%")).add_class(
            "ak-figure"
        )
        self.numbers_html = W.HTML().add_class("ak-numbers")
        self.message = W.HTML().add_class("ak-message")
        controls = W.GridBox(
            list(self.sliders.values()),
            layout=W.Layout(grid_template_columns="repeat(3, minmax(240px, 1fr))"),
        )
        self.widget = W.VBox([controls, self.image, self.numbers_html, self.message])
        self.widget.add_class("ak-dashboard")
        self.widget.add_class(f"ak-{self.name}")
        self.numbers: dict = {}
        self.last_seconds = float("nan")
        self.refresh()
        for widget in self.sliders.values():
            widget.observe(self._on_change, names="value")

    # -- to be defined by each dashboard ---------------------------------------------------------
    def controls(self) -> dict:
        raise NotImplementedError

    def simulate(self, **params) -> Result:
        raise NotImplementedError

    def draw(self, fig: SvgFigure, result: Result) -> None:
        raise NotImplementedError

    # -- shared machinery ------------------------------------------------------------------------
    def params(self) -> dict:
        """The current slider values."""
        return {k: w.value for k, w in self.sliders.items()}

    def result(self, **params) -> Result:
        """Numbers, messages and data for these parameters (defaults for the others), not drawn."""
        unknown = set(params) - set(self.defaults)
        if unknown:
            raise ValueError(
                f"unknown parameter(s) {sorted(unknown)}; choose from {list(self.defaults)}"
            )
        return self.simulate(**{**self.defaults, **params})

    def compute(self, **params) -> dict:
        """The key numbers for these parameters (defaults for the others), without the widgets."""
        return self.result(**params).numbers

    def reset(self) -> None:
        """Put every slider back to its default (only the moved ones: each move redraws)."""
        for key, value in self.defaults.items():
            if self.sliders[key].value != value:
                self.sliders[key].value = value

    def refresh(self) -> None:
        """Re-run the simulation for the current slider values and redraw."""
        start = time.perf_counter()
        try:
            result = self.simulate(**self.params())
        except ValueError as exc:  # invalid combination: say so, keep the last figure
            self.message.value = f"<b>Cannot run with these values:</b> {_escape(str(exc))}"
            self.last_seconds = time.perf_counter() - start
            return
        self.figure.clear()
        self.draw(self.figure, result)
        self.image.value = self.figure.to_svg().encode()
        self.numbers = result.numbers
        self.numbers_html.value = _numbers_html(result.numbers)
        self.message.value = "<br>".join(_escape(m) for m in result.messages)
        self.last_seconds = time.perf_counter() - start

    def _on_change(self, change) -> None:
        self.refresh()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _numbers_html(numbers: dict) -> str:
    cells = "".join(
        f'<tr><td style="padding-right:1em">{_escape(k)}</td>'
        f'<td><span class="ak-num" data-key="{k}">{v:.6g}</span></td></tr>'
        for k, v in numbers.items()
    )
    return f'<table style="font-family:monospace;font-size:12px">{cells}</table>'


def _slider(description, value, lo, hi, step, *, log=False, fmt=".3g"):
    kwargs = dict(
        description=description,
        value=value,
        continuous_update=False,
        readout_format=fmt,
        style={"description_width": "90px"},
        layout=W.Layout(width="300px"),
    )
    if log:
        return W.FloatLogSlider(base=10, min=np.log10(lo), max=np.log10(hi), step=step, **kwargs)
    return W.FloatSlider(min=lo, max=hi, step=step, **kwargs)


# --------------------------------------------------------------------------------------------------
# Cached runs (the same seed for every call, so the numbers are reproducible)
# --------------------------------------------------------------------------------------------------


def _quadratic(w_star, noise):
    return pb.Quadratic(L=1.0, w_star=w_star, dim=1, noise=pb.GaussianNoise(noise))


def _steps_for(rate: float) -> int:
    """Enough steps for ~8 time constants 1/rate, within the slider budget."""
    return int(np.clip(np.ceil(8.0 / max(rate, 1e-9)), 200, 1200))


@functools.lru_cache(maxsize=128)
def _run_digital(w_star, noise, lr, steps):
    return alg.digital_sgd(
        _quadratic(w_star, noise),
        lr,
        steps=steps,
        trials=TRIALS,
        rng=np.random.default_rng(SEED),
        record_every=max(1, steps // 100),
    )


@functools.lru_cache(maxsize=128)
def _run_analog(w_star, noise, lr, tau, asymmetry, steps):
    return alg.analog_sgd(
        _quadratic(w_star, noise),
        dv.LinearDevice(tau, asymmetry),
        lr,
        steps=steps,
        trials=TRIALS,
        rng=np.random.default_rng(SEED),
        record_every=max(1, steps // 100),
        record_weights=True,
    )


@functools.lru_cache(maxsize=128)
def _run_tiki_taka(w_star, noise, lr, transfer_lr, gamma, tau, asymmetry, zero_shift, steps):
    return alg.tiki_taka(
        _quadratic(w_star, noise),
        dv.LinearDevice(tau),
        lr,
        transfer_lr,
        gamma,
        fast_device=dv.LinearDevice(tau, asymmetry),
        zero_shift=zero_shift,
        steps=steps,
        trials=TRIALS,
        rng=np.random.default_rng(SEED),
        record_every=max(1, steps // 100),
        record_weights=True,
    )


# --------------------------------------------------------------------------------------------------
# Device explorer
# --------------------------------------------------------------------------------------------------


class DeviceDashboard(Dashboard):
    """Response functions q±, F, G with the symmetric point, and the up/down pulse staircase."""

    name = "device"

    def controls(self):
        return {
            "family": W.Dropdown(
                description="family",
                options=["linear", "soft bounds", "power", "exponential"],
                value="linear",
                style={"description_width": "90px"},
                layout=W.Layout(width="300px"),
            ),
            "tau": _slider("tau", 1.0, 0.2, 3.0, 0.05),
            "asymmetry": _slider("asymmetry", 0.2, -0.99, 0.99, 0.01),
            "gamma": _slider("gamma", 2.0, 0.2, 5.0, 0.1),
            "dw_min": _slider("dw_min", 0.02, 1e-3, 0.2, 0.05, log=True),
            "cycle_noise": _slider("cycle_noise", 0.0, 0.0, 2.0, 0.05),
        }

    @staticmethod
    def device(family, tau, asymmetry, gamma):
        if family == "linear":
            return dv.LinearDevice(tau, asymmetry)
        if family == "soft bounds":
            return dv.SoftBoundsDevice(-tau, tau, asymmetry)
        if family == "power":
            return dv.PowerDevice(tau, gamma, asymmetry)
        if family == "exponential":
            return dv.ExponentialDevice(tau, gamma, asymmetry)
        raise ValueError(
            f"family must be one of linear, soft bounds, power, exponential; got {family!r}"
        )

    def simulate(self, family, tau, asymmetry, gamma, dw_min, cycle_noise):
        device = self.device(family, tau, asymmetry, gamma)
        pulse = PulseConfig(dw_min=dw_min, cycle_noise=cycle_noise)
        # enough pulses to cross the range, at most 300 each way (each pulse is a step of the loop)
        n = int(min(300, np.ceil(2 * tau / dw_min * 1.5)))
        sp = device.symmetric_point
        numbers = {
            "symmetric_point": sp,
            "q_plus_at_0": float(device.q_plus(0.0)),
            "q_minus_at_0": float(device.q_minus(0.0)),
            "n_states": 2 * tau / dw_min,
        }
        messages = []
        if abs(asymmetry) >= 0.9:
            weak = "down" if asymmetry > 0 else "up"
            messages.append(
                f"Asymmetry {asymmetry:+.2f}: {weak} pulses are scaled by {1 - abs(asymmetry):.2f}, so the "
                f"symmetric point {sp:+.3f} sits close to the bound and updates barely move the other way."
            )
        if family == "soft bounds" and asymmetry != 0:
            messages.append("Soft bounds use aihwkit's up_down: only the weaker direction shrinks.")
        return Result(numbers, messages, {"device": device, "pulse": pulse, "n": n})

    def draw(self, fig, result):
        ax1, ax2 = fig.subplots(1, 2)
        plot_response(ax1, result.data["device"])
        ax1.set_title("response functions")
        n = result.data["n"]
        staircase = pulse_response(
            result.data["device"], result.data["pulse"], n, n, rng=np.random.default_rng(SEED)
        )
        plot_pulse_staircase(ax2, staircase, n, color=COLORS["analog"])
        ax2.set_title(f"pulse staircase ({result.data['n']} up, {result.data['n']} down)")


def device_dashboard(**values) -> DeviceDashboard:
    """Device family, tau, asymmetry, gamma, dw_min and cycle noise -> q±, F, G and the pulse response."""
    return DeviceDashboard(**values)


# --------------------------------------------------------------------------------------------------
# Analog SGD against digital SGD
# --------------------------------------------------------------------------------------------------


class AsgdDashboard(Dashboard):
    """Digital SGD against Analog SGD on f = (w - w*)^2 / 2 with the theory's floor."""

    name = "asgd"
    w_star = 0.5

    def controls(self):
        return {
            "tau": _slider("tau", 1.0, 0.55, 5.0, 0.05),
            "noise": _slider("noise", 0.3, 0.0, 1.0, 0.01),
            "lr": _slider("lr", 0.05, 0.005, 2.5, 0.05, log=True),
            "asymmetry": _slider("asymmetry", 0.0, -0.99, 0.99, 0.01),
        }

    def simulate(self, tau, noise, lr, asymmetry):
        steps = _steps_for(lr)
        device = dv.LinearDevice(tau, asymmetry)  # validates tau and asymmetry with clear errors
        digital = quietly(_run_digital, self.w_star, noise, lr, steps)
        analog = quietly(_run_analog, self.w_star, noise, lr, tau, asymmetry, steps)
        w_fp = float(theory.asgd_fixed_point(1.0, self.w_star, tau, noise, asymmetry))
        floor = 0.5 * (w_fp - self.w_star) ** 2
        numbers = {
            "final_loss_digital": digital.tail_mean("loss")
            if not digital.any_diverged
            else float("inf"),
            "final_loss_analog": analog.tail_mean("loss"),
            "floor_theory": floor,
            "w_analog": float(analog.tail_mean("weights")[0]),
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
            messages.append(_UNSTABLE.format(lr=lr))
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


# --------------------------------------------------------------------------------------------------
# The lower-bound instance
# --------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _run_lower_bound(sigma, tau, w_star, lr, steps):
    problem = pb.Quadratic(L=1.0, w_star=w_star, dim=1, noise=pb.LowerBoundNoise(sigma, tau))
    return alg.analog_sgd(
        problem,
        dv.LinearDevice(tau),
        lr,
        steps=steps,
        trials=TRIALS,
        rng=np.random.default_rng(SEED),
        w0=w_star,
        record_every=max(1, steps // 100),
        record_weights=True,
    )


class LowerBoundDashboard(Dashboard):
    """Paper 1's lower-bound instance: the simulated gradient floor against the derived and printed constants."""

    name = "lower-bound"
    lr = 0.01
    steps = 800

    def controls(self):
        return {
            "sigma": _slider("sigma", 0.1, 0.0, 0.4, 0.01),
            "tau": _slider("tau", 1.0, 0.3, 3.0, 0.05),
            "w_star": _slider("w_star", 0.2, -0.75, 0.75, 0.01),
        }

    def simulate(self, sigma, tau, w_star):
        if abs(w_star) >= tau:
            raise ValueError(
                f"w_star must lie inside the device range (-tau, tau) = (-{tau:g}, {tau:g})"
            )
        tr = quietly(_run_lower_bound, sigma, tau, w_star, self.lr, self.steps)
        w_stat = float(theory.lower_bound_stationary_w(sigma, w_star, tau))
        derived = float(theory.lower_bound_floor(sigma, w_stat, tau))
        moments = theory.lower_bound_stationary_moments(sigma, w_star, tau, self.lr)
        at_lr = float(moments.grad_norm2)
        numbers = {
            "floor_simulated": tr.tail_mean("grad_norm2", 0.5),
            "floor_theory": derived,
            "floor_theory_at_lr": at_lr,
            "floor_printed_4sigma2S": 4 * derived,
            "w_stationary_theory": w_stat,
            "w_simulated": float(tr.tail_mean("weights", 0.5)[0]),
        }
        messages = []
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
            from analogkit.plotting import plot_message

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


def lower_bound_dashboard(**values) -> LowerBoundDashboard:
    """sigma, tau, w* -> the lower-bound instance's simulated floor against theory."""
    return LowerBoundDashboard(**values)


# --------------------------------------------------------------------------------------------------
# Tiki-Taka / residual learning
# --------------------------------------------------------------------------------------------------


class TikiTakaDashboard(Dashboard):
    """Tiki-Taka / residual learning against Analog SGD and digital SGD on a 1-D quadratic."""

    name = "tiki-taka"
    w_star = 0.5

    def controls(self):
        return {
            "lr": _slider("lr", 0.1, 0.005, 2.5, 0.05, log=True),
            "transfer_lr": _slider("transfer_lr", 0.05, 0.001, 1.0, 0.05, log=True),
            "gamma": _slider("gamma", 0.0, 0.0, 1.0, 0.05),
            "tau": _slider("tau", 1.0, 0.55, 5.0, 0.05),
            "noise": _slider("noise", 0.3, 0.0, 1.0, 0.01),
            "asymmetry": _slider("asymmetry", 0.0, -0.9, 0.9, 0.01),
            "zero_shift": W.Checkbox(description="zero_shift", value=False, indent=False),
        }

    def simulate(self, lr, transfer_lr, gamma, tau, noise, asymmetry, zero_shift):
        fast = dv.LinearDevice(tau, asymmetry)
        steps = 800
        digital = quietly(_run_digital, self.w_star, noise, lr, steps)
        analog = quietly(_run_analog, self.w_star, noise, lr, tau, 0.0, steps)
        tt = quietly(
            _run_tiki_taka,
            self.w_star,
            noise,
            lr,
            transfer_lr,
            gamma,
            tau,
            asymmetry,
            bool(zero_shift),
            steps,
        )
        pmax = theory.tiki_taka_pmax(1.0, tau, 1, max(noise, 1e-12))
        numbers = {
            "final_loss_digital": digital.tail_mean("loss")
            if not digital.any_diverged
            else float("inf"),
            "final_loss_analog": analog.tail_mean("loss"),
            "final_loss_tiki_taka": tt.tail_mean("loss") if not tt.any_diverged else float("inf"),
            "w_tiki_taka": float(tt.tail_mean("weights")[0])
            if not tt.any_diverged
            else float("nan"),
            # gradient at the mixed weight W + gamma P (L = 1); its lr -> 0 theory g = c E|g + eps|
            "grad_tiki_taka": (
                float(tt.tail_mean("weights")[0] + gamma * tt.tail_mean("fast")[0]) - self.w_star
                if not tt.any_diverged
                else float("nan")
            ),
            "grad_theory": float(
                theory.residual_fixed_point_gradient(
                    tau, asymmetry, noise, zero_shift=bool(zero_shift)
                )
            ),
            "fast_symmetric_point": fast.symmetric_point,
            "thm4_ratio_33pmax2_over_tau2": float(pmax.ratio),
        }
        messages = []
        if digital.any_diverged:
            messages.append(
                f"Digital SGD diverged at lr = {lr:.3g} (≥ 2/L = 2); its curve is left out."
            )
        elif lr >= 2.0:
            messages.append(_UNSTABLE.format(lr=lr))
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
