"""The network dashboard (notebook 06): train a small analog MLP live for the chosen algorithm,
device family, range tau and number of states, and watch the test accuracy of every seed.

To answer a slider within 200 ms the live configuration is smaller than the tables': a 64-16-10
network on the first 400 training images (40 steps of batch 10 per epoch), 4 epochs, 3 seeds,
and all seeds run as one vectorised call. Runs are cached per setting.
"""

from __future__ import annotations

import functools

import numpy as np

import analogkit as ak
from analogkit import networks
from analogkit.plotting import plot_accuracy, plot_response
from analogkit.style import COLORS
from analogkit.widgets.base import Dashboard, Result, dropdown, slider
from analogkit.widgets.runs import SEED

__all__ = ["NetworkDashboard", "network_dashboard", "ALGORITHMS", "STATES"]

#: dropdown name -> (function, extra arguments): lr = 0.1 as in the tables, but a transfer rate of
#: 0.05 instead of 0.01, so that the transfer keeps up within the short live run
ALGORITHMS = {
    "digital SGD": (ak.digital_sgd, {}),
    "Analog SGD": (ak.analog_sgd, {}),
    "Tiki-Taka": (ak.tiki_taka, {"transfer_lr": 0.05}),
    "residual learning": (ak.tiki_taka, {"transfer_lr": 0.05, "gamma": 0.1}),
    "TTv2": (ak.ttv2, {"transfer_lr": 0.05}),
    "RLv2": (ak.ttv2, {"transfer_lr": 0.05, "gamma": 0.1, "decay": True}),
    "c-TTv2": (ak.c_ttv2, {"transfer_lr": 0.05, "flip_prob": 0.01}),  # aihwkit's presets
    "AGAD": (ak.agad, {"transfer_lr": 0.05, "flip_prob": 0.02}),
    "mixed precision": (ak.mixed_precision, {}),
    "multi-tile (3)": (ak.multi_tile, {"transfer_lr": 0.1, "tiles": 3, "inner_steps": 4}),
}
#: the states dropdown: a number of states, or the expected update (infinitely many, which the
#: 1,000-odd states of paper 1's and paper 2's networks are close to)
STATES = ("4", "10", "30", "100", "expected")
FAMILY_NAMES = ("linear", "soft bounds", "power", "exponential")
SEEDS, EPOCHS, SUBSET, HIDDEN = 3, 4, 400, 16


@functools.lru_cache(maxsize=1)
def _net():
    data = networks.digits_mlp().data
    small = networks.Dataset(
        data.x_train[:SUBSET], data.y_train[:SUBSET], data.x_test, data.y_test, n_classes=10
    )
    return networks.MLP((64, HIDDEN, 10), small, batch=networks.BATCH, gains=networks.GAINS)


@functools.lru_cache(maxsize=128)
def run(algorithm, family, tau, gamma_res, states):
    """One cached live run (a frozen Trace; its "test_accuracy" is recorded every epoch)."""
    net = _net()
    fn, extra = ALGORITHMS[algorithm]
    device = ak.FAMILIES[family].build(tau, 0.0, gamma_res)
    pulse = None if states == "expected" else ak.PulseConfig.for_states(device, int(states))
    if algorithm == "mixed precision" and pulse is None:
        pulse = ak.PulseConfig.for_states(device, 100)  # it writes whole pulses
    args = (networks.LR,) if fn is ak.digital_sgd else (device, networks.LR)
    kw = dict(extra)
    if "transfer_lr" in kw:
        args += (kw.pop("transfer_lr"),)
    if fn is ak.multi_tile:
        args += (0.3,)
    if fn is not ak.digital_sgd:
        kw["pulse"] = pulse
    spe = networks.steps_per_epoch(net)
    with networks.single_threaded():
        trace = ak.quietly(
            fn,
            net,
            *args,
            steps=EPOCHS * spe,
            trials=SEEDS,
            rng=np.random.default_rng(SEED),
            w0=networks.initial(net, SEEDS),
            record_every=spe,
            **kw,
        )
    return trace


def accuracy(trace) -> np.ndarray:
    """Test accuracy in %, (epochs + 1, seeds)."""
    return 100.0 * trace.metrics["test_accuracy"]


class NetworkDashboard(Dashboard):
    """Test accuracy of every seed of a small analog MLP, against digital SGD."""

    name = "network"

    def controls(self):
        return {
            "algorithm": dropdown("algorithm", list(ALGORITHMS), "Tiki-Taka"),
            "family": dropdown("family", list(FAMILY_NAMES), "linear"),
            "tau": slider("tau", 0.6, 0.1, 2.0, 0.05),
            "n_states": dropdown("n_states", list(STATES), "expected"),
            "gamma_res": slider("gamma_res", 2.0, 0.5, 4.0, 0.1),
        }

    def simulate(self, algorithm, family, tau, n_states, gamma_res):
        device = ak.FAMILIES[family].build(tau, 0.0, gamma_res)
        if "gamma" not in ak.FAMILIES[family].controls:  # the same device: the same cached run
            gamma_res = self.defaults["gamma_res"]
        trace = run(algorithm, family, tau, gamma_res, n_states)
        digital = run("digital SGD", "linear", 1.0, 2.0, "expected")
        final = accuracy(trace)[-1]
        numbers = {
            "accuracy_mean": np.nanmean(final),
            "accuracy_min": np.nanmin(final),
            "accuracy_max": np.nanmax(final),
            "accuracy_digital": accuracy(digital)[-1].mean(),
            "symmetric_point": device.symmetric_point,
        }
        messages = []
        if algorithm == "digital SGD":
            messages.append("Digital SGD ignores the device: choose an analog algorithm.")
        elif algorithm == "mixed precision" and n_states == "expected":
            messages.append("Mixed precision writes whole pulses: shown with 100 states.")
        if trace.saturated.any():
            messages.append(
                f"{int(trace.saturated.sum())} of {SEEDS} seeds end with half a tile's weights at "
                f"±τ = ±{tau:g}: the range is too small for the weights the network needs."
            )
        if trace.any_diverged:
            messages.append(f"{int(trace.diverged.sum())} of {SEEDS} seeds diverged.")
        data = {"trace": trace, "digital": digital, "device": device, "algorithm": algorithm}
        return Result(numbers, messages, data)

    def draw(self, fig, result):
        ax1, ax2 = fig.subplots(1, 2)
        d = result.data
        digital = accuracy(d["digital"])
        plot_accuracy(ax1, digital, label="digital SGD", color=COLORS["digital"], ls="--")
        acc = accuracy(d["trace"])
        for s in range(SEEDS):
            label = d["algorithm"] if s == 0 else None
            plot_accuracy(ax1, acc[:, s : s + 1], color=COLORS["tiki-taka"], label=label)
        ax1.legend(loc="lower right")
        ax1.set_title(f"test accuracy, {SEEDS} seeds")
        plot_response(ax2, d["device"], curves=("q_plus", "q_minus"))
        ax2.set_title("the device's response")


def network_dashboard(**values) -> NetworkDashboard:
    """algorithm, device family, tau, n_states, gamma_res -> live test-accuracy curves of 3 seeds."""
    return NetworkDashboard(**values)
