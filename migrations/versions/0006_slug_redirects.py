"""Former slugs of renamed or merged entities, for permanent redirects.

Revision ID: 0006_slugs
Revises: 0005
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_slugs"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slug_redirect",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("old_slug", sa.String(length=100), nullable=False),
        sa.Column("new_slug", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("reason IN ('rename','merge')", name=op.f("ck_slug_redirect_reason")),
        sa.PrimaryKeyConstraint("kind", "old_slug", name=op.f("pk_slug_redirect")),
    )


def downgrade() -> None:
    op.drop_table("slug_redirect")
