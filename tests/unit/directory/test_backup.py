"""Backup and restore (issue 14, point 5): a backup restored into a fresh database has the
same rows in every table, editorial tables included; on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

from directory.backup import BackupError, backup, restore, table_checksums
from directory.conditions.services import CatalogueService
from directory.db import make_engine, make_session_factory
from directory.editorial.corrections import EDITOR_CORRECTIONS
from directory.editorial.services import EditorialService
from expertisewijzer import cli
from tests.support.editor import nomenclature

HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _fill(url: str) -> None:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    catalogue = CatalogueService(sessions, EDITOR_CORRECTIONS)
    catalogue.apply_nomenclature(nomenclature())
    EditorialService(sessions, catalogue, hasher=HASHER).add_user(
        "anna@example.org", "Anna", "admin", "correct horse battery staple"
    )
    engine.dispose()


def _empty_twin(url: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    server: str = request.getfixturevalue("pg_server")
    name = f"restored_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server.format(db="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.format(db=name)


def test_a_restored_backup_has_the_same_rows_in_every_table(
    database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    _fill(database_url)
    before = table_checksums(database_url)
    assert {"condition", "editor_user", "designation", "source_document"} <= set(before)
    info = backup(database_url, tmp_path / "catalogue.backup")
    assert info.size > 0
    assert not (tmp_path / "catalogue.backup.partial").exists()
    target = _empty_twin(database_url, tmp_path, request)
    restore(info.path, target)
    assert table_checksums(target) == before
    # a changed row changes its table's checksum (the comparison can fail)
    engine = make_engine(target)
    with engine.begin() as con:
        con.execute(text("UPDATE editor_user SET display_name = 'Bea'"))
    engine.dispose()
    after = table_checksums(target)
    assert [t for t in before if after[t] != before[t]] == ["editor_user"]


def test_restore_refuses_to_overwrite_a_catalogue_without_replace(
    database_url: str, tmp_path: Path
) -> None:
    _fill(database_url)
    info = backup(database_url, tmp_path / "catalogue.backup")
    with pytest.raises(BackupError, match="not empty"):
        restore(info.path, database_url)
    with pytest.raises(BackupError, match="exists already"):
        backup(database_url, info.path)
    restore(info.path, database_url, replace=True)  # allowed, and the same content


def test_a_file_that_is_no_backup_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all, just text" * 100)
    with pytest.raises(BackupError, match="not a SQLite backup"):
        restore(junk, f"sqlite:///{tmp_path / 'new.sqlite3'}")


def test_the_cli_backs_up_and_verifies(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("--verify restores into SQLite; PostgreSQL is covered above")
    _fill(database_url)
    monkeypatch.setenv("EXW_DATABASE_URL", database_url)
    target = tmp_path / "nightly.backup"
    assert cli.main(["backup", str(target), "--verify"]) == 0
    out = capsys.readouterr().out
    assert "verified: the backup restores to the same" in out
    assert cli.main(["backup", str(target)]) == 1  # never overwrites a backup
    assert "exists already" in capsys.readouterr().err
    assert cli.main(["checksums"]) == 0
    assert "editor_user" in capsys.readouterr().out
