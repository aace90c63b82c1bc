"""Migration 0200_security: its tables, and import runs stored before problem lists were capped."""

from __future__ import annotations

from sqlalchemy import select

from config.settings import PROJECT_ROOT
from directory.catalogue_version import CatalogueVersion
from directory.clock import utcnow
from directory.conditions.models import ImportRun
from directory.db import alembic_config, make_engine, make_session_factory


def test_runs_stored_uncapped_are_capped_on_upgrade(database_url: str) -> None:
    from alembic import command

    cfg = alembic_config(PROJECT_ROOT, database_url)
    command.downgrade(cfg, "0006_slugs")
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    problems = [{"file": "dup.csv", "location": f"line {n}", "reason": "dup"} for n in range(5000)]
    with sessions() as s, s.begin():
        s.add_all(
            [
                ImportRun(
                    source="dutch-names",
                    file_name="dup.csv",
                    started_at=utcnow(),
                    status="failed",
                    problems=problems,
                    warnings=[f"warning {n} " + "x" * 50 for n in range(3000)],
                ),
                ImportRun(
                    source="ecza",
                    file_name="ok.csv",
                    started_at=utcnow(),
                    status="failed",
                    problems=problems[:10],
                    warnings=[],
                ),
            ]
        )
    command.upgrade(cfg, "heads")
    with sessions() as s:
        big, small = s.scalars(select(ImportRun).order_by(ImportRun.id)).all()
        version = s.scalar(select(CatalogueVersion.version))
    engine.dispose()
    assert len(big.problems) == 1001
    assert big.problems[:1000] == problems[:1000]
    assert big.problems[-1]["reason"] == "and 4000 more problems"
    assert len(big.warnings) == 1001
    assert big.warnings[-1] == "... and 2000 more warnings"
    assert small.problems == problems[:10]
    assert version == 1
