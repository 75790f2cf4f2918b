"""Step time of the training algorithms in this tree against another git revision, in one run.

Usage: ``python benchmarks/bench_against.py REV [--repeat N] [--instructions]``

Checks REV out into a temporary git worktree and times, alternately in fresh subprocesses (one
BLAS thread each), the bare numpy SGD loop of ``bench_algorithms.py`` and ``analog_sgd`` and
``tiki_taka`` (expected and pulse mode) on least squares with 40 weights, 1000 trials, 2000 steps,
record_every=100. Each algorithm's time is divided by the bare loop's time *in the same
subprocess*, so the ratios do not depend on the machine's load; the table gives the best ratio
over the repeats for both trees and their quotient. Prints a table; asserts nothing.

``--instructions`` counts machine instructions under ``valgrind --tool=callgrind`` instead of
timing (200 steps, one run each): the counts do not depend on what else the machine is doing. Each
count has the cost of starting Python and building the problem subtracted (a run that trains
nothing), and is again divided by the bare loop's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SNIPPET = r"""
import json, time
import numpy as np
import analogkit as ak

def best(fn, n=2):
    t = float("inf")
    for _ in range(n):
        c = time.process_time(); fn(); t = min(t, time.process_time() - c)
    return t

problem = ak.LeastSquares.random(np.random.default_rng(0), dim=40, rows=100,
                                 noise=ak.GaussianNoise(0.01))
AtA, Atb = problem.A.T @ problem.A, problem.A.T @ problem.b
dev, pulse = ak.LinearDevice(tau=3.0), ak.PulseConfig(dw_min=1e-4, max_pulses=800)
common = dict(steps=2000, trials=1000, record_every=100)

STEPS = 2000


def floor():
    rng = np.random.default_rng(1)
    W = np.zeros((1000, 40))
    for _ in range(STEPS):
        W -= 0.1 * (W @ AtA - Atb + 0.01 * rng.standard_normal(W.shape))

runs = {
    "analog_sgd": lambda: ak.analog_sgd(problem, dev, 0.1, rng=np.random.default_rng(1), **common),
    "tiki_taka": lambda: ak.tiki_taka(problem, dev, 0.1, 0.1, rng=np.random.default_rng(1), **common),
    "analog_sgd [pulse]": lambda: ak.analog_sgd(problem, dev, 0.1, pulse=pulse,
                                                rng=np.random.default_rng(1), **common),
    "tiki_taka [pulse]": lambda: ak.tiki_taka(problem, dev, 0.1, 0.1, pulse=pulse,
                                              rng=np.random.default_rng(1), **common),
}
import sys
if len(sys.argv) > 1:  # one run, for counting instructions: "none", "floor" or an algorithm
    common["steps"] = 200
    STEPS = 200
    {"none": lambda: None, "floor": floor, **runs}[sys.argv[1]]()
else:
    base = best(floor)
    print(json.dumps({name: best(fn) / base for name, fn in runs.items()}))
"""


def _ratios(tree: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
        env[var] = "1"
    out = subprocess.run(
        [sys.executable, "-c", SNIPPET], env=env, cwd=tree, check=True, capture_output=True
    )
    return json.loads(out.stdout)


NAMES = ("analog_sgd", "tiki_taka", "analog_sgd [pulse]", "tiki_taka [pulse]")


def _instructions(tree: Path, name: str) -> int:
    env = {**os.environ, "PYTHONPATH": str(tree), "OPENBLAS_NUM_THREADS": "1"}
    out = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-c",
            SNIPPET,
            name,
        ],
        env=env,
        cwd=tree,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(re.search(r"Collected : (\d+)", out.stderr).group(1))


def _instruction_ratios(tree: Path) -> dict:
    none = _instructions(tree, "none")
    floor = _instructions(tree, "floor") - none
    return {name: (_instructions(tree, name) - none) / floor for name in NAMES}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the git revision to compare against, e.g. main or a hash")
    parser.add_argument("--repeat", type=int, default=3, help="alternating rounds (default 3)")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions with valgrind instead"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "other"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(other), args.rev], cwd=ROOT, check=True
        )
        try:
            best = {"this tree": {}, args.rev: {}}
            for _ in range(1 if args.instructions else args.repeat):
                for label, tree in (("this tree", ROOT), (args.rev, other)):
                    ratios = _instruction_ratios(tree) if args.instructions else _ratios(tree)
                    for name, r in ratios.items():
                        best[label][name] = min(r, best[label].get(name, float("inf")))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT)
    what = (
        "instructions / bare numpy SGD loop (valgrind, 200 steps)"
        if args.instructions
        else f"time / bare numpy SGD loop (best of {args.repeat}; CPU time, one BLAS thread)"
    )
    print(what + "\n")
    print(f"| algorithm | {args.rev} | this tree | this tree / {args.rev} |")
    print("|---|---|---|---|")
    for name, now in best["this tree"].items():
        then = best[args.rev][name]
        print(f"| {name} | {then:.3f} | {now:.3f} | {now / then:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
