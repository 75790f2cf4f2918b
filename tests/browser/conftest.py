"""The fixture both browser test modules share: one Chromium per module."""

from __future__ import annotations

import pytest

from tests.browser.support import launch_chromium, require_browser


@pytest.fixture(scope="module")
def browser():
    require_browser()  # skip on a laptop / fail in CI, before a server is started
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()
