"""The store and the KPI catalog as a command opens them: refused in words when they are not ready."""

from __future__ import annotations

import click


def open_store():
    """The store's engine for a command, refused in words when the store is not initialised or
    its schema is behind this version."""
    from data.store.engine import command_engine, pending_revision, schema_ready

    engine = command_engine()
    if not schema_ready(engine):
        raise click.ClickException("the store is not initialised: run `poc init` first")
    behind = pending_revision(engine)
    if behind:
        raise click.ClickException(
            f"the store's schema is at revision {behind[0]} and this version needs {behind[1]}: "
            "run `poc init` to upgrade it in place (values are kept)"
        )
    return engine


def load_catalog():
    """The KPI catalog, refused in words when it is not valid."""
    from data.rules.catalog import CatalogError, get_catalog

    try:
        return get_catalog()
    except CatalogError as exc:
        raise click.ClickException(f"the KPI catalog is not valid:\n{exc}") from exc
