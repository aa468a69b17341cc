"""The one typed place for configuration, read from the environment (and `.env`).

Every setting is documented in the README's configuration table; `tests/test_docs.py`
fails when one is missing there.
"""

from __future__ import annotations

import getpass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent


def _default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name inside some containers
        return "unknown"


class Settings(BaseSettings):
    """Runtime configuration. Names are the environment variables, case-insensitive."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'poc.sqlite'}",
        description="SQLAlchemy URL of the store. Default: an SQLite file under ./var/.",
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis URL for the query cache; the in-process simple cache when unset.",
    )
    catalog_path: Path = Field(
        default=PROJECT_ROOT / "kpi_definitions.yaml",
        alias="POC_CATALOG",
        description="Path of the KPI catalog YAML.",
    )
    clusters_path: Path = Field(
        default=PROJECT_ROOT / "data" / "clusters.yaml",
        alias="POC_CLUSTERS",
        description="Path of the regions/clusters membership file (editable, dated).",
    )
    session_hours: float = Field(
        default=12.0,
        gt=0,
        le=24 * 30,
        alias="POC_SESSION_HOURS",
        description="How long a sign-in (or a wall screen's kiosk token sign-in) lasts before it must be made again.",
    )
    cookie_secure: Literal["auto", "always"] = Field(
        default="auto",
        alias="POC_COOKIE_SECURE",
        description="Session cookies marked Secure: auto (when the request came over HTTPS, directly or through "
        "a trusted proxy) or always (production behind TLS).",
    )
    secret_key: str | None = Field(
        default=None,
        alias="POC_SECRET_KEY",
        description="The key that signs session cookies. Unset: one made once and kept in the store, shared by "
        "every app server of the store.",
    )
    sign_in_limit: int = Field(
        default=5,
        ge=1,
        alias="POC_SIGN_IN_LIMIT",
        description="Failed sign-ins for one account name within POC_SIGN_IN_WINDOW minutes before it is locked "
        "for the rest of the window (ten times as many from one address, any name).",
    )
    sign_in_window: int = Field(
        default=15,
        ge=1,
        alias="POC_SIGN_IN_WINDOW",
        description="Minutes over which failed sign-ins are counted (POC_SIGN_IN_LIMIT).",
    )
    roles_path: Path = Field(
        default=PROJECT_ROOT / "roles.yaml",
        alias="POC_ROLES",
        description="Path of the roles file: what each kind of account may do (issue 18).",
    )
    # ---- the organisation's directory (web.directory): who someone is; the account table says what they may do
    ldap_url: str | None = Field(
        default=None,
        alias="POC_LDAP_URL",
        description="LDAP or Active Directory server for accounts whose source is ldap (ldap://host:389 or "
        "ldaps://host:636). Unset: LDAP sign-in is off.",
    )
    ldap_user_dn: str | None = Field(
        default=None,
        alias="POC_LDAP_USER_DN",
        description="Template of the DN to bind as, {name} the account name (escaped): "
        "uid={name},ou=people,dc=example,dc=org, or {name}@example.go.th for Active Directory. Unset: the DN "
        "is searched for with POC_LDAP_BIND_DN.",
    )
    ldap_bind_dn: str | None = Field(
        default=None,
        alias="POC_LDAP_BIND_DN",
        description="Service account that searches for the user's DN (when POC_LDAP_USER_DN is unset).",
    )
    ldap_bind_password: SecretStr | None = Field(
        default=None, alias="POC_LDAP_BIND_PASSWORD", description="Password of POC_LDAP_BIND_DN."
    )
    ldap_search_base: str | None = Field(
        default=None,
        alias="POC_LDAP_SEARCH_BASE",
        description="Where the user's DN is searched for (subtree), e.g. ou=people,dc=example,dc=org.",
    )
    ldap_user_filter: str = Field(
        default="(uid={name})",
        alias="POC_LDAP_USER_FILTER",
        description="Filter that finds the user, {name} the account name (escaped); exactly one entry must match. "
        "Active Directory: (sAMAccountName={name}).",
    )
    ldap_start_tls: bool = Field(
        default=False,
        alias="POC_LDAP_START_TLS",
        description="Upgrade an ldap:// connection with StartTLS before binding (the certificate is verified).",
    )
    ldap_ca_file: Path | None = Field(
        default=None,
        alias="POC_LDAP_CA_FILE",
        description="CA certificates (PEM) that verify the directory's certificate; unset: the system's.",
    )
    ldap_timeout: float = Field(
        default=5.0,
        gt=0,
        le=60,
        alias="POC_LDAP_TIMEOUT",
        description="Seconds to wait for the directory (to connect, and for each answer) before a sign-in fails.",
    )
    oidc_issuer: str | None = Field(
        default=None,
        alias="POC_OIDC_ISSUER",
        description="OpenID Connect provider (issuer URL) for accounts whose source is oidc. Unset: OIDC is off.",
    )
    oidc_client_id: str | None = Field(
        default=None, alias="POC_OIDC_CLIENT_ID", description="The dashboard's client id at the OIDC provider."
    )
    oidc_client_secret: SecretStr | None = Field(
        default=None,
        alias="POC_OIDC_CLIENT_SECRET",
        description="The dashboard's client secret at the OIDC provider (unset: a public client, PKCE only).",
    )
    oidc_redirect_url: str | None = Field(
        default=None,
        alias="POC_OIDC_REDIRECT_URL",
        description="The full callback URL registered at the provider, e.g. "
        "https://poc.example.go.th/login/oidc/callback (never built from the request's Host header).",
    )
    oidc_username_claim: str = Field(
        default="preferred_username",
        alias="POC_OIDC_USERNAME_CLAIM",
        description="ID-token claim that holds the account name.",
    )
    oidc_label: str | None = Field(
        default=None,
        alias="POC_OIDC_LABEL",
        description="Text of the OIDC sign-in button. Unset: Sign in with the organisation's account (in the "
        "page's language).",
    )
    imported_by: str = Field(
        default_factory=_default_user,
        alias="POC_IMPORTED_BY",
        description="Name recorded as the importer of values and boundaries.",
    )
    host: str = Field(default="127.0.0.1", alias="POC_HOST", description="Address `poc serve` binds to.")
    port: int = Field(default=8050, alias="POC_PORT", description="Port `poc serve` listens on.")
    language: Literal["th", "en"] = Field(
        default="th", alias="POC_LANGUAGE", description="Default UI language: th or en."
    )
    # ---- serving (`poc serve` runs gunicorn)
    workers: int | None = Field(
        default=None,
        alias="POC_WORKERS",
        ge=1,
        le=64,
        description="Worker processes of `poc serve`; default the CPUs this process may use, 2 at least, 8 at most.",
    )
    threads: int = Field(
        default=4, alias="POC_THREADS", ge=1, le=64, description="Threads per worker process of `poc serve`."
    )
    access_log: Literal["requests", "all", "off"] = Field(
        default="requests",
        alias="POC_ACCESS_LOG",
        description="`poc serve` access log on stdout (combined log format): requests (not static files or health "
        "checks), all, or off.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default=[],
        alias="POC_TRUSTED_PROXIES",
        description="Addresses or CIDR networks of reverse proxies whose X-Forwarded-For/Proto/Host are honoured; "
        "from any other address those headers are dropped. Empty: none.",
    )
    cache_timeout: int = Field(
        default=600, alias="POC_CACHE_TIMEOUT", description="Seconds a cached query result is kept."
    )
    # ---- wall screen (/wall): each can be overridden per screen in its URL
    wall_slides: Annotated[list[Literal["goals", "exceptions", "map", "trends", "hotspots"]], NoDecode] = Field(
        default=["goals", "exceptions", "map", "trends", "hotspots"],
        alias="POC_WALL_SLIDES",
        description="Wall-screen slides in playlist order: goals, exceptions, map, trends, hotspots.",
    )
    wall_interval: float = Field(
        default=20.0, alias="POC_WALL_INTERVAL", gt=0, description="Seconds each wall-screen slide is shown."
    )
    wall_refresh: float = Field(
        default=5.0, alias="POC_WALL_REFRESH", gt=0, description="Minutes between wall-screen data refreshes."
    )
    wall_theme: Literal["light", "dark"] = Field(
        default="light", alias="POC_WALL_THEME", description="Wall-screen theme: light or dark."
    )
    wall_map_kpi: str = Field(
        default="road_deaths_per_100k", alias="POC_WALL_MAP_KPI", description="KPI id on the wall screen's map slide."
    )
    wall_trend_kpis: Annotated[list[str], NoDecode] = Field(
        default=[
            "gpp_per_capita",
            "poverty_headcount_ratio",
            "budget_disbursement_vs_target",
            "damrongdhama_resolved_pct",
        ],
        alias="POC_WALL_TREND_KPIS",
        description="KPI ids (comma-separated, up to four) on the trends slide.",
    )
    # ---- the store's time limits while serving (the `poc` commands that write keep longer waits)
    store_timeout: float = Field(
        default=3.0,
        alias="POC_STORE_TIMEOUT",
        gt=0,
        description="Seconds the dashboard waits for the store: PostgreSQL connect and ping, SQLite's lock wait, "
        "a free pooled connection.",
    )
    statement_timeout: float = Field(
        default=10.0,
        alias="POC_STATEMENT_TIMEOUT",
        gt=0,
        description="Seconds one dashboard query may run (PostgreSQL statement_timeout; a server that stops "
        "answering altogether is cut off 2 s later).",
    )
    store_retry: float = Field(
        default=5.0,
        alias="POC_STORE_RETRY",
        ge=0,
        description="Seconds after a store failure during which requests answer from the cache (or with the "
        "store-unavailable message) without trying the store again.",
    )
    # ---- imports
    import_first_year: int = Field(
        default=2500,
        alias="POC_IMPORT_FIRST_YEAR",
        ge=2400,
        le=2999,
        description="The earliest BE fiscal year an import accepts (2500 = 1957 CE); the latest is next year.",
    )
    import_lock_wait: float = Field(
        default=30.0,
        alias="POC_IMPORT_LOCK_WAIT",
        gt=0,
        description="Seconds an import (and every poc command) waits for a store locked by another writer.",
    )
    chromium_path: Path = Field(
        default=Path("/usr/bin/chromium"),
        alias="POC_CHROMIUM",
        description="Chromium executable that prints the ESR and snapshot PDFs.",
    )
    pdf_timeout: int = Field(
        default=60, alias="POC_PDF_TIMEOUT", description="Seconds a PDF may take before the export gives up."
    )
    # ---- security (web.security)
    internal_url: str | None = Field(
        default=None,
        alias="POC_INTERNAL_URL",
        description="Base URL at which the server's own Chromium opens the app for a snapshot (e.g. "
        "http://127.0.0.1:8050); it may load nothing else. Default: the address and port the server "
        "took the request on, else http://POC_HOST:POC_PORT. Never the client's Host header.",
    )
    frame_ancestors: str = Field(
        default="none",
        alias="POC_FRAME_ANCESTORS",
        description="Origins allowed to show the dashboard in a frame, space-separated "
        "(e.g. https://intranet.example.go.th); none: no site may frame it.",
    )
    max_request_bytes: int = Field(
        default=1_048_576,
        alias="POC_MAX_REQUEST_BYTES",
        gt=0,
        description="Largest request body accepted, in bytes; a larger one gets 413.",
    )
    max_query_length: int = Field(
        default=2048,
        alias="POC_MAX_QUERY_LENGTH",
        gt=0,
        description="Longest query string (and path) accepted, in characters; a longer one gets 414.",
    )
    warm_assets: bool = Field(
        default=True,
        alias="POC_WARM_ASSETS",
        description="Compress the page assets in the background at start, so the first visitor does not wait on gzip "
        "(0: skip; the tests set it, the first visitor then waits about 0.1 s more).",
    )
    validate_figures: bool = Field(
        default=False,
        alias="POC_VALIDATE_FIGURES",
        description="Put every figure through plotly's property validation (the tests set it; the app skips it: tens "
        "to hundreds of ms a page).",
    )

    @field_validator("trusted_proxies", "wall_slides", "wall_trend_kpis", mode="before")
    @classmethod
    def _listed(cls, value):
        """A list setting from the environment: items separated by commas (or spaces)."""
        if isinstance(value, str):
            return [item for item in value.replace(",", " ").split() if item]
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (read once)."""
    return Settings()
