"""Real directory servers for tests/test_directory.py, started by the tests themselves.

- `Slapd`: Debian's OpenLDAP server (slapd) on a free loopback port, with its own configuration
  file, database and test tree (loaded with slapadd) in a temporary folder, and optionally TLS with
  a CA of its own (`make_certificates`); stopped by its PID. Never the machine's own slapd. `SLAPD` is None when slapd is not installed.
- `Provider`: a small OpenID Connect provider (a Flask app served on 127.0.0.1 in a thread):
  /.well-known/openid-configuration, /jwks, /authorize (approves its `user` at once, honours
  state, nonce and PKCE S256) and /token (RS256 ID tokens signed with authlib.jose). A test can
  make it misbehave: sign with another key (`signing_key`), or change claims (`overrides`).
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from authlib.deprecate import AuthlibDeprecationWarning  # noqa: E402  (it sets its warnings to "always")
from flask import Flask, jsonify, redirect, request

from helpers import served_app, until

with warnings.catch_warnings():  # authlib.jose is deprecated for joserfc (until Authlib 2.0); it still signs
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.jose import JsonWebKey, jwt


def _program(name: str) -> str | None:
    found = shutil.which(name) or f"/usr/sbin/{name}"
    return found if os.access(found, os.X_OK) else None


SLAPD = _program("slapd")
SLAPADD = _program("slapadd")
SCHEMAS = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")

SUFFIX = "dc=example,dc=org"
PEOPLE = f"ou=people,{SUFFIX}"
READER_DN = f"cn=reader,ou=services,{SUFFIX}"
READER_PASSWORD = "reader-Secret-9876"
# directory users and their passwords (somchai, malee, kanya have ldap accounts; nattapong has none)
USERS = {
    "somchai": "Somchai-Ldap-2567",
    "malee": "Malee-Ldap-2567",
    "kanya": "Kanya-Ldap-2567",
    "nattapong": "Nattapong-Ldap-2567",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


# =========================================================================== slapd


class Slapd:
    """A slapd of the tests' own in `folder`, serving USERS under PEOPLE; with `tls`, a certificate
    of a CA of the tests' own (`ca_file`) for StartTLS and an ldaps:// listener too (`ldaps_url`)."""

    def __init__(self, folder: Path, tls: bool = False):
        self.folder = folder
        self.tls = tls
        self.ca_file = folder / "ca.pem"
        self.port = 0
        self.ldaps_port = 0
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def url(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    @property
    def ldaps_url(self) -> str:
        return f"ldaps://127.0.0.1:{self.ldaps_port}"

    def _config(self) -> Path:
        database = self.folder / "db"
        database.mkdir(parents=True, exist_ok=True)
        schemas = "".join(f"include {SCHEMAS / name}.schema\n" for name in ("core", "cosine", "nis", "inetorgperson"))
        tls = ""
        if self.tls:
            certificate, key = make_certificates(self.folder, self.ca_file)
            tls = (
                f"TLSCACertificateFile {self.ca_file}\nTLSCertificateFile {certificate}\nTLSCertificateKeyFile {key}\n"
            )
        config = self.folder / "slapd.conf"
        config.write_text(
            f"{schemas}{tls}pidfile {self.folder / 'slapd.pid'}\nargsfile {self.folder / 'slapd.args'}\n"
            f"modulepath {MODULES}\nmoduleload back_mdb\n"
            f'database mdb\nmaxsize 10485760\nsuffix "{SUFFIX}"\nrootdn "cn=admin,{SUFFIX}"\n'
            f"directory {database}\n"
            "access to attrs=userPassword by anonymous auth by * none\n"
            "access to * by users read by * none\n"
        )
        return config

    def _tree(self) -> Path:
        entries = [
            f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example",
            f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people",
            f"dn: ou=services,{SUFFIX}\nobjectClass: organizationalUnit\nou: services",
            f"dn: {READER_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
            f"cn: reader\nuserPassword: {READER_PASSWORD}",
        ]
        entries += [
            f"dn: uid={name},{PEOPLE}\nobjectClass: inetOrgPerson\nuid: {name}\ncn: {name.title()}\n"
            f"sn: Test\nuserPassword: {password}"
            for name, password in USERS.items()
        ]
        tree = self.folder / "tree.ldif"
        tree.write_text("\n\n".join(entries) + "\n")
        return tree

    def start(self) -> Slapd:
        config = self._config()
        loaded = subprocess.run(
            [SLAPADD, "-f", str(config), "-l", str(self._tree())], capture_output=True, text=True, timeout=30
        )
        assert loaded.returncode == 0, f"slapadd failed: {loaded.stderr}"
        self.port = free_port()
        listeners = f"{self.url}/"
        if self.tls:
            self.ldaps_port = free_port()
            listeners += f" {self.ldaps_url}/"
        self._log = (self.folder / "slapd.log").open("w")
        # -d 0: in the foreground (no fork), so the PID is the server's own
        self.process = subprocess.Popen(
            [SLAPD, "-f", str(config), "-h", listeners, "-d", "0"], stdout=self._log, stderr=subprocess.STDOUT
        )
        until(lambda: self.process.poll() is not None or _listening(self.port), 10, "slapd to listen")
        assert self.process.poll() is None, (self.folder / "slapd.log").read_text()
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None


@contextmanager
def running_slapd(folder: Path, tls: bool = False):
    server = Slapd(folder, tls).start()
    try:
        yield server
    finally:
        server.stop()


def make_certificates(folder: Path, ca_file: Path) -> tuple[Path, Path]:
    """A CA of the tests' own (written to `ca_file`) and a certificate it signs for 127.0.0.1 and
    localhost: the certificate's and its key's paths (PEM)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "POC test CA")])
    ca = (
        x509.CertificateBuilder(subject_name=ca_name, issuer_name=ca_name, public_key=ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    names = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
    certificate = (
        x509.CertificateBuilder(
            subject_name=x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]),
            issuer_name=ca_name,
            public_key=key.public_key(),
        )
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "server.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "server.key").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return folder / "server.pem", folder / "server.key"


@contextmanager
def silent_server():
    """A TCP server on a free loopback port that takes connections and never answers: its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


# =========================================================================== an OpenID Connect provider


def new_key(kid: str = "test-key-1"):
    return JsonWebKey.generate_key("RSA", 2048, is_private=True, options={"kid": kid})


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode("ascii")


class Provider:
    """An OpenID Connect provider that approves `user` at once (for `client_id` and `redirect_uri` only)."""

    def __init__(self, client_id: str, client_secret: str, redirect_uri: str, user: str):
        self.client_id, self.client_secret, self.redirect_uri = client_id, client_secret, redirect_uri
        self.default_user = user
        self.key = new_key()
        self.signing_key = self.key  # a test may sign with a key the provider does not publish
        self.user = user
        self.overrides: dict = {}  # claims of the next ID tokens, changed
        self.issuer = ""
        self.codes: dict[str, dict] = {}
        self.authorize_requests: list[dict] = []
        self.app = self._app()

    def reset(self) -> None:
        self.signing_key, self.user, self.overrides = self.key, self.default_user, {}
        self.authorize_requests.clear()

    def _app(self) -> Flask:
        app = Flask("test_oidc_provider")

        @app.get("/.well-known/openid-configuration")
        def metadata():
            return jsonify(
                issuer=self.issuer,
                authorization_endpoint=f"{self.issuer}/authorize",
                token_endpoint=f"{self.issuer}/token",
                jwks_uri=f"{self.issuer}/jwks",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
                code_challenge_methods_supported=["S256"],
            )

        @app.get("/jwks")
        def jwks():
            return jsonify(keys=[self.key.as_dict(is_private=False)])

        app.get("/authorize")(self._authorize)
        app.post("/token")(self._token)
        return app

    def _authorize(self):
        asked = request.args.to_dict()
        self.authorize_requests.append(asked)
        if asked.get("client_id") != self.client_id or asked.get("redirect_uri") != self.redirect_uri:
            return "unknown client or redirect_uri", 400
        wrong = (
            asked.get("response_type") != "code"
            or "openid" not in asked.get("scope", "").split()
            or asked.get("code_challenge_method") != "S256"
            or not asked.get("code_challenge")
        )
        if wrong:
            return redirect(
                f"{self.redirect_uri}?{urlencode({'error': 'invalid_request', 'state': asked.get('state', '')})}"
            )
        code = secrets.token_urlsafe(24)
        self.codes[code] = {"nonce": asked.get("nonce"), "challenge": asked["code_challenge"], "user": self.user}
        return redirect(f"{self.redirect_uri}?{urlencode({'code': code, 'state': asked.get('state', '')})}")

    def _client_ok(self) -> bool:
        auth = request.authorization
        if auth is not None:
            return auth.username == self.client_id and auth.password == self.client_secret
        return (
            request.form.get("client_id") == self.client_id and request.form.get("client_secret") == self.client_secret
        )

    def _token(self):
        form = request.form
        if not self._client_ok():
            return jsonify(error="invalid_client"), 401
        grant = self.codes.pop(form.get("code", ""), None)
        if (
            grant is None
            or form.get("grant_type") != "authorization_code"
            or form.get("redirect_uri") != self.redirect_uri
            or s256(form.get("code_verifier", "")) != grant["challenge"]
        ):
            return jsonify(error="invalid_grant"), 400
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": f"sub-{grant['user']}",
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            "preferred_username": grant["user"],
        }
        claims.update(self.overrides)
        header = {"alg": "RS256", "kid": self.signing_key.as_dict()["kid"]}
        id_token = jwt.encode(header, claims, self.signing_key).decode("ascii")
        return jsonify(access_token=secrets.token_urlsafe(24), token_type="Bearer", expires_in=300, id_token=id_token)


@contextmanager
def running_provider(client_id: str, client_secret: str, redirect_uri: str, user: str):
    provider = Provider(client_id, client_secret, redirect_uri, user)
    with served_app(provider.app) as url:
        provider.issuer = url
        yield provider
