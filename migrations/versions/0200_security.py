"""Security review and a reindex that cannot be lost: report limits and the catalogue version.

* ``report_attempt``: the report form's rate limits, shared by every server
  process (a keyed hash of the client address, never the address).
* ``catalogue_version``: one row whose counter every published change raises; a
  search index records the version it was built from.
* import runs stored before problem lists were capped keep their first 1,000
  problems and warnings and a count of the rest (one such row was 175 MB).

Revision ID: 0200_security
Revises: 0100_search
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0200_security"
down_revision: str | Sequence[str] | None = "0100_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_key", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_attempt")),
    )
    op.create_index("ix_report_attempt_client_at", "report_attempt", ["client_key", "at"])
    op.create_index(op.f("ix_report_attempt_at"), "report_attempt", ["at"])
    version = op.create_table(
        "catalogue_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_version")),
    )
    # Version 1 for a catalogue that exists already: indexes built before this
    # migration record no version, so every server rebuilds its index once.
    op.execute(version.insert().values(id=1, version=1, changed_at=sa.func.now()))


    _cap_stored_runs()


KEEP = 1000  # directory.caps.MAX_PROBLEMS and MAX_WARNINGS when this was written


def _cap_stored_runs() -> None:
    run = sa.table(
        "import_run",
        sa.column("id", sa.Integer),
        sa.column("problems", sa.JSON),
        sa.column("warnings", sa.JSON),
    )
    bind = op.get_bind()
    long = sa.func.length(sa.cast(run.c.problems, sa.Text)) + sa.func.length(
        sa.cast(run.c.warnings, sa.Text)
    )
    # 1,000 problems of a few hundred characters each: only longer rows can hold more.
    suspects = bind.execute(sa.select(run.c.id).where(long > 100_000)).scalars().all()
    for run_id in suspects:  # one at a time: a single row can be hundreds of megabytes
        problems, warnings = bind.execute(
            sa.select(run.c.problems, run.c.warnings).where(run.c.id == run_id)
        ).one()
        problems, warnings = list(problems or []), list(warnings or [])
        if len(problems) <= KEEP and len(warnings) <= KEEP:
            continue
        if len(problems) > KEEP:
            more = {"file": "", "location": "(more)", "field": None}
            more["reason"] = f"and {len(problems) - KEEP} more problems"
            problems = [*problems[:KEEP], more]
        if len(warnings) > KEEP:
            warnings = [*warnings[:KEEP], f"... and {len(warnings) - KEEP} more warnings"]
        bind.execute(
            run.update().where(run.c.id == run_id).values(problems=problems, warnings=warnings)
        )


def downgrade() -> None:
    op.drop_table("catalogue_version")
    op.drop_index(op.f("ix_report_attempt_at"), table_name="report_attempt")
    op.drop_index("ix_report_attempt_client_at", table_name="report_attempt")
    op.drop_table("report_attempt")
