"""What browser tests share besides fixtures (those are in conftest.py): how Chromium is launched,
how long a page may take, and `Recorder`, an HTTP server that records what it is asked."""

from __future__ import annotations

import http.server
import threading

from helpers import CHROMIUM  # noqa: F401  (re-exported for the browser tests)

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
SCROLLBARS_SHOWN = [flag for flag in FLAGS if flag != "--hide-scrollbars"]  # for tests that look for scrollbars
TIMEOUT_MS = 30_000


class Recorder(http.server.ThreadingHTTPServer):
    """An HTTP server on a free loopback port that records every request and answers `pages`
    ({path: (status, headers, body)}; anything else: 200 text)."""

    daemon_threads = True

    def __init__(self, pages: dict | None = None) -> None:
        self.seen: list[str] = []
        self.pages = pages or {}
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                recorder.seen.append(f"{self.command} {self.path}")
                status, headers, body = recorder.pages.get(self.path, (200, {"Content-Type": "text/plain"}, b"canary"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = do_OPTIONS = do_PUT = _answer

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.port = self.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
