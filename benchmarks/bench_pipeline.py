"""Cost per step of ak.pipeline's wrapper against the plain algorithm.

Run with ``python benchmarks/bench_pipeline.py`` (``--quick`` for a short run). Prints a table;
makes no assertions (timing depends on the machine and its load).

Setting: the pipeline figures' network (``DeepLinear(4, 8, batch=8)``), 16 trials, 2000 steps,
record_every=100, ``LinearDevice(0.7)``, Analog SGD lr = 0.006 and Tiki-Taka lr = 0.02,
transfer_lr = 0.005, gamma = 0.5. Reported: the cost per step of async with 8 stages (the stale
assembly of every stage's slice) over the plain algorithm, and of sync per micro-batch gradient
(M = 4: four gradients per step) over the plain algorithm's one. BLAS is pinned to one thread
before numpy is imported; times are the best CPU time of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time


def _parse(argv):
    parser = argparse.ArgumentParser(description="Cost per step of ak.pipeline.")
    parser.add_argument("--quick", action="store_true", help="200 steps instead of 2000")
    parser.add_argument("--repeat", type=int, default=2, help="best of this many runs (default 2)")
    return parser.parse_args(argv)


ARGS = _parse(sys.argv[1:] if __name__ == "__main__" else [])
for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402

import analogkit as ak  # noqa: E402


def _best_cpu(fn, repeat):
    """The least CPU time of `repeat` calls fn(rng=default_rng(1)), every call seeded alike."""
    best = np.inf
    for _ in range(repeat):
        start = time.process_time()
        fn(rng=np.random.default_rng(1))
        best = min(best, time.process_time() - start)
    return best


def main(args=ARGS):
    trials, steps = 16, 200 if args.quick else 2000
    net = ak.networks.DeepLinear(4, 8, rng=np.random.default_rng(0), batch=8)
    dev = ak.LinearDevice(0.7)
    algos = {
        "analog_sgd": (ak.analog_sgd, dict(lr=0.006)),
        "tiki_taka": (ak.tiki_taka, dict(lr=0.02, transfer_lr=0.005, gamma=0.5)),
    }
    print(
        f"{'algorithm':<12} {'plain ms/step':>14} {'async S=8 ratio':>16} {'sync M=4 ratio/M':>17}"
    )
    for name, (fn, kw) in algos.items():
        run = dict(device=dev, steps=steps, trials=trials, w0=net.init(trials), record_every=100)

        one = functools.partial(ak.quietly, fn, net, **run, **kw)
        piped = functools.partial(ak.quietly, ak.pipeline, net, fn, stages=8, **run, **kw)
        jobs = (one, functools.partial(piped, mode="async"))
        jobs += (functools.partial(piped, mode="sync", micro_batches=4),)
        t0, ta, ts = (_best_cpu(job, args.repeat) for job in jobs)
        print(f"{name:<12} {1e3 * t0 / steps:>14.3f} {ta / t0:>16.2f} {ts / t0 / 4:>17.2f}")


if __name__ == "__main__":
    main()
