"""Browser test of a stale dashboard: slider values that cannot run grey the previous figure.

The lower-bound dashboard refuses |w*| >= tau. Voilà serves a one-dashboard notebook written to
test-artifacts/browser/; Chromium moves tau to 0.3 and w_star to its maximum 0.75, and the page
must show the reason, the class ``ak-stale`` on the box and the figure and numbers at opacity
0.4, until a good value brings them back. Skipped or failed like tests/browser/test_browser.py.
"""

from __future__ import annotations

import json

import pytest

from tests.browser.support import (
    ExplorerPage,
    VoilaServer,
    artifact_path,
    launch_chromium,
    new_context,
    require_browser,
)

pytestmark = pytest.mark.browser

DASHBOARD = "ak-lower-bound"

_LOOK_JS = """
(sel) => {
  const d = document.querySelector(sel);
  const opacity = (q) => getComputedStyle(d.querySelector(q)).opacity;
  return {stale: d.classList.contains('ak-stale'), figure: opacity('img.ak-figure, .ak-figure img'),
          numbers: opacity('.ak-numbers')};
}
"""


def _notebook():
    path = artifact_path("stale.ipynb")
    source = "import analogkit.widgets\n\nanalogkit.widgets.lower_bound_dashboard()"
    cell = {
        "cell_type": "code",
        "metadata": {},
        "source": source,
        "outputs": [],
        "execution_count": None,
    }
    nb = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb))
    return path


@pytest.fixture(scope="module")
def page():
    require_browser()
    from playwright.sync_api import sync_playwright

    notebook = _notebook()
    with sync_playwright() as playwright, VoilaServer(notebook, log_name="voila-stale.log") as srv:
        chromium = launch_chromium(playwright)
        context = new_context(chromium, srv.url)
        try:
            session = ExplorerPage(context, srv.app_url, notebook)
            session.open()
            yield session
        finally:
            context.close()
            chromium.close()


def _look(page):
    return page.page.evaluate(_LOOK_JS, page.selector(DASHBOARD))


def test_values_that_cannot_run_grey_the_previous_figure(page):
    assert _look(page) == {"stale": False, "figure": "1", "numbers": "1"}
    page.type_readout(DASHBOARD, "tau", "0.3")  # |w*| = 0.2 < 0.3: still runs
    before = page.state(DASHBOARD)

    page.press_key(DASHBOARD, "w_star", "End", wait_for="message", message=lambda m: "0.75" in m)
    page.screenshot("stale-greyed", DASHBOARD)
    state = page.state(DASHBOARD)
    assert state["message"] == (
        "Cannot run with these values: w_star = 0.75 must lie inside the device range "
        "(-tau, tau) = (-0.3, 0.3): move w_star towards 0 or raise tau "
        "(figure shows the previous values)"
    )
    assert (state["src"], state["numbers"]) == (before["src"], before["numbers"])
    assert _look(page) == {"stale": True, "figure": "0.4", "numbers": "0.4"}

    page.type_readout(DASHBOARD, "w_star", "0.1", wait_for="numbers")
    page.screenshot("stale-cleared", DASHBOARD)
    assert _look(page) == {"stale": False, "figure": "1", "numbers": "1"}
    assert "previous values" not in page.state(DASHBOARD)["message"]
    assert not page.all_problems(), page.all_problems()
