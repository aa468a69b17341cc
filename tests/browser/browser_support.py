"""What browser tests share: the Chromium they drive (and `stores.served_app`, the app served in a
thread)."""

from __future__ import annotations

from stores import served_app  # noqa: F401  (re-exported for the browser tests)

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
