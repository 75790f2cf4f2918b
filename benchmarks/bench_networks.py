"""Speed of the analog MLP: one epoch over the digits training split for 5 seeds at once.

Run: python benchmarks/bench_networks.py. The 64-32-10 network of notebook 06 (1,437 training
images, batch 10: 144 steps), 5 seeds as the trials axis, Analog SGD and Tiki-Taka on
``LinearDevice(0.6)``, expected updates, the test accuracy recorded at the start and the end of
the epoch, as the tables do. Prints the best of 5 repetitions in wall-clock and CPU seconds per
epoch and trial-steps per second, with BLAS on one thread (``ak.networks.single_threaded()``, as
every network run of the package) and with BLAS's default threads. Target: <= 0.25 s per epoch
for the 5 seeds (aihwkit 1.2 on CPU takes 0.08-0.10 s per epoch for one trial).
"""

from __future__ import annotations

import contextlib
import time

import numpy as np

import analogkit as ak

SEEDS, REPEATS = 5, 5


def epoch(algorithm, net, device, w0):
    spe = ak.networks.steps_per_epoch(net)
    args = (device, 0.1) if algorithm is ak.analog_sgd else (device, 0.1, 0.01)
    return algorithm(
        net, *args, steps=spe, trials=SEEDS, rng=np.random.default_rng(0), w0=w0, record_every=spe
    )


def best(fn):
    wall = cpu = float("inf")
    for _ in range(REPEATS):
        c, t = time.process_time(), time.perf_counter()
        fn()
        wall, cpu = min(wall, time.perf_counter() - t), min(cpu, time.process_time() - c)
    return wall, cpu


def main():
    net = ak.networks.digits_mlp()
    spe = ak.networks.steps_per_epoch(net)
    device = ak.LinearDevice(0.6)
    w0 = ak.networks.initial(net, SEEDS)
    print(f"{net.sizes} MLP, {spe} steps of batch {net.batch} per epoch, {SEEDS} seeds")
    print(f"{'algorithm':12s} {'BLAS':8s} {'s/epoch':>8s} {'CPU s':>7s} {'trial-steps/s':>14s}")
    for algorithm in (ak.analog_sgd, ak.tiki_taka):
        for blas, context in (("1 thread", ak.networks.single_threaded), ("default", None)):
            with context() if context else contextlib.nullcontext():
                epoch(algorithm, net, device, w0)  # warm up
                wall, cpu = best(lambda a=algorithm: ak.quietly(epoch, a, net, device, w0))
            rate = SEEDS * spe / wall
            print(f"{algorithm.__name__:12s} {blas:8s} {wall:8.3f} {cpu:7.3f} {rate:14.3g}")
    print("target: <= 0.25 s per epoch for the 5 seeds")


if __name__ == "__main__":
    main()
