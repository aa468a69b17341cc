"""Accounts, wall-screen kiosk tokens, the audit log, failed sign-ins and the shared session key
(issue 18). Passwords are kept as argon2id hashes only; kiosk secrets as SHA-256 only.

Every write names who made it (`by`) and leaves an audit event in the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from urllib.parse import urlencode

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from data.rules.roles import KIOSK_ROLE, get_roles
from data.store.schema import Account, AppSecret, Area, AuditEvent, SignInFailure, WallToken, utcnow

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
MIN_PASSWORD = 12
SOURCES = ("local", "ldap", "oidc")
AREA_KINDS = {"country": "country", "region": "region", "cluster": "cluster", "province": "province"}
_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile (64 MiB, 3 passes)
# a hash verified when the name is unknown, so that a wrong name costs as long as a wrong password
_DECOY = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A change that cannot be made, with the reason to show (name, role, area or password)."""


# =========================================================================== passwords


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored: str | None, password: str) -> bool:
    """Whether `password` matches `stored` (an argon2 hash); no hash (a directory account) never matches."""
    try:
        return _hasher.verify(stored or _DECOY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_problem(name: str, password: str) -> str | None:
    """Why `password` may not be used, or None."""
    if len(password) < MIN_PASSWORD:
        return f"a password needs at least {MIN_PASSWORD} characters"
    if len(password) > 256:
        return "a password may have at most 256 characters"
    if password.lower() == name.lower() or len(set(password)) < 4:
        return "this password is too easy to guess"
    return None


# =========================================================================== accounts


def check_name(name: str) -> str:
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise AccountError(f"account name {str(name)[:40]!r}: letters, digits and . _ @ - only, 1-100 characters")
    return name


def check_areas(connection: Connection, role: str, areas: list[str] | tuple[str, ...]) -> list[str]:
    """The area codes, each an area of the store of a kind `role` may be given; at least one."""
    roles = get_roles()
    try:
        allowed = roles.get(role).areas
    except KeyError as error:
        raise AccountError(str(error.args[0])) from None
    codes = [str(code).strip().upper() for code in areas if str(code).strip()]
    if not codes:
        raise AccountError("give at least one area (--area): a province code such as 50, a cluster C05 or TH")
    levels = dict(connection.execute(select(Area.code, Area.level).where(Area.code.in_(codes))).all())
    for code in codes:
        if code not in levels:
            raise AccountError(f"area {code[:12]!r} is not an area of the store")
        if levels[code] not in allowed:
            raise AccountError(f"area {code} is a {levels[code]}; a {role} account may be given: {', '.join(allowed)}")
    return list(dict.fromkeys(codes))


def add_account(
    engine: Engine, name: str, role: str, areas, password: str | None, by: str, source: str = "local"
) -> None:
    check_name(name)
    if source not in SOURCES:
        raise AccountError(f"source must be one of {', '.join(SOURCES)}")
    if source == "local":
        if password is None:
            raise AccountError("a local account needs a password")
        problem = password_problem(name, password)
        if problem:
            raise AccountError(problem)
    with engine.begin() as connection:
        codes = check_areas(connection, role, areas)
        if connection.execute(select(Account.name).where(func.lower(Account.name) == name.lower())).first():
            raise AccountError(f"an account named {name!r} exists")
        connection.execute(
            insert(Account).values(
                name=name,
                role=role,
                areas=" ".join(codes),
                password_hash=hash_password(password) if source == "local" and password else None,
                source=source,
                disabled=False,
                epoch=1,
                created_by=by,
            )
        )
        write_audit(connection, by, "account_add", "", f"{name} role={role} areas={' '.join(codes)} source={source}")


def _account_row(row) -> dict:
    return {
        "name": row.name,
        "role": row.role,
        "areas": tuple(row.areas.split()),
        "source": row.source,
        "disabled": bool(row.disabled),
        "epoch": int(row.epoch),
        "created_at": row.created_at,
        "created_by": row.created_by,
        "last_sign_in_at": row.last_sign_in_at,
        "password_hash": row.password_hash,
    }


def get_account(engine: Engine, name: str) -> dict | None:
    """The account named `name` (any case), or None."""
    if not isinstance(name, str) or not NAME.fullmatch(name):
        return None
    with engine.connect() as connection:
        row = connection.execute(select(Account).where(func.lower(Account.name) == name.lower())).first()
    return _account_row(row) if row else None


def list_accounts(engine: Engine) -> list[dict]:
    with engine.connect() as connection:
        rows = connection.execute(select(Account).order_by(Account.name)).all()
    return [{k: v for k, v in _account_row(row).items() if k != "password_hash"} for row in rows]


def _change(engine: Engine, name: str, by: str, event: str, detail: str, **values) -> None:
    with engine.begin() as connection:
        found = connection.execute(select(Account.name).where(func.lower(Account.name) == name.lower())).first()
        if not found:
            raise AccountError(f"no account named {str(name)[:40]!r}")
        connection.execute(update(Account).where(Account.name == found.name).values(epoch=Account.epoch + 1, **values))
        write_audit(connection, by, event, "", f"{found.name} {detail}".strip())


def set_disabled(engine: Engine, name: str, disabled: bool, by: str) -> None:
    """Disable (every session of the account ends) or enable an account."""
    _change(engine, name, by, "account_disable" if disabled else "account_enable", "", disabled=disabled)


def set_password(engine: Engine, name: str, password: str, by: str) -> None:
    """A new password for a local account; every session signed in before ends."""
    account = get_account(engine, name)
    if account is None:
        raise AccountError(f"no account named {str(name)[:40]!r}")
    if account["source"] != "local":
        raise AccountError(f"{account['name']} signs in through the directory ({account['source']}): no password here")
    problem = password_problem(account["name"], password)
    if problem:
        raise AccountError(problem)
    _change(engine, account["name"], by, "account_password", "", password_hash=hash_password(password))


def set_role(engine: Engine, name: str, role: str, areas, by: str) -> None:
    with engine.connect() as connection:
        codes = check_areas(connection, role, areas)
    _change(engine, name, by, "account_role", f"role={role} areas={' '.join(codes)}", role=role, areas=" ".join(codes))


def note_sign_in(engine: Engine, name: str) -> None:
    with engine.begin() as connection:
        connection.execute(update(Account).where(Account.name == name).values(last_sign_in_at=utcnow()))
        connection.execute(delete(SignInFailure).where(func.lower(SignInFailure.name) == name.lower()))


# =========================================================================== failed sign-ins


def note_failure(engine: Engine, name: str, address: str) -> None:
    with engine.begin() as connection:
        connection.execute(insert(SignInFailure).values(name=str(name)[:100].lower(), address=address[:64]))
        connection.execute(delete(SignInFailure).where(SignInFailure.at < utcnow() - dt.timedelta(days=1)))


def recent_failures(engine: Engine, name: str, address: str, window: dt.timedelta) -> tuple[int, int]:
    """Failed sign-ins within `window`: for this name (any address), and from this address (any name)."""
    since = utcnow() - window
    with engine.connect() as connection:
        by_name = connection.execute(
            select(func.count()).where(SignInFailure.name == str(name)[:100].lower(), SignInFailure.at >= since)
        ).scalar_one()
        by_address = connection.execute(
            select(func.count()).where(SignInFailure.address == address[:64], SignInFailure.at >= since)
        ).scalar_one()
    return int(by_name), int(by_address)


# =========================================================================== audit


def write_audit(connection: Connection, actor: str, event: str, scope: str, detail: str, address: str = "") -> None:
    connection.execute(
        insert(AuditEvent).values(
            at=utcnow(),
            actor=str(actor)[:100],
            event=event[:32],
            scope=scope[:2000],
            detail=detail[:4000],
            address=address[:64],
        )
    )


def audit(engine: Engine, actor: str, event: str, scope: str = "", detail: str = "", address: str = "") -> None:
    with engine.begin() as connection:
        write_audit(connection, actor, event, scope, detail, address)


def audit_events(engine: Engine, limit: int = 200, actor: str | None = None, event: str | None = None) -> list[dict]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(max(1, min(limit, 5000)))
    if actor:
        query = query.where(AuditEvent.actor == actor)
    if event:
        query = query.where(AuditEvent.event == event)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [
        {"at": r.at, "actor": r.actor, "event": r.event, "scope": r.scope, "detail": r.detail, "address": r.address}
        for r in rows
    ]


# =========================================================================== wall-screen kiosk tokens


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(engine: Engine, area: str, by: str, label: str = "", expires_at: dt.datetime | None = None) -> str:
    """A new kiosk token for one area: returns the token text (shown once; only its digest is kept)."""
    if expires_at is not None and expires_at <= utcnow():
        raise AccountError("the token's expiry is in the past")
    token_id = secrets.token_hex(4)
    secret = secrets.token_urlsafe(24)
    with engine.begin() as connection:
        (code,) = check_areas(connection, KIOSK_ROLE, [area])
        connection.execute(
            insert(WallToken).values(
                id=token_id,
                secret_sha256=_digest(f"{token_id}.{secret}"),
                area_code=code,
                label=label[:200],
                created_by=by,
                expires_at=expires_at,
            )
        )
        write_audit(connection, by, "token_create", code, f"token {token_id} {label[:200]}".strip())
    return f"{token_id}.{secret}"


def wall_path(token: str, area_code: str) -> str:
    """The wall screen's path that signs a screen in with kiosk `token` of `area_code`: a province
    (`&province=50`), a cluster by its number (C05: `&cluster=5`) or the country (no area)."""
    query = {"token": token}
    if area_code[:2].isdigit():
        query["province"] = area_code
    elif re.fullmatch(r"C\d+", area_code):
        query["cluster"] = str(int(area_code[1:]))
    return "/wall?" + urlencode(query)


def list_tokens(engine: Engine) -> list[dict]:
    with engine.connect() as connection:
        rows = connection.execute(select(WallToken).order_by(WallToken.created_at)).all()
    now = utcnow()
    return [
        {
            "id": r.id,
            "area_code": r.area_code,
            "label": r.label,
            "created_by": r.created_by,
            "created_at": r.created_at,
            "expires_at": r.expires_at,
            "revoked_at": r.revoked_at,
            "last_used_at": r.last_used_at,
            "active": r.revoked_at is None and not _expired(r.expires_at, now),
        }
        for r in rows
    ]


def _expired(expires_at: dt.datetime | None, now: dt.datetime) -> bool:
    if expires_at is None:
        return False
    if expires_at.tzinfo is None:  # SQLite gives naive times back: they were written in UTC
        expires_at = expires_at.replace(tzinfo=dt.timezone.utc)
    return expires_at <= now


def revoke_token(engine: Engine, token_id: str, by: str) -> None:
    with engine.begin() as connection:
        row = connection.execute(select(WallToken).where(WallToken.id == str(token_id)[:16])).first()
        if row is None:
            raise AccountError(f"no wall token {str(token_id)[:16]!r}")
        connection.execute(update(WallToken).where(WallToken.id == row.id).values(revoked_at=utcnow()))
        write_audit(connection, by, "token_revoke", row.area_code, f"token {row.id}")


def token_area(engine: Engine, token: str) -> tuple[str, str] | None:
    """(token id, area code) of a valid kiosk token text, or None (unknown, revoked or expired)."""
    if not isinstance(token, str) or not re.fullmatch(r"[0-9a-f]{8}\.[A-Za-z0-9_-]{20,64}", token):
        return None
    token_id = token.split(".", 1)[0]
    with engine.connect() as connection:
        row = connection.execute(select(WallToken).where(WallToken.id == token_id)).first()
    if row is None or not hmac.compare_digest(row.secret_sha256, _digest(token)):
        return None
    if row.revoked_at is not None or _expired(row.expires_at, utcnow()):
        return None
    return row.id, row.area_code


def token_active(engine: Engine, token_id: str) -> str | None:
    """The area of kiosk token `token_id` while it is neither revoked nor expired, else None."""
    with engine.connect() as connection:
        row = connection.execute(select(WallToken).where(WallToken.id == str(token_id)[:16])).first()
    if row is None or row.revoked_at is not None or _expired(row.expires_at, utcnow()):
        return None
    return row.area_code


def note_token_use(engine: Engine, token_id: str) -> None:
    with engine.begin() as connection:
        connection.execute(update(WallToken).where(WallToken.id == token_id).values(last_used_at=utcnow()))


# =========================================================================== the shared session key


def shared_secret(engine: Engine, name: str = "session") -> str:
    """A secret every app server of this store shares, made once (the first server to ask makes it)."""
    with engine.connect() as connection:
        value = connection.execute(select(AppSecret.value).where(AppSecret.name == name)).scalar()
    if value:
        return value
    try:
        with engine.begin() as connection:
            connection.execute(insert(AppSecret).values(name=name, value=secrets.token_urlsafe(48)))
    except IntegrityError:  # another server made it first
        pass
    with engine.connect() as connection:
        return connection.execute(select(AppSecret.value).where(AppSecret.name == name)).scalar_one()
