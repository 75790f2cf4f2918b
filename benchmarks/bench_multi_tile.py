"""Cost per step of multi-tile residual learning against Tiki-Taka, and of pulses against expected
updates.

Run with ``python benchmarks/bench_multi_tile.py`` (``--quick`` for a short run). Prints a table;
makes no assertions (timing depends on the machine and its load).

Setting: ``LeastSquares.random(dim=40, rows=100)`` with ``GaussianNoise(0.01)``, 1000 trials,
2000 steps, record_every=100, ``LinearDevice(3.0)``, lr = 0.1, transfer_lr = 0.09, gamma = 0.3.
Targets (reported, not asserted): ``multi_tile`` with 4 tiles (Cor. 1's schedule) within 2x the
cost per step of ``tiki_taka`` (two tiles, a transfer every step) in expected mode, and its
pulse mode (40 states, stochastic rounding) within 3x its expected mode. BLAS is pinned to one
thread before numpy is imported (``--blas-threads 0`` leaves it alone); times are the best CPU
time of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time


def _parse(argv):
    parser = argparse.ArgumentParser(description="Cost per step of multi-tile residual learning.")
    parser.add_argument("--quick", action="store_true", help="200 steps instead of 2000")
    parser.add_argument("--repeat", type=int, default=2, help="best of this many runs (default 2)")
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=1,
        help="BLAS/OpenMP threads to pin before importing numpy (default 1; 0 = leave as is)",
    )
    return parser.parse_args(argv)


ARGS = _parse(sys.argv[1:] if __name__ == "__main__" else [])
if ARGS.blas_threads > 0:
    for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ[var] = str(ARGS.blas_threads)

import numpy as np  # noqa: E402

import analogkit as ak  # noqa: E402


def _best_cpu(fn, repeat):
    best = np.inf
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def main(args=ARGS):
    trials, steps = 1000, 200 if args.quick else 2000
    problem = ak.LeastSquares.random(
        np.random.default_rng(0), dim=40, rows=100, noise=ak.GaussianNoise(0.01)
    )
    device = ak.LinearDevice(3.0)
    pulse = ak.PulseConfig.for_states(device, 40)
    lr, transfer_lr, gamma = 0.1, 0.09, 0.3
    common = dict(steps=steps, trials=trials, record_every=100)

    def rng():
        return np.random.default_rng(1)

    def tiki_taka(pulse=None):
        return ak.tiki_taka(
            problem, device, lr, transfer_lr, gamma, pulse=pulse, rng=rng(), **common
        )

    def multi_tile(pulse=None):
        return ak.multi_tile(
            problem, device, lr, transfer_lr, gamma, tiles=4, pulse=pulse, rng=rng(), **common
        )

    runs = {
        "tiki_taka (2 tiles)": tiki_taka,
        "multi_tile (4 tiles)": multi_tile,
        "tiki_taka (2 tiles) [pulse, 40 states]": lambda: tiki_taka(pulse),
        "multi_tile (4 tiles) [pulse, 40 states]": lambda: multi_tile(pulse),
    }
    print(
        f"analogkit {ak.__version__}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}; LeastSquares.random(dim=40, rows=100), "
        f"{trials} trials x {steps} steps, best CPU time of {args.repeat}\n"
    )
    cpu = {}
    print(f"{'algorithm':42s} {'CPU s':>7s} {'us/step':>8s} {'trial-steps/s':>14s}")
    for name, fn in runs.items():
        cpu[name] = _best_cpu(fn, args.repeat)
        per_step = cpu[name] / steps * 1e6
        print(f"{name:42s} {cpu[name]:7.3f} {per_step:8.0f} {trials * steps / cpu[name]:14.3e}")
    expected = cpu["multi_tile (4 tiles)"] / cpu["tiki_taka (2 tiles)"]
    pulsed = cpu["multi_tile (4 tiles) [pulse, 40 states]"] / cpu["multi_tile (4 tiles)"]
    print(
        f"\nmulti_tile (4 tiles) / tiki_taka, expected mode: {expected:.2f}x "
        f"(target <= 2x: {'met' if expected <= 2 else 'MISSED'})"
    )
    print(
        f"multi_tile pulse / expected mode:                {pulsed:.2f}x "
        f"(target <= 3x: {'met' if pulsed <= 3 else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
