"""Sign-in through the organisation's directory (web.directory, issue 18), against real servers the
tests start: Debian's slapd on a free loopback port (tests/directory_support.Slapd) and a small
OpenID Connect provider in a thread (directory_support.Provider). Everything goes through the
real /login form and the real OIDC redirects, with Flask's test client for the app and
`requests` for the provider. The directory only proves who someone is: an enabled account of
that name, of the right source, must exist too."""

from __future__ import annotations

import logging
import re
import time
from contextlib import contextmanager
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests
from directory_support import (
    PEOPLE,
    READER_DN,
    READER_PASSWORD,
    SLAPD,
    USERS,
    free_port,
    new_key,
    running_provider,
    running_slapd,
    silent_server,
)

from data.store import accounts
from data.store.engine import get_engine, make_engine
from helpers import dash_app, reading_store, reset_caches
from stores import initialise
from web.directory import ldap_verify

NO_SLAPD = "slapd is not installed (DEBIAN_FRONTEND=noninteractive apt-get install -y slapd ldap-utils)"
needs_slapd = pytest.mark.skipif(SLAPD is None, reason=NO_SLAPD)

CLIENT_ID, CLIENT_SECRET = "poc-dashboard", "client-Secret-2567"
REDIRECT = "http://localhost/login/oidc/callback"
WRONG = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"  # the sign-in form's one answer to every refusal
ACCOUNTS = [  # name, areas, source, disabled
    ("somchai", ["50"], "ldap", False),
    ("malee", ["10"], "ldap", False),
    ("kanya", ["50"], "ldap", True),
    ("nida", ["50"], "oidc", False),
    ("wichai", ["50"], "oidc", True),
]


@pytest.fixture(scope="module")
def store_url(tmp_path_factory, catalog) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('directory') / 'poc.sqlite'}"
    engine = initialise(make_engine(url), catalog)
    for name, areas, source, disabled in ACCOUNTS:
        accounts.add_account(engine, name, "viewer", areas, None, by="test", source=source)
        if disabled:
            accounts.set_disabled(engine, name, True, by="test")
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def provider():
    with running_provider(CLIENT_ID, CLIENT_SECRET, REDIRECT, user="nida") as running:
        yield running


@pytest.fixture(scope="module")
def app(store_url, provider):
    """The app reading the module's store, OIDC pointed at the test provider, LDAP off."""
    oidc = {
        "POC_OIDC_ISSUER": provider.issuer,
        "POC_OIDC_CLIENT_ID": CLIENT_ID,
        "POC_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "POC_OIDC_REDIRECT_URL": REDIRECT,
    }
    with reading_store(store_url, POC_SIGN_IN_LIMIT="1000", **oidc) as patch:
        for name in ("POC_LDAP_URL", "POC_LDAP_USER_DN", "POC_LDAP_BIND_DN", "POC_LDAP_SEARCH_BASE"):
            patch.delenv(name, raising=False)
        reset_caches()
        yield dash_app().server


@pytest.fixture(scope="module")
def slapd(tmp_path_factory):
    if SLAPD is None:
        pytest.skip(NO_SLAPD)
    with running_slapd(tmp_path_factory.mktemp("slapd")) as server:
        yield server


@contextmanager
def settings_with(**env):
    """The settings with `env` (a None value unsets the variable), caches reset around."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            if value is None:
                patch.delenv(name, raising=False)
            else:
                patch.setenv(name, value)
        reset_caches()
        yield
    reset_caches()


@pytest.fixture
def ldap_on(app, slapd, provider):
    """LDAP by direct bind to uid={name},ou=people,… of the module's slapd."""
    provider.reset()
    with settings_with(POC_LDAP_URL=slapd.url, POC_LDAP_USER_DN=f"uid={{name}},{PEOPLE}"):
        yield slapd


def browser():
    """A new browser of no one: no cookies, and (X-Harness-Anonymous) not signed in by the tests'
    harness (helpers.dash_app), which signs in every request without a session of its own."""
    client = dash_app().server.test_client()
    client.environ_base["HTTP_X_HARNESS_ANONYMOUS"] = "1"
    return client


@pytest.fixture
def client(app, provider):
    provider.reset()
    return browser()


def sign_in(client, name: str, password: str, target: str = "/province/50"):
    """The /login form filled in and sent, as a browser would: the answer."""
    form = client.get("/login?" + urlencode({"next": target})).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    return client.post("/login", data={"username": name, "password": password, "csrf_token": token, "next": target})


def events(name: str, event: str) -> list[dict]:
    return accounts.audit_events(get_engine(), actor=name, event=event)


def assert_signed_in_to_50(client, answer) -> None:
    assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
    assert answer.headers["Location"].endswith("/province/50")
    assert client.get("/province/50").status_code == 200
    assert client.get("/province/10").status_code == 403  # the account's scope holds Chiang Mai only


# =========================================================================== LDAP


@needs_slapd
def test_ldap_account_signs_in_with_its_directory_password(ldap_on):
    client = browser()
    assert_signed_in_to_50(client, sign_in(client, "somchai", USERS["somchai"]))
    assert events("somchai", "sign_in")


@needs_slapd
@pytest.mark.parametrize(
    "name, password, why",
    [
        ("somchai", "Not-His-Password-1", "wrong password"),
        ("nobody", "Whatever-Pass-1234", "in neither the directory nor the accounts"),
        ("somchai", "", "empty password (an anonymous bind in LDAP)"),
        ("*)(uid=*", "Whatever-Pass-1234", "an LDAP injection in the name"),
        ("nattapong", USERS["nattapong"], "in the directory, without an account"),
        ("kanya", USERS["kanya"], "the account is disabled"),
    ],
)
def test_ldap_sign_in_refused_with_the_one_answer(ldap_on, name, password, why):
    client = browser()
    answer = sign_in(client, name, password)
    assert answer.status_code == 401, why
    assert WRONG in answer.get_data(as_text=True)
    assert events(name, "sign_in_failed"), why
    assert client.get("/province/50").status_code == 302  # no session: to the sign-in page


@needs_slapd
def test_ldap_verify_never_accepts_an_empty_password_and_escapes_the_name(ldap_on):
    assert ldap_verify("somchai", USERS["somchai"]) is True
    assert ldap_verify("somchai", "") is False
    assert ldap_verify("somchai,ou=people", USERS["somchai"]) is False  # escaped: no such DN
    assert ldap_verify(f"somchai,{PEOPLE}", USERS["somchai"]) is False


@needs_slapd
def test_ldap_search_for_the_users_dn_with_a_service_account(app, slapd):
    search = {
        "POC_LDAP_URL": slapd.url,
        "POC_LDAP_USER_DN": None,
        "POC_LDAP_BIND_DN": READER_DN,
        "POC_LDAP_BIND_PASSWORD": READER_PASSWORD,
        "POC_LDAP_SEARCH_BASE": PEOPLE,
        "POC_LDAP_USER_FILTER": "(&(objectClass=inetOrgPerson)(uid={name}))",
    }
    with settings_with(**search):
        client = browser()
        assert_signed_in_to_50(client, sign_in(client, "somchai", USERS["somchai"]))
        assert ldap_verify("somchai", "Not-His-Password-1") is False
        # unescaped, (uid=somc*) would find somchai and his password would pass
        assert ldap_verify("somc*", USERS["somchai"]) is False
        assert ldap_verify("*)(uid=*", USERS["somchai"]) is False
        assert ldap_verify("*", USERS["somchai"]) is False
    with settings_with(**{**search, "POC_LDAP_BIND_PASSWORD": "not-the-reader-password"}):
        assert ldap_verify("somchai", USERS["somchai"]) is False


@needs_slapd
def test_a_stopped_directory_refuses_cleanly(app, tmp_path, caplog):
    with running_slapd(tmp_path) as server:
        with settings_with(POC_LDAP_URL=server.url, POC_LDAP_USER_DN=f"uid={{name}},{PEOPLE}"):
            client = browser()
            assert_signed_in_to_50(client, sign_in(client, "somchai", USERS["somchai"]))
            server.stop()
            caplog.set_level(logging.WARNING, logger="web.directory")
            answer = sign_in(browser(), "somchai", USERS["somchai"])
    assert answer.status_code == 401
    assert WRONG in answer.get_data(as_text=True)
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name == "web.directory")
    assert "LDAP sign-in of 'somchai' failed" in logged
    assert USERS["somchai"] not in logged


@needs_slapd
def test_ldap_over_tls_verifies_the_directorys_certificate(app, tmp_path, caplog):
    with running_slapd(tmp_path, tls=True) as server:
        dn = f"uid={{name}},{PEOPLE}"
        with settings_with(
            POC_LDAP_URL=server.url, POC_LDAP_USER_DN=dn, POC_LDAP_START_TLS="1", POC_LDAP_CA_FILE=str(server.ca_file)
        ):
            client = browser()
            assert_signed_in_to_50(client, sign_in(client, "somchai", USERS["somchai"]))
            assert ldap_verify("somchai", "Not-His-Password-1") is False
        with settings_with(POC_LDAP_URL=server.ldaps_url, POC_LDAP_USER_DN=dn, POC_LDAP_CA_FILE=str(server.ca_file)):
            assert ldap_verify("somchai", USERS["somchai"]) is True
        # a certificate the configured CAs (here: the system's) do not vouch for: no password is sent
        with settings_with(POC_LDAP_URL=server.url, POC_LDAP_USER_DN=dn, POC_LDAP_START_TLS="1", POC_LDAP_CA_FILE=None):
            assert ldap_verify("somchai", USERS["somchai"]) is False
        with settings_with(POC_LDAP_URL=server.ldaps_url, POC_LDAP_USER_DN=dn, POC_LDAP_CA_FILE=None):
            assert ldap_verify("somchai", USERS["somchai"]) is False


def test_a_directory_that_never_answers_is_given_up_on_in_time(app):
    with silent_server() as port:
        with settings_with(
            POC_LDAP_URL=f"ldap://127.0.0.1:{port}", POC_LDAP_USER_DN="uid={name},ou=people", POC_LDAP_TIMEOUT="1"
        ):
            started = time.monotonic()
            assert ldap_verify("somchai", USERS["somchai"]) is False
            assert time.monotonic() - started < 5


def test_ldap_off_refuses_ldap_accounts(client):
    assert ldap_verify("somchai", USERS["somchai"]) is False
    answer = sign_in(client, "somchai", USERS["somchai"])
    assert answer.status_code == 401 and WRONG in answer.get_data(as_text=True)


# =========================================================================== OpenID Connect


def at_provider(client, provider, target: str = "/province/50") -> str:
    """/login/oidc followed to the provider, which approves at once: the callback path and query
    the provider sends the browser back to."""
    start = client.get("/login/oidc?" + urlencode({"next": target}))
    assert start.status_code == 302, start.get_data(as_text=True)[:500]
    authorize = start.headers["Location"]
    assert authorize.startswith(f"{provider.issuer}/authorize?")
    answer = requests.get(authorize, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    back = urlsplit(answer.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == REDIRECT
    return f"{back.path}?{back.query}"


def refused_with(answer, status: int, actor: str, why: str) -> None:
    assert answer.status_code == status, answer.get_data(as_text=True)[:1000]
    assert "Traceback" not in answer.get_data(as_text=True)
    latest = events(actor, "sign_in_failed")[0]  # newest first
    assert latest["detail"].startswith("oidc: ") and why in latest["detail"], latest


def test_the_sign_in_page_offers_the_organisations_account(client):
    page = client.get("/login?next=/province/50").get_data(as_text=True)
    assert 'class="btn btn-outline-secondary w-100 mt-3" href="/login/oidc?next=%2Fprovince%2F50' in page
    assert "เข้าสู่ระบบด้วยบัญชีขององค์กร" in page
    with settings_with(POC_OIDC_LABEL="ThaID / บัญชีกระทรวง"):
        assert "ThaID / บัญชีกระทรวง" in client.get("/login").get_data(as_text=True)
    with settings_with(POC_OIDC_ISSUER=None):
        assert "/login/oidc" not in client.get("/login").get_data(as_text=True)
        assert client.get("/login/oidc").status_code == 404


def test_oidc_full_flow_signs_in_the_oidc_account(client, provider):
    callback = at_provider(client, provider)
    asked = provider.authorize_requests[-1]
    assert asked["code_challenge_method"] == "S256" and asked["code_challenge"]
    assert asked["nonce"] and asked["state"] and "openid" in asked["scope"].split()
    answer = client.get(callback)
    assert_signed_in_to_50(client, answer)
    assert any(event["detail"] == "oidc" for event in events("nida", "sign_in"))
    # the same answer again (a replay) finds no sign-in under way
    refused_with(client.get(callback), 400, "?", "no sign-in at the provider under way")


def test_oidc_wrong_state_is_refused(client, provider):
    path, query = at_provider(client, provider).split("?")
    forged = urlencode([(k, "forged-state" if k == "state" else v) for k, v in parse_qsl(query)])
    refused_with(client.get(f"{path}?{forged}"), 400, "?", "the state does not match")
    assert client.get("/province/50").status_code == 302


def test_oidc_answer_in_another_browser_is_refused(app, client, provider):
    callback = at_provider(client, provider)
    refused_with(browser().get(callback), 400, "?", "no sign-in at the provider under way")


@pytest.mark.parametrize(
    "change, why",
    [
        ({"nonce": "another-nonce"}, "nonce"),
        ({"aud": "another-client"}, "aud"),
        ({"iss": "http://127.0.0.1:9/elsewhere"}, "iss"),
        ({"exp": 1_000_000_000}, "exp"),
    ],
)
def test_oidc_id_token_with_wrong_claims_is_refused(client, provider, change, why):
    provider.overrides = change
    refused_with(client.get(at_provider(client, provider)), 401, "?", why)
    assert client.get("/province/50").status_code == 302


@pytest.mark.parametrize("kid", ["test-key-1", "another-key"])
def test_oidc_token_signed_by_another_key_is_refused(client, provider, kid):
    provider.signing_key = new_key(kid)  # the published key's id, or one the provider does not publish
    refused_with(client.get(at_provider(client, provider)), 401, "?", "the ID token")
    assert client.get("/province/50").status_code == 302


@pytest.mark.parametrize(
    "user, why",
    [
        ("stranger", "no account of this name"),
        ("somchai", "the account signs in with ldap, not oidc"),
        ("wichai", "the account is disabled"),
    ],
)
def test_oidc_user_without_an_oidc_account_is_refused(client, provider, user, why):
    provider.user = user
    answer = client.get(at_provider(client, provider))
    refused_with(answer, 403, user, why)
    page = answer.get_data(as_text=True)
    assert f"ไม่มีบัญชีผู้ใช้ {user} ในระบบนี้" in page
    assert client.get("/province/50").status_code == 302


def test_oidc_provider_that_cannot_be_reached(client):
    with settings_with(POC_OIDC_ISSUER=f"http://127.0.0.1:{free_port()}"):
        answer = client.get("/login/oidc?next=/province/50&lang=en")
        refused_with(answer, 502, "?", "the provider cannot be reached")
        assert "did not succeed" in answer.get_data(as_text=True)
