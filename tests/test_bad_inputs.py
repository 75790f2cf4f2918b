"""Bad inputs across the public API, property-based: every case ends in a clear error that names
the parameter, a documented behaviour, or a finite, in-range result -- never a raw exception, a
silent NaN or inf, or a hang (each case must finish within 5 s).

Every entry point below is called with all arguments valid but one, which hypothesis draws from
wrong types, NaN, ±inf, huge, tiny, negative and zero values, wrong shapes and empty arrays.
``pytest tests/test_bad_inputs.py -s`` prints the count table.
"""

from __future__ import annotations

import signal
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field, fields, is_dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import analogkit as ak

TIME_LIMIT = 5.0  # seconds per case

REALS = [np.nan, np.inf, -np.inf, 1e300, -1e300, 1e-300, -1e-300, -1.0, 0.0, 1e6]
WRONG_TYPES = ["0.5", None, [0.5, 0.5], {"a": 1}, 0.5 + 1j, True, object()]
ARRAYS = [np.array([]), np.ones((2, 3)), np.array([np.nan]), np.array([0.5 + 1j]), np.array(0.5)]
INTS = [-1, 0, 5.0, np.nan, np.inf, 10**12, "5", None, [5], True, 5 + 0j, np.array(5)]
BOOLS = ["False", 1, None, 0.0, np.array([True, False])]
OBJECTS = [None, "x", 1.0, object(), np.zeros(3)]

#: every value of these lists is tried for every parameter of the kind ...
LISTED = {"real": REALS + WRONG_TYPES + ARRAYS, "int": INTS, "bool": BOOLS, "object": OBJECTS}
#: ... and hypothesis draws further bad numbers: any float, and counts that are negative, zero or
#: huge (a moderate count is a valid input, however slow)
DRAWN = {
    "real": st.floats(allow_nan=True, allow_infinity=True, width=64),
    "int": st.integers(-(10**15), 0) | st.integers(10**12, 10**15),
}

COUNTS: Counter = Counter()


@dataclass
class Entry:
    """A public entry point: ``call(**kwargs)`` with valid defaults and the kind of each argument.

    ``documented`` names arguments whose out-of-range values have a documented meaning (e.g. w0
    outside the device range is clipped into it); ``result`` checks what a call returned.
    """

    name: str
    call: object
    valid: dict
    kinds: dict
    documented: set = field(default_factory=set)
    aliases: dict = field(default_factory=dict)


def _finite(value) -> bool:
    """Every number in `value` (arrays, dataclasses, traces, dicts) is finite."""
    if isinstance(value, ak.Trace):
        ok = ~value.diverged
        return all(np.all(np.isfinite(a[:, ok])) for a in value.metrics.values())
    if is_dataclass(value) and not isinstance(value, type):
        return all(_finite(getattr(value, f.name)) for f in fields(value))
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, (bool, str, type(None))) or isinstance(value, ak.Device):
        return True
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return True  # not numeric (a widget, a figure)
    return bool(np.all(np.isfinite(arr)))


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


def _run(entry: Entry, param: str, value):
    kwargs = {**entry.valid, param: value}
    names = (param, *entry.aliases.get(param, ()))
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = entry.call(**kwargs)
    except _Timeout:
        COUNTS[(entry.name, "hang")] += 1
        pytest.fail(f"{entry.name}({param}={value!r}) ran longer than {TIME_LIMIT} s")
    except (TypeError, ValueError) as exc:
        if not any(n in str(exc) for n in names):
            COUNTS[(entry.name, "unclear error")] += 1
            pytest.fail(f"{entry.name}({param}={value!r}): the error does not name it: {exc}")
        COUNTS[(entry.name, "clear error")] += 1
        return
    except Exception as exc:  # noqa: BLE001 - any other exception is the failure being tested
        COUNTS[(entry.name, "raw exception")] += 1
        pytest.fail(f"{entry.name}({param}={value!r}) raised {type(exc).__name__}: {exc}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert time.perf_counter() - start < TIME_LIMIT
    if not _finite(out):
        COUNTS[(entry.name, "silent NaN/inf")] += 1
        pytest.fail(f"{entry.name}({param}={value!r}) returned non-finite values")
    COUNTS[(entry.name, "documented" if param in entry.documented else "finite result")] += 1


# -- the entry points ---------------------------------------------------------------------------

RNG = np.random.default_rng
QUAD = ak.Quadratic(L=1.0, w_star=0.5, dim=2, noise=ak.GaussianNoise(0.1))
LIN = ak.LinearDevice(1.0, 0.2)
RUN = dict(problem=QUAD, steps=20, trials=3, rng=RNG(0))
RUN_KINDS = dict(problem="object", steps="int", trials="int", rng="object")
R = "real"
NET = ak.networks.digits_mlp()


def _trace():
    return ak.analog_sgd(QUAD, LIN, 0.1, steps=20, trials=3, rng=RNG(0), record_weights=True)


def _method(device, name):
    return lambda w, dw=None: (
        getattr(device, name)(w) if dw is None else getattr(device, name)(w, dw)
    )


ENTRIES = [
    Entry("LinearDevice", ak.LinearDevice, dict(tau=1.0, asymmetry=0.2), dict(tau=R, asymmetry=R)),
    Entry(
        "SoftBoundsDevice",
        ak.SoftBoundsDevice,
        dict(w_min=-1.0, w_max=1.0, up_down=0.2),
        dict(w_min=R, w_max=R, up_down=R),
    ),
    Entry(
        "PowerDevice",
        ak.PowerDevice,
        dict(tau=1.0, gamma=2.0, asymmetry=0.1),
        dict(tau=R, gamma=R, asymmetry=R),
    ),
    Entry(
        "ExponentialDevice",
        ak.ExponentialDevice,
        dict(tau=1.0, gamma=3.0, asymmetry=0.1),
        dict(tau=R, gamma=R, asymmetry=R),
    ),
    *[
        Entry(f"LinearDevice.{m}", _method(LIN, m), dict(w=0.3), dict(w=R))
        for m in ("q_plus", "q_minus", "F", "G")
    ],
    Entry("LinearDevice.update", _method(LIN, "update"), dict(w=0.3, dw=0.1), dict(w=R, dw=R)),
    Entry(
        "vary",
        ak.vary,
        dict(device=LIN, rng=RNG(0), shape=(3,)),
        dict(device="object", rng="object", shape="object"),
    ),
    Entry(
        "PulseConfig",
        ak.PulseConfig,
        dict(dw_min=1e-3, max_pulses=100, stochastic_rounding=True, cycle_noise=0.1),
        dict(dw_min=R, max_pulses="int", stochastic_rounding="bool", cycle_noise=R),
    ),
    Entry(
        "pulse_update",
        ak.pulse_update,
        dict(device=ak.PowerDevice(), w=0.0, dw=0.1, pulse=ak.PulseConfig(1e-3), rng=RNG(0)),
        dict(device="object", w=R, dw=R, pulse="object", rng="object"),
    ),
    Entry(
        "pulse_response",
        ak.pulse_response,
        dict(device=LIN, pulse=ak.PulseConfig(0.05), n_up=20, n_down=20),
        dict(device="object", pulse="object", n_up="int", n_down="int"),
    ),
    Entry("GaussianNoise", ak.GaussianNoise, dict(std=0.1), dict(std=R)),
    Entry("LowerBoundNoise", ak.LowerBoundNoise, dict(sigma=0.1, tau=1.0), dict(sigma=R, tau=R)),
    Entry("SamplingNoise", ak.SamplingNoise, dict(batch=2), dict(batch="int")),
    Entry(
        "Quadratic",
        ak.Quadratic,
        dict(L=1.0, w_star=0.5, dim=2),
        dict(L=R, w_star=R, dim="int"),
    ),
    Entry(
        "LeastSquares.random",
        ak.LeastSquares.random,
        dict(rng=RNG(0), dim=4, rows=8, w_star_std=0.45),
        dict(rng="object", dim="int", rows="int", w_star_std=R),
    ),
    Entry("Quadratic.loss", lambda W: QUAD.loss(W), dict(W=np.zeros((2, 2))), dict(W=R)),
    Entry(
        "Quadratic.stochastic_grad",
        lambda W, rng: QUAD.stochastic_grad(W, rng),
        dict(W=np.zeros((2, 2)), rng=RNG(0)),
        dict(W=R, rng="object"),
    ),
    Entry(
        "digital_sgd",
        ak.digital_sgd,
        dict(**RUN, lr=0.1, w0=0.0, record_every=2),
        dict(**RUN_KINDS, lr=R, w0=R, record_every="int"),
    ),
    Entry(
        "analog_sgd",
        ak.analog_sgd,
        dict(**RUN, device=LIN, lr=0.1, w0=0.0, pulse=None),
        dict(**RUN_KINDS, device="object", lr=R, w0=R, pulse="object"),
        documented={"w0"},
    ),
    Entry(
        "tiki_taka",
        ak.tiki_taka,
        dict(**RUN, device=LIN, lr=0.1, transfer_lr=0.05, gamma=0.3, read_noise=0.0),
        dict(**RUN_KINDS, device="object", lr=R, transfer_lr=R, gamma=R, read_noise=R),
    ),
    Entry(
        "ttv2",
        ak.ttv2,
        dict(**RUN, device=LIN, lr=0.1, transfer_lr=0.5, threshold=0.01, transfer_every=2),
        dict(**RUN_KINDS, device="object", lr=R, transfer_lr=R, threshold=R, transfer_every="int"),
    ),
    Entry(
        "c_ttv2",
        ak.c_ttv2,
        dict(**RUN, device=LIN, lr=0.1, transfer_lr=0.5, flip_prob=0.1, transfer_every=2),
        dict(**RUN_KINDS, device="object", lr=R, transfer_lr=R, flip_prob=R, transfer_every="int"),
    ),
    Entry(
        "agad",
        ak.agad,
        dict(**RUN, device=LIN, lr=0.1, transfer_lr=0.5, flip_prob=0.1, ref_rate=0.1),
        dict(**RUN_KINDS, device="object", lr=R, transfer_lr=R, flip_prob=R, ref_rate=R),
    ),
    Entry(
        "multi_tile",
        ak.multi_tile,
        dict(**RUN, device=LIN, lr=0.1, transfer_lr=0.09, gamma=0.3, tiles=3, warm_start=0),
        dict(
            **RUN_KINDS,
            device="object",
            lr=R,
            transfer_lr=R,
            gamma=R,
            tiles="int",
            warm_start="int",
        ),
    ),
    Entry(
        "mixed_precision",
        ak.mixed_precision,
        dict(**RUN, device=LIN, lr=0.1, pulse=ak.PulseConfig(0.05)),
        dict(**RUN_KINDS, device="object", lr=R, pulse="object"),
    ),
    Entry(
        "PulseConfig.for_states",
        ak.PulseConfig.for_states,
        dict(device=LIN, n_states=10),
        dict(device="object", n_states="int"),
    ),
    Entry(
        "networks.load_digits",
        ak.networks.load_digits,
        dict(rng=RNG(0), test_fraction=0.2),
        dict(rng="object", test_fraction=R),
    ),
    Entry(
        "networks.MLP",
        ak.networks.MLP,
        dict(sizes=(64, 8, 10), data=NET.data, batch=10, activation="relu", gains=1.0),
        dict(sizes="object", data="object", batch="int", activation="object", gains=R),
    ),
    Entry("MLP.loss", lambda W: NET.loss(W), dict(W=np.zeros((1, NET.dim))), dict(W=R)),
    Entry(
        "MLP.stochastic_grad",
        lambda W, rng: NET.stochastic_grad(W, rng),
        dict(W=np.zeros((1, NET.dim)), rng=RNG(0)),
        dict(W=R, rng="object"),
    ),
    Entry(
        "MLP.accuracy",
        lambda W, split: NET.accuracy(W, split),
        dict(W=np.zeros((1, NET.dim)), split="test"),
        dict(W=R, split="object"),
    ),
    Entry(
        "pipeline",
        lambda problem, algorithm, stages, mode, micro_batches, steps, trials: ak.pipeline(
            problem,
            algorithm,
            stages=stages,
            mode=mode,
            micro_batches=micro_batches,
            device=LIN,
            lr=0.1,
            steps=steps,
            trials=trials,
            rng=RNG(0),
        ),
        dict(
            problem=QUAD,
            algorithm="analog_sgd",
            stages=2,
            mode="sync",
            micro_batches=3,
            steps=20,
            trials=3,
        ),
        dict(
            problem="object",
            algorithm="object",
            stages="int",
            mode="object",
            micro_batches="int",
            steps="int",
            trials="int",
        ),
    ),
    Entry(
        "networks.DeepLinear",
        ak.networks.DeepLinear,
        dict(width=3, depth=2, rng=RNG(0), teacher_scale=0.5, gain=2.0, batch=2, label_noise=0.1),
        dict(
            width="int",
            depth="int",
            rng="object",
            teacher_scale=R,
            gain=R,
            batch="int",
            label_noise=R,
        ),
    ),
    Entry(
        "Trace.tail_mean",
        lambda quantity, fraction, per_trial: _trace().tail_mean(
            quantity, fraction, per_trial=per_trial
        ),
        dict(quantity="loss", fraction=0.5, per_trial=False),
        dict(quantity="object", fraction=R, per_trial="bool"),
    ),
]


def _theory_entries():
    th = ak.theory
    quad = dict(L=1.0, w_star=0.5, tau=1.0, noise_std=0.3)
    specs = [
        ("saturation", dict(w=0.2, tau=1.0)),
        ("lower_bound_floor", dict(sigma=0.1, w=0.2, tau=1.0)),
        ("lower_bound_floor_printed", dict(sigma=0.1, w=0.2, tau=1.0)),
        ("lower_bound_stationary_w", dict(sigma=0.1, w_star=0.2, tau=1.0)),
        ("lower_bound_stationary_moments", dict(sigma=0.1, w_star=0.2, tau=1.0, lr=0.01)),
        ("asgd_upper_bound", dict(K=1000, f_gap=1.0, sigma=0.1, L=1.0, w_max=0.5, tau=1.0)),
        ("asgd_asymptotic_bound", dict(sigma=0.1, w_max=0.5, tau=1.0)),
        ("folded_normal_mean", dict(m=0.2, s=0.3)),
        ("asgd_fixed_point", quad),
        ("asgd_stationary_moments", dict(**quad, lr=0.01)),
        ("implicit_penalty_minimiser", quad),
        ("penalty_point_eq43", quad),
        ("penalty_point_eq60_printed", quad),
        ("tiki_taka_pmax", dict(L=1.0, tau=1.0, dim=1, sigma=1.0)),
        ("residual_fixed_point_gradient", dict(tau=1.0, asymmetry=0.2, noise_std=0.3)),
        ("tiki_taka_fixed_point", dict(**quad, lr=0.05)),
        ("rounding_variance", dict(u=0.25)),
        ("few_states_floor", dict(**quad, lr=0.1, n_states=40)),
        ("corollary_1_floor", dict(gamma=0.3, tiles=3, sigma=0.05, dw_min=0.2)),
    ]
    counts = ("dim", "n_states", "tiles")
    return [
        Entry(
            f"theory.{name}",
            getattr(th, name),
            valid,
            {k: "int" if k in counts else R for k in valid},
        )
        for name, valid in specs
    ]


def _dashboard_entries():
    out = []
    kind = {bool: "bool", int: "int", float: R}
    for name in ("device", "asgd", "lower_bound", "tiki_taka", "multi_tile", "network"):
        dash = getattr(ak.widgets, f"{name}_dashboard")()
        sliders = {k: w.value for k, w in dash.sliders.items()}
        kinds = {k: kind.get(type(v), R) for k, v in sliders.items()}
        kinds = {k: v for k, v in kinds.items() if not isinstance(sliders[k], str)}
        out.append(Entry(f"{name}_dashboard.compute", dash.compute, {}, kinds))
    return out


ALL = ENTRIES + _theory_entries() + _dashboard_entries()
CASES = [(e, p) for e in ALL for p in e.kinds]


@pytest.mark.parametrize("entry, param", CASES, ids=[f"{e.name}-{p}" for e, p in CASES])
def test_bad_input(entry, param):
    kind = entry.kinds[param]
    for value in LISTED[kind]:
        _run(entry, param, value)
    if kind in DRAWN:

        @settings(
            max_examples=8,
            deadline=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],  # no tracing "explain" phase
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(DRAWN[kind])
        def case(value):
            _run(entry, param, value)

        case()


def test_print_count_table():
    """The table of outcomes over every case run above (shown with -s)."""
    if not COUNTS:
        pytest.skip("run together with test_bad_input")
    kinds = [
        "clear error",
        "documented",
        "finite result",
        "unclear error",
        "raw exception",
        "silent NaN/inf",
        "hang",
    ]
    rows = sorted({name for name, _ in COUNTS})
    print("\n| entry point | cases | " + " | ".join(kinds) + " |")
    print("|---" * (len(kinds) + 2) + "|")
    total = Counter()
    for name in rows:
        counts = [COUNTS[(name, k)] for k in kinds]
        total.update(dict(zip(kinds, counts)))
        print(f"| {name} | {sum(counts)} | " + " | ".join(map(str, counts)) + " |")
    print(f"| **all** | {sum(total.values())} | " + " | ".join(str(total[k]) for k in kinds) + " |")
    assert not any(total[k] for k in kinds[3:])
