"""What the admin pages draw (web.admin decides what may be shown and changed): the words in
Thai and English, times in Asia/Bangkok (Buddhist Era years in Thai), the accounts and wall-token
tables with their forms, a new token's answer and the audit log. Server-drawn HTML, no script;
every value that came from a user or the store is escaped here."""

from __future__ import annotations

import datetime as dt
from html import escape
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Response

from data.rules.areas import area_name
from data.rules.periods import THAI_MONTHS_SHORT
from data.rules.thai_words import breakable_markup
from data.store.accounts import SOURCES
from web import auth
from web.login import page, role_label

BANGKOK = ZoneInfo("Asia/Bangkok")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

WORDS = {
    "admin": ("จัดการบัญชีและจอแสดงผล", "Accounts and wall screens"),
    "audit": ("บันทึกการใช้งาน", "Audit log"),
    "home": ("หน้าหลัก", "Home"),
    "switch": ("English", "ภาษาไทย"),
    "accounts": ("บัญชีผู้ใช้", "Accounts"),
    "name": ("ชื่อผู้ใช้", "User name"),
    "role": ("บทบาท", "Role"),
    "areas": ("พื้นที่", "Areas"),
    "areas_hint": ("รหัสพื้นที่ คั่นด้วยช่องว่าง เช่น 50 หรือ C05 หรือ TH", "Area codes, space-separated: 50, C05 or TH"),
    "source": ("การยืนยันตัวตน", "Sign-in source"),
    "source_local": ("รหัสผ่านของระบบนี้", "Password here"),
    "source_ldap": ("ไดเรกทอรีองค์กร (LDAP)", "Directory (LDAP)"),
    "source_oidc": ("บัญชีองค์กร (OpenID Connect)", "Organisation account (OpenID Connect)"),
    "enabled": ("สถานะ", "State"),
    "on": ("ใช้งานได้", "Enabled"),
    "off": ("ระงับ", "Disabled"),
    "last_sign_in": ("เข้าระบบล่าสุด", "Last sign-in"),
    "actions": ("จัดการ", "Actions"),
    "disable": ("ระงับบัญชี", "Disable"),
    "enable": ("เปิดใช้บัญชี", "Enable"),
    "set_role": ("เปลี่ยนบทบาท", "Change role"),
    "password": ("รหัสผ่าน", "Password"),
    "set_password": ("ตั้งรหัสผ่าน", "Set password"),
    "add_account": ("เพิ่มบัญชี", "Add an account"),
    "add": ("เพิ่ม", "Add"),
    "no_accounts": ("ไม่มีบัญชีในพื้นที่ของท่าน", "No accounts in your areas"),
    "tokens": ("โทเคนจอแสดงผล", "Wall-screen tokens"),
    "token_id": ("รหัสโทเคน", "Token"),
    "area": ("พื้นที่", "Area"),
    "label": ("คำอธิบาย", "Label"),
    "created": ("สร้างเมื่อ", "Created"),
    "expires": ("หมดอายุ", "Expires"),
    "expires_hint": ("เว้นว่าง = ไม่หมดอายุ", "Empty = never"),
    "last_used": ("ใช้ล่าสุด", "Last used"),
    "state": ("สถานะ", "State"),
    "active": ("ใช้งานได้", "Active"),
    "revoked": ("เพิกถอนแล้ว", "Revoked"),
    "expired": ("หมดอายุแล้ว", "Expired"),
    "revoke": ("เพิกถอน", "Revoke"),
    "create_token": ("สร้างโทเคน", "Create a token"),
    "create": ("สร้าง", "Create"),
    "no_tokens": ("ไม่มีโทเคนในพื้นที่ของท่าน", "No tokens in your areas"),
    "token_made": ("สร้างโทเคนแล้ว", "Token created"),
    "token_once": (
        "โทเคนนี้แสดงเพียงครั้งเดียว โปรดคัดลอกที่อยู่ด้านล่างไปเปิดที่จอแสดงผลตอนนี้",
        "This token is shown only once: copy the address below to the wall screen now.",
    ),
    "token": ("โทเคน", "Token"),
    "screen_url": ("ที่อยู่สำหรับจอแสดงผล", "Address for the screen"),
    "back": ("กลับไปหน้าจัดการ", "Back to administration"),
    "time": ("เวลา", "Time"),
    "actor": ("ผู้กระทำ", "Actor"),
    "event": ("เหตุการณ์", "Event"),
    "scope": ("ขอบเขต", "Scope"),
    "detail": ("รายละเอียด", "Detail"),
    "address": ("ที่อยู่ IP", "Address"),
    "filter": ("กรอง", "Filter"),
    "no_events": ("ไม่มีเหตุการณ์", "No events"),
    "newest": ("ล่าสุดก่อน แสดงไม่เกิน {n} รายการ", "Newest first, at most {n} events"),
    "refused": ("ไม่อนุญาตให้ทำรายการนี้", "This change is not allowed"),
    "failed": ("ทำรายการไม่สำเร็จ", "The change could not be made"),
    "store_failed": ("บันทึกไม่สำเร็จ โปรดลองอีกครั้ง", "The change could not be saved; please try again."),
    "no_manage": ("บัญชีของท่านดูได้เฉพาะบันทึกการใช้งาน", "Your account may read the audit log only."),
}

MESSAGES = {
    "added": ("เพิ่มบัญชี {name} แล้ว", "Account {name} added."),
    "disabled": ("ระงับบัญชี {name} แล้ว", "Account {name} disabled."),
    "enabled": ("เปิดใช้บัญชี {name} แล้ว", "Account {name} enabled."),
    "role_set": ("เปลี่ยนบทบาทของ {name} แล้ว", "The role of {name} changed."),
    "password_set": ("ตั้งรหัสผ่านของ {name} แล้ว", "The password of {name} set."),
    "revoked": ("เพิกถอนโทเคน {name} แล้ว", "Token {name} revoked."),
}

REASONS = {
    "outside": ("บัญชีหรือพื้นที่นี้อยู่นอกพื้นที่ของท่าน", "This account or area lies outside your areas."),
    "role_wider": ("ท่านให้บทบาทที่มีสิทธิ์มากกว่าของท่านเองไม่ได้", "You may not give a role with more rights than yours."),
    "role_areas": (
        "บทบาทนี้ต้องได้รับพื้นที่ที่กว้างกว่าพื้นที่ของท่าน",
        "This role is given areas wider than yours.",
    ),
    "account_wider": (
        "บัญชีนี้มีสิทธิ์มากกว่าของท่าน จึงแก้ไขไม่ได้",
        "This account has rights yours lacks: you may not change it.",
    ),
    "own_role": ("ท่านเปลี่ยนบทบาทของบัญชีตัวเองไม่ได้", "You may not change your own role."),
    "own_disable": ("ท่านระงับบัญชีของตัวเองไม่ได้", "You may not disable your own account."),
}


def w(key: str, language: str, table: dict = WORDS) -> str:
    thai, english = table[key]
    return english if language == "en" else thai


def e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def when(value, language: str) -> str:
    """A stored time as Bangkok time: "5 ธ.ค. 2569 17:30" in Thai, "5 Dec 2026 17:30" in English."""
    if value is None:
        return "–"
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    local = (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).astimezone(BANGKOK)
    if language == "en":
        return f"{local.day} {MONTHS_EN[local.month - 1]} {local.year} {local:%H:%M}"
    return f"{local.day} {THAI_MONTHS_SHORT[local.month - 1]} {local.year + 543} {local:%H:%M}"


def areas_text(codes, names, language: str) -> str:
    """Area codes with their names ("50 เชียงใหม่"), escaped; a code the store lacks as it is."""
    parts = []
    for code in codes:
        named = area_name(names.loc[code], language) if code in names.index else ""
        parts.append(e(f"{code} {named}".strip()))
    return ", ".join(parts)


# =========================================================================== page and forms


def admin_page(title: str, body: str, language: str, here: str = "/admin", status: int = 200) -> Response:
    """`web.login.page` with a wide body (tables), links between the admin pages and the language."""
    other = "en" if language == "th" else "th"
    links = (
        f'<a class="me-3" href="/?lang={language}">{e(w("home", language))}</a>'
        f'<a class="me-3" href="/admin?lang={language}">{e(w("admin", language))}</a>'
        f'<a class="me-3" href="/admin/audit?lang={language}">{e(w("audit", language))}</a>'
        f'<a href="{e(here)}?lang={other}" lang="{other}">{w("switch", language)}</a>'
    )
    wide = (
        '<div style="width:min(96vw,90rem);position:relative;left:50%;transform:translateX(-50%)">'
        f'<nav class="mb-4">{breakable_markup(links)}</nav>{breakable_markup(body)}</div>'
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


def form(action: str, language: str, inner: str, css: str = "d-inline-flex gap-1 me-1 mb-1 align-items-end") -> str:
    return (
        f'<form method="post" action="{e(action)}?lang={language}" class="{css}">'
        f'<input type="hidden" name="csrf_token" value="{e(auth.csrf_token())}">{inner}</form>'
    )


def hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{e(name)}" value="{e(value)}">'


def field(label: str, control: str) -> str:
    """A control with its name written above it (a placeholder is no label: it goes as one types)."""
    return f'<label class="poc-field small">{e(label)}{control}</label>'


def text_input(name: str, label: str, limit: int, value: str = "", kind: str = "text", extra: str = "") -> str:
    return field(
        label,
        f'<input class="form-control form-control-sm" type="{kind}" name="{e(name)}" '
        f'maxlength="{limit}" value="{e(value)}" {extra}>',
    )


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
    return "".join(parts)


def accounts_section(rows: list[dict], names, roles: list[str], language: str) -> str:
    cells = [
        [
            e(a["name"]),
            e(role_label(a["role"], language)),
            areas_text(a["areas"], names, language),
            e(w("source_" + a["source"], language)) if a["source"] in SOURCES else e(a["source"]),
            e(w("off" if a["disabled"] else "on", language)),
            e(when(a["last_sign_in_at"], language)),
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
        + text_input("areas", w("areas_hint", language), 200, extra="required")
        + field(w("source", language), f'<select class="form-select form-select-sm" name="source">{sources}</select>')
        + text_input("password", w("password", language), 256, kind="password")
        + button(w("add", language), "btn-primary"),
        css="d-flex flex-wrap gap-2 align-items-end",
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
                e(f"{when(t['created_at'], language)} · {t['created_by']}"),
                e(when(t["expires_at"], language)),
                e(when(t["last_used_at"], language)),
                e(w(state, language)),
                revoke,
            ]
        )
    headers = ["token_id", "area", "label", "created", "expires", "last_used", "state", "actions"]
    create = form(
        "/admin/tokens/create",
        language,
        text_input("area", w("area", language), 12, extra="required")
        + text_input("label", w("label", language), 200)
        + text_input("expires", f"{w('expires', language)} ({w('expires_hint', language)})", 10, kind="date")
        + button(w("create", language), "btn-primary"),
        css="d-flex flex-wrap gap-2 align-items-end",
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


def audit_body(events: list[dict], actor: str, event: str, limit: int, language: str) -> str:
    search = (
        f'<form method="get" action="/admin/audit" class="d-flex flex-wrap gap-2 mb-3 align-items-end">'
        f"{hidden('lang', language)}"
        f"{text_input('actor', w('actor', language), 100, actor)}"
        f"{text_input('event', w('event', language), 32, event)}"
        f"{button(w('filter', language))}</form>"
    )
    cells = [
        [
            e(when(v["at"], language)),
            f'<a href="{e(audit_link(language, {"actor": v["actor"]}))}">{e(v["actor"])}</a>',
            e(v["event"]),
            e(v["scope"]),
            e(v["detail"]),
            e(v["address"]),
        ]
        for v in events
    ]
    headers = ["time", "actor", "event", "scope", "detail", "address"]
    note = f'<p class="text-secondary small">{e(w("newest", language).format(n=limit))}</p>'
    return search + note + table(headers, cells, language, "no_events", "audit")


def audit_link(language: str, filters: dict) -> str:
    return "/admin/audit?" + urlencode({"lang": language, **filters})
