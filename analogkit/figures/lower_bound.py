"""The error-floor figure (notebook 03): Analog SGD on paper 1's lower-bound instance."""

from __future__ import annotations

import numpy as np
from matplotlib import ticker

import analogkit as ak
from analogkit.figures._common import rng
from analogkit.figures._registry import FigureData, FigureSpec, Row
from analogkit.style import COLORS


def compute_error_floor(quick: bool = False) -> FigureData:
    """Analog SGD's error floor on paper 1's lower-bound instance, against the theory's bounds.

    The instance of paper 1 Thm 3 / App. G.2 (D = 1, L = 1, W_0 = W* = w*, two-point noise
    ``LowerBoundNoise``), lr = 0.005, simulated mean ||grad f||^2 over the second half of the run.
    Over tau (sigma = 0.1, w* = 0.2) and over sigma (tau = 1, w* = 0.2), inside the instance's
    assumptions |w*| <= tau/4 and sigma <= tau L sqrt(D)/(4 sqrt 3). Drawn: the derived floor
    sigma² S(w) at the stationary weight (analogkit.theory), which is also Thm 2's asymptotic
    upper bound with the constant 1 that its proof's (62) gives; its O(lr) correction; and the
    printed constant 4 sigma² S (Thm 3 eqs. (10), (98); Thm 2 eqs. (64)-(65), P1 arXiv v1). The
    simulation sits on the derived floor, where the lower and the upper bound meet, a factor 4
    below the printed one.
    """
    from analogkit import theory

    lr, w_star = 0.005, 0.2
    steps, trials = (1200, 200) if quick else (4000, 2000)
    taus = (0.8, 1.0, 1.5, 3.0) if quick else (0.8, 1.0, 1.25, 1.5, 2.0, 3.0)
    sigmas = (0.05, 0.1, 0.14) if quick else (0.025, 0.05, 0.075, 0.1, 0.12, 0.14)

    def simulate(sigma, tau):
        prob = ak.Quadratic(L=1.0, w_star=w_star, dim=1, noise=ak.LowerBoundNoise(sigma, tau))
        tr = ak.quietly(
            ak.analog_sgd,
            prob,
            ak.LinearDevice(tau),
            lr,
            steps=steps,
            trials=trials,
            rng=rng(11),
            w0=w_star,
            record_every=max(1, steps // 200),
        )
        return tr.tail_mean("grad_norm2", 0.5)

    def floors(sigma, tau):
        w = theory.lower_bound_stationary_w(sigma, w_star, tau)
        derived = theory.lower_bound_floor(sigma, w, tau)
        return derived, theory.lower_bound_stationary_moments(sigma, w_star, tau, lr).grad_norm2

    # sigma = 0.1, tau = 1 lies on both grids: a row's name says which panel it belongs to
    rows, panels = {}, []
    for grid, label in ((taus, "tau"), (sigmas, "sigma")):
        pairs = [(0.1, t) for t in grid] if label == "tau" else [(s, 1.0) for s in grid]
        sim = np.array([simulate(s, t) for s, t in pairs])
        derived, corrected = (np.asarray(a) for a in floors(*np.array(pairs).T))
        fine = np.linspace(min(grid), max(grid), 60)
        fine_d, fine_c = floors(0.1, fine) if label == "tau" else floors(fine, 1.0)
        panels.append(
            dict(
                grid=grid, sim=sim, fine=fine, printed=4 * fine_d, derived=fine_d, corrected=fine_c
            )
        )
        for (s, t), v, d, c in zip(pairs, sim, derived, corrected):
            quantity = f"sigma={s:g}, tau={t:g}: simulated / corrected floor"
            rows[f"over {label}: {quantity}"] = Row(
                quantity,
                v / c,
                1.0,
                f"simulated {v:.3g}, derived σ²S {d:.3g}, printed 4σ²S {4 * d:.3g}",
            )
    return FigureData(rows, lr=lr, panels=panels)


def draw_error_floor(fig, data: FigureData) -> None:
    axes = fig.subplots(1, 2)
    for ax, p in zip(axes, data.panels):
        ax.plot(
            p["fine"],
            p["printed"],
            "--",
            color="0.35",
            label="printed 4σ²S (Thm 3 (98); Thm 2 (64)–(65))",
        )
        ax.plot(
            p["fine"],
            p["derived"],
            "-",
            color=COLORS["theory"],
            label="derived σ²S(w̄): lower bound (Thm 3) = upper bound via (62) (Thm 2)",
        )
        ax.plot(
            p["fine"],
            p["corrected"],
            ":",
            color=COLORS["theory"],
            label=f"derived, O(lr) correction at lr = {data.lr:g}",
        )
        ax.plot(p["grid"], p["sim"], "o", color=COLORS["analog"], label="simulated mean ‖∇f‖²")
        ax.set_yscale("log")
        ax.set_ylabel("stationary ‖∇f‖²")
    axes[0].set_xscale("log")
    axes[0].xaxis.set_major_formatter(ticker.ScalarFormatter())
    axes[0].xaxis.set_minor_formatter(ticker.NullFormatter())
    axes[0].set_xticks(data.panels[0]["grid"])
    axes[0].set_xlabel("τ (σ = 0.1, w* = 0.2)")
    axes[0].set_title("the floor falls with τ")
    axes[1].set_xlabel("σ (τ = 1, w* = 0.2)")
    axes[1].set_title("and grows as σ²")
    axes[1].legend(loc="lower right", fontsize=7)
    fig.suptitle(
        "Paper 1's lower-bound instance: the simulated floor sits on σ²S, where the lower and upper\n"
        "bounds meet, a factor 4 below the printed 4σ²S"
    )


error_floor = FigureSpec(
    "error_floor",
    compute_error_floor,
    draw_error_floor,
    figsize=(10.5, 3.9),
    caption="The Analog SGD floor against the derived σ²S (the corrected lower bound and the "
    "upper bound's constant from P1 eq. (62)) and the printed 4σ²S.",
)
