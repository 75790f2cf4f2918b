"""The response-function figure: symmetric points and staircases against closed forms."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq


def _exponential_symmetric_point(tau=1.0, gamma=3.0, c=0.2):
    # (1 + c)(e^(gamma(1 - w/tau)) - 1) = (1 - c)(e^(gamma(1 + w/tau)) - 1)
    def g(w):
        return (1 + c) * np.expm1(gamma * (1 - w / tau)) - (1 - c) * np.expm1(gamma * (1 + w / tau))

    return brentq(g, -tau, tau, xtol=1e-14)


def test_symmetric_points_are_where_up_and_down_responses_meet(rows):
    r = rows["response_functions"]
    expected = {
        "linear, c = 0.2": 0.2,  # c * tau
        # up step 1 - w, down step 0.8 (1 + w): equal at w = 0.2/1.8
        "soft bounds, up_down = 0.2": 0.2 / 1.8,
        # (1.2)(1 - w)^2 = (0.8)(1 + w)^2: (1 - w)/(1 + w) = sqrt(2/3)
        "power, gamma = 2, c = 0.2": (1 - np.sqrt(2 / 3)) / (1 + np.sqrt(2 / 3)),
        "exponential, gamma = 3, c = 0.2": _exponential_symmetric_point(),
    }
    assert len(r) == len(expected)
    for title, sp in expected.items():
        assert r[f"symmetric point, {title}"].value == pytest.approx(sp, abs=1e-12), title


def test_linear_staircase_follows_the_geometric_approach_to_the_bounds(quick_data):
    # up pulses: 1 - w shrinks by (1 - dw_min (1 + c)); down pulses: 1 + w by (1 - dw_min (1 - c))
    staircase = quick_data["response_functions"].staircases["linear, c = 0.2"]
    k = np.arange(251)
    np.testing.assert_allclose(staircase[:251], 1 - 2 * (1 - 0.02 * 1.2) ** k, rtol=1e-12)
    top = staircase[250]
    np.testing.assert_allclose(staircase[250:], -1 + (1 + top) * (1 - 0.02 * 0.8) ** k, rtol=1e-12)


def test_the_panel_titles_give_every_parameter_of_their_device():
    """Notebook 01's table prints RESPONSE_EXAMPLES (tests/notebooks/test_claims_01.py); the panel
    titles (PARAMETERS) must name the same devices with every parameter."""
    from analogkit.figures.response import PARAMETERS, RESPONSE_EXAMPLES

    assert list(RESPONSE_EXAMPLES) == list(PARAMETERS)
    for name, device in RESPONSE_EXAMPLES.items():
        args = ", ".join(f"{key}={value:g}" for key, value in device.params().items())
        assert PARAMETERS[name] == f"{type(device).__name__}({args})", name
