"""`poc user`, `poc wall-token`, `poc audit` and `poc demo-admin` (issue 18), through `data.store.accounts`.
Every change is made by `cli:<POC_IMPORTED_BY>`. A refused change, a store not initialised or one that cannot
be reached ends with one line on stderr and exit status 2. Passwords are read from stdin (--password-stdin) or
asked for with hidden input, and never printed, except the demo admin's (made for `make run`)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import secrets
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from cli.store import open_store
from settings import PROJECT_ROOT, get_settings

BANGKOK = ZoneInfo("Asia/Bangkok")
DEMO_ADMIN_FILE = PROJECT_ROOT / "var" / "demo-admin.txt"
DURATION = re.compile(r"(\d{1,6})\s*([dhm])", re.IGNORECASE)
UNITS = {"d": "days", "h": "hours", "m": "minutes"}
AREA_HELP = "An area the account holds: a province code (50), a cluster (C05), a region (R1) or TH. Repeat for more."


class Refused(click.ClickException):
    """A change refused or a store not ready: one line on stderr, exit status 2."""

    exit_code = 2


def refusing(command):
    """`command` with the store's refusals and failures as one line and exit status 2, never a traceback."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        from data.rules.roles import RolesFileError
        from data.store.accounts import AccountError
        from data.store.engine import STORE_ERRORS, UNAVAILABLE_ERRORS, safe_url

        try:
            return command(*args, **kwargs)
        except Refused:
            raise
        except click.ClickException as exc:  # open_store: not initialised, or its schema behind
            raise Refused(_one_line(exc.message)) from None
        except (AccountError, RolesFileError) as exc:
            raise Refused(_one_line(str(exc))) from None
        except STORE_ERRORS as exc:
            reason = _one_line(str(getattr(exc, "orig", None) or exc)) or type(exc).__name__
            verb = "cannot be reached" if isinstance(exc, UNAVAILABLE_ERRORS) else "cannot be used"
            raise Refused(f"the store at {safe_url(get_settings().database_url)} {verb}: {reason}") from None

    return run


def _one_line(text: str) -> str:
    return "; ".join(line.strip() for line in str(text).splitlines() if line.strip())


def _by() -> str:
    return f"cli:{get_settings().imported_by}"


def _check_name(name: str) -> None:
    from data.store.accounts import NAME, check_name

    check_name(name)
    if not NAME.fullmatch(name):  # NAME ends in `$`, which lets one trailing newline through
        raise Refused(f"account name {name[:40]!r}: letters, digits and . _ @ - only, 1-100 characters")


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _new_password(name: str, from_stdin: bool) -> str:
    """A new password for account `name`: one line of stdin (its newline left out), or asked for
    twice with hidden input in a terminal. Refused when weak or missing."""
    from data.store.accounts import password_problem

    if from_stdin:
        line = sys.stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        if not password:
            raise Refused("--password-stdin: stdin held no password")
    elif _interactive():
        while True:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
            problem = password_problem(name, password)
            if problem is None:
                return password
            click.echo(f"{problem}; try again", err=True)
    else:
        raise Refused("a local account needs a password: pipe it in with --password-stdin, or run this in a terminal")
    problem = password_problem(name, password)
    if problem:
        raise Refused(problem)
    return password


def _iso(value: dt.datetime | None) -> str | None:
    """A stored time (SQLite gives them back naive, written in UTC) in ISO form with its offset, or None."""
    return (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).isoformat() if value else None


def _when(value: dt.datetime | None) -> str:
    """A stored time as Bangkok time, or "-"."""
    return dt.datetime.fromisoformat(_iso(value)).astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M") if value else "-"


def _table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    for row in [headers, *rows]:
        click.echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


# =========================================================================== poc user


@click.group("user")
def user() -> None:
    """Accounts: add, list, disable, enable, change password or role."""


@user.command("add")
@click.argument("name")
@click.option("--role", required=True, help="The account's role (roles.yaml), e.g. viewer, analyst, poc_admin.")
@click.option("--area", "areas", multiple=True, metavar="CODE", help=AREA_HELP)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@click.option(
    "--source",
    type=click.Choice(["local", "ldap", "oidc"]),
    default="local",
    show_default=True,
    help="Where the account signs in: a local password, or the directory (no password here).",
)
@refusing
def add_user(name: str, role: str, areas: tuple[str, ...], password_stdin: bool, source: str) -> None:
    """Add account NAME with a role and its areas."""
    from data.rules.roles import get_roles
    from data.store.accounts import add_account, get_account

    _check_name(name)
    if role not in get_roles().roles:  # before the password is asked for
        raise Refused(f"unknown role {role!r}; roles: {', '.join(get_roles().roles)}")
    engine = open_store()
    existing = get_account(engine, name)
    if existing:
        raise Refused(f"an account named {existing['name']!r} exists")
    password = None
    if source == "local":
        password = _new_password(name, password_stdin)
    elif password_stdin:
        raise Refused(f"an {source} account signs in through the directory and takes no password")
    add_account(engine, name, role, list(areas), password, _by(), source=source)
    added = get_account(engine, name)
    click.echo(f"account {added['name']} added: {added['role']}, areas {' '.join(added['areas'])}, {source}")


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSON for machines, instead of the table.")
@refusing
def list_users(as_json: bool) -> None:
    """Every account: name, role, areas, source, enabled or disabled, last sign-in (Bangkok time)."""
    from data.store.accounts import list_accounts

    accounts = list_accounts(open_store())
    if as_json:
        shown = [{k: a[k] for k in ("name", "role", "areas", "source", "created_by")} for a in accounts]
        for row, a in zip(shown, accounts):
            row.update(enabled=not a["disabled"], last_sign_in_at=_iso(a["last_sign_in_at"]))
            row.update(created_at=_iso(a["created_at"]))
        click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
        return
    if not accounts:
        click.echo("no accounts: add one with `poc user add NAME --role ROLE --area CODE`")
        return
    rows = []
    for a in accounts:
        status = "disabled" if a["disabled"] else "enabled"
        rows.append([a["name"], a["role"], " ".join(a["areas"]), a["source"], status, _when(a["last_sign_in_at"])])
    _table(["name", "role", "areas", "source", "status", "last sign-in"], rows)


@user.command("disable")
@click.argument("name")
@refusing
def disable_user(name: str) -> None:
    """Disable account NAME: it cannot sign in, and every session of it ends."""
    from data.store.accounts import set_disabled

    set_disabled(open_store(), name, True, _by())
    click.echo(f"account {name} disabled: every session of it has ended")


@user.command("enable")
@click.argument("name")
@refusing
def enable_user(name: str) -> None:
    """Enable account NAME again."""
    from data.store.accounts import set_disabled

    set_disabled(open_store(), name, False, _by())
    click.echo(f"account {name} enabled")


@user.command("set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@refusing
def set_user_password(name: str, password_stdin: bool) -> None:
    """A new password for local account NAME; every session signed in before ends."""
    from data.store.accounts import get_account, set_password

    engine = open_store()
    account = get_account(engine, name)
    if account is None:
        raise Refused(f"no account named {name[:40]!r}")
    if account["source"] != "local":
        raise Refused(f"{account['name']} signs in through the directory ({account['source']}): no password here")
    set_password(engine, account["name"], _new_password(account["name"], password_stdin), _by())
    click.echo(f"password of {account['name']} changed: every session signed in before has ended")


@user.command("set-role")
@click.argument("name")
@click.option("--role", required=True, help="The new role (roles.yaml).")
@click.option("--area", "areas", multiple=True, metavar="CODE", help=AREA_HELP)
@refusing
def set_user_role(name: str, role: str, areas: tuple[str, ...]) -> None:
    """A new role and areas for account NAME; every session of it ends."""
    from data.store.accounts import get_account, set_role

    engine = open_store()
    set_role(engine, name, role, list(areas), _by())
    account = get_account(engine, name)
    click.echo(f"account {account['name']}: {account['role']}, areas {' '.join(account['areas'])}")


# =========================================================================== poc wall-token


def parse_expiry(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """--expires as a UTC time: an ISO date or time (Bangkok time unless it has an offset; a date
    alone is the end of that day, as /admin reads it), or a duration from now (30d, 12h, 90m)."""
    text, match = text.strip(), DURATION.fullmatch(text.strip())
    if match:
        return (now or dt.datetime.now(dt.timezone.utc)) + dt.timedelta(**{UNITS[match[2].lower()]: int(match[1])})
    try:
        day = dt.date.fromisoformat(text) if len(text) in (8, 10) else None  # 2027-01-31, 20270131
        when = dt.datetime.combine(day, dt.time(23, 59, 59)) if day else dt.datetime.fromisoformat(text)
    except ValueError:
        raise Refused(
            f"--expires {text[:40]!r}: give a date or time (2027-01-31, 2027-01-31T18:00) or a duration (30d, 12h, 90m)"
        ) from None
    return (when if when.tzinfo else when.replace(tzinfo=BANGKOK)).astimezone(dt.timezone.utc)


@click.group("wall-token")
def wall_token() -> None:
    """Kiosk tokens: a wall screen shows one area without an account."""


@wall_token.command("create")
@click.option("--area", required=True, metavar="CODE", help="The area shown: a province (50), a cluster (C05) or TH.")
@click.option("--label", default="", help="Where the screen is, e.g. 'Governor's office, 2nd floor'.")
@click.option(
    "--expires",
    default=None,
    metavar="WHEN",
    help="When the token stops working: 2027-01-31 or 2027-01-31T18:00 (Bangkok time unless an offset "
    "is given; a date alone is the end of that day), or a duration from now: 30d, 12h, 90m. Default: never.",
)
@refusing
def create_wall_token(area: str, label: str, expires: str | None) -> None:
    """Make a kiosk token for one area, and print it once with the path to open on the screen."""
    from data.store.accounts import create_token, wall_path

    expires_at = parse_expiry(expires) if expires else None
    token = create_token(open_store(), area, _by(), label=label, expires_at=expires_at)
    code = area.strip().upper()
    token_id = token.split(".", 1)[0]
    until = f"expires {_when(expires_at)} (Bangkok time)" if expires_at else "never expires"
    click.echo(f"wall token {token_id} for {code}" + (f" ({label})" if label else "") + f": {until}")
    click.echo(f"token: {token}")
    click.echo(f"open on the screen: {wall_path(token, code)}")
    click.echo("the token is shown this once only: copy it now (to replace it, revoke it and create another)", err=True)


@wall_token.command("list")
@refusing
def list_wall_tokens() -> None:
    """Every kiosk token: area, label, who made it and when, expiry, last use, status (Bangkok time)."""
    from data.store.accounts import list_tokens

    tokens = list_tokens(open_store())
    if not tokens:
        click.echo("no wall tokens: make one with `poc wall-token create --area CODE`")
        return
    rows = []
    for t in tokens:
        made, until = [t["created_by"], _when(t["created_at"])], _when(t["expires_at"]) if t["expires_at"] else "never"
        status = "revoked" if t["revoked_at"] else "active" if t["active"] else "expired"
        rows.append([t["id"], t["area_code"], t["label"] or "-", *made, until, _when(t["last_used_at"]), status])
    _table(["id", "area", "label", "created by", "created at", "expires", "last used", "status"], rows)


@wall_token.command("revoke")
@click.argument("token_id", metavar="ID")
@refusing
def revoke_wall_token(token_id: str) -> None:
    """Revoke kiosk token ID (the first part of the token, as `poc wall-token list` shows it)."""
    from data.store.accounts import revoke_token

    revoke_token(open_store(), token_id.strip(), _by())
    click.echo(f"wall token {token_id.strip()} revoked: it is no longer accepted")


# =========================================================================== poc audit


@click.command("audit")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 5000), help="How many events.")
@click.option("--actor", default=None, help="Only the events of this actor (e.g. cli:somchai, or an account).")
@click.option("--event", default=None, help="Only this event (e.g. account_add, token_create, sign_in).")
@refusing
def audit_command(limit: int, actor: str | None, event: str | None) -> None:
    """The audit log, newest first (Bangkok time)."""
    from data.store.accounts import audit_events

    events = audit_events(open_store(), limit=limit, actor=actor, event=event)
    if not events:
        click.echo("no audit events" + (" match" if actor or event else ""))
        return
    rows = [[_when(e["at"]), e["actor"], e["event"], e["scope"] or "-", e["detail"], e["address"]] for e in events]
    _table(["at", "actor", "event", "scope", "detail", "address"], rows)


# =========================================================================== poc demo-admin


def _write_private(path: Path, text: str) -> None:
    """`text` into `path`, readable by its owner only (mode 0600)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(text)
    except OSError as exc:
        raise Refused(f"cannot write {path}: {exc.strerror or exc}") from None


@click.command("demo-admin")
@refusing
def demo_admin() -> None:
    """For `make run`: when the store holds no account, add `admin` (poc_admin, TH) with a random
    password kept in var/demo-admin.txt. Does nothing when any account exists."""
    from data.store.accounts import add_account, list_accounts, password_problem

    engine = open_store()
    accounts = list_accounts(engine)
    file = DEMO_ADMIN_FILE
    shown = file.relative_to(PROJECT_ROOT) if file.is_relative_to(PROJECT_ROOT) else file
    if accounts:
        click.echo(f"the store already holds {len(accounts)} account(s): no demo admin added")
        if file.exists():
            click.echo(f"the demo admin's password is in {shown}")
        return
    password = secrets.token_urlsafe(12)
    while password_problem("admin", password):
        password = secrets.token_urlsafe(12)
    _write_private(file, f"admin\n{password}\n")
    try:
        add_account(engine, "admin", "poc_admin", ["TH"], password, _by())
    except BaseException:
        file.unlink(missing_ok=True)
        raise
    settings = get_settings()
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    click.echo(f"Sign in at http://{host}:{settings.port}/login as admin with password {password} (kept in {shown})")


COMMANDS = (user, wall_token, audit_command, demo_admin)
