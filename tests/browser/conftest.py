"""Browser tests: a real headless Chromium against the app served in-process. Opt out with
`-m "not browser"`; they skip by themselves where Chromium or Playwright is missing."""

from __future__ import annotations

import pytest

from browser_support import CHROMIUM, FLAGS


@pytest.fixture(scope="module")
def chromium_browser():
    """Debian's Chromium, headless, driven by Playwright (never a browser Playwright downloads)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()
