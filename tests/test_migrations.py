"""Alembic migrations and the SQLAlchemy models agree, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

ROOT = Path(__file__).resolve().parent.parent


def config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def test_models_match_migrations(database_url: str) -> None:
    # database_url is already upgraded to heads; check raises on any difference.
    command.check(config(database_url))


def test_downgrade_to_base_and_up_again(database_url: str) -> None:
    cfg = config(database_url)
    command.downgrade(cfg, "base")
    command.upgrade(cfg, "heads")
    command.check(cfg)


def test_single_head() -> None:
    heads = ScriptDirectory.from_config(config("sqlite://")).get_heads()
    assert len(heads) == 1, f"merge the migration heads: {heads}"
