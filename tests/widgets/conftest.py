"""Fixtures for the dashboard tests.

``dash`` is the dashboard that a test module names in its ``FACTORY``, built once per module
(drawing dominates the cost) and reset to its creation values after every test.
``every_dash`` is each of the dashboards at its defaults, for tests of the shared machinery.
"""

from __future__ import annotations

import pytest

from analogkit import widgets

FACTORIES = (
    widgets.device_dashboard,
    widgets.asgd_dashboard,
    widgets.lower_bound_dashboard,
    widgets.tiki_taka_dashboard,
    widgets.multi_tile_dashboard,
    widgets.network_dashboard,
    widgets.pipeline_dashboard,
)


@pytest.fixture(scope="module")
def _module_dash(request):
    return request.module.FACTORY()


@pytest.fixture
def dash(_module_dash):
    """The test module's dashboard; afterwards ``reset()`` puts back what the test moved, with one
    redraw (none if nothing moved)."""
    yield _module_dash
    _module_dash.reset()


@pytest.fixture(scope="module", params=FACTORIES, ids=lambda factory: factory.__name__)
def every_dash(request):
    """Each dashboard at its defaults (tests using it must not move sliders)."""
    return request.param()
