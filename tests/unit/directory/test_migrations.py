"""Alembic migrations and the SQLAlchemy models agree, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from config.settings import PROJECT_ROOT
from directory.db import alembic_config

ROOT = PROJECT_ROOT


def config(url: str) -> Config:
    return alembic_config(ROOT, url)


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


def test_one_alembic_config_builder() -> None:
    """directory.db.alembic_config is the only place that builds an Alembic Config."""
    builders = [
        str(path.relative_to(ROOT))
        for folder in (
            "directory",
            "importers",
            "search",
            "web",
            "expertisewijzer",
            "tests",
            "bench",
        )
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != Path(__file__).resolve()
        and "alembic.config import" in path.read_text()
        and "Config()" in path.read_text()
    ]
    assert builders == ["directory/db.py"]
    scripts_only = alembic_config(ROOT)
    assert scripts_only.get_main_option("script_location") == str(ROOT / "migrations")
    assert scripts_only.get_main_option("sqlalchemy.url") is None
    with_url = alembic_config(ROOT, "postgresql://u:p%40ss@h/db")
    assert with_url.get_main_option("sqlalchemy.url") == "postgresql://u:p%40ss@h/db"
