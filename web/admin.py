"""The admin pages (issue 18), server-drawn by Flask with no script: /admin (accounts and
wall-screen kiosk tokens, each with its forms) and /admin/audit (the audit log). What they draw is
in web.admin_views; here is what may be shown and changed.

The gate (web.auth) has signed the viewer in, refused /admin* to a role with none of
manage_accounts, manage_tokens and audit, and checked every POST's CSRF token. Here:

* each form needs its permission (manage_accounts, manage_tokens; the log needs audit), else
  the "not allowed" page (403);
* an admin whose scope is not the whole country sees and changes only the accounts and tokens
  whose every area lies inside their scope, gives only areas inside it, never a role with a
  permission they lack (nor one whose areas are wider than theirs), never changes an account with
  such a role, and never their own role (nor disables themselves): each refusal is a 403 with its
  reason; a change the store refuses (`AccountError`) is a 400 with its message;
* a change is written by `data.store.accounts` (with its audit event), the process forgets what it
  remembered of the account or token (so a disabled account or a revoked token stops at once here,
  within web.auth.CHECK_SECONDS on other servers), and the browser goes back to /admin (303) with
  a message key;
* the store unreachable: the "cannot be reached" page (503); never a traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from urllib.parse import urlencode

from flask import Blueprint, Response, redirect, request

from data.query import EVERYTHING, UNAVAILABLE_ERRORS, StoreUnavailable, Viewer, areas, get_engine, viewer
from data.rules.roles import KIOSK_ROLE, RolesFileError, get_roles
from data.store import accounts
from data.store.accounts import AccountError
from data.store.engine import STORE_ERRORS
from web import admin_views as views
from web import admin_words as words
from web import auth
from web.login import denied_page, unavailable

AUDIT_LIMIT = 500
MAX_AREAS = 20


class Refused(Exception):
    """A change this admin may not make: `reason` is a key of views.REASONS."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def blueprint() -> Blueprint:
    admin = Blueprint("admin", __name__)
    admin.add_url_rule("/admin", "home", home, methods=["GET"])
    admin.add_url_rule("/admin/audit", "audit", audit_log, methods=["GET"])
    for path, view in (
        ("/admin/accounts/add", add_account),
        ("/admin/accounts/disable", disable_account),
        ("/admin/accounts/enable", enable_account),
        ("/admin/accounts/role", set_role),
        ("/admin/accounts/password", set_password),
        ("/admin/tokens/create", create_token),
        ("/admin/tokens/revoke", revoke_token),
    ):
        admin.add_url_rule(path, path.replace("/", "_"), view, methods=["POST"])
    return admin


def answered(*permissions: str):
    """The view, for viewers with one of `permissions`, every failure as a handled answer."""

    def wrap(view):
        @functools.wraps(view)
        def run():
            language = auth.language()
            who = viewer()
            if who.kind != "account" or not any(who.can(p) for p in permissions):
                return denied_page("role", language)
            try:
                return view(who, language)
            except Refused as refusal:
                return views.problem_page(words.w(refusal.reason, language, words.REASONS), language, 403)
            except AccountError as error:
                return views.problem_page(str(error)[:500], language, 400)
            except (*UNAVAILABLE_ERRORS, StoreUnavailable, RolesFileError):
                return unavailable(language)
            except STORE_ERRORS:
                return views.problem_page(views.w("store_failed", language), language, 409)

        return run

    return wrap


def field(name: str, limit: int) -> str:
    """A form field, at most `limit` characters (one more, so that the store refuses what is too long)."""
    value = request.form.get(name)
    return value.strip()[: limit + 1] if isinstance(value, str) else ""


def area_codes(text: str) -> list[str]:
    """The area codes of a form's field: separated by spaces (or commas), upper case."""
    codes = [code.upper() for code in re.split(r"[\s,]+", text) if code]
    if len(codes) > MAX_AREAS:
        raise AccountError(f"at most {MAX_AREAS} areas")
    return codes


def done(message: str, name: str, language: str) -> Response:
    return redirect("/admin?" + urlencode({"lang": language, "msg": message, "name": name[:100]}), 303)


# =========================================================================== who may change what


def manageable(who: Viewer, codes) -> bool:
    """Whether every one of the areas `codes` lies inside the admin's scope (any, for the whole country)."""
    return who.scope.everything or (bool(codes) and all(who.scope.holds(code) for code in codes))


def role_rights(role_name: str) -> frozenset[str]:
    role = get_roles().roles.get(role_name)
    return frozenset(role.may) if role is not None else frozenset()


def held_kinds(who: Viewer, names) -> set[str]:
    """The kinds of area the admin's scope holds (and so may give)."""
    if who.scope.everything:
        return {"country", "region", "cluster", "province"}
    kinds = {"province"} if who.scope.province_codes else set()
    return kinds | {str(names.loc[code, "level"]) for code in who.scope.held if code in names.index}


def role_refusal(who: Viewer, role_name: str, names) -> str | None:
    role = get_roles().roles.get(role_name)
    if role is None:
        return None  # the store refuses an unknown role with its reason
    if not frozenset(role.may) <= who.may:
        return "role_wider"
    if not set(role.areas) & held_kinds(who, names):
        return "role_areas"
    return None


def givable_roles(who: Viewer, names) -> list[str]:
    """The roles the admin's role select offers (a wall screen's role is for kiosk tokens)."""
    return [name for name in get_roles().roles if name != KIOSK_ROLE and role_refusal(who, name, names) is None]


def target_account(who: Viewer, name: str) -> dict:
    """The account `name` when the admin may change it; else Refused (or, for a country admin,
    AccountError when there is none: a scoped admin learns nothing of accounts outside their scope)."""
    account = accounts.get_account(get_engine(), name)
    if account is None:
        if who.scope.everything:
            raise AccountError(f"no account named {name[:40]!r}")
        raise Refused("outside")
    if not manageable(who, account["areas"]):
        raise Refused("outside")
    if not role_rights(account["role"]) <= who.may:
        raise Refused("account_wider")
    return account


def check_grant(who: Viewer, role: str, codes: list[str]) -> None:
    """Refused unless the admin may give `role` with the areas `codes`."""
    names = areas(get_engine(), EVERYTHING)
    reason = role_refusal(who, role, names)
    if reason:
        raise Refused(reason)
    if codes and not manageable(who, codes):
        raise Refused("outside")


def visible_accounts(who: Viewer) -> list[dict]:
    """The accounts inside the admin's scope, each with what the admin may change of it (`change`)."""
    found = [a for a in accounts.list_accounts(get_engine()) if manageable(who, a["areas"])]
    for account in found:
        wider = not role_rights(account["role"]) <= who.may
        account["change"] = "none" if wider else "own" if same(who, account) else "all"
    return found


def visible_tokens(who: Viewer) -> list[dict]:
    return [t for t in accounts.list_tokens(get_engine()) if manageable(who, [t["area_code"]])]


def same(who: Viewer, account: dict) -> bool:
    return who.name.lower() == account["name"].lower()


# =========================================================================== pages


@answered("manage_accounts", "manage_tokens", "audit")
def home(who: Viewer, language: str) -> Response:
    names = areas(get_engine(), EVERYTHING)
    name = (request.args.get("name") or "")[:100]
    body = views.message_html(request.args.get("msg"), name, language)
    if who.can("manage_accounts"):
        body += views.accounts_section(visible_accounts(who), names, givable_roles(who, names), language)
    if who.can("manage_tokens"):
        body += views.tokens_section(visible_tokens(who), names, language)
    if not (who.can("manage_accounts") or who.can("manage_tokens")):
        body += f"<p>{views.e(views.w('no_manage', language))}</p>"
    return views.admin_page(views.w("admin", language), body, language)


@answered("audit")
def audit_log(who: Viewer, language: str) -> Response:
    actor = (request.args.get("actor") or "").strip()[:100]
    event = (request.args.get("event") or "").strip()[:32]
    engine = get_engine()
    wanted = AUDIT_LIMIT if who.scope.everything else AUDIT_LIMIT * 10
    events = accounts.audit_events(engine, limit=wanted, actor=actor or None, event=event or None)
    if not who.scope.everything:  # the events of the accounts and areas the auditor's scope holds
        known = {a["name"].lower() for a in visible_accounts(who)} | {who.name.lower()}
        events = [v for v in events if v["actor"].lower() in known or manageable(who, v["scope"].split())]
    names = areas(engine, EVERYTHING)
    body = views.audit_body(events[:AUDIT_LIMIT], actor, event, AUDIT_LIMIT, language, names)
    return views.admin_page(views.w("audit", language), body, language, here="/admin/audit")


# =========================================================================== account forms


@answered("manage_accounts")
def add_account(who: Viewer, language: str) -> Response:
    name, role, source = field("name", 100), field("role", 32), field("source", 8) or "local"
    codes = area_codes(field("areas", 500))
    check_grant(who, role, codes)
    password = request.form.get("password", "")[:300] if source == "local" else None
    accounts.add_account(get_engine(), name, role, codes, password, by=who.name, source=source)
    auth.forget("account", name.lower())
    return done("added", name, language)


def _set_disabled(who: Viewer, language: str, disabled: bool) -> Response:
    account = target_account(who, field("name", 100))
    if disabled and same(who, account):
        raise Refused("own_disable")
    accounts.set_disabled(get_engine(), account["name"], disabled, by=who.name)
    auth.forget("account", account["name"].lower())
    return done("disabled" if disabled else "enabled", account["name"], language)


@answered("manage_accounts")
def disable_account(who: Viewer, language: str) -> Response:
    return _set_disabled(who, language, True)


@answered("manage_accounts")
def enable_account(who: Viewer, language: str) -> Response:
    return _set_disabled(who, language, False)


@answered("manage_accounts")
def set_role(who: Viewer, language: str) -> Response:
    account = target_account(who, field("name", 100))
    if same(who, account):
        raise Refused("own_role")
    role, codes = field("role", 32), area_codes(field("areas", 500))
    check_grant(who, role, codes)
    accounts.set_role(get_engine(), account["name"], role, codes, by=who.name)
    auth.forget("account", account["name"].lower())
    return done("role_set", account["name"], language)


@answered("manage_accounts")
def set_password(who: Viewer, language: str) -> Response:
    account = target_account(who, field("name", 100))
    accounts.set_password(get_engine(), account["name"], request.form.get("password", "")[:300], by=who.name)
    auth.forget("account", account["name"].lower())
    return done("password_set", account["name"], language)


# =========================================================================== token forms


def expiry(text: str) -> dt.datetime | None:
    """The last minute of the day `text` (YYYY-MM-DD) in Bangkok, as UTC; None when empty."""
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        raise AccountError("the expiry must be a date such as 2027-01-31") from None
    end = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=views.BANGKOK)
    return end.astimezone(dt.timezone.utc)


@answered("manage_tokens")
def create_token(who: Viewer, language: str) -> Response:
    code, label = field("area", 12).upper(), field("label", 200)[:200]
    if not code:
        raise AccountError("give the token's area: a province code such as 50, a cluster C05 or TH")
    if not manageable(who, [code]):
        raise Refused("outside")
    token = accounts.create_token(get_engine(), code, who.name, label, expiry(field("expires", 10)))
    return views.token_answer(token, accounts.wall_path(token, code), language)


@answered("manage_tokens")
def revoke_token(who: Viewer, language: str) -> Response:
    token_id = field("id", 16)
    found = [t for t in accounts.list_tokens(get_engine()) if t["id"] == token_id]
    if not found:
        if who.scope.everything:
            raise AccountError(f"no wall token {token_id[:16]!r}")
        raise Refused("outside")
    if not manageable(who, [found[0]["area_code"]]):
        raise Refused("outside")
    accounts.revoke_token(get_engine(), token_id, by=who.name)
    auth.forget("token", token_id)
    return done("revoked", token_id, language)
