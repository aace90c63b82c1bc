"""English slugs: the addresses of the English pages of panels, working groups,
networks and body areas.

``slug_en`` is made once from the English name (or given by the curated file) and
never changes with the name; ``expertisewijzer db upgrade`` gives existing rows
theirs (directory.expertise.slugs).

Revision ID: 0400_english_slugs
Revises: 0300_production
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0400_english_slugs"
down_revision: str | Sequence[str] | None = "0300_production"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("panel", "working_group", "network", "body_area")


def upgrade() -> None:
    # Plain ALTER TABLE and CREATE INDEX: a batch copy of these tables would have to
    # drop them, which SQLite refuses while other rows refer to them.
    for table in TABLES:
        op.add_column(table, sa.Column("slug_en", sa.String(length=100), nullable=True))
        op.create_index(op.f(f"ix_{table}_slug_en"), table, ["slug_en"], unique=True)


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(op.f(f"ix_{table}_slug_en"), table_name=table)
        op.drop_column(table, "slug_en")
