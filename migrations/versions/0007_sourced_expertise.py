"""Sourced expertise: a source registry, institution lifecycles, expertise centres,
populations and explicit scope exclusions.

Revision ID: 0007_sourced
Revises: 0006_slugs
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_sourced"
down_revision: str | Sequence[str] | None = "0006_slugs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = (
    "kind IN ('panel', 'ecza', 'soncos_reference_centre', 'working_group_centre', "
    "'preferred_partner', 'ern_member')"
)
NEW_KINDS = (
    "kind IN ('panel', 'ecza', 'soncos_reference_centre', 'expertise_centre', "
    "'working_group_centre', 'preferred_partner', 'ern_member')"
)
PUBLISHER_KINDS = (
    "publisher_kind IN ('ministry', 'hospital', 'iknl', 'professional_body', "
    "'patient_platform', 'news', 'european', 'report', 'editors', 'other')"
)
OWNER_KINDS = "owner_kind IN ('panel','working_group','euracan_domain','body_area')"


def upgrade() -> None:
    op.create_table(
        "source_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("publisher", sa.String(length=300), nullable=False),
        sa.Column("publisher_kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("page_date", sa.String(length=10), nullable=True),
        sa.Column("read_on", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("note_nl", sa.Text(), nullable=True),
        sa.Column("note_en", sa.Text(), nullable=True),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(PUBLISHER_KINDS, name=op.f("ck_source_document_publisher_kind")),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["source_release.id"],
            name=op.f("fk_source_document_release_id_source_release"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_document")),
        sa.UniqueConstraint("slug", name=op.f("uq_source_document_slug")),
    )
    with op.batch_alter_table("institution") as batch:
        batch.add_column(
            sa.Column("status", sa.String(length=16), server_default="active", nullable=False)
        )
        batch.add_column(sa.Column("ended_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("successor_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("lifecycle_nl", sa.Text(), nullable=True))
        batch.add_column(sa.Column("lifecycle_en", sa.Text(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_institution_successor_id_institution"),
            "institution",
            ["successor_id"],
            ["id"],
        )
        batch.create_check_constraint(
            batch.f("ck_institution_status"), "status IN ('active', 'closed', 'merged')"
        )
    with op.batch_alter_table("designation") as batch:
        batch.add_column(
            sa.Column("population", sa.String(length=16), server_default="all", nullable=False)
        )
        batch.add_column(sa.Column("sources", sa.JSON(), nullable=True))
    op.execute("UPDATE designation SET sources = '[]'")
    with op.batch_alter_table("designation") as batch:
        batch.alter_column("sources", existing_type=sa.JSON(), nullable=False)
        batch.drop_constraint(batch.f("ck_designation_kind"), type_="check")
        batch.create_check_constraint(batch.f("ck_designation_kind"), NEW_KINDS)
        batch.create_check_constraint(
            batch.f("ck_designation_population"), "population IN ('all', 'children', 'adults')"
        )
    op.create_table(
        "designation_exclusion",
        sa.Column("designation_id", sa.Integer(), nullable=False),
        sa.Column("orphacode", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["designation_id"],
            ["designation.id"],
            name=op.f("fk_designation_exclusion_designation_id_designation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["orphacode"],
            ["condition.orphacode"],
            name=op.f("fk_designation_exclusion_orphacode_condition"),
        ),
        sa.PrimaryKeyConstraint(
            "designation_id", "orphacode", name=op.f("pk_designation_exclusion")
        ),
    )
    op.create_table(
        "scope_exclusion",
        sa.Column("owner_kind", sa.String(length=16), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("orphacode", sa.Integer(), nullable=False),
        sa.CheckConstraint(OWNER_KINDS, name=op.f("ck_scope_exclusion_owner_kind")),
        sa.ForeignKeyConstraint(
            ["orphacode"],
            ["condition.orphacode"],
            name=op.f("fk_scope_exclusion_orphacode_condition"),
        ),
        sa.PrimaryKeyConstraint(
            "owner_kind", "owner_id", "orphacode", name=op.f("pk_scope_exclusion")
        ),
    )


    op.create_table(
        "priority_condition",
        sa.Column("orphacode", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("topic_nl", sa.String(length=200), nullable=False),
        sa.Column("topic_en", sa.String(length=200), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["orphacode"],
            ["condition.orphacode"],
            name=op.f("fk_priority_condition_orphacode_condition"),
        ),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["source_release.id"],
            name=op.f("fk_priority_condition_release_id_source_release"),
        ),
        sa.PrimaryKeyConstraint("orphacode", name=op.f("pk_priority_condition")),
    )


def downgrade() -> None:
    op.drop_table("priority_condition")
    op.drop_table("scope_exclusion")
    op.drop_table("designation_exclusion")
    # Expertise centres did not exist before this revision: going back drops them.
    op.execute(
        "DELETE FROM designation_institution WHERE designation_id IN "
        "(SELECT id FROM designation WHERE kind = 'expertise_centre')"
    )
    op.execute(
        "DELETE FROM designation_condition WHERE designation_id IN "
        "(SELECT id FROM designation WHERE kind = 'expertise_centre')"
    )
    op.execute("DELETE FROM designation WHERE kind = 'expertise_centre'")
    with op.batch_alter_table("designation") as batch:
        batch.drop_constraint(batch.f("ck_designation_population"), type_="check")
        batch.drop_constraint(batch.f("ck_designation_kind"), type_="check")
        batch.create_check_constraint(batch.f("ck_designation_kind"), OLD_KINDS)
        batch.drop_column("sources")
        batch.drop_column("population")
    with op.batch_alter_table("institution") as batch:
        batch.drop_constraint(batch.f("ck_institution_status"), type_="check")
        batch.drop_constraint(batch.f("fk_institution_successor_id_institution"), type_="foreignkey")
        batch.drop_column("lifecycle_en")
        batch.drop_column("lifecycle_nl")
        batch.drop_column("successor_id")
        batch.drop_column("ended_on")
        batch.drop_column("status")
    op.drop_table("source_document")
