"""Signed-in benches (issue 18): the dashboard answers only a signed-in session, so the benches
measure it as its users use it, never the sign-in redirect.

* `ensure_account(url)`: a `poc_admin` account of the whole country ("TH") in the bench's store,
  with a new random password (made once; when the store kept from an earlier run has it, its
  password is set anew, since the earlier one is gone with that run);
* `sign_in(base, name, password)`: through the real /login form over HTTP (the form's hidden
  `csrf_token`, then POST username, password, csrf_token → 303), returning the cookies the app
  set: `poc_session` (the session) and `_csrf_token` (sent back as X-CSRFToken on POSTs);
* `add_to_context(context, base, cookies)`: those cookies in a Playwright browser context, so
  every page it loads is signed in (cookies are not the HTTP cache: a new context with them is
  still a browser with an empty cache);
* `kiosk_token(url, area)`: a wall screen's kiosk token for one area (`poc token create`'s
  equivalent); a wall opens `/wall?token=…&province=…` once, as a real one does, and the app
  signs it in and sends it on to /wall without the token: `kiosk_sign_in` does that over HTTP.
"""

from __future__ import annotations

import http.cookiejar
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "bench-admin"
ROLE = "poc_admin"
AREA = "TH"
BY = "bench"
SESSION_COOKIE = "poc_session"
CSRF_COOKIE = "_csrf_token"
CSRF_HEADER = "X-CSRFToken"


class SignInFailed(RuntimeError):
    """The app answered, but did not sign in (a wrong password, a refused token)."""


def ensure_account(url: str, name: str = NAME) -> str:
    """A poc_admin of TH named `name` in the store at `url`; returns its (new, random) password."""
    from data.store import accounts
    from data.store.engine import make_engine

    password = "Bench-" + secrets.token_urlsafe(18)
    engine = make_engine(url)
    try:
        if accounts.get_account(engine, name) is None:
            accounts.add_account(engine, name, ROLE, [AREA], password, by=BY)
        else:  # kept from an earlier run: its password went with that run
            accounts.set_password(engine, name, password, by=BY)
            account = accounts.get_account(engine, name)
            if account["role"] != ROLE or account["areas"] != (AREA,):
                accounts.set_role(engine, name, ROLE, [AREA], by=BY)
            if account["disabled"]:
                accounts.set_disabled(engine, name, False, by=BY)
    finally:
        engine.dispose()
    return password


def kiosk_token(url: str, area: str, label: str = "bench wall") -> str:
    """A new kiosk token (its text) for the area `area` (a province code, C01…C18 or TH)."""
    from data.store import accounts
    from data.store.engine import make_engine

    engine = make_engine(url)
    try:
        return accounts.create_token(engine, area, by=BY, label=label)
    finally:
        engine.dispose()


class _Stay(urllib.request.HTTPRedirectHandler):
    """Do not follow redirects: the 303 after signing in is the answer wanted."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _opener(jar: http.cookiejar.CookieJar) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _Stay())


def _redirected(opener, request: urllib.request.Request, timeout: float) -> tuple[int, str]:
    """(status, Location) of a request answered with a redirect; SignInFailed otherwise."""
    try:
        with opener.open(request, timeout=timeout) as response:
            status, location = response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        status, location = error.code, error.headers.get("Location", "")
    if status not in (302, 303):
        raise SignInFailed(f"{request.get_method()} {urllib.parse.urlsplit(request.full_url).path}: {status}")
    return status, location


def sign_in(base: str, name: str, password: str, timeout: float = 60) -> dict[str, str]:
    """Sign in through /login as a browser does; the cookies set ({poc_session, _csrf_token}).
    A server not yet listening raises URLError (an OSError); one that refuses, SignInFailed."""
    jar = http.cookiejar.CookieJar()
    opener = _opener(jar)
    with opener.open(f"{base}/login", timeout=timeout) as response:
        form = response.read().decode("utf-8")
    found = re.search(r'name="csrf_token" value="([^"]+)"', form)
    if not found:
        raise SignInFailed("GET /login: no csrf_token in the form")
    body = urllib.parse.urlencode({"username": name, "password": password, "csrf_token": found.group(1), "next": "/"})
    request = urllib.request.Request(f"{base}/login", data=body.encode("ascii"), method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    request.add_header("Origin", base)
    status, location = _redirected(opener, request, timeout)
    if status != 303 or location.startswith("/login"):
        raise SignInFailed(f"POST /login: {status} to {location!r}")
    cookies = {cookie.name: cookie.value for cookie in jar}
    if SESSION_COOKIE not in cookies or CSRF_COOKIE not in cookies:
        raise SignInFailed(f"POST /login set {sorted(cookies)}, not {SESSION_COOKIE} and {CSRF_COOKIE}")
    return {SESSION_COOKIE: cookies[SESSION_COOKIE], CSRF_COOKIE: cookies[CSRF_COOKIE]}


def kiosk_sign_in(base: str, token: str, query: str = "", timeout: float = 60) -> dict[str, str]:
    """Open /wall?token=…&<query> once, as a wall screen does; the kiosk session's cookies."""
    jar = http.cookiejar.CookieJar()
    target = f"{base}/wall?" + urllib.parse.urlencode({"token": token}) + (f"&{query}" if query else "")
    status, location = _redirected(_opener(jar), urllib.request.Request(target), timeout)
    if status != 303 or "token=" in location or not location.startswith("/wall"):
        raise SignInFailed(f"GET /wall?token=…: {status} to {location!r}")
    cookies = {cookie.name: cookie.value for cookie in jar}
    if SESSION_COOKIE not in cookies:
        raise SignInFailed(f"GET /wall?token=… set {sorted(cookies)}, not {SESSION_COOKIE}")
    return cookies


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def headers(cookies: dict[str, str], post: bool = False) -> dict[str, str]:
    """The request headers of a signed-in client: its cookies, and on a POST the CSRF header."""
    given = {"Cookie": cookie_header(cookies)}
    if post and CSRF_COOKIE in cookies:
        given[CSRF_HEADER] = cookies[CSRF_COOKIE]
    return given


def add_to_context(context, base: str, cookies: dict[str, str]) -> None:
    """The session's cookies in a Playwright browser context, for the server at `base`."""
    context.add_cookies([{"name": name, "value": value, "url": base} for name, value in cookies.items()])


def new_context(browser, base: str, cookies: dict[str, str], **options):
    """A new browser context (an empty HTTP cache) that is signed in."""
    context = browser.new_context(**options)
    add_to_context(context, base, cookies)
    return context
