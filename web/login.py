"""Sign-in at /login, sign-out at /logout, the account page at /account, and the answers of the
gate (not allowed, store unavailable): small server-drawn pages in one language, with the app's
own stylesheets and no script.

Sign-in checks the form's CSRF token, then the failure limits (POC_SIGN_IN_LIMIT failures per
name within POC_SIGN_IN_WINDOW minutes, ten times that per address), then the password: a local
account's argon2id hash, or the directory (LDAP) for an account whose source is ldap. An unknown
name costs as long as a wrong password and gets the same answer. A success starts a new session
(a new id and CSRF token: no session fixation); every outcome goes to the audit log."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from html import escape
from urllib.parse import urlsplit

from flask import Blueprint, Response, redirect, request, session

from data.query import EVERYTHING, UNAVAILABLE_ERRORS, StoreUnavailable, areas, get_engine, viewer
from data.store import accounts
from settings import get_settings
from web import auth

WORDS = {
    "title": ("เข้าสู่ระบบ", "Sign in"),
    "app": ("ศูนย์ปฏิบัติการจังหวัด", "Provincial Operation Center"),
    "username": ("ชื่อผู้ใช้", "User name"),
    "password": ("รหัสผ่าน", "Password"),
    "submit": ("เข้าสู่ระบบ", "Sign in"),
    "failed": ("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "The user name or password is wrong."),
    "locked": (
        "ลงชื่อเข้าใช้ไม่สำเร็จหลายครั้งเกินไป โปรดลองใหม่หลังเวลา {time} น.",
        "Too many failed sign-ins. Try again after {time}.",
    ),
    "expired": ("แบบฟอร์มหมดอายุ โปรดลองอีกครั้ง", "The form has expired. Please try again."),
    "denied_title": ("ไม่มีสิทธิ์เข้าถึง", "Not allowed"),
    "denied_scope": (
        "บัญชีของท่านไม่มีสิทธิ์ดูพื้นที่นี้ ข้อมูลของพื้นที่นี้จึงไม่แสดง",
        "Your account may not see this area, so none of its data is shown.",
    ),
    "denied_role": (
        "บทบาทของบัญชีนี้ไม่มีสิทธิ์เปิดหน้านี้",
        "The role of this account may not open this page.",
    ),
    "denied_token": (
        "โทเคนของจอแสดงผลนี้ไม่ถูกต้อง ถูกเพิกถอน หรือหมดอายุแล้ว",
        "This wall screen's token is wrong, revoked or expired.",
    ),
    "home": ("หน้าหลัก", "Home"),
    "sign_out": ("ออกจากระบบ", "Sign out"),
    "sign_out_ask": ("ออกจากระบบบัญชี {name}?", "Sign out of {name}?"),
    "signed_out": ("ออกจากระบบแล้ว", "You have signed out."),
    "account": ("บัญชีของฉัน", "My account"),
    "role": ("บทบาท", "Role"),
    "areas": ("พื้นที่", "Areas"),
    "unavailable": ("ขณะนี้เชื่อมต่อคลังข้อมูลไม่ได้", "The data store cannot be reached just now"),
    "switch": ("English", "ภาษาไทย"),
    "wall_unavailable": ("เชื่อมต่อคลังข้อมูลไม่ได้", "The data store cannot be reached"),
}


def w(key: str, language: str) -> str:
    thai, english = WORDS[key]
    return english if language == "en" else thai


def page(title: str, body: str, language: str, status: int = 200) -> Response:
    """A small page of the app's look: Bootstrap and Sarabun from the app itself, no script."""
    sheets = "".join(
        f'<link rel="stylesheet" href="{href}">'
        for href in ("/vendor/bootstrap/css/bootstrap.min.css", "/vendor/sarabun.css", "/assets/poc.css")
    )
    html = (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · {escape(w('app', language))}</title>{sheets}</head>"
        f'<body class="bg-light"><main class="container py-5" style="max-width:28rem">'
        f'<p class="text-secondary mb-1">{escape(w("app", language))}</p>'
        f'<h1 class="h3 mb-4">{escape(title)}</h1>{body}</main></body></html>'
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this app only (never another site)."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path.startswith(("/login", "/logout")):
        return "/"
    return target[:500]


def login_form(language: str, target: str, message: str | None = None, name: str = "", status: int = 200):
    alert = f'<div class="alert alert-danger" role="alert">{escape(message)}</div>' if message else ""
    other = "en" if language == "th" else "th"
    switch = f"/login?lang={other}&next={escape(target, quote=True)}"
    body = (
        f'{alert}<form method="post" action="/login?lang={language}">'
        f'<input type="hidden" name="csrf_token" value="{escape(auth.csrf_token(), quote=True)}">'
        f'<input type="hidden" name="next" value="{escape(target, quote=True)}">'
        f'<div class="mb-3"><label class="form-label" for="username">{escape(w("username", language))}</label>'
        f'<input class="form-control" id="username" name="username" autocomplete="username" required '
        f'maxlength="100" value="{escape(name, quote=True)}" autofocus></div>'
        f'<div class="mb-3"><label class="form-label" for="password">{escape(w("password", language))}</label>'
        f'<input class="form-control" id="password" name="password" type="password" '
        f'autocomplete="current-password" required maxlength="256"></div>'
        f'<button class="btn btn-primary w-100" type="submit">{escape(w("submit", language))}</button></form>'
        f"{directory_links(language, target)}"
        f'<p class="mt-4"><a href="{switch}" lang="{other}">{w("switch", language)}</a></p>'
    )
    return page(w("title", language), body, language, status)


def directory_links(language: str, target: str) -> str:
    """The organisation's OpenID Connect sign-in, when one is configured (web.directory)."""
    try:
        from web.directory import oidc_button
    except ImportError:
        return ""
    return oidc_button(language, target)


def login_blueprint() -> Blueprint:
    blueprint = Blueprint("login", __name__)

    @blueprint.route("/login", methods=["GET", "POST"])
    def login():
        language = auth.language()
        target = safe_next(request.values.get("next"))
        if request.method == "GET":
            return login_form(language, target)
        return sign_in(language, target)

    @blueprint.route("/logout", methods=["GET", "POST"])
    def logout():
        language = auth.language()
        who = auth.session_viewer() if session else None
        if request.method == "GET":
            if who is None:
                return redirect(f"/login?lang={language}", 303)
            return page(w("sign_out", language), sign_out_form(language, who.name), language)
        if not auth.csrf_ok():
            return page(w("sign_out", language), f"<p>{escape(w('expired', language))}</p>", language, 403)
        if who is not None:
            accounts.audit(get_engine(), who.name, "sign_out", auth.scope_text(who), "", auth.client_address())
        session.clear()
        return redirect(f"/login?lang={language}", 303)

    @blueprint.route("/account")
    def account():
        return account_page(auth.language(), viewer())

    return blueprint


def account_page(language: str, who) -> Response:
    """One's account: name, role, areas with their names (codes alone when the store cannot be
    reached), and the way out, in the admin pages' frame (web.admin_views.admin_page)."""
    from web.admin_views import admin_page, areas_text  # not above: web.admin_views draws with this module's page

    try:
        names = areas(get_engine(), EVERYTHING)
    except (*UNAVAILABLE_ERRORS, StoreUnavailable):
        names = None
    may_admin = any(who.can(p) for p in ("manage_accounts", "manage_tokens", "audit"))
    body = (
        f'<dl class="poc-account"><dt>{escape(w("username", language))}</dt><dd>{escape(who.name)}</dd>'
        f"<dt>{escape(w('role', language))}</dt><dd>{escape(role_label(who.role, language))}</dd>"
        f"<dt>{escape(w('areas', language))}</dt><dd>{areas_text(who.areas, names, language)}</dd></dl>"
        f"{sign_out_form(language, who.name)}"
    )
    return admin_page(w("account", language), body, language, here="/account", admin=may_admin)


def role_label(role: str, language: str) -> str:
    from data.rules.roles import get_roles

    known = get_roles().roles.get(role)
    return (known.label.en if language == "en" else known.label.th) if known else role


def sign_out_form(language: str, name: str) -> str:
    return (
        f"<p>{escape(w('sign_out_ask', language).format(name=name))}</p>"
        f'<form method="post" action="/logout?lang={language}">'
        f'<input type="hidden" name="csrf_token" value="{escape(auth.csrf_token(), quote=True)}">'
        f'<button class="btn btn-outline-danger" type="submit">{escape(w("sign_out", language))}</button></form>'
    )


def sign_in(language: str, target: str) -> Response:
    name = (request.form.get("username") or "").strip()[:100]
    password = request.form.get("password") or ""
    if not auth.csrf_ok():
        return login_form(language, target, w("expired", language), name, 400)
    engine = get_engine()
    address = auth.client_address()
    settings = get_settings()
    window = dt.timedelta(minutes=settings.sign_in_window)
    try:
        by_name, by_address = accounts.recent_failures(engine, name, address, window)
        if by_name >= settings.sign_in_limit or by_address >= settings.sign_in_limit * 10:
            accounts.audit(engine, name or "?", "sign_in_locked", "", "", address)
            until = (dt.datetime.now() + window).strftime("%H:%M")
            return login_form(language, target, w("locked", language).format(time=until), name, 429)
        account = accounts.get_account(engine, name)
        if not verified(account, name, password):
            accounts.note_failure(engine, name, address)
            accounts.audit(engine, name or "?", "sign_in_failed", "", "", address)
            return login_form(language, target, w("failed", language), name, 401)
    except UNAVAILABLE_ERRORS:
        return unavailable(language)
    start_session(account)
    return redirect(target, 303)


def verified(account: dict | None, name: str, password: str) -> bool:
    """Whether `password` is right for the enabled account `account` (a wrong name costs as long)."""
    if account is None or account["disabled"] or not password:
        accounts.check_password(None, password or "-")
        return False
    if account["source"] == "ldap":
        from web.directory import ldap_verify

        return ldap_verify(account["name"], password)
    if account["source"] != "local":
        accounts.check_password(None, password)
        return False
    return accounts.check_password(account["password_hash"], password)


def start_session(account: dict, detail: str = "") -> None:
    """A new session for `account` (after the password or the directory said yes)."""
    session.clear()
    session.permanent = True
    session.update(
        u=account["name"],
        e=account["epoch"],
        r=account["role"],  # role and areas, signed: what an outage of the store leaves the session
        a=list(account["areas"]),
        t=time.time(),
        c=secrets.token_urlsafe(24),
    )
    accounts.note_sign_in(get_engine(), account["name"])
    scope = " ".join(account["areas"])
    accounts.audit(get_engine(), account["name"], "sign_in", scope, detail, auth.client_address())


def denied_page(reason: str, language: str) -> Response:
    text = {"scope": "denied_scope", "role": "denied_role", "token": "denied_token"}.get(reason, "denied_role")
    links = f'<a class="btn btn-primary me-2" href="/?lang={language}">{escape(w("home", language))}</a>'
    if reason != "token":
        links += (
            f'<a class="btn btn-outline-secondary" href="/logout?lang={language}">{escape(w("sign_out", language))}</a>'
        )
    body = f'<div class="alert alert-warning" role="alert">{escape(w(text, language))}</div><p>{links}</p>'
    return page(w("denied_title", language), body, language, 403)


def unavailable(language: str) -> Response:
    return page(w("unavailable", language), "", language, 503)
