"""Search: editorial code mappings kept apart from Orphanet's, and search aliases.

* ``cross_reference.origin`` (``orphanet`` | ``editorial``), part of the primary
  key: the editorial ICD-10 table (``data/curated/icd10_orphacodes.csv``) and
  Orphanet's product1 cross-references live side by side, and an Orphanet import
  never touches the editors' rows.
* ``search_alias``: old, informal and merged names of institutions, and other
  names of panels, working groups and networks, each with its source.

Revision ID: 0100_search
Revises: 0010_proposed_summaries
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0100_search"
down_revision: str | Sequence[str] | None = "0010_proposed_summaries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cross_reference", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("origin", sa.String(length=16), nullable=False, server_default="orphanet")
        )
        batch_op.create_check_constraint("origin", "origin IN ('orphanet','editorial')")
        batch_op.drop_constraint("pk_cross_reference", type_="primary")
        batch_op.create_primary_key("pk_cross_reference", ["orphacode", "system", "code", "origin"])
    op.create_table(
        "search_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("entity", sa.String(length=100), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=True),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('institution','panel','working_group','network')",
            name=op.f("ck_search_alias_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["source_release.id"],
            name=op.f("fk_search_alias_release_id_source_release"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_alias")),
        sa.UniqueConstraint("kind", "entity", "alias", name=op.f("uq_search_alias_kind")),
    )


def downgrade() -> None:
    op.drop_table("search_alias")
    op.execute("DELETE FROM cross_reference WHERE origin <> 'orphanet'")
    with op.batch_alter_table("cross_reference", schema=None) as batch_op:
        batch_op.drop_constraint("pk_cross_reference", type_="primary")
        batch_op.create_primary_key("pk_cross_reference", ["orphacode", "system", "code"])
        batch_op.drop_constraint(batch_op.f("ck_cross_reference_origin"), type_="check")
        batch_op.drop_column("origin")
