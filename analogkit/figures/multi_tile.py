"""Multi-tile residual learning (notebook 05, paper 3 §3-5): the floor against the number of tiles
and against gamma, and paper 3's one-weight toy.

The 1-D problems run side by side (:class:`analogkit.figures.few_states.SideBySide`): the
setting of every multi-tile figure except the toy is f = (w - 0.3)^2/2 with Gaussian gradient
noise of std 0.05 on linear devices with range [-1, 1], from w = 0, lr = 0.5 on the gradient
tile, transfer_lr = gamma^2 and Cor. 1's schedule (``default_inner_steps``).
"""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib import ticker

import analogkit as ak
from analogkit.figures._common import rng
from analogkit.figures._registry import FigureData, FigureSpec, Row, by_quantity
from analogkit.figures.few_states import NOISE, W_STAR, SideBySide
from analogkit.style import COLORS

LR, GAMMA = 0.5, 0.3
STATES = (4, 10, 40)
_STATE_COLORS = dict(zip(STATES, ("#d62728", "#1f77b4", "#2ca02c")))


def _tiles(t: int) -> str:
    return f"{t} tile" + "s" * (t > 1)


def _slope(x, y):
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


# -- multi-tile: the floor against the number of tiles --------------------------------------------


def _tmin(trace) -> float:
    """The fewest steps in which tile 0 of a multi-tile run can reach w* (tile 1 at its bound
    adds transfer_lr * w_max per update of tile 0, once every T_1 ... T_N steps)."""
    meta = trace.meta
    if meta["tiles"] == 1:
        return 0.0
    return W_STAR * float(np.prod(meta["inner_steps"])) / meta["transfer_lr"]


def compute_multi_tile_floor(quick: bool = False) -> FigureData:
    """Paper 3 Thm 3 / Cor. 1: the multi-tile floor against the number of tiles, at 4, 10 and 40
    states, beside mixed precision, Tiki-Taka, residual learning and digital SGD.

    f = (w - 0.3)^2/2, Gaussian gradient noise of std 0.05 (and 0.025, 0.1 on the right), linear
    devices on [-1, 1] with dw_min = 2/n, stochastic rounding, every run from w = 0. Multi-tile:
    gamma = 0.3, lr = 0.5, transfer_lr = gamma^2, Cor. 1's schedule (``default_inner_steps``).
    Mixed precision, Tiki-Taka (gamma = 0) and residual learning (gamma = 0.3, a transfer every
    step) use the same lr and transfer_lr; digital SGD lr = 0.5 (floor lr s^2/(2 - lr)). Floor:
    mean (W̄ - w*)^2 over the second half of the run. Open markers: runs shorter than 10 t_min,
    the fewest steps in which tile 0 can reach w* under the schedule (w* T_1...T_N/transfer_lr):
    the schedule's period grows like gamma^-(2N-1), so at a fixed run length more tiles end worse.
    Right: the floor against sigma dw_min, whose slope Cor. 1 puts at 2/3; the simulated floor
    is not a function of the product (steep in dw_min, shallow in sigma).
    """
    from analogkit import theory

    steps, trials = (2000, 64) if quick else (6000, 200)
    tiles = (1, 2, 3) if quick else (1, 2, 3, 4, 5)
    noises = (0.025, NOISE, 0.1)
    side = SideBySide(np.array(STATES)[:, None], noises)
    kw = dict(pulse=side.pulse, steps=steps, trials=trials, seed=41)
    floors, short = {}, {}
    for t in tiles:
        tr = side.run(ak.multi_tile, side.device, LR, GAMMA**2, GAMMA, tiles=t, **kw)
        floors[t], short[t] = side.mse(tr), steps < 10 * _tmin(tr)
    baselines = {
        "mixed precision": side.mse(side.run(ak.mixed_precision, side.device, LR, **kw)),
        "Tiki-Taka": side.mse(side.run(ak.tiki_taka, side.device, LR, GAMMA**2, 0.0, **kw)),
        "residual learning": side.mse(
            side.run(ak.tiki_taka, side.device, LR, GAMMA**2, GAMMA, **kw)
        ),
    }
    del kw["pulse"]
    digital = side.mse(side.run(ak.digital_sgd, LR, **kw))
    j, i10, rows = noises.index(NOISE), STATES.index(10), []
    dw = {n: 2 / n for n in STATES}
    for i, n in enumerate(STATES):
        for t in tiles:
            rows.append(
                Row(
                    f"{n} states, {_tiles(t)}: mean (W̄ - w*)^2",
                    floors[t][i, j],
                    float(theory.corollary_1_floor(GAMMA, t, NOISE, dw[n])),
                    "Cor. 1 with constant 1 (order only)"
                    + ("; run < 10 t_min: not settled" if short[t] else ""),
                )
            )
        for name, values in baselines.items():
            rows.append(
                Row(
                    f"{n} states: {name}",
                    values[i, j],
                    dw[n] ** 2 / 12,
                    f"dw_min^2/12; Analog SGD {floors[1][i, j]:.3g}, digital SGD {digital[i, j]:.3g}",
                )
            )
    rows.append(Row("digital SGD", digital[0, j], LR * NOISE**2 / (2 - LR), "lr s^2/(2 - lr)"))
    rows.append(
        Row(
            "10 states: floor with 1 tile / with 3 tiles",
            floors[1][i10, j] / floors[3][i10, j],
            GAMMA ** (-4 / 3),
            "Cor. 1's gamma^(-2N/3) at N = 2",
        )
    )
    for i, n in enumerate(STATES):
        rows.append(
            Row(
                f"{n} states: slope of ln floor per tile (1-3 tiles)",
                float(np.polyfit([1, 2, 3], np.log([floors[t][i, j] for t in (1, 2, 3)]), 1)[0]),
                2 / 3 * np.log(GAMMA),
                "Cor. 1: (2/3) ln gamma",
            )
        )
    i40 = STATES.index(40)
    for t in (1, 2, 3):
        f = floors[t]
        rows.append(
            Row(
                f"{_tiles(t)}: slope of ln floor against ln dw_min (10 -> 40 states)",
                _slope([dw[10], dw[40]], [f[i10, j], f[i40, j]]),
                2 / 3,
                "Cor. 1: 2/3 in ln(sigma dw_min); noise 0.05",
            )
        )
        rows.append(
            Row(
                f"{_tiles(t)}: slope of ln floor against ln sigma (40 states)",
                _slope(noises, f[i40]),
                2 / 3,
                "Cor. 1: 2/3 in ln(sigma dw_min); noise 0.025 -> 0.1",
            )
        )
    x = np.outer([dw[n] for n in STATES], noises)
    return FigureData(
        by_quantity(rows),
        tiles=tiles,
        noises=noises,
        floors=floors,
        short=short,
        baselines=baselines,
        digital=digital,
        x=x,
    )


def draw_multi_tile_floor(fig, data: FigureData) -> None:
    ax1, ax2 = fig.subplots(1, 2, width_ratios=(1.5, 1))
    j = data.noises.index(NOISE)
    names = [*data.baselines, "digital SGD"]
    xs = len(data.tiles) + 1 + np.arange(len(names))
    for i, n in enumerate(STATES):
        color = _STATE_COLORS[n]
        y = [data.floors[t][i, j] for t in data.tiles]
        ax1.plot(data.tiles, y, "-", color=color, label=f"{n} states")
        for t, v in zip(data.tiles, y):
            face = "white" if data.short[t] else color
            ax1.plot([t], [v], "o", color=color, markerfacecolor=face)
        extra = [data.baselines[k][i, j] for k in data.baselines] + [data.digital[i, j]]
        ax1.plot(xs + 0.12 * (i - 1), extra, "s", color=color)
        ax1.hlines((2 / n) ** 2 / 12, 0.7, len(data.tiles) + 0.3, color=color, ls=":", lw=1)
    ax1.plot([], [], ":", color="0.4", label="dw_min²/12")
    ax1.plot(
        [], [], "o", color="0.4", markerfacecolor="white", label="run < 10 t_min (not settled)"
    )
    ax1.set_xticks([*data.tiles, *xs], [str(t) for t in data.tiles] + names, rotation=30)
    ax1.set_yscale("log")
    ax1.set_xlabel("number of tiles (γ = 0.3, Cor. 1's schedule) · other methods")
    ax1.set_ylabel("mean (W̄ − w*)²")
    ax1.set_ylim(top=1.0)
    ax1.legend(loc="upper center", ncols=2, fontsize=7)
    ax1.set_title("the floor against the number of tiles (noise 0.05)")
    cmap = matplotlib.colormaps["viridis"]
    for k, t in enumerate((1, 2, 3)):
        color = cmap(k / 3)
        for i in range(len(STATES)):
            ax2.plot(
                data.x[i], data.floors[t][i], "o-", color=color, label=None if i else _tiles(t)
            )
    x = np.geomspace(data.x.min(), data.x.max(), 2)
    ax2.plot(x, data.floors[1][1, 1] * (x / data.x[1, 1]) ** (2 / 3), "--", color="0.4", lw=1)
    ax2.plot([], [], "--", color="0.4", lw=1, label="slope 2/3 (Cor. 1)")
    ax2.set_xscale("log")
    ax2.set_xticks([1e-3, 3e-3, 1e-2, 3e-2], ["0.001", "0.003", "0.01", "0.03"])
    ax2.xaxis.set_minor_formatter(ticker.NullFormatter())
    ax2.set_yscale("log")
    ax2.set_xlabel("σ · dw_min (lines: one n, σ = 0.025, 0.05, 0.1)")
    ax2.legend(loc="upper left", fontsize=7)
    ax2.set_title("against σ·dw_min: steep in dw_min, shallow in σ")
    fig.suptitle("Multi-tile residual learning: the floor against the number of tiles")


multi_tile_floor = FigureSpec(
    "multi_tile_floor",
    compute_multi_tile_floor,
    draw_multi_tile_floor,
    figsize=(11, 4.4),
    caption="The multi-tile floor against the number of tiles and against σ·dw_min.",
)


# -- multi-tile: the floor against gamma -------------------------------------------------------------

GAMMA_TILES = 2


def compute_multi_tile_gamma(quick: bool = False) -> FigureData:
    """Paper 3 §5.2: the floor against gamma at a fixed number of tiles, with 1/n_states marked.

    The setting of ``multi_tile_floor`` (noise 0.05, lr = 0.5, transfer_lr = gamma^2, Cor. 1's
    schedule) with 2 tiles, gamma from 0.05 to 0.6, beside one tile (Analog SGD). Two tiles,
    because under Cor. 1's schedule tile 0 needs at least t_min = w* T_1...T_N/transfer_lr =
    w* gamma^-(2N+1) steps, 0.3/gamma^3 with two tiles, which keeps gamma down to 1/n_states
    within reach of a 6000-step run (with three tiles, 0.3/gamma^5, it is not). Open markers:
    runs shorter than 10 t_min. Paper 3's heuristic: gamma slightly above 1/n_states; Cor. 1 needs
    gamma <= 1/sqrt(6).
    """
    steps, trials = (3000, 64) if quick else (6000, 200)
    gammas = (0.05, 0.15, 0.4) if quick else (0.05, 0.1, 0.15, 0.25, 0.4, 0.6)
    side = SideBySide(STATES)
    kw = dict(pulse=side.pulse, steps=steps, trials=trials, seed=51)
    single = side.mse(side.run(ak.analog_sgd, side.device, LR, **kw))
    floors, short = [], []
    for g in gammas:
        tr = side.run(ak.multi_tile, side.device, LR, g**2, g, tiles=GAMMA_TILES, **kw)
        floors.append(side.mse(tr))
        short.append(steps < 10 * _tmin(tr))
    floors = np.array(floors)  # (gammas, states)
    rows = []
    for i, n in enumerate(STATES):
        k = int(np.argmin(floors[:, i]))
        rows.append(Row(f"{n} states: gamma with the lowest floor", gammas[k], 1 / n, "1/n_states"))
        rows.append(
            Row(
                f"{n} states: lowest floor",
                floors[k, i],
                single[i],
                "one tile (Analog SGD)" + ("; run < 10 t_min" if short[k] else ""),
            )
        )
        rows.append(
            Row(
                f"{n} states: floor at gamma={gammas[-1]:g} / lowest",
                floors[-1, i] / floors[k, i],
                None,
                "> 1: too large a gamma hurts",
            )
        )
    return FigureData(by_quantity(rows), gammas=gammas, floors=floors, short=short, single=single)


def draw_multi_tile_gamma(fig, data: FigureData) -> None:
    ax = fig.subplots()
    for i, n in enumerate(STATES):
        color = _STATE_COLORS[n]
        ax.plot(data.gammas, data.floors[:, i], "-", color=color, label=f"{n} states")
        for g, v, short in zip(data.gammas, data.floors[:, i], data.short):
            ax.plot([g], [v], "o", color=color, markerfacecolor="white" if short else color)
        ax.axvline(1 / n, color=color, ls=":", lw=1)
        ax.axhline(data.single[i], color=color, ls="--", lw=0.8)
    ax.axvline(1 / np.sqrt(6), color="0.4", ls="-.", lw=0.8, label="Cor. 1's bound 1/√6")
    ax.plot([], [], ":", color="0.4", label="1/n_states")
    ax.plot([], [], "--", color="0.4", lw=0.8, label="one tile (Analog SGD)")
    ax.plot([], [], "o", color="0.4", markerfacecolor="white", label="run < 10 t_min")
    ax.set_xscale("log")
    ax.set_xticks(data.gammas, [f"{g:g}" for g in data.gammas], minor=False)
    ax.set_xticks([], minor=True)
    ax.set_yscale("log")
    ax.set_xlabel(f"γ ({GAMMA_TILES} tiles, transfer_lr = γ², Cor. 1's schedule)")
    ax.set_ylabel("mean (W̄ − w*)²")
    ax.legend(loc="lower left", fontsize=7)
    ax.set_title("The multi-tile floor against γ, with 1/n_states marked")


multi_tile_gamma = FigureSpec(
    "multi_tile_gamma",
    compute_multi_tile_gamma,
    draw_multi_tile_gamma,
    figsize=(6.8, 4.4),
    caption="The multi-tile floor against γ at two tiles.",
)


# -- paper 3's toy -------------------------------------------------------------------------------------

TOY_GAMMA, TOY_LR, TOY_TRANSFER_LR = 0.1, 0.01, 0.01


def compute_multi_tile_toy(quick: bool = False) -> FigureData:
    """Paper 3 App. K.3's toy: one weight, 4 states, loss (w - b)^2, several tiles.

    Tiles: ``SoftBoundsDevice(w_min=-1, w_max=1)`` (aihwkit's soft bounds with up_down = 0, no
    device-to-device or cycle noise; the same response as ``LinearDevice(1)``), dw_min = 0.5
    (4 states), stochastic rounding. Targets b = -1 + 2k/(2^16 - 1), k uniform integers (256 of
    them, one weight each, side by side as the coordinates of ``Quadratic(L=2, w_star=b)``); no
    gradient noise: the only randomness is the rounding to pulses. The paper's settings mapped
    to ``multi_tile``: gamma_vec = [0.1^(num_tile-1-i)] is gamma = 0.1 (its index 0 is the
    gradient tile W^(N)); transfer_every_vec = [2*2^n] transfers the tile with index n every
    2^(n+1) steps, i.e. tile N-1-n of analogkit receives every 2^(n+1) steps: inner_steps = 2 for
    every tile; the fast LR 0.01 is lr, the transfer LR 0.01 is transfer_lr (aihwkit would
    multiply it by the optimiser LR 0.001; that is not done here). With these settings the error
    does not fall with more tiles: a transfer onto a 4-state tile is one pulse of about 0.5 with
    probability transfer_lr |W| / dw_min, which the tiles above it, whose reach is
    gamma + gamma^2 + ... ~ 0.11, cannot absorb, and inner loops of 2 steps leave the upper
    tiles no time to settle between transfers.
    """
    steps = 1000 if quick else 3000
    tiles = (1, 2, 3) if quick else (1, 2, 3, 4)
    device = ak.SoftBoundsDevice(-1.0, 1.0)
    pulse = ak.PulseConfig.for_states(device, 4)
    b = -1 + 2 * rng(61).integers(0, 2**16, 64 if quick else 256) / (2**16 - 1)
    problem = ak.Quadratic(L=2.0, w_star=b)
    runs, rows = {}, []
    for t in tiles:
        tr = runs[t] = ak.quietly(
            ak.multi_tile,
            problem,
            device,
            TOY_LR,
            TOY_TRANSFER_LR,
            TOY_GAMMA,
            tiles=t,
            inner_steps=2,
            pulse=pulse,
            steps=steps,
            trials=1,
            rng=rng(62),
            record_every=steps // 100,
            record_weights=True,
        )
        err = ((tr.effective_weights[tr.tail_slice(0.2), 0] - b) ** 2).mean()
        rows.append(
            Row(
                f"{_tiles(t)}: mean (W̄ - b)^2 over the last 20 %",
                err,
                pulse.dw_min**2 / 12,
                "dw_min^2/12: one 4-state tile's rounding",
            )
        )
    errors = {t: ((tr.effective_weights[:, 0] - b) ** 2).mean(axis=1) for t, tr in runs.items()}
    return FigureData(by_quantity(rows), runs=runs, errors=errors, b=b)


def draw_multi_tile_toy(fig, data: FigureData) -> None:
    ax1, ax2 = fig.subplots(1, 2)
    cmap = matplotlib.colormaps["viridis"]
    for k, (t, err) in enumerate(data.errors.items()):
        steps = data.runs[t].steps
        ax1.plot(steps, err, color=cmap(k / len(data.errors)), label=_tiles(t))
    ax1.set_yscale("log")
    ax1.set_xlabel("step $k$")
    ax1.set_ylabel("mean over the targets of (W̄ − b)²")
    ax1.legend(loc="upper right")
    ax1.set_title("error over the steps (256 targets)")
    tr = data.runs[3]
    for n, color in zip(range(3), ("#1f77b4", "#2ca02c", "#9467bd")):
        ax2.plot(tr.steps, tr.tiles[f"W{n}"][:, 0, 0], color=color, lw=1, label=f"tile W{n}")
    ax2.plot(tr.steps, tr.effective_weights[:, 0, 0], color=COLORS["analog"], label="W̄")
    ax2.axhline(data.b[0], color=COLORS["digital"], lw=1, label=f"target b = {data.b[0]:.3f}")
    ax2.set_xlabel("step $k$")
    ax2.set_ylabel("weight")
    ax2.legend(loc="lower right", fontsize=7)
    ax2.set_title("3 tiles, one target: W̄ and each tile")
    fig.suptitle(
        "Paper 3's toy (4 states, γ = 0.1, inner loops of 2): the transfers kick the coarse tiles"
    )


multi_tile_toy = FigureSpec(
    "multi_tile_toy",
    compute_multi_tile_toy,
    draw_multi_tile_toy,
    figsize=(11, 4.0),
    caption="Paper 3's one-weight toy with 4 states.",
)
