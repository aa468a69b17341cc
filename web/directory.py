"""Sign-in through the organisation's directory (issue 18): LDAP or Active Directory, and OpenID
Connect. The directory only proves who someone is; what they may do stays with the account table,
denied by default: a directory user signs in only when an enabled account of that name exists
whose source is ldap (for LDAP) or oidc (for OIDC).

* **LDAP** (POC_LDAP_URL): `ldap_verify(name, password)`, called by the sign-in form
  (web.login) for an ldap account, binds to the directory as the user: at the DN
  POC_LDAP_USER_DN with {name} put in (escaped as an RDN value), or at the one DN that a search
  with POC_LDAP_USER_FILTER (the name escaped for a filter) finds under POC_LDAP_SEARCH_BASE,
  bound as POC_LDAP_BIND_DN. An empty password is never sent (in LDAP it is an anonymous bind,
  which succeeds); StartTLS or ldaps:// verify the server's certificate; every wait is limited to
  POC_LDAP_TIMEOUT seconds. A directory that fails or cannot be reached is a refusal and a
  warning line (never with the password).
* **OpenID Connect** (POC_OIDC_ISSUER): /login/oidc starts the authorisation-code flow with a
  state, a nonce and PKCE (S256), kept in the session; the provider sends the user back to
  POC_OIDC_REDIRECT_URL (configured, never built from the request's Host header), where
  /login/oidc/callback checks the state, trades the code (with the PKCE verifier) for the
  tokens, and checks the ID token: its signature with the provider's published keys (JWKS), its
  issuer, audience, nonce and expiry. The POC_OIDC_USERNAME_CLAIM claim names the account.
  Every refusal is a page of its own and an audit event `sign_in_failed` saying why.
"""

from __future__ import annotations

import hmac
import logging
import math
import secrets
import ssl
import time
from html import escape
from urllib.parse import urlencode

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from flask import Blueprint, Response, redirect, request, session
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry
from ldap3 import NONE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn

from data.query import UNAVAILABLE_ERRORS, get_engine
from data.store import accounts
from settings import Settings, get_settings
from web import auth, login

log = logging.getLogger(__name__)

PENDING_SECONDS = 600  # a sign-in at the provider must come back within this
HTTP_TIMEOUT = 10.0  # seconds for each request to the provider
DOCUMENT_SECONDS = 600  # how long the provider's metadata and keys are kept
CLOCK_LEEWAY = 60  # seconds of clock difference allowed on the ID token's times
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]  # never none or HS*
SCOPE = "openid profile email"
_documents: dict[str, tuple[float, dict]] = {}

WORDS = {
    "button": ("เข้าสู่ระบบด้วยบัญชีขององค์กร", "Sign in with the organisation's account"),
    "failed": (
        "เข้าสู่ระบบด้วยบัญชีขององค์กรไม่สำเร็จ โปรดลองอีกครั้ง",
        "Signing in with the organisation's account did not succeed. Please try again.",
    ),
    "no_account": (
        "ไม่มีบัญชีผู้ใช้ {name} ในระบบนี้ โปรดติดต่อผู้ดูแลระบบศูนย์ปฏิบัติการจังหวัด",
        "No account for {name} here; ask the POC administrator.",
    ),
    "off": (
        "ระบบนี้ไม่ได้ตั้งค่าการเข้าสู่ระบบด้วยบัญชีขององค์กร",
        "Signing in with the organisation's account is not set up here.",
    ),
    "back": ("กลับไปหน้าเข้าสู่ระบบ", "Back to sign-in"),
}


def w(key: str, language: str) -> str:
    thai, english = WORDS[key]
    return english if language == "en" else thai


# =========================================================================== LDAP


def ldap_verify(name: str, password: str) -> bool:
    """Whether the directory accepts `password` for `name` (a bind as that user). Never for an
    empty password; False, with a warning line, when the directory fails or is not set up."""
    settings = get_settings()
    if not settings.ldap_url or not isinstance(name, str) or not name or not isinstance(password, str):
        return False
    if not password:  # an unauthenticated bind: LDAP says yes to it
        return False
    try:
        dn = _user_dn(settings, name)
        return dn is not None and _bind_as(settings, dn, password, f"the user {name!r}")
    except (LDAPException, OSError, ValueError) as error:
        secrets_told = (password, _bind_password(settings))
        log.warning("LDAP sign-in of %r failed: %s", name, _quiet(f"{type(error).__name__}: {error}", secrets_told))
        return False


def _bind_password(settings: Settings) -> str:
    return settings.ldap_bind_password.get_secret_value() if settings.ldap_bind_password else ""


def _quiet(text: str, secrets_told) -> str:
    for secret in secrets_told:
        if secret:
            text = text.replace(secret, "***")
    return text[:300]


def _connection(settings: Settings, dn: str, password: str) -> Connection:
    secure = settings.ldap_url.lower().startswith("ldaps:") or settings.ldap_start_tls
    tls = None
    if secure:
        ca_file = str(settings.ldap_ca_file) if settings.ldap_ca_file else None
        tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=ca_file)
    server = Server(settings.ldap_url, connect_timeout=settings.ldap_timeout, tls=tls, get_info=NONE)
    return Connection(
        server,
        user=dn,
        password=password,
        receive_timeout=math.ceil(settings.ldap_timeout),  # whole seconds: ldap3 packs it as an int
        read_only=True,
        raise_exceptions=False,
        auto_referrals=False,
    )


def _open_and_bind(settings: Settings, connection: Connection, who: str) -> bool:
    connection.open()
    if settings.ldap_start_tls and not settings.ldap_url.lower().startswith("ldaps:"):
        if not connection.start_tls():
            log.warning("LDAP: StartTLS refused by %s", settings.ldap_url)
            return False
    if connection.bind():
        return True
    result = connection.result or {}
    log.warning("LDAP: the directory refused the bind of %s: %s", who, str(result.get("description", "?"))[:80])
    return False


def _bind_as(settings: Settings, dn: str, password: str, who: str) -> bool:
    connection = _connection(settings, dn, password)
    try:
        return _open_and_bind(settings, connection, who)
    finally:
        _close(connection)


def _close(connection: Connection) -> None:
    try:
        connection.unbind()
    except (LDAPException, OSError):
        pass


def _user_dn(settings: Settings, name: str) -> str | None:
    """The DN to bind as: the template's, or the one entry the search finds (None: not one)."""
    if settings.ldap_user_dn:
        return settings.ldap_user_dn.replace("{name}", escape_rdn(name))
    service_password = _bind_password(settings)
    if not (settings.ldap_bind_dn and settings.ldap_search_base and service_password):
        log.warning("LDAP: set POC_LDAP_USER_DN, or POC_LDAP_BIND_DN, its password and POC_LDAP_SEARCH_BASE")
        return None
    search = settings.ldap_user_filter.replace("{name}", escape_filter_chars(name))
    connection = _connection(settings, settings.ldap_bind_dn, service_password)
    try:
        if not _open_and_bind(settings, connection, "the service account (POC_LDAP_BIND_DN)"):
            return None
        connection.search(
            settings.ldap_search_base,
            search,
            search_scope=SUBTREE,
            attributes=[],
            size_limit=2,
            time_limit=max(1, math.ceil(settings.ldap_timeout)),
        )
        found = [entry["dn"] for entry in connection.response or () if entry.get("type") == "searchResEntry"]
    finally:
        _close(connection)
    if len(found) != 1:
        log.warning("LDAP: %d directory entries match %s (one is needed)", len(found), search[:200])
        return None
    return found[0]


# =========================================================================== OpenID Connect


class Refusal(Exception):
    """A sign-in through the provider that did not succeed: why (for the audit log), who (when known)."""

    def __init__(self, why: str, who: str = "?", status: int = 401, no_account: bool = False):
        super().__init__(why)
        self.why, self.who, self.status, self.no_account = why, who, status, no_account


def oidc_on(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id and settings.oidc_redirect_url)


def oidc_button(language: str, target: str) -> str:
    """The link that starts a sign-in at the provider (under the sign-in form), or "" when OIDC is off."""
    settings = get_settings()
    if not oidc_on(settings):
        return ""
    href = "/login/oidc?" + urlencode({"next": login.safe_next(target), "lang": language})
    label = settings.oidc_label or w("button", language)
    return f'<a class="btn btn-outline-secondary w-100 mt-3" href="{escape(href, quote=True)}">{escape(label)}</a>'


def _document(url: str, fresh: bool = False) -> dict:
    """A JSON document of the provider (metadata, keys), kept DOCUMENT_SECONDS."""
    now = time.monotonic()
    hit = _documents.get(url)
    if hit is not None and not fresh and now - hit[0] < DOCUMENT_SECONDS:
        return hit[1]
    answer = requests.get(url, timeout=HTTP_TIMEOUT, headers={"Accept": "application/json"})
    answer.raise_for_status()
    document = answer.json()
    if not isinstance(document, dict):
        raise Refusal(f"the provider's {url} is not a JSON object", status=502)
    if len(_documents) > 100:
        _documents.clear()
    _documents[url] = (now, document)
    return document


def _metadata(settings: Settings) -> dict:
    issuer = settings.oidc_issuer.rstrip("/")
    metadata = _document(issuer + "/.well-known/openid-configuration")
    if str(metadata.get("issuer", "")).rstrip("/") != issuer:
        raise Refusal(f"the provider's metadata names another issuer ({str(metadata.get('issuer'))[:100]})", status=502)
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(metadata.get(key), str):
            raise Refusal(f"the provider's metadata has no {key}", status=502)
    return metadata


def _client(settings: Settings) -> OAuth2Session:
    secret = settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else None
    return OAuth2Session(
        client_id=settings.oidc_client_id,
        client_secret=secret,
        token_endpoint_auth_method="client_secret_basic" if secret else "none",
        scope=SCOPE,
        redirect_uri=settings.oidc_redirect_url,
        code_challenge_method="S256",
        default_timeout=HTTP_TIMEOUT,
    )


def start(language: str, target: str) -> Response:
    """/login/oidc: to the provider, with a new state, nonce and PKCE verifier kept in the session."""
    settings = get_settings()
    if not oidc_on(settings):
        return login.page(w("button", language), f"<p>{escape(w('off', language))}</p>", language, 404)
    try:
        metadata = _metadata(settings)
    except Refusal as refusal:
        return refused(refusal, language, target)
    except (requests.RequestException, ValueError) as error:
        return refused(Refusal(f"the provider cannot be reached: {_told(error)}", status=502), language, target)
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    session["oidc"] = {"s": state, "n": nonce, "v": verifier, "next": target, "lang": language, "t": time.time()}
    with _client(settings) as client:
        url, _ = client.create_authorization_url(
            metadata["authorization_endpoint"], state=state, code_verifier=verifier, nonce=nonce
        )
    return redirect(url, 302)


def callback() -> Response:
    """/login/oidc/callback: the provider's answer, checked; the account's session, or a refusal."""
    pending = session.pop("oidc", None)
    pending = pending if isinstance(pending, dict) else {}
    language = pending.get("lang") if pending.get("lang") in ("th", "en") else auth.language()
    target = login.safe_next(pending.get("next"))
    try:
        account = _account(get_settings(), pending)
    except Refusal as refusal:
        return refused(refusal, language, target)
    except UNAVAILABLE_ERRORS:
        return login.unavailable(language)
    except requests.RequestException as error:
        return refused(Refusal(f"the provider cannot be reached: {_told(error)}", status=502), language, target)
    except (AuthlibBaseError, JoseError, ValueError, KeyError, TypeError) as error:
        return refused(Refusal(f"the provider's answer was refused: {_told(error)}"), language, target)
    login.start_session(account, "oidc")
    return redirect(target, 303)


def _told(error: Exception) -> str:
    said = getattr(error, "description", None) or str(error)
    return f"{type(error).__name__}: {said}".rstrip(": ")[:300]


def _account(settings: Settings, pending: dict) -> dict:
    if not oidc_on(settings):
        raise Refusal("OIDC is not set up (POC_OIDC_ISSUER, POC_OIDC_CLIENT_ID, POC_OIDC_REDIRECT_URL)", status=404)
    if not pending or not isinstance(pending.get("t"), (int, float)) or time.time() - pending["t"] > PENDING_SECONDS:
        raise Refusal("no sign-in at the provider under way in this session (or it took too long)", status=400)
    state = request.args.get("state", "")
    if not hmac.compare_digest(state.encode("utf-8"), str(pending.get("s")).encode("utf-8")):
        raise Refusal("the state does not match this session's", status=400)
    if request.args.get("error"):
        raise Refusal(f"the provider answered {request.args['error'][:100]!r}")
    code = request.args.get("code")
    if not code:
        raise Refusal("the provider sent no code", status=400)
    metadata = _metadata(settings)
    with _client(settings) as client:
        token = client.fetch_token(
            metadata["token_endpoint"], grant_type="authorization_code", code=code, code_verifier=pending["v"]
        )
    claims = _id_claims(settings, metadata, token, pending["n"])
    name = claims.get(settings.oidc_username_claim)
    if not isinstance(name, str) or not name.strip():
        raise Refusal(f"the ID token has no {settings.oidc_username_claim} claim")
    name = name.strip()[:100]
    account = accounts.get_account(get_engine(), name)
    if account is None or account["disabled"] or account["source"] != "oidc":
        why = (
            "no account of this name"
            if account is None
            else "the account is disabled"
            if account["disabled"]
            else f"the account signs in with {account['source']}, not oidc"
        )
        raise Refusal(why, who=name, status=403, no_account=True)
    return account


def _id_claims(settings: Settings, metadata: dict, token: dict, nonce: str) -> CodeIDToken:
    """The ID token's claims, once its signature (the provider's keys), issuer, audience, nonce and
    times are right."""
    id_token = token.get("id_token") if isinstance(token, dict) else None
    if not isinstance(id_token, str):
        raise Refusal("the provider's token answer has no ID token")
    registry = JWSRegistry(algorithms=ALGORITHMS, strict_check_header=False)
    try:
        try:
            decoded = jwt.decode(id_token, KeySet.import_key_set(_document(metadata["jwks_uri"])), registry=registry)
        except InvalidKeyIdError:  # the provider may have rolled its keys: read them once more
            keys = KeySet.import_key_set(_document(metadata["jwks_uri"], fresh=True))
            decoded = jwt.decode(id_token, keys, registry=registry)
        options = {
            "iss": {"essential": True, "value": metadata["issuer"]},
            "aud": {"essential": True, "value": settings.oidc_client_id},
            "nonce": {"essential": True},
        }
        params = {"nonce": nonce, "client_id": settings.oidc_client_id, "access_token": token.get("access_token")}
        claims = CodeIDToken(decoded.claims, decoded.header, options, params)
        claims.validate(leeway=CLOCK_LEEWAY)
    except JoseError as error:
        raise Refusal(f"the ID token: {_told(error)}") from None
    return claims


def refused(refusal: Refusal, language: str, target: str) -> Response:
    """The refusal's page, its audit event and a warning line."""
    log.warning("OIDC sign-in of %s refused: %s", refusal.who, refusal.why)
    try:
        accounts.audit(get_engine(), refusal.who, "sign_in_failed", "", f"oidc: {refusal.why}", auth.client_address())
    except UNAVAILABLE_ERRORS:
        return login.unavailable(language)
    text = w("no_account", language).format(name=refusal.who) if refusal.no_account else w("failed", language)
    back = "/login?" + urlencode({"next": target, "lang": language})
    body = (
        f'<div class="alert alert-danger" role="alert">{escape(text)}</div>'
        f'<p><a class="btn btn-primary" href="{escape(back, quote=True)}">{escape(w("back", language))}</a></p>'
    )
    return login.page(w("button", language), body, language, refusal.status)


def blueprint() -> Blueprint:
    directory = Blueprint("directory", __name__)

    @directory.route("/login/oidc")
    def oidc_start():
        return start(auth.language(), login.safe_next(request.args.get("next")))

    @directory.route("/login/oidc/callback")
    def oidc_callback():
        return callback()

    return directory
