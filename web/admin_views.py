"""What the admin pages draw (web.admin decides what may be shown and changed): the words in
Thai and English, times in Asia/Bangkok (Buddhist Era years in Thai), the accounts and wall-token
tables with their forms, a new token's answer and the audit log. Server-drawn HTML, no script;
every value that came from a user or the store is escaped here."""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Response

from data.rules.areas import area_name
from data.rules.periods import THAI_MONTHS_SHORT
from data.rules.thai_words import breakable_markup
from data.store.accounts import SOURCES
from web import auth
from web.admin_words import EVENTS, MESSAGES, w
from web.login import page, role_label

BANGKOK = ZoneInfo("Asia/Bangkok")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def local_time(value) -> dt.datetime | str | None:
    """A stored time in Bangkok (None as None; a text that is no time as it is)."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).astimezone(BANGKOK)


def day_text(local: dt.datetime, language: str) -> str:
    if language == "en":
        return f"{local.day} {MONTHS_EN[local.month - 1]} {local.year}"
    return f"{local.day} {THAI_MONTHS_SHORT[local.month - 1]} {local.year + 543}"


def when(value, language: str) -> str:
    """A stored time as Bangkok time: "5 ธ.ค. 2569 17:30" in Thai, "5 Dec 2026 17:30" in English."""
    local = local_time(value)
    if not isinstance(local, dt.datetime):
        return "–" if local is None else local
    return f"{day_text(local, language)} {local:%H:%M}"


def when_html(value, language: str) -> str:
    """`when` as markup that breaks only between the day and the time: at most two lines in a
    narrow column (the day's spaces never break, and the time has no Thai to cut)."""
    local = local_time(value)
    if not isinstance(local, dt.datetime):
        return e(when(value, language))
    day = f'<span class="text-nowrap">{e(day_text(local, language))}</span>'
    return f'<time datetime="{local.isoformat()}">{day} <span class="text-nowrap">{local:%H:%M}</span></time>'


def areas_text(codes, names, language: str) -> str:
    """Area codes with their names ("50 เชียงใหม่"), escaped; a code the store lacks (or every
    code, when `names` is None: the store unreachable) as it is."""
    parts = []
    for code in codes:
        named = area_name(names.loc[code], language) if names is not None and code in names.index else ""
        parts.append(e(f"{code} {named}".strip()))
    return ", ".join(parts)


# =========================================================================== page and forms


def admin_page(
    title: str, body: str, language: str, here: str = "/admin", status: int = 200, admin: bool = True
) -> Response:
    """`web.login.page` with a wide body (tables), links to the dashboard, the admin pages (when
    `admin`: the viewer may open them), one's account and the other language."""
    other = "en" if language == "th" else "th"
    pages = [("/", "home")] + ([("/admin", "admin"), ("/admin/audit", "audit")] if admin else [])
    current = ' aria-current="page"'
    links = "".join(
        f'<a class="me-3" href="{path}?lang={language}"{current if path == here else ""}>{e(w(key, language))}</a>'
        for path, key in [*pages, ("/account", "my_account")]
    )
    links += f'<a href="{e(here)}?lang={other}" lang="{other}">{w("switch", language)}</a>'
    wide = (
        '<div style="width:min(96vw,90rem);position:relative;left:50%;transform:translateX(-50%)">'
        f'<nav class="mb-4 poc-admin-nav">{breakable_markup(links)}</nav>{breakable_markup(body)}</div>'
    )  # Thai lines break only between words (data.rules.thai_words)
    return page(title, wide, language, status)


def problem_page(text: str, language: str, status: int) -> Response:
    """A refused (403) or failed (400) change: its reason, escaped, and the way back."""
    title = w("refused" if status == 403 else "failed", language)
    body = (
        f'<div class="alert alert-warning" role="alert">{e(text)}</div>'
        f'<p><a class="btn btn-primary" href="/admin?lang={language}">{e(w("back", language))}</a></p>'
    )
    return admin_page(title, body, language, status=status)


def message_html(key: str | None, name: str, language: str) -> str:
    if key not in MESSAGES:
        return ""
    text = w(key, language, MESSAGES).format(name=name[:100])
    return f'<div class="alert alert-success" role="status">{e(text)}</div>'


def form(action: str, language: str, inner: str, css: str = "poc-row-form") -> str:
    return (
        f'<form method="post" action="{e(action)}?lang={language}" class="{css}">'
        f'<input type="hidden" name="csrf_token" value="{e(auth.csrf_token())}">{inner}</form>'
    )


def hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{e(name)}" value="{e(value)}">'


def field(label: str, control: str, hint: str = "", ident: str = "") -> str:
    """A control with its name written above it (a placeholder is no label: it goes as one types),
    in one piece of text that wraps as a whole; with `hint`, a line under the control that the
    control names as its description (`ident`: the control's id, unique on the page)."""
    name = f'<span class="poc-field-name">{e(label)}</span>'
    if not hint:
        return f'<label class="poc-field small">{name}{control}</label>'
    control = control.replace("<input ", f'<input id="{ident}" aria-describedby="{ident}-hint" ', 1)
    control = control.replace("<select ", f'<select id="{ident}" aria-describedby="{ident}-hint" ', 1)
    return (
        f'<div class="poc-field small"><label class="poc-field-name" for="{ident}">{e(label)}</label>{control}'
        f'<span class="form-text poc-field-hint" id="{ident}-hint">{e(hint)}</span></div>'
    )


def text_input(
    name: str, label: str, limit: int, value: str = "", kind: str = "text", extra: str = "", hint: str = ""
) -> str:
    control = (
        f'<input class="form-control form-control-sm" type="{kind}" name="{e(name)}" '
        f'maxlength="{limit}" value="{e(value)}" {extra}>'
    )
    return field(label, control, hint, f"{name}-field" if hint else "")


def button(text: str, css: str = "btn-outline-primary") -> str:
    return f'<button class="btn btn-sm {css}" type="submit">{e(text)}</button>'


def role_select(roles: list[str], language: str, chosen: str = "") -> str:
    options = "".join(
        f'<option value="{e(r)}"{" selected" if r == chosen else ""}>{e(role_label(r, language))}</option>'
        for r in roles
    )
    return field(w("role", language), f'<select class="form-select form-select-sm" name="role">{options}</select>')


def table(headers: list[str], rows: list[list[str]], language: str, empty: str, name: str) -> str:
    """A table of cells already escaped (or markup made here), in a box that scrolls sideways named
    `name` (a word), reachable by the keyboard; its first column stays (assets/poc.css)."""
    if not rows:
        return f'<p class="text-secondary">{e(w(empty, language))}</p>'
    head = "".join(f'<th scope="col">{e(w(h, language))}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return (
        f'<div class="table-responsive scroll-table" tabindex="0" role="region" aria-label="{e(w(name, language))}">'
        f'<table class="table table-sm align-middle">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


# =========================================================================== accounts


def account_actions(account: dict, roles: list[str], language: str) -> str:
    """The forms of an account: none when the admin may not change it (`change` "none"), the
    password only for their own ("own"), else every one."""
    if account.get("change") == "none":
        return ""
    name = hidden("name", account["name"])
    state = "enable" if account["disabled"] else "disable"
    parts = []
    if account.get("change") != "own":
        parts.append(
            form(f"/admin/accounts/{state}", language, name + button(w(state, language), "btn-outline-danger"))
        )
        parts.append(
            form(
                "/admin/accounts/role",
                language,
                name
                + role_select(roles, language, account["role"])
                + text_input("areas", w("areas", language), 200, " ".join(account["areas"]))
                + button(w("set_role", language)),
            )
        )
    if account["source"] == "local":
        password = text_input("password", w("password", language), 256, kind="password", extra="required")
        parts.append(form("/admin/accounts/password", language, name + password + button(w("set_password", language))))
    return f'<div class="poc-actions">{"".join(parts)}</div>'


def accounts_section(rows: list[dict], names, roles: list[str], language: str) -> str:
    cells = [
        [
            e(a["name"]),
            e(role_label(a["role"], language)),
            areas_text(a["areas"], names, language),
            e(w("source_" + a["source"], language)) if a["source"] in SOURCES else e(a["source"]),
            e(w("off" if a["disabled"] else "on", language)),
            when_html(a["last_sign_in_at"], language),
            account_actions(a, roles, language),
        ]
        for a in rows
    ]
    headers = ["name", "role", "areas", "source", "enabled", "last_sign_in", "actions"]
    sources = "".join(f'<option value="{s}">{e(w("source_" + s, language))}</option>' for s in SOURCES)
    add = form(
        "/admin/accounts/add",
        language,
        text_input("name", w("name", language), 100, extra="required")
        + role_select(roles, language)
        + text_input("areas", w("areas", language), 200, extra="required", hint=w("areas_hint", language))
        + field(w("source", language), f'<select class="form-select form-select-sm" name="source">{sources}</select>')
        + text_input("password", w("password", language), 256, kind="password", hint=w("password_hint", language))
        + button(w("add", language), "btn-primary"),
        css="poc-form",
    )
    return (
        f'<h2 class="h5 mt-4">{e(w("accounts", language))}</h2>'
        f"{table(headers, cells, language, 'no_accounts', 'accounts')}"
        f'<h3 class="h6 mt-3">{e(w("add_account", language))}</h3>{add}'
    )


# =========================================================================== wall tokens


def token_state(token: dict) -> str:
    if token["revoked_at"] is not None:
        return "revoked"
    return "active" if token["active"] else "expired"


def tokens_section(rows: list[dict], names, language: str) -> str:
    cells = []
    for t in rows:
        state = token_state(t)
        revoke = ""
        if state == "active":
            revoke = form("/admin/tokens/revoke", language, hidden("id", t["id"]) + button(w("revoke", language)))
        cells.append(
            [
                e(t["id"]),
                areas_text([t["area_code"]], names, language),
                e(t["label"]),
                f"{when_html(t['created_at'], language)} · {e(t['created_by'])}",
                when_html(t["expires_at"], language),
                when_html(t["last_used_at"], language),
                e(w(state, language)),
                revoke,
            ]
        )
    headers = ["token_id", "area", "label", "created", "expires", "last_used", "state", "actions"]
    create = form(
        "/admin/tokens/create",
        language,
        text_input("area", w("area", language), 12, extra="required", hint=w("area_hint", language))
        + text_input("label", w("label", language), 200)
        + text_input("expires", w("expires", language), 10, kind="date", hint=w("expires_hint", language))
        + button(w("create", language), "btn-primary"),
        css="poc-form",
    )
    return (
        f'<h2 class="h5 mt-5">{e(w("tokens", language))}</h2>{table(headers, cells, language, "no_tokens", "tokens")}'
        f'<h3 class="h6 mt-3">{e(w("create_token", language))}</h3>{create}'
    )


def token_answer(token: str, url: str, language: str) -> Response:
    body = (
        f'<div class="alert alert-warning" role="alert">{e(w("token_once", language))}</div>'
        f"<dl><dt>{e(w('token', language))}</dt><dd><code>{e(token)}</code></dd>"
        f"<dt>{e(w('screen_url', language))}</dt><dd><code>{e(url)}</code></dd></dl>"
        f'<p><a class="btn btn-primary" href="/admin?lang={language}">{e(w("back", language))}</a></p>'
    )
    return admin_page(w("token_made", language), body, language)


# =========================================================================== the audit log


def event_select(chosen: str, language: str) -> str:
    """The filter's event kinds in words (each option's value its code); a code not known here, asked
    for in the address, as it is."""
    kinds = [("", w("every_event", language))] + [(code, w(code, language, EVENTS)) for code in EVENTS]
    if chosen and chosen not in EVENTS:
        kinds.append((chosen, chosen))
    options = "".join(
        f'<option value="{e(code)}"{" selected" if code == chosen else ""}>{e(text)}</option>' for code, text in kinds
    )
    return field(w("event", language), f'<select class="form-select form-select-sm" name="event">{options}</select>')


DETAIL_KEYS = re.compile(r"(?:^|\s)(role|areas|source)=")


def detail_value(key: str, value: str, names, language: str) -> str:
    if key == "role":
        return e(role_label(value, language))
    if key == "areas":
        return areas_text(value.split(), names, language)
    return e(w("source_" + value, language)) if value in SOURCES else e(value)


def detail_html(event: str, detail: str, names, language: str) -> str:
    """An event's detail in words: an account change's role, areas and sign-in source with their
    names ("บทบาท: ผู้ดูแลระบบ…"), a token's word, the directory a sign-in came through; the rest
    (an account's name, a file's name, a label) as it was written."""
    pieces = DETAIL_KEYS.split(detail) if event.startswith("account_") else [detail]
    head = pieces[0].strip()
    if head == "oidc" or head.startswith("oidc: "):
        head_html = e(w("source_oidc", language) + head[4:])
    elif head.startswith("token "):
        head_html = e(f"{w('token', language)} {head[6:]}")
    else:
        head_html = e(head)
    parts = [head_html] if head else []
    for key, value in zip(pieces[1::2], pieces[2::2], strict=False):
        parts.append(f"{e(w(key, language))}: {detail_value(key, value.strip(), names, language)}")
    return " · ".join(parts)


def audit_body(events: list[dict], actor: str, event: str, limit: int, language: str, names=None) -> str:
    search = (
        f'<form method="get" action="/admin/audit" class="poc-form mb-3">'
        f"{hidden('lang', language)}"
        f"{text_input('actor', w('actor', language), 100, actor)}"
        f"{event_select(event, language)}"
        f"{button(w('filter', language))}</form>"
    )
    cells = [
        [
            when_html(v["at"], language),
            f'<a href="{e(audit_link(language, {"actor": v["actor"]}))}">{e(v["actor"])}</a>',
            f'<a href="{e(audit_link(language, {"event": v["event"]}))}">'
            f"{e(w(v['event'], language, EVENTS) if v['event'] in EVENTS else v['event'])}</a>",
            areas_text(v["scope"].split(), names, language),
            detail_html(v["event"], v["detail"], names, language),
            f'<span class="text-nowrap">{e(v["address"])}</span>',
        ]
        for v in events
    ]
    headers = ["time", "actor", "event", "scope", "detail", "address"]
    note = f'<p class="text-secondary small">{e(w("newest", language).format(n=limit))}</p>'
    return search + note + table(headers, cells, language, "no_events", "audit")


def audit_link(language: str, filters: dict) -> str:
    return "/admin/audit?" + urlencode({"lang": language, **filters})
