"""Alembic environment: migrations for the catalogue models."""

from __future__ import annotations

from alembic import context
from sqlalchemy import pool

import directory.catalogue_version  # registers the catalogue-version table
import directory.editorial_models  # registers the editor-area tables
import directory.expertise_models  # registers the expertise tables
import directory.models  # registers the tables on Base.metadata
import directory.pending_uploads
import directory.redirects
import directory.report_limits  # noqa: F401  (these register their tables; side effect only)
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
