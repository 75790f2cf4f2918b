"""Every algorithm gives exactly the numbers it gave before the training core became one loop.

``pinned.npz`` holds the arrays of the seeded runs in ``pinned_cases.py``, recorded before the
rewrite, in expected and pulse mode; each run must reproduce them with ``np.array_equal``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

import analogkit as ak
from tests.algorithms.pinned_cases import CASES, arrays

PINNED = np.load(Path(__file__).with_name("pinned.npz"))


@pytest.mark.parametrize("name", list(CASES))
def test_same_arrays_as_before(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ak.RunWarning)
        got = arrays(CASES[name]())
    expected = {k.split("/", 1)[1]: PINNED[k] for k in PINNED.files if k.startswith(name + "/")}
    assert set(got) == set(expected)
    for field, value in expected.items():
        assert np.array_equal(got[field], value, equal_nan=True), f"{name}: {field} changed"
