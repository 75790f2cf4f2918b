"""Throughput of the training algorithms, in trial-steps per second, against a plain numpy floor.

Run with ``python benchmarks/bench_algorithms.py`` (``--quick`` for a short run). Prints a table;
makes no assertions (timing depends on the machine and its load).

Setting: ``LeastSquares.random(dim=40, rows=100)`` with ``GaussianNoise(0.01)``, 1000 trials,
2000 steps, record_every=100. The "floor" is the cheapest honest loop over the same arrays::

    W -= lr * (W @ AtA - Atb + std * rng.standard_normal(W.shape))

Targets (reported, not asserted): analog_sgd and tiki_taka in expected mode within 2.5x of the
floor and >= 1e6 trial-steps/s. Also reports the memory of a 1000-trial x 1e5-step run with
record_every=1000 (dim=1 Quadratic), measured with tracemalloc and Trace.nbytes.

BLAS threads: by default the script pins OpenBLAS/MKL/OpenMP to one thread (set before numpy is
imported), so that the small (1000 x 40) @ (40 x 40) products are not slowed by thread hand-offs
on a busy machine; ``--blas-threads 0`` leaves the environment alone.

Imports analogkit only through its public API.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import tracemalloc


def _parse(argv):
    parser = argparse.ArgumentParser(description="Throughput of analogkit's training algorithms.")
    parser.add_argument("--quick", action="store_true", help="200 steps instead of 2000")
    parser.add_argument("--repeat", type=int, default=2, help="best of this many runs (default 2)")
    parser.add_argument("--skip-memory", action="store_true", help="skip the 1e5-step memory run")
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


def _floor(problem, lr, std, steps, trials, seed):
    rng = np.random.default_rng(seed)
    AtA = problem.A.T @ problem.A
    Atb = problem.A.T @ problem.b
    W = np.zeros((trials, problem.dim))
    for _ in range(steps):
        W -= lr * (W @ AtA - Atb + std * rng.standard_normal(W.shape))
    return W


def _best_time(fn, repeat):
    """Best (CPU seconds of this process, wall seconds) over `repeat` runs.

    CPU time is the headline number: on a shared machine it is far less sensitive to other
    processes than wall time (BLAS is pinned to one thread, so the two agree on an idle machine).
    """
    cpu = wall = np.inf
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        cpu = min(cpu, time.process_time() - c0)
        wall = min(wall, time.perf_counter() - t0)
    return cpu, wall


def main(args=ARGS):
    trials, dim, rows, std = 1000, 40, 100, 0.01
    steps = 200 if args.quick else 2000
    problem = ak.LeastSquares.random(
        np.random.default_rng(0), dim=dim, rows=rows, noise=ak.GaussianNoise(std)
    )
    dev = ak.LinearDevice(tau=3.0)
    pulse = ak.PulseConfig(dw_min=1e-4, max_pulses=800)
    lr, tlr = 0.1, 0.1
    common = dict(steps=steps, trials=trials, record_every=100)

    def rng():
        return np.random.default_rng(1)

    runs = {
        "digital_sgd": lambda: ak.digital_sgd(problem, lr, rng=rng(), **common),
        "analog_sgd": lambda: ak.analog_sgd(problem, dev, lr, rng=rng(), **common),
        "analog_sgd (ideal device)": lambda: ak.analog_sgd(
            problem, ak.IdealDevice(), lr, rng=rng(), **common
        ),
        "tiki_taka": lambda: ak.tiki_taka(problem, dev, lr, tlr, rng=rng(), **common),
        "tiki_taka (gamma=0.4, zero_shift)": lambda: ak.tiki_taka(
            problem, ak.LinearDevice(3.0, 0.3), lr, tlr, 0.4, zero_shift=True, rng=rng(), **common
        ),
        "ttv2 (decay=False)": lambda: ak.ttv2(
            problem, dev, lr, 1e-3, threshold=1e-3, rng=rng(), **common
        ),
        "ttv2 (decay=True)": lambda: ak.ttv2(
            problem, dev, lr, tlr, decay=True, threshold=1e-3, rng=rng(), **common
        ),
        "analog_sgd [pulse]": lambda: ak.analog_sgd(
            problem, dev, lr, pulse=pulse, rng=rng(), **common
        ),
        "tiki_taka [pulse]": lambda: ak.tiki_taka(
            problem, dev, lr, tlr, pulse=pulse, rng=rng(), **common
        ),
        "ttv2 (decay=True) [pulse]": lambda: ak.ttv2(
            problem, dev, lr, tlr, decay=True, pulse=pulse, rng=rng(), **common
        ),
    }

    print(
        f"analogkit {ak.__version__}, numpy {np.__version__}, python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"LeastSquares.random(dim={dim}, rows={rows}), GaussianNoise({std}), {trials} trials x "
        f"{steps} steps, best of {args.repeat}\n"
    )
    floor, floor_wall = _best_time(lambda: _floor(problem, lr, std, steps, trials, 1), args.repeat)
    n = trials * steps
    header = (
        f"{'algorithm':36s} {'CPU s':>7s} {'wall s':>7s} {'trial-steps/s':>14s} {'x floor':>8s}"
        "  target (<= 2.5x floor and >= 1e6/s)"
    )
    print(header)
    print("-" * len(header))
    print(
        f"{'floor (inline numpy digital SGD)':36s} {floor:7.3f} {floor_wall:7.3f} "
        f"{n / floor:14.3e} {1.0:8.2f}"
    )
    for name, fn in runs.items():
        cpu, wall = _best_time(fn, args.repeat)
        target = ""
        if name in ("analog_sgd", "tiki_taka"):
            ratio_ok, rate_ok = cpu / floor <= 2.5, n / cpu >= 1e6
            target = (
                f"ratio {'met' if ratio_ok else 'MISSED'}, rate {'met' if rate_ok else 'MISSED'}"
            )
        print(f"{name:36s} {cpu:7.3f} {wall:7.3f} {n / cpu:14.3e} {cpu / floor:8.2f}  {target}")
    print("(trial-steps/s and 'x floor' from CPU time; wall time is shown for reference)")

    if not args.skip_memory:
        quad = ak.Quadratic(L=1.0, w_star=0.5, noise=ak.GaussianNoise(0.3))
        mem_steps = 10_000 if args.quick else 100_000
        tracemalloc.start()
        t0 = time.process_time()
        tr = ak.analog_sgd(
            quad,
            ak.LinearDevice(1.0),
            0.05,
            steps=mem_steps,
            trials=1000,
            rng=np.random.default_rng(2),
            record_every=1000,
            record_weights=True,
        )
        elapsed = time.process_time() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"\nmemory: analog_sgd on Quadratic(dim=1), 1000 trials x {mem_steps:.0e} steps, "
            f"record_every=1000, record_weights=True: {tr.n_records} records, "
            f"Trace.nbytes = {tr.nbytes / 1e6:.2f} MB, tracemalloc peak = {peak / 1e6:.2f} MB, "
            f"{elapsed:.1f} CPU s with tracemalloc ({1000 * mem_steps / elapsed:.1e} trial-steps/s)"
        )


if __name__ == "__main__":
    main()
