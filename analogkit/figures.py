"""The figures of ``make figures``: each is a function that builds a matplotlib Figure from analogkit.

Every figure function takes ``quick`` (fewer trials/steps, for tests) and returns a
:class:`FigureResult`: the Figure and the key numbers behind it for ``figures/summary.md``.
Notebooks call the same functions, so there is one source. Files are written deterministically
(PNG without a Software tag, fixed SVG hash salt), so two runs give byte-identical files.

Imports devices, pulses, problems, algorithms, theory, plotting and style; never widgets.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import ticker

from analogkit import devices as dv
from analogkit.plotting import plot_pulse_staircase, plot_response
from analogkit.pulses import PulseConfig, pulse_response
from analogkit.style import COLORS as COLORS_
from analogkit.style import context
from analogkit.trace import quietly

__all__ = ["FigureResult", "Row", "FIGURES", "make", "save", "write", "summary_markdown"]


@dataclass(frozen=True)
class Row:
    """One line of figures/summary.md: a number behind a figure, with what theory says."""

    quantity: str
    value: float
    reference: float | None = None
    note: str = ""


@dataclass
class FigureResult:
    """A figure and the key numbers it shows."""

    name: str
    figure: matplotlib.figure.Figure
    rows: list[Row] = field(default_factory=list)
    caption: str = ""


#: name -> figure function(quick: bool) -> FigureResult, in the order they are written
FIGURES: dict[str, Callable[[bool], FigureResult]] = {}


def register(name: str):
    def deco(fn):
        FIGURES[name] = fn
        fn.figure_name = name
        return fn

    return deco


def make(name: str, quick: bool = False) -> FigureResult:
    """Build one figure by name (a ValueError lists the valid names)."""
    if name not in FIGURES:
        raise ValueError(f"unknown figure {name!r}; valid names: {', '.join(FIGURES)}")
    with context():
        return FIGURES[name](quick)


def save(fig, path: Path) -> None:
    """Save deterministically: no Software/date metadata in PNG, fixed hash salt and no date in SVG."""
    path = Path(path)
    if path.suffix == ".svg":
        fig.savefig(path, metadata={"Date": None, "Creator": None})
    else:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
        path.write_bytes(buf.getvalue())


def summary_markdown(results: list[FigureResult]) -> str:
    """The table of key numbers behind the figures."""
    lines = [
        "# Key numbers behind the figures",
        "",
        "Written by `python -m analogkit figures`; every number is recomputed from a seeded run.",
        "",
        "| figure | quantity | simulated | theory / reference | note |",
        "|---|---|---|---|---|",
    ]
    for res in results:
        for row in res.rows:
            ref = "" if row.reference is None else f"{row.reference:.4g}"
            lines.append(f"| {res.name} | {row.quantity} | {row.value:.4g} | {ref} | {row.note} |")
    return "\n".join(lines) + "\n"


def write(out: Path, names=None, quick: bool = False, progress: bool = True) -> list[Path]:
    """Write the named figures (all by default) as PNG into `out`, plus summary.md."""
    names = list(FIGURES) if not names else list(names)
    for name in names:
        if name not in FIGURES:
            raise ValueError(f"unknown figure {name!r}; valid names: {', '.join(FIGURES)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    bar = _progress(names, progress)
    results, written = [], []
    for name in bar:
        if hasattr(bar, "set_description"):
            bar.set_description(name)
        res = make(name, quick)
        path = out / f"{name}.png"
        save(res.figure, path)
        plt.close(res.figure)
        results.append(res)
        written.append(path)
    summary = out / "summary.md"
    summary.write_text(summary_markdown(results))
    return written + [summary]


def _progress(items, enabled):
    if not enabled:
        return items
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm comes with the notebooks extra; without it, no bar
        return items
    return tqdm(items, unit="figure")


# --------------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------------

RESPONSE_EXAMPLES = {
    "linear, c = 0.2": dv.LinearDevice(tau=1.0, asymmetry=0.2),
    "soft bounds (aihwkit), up_down = 0.3": dv.SoftBoundsDevice(w_min=-0.8, w_max=1.2, up_down=0.3),
    "power, γ = 2": dv.PowerDevice(tau=1.0, gamma=2.0),
    "exponential, γ = 3, c = 0.2": dv.ExponentialDevice(tau=1.0, gamma=3.0, asymmetry=0.2),
    "piecewise (tabulated)": dv.PiecewiseDevice(
        np.array([-1.0, -0.5, 0.0, 0.5, 1.0]),
        np.array([1.6, 1.3, 0.9, 0.5, 0.0]),
        np.array([0.0, 0.7, 1.0, 1.2, 1.3]),
    ),
}


@register("response_functions")
def response_functions(quick: bool = False) -> FigureResult:
    """q±, F, G and the symmetric point of each device family, and their pulse staircases."""
    fig, axes = plt.subplots(2, 3, figsize=(11, 6.2), layout="constrained")
    rows = []
    for ax, (title, device) in zip(axes.flat, RESPONSE_EXAMPLES.items()):
        plot_response(ax, device, legend=ax is axes.flat[0])
        sp = device.symmetric_point
        ax.set_title(f"{title}  (w⋄ = {sp:.3g})")
        rows.append(Row(f"symmetric point, {title}", sp, None, f"G(w⋄) = {device.G(sp):.1e}"))
    ax = axes.flat[-1]
    pulse = PulseConfig(dw_min=0.02)
    for title, device in RESPONSE_EXAMPLES.items():
        staircase = pulse_response(device, pulse, 250, 250)
        plot_pulse_staircase(ax, staircase, 250, label=title.split(",")[0])
    ax.set_title("pulse staircase (Δw_min = 0.02)")
    ax.legend(loc="lower center")
    fig.suptitle("Device response functions: up/down responses, symmetric and asymmetric parts")
    return FigureResult(
        "response_functions",
        fig,
        rows,
        "Each family's q±, F, G and symmetric point, and its up/down pulse staircase.",
    )


# -- shared helpers for the training figures -------------------------------------------------------


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _least_squares(seed, dim, rows, w_star_std, noise, a_std=None):
    from analogkit.problems import GaussianNoise, LeastSquares

    noise = None if noise is None else GaussianNoise(noise)
    return LeastSquares.random(
        _rng(seed), dim=dim, rows=rows, w_star_std=w_star_std, a_std=a_std, noise=noise
    )


@register("asgd_lr_plateau")
def asgd_lr_plateau(quick: bool = False) -> FigureResult:
    """Paper 1 Fig. 1: digital SGD's error falls with lr, Analog SGD's plateau does not.

    Least squares as in paper 1 App. I.1 (D = 40, 100 rows, W* ~ N(0, 0.45²)), Gaussian gradient
    noise of std 0.1 per coordinate, linear device tau = 1.5, expected-update mode, lr from 0.2 to
    0.01 with 200/lr steps. The paper's printed setting (tau = 3, tiny noise 0.01/D) only shows a
    plateau through aihwkit's read noise, which analogkit does not model; with gradient noise the
    same mechanism (asymmetry x noise) is visible, and the lr range is extended to 0.01 so that
    the plateau is clear.
    """
    from analogkit.algorithms import analog_sgd, digital_sgd
    from analogkit.plotting import plot_loss

    lrs = (0.2, 0.05, 0.01) if quick else (0.2, 0.1, 0.05, 0.02, 0.01)
    trials = 4 if quick else 16
    prob = _least_squares(42, 40, 100, 0.45, 0.1)
    device = dv.LinearDevice(1.5)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    cmap = plt.get_cmap("viridis")
    finals = {"digital": [], "analog": []}
    for i, lr in enumerate(lrs):
        steps = int((100 if quick else 200) / lr)
        kw = dict(steps=steps, trials=trials, record_every=max(1, steps // 200))
        d = quietly(digital_sgd, prob, lr, rng=_rng(1), **kw)
        a = quietly(analog_sgd, prob, device, lr, rng=_rng(1), **kw)
        color = cmap(i / max(1, len(lrs) - 1))
        plot_loss(ax1, d, color=color, ls="--", band=False, label=None)
        plot_loss(ax1, a, color=color, band=False, label=f"lr = {lr:g}")
        finals["digital"].append(d.tail_mean("loss"))
        finals["analog"].append(a.tail_mean("loss"))
    ax1.set_xscale("log")
    ax1.set_title("f − f*: Analog SGD (solid) and digital SGD (dashed)")
    ax1.legend(loc="lower left")
    ax2.loglog(lrs, finals["digital"], "o--", color=COLORS_["digital"], label="digital SGD")
    ax2.loglog(lrs, finals["analog"], "o-", color=COLORS_["analog"], label="Analog SGD (τ = 1.5)")
    ax2.set_xlabel("learning rate")
    ax2.set_ylabel("error: mean of the last 20 % of f − f*")
    ax2.set_title("error against learning rate")
    ax2.legend()
    fig.suptitle("Analog SGD stalls at an error floor that a smaller learning rate does not lower")
    rows = [Row(f"final error lr={lr:g}, {k}", v) for k in finals for lr, v in zip(lrs, finals[k])]
    rows.append(
        Row(
            "digital error ratio lr_max/lr_min",
            finals["digital"][0] / finals["digital"][-1],
            lrs[0] / lrs[-1],
            "SGD noise floor ∝ lr",
        )
    )
    rows.append(
        Row(
            "analog error ratio, two smallest lr",
            finals["analog"][-2] / finals["analog"][-1],
            1.0,
            "plateau: about 1",
        )
    )
    return FigureResult(
        "asgd_lr_plateau", fig, rows, "Digital SGD's error falls with lr; Analog SGD's plateaus."
    )


@register("pulse_vs_expected")
def pulse_vs_expected(quick: bool = False) -> FigureResult:
    """Paper 1 Fig. 3: the expected analog dynamic (3) tracks the pulse-level simulation.

    Setting of paper 1 App. I / ``S2-dynamic-verification.py``: least squares with D = 40,
    100 rows, A ~ N(0, 1)/2, W* ~ N(0, 0.3²), gradient noise std 0.1 per coordinate, lr = 0.03,
    2500 steps, dw_min = tau/300 with no pulse cap, stochastic rounding, tau in {1, 1.5, 2, 2.5}.
    """
    from analogkit.algorithms import analog_sgd, digital_sgd
    from analogkit.plotting import plot_loss

    taus = (1.0, 1.5, 2.0, 2.5)
    steps, trials = (800, 4) if quick else (2500, 16)
    prob = _least_squares(618, 40, 100, 0.3, 0.1, a_std=0.5 / np.sqrt(100))
    fig, axes = plt.subplots(1, 4, figsize=(13, 3.4), layout="constrained", sharey=True)
    kw = dict(steps=steps, trials=trials, record_every=max(1, steps // 200))
    d = quietly(digital_sgd, prob, 0.03, rng=_rng(3), **kw)
    rows = [Row("digital SGD final error", d.tail_mean("loss"))]
    for ax, tau in zip(axes, taus):
        device = dv.LinearDevice(tau)
        expected = quietly(analog_sgd, prob, device, 0.03, rng=_rng(3), **kw)
        pulsed = quietly(
            analog_sgd, prob, device, 0.03, rng=_rng(3), pulse=PulseConfig(dw_min=tau / 300), **kw
        )
        plot_loss(ax, d, color=COLORS_["digital"], band=False, label="digital SGD (2)")
        plot_loss(ax, expected, color=COLORS_["analog"], band=False, label="analog dynamic (3)")
        plot_loss(ax, pulsed, color=COLORS_["tiki-taka"], band=False, ls="--", label="pulse level")
        ax.set_title(f"τ = {tau:g}")
        e, p = expected.tail_mean("loss"), pulsed.tail_mean("loss")
        rows.append(
            Row(
                f"tau={tau:g}: pulse / expected final error",
                p / e,
                1.0,
                f"expected {e:.3g}, pulse {p:.3g}",
            )
        )
    axes[0].legend(loc="upper right")
    fig.suptitle(
        "The expected analog update (3) predicts the pulse-level simulation (dw_min = τ/300)"
    )
    return FigureResult(
        "pulse_vs_expected", fig, rows, "Expected analog dynamics against pulse-level runs."
    )


@register("asgd_ablation")
def asgd_ablation(quick: bool = False) -> FigureResult:
    """Paper 1 Fig. 4: Analog SGD against tau, against the noise level, and from several initial weights.

    Least squares with D = 50, 100 rows, W* ~ N(0, 0.5²) (``S3.2-ablation-sigma.py``), lr = 0.1.
    Left: tau in {2, 3, 5, 10, 20, 50} and digital SGD, noise variance 0.1, 400 steps (the script
    of the printed left panel is not released; these settings are analogkit's). Middle: noise
    variance in {0.001, 0.01, 0.1, 1}, tau = 2, 200 steps (the smallest noise is still falling
    there, as in the paper's panel). Right: tau = 1, noise std 0.01/√50, 1500 steps (the slowest
    direction of A relaxes in about 120 steps), from constant initial weights in
    {−1, −0.5, 0, 0.5, 1}·tau; the paper's 1e3, 1e2, 10
    are clipped to tau by the device's bounds (as aihwkit does), so they coincide with tau.
    """
    from analogkit.algorithms import analog_sgd, digital_sgd
    from analogkit.plotting import plot_loss

    trials = 4 if quick else 16
    cmap = plt.get_cmap("viridis")
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6), layout="constrained")
    rows = []
    prob = _least_squares(50, 50, 100, 0.5, np.sqrt(0.1))
    taus = (2, 5, 50) if quick else (2, 3, 5, 10, 20, 50)
    kw = dict(steps=400, trials=trials, record_every=4)
    for i, tau in enumerate(taus):
        tr = quietly(analog_sgd, prob, dv.LinearDevice(tau), 0.1, rng=_rng(5), **kw)
        plot_loss(axes[0], tr, color=cmap(i / len(taus)), band=False, label=f"τ = {tau}")
        rows.append(Row(f"tau={tau}: final error", tr.tail_mean("loss")))
    d = quietly(digital_sgd, prob, 0.1, rng=_rng(5), **kw)
    plot_loss(axes[0], d, color=COLORS_["digital"], band=False, ls="--", label="digital SGD")
    rows.append(Row("digital SGD: final error", d.tail_mean("loss")))
    axes[0].set_title("larger τ, lower floor (σ² = 0.1)")
    axes[0].legend(loc="upper right", ncols=2)
    kw = dict(steps=200, trials=trials, record_every=2)
    for i, var in enumerate((0.001, 0.01, 0.1, 1.0)):
        p = _least_squares(50, 50, 100, 0.5, np.sqrt(var))
        tr = quietly(analog_sgd, p, dv.LinearDevice(2.0), 0.1, rng=_rng(6), **kw)
        plot_loss(axes[1], tr, color=cmap(i / 4), band=False, label=f"σ² = {var:g}")
        rows.append(Row(f"sigma2={var:g}: final error", tr.tail_mean("loss")))
    axes[1].set_title("more noise, higher floor (τ = 2)")
    axes[1].legend(loc="upper right")
    p = _least_squares(50, 50, 100, 0.5, 0.01 / np.sqrt(50))
    kw = dict(steps=1500, trials=trials, record_every=5)
    for i, w0 in enumerate((-1.0, -0.5, 0.0, 0.5, 1.0)):
        tr = quietly(analog_sgd, p, dv.LinearDevice(1.0), 0.1, rng=_rng(7), w0=w0, **kw)
        plot_loss(axes[2], tr, color=cmap(i / 5), band=False, label=f"w₀ = {w0:g}·τ")
        rows.append(Row(f"w0={w0:g}*tau: final error", tr.tail_mean("loss")))
    starts = [r.value for r in rows[-5:]]
    rows.append(
        Row(
            "largest / smallest final error over the starts",
            max(starts) / min(starts),
            1.0,
            "the same floor from any start",
        )
    )
    axes[2].set_title("the same floor from any start (τ = 1)")
    axes[2].legend(loc="upper right")
    fig.suptitle(
        "Analog SGD's floor falls with τ, rises with noise and does not depend on the start"
    )
    return FigureResult(
        "asgd_ablation", fig, rows, "Analog SGD against τ, noise level and initial weights."
    )


@register("error_floor")
def error_floor(quick: bool = False) -> FigureResult:
    """Analog SGD's error floor on paper 1's lower-bound instance, against the theory's bounds.

    The instance of paper 1 Thm 3 / App. G.2 (D = 1, L = 1, W_0 = W* = w*, two-point noise
    ``LowerBoundNoise``), lr = 0.005, simulated mean ||grad f||^2 over the second half of the run.
    Over tau (sigma = 0.1, w* = 0.2) and over sigma (tau = 1, w* = 0.2), inside the instance's
    assumptions |w*| <= tau/4 and sigma <= tau L sqrt(D)/(4 sqrt 3). Drawn: the derived floor
    sigma² S(w) at the stationary weight (analogkit.theory), its O(lr) correction, and the printed
    constant 4 sigma² S, which is also Thm 2's asymptotic upper bound 4 sigma² S_K evaluated on the
    trajectory: the simulation sits on the derived floor, a factor 4 below the printed one.
    """
    from analogkit import theory
    from analogkit.algorithms import analog_sgd
    from analogkit.problems import LowerBoundNoise, Quadratic

    lr, w_star = 0.005, 0.2
    steps, trials = (1200, 200) if quick else (4000, 2000)
    taus = (0.8, 1.0, 1.5, 3.0) if quick else (0.8, 1.0, 1.25, 1.5, 2.0, 3.0)
    sigmas = (0.05, 0.1, 0.14) if quick else (0.025, 0.05, 0.075, 0.1, 0.12, 0.14)

    def simulate(sigma, tau):
        prob = Quadratic(L=1.0, w_star=w_star, dim=1, noise=LowerBoundNoise(sigma, tau))
        tr = quietly(
            analog_sgd,
            prob,
            dv.LinearDevice(tau),
            lr,
            steps=steps,
            trials=trials,
            rng=_rng(11),
            w0=w_star,
            record_every=max(1, steps // 200),
        )
        return tr.tail_mean("grad_norm2", 0.5)

    fig, axes = plt.subplots(1, 2, figsize=(10.5, 3.9), layout="constrained")
    rows = []

    def floors(sigma, tau):
        w = theory.lower_bound_stationary_w(sigma, w_star, tau)
        derived = theory.lower_bound_floor(sigma, w, tau)
        return derived, theory.lower_bound_stationary_moments(sigma, w_star, tau, lr).grad_norm2

    for ax, grid, label in ((axes[0], taus, "tau"), (axes[1], sigmas, "sigma")):
        pairs = [(0.1, t) for t in grid] if label == "tau" else [(s, 1.0) for s in grid]
        sim = np.array([simulate(s, t) for s, t in pairs])
        derived, corrected = (np.asarray(a) for a in floors(*np.array(pairs).T))
        fine = np.linspace(min(grid), max(grid), 60)
        fine_d, fine_c = floors(0.1, fine) if label == "tau" else floors(fine, 1.0)
        ax.plot(
            fine,
            4 * fine_d,
            "--",
            color="0.35",
            label="printed 4σ²S (Thm 3) = upper bound 4σ²S_K (Thm 2)",
        )
        ax.plot(fine, fine_d, "-", color=COLORS_["theory"], label="derived floor σ²S(w̄)")
        ax.plot(
            fine,
            fine_c,
            ":",
            color=COLORS_["theory"],
            label=f"derived, O(lr) correction at lr = {lr:g}",
        )
        ax.plot(grid, sim, "o", color=COLORS_["analog"], label="simulated mean ‖∇f‖²")
        ax.set_yscale("log")
        ax.set_ylabel("stationary ‖∇f‖²")
        for (s, t), v, d, c in zip(pairs, sim, derived, corrected):
            rows.append(
                Row(
                    f"sigma={s:g}, tau={t:g}: simulated / corrected floor",
                    v / c,
                    1.0,
                    f"simulated {v:.3g}, derived σ²S {d:.3g}, printed 4σ²S {4 * d:.3g}",
                )
            )
    axes[0].set_xscale("log")
    axes[0].xaxis.set_major_formatter(ticker.ScalarFormatter())
    axes[0].xaxis.set_minor_formatter(ticker.NullFormatter())
    axes[0].set_xticks(taus)
    axes[0].set_xlabel("τ (σ = 0.1, w* = 0.2)")
    axes[0].set_title("the floor falls with τ")
    axes[1].set_xlabel("σ (τ = 1, w* = 0.2)")
    axes[1].set_title("and grows as σ²")
    axes[1].legend(loc="lower right", fontsize=7)
    fig.suptitle(
        "Paper 1's lower-bound instance: the simulated floor sits on σ²S, a factor 4 below the printed 4σ²S"
    )
    return FigureResult(
        "error_floor", fig, rows, "The Analog SGD floor against the derived and printed bounds."
    )


@register("implicit_penalty")
def implicit_penalty(quick: bool = False) -> FigureResult:
    """Paper 2 Thm 1: Analog SGD implicitly minimises f_Σ = f + Σ R_c; where it actually settles.

    1-D quadratic f = (w - w*)²/2 with w* = 0.5 on a linear device tau = 1, Gaussian gradient
    noise; Σ = E|∇f(w*; ξ)| = σ sqrt(2/π). Left: f and f_Σ at σ = 0.6, the minimiser of f_Σ, the
    exact mean-field fixed point, paper 2's eq. (60) as printed (signs flipped, it points away from
    the symmetric point 0) and a histogram of the simulated stationary weights (lr = 0.01).
    Right: the three points and the simulated mean against the noise level.
    """
    from analogkit import theory
    from analogkit.algorithms import analog_sgd
    from analogkit.problems import GaussianNoise, Quadratic

    w_star, tau, lr = 0.5, 1.0, 0.01
    steps, trials = (1200, 200) if quick else (4000, 1000)
    sigmas = (0.2, 0.6, 1.0) if quick else (0.1, 0.2, 0.4, 0.6, 0.8, 1.0)

    def settle(sigma):
        prob = Quadratic(L=1.0, w_star=w_star, dim=1, noise=GaussianNoise(sigma))
        return quietly(
            analog_sgd,
            prob,
            dv.LinearDevice(tau),
            lr,
            steps=steps,
            trials=trials,
            rng=_rng(13),
            record_every=max(1, steps // 100),
            record_weights=True,
        )

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10.5, 3.9), layout="constrained")
    sigma = 0.6
    Sigma = sigma * np.sqrt(2 / np.pi)
    w = np.linspace(-0.2, 0.9, 300)
    f = 0.5 * (w - w_star) ** 2
    ax1.plot(w, f, color=COLORS_["digital"], label="f(w)")
    ax1.plot(
        w, f + Sigma * w**2 / (2 * tau), color=COLORS_["residual"], label="f_Σ = f + Σ w²/(2τ)"
    )
    tr = settle(sigma)
    final = tr.weights[tr.tail_slice(0.5), :, 0].ravel()
    ax1b = ax1.twinx()
    ax1b.hist(final, bins=60, range=(-0.2, 0.9), color=COLORS_["analog"], alpha=0.3, density=True)
    ax1b.set_yticks([])
    ax1b.grid(False)
    points = {
        "w*": (w_star, COLORS_["digital"], "-"),
        "argmin f_Σ": (
            float(theory.implicit_penalty_minimiser(1.0, w_star, tau, sigma)),
            COLORS_["residual"],
            "--",
        ),
        "fixed point": (
            float(theory.asgd_fixed_point(1.0, w_star, tau, sigma)),
            COLORS_["theory"],
            "-",
        ),
        "eq. (60) printed": (
            float(theory.penalty_point_eq60_printed(1.0, w_star, tau, sigma)),
            "0.4",
            ":",
        ),
    }
    for name, (x, color, ls) in points.items():
        ax1.axvline(x, color=color, ls=ls, lw=1.2, label=f"{name}: {x:.3f}")
    ax1.set_xlabel("weight w")
    ax1.set_title(f"σ = {sigma:g}: the weights (histogram) settle at the fixed point")
    ax1.legend(loc="upper left", fontsize=7)
    rows = []
    sim = [float(settle(s).tail_mean("weights", 0.5)[0]) for s in sigmas]
    fp = theory.asgd_stationary_moments(1.0, w_star, tau, np.array(sigmas), lr).mean
    mn = theory.implicit_penalty_minimiser(1.0, w_star, tau, np.array(sigmas))
    p60 = theory.penalty_point_eq60_printed(1.0, w_star, tau, np.array(sigmas))
    for s, a, b, c, d in zip(sigmas, sim, fp, mn, p60):
        rows.append(
            Row(
                f"sigma={s:g}: simulated mean weight",
                a,
                float(b),
                f"fixed point (O(lr)) {b:.4f}, argmin f_Σ {c:.4f}, eq. (60) printed {d:.4f}",
            )
        )
    fine = np.linspace(0.0, max(sigmas), 80)
    ax2.plot(
        fine,
        theory.asgd_fixed_point(1.0, w_star, tau, fine),
        "-",
        color=COLORS_["theory"],
        label="mean-field fixed point",
    )
    ax2.plot(
        fine,
        theory.implicit_penalty_minimiser(1.0, w_star, tau, fine),
        "--",
        color=COLORS_["residual"],
        label="argmin f_Σ (paper 2 Thm 1)",
    )
    ax2.plot(
        fine,
        theory.penalty_point_eq60_printed(1.0, w_star, tau, fine),
        ":",
        color="0.4",
        label="paper 2 eq. (60) as printed",
    )
    ax2.plot(sigmas, sim, "o", color=COLORS_["analog"], label="simulated mean weight")
    ax2.axhline(w_star, color=COLORS_["digital"], lw=0.8)
    ax2.axhline(0.0, color="0.5", ls="-.", lw=0.8)
    ax2.set_ylim(-0.05, 1.0)
    ax2.set_xlabel("noise σ")
    ax2.set_ylabel("where Analog SGD settles")
    ax2.set_title("the pull towards the symmetric point 0 grows with noise")
    ax2.legend(loc="lower left", fontsize=7)
    fig.suptitle("The implicit penalty: Analog SGD minimises f + Σ R_c, not f")
    return FigureResult(
        "implicit_penalty", fig, rows, "f against f_Σ, and where Analog SGD settles."
    )


@register("tiki_taka_least_squares")
def tiki_taka_least_squares(quick: bool = False) -> FigureResult:
    """Tiki-Taka against Analog SGD and digital SGD on paper 1's least-squares problem.

    D = 40, 100 rows, W* ~ N(0, 0.45²), gradient noise std 0.1, linear devices tau = 1.5 for both
    arrays (paper 1's analysed Tiki-Taka, gamma = 0). Analog and digital SGD use lr = 0.05;
    Tiki-Taka uses lr = 0.1 on the fast array and transfer_lr in {0.005, 0.002}: W then moves at
    about transfer_lr·tau/E|eps| per unit gradient, so the transfer rate must be small.
    """
    from analogkit.algorithms import analog_sgd, digital_sgd, tiki_taka
    from analogkit.plotting import plot_loss

    steps, trials = (2000, 4) if quick else (8000, 16)
    prob = _least_squares(42, 40, 100, 0.45, 0.1)
    device = dv.LinearDevice(1.5)
    kw = dict(steps=steps, trials=trials, record_every=max(1, steps // 200))
    fig, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
    d = quietly(digital_sgd, prob, 0.05, rng=_rng(1), **kw)
    a = quietly(analog_sgd, prob, device, 0.05, rng=_rng(1), **kw)
    plot_loss(ax, d, color=COLORS_["digital"], label="digital SGD, lr 0.05")
    plot_loss(ax, a, color=COLORS_["analog"], label="Analog SGD, lr 0.05")
    rows = [
        Row("digital SGD final error", d.tail_mean("loss")),
        Row("Analog SGD final error", a.tail_mean("loss")),
    ]
    for tlr, ls in ((0.005, "-"), (0.002, "--")):
        tt = quietly(tiki_taka, prob, device, 0.1, tlr, rng=_rng(1), **kw)
        plot_loss(
            ax,
            tt,
            color=COLORS_["tiki-taka"],
            ls=ls,
            label=f"Tiki-Taka, lr 0.1, transfer_lr {tlr:g}",
        )
        rows.append(Row(f"Tiki-Taka transfer_lr={tlr:g} final error", tt.tail_mean("loss")))
    rows.append(
        Row(
            "Analog SGD / Tiki-Taka (0.002) error",
            a.tail_mean("loss") / rows[-1].value,
            None,
            "> 1: Tiki-Taka wins",
        )
    )
    ax.set_title("Tiki-Taka removes Analog SGD's floor (τ = 1.5, σ = 0.1)")
    ax.legend(loc="upper right")
    return FigureResult(
        "tiki_taka_least_squares", fig, rows, "Tiki-Taka against Analog SGD and digital SGD."
    )


@register("residual_asymmetry")
def residual_asymmetry(quick: bool = False) -> FigureResult:
    """Paper 2 Fig. 2: residual learning degrades when the fast array's symmetric point is shifted.

    Least squares of paper 2 App. K.2 (D = 50, 100 rows, W* ~ N(0, 0.5²)), linear devices with
    tau = 3.5 and c_Lin in {0, 0.1, 0.2, 0.3} for every array, W_0 = 1, gamma = 0.4 (as the
    released script), lr = 0.1, transfer_lr = 0.005, 4000 steps; right: the same with
    zero-shifting. Where analogkit differs from the paper: the paper's runs are pulse-level with
    dw_min = 1e-4 and at most 8 pulses and no gradient noise, relying on aihwkit's stochastic pulse
    coincidences for noise; analogkit's stochastic rounding adds almost none, and without noise
    there is no drift (E|g + eps| = |g| = 0 at the optimum). So this figure uses the expected
    update with Gaussian gradient noise of std 0.3 per coordinate, which is the mechanism the
    paper's Cor. 1 explains.
    """
    from analogkit.algorithms import analog_sgd, tiki_taka
    from analogkit.plotting import plot_loss

    steps, trials = (1500, 4) if quick else (4000, 12)
    cs = (0.0, 0.1, 0.2, 0.3)
    prob = _least_squares(7, 50, 100, 0.5, 0.3)
    kw = dict(steps=steps, trials=trials, record_every=max(1, steps // 200), w0=1.0)
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.9), layout="constrained", sharey=True)
    cmap = plt.get_cmap("plasma")
    rows = []
    for i, c in enumerate(cs):
        device = dv.LinearDevice(3.5, c)
        color = cmap(i / len(cs))
        a = quietly(analog_sgd, prob, device, 0.1, rng=_rng(1), **kw)
        rows.append(Row(f"c={c:g}: Analog SGD final error", a.tail_mean("loss")))
        for ax, shift in zip(axes, (False, True)):
            plot_loss(ax, a, color=color, ls=":", band=False, label=None)
            tt = quietly(
                tiki_taka, prob, device, 0.1, 0.005, 0.4, zero_shift=shift, rng=_rng(1), **kw
            )
            plot_loss(ax, tt, color=color, band=False, label=f"c = {c:g}")
            rows.append(
                Row(
                    f"c={c:g}: residual learning{' + zero-shift' if shift else ''} final error",
                    tt.tail_mean("loss"),
                )
            )
    axes[0].set_title("residual learning (solid) vs Analog SGD (dotted)")
    axes[1].set_title("the same with zero-shifting")
    axes[0].legend(loc="upper right", title="fast-array asymmetry")
    fig.suptitle(
        "A shifted symmetric point of the fast array brings Analog SGD's floor back; zero-shifting removes it"
    )
    return FigureResult(
        "residual_asymmetry",
        fig,
        rows,
        "Residual learning with fast-array asymmetry c, with and without zero-shifting.",
    )


@register("gamma_effect")
def gamma_effect(quick: bool = False) -> FigureResult:
    """Paper 2 Fig. 5 style: the mixing coefficient gamma of residual learning.

    Paper 1's least squares (D = 40, 100 rows, W* ~ N(0, 0.45²), noise std 0.1), linear devices
    tau = 1.5, lr = 0.1, transfer_lr = 0.005, 4000 steps, gamma in {0, 0.05, 0.1, 0.2, 0.3, 0.4}.
    The paper's figure is ResNet accuracy; here the same question on the toy problem: most of the
    gain comes from gamma = 0 -> 0.1.
    """
    from analogkit.algorithms import tiki_taka
    from analogkit.plotting import plot_loss

    steps, trials = (1500, 4) if quick else (4000, 12)
    gammas = (0.0, 0.1, 0.4) if quick else (0.0, 0.05, 0.1, 0.2, 0.3, 0.4)
    prob = _least_squares(42, 40, 100, 0.45, 0.1)
    device = dv.LinearDevice(1.5)
    kw = dict(steps=steps, trials=trials, record_every=max(1, steps // 200))
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    cmap = plt.get_cmap("viridis")
    finals = []
    for i, g in enumerate(gammas):
        tr = quietly(tiki_taka, prob, device, 0.1, 0.005, g, rng=_rng(1), **kw)
        plot_loss(ax1, tr, color=cmap(i / len(gammas)), band=False, label=f"γ = {g:g}")
        finals.append(tr.tail_mean("loss"))
    ax1.set_title("residual learning for several γ")
    ax1.legend(loc="upper right")
    ax2.plot(gammas, finals, "o-", color=COLORS_["residual"])
    ax2.set_yscale("log")
    ax2.set_xlabel("γ (gradient taken at W + γP)")
    ax2.set_ylabel("final f − f*")
    ax2.set_title("final error against γ")
    fig.suptitle(
        "Mixing the fast array into the weight (γ > 0) lowers the error; the gain saturates"
    )
    rows = [Row(f"gamma={g:g}: final error", v) for g, v in zip(gammas, finals)]
    rows.append(
        Row("error(gamma=0) / error(gamma=0.1)", finals[0] / finals[gammas.index(0.1)], None, "> 1")
    )
    return FigureResult("gamma_effect", fig, rows, "The effect of the mixing coefficient γ.")
