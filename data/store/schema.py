"""The SQL schema of the store (SQLAlchemy 2). Portable: the same tables on SQLite and PostgreSQL.

Alembic migrations in `data/migrations/` create and upgrade these tables; this module is
their single source of truth.

Area codes: "TH" the country, "R1".."R6" regions, "C01".."C18" clusters, then DOPA codes:
2 digits for a province, 4 for a district, 6 for a subdistrict.

Periods: a value covers a fiscal year (period_type "Y", period_no 0), a fiscal quarter
("Q", 1..4, Q1 = Oct–Dec) or a month ("M", 1..12 counted from October). `fiscal_year` is
the Buddhist Era year the fiscal year ends in (FY 2568 = Oct 2024 – Sep 2025).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from data.rules.value_fields import VALUE_COLUMNS  # noqa: F401  (the columns of the value table an import fills)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Meta(Base):
    """Facts about the store itself: as-of dates of reference data, catalog hash."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Area(Base):
    """Every administrative area, from the country down to subdistricts, with its parent."""

    __tablename__ = "area"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    level: Mapped[str] = mapped_column(String(12), index=True)
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("area.code"), index=True)
    province_code: Mapped[str | None] = mapped_column(String(2), index=True)


class Cluster(Base):
    """A provincial cluster (กลุ่มจังหวัด): its number, head province, and the membership date."""

    __tablename__ = "cluster"
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    head_province_code: Mapped[str | None] = mapped_column(String(2))
    head_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    as_of: Mapped[dt.date | None] = mapped_column()


class ImportLog(Base):
    """One import of a file (values, boundaries), or a catalog load or demo fill."""

    __tablename__ = "import_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    source_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    revised: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    imported_by: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Boundary(Base):
    """The geometry of an area as GeoJSON text (EPSG:4326), at one level of detail.

    `detail` is "full" (repaired source), "web" (simplified for district maps) or
    "overview" (simplified further for national maps).
    """

    __tablename__ = "boundary"
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True)
    detail: Mapped[str] = mapped_column(String(10), primary_key=True)
    geojson: Mapped[str] = mapped_column(Text)
    min_x: Mapped[float] = mapped_column(Float)
    min_y: Mapped[float] = mapped_column(Float)
    max_x: Mapped[float] = mapped_column(Float)
    max_y: Mapped[float] = mapped_column(Float)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_log.id"))


class KpiRow(Base):
    """The catalog as loaded into the store; `definition` is the whole entry as JSON."""

    __tablename__ = "kpi"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    goal: Mapped[str] = mapped_column(String(2), index=True)
    name_th: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    direction: Mapped[str] = mapped_column(String(16))
    period_type: Mapped[str] = mapped_column(String(1))
    finest_level: Mapped[str] = mapped_column(String(12))
    aggregation: Mapped[str] = mapped_column(String(16))
    weight: Mapped[float] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    definition: Mapped[str] = mapped_column(Text)


class KpiValue(Base):
    """The current value of a KPI for an area and period. Older revisions go to `kpi_value_revision`."""

    __tablename__ = "kpi_value"
    kpi_id: Mapped[str] = mapped_column(ForeignKey("kpi.id"), primary_key=True)
    # the length of area_code (2 province, 4 district, 6 subdistrict): in the key so that one
    # level of one KPI is a contiguous range, which maps and rankings read
    area_level: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True)
    period_type: Mapped[str] = mapped_column(String(1), primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    period_no: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(String(200))
    is_preliminary: Mapped[bool] = mapped_column(Boolean, default=False)
    is_revised: Mapped[bool] = mapped_column(Boolean, default=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_log.id"))
    imported_by: Mapped[str] = mapped_column(String(100))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_kpi_value_area", "area_code"),
        {"sqlite_with_rowid": False},
    )


class KpiRollup(Base):
    """Values of clusters, regions and the country, aggregated from provinces by each KPI's rule.

    Rebuilt for the affected KPIs in the same transaction as every write of values.
    `coverage` is the share of member provinces that reported.
    """

    __tablename__ = "kpi_rollup"
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True)
    kpi_id: Mapped[str] = mapped_column(ForeignKey("kpi.id"), primary_key=True)
    period_type: Mapped[str] = mapped_column(String(1), primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    period_no: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    coverage: Mapped[float] = mapped_column(Float)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    is_preliminary: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = ({"sqlite_with_rowid": False},)


class KpiStatus(Base):
    """What the store holds of each KPI (the /data page): counted from `kpi_value` for the KPIs
    an import touched, in its transaction (`data.store.values.refresh_kpi_status`), because
    counting 20 million values when the page opens takes seconds. A KPI without values has no row."""

    __tablename__ = "kpi_status"
    kpi_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    values: Mapped[int] = mapped_column(Integer)
    areas: Mapped[int] = mapped_column(Integer)
    latest_key: Mapped[int | None] = mapped_column(Integer)  # fiscal_year * 100 + period_no
    last_imported_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    demo_values: Mapped[int] = mapped_column(Integer)


class KpiValueRevision(Base):
    """A superseded value: kept so a corrected figure never erases what was reported before."""

    __tablename__ = "kpi_value_revision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kpi_id: Mapped[str] = mapped_column(String(64))
    area_code: Mapped[str] = mapped_column(String(8))
    period_type: Mapped[str] = mapped_column(String(1))
    fiscal_year: Mapped[int] = mapped_column(SmallInteger)
    period_no: Mapped[int] = mapped_column(SmallInteger)
    value: Mapped[float] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(String(200))
    is_preliminary: Mapped[bool] = mapped_column(Boolean, default=False)
    is_revised: Mapped[bool] = mapped_column(Boolean, default=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer)
    import_id: Mapped[int | None] = mapped_column(Integer)
    imported_by: Mapped[str] = mapped_column(String(100))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    superseded_by_import: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_kpi_value_revision_key", "kpi_id", "area_code", "period_type", "fiscal_year", "period_no"),
    )


# =========================================================================== accounts (issue 18)


class Account(Base):
    """A person who may sign in: a local account (argon2id `password_hash`) or one first seen
    through the organisation's directory (`source` "ldap" or "oidc", no password kept here).

    `role` names a role of the roles file (data.rules.roles); `areas` the area codes the account
    may see, separated by spaces ("TH" the country, "C05" a cluster, "R1" a region, "50" a
    province), each with every area below it. `epoch` moves when the password changes or the
    account is disabled, which ends every session signed in before."""

    __tablename__ = "account"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    role: Mapped[str] = mapped_column(String(32))
    areas: Mapped[str] = mapped_column(Text, default="")
    password_hash: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="local")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    epoch: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class WallToken(Base):
    """A kiosk token: one wall screen's scope (one area) without anyone signing in. Only the
    SHA-256 of the secret is kept; the secret is shown once, when the token is made."""

    __tablename__ = "wall_token"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    area_code: Mapped[str] = mapped_column(String(8))
    label: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """Who did what, with which scope, when: sign-ins, failed sign-ins, sign-outs, exports,
    ESRs, account and token changes (visible to admins on /admin/audit)."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    event: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(64), default="")


class SignInFailure(Base):
    """A failed sign-in, counted per name and per address to slow down guessing (kept a day)."""

    __tablename__ = "sign_in_failure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AppSecret(Base):
    """Secrets the app servers share (the session signing key), made once per store."""

    __tablename__ = "app_secret"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
