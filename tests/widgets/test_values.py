"""Every value a dashboard takes is checked, never clamped (``Dashboard.check``).

The constructor's keywords, ``set``, ``compute`` and ``result`` take values the same way: a
TypeError names the control and the type it takes, a ValueError the slider's range [lo, hi] (for
NaN and ±inf too) or the dropdown's options. The ranges below are written out here, not read from
the widgets.
"""

from __future__ import annotations

import numpy as np
import pytest

from analogkit import widgets

FAMILIES = ("linear", "soft bounds", "power", "exponential")

#: each dashboard's controls: a slider's closed range (a range of integers for an integer slider),
#: a dropdown's options, or bool (a checkbox)
CONTROLS = {
    "device": {
        "family": FAMILIES,
        "tau": (0.2, 3.0),
        "asymmetry": (-0.99, 0.99),
        "gamma": (0.2, 5.0),
        "dw_min": (0.001, 0.2),
        "cycle_noise": (0.0, 2.0),
    },
    "asgd": {
        "tau": (0.55, 5.0),
        "noise": (0.0, 1.0),
        "lr": (0.005, 2.5),
        "asymmetry": (-0.99, 0.99),
    },
    "lower-bound": {"sigma": (0.0, 0.4), "tau": (0.3, 3.0), "w_star": (-0.75, 0.75)},
    "tiki-taka": {
        "lr": (0.005, 2.5),
        "transfer_lr": (0.001, 1.0),
        "gamma": (0.0, 1.0),
        "tau": (0.55, 5.0),
        "noise": (0.0, 1.0),
        "asymmetry": (-0.9, 0.9),
        "zero_shift": bool,
    },
    "pipeline": {
        "stages": range(1, 9),
        "micro_batches": range(1, 9),
        "mode": ("sync", "async"),
        "algorithm": ("Analog SGD", "Tiki-Taka"),
        "asymmetry": (-0.9, 0.9),
    },
    "multi-tile": {
        "n_states": range(4, 101),
        "tiles": range(1, 6),
        "gamma": (0.05, 0.6),
        "noise": (0.0, 0.3),
        "lr": (0.02, 1.0),
    },
    "network": {
        "algorithm": (
            "digital SGD",
            "Analog SGD",
            "Tiki-Taka",
            "residual learning",
            "TTv2",
            "RLv2",
            "c-TTv2",
            "AGAD",
            "mixed precision",
            "multi-tile (3)",
        ),
        "family": FAMILIES,
        "tau": (0.1, 2.0),
        "n_states": ("4", "10", "30", "100", "expected"),
        "gamma_res": (0.5, 4.0),
    },
}

#: values of the wrong type for a slider, with the type name the message gives
NOT_NUMBERS = [
    (None, "NoneType"),
    ("0.5", "str"),
    ([0.5], "list"),
    ((0.5,), "tuple"),
    ({"value": 0.5}, "dict"),
    (0.5 + 0j, "complex"),
    (np.complex128(0.5), "complex128"),
    (np.array(0.5 + 0j), "complex128"),
    (np.array([0.5]), "ndarray"),
    (True, "bool"),
    (np.bool_(False), "bool"),
]

#: values of the wrong type for an integer slider: those of a slider and every float
NOT_INTEGERS = NOT_NUMBERS + [
    (5.0, "float"),
    (4.5, "float"),
    (np.float64(5.0), "float64"),
    (np.nan, "float"),
    (np.inf, "float"),
    (np.array(5.0), "float64"),
]

#: values of the wrong type for a dropdown and for a checkbox
NOT_STRINGS = [(None, "NoneType"), (1, "int"), (["linear"], "list"), (b"linear", "bytes")]
NOT_BOOLS = [(None, "NoneType"), ("False", "str"), (0, "int"), (1.0, "float"), ([True], "list")]

#: the four ways a dashboard takes values: dashboard -> a function of keywords
PATHS = {
    "constructor": lambda dash: type(dash),
    "set": lambda dash: dash.set,
    "compute": lambda dash: dash.compute,
    "result": lambda dash: dash.result,
}


def _out_of_range(lo, hi):
    """NaN, ±inf, far out and just out of [lo, hi]."""
    margin = 1e-3 * (hi - lo)
    return [np.nan, np.inf, -np.inf, -1e300, 1e300, lo - margin, hi + margin, np.float64(hi + 1)]


def _bad_values(name, spec):
    """(value, exception type, exact message) for every bad value of one control."""
    if spec is bool:
        return [(v, TypeError, f"{name} must be True or False, got {t}") for v, t in NOT_BOOLS]
    if isinstance(spec, range):
        lo, hi = spec[0], spec[-1]
        wrong_type = [
            (v, TypeError, f"{name} must be an integer in [{lo}, {hi}], got {t}")
            for v, t in NOT_INTEGERS
        ]
        out = [
            (v, ValueError, f"{name} must lie in [{lo}, {hi}], got {v}")
            for v in (lo - 1, hi + 1, -(10**400), 10**400, np.int64(hi + 1), np.uint8(hi + 1))
        ]
        return wrong_type + out
    if isinstance(spec[0], str):
        options = ", ".join(spec)
        wrong_type = [
            (v, TypeError, f"{name} must be a string, one of {options}; got {t}")
            for v, t in NOT_STRINGS
        ]
        unknown = [
            (v, ValueError, f"{name} must be one of {options}; got {v!r}")
            for v in ("ideal", "piecewise", "Linear", "")
        ]
        return wrong_type + unknown
    lo, hi = spec
    wrong_type = [
        (v, TypeError, f"{name} must be a real number in [{lo:g}, {hi:g}], got {t}")
        for v, t in NOT_NUMBERS
    ]
    out = [
        (v, ValueError, f"{name} must lie in [{lo:g}, {hi:g}], got {float(v)!r}")
        for v in _out_of_range(lo, hi)
    ]
    return wrong_type + out


def test_the_table_names_every_control(every_dash):
    assert list(CONTROLS[every_dash.name]) == list(every_dash.sliders)


@pytest.mark.parametrize("path", PATHS)
def test_unknown_parameters_are_listed(every_dash, path):
    cls, names = type(every_dash).__name__, ", ".join(every_dash.sliders)
    call = PATHS[path](every_dash)
    with pytest.raises(ValueError) as one:
        call(beta=0.1)
    assert str(one.value) == f"{cls} has no parameter 'beta'; choose from {names}"
    known = next(iter(every_dash.sliders))  # with a known name, and that name in capitals
    with pytest.raises(ValueError) as two:
        call(beta=0.1, **{known: every_dash.defaults[known], known.upper(): 2.0})
    assert str(two.value) == (
        f"{cls} has no parameters 'beta', '{known.upper()}'; choose from {names}"
    )
    assert every_dash.params() == every_dash.defaults


def test_every_bad_value_is_refused_by_every_path(every_dash):
    """Walk every control with wrong types, NaN, ±inf, and values below and above its range:
    each path raises the exact message, and nothing on the dashboard moves."""
    before, image, numbers = every_dash.params(), every_dash.image.value, dict(every_dash.numbers)
    for name, spec in CONTROLS[every_dash.name].items():
        for value, error, message in _bad_values(name, spec):
            for path, call in PATHS.items():
                with pytest.raises(error) as exc:
                    call(every_dash)(**{name: value})
                assert str(exc.value) == message, (path, name, value)
    assert every_dash.params() == before and every_dash.image.value == image
    assert every_dash.numbers == numbers and not every_dash.stale


@pytest.mark.parametrize(
    "values, error, message",
    [  # the review's cases: before, these were clamped to 2.5 and 0.55 or raised a TraitError
        ({"lr": 1e300, "tau": -5.0}, ValueError, "lr must lie in [0.005, 2.5], got 1e+300"),
        ({"tau": -5.0}, ValueError, "tau must lie in [0.55, 5], got -5.0"),
        ({"lr": None}, TypeError, "lr must be a real number in [0.005, 2.5], got NoneType"),
        ({"lr": float("nan")}, ValueError, "lr must lie in [0.005, 2.5], got nan"),
        ({"noise": -1.0}, ValueError, "noise must lie in [0, 1], got -1.0"),
    ],
)
def test_the_reviews_cases(values, error, message):
    with pytest.raises(error) as exc:
        widgets.asgd_dashboard(**values)
    assert str(exc.value) == message


def test_lower_bound_tau_is_checked_before_the_combination():
    with pytest.raises(ValueError) as exc:
        widgets.lower_bound_dashboard().compute(tau=-1.0)
    assert str(exc.value) == "tau must lie in [0.3, 3], got -1.0"


def _set_each_end(dash, name, ends):
    """Move one slider to each end of its range: it lands there exactly, and runs."""
    for end in ends:
        dash.set(**{name: end})
        assert dash.sliders[name].value == end and dash.params()[name] == end, (name, end)
        assert dash.numbers == dash.compute(**{name: end}) and not dash.stale
    dash.reset()


def test_values_of_any_fitting_type_are_taken_as_they_are(every_dash):
    """numpy scalars, 0-d arrays and ints are the same number, numpy strings and bools the same
    choice; a range's ends land on the slider exactly (nothing is clamped, not even by an ulp)."""
    dash = type(every_dash)()
    for name, spec in CONTROLS[dash.name].items():
        if spec is bool:
            for value in (True, False, np.bool_(True), np.bool_(False)):
                assert dash.check({name: value})[name] is bool(value)
        elif isinstance(spec, range):
            mid = (spec[0] + spec[-1]) // 2
            for value in (mid, np.int64(mid), np.int8(mid), np.array(mid)):
                got = dash.check({name: value})[name]
                assert type(got) is int and got == mid, (name, value)
            _set_each_end(dash, name, (np.int64(spec[0]), np.int64(spec[-1])))
        elif isinstance(spec[0], str):
            for option in spec:
                got = dash.check({name: np.str_(option)})[name]
                assert type(got) is str and got == option
        else:
            lo, hi = spec
            mid = (lo + hi) / 2
            for value in (mid, np.float64(mid), np.array(mid)):
                got = dash.check({name: value})[name]
                assert type(got) is float and got == mid, (name, value)
            assert dash.check({name: np.float32(mid)})[name] == float(np.float32(mid))
            _set_each_end(dash, name, (np.float64(lo), np.float64(hi)))
    assert dash.params() == dash.defaults


def test_whole_numbers_are_real_numbers():
    dash = widgets.asgd_dashboard(tau=2, noise=np.int64(0))
    assert dash.params() == {"tau": 2.0, "noise": 0.0, "lr": 0.05, "asymmetry": 0.0}
    assert all(type(v) is float for v in dash.params().values())
