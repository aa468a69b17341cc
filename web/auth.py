"""Who is asking, denied by default (issue 18). Every request passes `gate` first (after the
size limits of web.security, before the page cache and every view):

* **Open paths** need no sign-in: /login, /healthz, and the static files and Dash's scripts.
* **A viewer** comes from the signed session cookie: an account (name and `epoch`, which a new
  password or a disabled account moves, ending older sessions) or a wall screen's kiosk token
  (checked again every few seconds: a revoked token stops the screen). Its `Viewer` (role,
  permissions, `Scope`) is set for the request (`data.query.set_viewer`): the query layer reads
  the viewer's scope on every read, so what lies outside it never comes back.
* **No viewer**: a page gets 302 to /login?next=…; Dash's callbacks and every data path get 401.
* **A page outside the viewer's scope or role** (/province/51 for a Chiang Mai account, /data
  without `data_status`, any page but the wall for a kiosk) gets 403 "ไม่มีสิทธิ์เข้าถึง / Not
  allowed" (JSON for data paths); its data is never read.
* **CSRF**: every POST, PUT, PATCH, DELETE carries the session's token (the `X-CSRFToken` header,
  which Dash's renderer sends from the `_csrf_token` cookie, or a form's `csrf_token`) and comes
  from this origin.

Sessions live in Flask's signed cookie (`poc_session`: HttpOnly, SameSite=Lax, Secure over HTTPS
or with POC_COOKIE_SECURE=always), signed with a key every app server of the store shares, and end
after POC_SESSION_HOURS.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import re
import secrets
import threading
import time
from urllib.parse import urlencode, urlsplit

from flask import Flask, Response, current_app, g, has_request_context, redirect, request, session
from flask.sessions import SecureCookieSessionInterface

from data.query import (
    ANONYMOUS,
    UNAVAILABLE_ERRORS,
    NotAllowed,
    StoreUnavailable,
    UnknownArea,
    Viewer,
    cluster_code_of,
    get_engine,
    reset_viewer,
    scope_for,
    set_viewer,
    viewable_area,
    viewer,
)
from data.query.cache import store_down
from data.rules.roles import KIOSK_ROLE, get_roles
from data.store import accounts
from settings import get_settings

SESSION_COOKIE = "poc_session"
CSRF_COOKIE = "_csrf_token"  # the cookie Dash's renderer reads and sends back as X-CSRFToken
CSRF_HEADER = "X-CSRFToken"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
NO_SESSION_PATHS = ("/healthz", "/favicon.ico", "/_favicon.ico")  # the health check and the icons: no data
OPEN_PREFIXES = ("/vendor/", "/assets/", "/_dash-component-suites/")  # code and styles, never data
PAGE_PREFIXES = ("/_dash-", "/wall/data", "/admin/api")
CHECK_SECONDS = 5.0  # how long an account or token read from the store is trusted in the process
KIOSK_PATHS = ("/wall", "/wall/data")
AREA_PAGE = re.compile(r"^/(province|district|cluster)/([^/]{1,40})/?$")

_memo: dict[tuple[str, str], tuple[float, object]] = {}
_memo_lock = threading.Lock()
_secret_lock = threading.Lock()


class PocSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return get_settings().cookie_secure == "always" or request.is_secure


def install(server: Flask) -> None:
    """Put the gate in front of every other hook but the request size limits (call after
    web.security.install, once the other hooks are registered)."""
    settings = get_settings()
    get_roles()  # a wrong roles file stops start-up with its reason
    server.session_interface = PocSessionInterface()
    server.config.update(
        SESSION_COOKIE_NAME=SESSION_COOKIE,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=settings.session_hours),
    )
    hooks = server.before_request_funcs.setdefault(None, [])
    limits = [i for i, hook in enumerate(hooks) if getattr(hook, "__name__", "") == "limit_request"]
    hooks.insert(limits[0] + 1 if limits else 0, gate)  # after the size limits (web.security), before all else
    server.after_request(csrf_cookie)
    server.wsgi_app = keyed(server, server.wsgi_app)
    server.teardown_request(_forget_viewer)


# =========================================================================== the gate


def gate():
    g.poc_viewer_token = set_viewer(ANONYMOUS)
    path = request.path
    if path.startswith(OPEN_PREFIXES) or path in NO_SESSION_PATHS:
        return None  # code, styles, icons and the health check: no session needed
    if not current_app.secret_key:  # no key and no store to read it from: no session can be read
        return store_down_answer(path)
    if path == "/login" or path.startswith("/login/"):
        return None  # the sign-in pages (their forms check their own CSRF token)
    if path == "/wall" and request.args.get("token"):
        return kiosk_sign_in(request.args["token"])
    try:
        who = session_viewer()
    except (StoreUnavailable, *UNAVAILABLE_ERRORS):  # the store is down and the viewer cannot be made
        return store_down_answer(path)
    if who is None:
        return _json(401, "sign in first") if _data_path(path) else redirect_to_login()
    if request.method not in SAFE_METHODS and not csrf_ok():
        return _json(403, "the request lacks this session's CSRF token, or comes from another site")
    reset_viewer(g.poc_viewer_token)
    g.poc_viewer_token = set_viewer(who)
    refusal = refused(who, path)
    if refusal:
        return _json(403, "not allowed") if _data_path(path) else not_allowed_page(refusal)
    return None


def _forget_viewer(_error=None) -> None:
    token = g.pop("poc_viewer_token", None)
    if token is not None:
        try:
            reset_viewer(token)
        except ValueError:  # set in another context (a streamed response): nothing to undo here
            pass


def _data_path(path: str) -> bool:
    return path.startswith(PAGE_PREFIXES) or "application/json" in request.headers.get("Accept", "")[:200]


def keyed(server: Flask, wsgi_app):
    """`wsgi_app` with the session key read first (POC_SECRET_KEY, else the store's shared key, made
    once): Flask opens a request's session before any hook runs, so the key must be there before
    the request begins. While the store cannot give it, the gate answers that the store is down."""

    def app(environ, start_response):
        if not server.secret_key:
            with _secret_lock:
                try:
                    server.secret_key = server.secret_key or get_settings().secret_key or shared_key()
                except (StoreUnavailable, *UNAVAILABLE_ERRORS):
                    pass
        return wsgi_app(environ, start_response)

    return app


def shared_key() -> str:
    return accounts.shared_secret(get_engine())


def _json(status: int, message: str) -> Response:
    return Response(json.dumps({"error": message}), status=status, mimetype="application/json")


# =========================================================================== viewers


def _remembered(kind: str, key: str, read):
    """`read()` memoised for CHECK_SECONDS; when the store fails, or failed a moment ago (the query
    layer's breaker, POC_STORE_RETRY: then without waiting on it again), the last answer it gave."""
    now = time.monotonic()
    hit = _memo.get((kind, key))
    if hit is not None and (now - hit[0] < CHECK_SECONDS or store_down(get_engine())):
        return hit[1]
    try:
        value = read()
    except UNAVAILABLE_ERRORS:
        if hit is None:
            raise
        return hit[1]
    with _memo_lock:
        if len(_memo) > 10_000:
            _memo.clear()
        _memo[(kind, key)] = (now, value)
    return value


def forget(kind: str | None = None, key: str | None = None) -> None:
    """Drop what the process remembers of accounts and tokens (after a change made here)."""
    with _memo_lock:
        if kind is None:
            _memo.clear()
        else:
            _memo.pop((kind, key), None)


def session_viewer() -> Viewer | None:
    """The viewer of the request's session, or None (none, expired, disabled, changed or revoked)."""
    started = session.get("t")
    if not isinstance(started, (int, float)):
        return None
    if time.time() - started > get_settings().session_hours * 3600:
        session.clear()
        return None
    if isinstance(session.get("u"), str):
        return _account_viewer(session["u"], session.get("e"))
    if isinstance(session.get("k"), str):
        return _kiosk_viewer(session["k"])
    return None


def _account_viewer(name: str, epoch) -> Viewer | None:
    try:
        account = _remembered("account", name.lower(), lambda: accounts.get_account(get_engine(), name))
    except UNAVAILABLE_ERRORS:  # the store is down and this process never read the account: the role
        signed = session.get("r"), session.get("a")  # and areas signed into the session at sign-in hold
        if not isinstance(signed[0], str) or not isinstance(signed[1], list):
            raise
        return viewer_of(name, signed[0], tuple(str(code) for code in signed[1]))
    if not account or account["disabled"] or account["epoch"] != epoch:
        session.clear()
        return None
    return viewer_of(account["name"], account["role"], account["areas"])


def viewer_of(name: str, role_name: str, areas, kind: str = "account") -> Viewer | None:
    role = get_roles().roles.get(role_name)
    if role is None:  # a role taken out of roles.yaml: its accounts see nothing
        return None
    scope = scope_for(get_engine(), areas, "restricted_kpis" in role.may)
    return Viewer(name, role_name, frozenset(role.may), scope, kind, tuple(areas))


def _kiosk_viewer(token_id: str) -> Viewer | None:
    area = _remembered("token", token_id, lambda: accounts.token_active(get_engine(), token_id))
    if not area:
        session.clear()
        return None
    return viewer_of(f"wall-token:{token_id}", KIOSK_ROLE, (area,), kind="kiosk")


def kiosk_sign_in(token: str):
    """/wall?token=…: the screen is signed in with the token's scope, then sent to the same wall
    without the token in its address (so it leaves no trace in history or logs downstream)."""
    found = accounts.token_area(get_engine(), token) if isinstance(token, str) and len(token) < 100 else None
    query = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
    if found is None:
        accounts.audit(get_engine(), "wall-token:?", "token_refused", "", "", client_address())
        return not_allowed_page("token")
    token_id, area = found
    session.clear()
    session.permanent = True
    session.update(k=token_id, t=time.time(), c=secrets.token_urlsafe(24))
    accounts.note_token_use(get_engine(), token_id)
    accounts.audit(get_engine(), f"wall-token:{token_id}", "token_sign_in", area, "", client_address())
    return redirect("/wall" + (f"?{urlencode(query)}" if query else ""), 303)


def refused(who: Viewer, path: str) -> str | None:
    """Why `who` may not open `path` ("role" or "scope"), or None when they may."""
    if path.startswith("/_dash-") or path in ("/_reload-hash",):
        return None if (who.can("view") or who.can("wall")) else "role"
    if path in KIOSK_PATHS:
        if not (who.can("wall") or who.can("view")):
            return "role"
        return _wall_area_refused(request.args)
    if not who.can("view"):
        return "role"
    if path.rstrip("/") == "/data" and not who.can("data_status"):
        return "role"
    if path.startswith("/admin") and not (who.can("manage_accounts") or who.can("audit") or who.can("manage_tokens")):
        return "role"
    match = AREA_PAGE.match(path)
    if match:
        return _area_refused(match.group(1), match.group(2))
    return None


def _area_refused(kind: str, code: str) -> str | None:
    engine = get_engine()
    try:
        if kind == "cluster":
            if not code.isdigit():
                return None  # not a page: Dash answers 404
            code = cluster_code_of(engine, int(code))
        viewable_area(engine, code)
    except NotAllowed:
        return "scope"
    except (UnknownArea, ValueError, StoreUnavailable, *UNAVAILABLE_ERRORS):
        return None  # Dash answers 404, or the page says the store cannot be reached (the read border holds)
    return None


def _wall_area_refused(args) -> str | None:
    if args.get("province"):
        return _area_refused("province", str(args.get("province"))[:40])
    if args.get("cluster"):
        return _area_refused("cluster", str(args.get("cluster"))[:40])
    return None


# =========================================================================== CSRF


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    token = session.get("c")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        session["c"] = token
    return token


def csrf_ok() -> bool:
    origin = request.headers.get("Origin")
    if origin and origin != "null" and urlsplit(origin).netloc.lower() != request.host.lower():
        return False
    expected = session.get("c")
    given = request.headers.get(CSRF_HEADER) or (request.form.get("csrf_token") if request.form else None)
    return isinstance(expected, str) and isinstance(given, str) and hmac.compare_digest(expected, given)


def csrf_cookie(response: Response) -> Response:
    """The token Dash's renderer sends back with every callback: a cookie it can read (not HttpOnly),
    sent to this site only."""
    token = session.get("c") if session else None
    if isinstance(token, str) and request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(
            CSRF_COOKIE,
            token,
            samesite="Strict",
            secure=get_settings().cookie_secure == "always" or request.is_secure,
            httponly=False,
            path="/",
        )
    return response


# =========================================================================== audit and answers


def client_address() -> str:
    return (request.remote_addr or "")[:64] if has_request_context() else ""


def scope_text(who: Viewer) -> str:
    return " ".join(who.areas) if who.areas else ("TH" if who.scope.everything else "")


def note(event: str, detail: str = "") -> None:
    """Write `event` (an export, an ESR) to the audit log as the request's viewer."""
    who = viewer()
    accounts.audit(get_engine(), who.name or "?", event, scope_text(who), detail[:2000], client_address())


def session_cookies() -> dict[str, str]:
    """The request's session cookie, for the server's own browser to open a page as this viewer."""
    value = request.cookies.get(SESSION_COOKIE) if has_request_context() else None
    return {SESSION_COOKIE: value} if value else {}


def language() -> str:
    lang = request.args.get("lang")
    return lang if lang in ("th", "en") else get_settings().language


def redirect_to_login() -> Response:
    target = request.full_path if request.query_string else request.path
    return redirect("/login?" + urlencode({"next": target[:500], "lang": language()}), 302)


def not_allowed_page(reason: str) -> Response:
    from web.login import denied_page

    return denied_page(reason, language())


def store_down_answer(path: str) -> Response:
    """What a request gets when its viewer cannot be checked for want of the store: the wall's own
    "keep your last data" answer, 503 JSON on other data paths, else the unavailable page."""
    from web.login import w

    if path == "/wall/data":
        body = {"ok": False, "message": w("wall_unavailable", language())}
        return Response(json.dumps(body, ensure_ascii=False), status=503, mimetype="application/json")
    return _json(503, "the data store cannot be reached") if _data_path(path) else unavailable_page()


def unavailable_page() -> Response:
    from web.login import unavailable

    return unavailable(language())
