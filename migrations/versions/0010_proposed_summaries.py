"""Plain-language summaries the editors drafted, shown marked until approved.

Revision ID: 0010_proposed_summaries
Revises: 0009_proposed_names
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_proposed_summaries"
down_revision: str | Sequence[str] | None = "0009_proposed_names"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "proposed_summary",
        sa.Column("orphacode", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("based_on", sa.Text(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["orphacode"],
            ["condition.orphacode"],
            name=op.f("fk_proposed_summary_orphacode_condition"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["source_release.id"],
            name=op.f("fk_proposed_summary_release_id_source_release"),
        ),
        sa.PrimaryKeyConstraint("orphacode", "lang", name=op.f("pk_proposed_summary")),
    )


def downgrade() -> None:
    op.drop_table("proposed_summary")
