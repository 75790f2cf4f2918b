"""The implicit-penalty figure (notebook 03): where Analog SGD settles, against paper 2 Thm 1."""

from __future__ import annotations

import numpy as np

import analogkit as ak
from analogkit.figures._common import rng
from analogkit.figures._registry import FigureData, FigureSpec, Row, by_quantity
from analogkit.style import COLORS

#: colour and line style of each marked point, in the order they are drawn
POINT_STYLES = {
    "w*": (COLORS["digital"], "-"),
    "argmin f_Σ": (COLORS["residual"], "--"),
    "fixed point": (COLORS["theory"], "-"),
    "eq. (60) printed": ("0.4", ":"),
}


def compute_implicit_penalty(quick: bool = False) -> FigureData:
    """Paper 2 Thm 1: Analog SGD implicitly minimises f_Σ = f + Σ R_c; where it actually settles.

    1-D quadratic f = (w - w*)²/2 with w* = 0.5 on a linear device tau = 1, Gaussian gradient
    noise; Σ = E|∇f(w*; ξ)| = σ sqrt(2/π). Left: f and f_Σ at σ = 0.6, the minimiser of f_Σ, the
    exact mean-field fixed point, paper 2's eq. (60) as printed (camera-ready numbering; arXiv v3
    (50); signs flipped, it points away from the symmetric point 0) and a histogram of the
    simulated stationary weights (lr = 0.01).
    Right: the three points and the simulated mean against the noise level.
    """
    from analogkit import theory

    w_star, tau, lr = 0.5, 1.0, 0.01
    steps, trials = (1200, 200) if quick else (4000, 1000)
    sigmas = (0.2, 0.6, 1.0) if quick else (0.1, 0.2, 0.4, 0.6, 0.8, 1.0)

    def settle(sigma):
        prob = ak.Quadratic(L=1.0, w_star=w_star, dim=1, noise=ak.GaussianNoise(sigma))
        return ak.quietly(
            ak.analog_sgd,
            prob,
            ak.LinearDevice(tau),
            lr,
            steps=steps,
            trials=trials,
            rng=rng(13),
            record_every=max(1, steps // 100),
            record_weights=True,
        )

    sigma = 0.6
    Sigma = sigma * np.sqrt(2 / np.pi)
    w = np.linspace(-0.2, 0.9, 300)
    f = 0.5 * (w - w_star) ** 2
    tr = settle(sigma)
    points = {
        "w*": w_star,
        "argmin f_Σ": float(theory.implicit_penalty_minimiser(1.0, w_star, tau, sigma)),
        "fixed point": float(theory.asgd_fixed_point(1.0, w_star, tau, sigma)),
        "eq. (60) printed": float(theory.penalty_point_eq60_printed(1.0, w_star, tau, sigma)),
    }
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
    return FigureData(
        by_quantity(rows),
        sigma=sigma,
        w=w,
        f=f,
        f_sigma=f + Sigma * w**2 / (2 * tau),
        final_weights=tr.weights[tr.tail_slice(0.5), :, 0].ravel(),
        points=points,
        w_star=w_star,
        sigmas=sigmas,
        simulated=sim,
        fine=fine,
        fixed_point=theory.asgd_fixed_point(1.0, w_star, tau, fine),
        minimiser=theory.implicit_penalty_minimiser(1.0, w_star, tau, fine),
        eq60_printed=theory.penalty_point_eq60_printed(1.0, w_star, tau, fine),
    )


def draw_implicit_penalty(fig, data: FigureData) -> None:
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(data.w, data.f, color=COLORS["digital"], label="f(w)")
    ax1.plot(data.w, data.f_sigma, color=COLORS["residual"], label="f_Σ = f + Σ w²/(2τ)")
    ax1b = ax1.twinx()
    ax1b.hist(
        data.final_weights,
        bins=60,
        range=(-0.2, 0.9),
        color=COLORS["analog"],
        alpha=0.3,
        density=True,
    )
    ax1b.set_yticks([])
    ax1b.grid(False)
    for name, x in data.points.items():
        color, ls = POINT_STYLES[name]
        ax1.axvline(x, color=color, ls=ls, lw=1.2, label=f"{name}: {x:.3f}")
    ax1.set_xlabel("weight w")
    ax1.set_title(f"σ = {data.sigma:g}: the weights (histogram) settle at the fixed point")
    ax1.legend(loc="upper left", fontsize=7)
    ax2.plot(
        data.fine, data.fixed_point, "-", color=COLORS["theory"], label="mean-field fixed point"
    )
    ax2.plot(
        data.fine,
        data.minimiser,
        "--",
        color=COLORS["residual"],
        label="argmin f_Σ (paper 2 Thm 1)",
    )
    ax2.plot(
        data.fine,
        data.eq60_printed,
        ":",
        color="0.4",
        label="paper 2 eq. (60) as printed (camera-ready; v3 (50))",
    )
    ax2.plot(
        data.sigmas, data.simulated, "o", color=COLORS["analog"], label="simulated mean weight"
    )
    ax2.axhline(data.w_star, color=COLORS["digital"], lw=0.8)
    ax2.axhline(0.0, color="0.5", ls="-.", lw=0.8)
    ax2.set_ylim(-0.05, 1.0)
    ax2.set_xlabel("noise σ")
    ax2.set_ylabel("where Analog SGD settles")
    ax2.set_title("the pull towards the symmetric point 0 grows with noise")
    ax2.legend(loc="lower left", fontsize=7)
    fig.suptitle("The implicit penalty: Analog SGD minimises f + Σ R_c, not f")


implicit_penalty = FigureSpec(
    "implicit_penalty",
    compute_implicit_penalty,
    draw_implicit_penalty,
    figsize=(10.5, 3.9),
    caption="f against f_Σ, and where Analog SGD settles (paper 2 equation numbers: camera-ready).",
)
