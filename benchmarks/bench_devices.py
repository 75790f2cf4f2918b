"""Throughput of the expected analog update and of pulse-level updates on 10^6 weights.

Run: python benchmarks/bench_devices.py. Prints element updates per second; the target is
pulse_update on a linear device within 5x of update (also at max_pulses = 800).
"""

import time

import numpy as np

import analogkit as ak

N = 1_000_000


def rate(fn, repeats=5):
    fn()  # warm up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return N / min(times)


def main():
    rng = np.random.default_rng(0)
    rows = []
    for name, dev in [
        ("linear", ak.LinearDevice(1.0, 0.1)),
        ("soft bounds", ak.SoftBoundsDevice(-1.0, 1.0, 0.2)),
        ("power", ak.PowerDevice(1.0, 2.0)),
        ("exponential", ak.ExponentialDevice(1.0, 2.0)),
    ]:
        w = rng.uniform(-0.9, 0.9, N)
        dw = rng.normal(0, 0.01, N)
        expected = rate(lambda dev=dev, w=w, dw=dw: dev.update(w, dw))
        rows.append((name, "update", expected, 1.0))
        configs = [("pulse, dw_min 1e-3", ak.PulseConfig(1e-3))]
        if hasattr(dev, "affine"):
            big = rng.normal(0, 0.08, N)  # ~800 pulses at the tails
            configs.append(("pulse, 800 pulses", ak.PulseConfig(1e-4, max_pulses=800)))
            configs.append(
                ("800 pulses + c2c noise", ak.PulseConfig(1e-4, max_pulses=800, cycle_noise=0.1))
            )
        for label, cfg in configs:
            d = big if "800" in label else dw
            r = rate(
                lambda dev=dev, w=w, d=d, cfg=cfg: ak.pulse_update(dev, w, d, cfg, rng),
                repeats=3 if hasattr(dev, "affine") else 1,
            )
            rows.append((name, label, r, expected / r))
    print(f"{'device':12s} {'operation':22s} {'updates/s':>12s} {'slowdown vs update':>20s}")
    for name, op, r, ratio in rows:
        print(f"{name:12s} {op:22s} {r:12.3g} {ratio:20.2f}")


if __name__ == "__main__":
    main()
