"""Browser tests: a real headless Chromium against the app served in-process (`live_server`, from
tests/conftest.py). Every test here is marked `browser` (opt out with `-m "not browser"`) and
skips by itself where Chromium or Playwright is missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser_support import CHROMIUM, FLAGS

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    """Mark the tests of this folder (the hook sees every test of the run)."""
    no_chromium = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no Chromium at {CHROMIUM}")
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(no_chromium)


@pytest.fixture(scope="module")
def browser(request):
    """Debian's Chromium, headless, driven by Playwright (never a browser Playwright downloads), one
    per module; launched with browser_support.FLAGS, or with the module's CHROMIUM_FLAGS if it has them."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=getattr(request.module, "CHROMIUM_FLAGS", FLAGS)
        )
        yield chromium
        chromium.close()
