"""Seeded runs of every algorithm whose arrays are pinned in ``pinned.npz``.

The arrays were recorded before the training core was rewritten as one loop over tiles and rules;
``test_pinned.py`` checks that every run still gives exactly the same numbers. Regenerate the file
(``python tests/algorithms/pinned_cases.py``) only when a change of numbers is intended, and say why
in the commit.
"""

from __future__ import annotations

import numpy as np

import analogkit as ak


def _rng(seed):
    return np.random.default_rng(seed)


def _quadratic(noise=0.3):
    return ak.Quadratic(L=[1.0, 2.0, 0.5], w_star=[0.5, -0.3, 0.2], noise=ak.GaussianNoise(noise))


def _least_squares(noise):
    return ak.LeastSquares.random(_rng(7), dim=5, rows=12, noise=noise)


def _lower_bound():
    return ak.Quadratic(L=1.0, w_star=0.1, dim=2, noise=ak.LowerBoundNoise(0.1, 1.0))


COMMON = dict(steps=60, trials=6, record_every=7, record_weights=True)
PULSE = ak.PulseConfig(dw_min=2e-3, max_pulses=50, stochastic_rounding=True, cycle_noise=0.3)
PULSE_CEIL = ak.PulseConfig(dw_min=5e-3, stochastic_rounding=False)

CASES = {
    "digital_quadratic": lambda: ak.digital_sgd(_quadratic(), 0.1, rng=_rng(1), w0=0.2, **COMMON),
    "digital_sampling": lambda: ak.digital_sgd(
        _least_squares(ak.SamplingNoise(3)), 0.05, rng=_rng(2), **COMMON
    ),
    "digital_lower_bound": lambda: ak.digital_sgd(_lower_bound(), 0.05, rng=_rng(3), **COMMON),
    "digital_diverges": lambda: ak.digital_sgd(_quadratic(0.1), 2.5, rng=_rng(4), **COMMON),
    "digital_callable_w0": lambda: ak.digital_sgd(
        _quadratic(), 0.1, rng=_rng(5), w0=lambda r, s: 0.1 * r.standard_normal(s), **COMMON
    ),
    "analog_linear": lambda: ak.analog_sgd(
        _quadratic(), ak.LinearDevice(1.0), 0.1, rng=_rng(11), **COMMON
    ),
    "analog_linear_asym": lambda: ak.analog_sgd(
        _least_squares(ak.GaussianNoise(0.1)),
        ak.LinearDevice(1.5, 0.3),
        0.1,
        rng=_rng(12),
        w0=0.4,
        **COMMON,
    ),
    "analog_softbounds": lambda: ak.analog_sgd(
        _quadratic(), ak.SoftBoundsDevice(-0.8, 1.2, 0.2), 0.2, rng=_rng(13), **COMMON
    ),
    "analog_power": lambda: ak.analog_sgd(
        _quadratic(), ak.PowerDevice(1.0, 2.0, 0.1), 0.1, rng=_rng(14), **COMMON
    ),
    "analog_exponential": lambda: ak.analog_sgd(
        _quadratic(), ak.ExponentialDevice(1.0, 3.0, -0.2), 0.1, rng=_rng(15), **COMMON
    ),
    "analog_varied": lambda: ak.analog_sgd(
        _quadratic(),
        ak.vary(ak.LinearDevice(1.0, 0.1), _rng(99), (6, 3), tau=0.1, asymmetry=0.05),
        0.1,
        rng=_rng(16),
        **COMMON,
    ),
    "analog_ideal": lambda: ak.analog_sgd(
        _quadratic(), ak.IdealDevice(), 0.1, rng=_rng(1), w0=0.2, **COMMON
    ),
    "analog_lower_bound": lambda: ak.analog_sgd(
        _lower_bound(), ak.LinearDevice(1.0), 0.05, rng=_rng(17), **COMMON
    ),
    "analog_linear_pulse": lambda: ak.analog_sgd(
        _quadratic(), ak.LinearDevice(1.0, 0.2), 0.1, pulse=PULSE, rng=_rng(21), **COMMON
    ),
    "analog_linear_pulse_ceil": lambda: ak.analog_sgd(
        _quadratic(), ak.LinearDevice(1.0), 0.1, pulse=PULSE_CEIL, rng=_rng(22), **COMMON
    ),
    "analog_power_pulse": lambda: ak.analog_sgd(
        _quadratic(), ak.PowerDevice(1.0, 2.0), 0.05, pulse=PULSE, rng=_rng(23), **COMMON
    ),
    "analog_softbounds_pulse": lambda: ak.analog_sgd(
        _quadratic(), ak.SoftBoundsDevice(-1.0, 1.0, -0.3), 0.1, pulse=PULSE, rng=_rng(24), **COMMON
    ),
    "tt_gamma0": lambda: ak.tiki_taka(
        _quadratic(), ak.LinearDevice(1.0), 0.1, 0.05, rng=_rng(31), **COMMON
    ),
    "tt_residual": lambda: ak.tiki_taka(
        _least_squares(ak.GaussianNoise(0.1)),
        ak.LinearDevice(2.0, 0.3),
        0.1,
        0.05,
        0.4,
        rng=_rng(32),
        **COMMON,
    ),
    "tt_zero_shift_read_noise": lambda: ak.tiki_taka(
        _quadratic(),
        ak.LinearDevice(1.0, 0.3),
        0.1,
        0.05,
        0.4,
        zero_shift=True,
        read_noise=0.02,
        transfer_every=2,
        rng=_rng(33),
        **COMMON,
    ),
    "tt_fast_device": lambda: ak.tiki_taka(
        _quadratic(),
        ak.LinearDevice(1.0),
        0.1,
        0.05,
        0.2,
        fast_device=ak.PowerDevice(1.0, 2.0, 0.2),
        zero_shift=True,
        rng=_rng(34),
        **COMMON,
    ),
    "tt_pulse": lambda: ak.tiki_taka(
        _quadratic(), ak.LinearDevice(1.0, 0.1), 0.1, 0.05, 0.3, pulse=PULSE, rng=_rng(35), **COMMON
    ),
    "tt_power_pulse": lambda: ak.tiki_taka(
        _quadratic(), ak.PowerDevice(1.0, 2.0), 0.1, 0.05, pulse=PULSE, rng=_rng(36), **COMMON
    ),
    "tt_diverges": lambda: ak.tiki_taka(
        _quadratic(0.1), ak.IdealDevice(), 1.0, 1.0, 3.0, rng=_rng(37), **COMMON
    ),
    "ttv2_plain": lambda: ak.ttv2(
        _quadratic(), ak.LinearDevice(1.0), 0.1, 0.5, threshold=0.01, rng=_rng(41), **COMMON
    ),
    "ttv2_decay": lambda: ak.ttv2(
        _quadratic(),
        ak.LinearDevice(1.0, 0.2),
        0.1,
        0.3,
        0.3,
        decay=True,
        zero_shift=True,
        threshold=0.005,
        read_noise=0.01,
        rng=_rng(42),
        **COMMON,
    ),
    "ttv2_pulse": lambda: ak.ttv2(
        _quadratic(),
        ak.LinearDevice(1.0),
        0.1,
        0.3,
        decay=True,
        pulse=PULSE,
        rng=_rng(43),
        transfer_every=3,
        **COMMON,
    ),
    "ttv2_default_threshold": lambda: ak.ttv2(
        _least_squares(ak.GaussianNoise(0.1)),
        ak.LinearDevice(2.0),
        0.1,
        0.5,
        rng=_rng(44),
        **COMMON,
    ),
}

#: the Trace attributes that are pinned (None where a run has no such array)
FIELDS = (
    "steps",
    "loss",
    "grad_norm2",
    "weights",
    "fast",
    "final_weights",
    "final_fast",
    "diverged",
    "diverged_step",
)


def arrays(trace) -> dict:
    """The pinned arrays of one trace, by field name (absent fields left out)."""
    out = {f: getattr(trace, f) for f in FIELDS if getattr(trace, f) is not None}
    if "final_buffer" in trace.meta:
        out["final_buffer"] = trace.meta["final_buffer"]
    return out


if __name__ == "__main__":
    import warnings
    from pathlib import Path

    data = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ak.RunWarning)
        for name, run in CASES.items():
            for field, value in arrays(run()).items():
                data[f"{name}/{field}"] = np.asarray(value)
    path = Path(__file__).with_name("pinned.npz")
    np.savez_compressed(path, **data)
    print(f"wrote {len(data)} arrays to {path} ({path.stat().st_size / 1e3:.0f} kB)")
