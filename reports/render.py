"""HTML → PDF with one warm headless Chromium.

Playwright's sync API is bound to the thread that started it, and the dashboard serves
requests on many threads, so one dedicated worker thread owns the browser and takes jobs from
a queue. The browser is started on the first job and kept: later reports skip its start-up.
If it died (crash, killed), the next job starts a new one. A missing or broken browser is a
`RenderError` with a message a user can act on; the dashboard itself keeps working.

The browser runs without Chromium's sandbox (`--no-sandbox`, as it must in most containers), so
what it may load is fenced in: every page is opened with a `RequestGuard` that lets through only
requests to the job's allowed bases (a snapshot: the app's internal base URL; a report: local
files) and aborts every other one. A response that redirects is followed by the guard itself,
hop by hop, each hop checked, because Chromium follows redirects without asking the route
again. WebSockets and service workers are refused outright. Error messages name no address.
"""

from __future__ import annotations

import logging
import queue
import re
import tempfile
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit

log = logging.getLogger(__name__)

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--font-render-hinting=none",
]
READY = "window.ESR_READY === true"  # set by the report page once every figure is drawn
A4_MM = (210.0, 297.0)  # width, height in portrait
MARGIN_MM = {"top": 12.0, "bottom": 14.0, "left": 12.0, "right": 12.0}
PX_PER_MM = 96 / 25.4  # CSS pixels
MAX_REDIRECTS = 5  # hops the guard follows inside the allowed bases before it gives up


def printable_size_px(landscape: bool) -> tuple[float, float]:
    """Width and height of the A4 page inside the margins, in CSS pixels at scale 1."""
    width, height = (A4_MM[1], A4_MM[0]) if landscape else A4_MM
    return (
        (width - MARGIN_MM["left"] - MARGIN_MM["right"]) * PX_PER_MM,
        (height - MARGIN_MM["top"] - MARGIN_MM["bottom"]) * PX_PER_MM,
    )


class RenderError(RuntimeError):
    """The PDF could not be made; the message says why and what to do."""


class BrowserUnavailable(RenderError):
    """No working browser at the configured path."""


@dataclass
class PdfJob:
    """One thing to print: a report file written by `reports.html`, or a page of the running app."""

    url: str
    body: str | None = None  # with `figures`: drawn into the already-open shell page at `url`
    figures: list = field(default_factory=list)
    wait_for: str = READY
    wait_until: str = "load"
    header_html: str | None = None  # put at the top of the page before printing (snapshots)
    footer_template: str = ""
    landscape: bool = False
    viewport_width: int = 1200
    scale: float = 1.0  # Chromium lays the page out at the printable width / scale (snapshots: the viewport's)
    prepare: Callable | None = None  # extra page set-up (snapshots), run on the worker thread
    before_print: Callable | None = None  # run last, with print media emulated (snapshots redraw their figures)
    allowed: tuple[str, ...] = ()  # bases the page may load from ("http://host:port", "file:"); () = the url's own
    cookies: dict[str, str] = field(default_factory=dict)  # set for `url` first (a snapshot: the viewer's session)
    result: Future = field(default_factory=Future)

    def allowed_bases(self) -> tuple[str, ...]:
        """What the page may load: the given bases, else the origin of `url` (a file: URL: local files)."""
        if self.allowed:
            return self.allowed
        parts = urlsplit(self.url)
        return ("file:",) if parts.scheme == "file" else (f"{parts.scheme}://{parts.netloc}",)


def origin_of(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) URL, the port made explicit; None for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a port that is no number, a broken IPv6 literal
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        return None
    return scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80)


class RequestGuard:
    """A route handler that lets a page load only from its allowed bases: an http(s) base allows
    URLs of its origin under its path; "file:" allows local files. Everything else is aborted and
    counted. An allowed http request is made by the guard (`route.fetch`, no redirects) and its
    answer handed to the page; a redirect is followed hop by hop only while each target is
    allowed, else the request is aborted: Chromium would follow it without asking the route."""

    def __init__(self, bases: tuple[str, ...]) -> None:
        self.files = "file:" in bases
        self.bases = [
            (origin, urlsplit(base).path.rstrip("/")) for base in bases if (origin := origin_of(base)) is not None
        ]
        self.blocked: list[str] = []

    def allows(self, url: str) -> bool:
        if url.startswith("file:"):
            return self.files
        origin = origin_of(url)
        if origin is None:
            return False
        path = urlsplit(url).path or "/"
        return any(
            origin == allowed and (not prefix or path == prefix or path.startswith(prefix + "/"))
            for allowed, prefix in self.bases
        )

    def __call__(self, route) -> None:
        url = route.request.url
        if not self.allows(url):
            self._block(route, url)
            return
        if url.startswith("file:"):
            route.continue_()
            return
        try:
            response = route.fetch(max_redirects=0)
            for _hop in range(MAX_REDIRECTS + 1):
                location = response.headers.get("location")
                if not (300 <= response.status < 400 and location):
                    route.fulfill(response=response)
                    return
                target = urljoin(url, location)
                if not self.allows(target):
                    break
                keep = response.status in (307, 308)  # the others turn into a GET
                url = target
                response = route.fetch(
                    url=target, max_redirects=0, method=None if keep else "GET", post_data=None if keep else ""
                )
        except Exception:  # the base did not answer (or the page has gone): the request fails as it would
            try:
                route.abort("failed")
            except Exception:
                pass
            return
        self._block(route, url)

    def _block(self, route, url: str) -> None:
        self.blocked.append(url)
        route.abort("blockedbyclient")


def guarded_page(browser, bases: tuple[str, ...], viewport_width: int):
    """A new page (in a context of its own) that can load only from `bases`: no service workers,
    no downloads, no WebSockets."""
    page = browser.new_page(
        viewport={"width": viewport_width, "height": 1200}, service_workers="block", accept_downloads=False
    )
    guard = RequestGuard(bases)
    page.context.route("**/*", guard)
    page.context.route_web_socket(re.compile(".*"), lambda socket: socket.close())
    return page, guard


class PdfRenderer:
    """A queue and the one worker thread that owns the browser."""

    def __init__(self, executable_path: str, timeout_s: float = 60.0) -> None:
        self.executable_path = executable_path
        self.timeout_s = timeout_s
        self._jobs: queue.Queue[PdfJob | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.launches = 0  # how many times a browser was started (1 while it stays warm)
        self._shells: dict = {}  # shell URL -> its open page (worker thread only)

    # ------------------------------------------------------------------ public

    def pdf(self, job: PdfJob) -> bytes:
        """Print `job` on the worker thread and return the PDF bytes, or raise RenderError."""
        if not Path(self.executable_path).exists():
            raise BrowserUnavailable(missing_browser_message(self.executable_path))
        self._ensure_thread()
        self._jobs.put(job)
        try:
            return job.result.result(timeout=self.timeout_s * 2 + 30)
        except TimeoutError as exc:
            raise RenderError(f"the PDF was not ready within {self.timeout_s * 2 + 30:.0f} s") from exc

    def pdf_of_html(self, document: str, **options) -> bytes:
        """Write `document` to a temporary file, print it, remove the file."""
        with tempfile.TemporaryDirectory(prefix="poc-esr-") as folder:
            path = Path(folder) / "report.html"
            path.write_text(document, encoding="utf-8")
            return self.pdf(PdfJob(url=path.as_uri(), **options))

    def close(self) -> None:
        """Stop the worker and its browser (tests, benchmarks, shutdown)."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._jobs.put(None)
            thread.join(timeout=30)

    @property
    def warm(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # ------------------------------------------------------------------ the worker

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="poc-pdf-renderer", daemon=True)
                self._thread.start()

    def _work(self) -> None:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as exc:  # pragma: no cover - playwright is a dependency
            self._fail_all(BrowserUnavailable(f"the Python package playwright is not installed ({exc})"))
            return
        playwright = sync_playwright().start()
        browser = None
        try:
            while True:
                job = self._jobs.get()
                if job is None:
                    break
                try:
                    if browser is None or not browser.is_connected():
                        self._shells.clear()
                        browser = self._launch(playwright)
                    job.result.set_result(self._print(browser, job))
                except RenderError as exc:
                    job.result.set_exception(exc)
                except Exception as exc:  # the browser crashed or hung: start afresh on the next job
                    log.warning("PDF rendering failed: %s", _first_line(exc))
                    job.result.set_exception(RenderError(f"the browser failed while printing: {_public(exc)}"))
                    self._shells.clear()
                    browser = self._drop(browser)
        finally:
            self._drop(browser)
            playwright.stop()

    def _launch(self, playwright):
        try:
            browser = playwright.chromium.launch(
                executable_path=self.executable_path, args=CHROMIUM_FLAGS, headless=True, timeout=self.timeout_s * 1000
            )
        except Exception as exc:
            raise BrowserUnavailable(missing_browser_message(self.executable_path, _first_line(exc))) from exc
        self.launches += 1
        return browser

    @staticmethod
    def _drop(browser) -> None:
        if browser is not None:
            try:
                browser.close()
            except Exception:  # already gone
                pass
        return None

    def _print(self, browser, job: PdfJob) -> bytes:
        if job.body is not None:
            return self._print_in_shell(browser, job)
        page, guard = guarded_page(browser, job.allowed_bases(), job.viewport_width)
        try:
            page.set_default_timeout(self.timeout_s * 1000)
            if not guard.allows(job.url):
                raise RenderError("the page to print is not one this server may open")
            if job.cookies:  # the page is opened as the viewer who asked for it: their scope, nothing more
                page.context.add_cookies([{"name": k, "value": v, "url": job.url} for k, v in job.cookies.items()])
            page.goto(job.url, wait_until=job.wait_until)
            if job.prepare is not None:
                job.prepare(page)
            if job.wait_for:
                page.wait_for_function(job.wait_for)
            if job.header_html:
                page.evaluate("html => document.body.insertAdjacentHTML('afterbegin', html)", job.header_html)
            page.emulate_media(media="print")
            if job.before_print is not None:
                job.before_print(page)
            return self._pdf(page, job)
        finally:
            if guard.blocked:
                log.warning(
                    "the PDF's page asked for %d address(es) it may not load; refused (first: %s)",
                    len(guard.blocked),
                    guard.blocked[0][:200],
                )
            page.close()

    def _print_in_shell(self, browser, job: PdfJob) -> bytes:
        """A report: the shell page (fonts, CSS, plotly.js) stays open, only its body changes."""
        page = self._shells.get(job.url)
        if page is None or page.is_closed():
            page, _guard = guarded_page(browser, job.allowed_bases(), job.viewport_width)
            page.set_default_timeout(self.timeout_s * 1000)
            page.goto(job.url, wait_until="load")
            page.emulate_media(media="print")
            self._shells[job.url] = page
        try:
            page.evaluate("([body, figures]) => window.renderReport(body, figures)", [job.body, job.figures])
            return self._pdf(page, job)
        except Exception:
            self._shells.pop(job.url, None)
            page.close()
            raise

    @staticmethod
    def _pdf(page, job: PdfJob) -> bytes:
        return page.pdf(
            format="A4",
            landscape=job.landscape,
            print_background=True,
            prefer_css_page_size=True,
            scale=job.scale,
            display_header_footer=bool(job.footer_template),
            header_template="<span></span>",
            footer_template=job.footer_template or "<span></span>",
            margin={side: f"{mm:g}mm" for side, mm in MARGIN_MM.items()},
        )

    def _fail_all(self, error: RenderError) -> None:
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is not None:
                job.result.set_exception(error)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


ADDRESS = re.compile(
    r"\b(?:[a-z][a-z0-9+.-]*://|//)\S*|\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?|\blocalhost(?::\d+)?|\[[0-9a-f:.]+\](?::\d+)?",
    re.IGNORECASE,
)


def _public(exc: BaseException) -> str:
    """The first line of a failure as a user may read it: without any address or port in it."""
    return ADDRESS.sub("…", _first_line(exc))[:300]


def missing_browser_message(path: str, detail: str | None = None) -> str:
    reason = f" ({detail})" if detail else ""
    return (
        f"PDF export needs Chromium, but none could be started at {path}{reason}. "
        "Install it (apt-get install chromium) or set POC_CHROMIUM to its path; "
        "the dashboard and the XLSX downloads work without it."
    )


_renderer: PdfRenderer | None = None
_renderer_lock = threading.Lock()


def get_renderer() -> PdfRenderer:
    """The process's renderer, configured from the settings (POC_CHROMIUM, POC_PDF_TIMEOUT)."""
    global _renderer
    from settings import get_settings

    settings = get_settings()
    with _renderer_lock:
        if _renderer is None or _renderer.executable_path != str(settings.chromium_path):
            if _renderer is not None:
                _renderer.close()
            _renderer = PdfRenderer(str(settings.chromium_path), float(settings.pdf_timeout))
        return _renderer


def close_renderer() -> None:
    global _renderer
    with _renderer_lock:
        if _renderer is not None:
            _renderer.close()
            _renderer = None
