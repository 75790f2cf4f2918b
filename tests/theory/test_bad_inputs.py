"""Every public numeric function of analogkit.theory against bad and extreme inputs (hypothesis).

A call either returns finite numbers (floats for scalar inputs) without a numpy floating-point
warning, or raises a ValueError or TypeError whose message names the parameter; a scalar and an
array of one element give the same outcome. The examples are derandomized, so CI is reproducible.
"""

import dataclasses
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analogkit import theory as th

REAL, DIM, FLAG, COUNT = "real", "dim", "flag", "count"

#: every public numeric function: parameter -> (a valid value, kind)
FUNCTIONS = {
    "folded_normal_mean": {"m": (0.3, REAL), "s": (0.5, REAL)},
    "asgd_fixed_point": {
        "L": (1.0, REAL),
        "w_star": (0.5, REAL),
        "tau": (1.0, REAL),
        "noise_std": (0.3, REAL),
        "asymmetry": (0.1, REAL),
    },
    "asgd_stationary_moments": {
        "L": (1.0, REAL),
        "w_star": (0.5, REAL),
        "tau": (1.0, REAL),
        "noise_std": (0.3, REAL),
        "lr": (0.01, REAL),
        "asymmetry": (0.1, REAL),
    },
    "lower_bound_floor": {
        "sigma": (0.1, REAL),
        "w": (0.2, REAL),
        "tau": (1.0, REAL),
        "dim": (1, DIM),
    },
    "lower_bound_floor_printed": {"sigma": (0.1, REAL), "w": (0.2, REAL), "tau": (1.0, REAL)},
    "lower_bound_stationary_w": {
        "sigma": (0.1, REAL),
        "w_star": (0.2, REAL),
        "tau": (1.0, REAL),
        "L": (1.0, REAL),
        "dim": (2, DIM),
    },
    "lower_bound_stationary_moments": {
        "sigma": (0.1, REAL),
        "w_star": (0.2, REAL),
        "tau": (1.0, REAL),
        "lr": (0.01, REAL),
        "L": (1.0, REAL),
        "dim": (2, DIM),
    },
    "saturation": {"w": (0.5, REAL), "tau": (1.0, REAL)},
    "asgd_upper_bound": {
        "K": (100.0, REAL),
        "f_gap": (1.0, REAL),
        "sigma": (0.1, REAL),
        "L": (1.0, REAL),
        "w_max": (0.5, REAL),
        "tau": (1.0, REAL),
    },
    "asgd_asymptotic_bound": {"sigma": (0.1, REAL), "w_max": (0.5, REAL), "tau": (1.0, REAL)},
    "tiki_taka_pmax": {
        "L": (1.0, REAL),
        "tau": (1.0, REAL),
        "dim": (3, DIM),
        "sigma": (1.0, REAL),
        "c": (0.5, REAL),
    },
    "residual_fixed_point_gradient": {
        "tau": (3.5, REAL),
        "asymmetry": (0.1, REAL),
        "noise_std": (0.3, REAL),
        "zero_shift": (False, FLAG),
    },
    "residual_fixed_point": {
        "L": (1.0, REAL),
        "w_star": (0.5, REAL),
        "tau": (3.5, REAL),
        "asymmetry": (0.1, REAL),
        "noise_std": (0.3, REAL),
        "gamma": (0.4, REAL),
        "lr": (0.05, REAL),
        "zero_shift": (False, FLAG),
        "main_asymmetry": (0.05, REAL),
        "iterations": (60, COUNT),
    },
    "tiki_taka_fixed_point": {
        "L": (1.0, REAL),
        "w_star": (0.5, REAL),
        "tau": (1.0, REAL),
        "noise_std": (0.3, REAL),
        "lr": (0.05, REAL),
        "asymmetry": (0.0, REAL),
        "zero_shift": (False, FLAG),
    },
    "rounding_variance": {"u": (2.75, REAL)},
    "few_states_floor": {
        "L": (1.0, REAL),
        "w_star": (0.3, REAL),
        "tau": (1.0, REAL),
        "noise_std": (0.3, REAL),
        "lr": (0.1, REAL),
        "n_states": (40, COUNT),
        "asymmetry": (0.1, REAL),
    },
    "corollary_1_floor": {
        "gamma": (0.3, REAL),
        "tiles": (3, COUNT),
        "sigma": (0.05, REAL),
        "dw_min": (0.2, REAL),
    },
}
for _name in ("implicit_penalty_minimiser", "penalty_point_eq43", "penalty_point_eq60_printed"):
    FUNCTIONS[_name] = FUNCTIONS["asgd_fixed_point"]
FUNCTIONS["asgd_upper_bound_printed"] = FUNCTIONS["asgd_upper_bound"]
FUNCTIONS["asgd_asymptotic_bound_printed"] = FUNCTIONS["asgd_asymptotic_bound"]

#: the public names that are sympy derivations, result records or symbols, not numeric forms
NOT_NUMERIC = {
    "sym",
    "Step",
    "Derivation",
    "check",
    "Response",
    "FAMILIES",
    "response_decomposition",
    "AnalogUpdate",
    "analog_update",
    "folded_normal_mean_expr",
    "folded_normal_derivation",
    "StationaryMoments",
    "asgd_drift",
    "ImplicitPenalty",
    "implicit_penalty",
    "lower_bound_derivation",
    "upper_bound_derivation",
    "TikiTakaCondition",
    "tiki_taka_derivation",
    "PAPER1_GAUSSIAN_C",
    "residual_derivation",
    "ResidualFixedPoint",
    "rounding_derivation",
    "FewStatesFloor",
    "residual_derivation_tiles",
}

EXTREMES = [0.0, -0.0, 1.0, -1.0, 5e-324, 1e-300, -1e-300, 1e-150, 1e-12, 1e12, 1e150]
EXTREMES += [1e300, -1e300, float(np.finfo(float).max), -float(np.finfo(float).max)]
floats = st.one_of(st.sampled_from(EXTREMES + [np.nan, np.inf, -np.inf]), st.floats())
WRONG_TYPES = ["0.5", b"0.5", None, {"a": 1}, 0.5 + 1j, np.complex128(1.0), True, np.bool_(False)]
WRONG_TYPES += [object(), np.array(["a"]), np.array([True])]
BAD = {
    REAL: st.one_of(
        floats,
        st.integers(-(10**400), 10**400),
        st.sampled_from(WRONG_TYPES),
        floats.map(np.float64),
        st.floats(width=32).map(np.float32),
        st.just(np.array([])),
        st.just(np.zeros((0, 3))),
        st.lists(floats, min_size=1, max_size=3),
        st.lists(floats, min_size=1, max_size=3).map(np.array),
        floats.map(lambda x: np.full((2, 3), x)),
        floats.map(np.array),  # 0-d
        st.floats(-10, 10).map(lambda x: np.array([x, x + 1j])),
    ),
    DIM: st.one_of(
        st.integers(-5, 2**60),
        st.integers(10**15, 10**400),
        st.sampled_from(
            [5.0, np.nan, np.inf, "5", None, [5], True, 5 + 0j, np.int64(4), np.array(5)]
        ),
    ),
    FLAG: st.sampled_from([None, "yes", 1, 0, 1.0, [True], np.bool_(True), True, False]),
}
BAD[COUNT] = BAD[DIM]

#: a valid value times this: every size from tiny to huge, the sign kept
SCALE = st.one_of(
    st.just(1.0),
    st.sampled_from([1e-300, 1e-150, 1e-20, 1e-12, 1e-6, 1e6, 1e12, 1e20, 1e150, 1e300]),
    st.floats(1e-300, 1e300),
)

#: every case within the 5 s that the bad-input suite allows one case (a loaded machine takes >1 s)
FAST = settings(max_examples=40, deadline=5000, derandomize=True)


@pytest.fixture(scope="module", autouse=True)
def _warm():
    """Build every lambdified form once, so that no example pays for it."""
    for name in FUNCTIONS:
        getattr(th, name)(**_valid(name))


def _valid(name):
    return {k: v for k, (v, _) in FUNCTIONS[name].items()}


def _call(name, kwargs):
    """(result, None) or (None, the ValueError/TypeError); a numpy floating-point warning fails."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*encountered in", category=RuntimeWarning)
        warnings.filterwarnings("error", category=np.exceptions.ComplexWarning)
        try:
            return getattr(th, name)(**kwargs), None
        except (ValueError, TypeError) as exc:
            return None, exc


def _fields(result):
    if dataclasses.is_dataclass(result):
        return [getattr(result, f.name) for f in dataclasses.fields(result)]
    return [result]


def _named(exc, params):
    """The parameters named in an error message."""
    return {p for p in params if re.search(rf"(?<![\w.]){re.escape(p)}(?!\w)", str(exc))}


def _assert_finite(result, shape):
    """Every field finite, a float (or bool) for scalar inputs, else of the inputs' shape (or
    scalar, for a field that does not depend on the array input)."""
    for x in _fields(result):
        assert np.all(np.isfinite(np.asarray(x, dtype=float))), result
        if shape == ():
            assert type(x) in (float, bool), result
        else:
            assert np.shape(x) in ((), shape), (shape, result)


def test_every_numeric_function_is_covered():
    assert set(FUNCTIONS) == set(th.__all__) - NOT_NUMERIC


def test_the_valid_values_give_finite_numbers():
    for name in FUNCTIONS:
        result, exc = _call(name, _valid(name))
        assert exc is None, (name, exc)
        _assert_finite(result, ())


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@FAST
@given(data=st.data())
def test_one_bad_parameter_is_named_or_gives_finite_numbers(name, data):
    param = data.draw(st.sampled_from(sorted(FUNCTIONS[name])), label="param")
    value = data.draw(BAD[FUNCTIONS[name][param][1]], label="value")
    result, exc = _call(name, _valid(name) | {param: value})
    if exc is not None:
        assert param in _named(exc, FUNCTIONS[name]), f"{param} not named: {exc}"
    else:
        _assert_finite(result, np.shape(value))


def _reals(name):
    return [p for p, (_, kind) in FUNCTIONS[name].items() if kind == REAL]


def _extreme_inputs(name, data):
    """The valid values, each real one scaled by a draw from SCALE (an independent size each)."""
    kwargs = _valid(name)
    for p in _reals(name):
        kwargs[p] = kwargs[p] * data.draw(SCALE, label=p)
    return kwargs


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@FAST
@given(data=st.data())
def test_extreme_sizes_together_are_named_or_give_finite_numbers(name, data):
    kwargs = _extreme_inputs(name, data)
    result, exc = _call(name, kwargs)
    if exc is not None:
        assert isinstance(exc, ValueError) and _named(exc, FUNCTIONS[name]), exc
    else:
        _assert_finite(result, ())


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@FAST
@given(data=st.data())
def test_scalars_and_arrays_of_one_element_agree(name, data):
    kwargs = _extreme_inputs(name, data)
    wrapped = data.draw(st.sets(st.sampled_from(_reals(name)), min_size=1), label="as arrays")
    scalar, exc = _call(name, kwargs)
    array, exc_a = _call(name, kwargs | {p: np.array([kwargs[p]]) for p in wrapped})
    if exc is not None or exc_a is not None:
        assert type(exc) is type(exc_a), (exc, exc_a)
        assert _named(exc, FUNCTIONS[name]) == _named(exc_a, FUNCTIONS[name]), (exc, exc_a)
        return
    _assert_finite(scalar, ())
    for x, y in zip(_fields(scalar), _fields(array), strict=True):
        assert np.shape(y) in ((), (1,)) and np.ravel(y)[0] == x, (scalar, array)


@pytest.mark.parametrize("name", sorted(n for n in FUNCTIONS if len(_reals(n)) > 1))
def test_shapes_that_do_not_broadcast_are_named(name):
    a, b = _reals(name)[:2]
    kwargs = _valid(name) | {a: np.full(2, _valid(name)[a]), b: np.full(3, _valid(name)[b])}
    result, exc = _call(name, kwargs)
    assert isinstance(exc, ValueError) and "broadcast" in str(exc), (result, exc)
    assert {a, b} <= _named(exc, FUNCTIONS[name]), exc


def _dimensionless(a, b):
    """Each numeric form in units a of weights and b of gradients, its results divided by their
    units: by dimensional analysis the same numbers for every a and b."""
    L, s, lr = b / a, 0.3 * b, 0.01 * a / b
    m = th.asgd_stationary_moments(L, 0.5 * a, a, s, lr, 0.1)
    lb = th.lower_bound_stationary_moments(0.1 * b, 0.2 * a, a, lr, L, 2)
    rf = th.residual_fixed_point(L, 0.5 * a, 3.5 * a, 0.1, s, 0.4, 5 * lr)
    tp = th.tiki_taka_pmax(L, a, 3, b, 0.5)
    fs = th.few_states_floor(L, 0.3 * a, a, s, 10 * lr, 40, 0.1)
    quadratic = (L, 0.5 * a, a, s, 0.1)
    return {
        "folded_normal_mean": [th.folded_normal_mean(0.3 * b, 0.5 * b) / b],
        "asgd_fixed_point": [th.asgd_fixed_point(*quadratic) / a],
        "asgd_stationary_moments": [
            m.fixed_point / a,
            m.mean / a,
            m.var / a / a,
            m.grad_norm2 / b / b,
        ],
        "implicit_penalty_minimiser": [th.implicit_penalty_minimiser(*quadratic) / a],
        "penalty_point_eq43": [th.penalty_point_eq43(*quadratic) / a],
        "penalty_point_eq60_printed": [th.penalty_point_eq60_printed(*quadratic) / a],
        "saturation": [th.saturation(0.5 * a, a)],
        "lower_bound_floor": [th.lower_bound_floor(0.1 * b, 0.2 * a, a) / b / b],
        "lower_bound_floor_printed": [th.lower_bound_floor_printed(0.1 * b, 0.2 * a, a) / b / b],
        "lower_bound_stationary_w": [th.lower_bound_stationary_w(0.1 * b, 0.2 * a, a, L, 2) / a],
        "lower_bound_stationary_moments": [
            lb.fixed_point / a,
            lb.var / a / a,
            lb.grad_norm2 / b / b,
        ],
        "asgd_upper_bound": [th.asgd_upper_bound(100, a * b, 0.1 * b, L, 0.5 * a, a) / b / b],
        "asgd_upper_bound_printed": [
            th.asgd_upper_bound_printed(100, a * b, 0.1 * b, L, 0.5 * a, a) / b / b
        ],
        "asgd_asymptotic_bound": [th.asgd_asymptotic_bound(0.1 * b, 0.5 * a, a) / b / b],
        "asgd_asymptotic_bound_printed": [
            th.asgd_asymptotic_bound_printed(0.1 * b, 0.5 * a, a) / b / b
        ],
        "tiki_taka_pmax": [tp.pmax / a, tp.ratio, tp.sigma_min / b, tp.c, tp.final],
        "residual_fixed_point_gradient": [th.residual_fixed_point_gradient(a, 0.1, s) / b],
        "residual_fixed_point": [rf.grad_mixed / b, rf.grad_w / b, rf.w / a, rf.p_std / a],
        "tiki_taka_fixed_point": [th.tiki_taka_fixed_point(L, 0.5 * a, a, s, 5 * lr).w / a],
        "rounding_variance": [th.rounding_variance(2.75)],
        "few_states_floor": [
            fs.fixed_point / a,
            fs.mean / a,
            fs.var_gradient / a / a,
            fs.var_quantisation / a / a,
            fs.mse / a / a,
            fs.loss / a / b,
        ],
        "corollary_1_floor": [th.corollary_1_floor(0.3, 3, 0.05 * b, 0.2 * a) / (a * b) ** (2 / 3)],
    }


@pytest.mark.parametrize("a, b", [(1e120, 1e-100), (1e-130, 1e90), (2.0**400, 2.0**-450)])
def test_results_depend_on_the_units_only_through_their_dimensions(a, b):
    expected, got = _dimensionless(1.0, 1.0), _dimensionless(a, b)
    assert set(got) == set(FUNCTIONS)
    for name, values in got.items():
        # residual learning's fixed-point iteration stops at a change below 1e-9 of E[P]
        rtol = 1e-8 if name in ("residual_fixed_point", "tiki_taka_fixed_point") else 1e-12
        np.testing.assert_allclose(values, expected[name], rtol=rtol, err_msg=name)


@pytest.mark.parametrize(
    "name, kwargs, param",
    [
        # numpy's scalar arithmetic rounds these differently from its array loops
        ("asgd_asymptotic_bound", {"sigma": 1e300, "w_max": 1e-150, "tau": 1.0}, "sigma"),
        ("lower_bound_floor", {"sigma": 1e300, "w": 1e-150, "tau": 1.0}, "sigma"),
        ("lower_bound_floor_printed", {"sigma": 1.0, "w": 2e299, "tau": 1e300}, "sigma"),
        (
            "lower_bound_stationary_moments",
            {"sigma": 1e-6, "w_star": 1e-6, "tau": 1.0, "lr": 1e-300},
            "sigma",
        ),
    ],
)
def test_a_scalar_is_evaluated_as_an_array_of_one_element(name, kwargs, param):
    scalar, array = _call(name, kwargs)[0], _call(name, kwargs | {param: [kwargs[param]]})[0]
    for x, y in zip(_fields(scalar), _fields(array), strict=True):
        assert np.ravel(y)[0] == x, (scalar, array)


def test_counts_that_would_run_unbounded_are_refused():
    with pytest.raises(ValueError, match=r"iterations must be an integer in \[1, 1000\]"):
        th.residual_fixed_point(1.0, 0.5, 3.5, 0.1, 0.3, 0.4, 0.05, iterations=10**6)
    with pytest.raises(ValueError, match=r"dim must be an integer in \[1, 2\*\*53\]"):
        th.tiki_taka_pmax(1.0, 1.0, 10**400, 1.0)
    # 1e8 states: a step of lr 12 noise_std would take some 2e6 pulses, each a term of the sum
    with pytest.raises(ValueError, match=r"the pulses of a step .* must be at most 100000, got"):
        th.few_states_floor(1.0, 0.3, 1.0, 0.3, 0.1, 10**8)
