"""Production: uploads waiting for a second reviewer live in the database.

* ``pending_upload``: an uploaded source file and who uploaded it, until another
  reviewer applies it (or a day has passed). It used to be a folder under
  ``var/uploads/`` of one server, which other nodes could not see; uploads waiting
  there when this migration runs are not carried over (they expire within a day
  anyway: upload them again).

Revision ID: 0300_production
Revises: 0200_security
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0300_production"
down_revision: str | Sequence[str] | None = "0200_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_upload",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("file_name", sa.String(length=120), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("user_name", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["editor_user.id"],
            name=op.f("fk_pending_upload_user_id_editor_user"),
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_pending_upload")),
    )
    op.create_index(op.f("ix_pending_upload_uploaded_at"), "pending_upload", ["uploaded_at"])
    op.create_index(op.f("ix_pending_upload_user_id"), "pending_upload", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_pending_upload_user_id"), table_name="pending_upload")
    op.drop_index(op.f("ix_pending_upload_uploaded_at"), table_name="pending_upload")
    op.drop_table("pending_upload")
