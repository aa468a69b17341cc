"""What browser tests share: the Chromium they drive and the app served in a thread."""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


@contextmanager
def served_app(app_server, host: str = "127.0.0.1"):
    """`app_server` (the app's Flask server) on `host` at a free port, in a thread: yields its URL."""
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    server = make_server(host, 0, app_server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
