"""Alembic environment: migrations for the catalogue models."""

from __future__ import annotations

from alembic import context
from sqlalchemy import pool

# Each module below registers its tables on Base.metadata (imported for that side effect).
import directory.accounts.models
import directory.accounts.report_limits
import directory.catalogue_version
import directory.conditions.models
import directory.editorial.models
import directory.editorial.pending_uploads
import directory.expertise.models
import directory.expertise.redirects
import directory.places.models  # noqa: F401
from directory.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set"
    engine = make_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
