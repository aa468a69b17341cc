"""Browser tests: a real headless Chromium against the app served in-process. Opt out with
`-m "not browser"`; they skip by themselves where Chromium or Playwright is missing."""

from __future__ import annotations
