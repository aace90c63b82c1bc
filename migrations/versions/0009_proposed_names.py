"""Proposed editorial names (shown marked until an editor approves them) and approvals.

Revision ID: 0009_proposed_names
Revises: 0008_patients
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_proposed_names"
down_revision: str | Sequence[str] | None = "0008_patients"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("condition_name") as batch:
        batch.add_column(
            sa.Column("proposed", sa.Boolean(), server_default="0", nullable=False)
        )
    op.create_table(
        "name_approval",
        sa.Column("orphacode", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["orphacode"],
            ["condition.orphacode"],
            name=op.f("fk_name_approval_orphacode_condition"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("orphacode", "lang", "text", name=op.f("pk_name_approval")),
    )


def downgrade() -> None:
    op.drop_table("name_approval")
    with op.batch_alter_table("condition_name") as batch:
        batch.drop_column("proposed")
