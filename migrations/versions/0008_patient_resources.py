"""Patient organisations and plain-language information pages per condition.

Revision ID: 0008_patients
Revises: 0007_sourced
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_patients"
down_revision: str | Sequence[str] | None = "0007_sourced"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "patient_resource",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("website", sa.String(length=500), nullable=False),
        sa.Column("description_nl", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('patient_organisation', 'information')",
            name=op.f("ck_patient_resource_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["source_release.id"],
            name=op.f("fk_patient_resource_release_id_source_release"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_resource")),
        sa.UniqueConstraint("slug", name=op.f("uq_patient_resource_slug")),
    )
    op.create_table(
        "patient_resource_condition",
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("orphacode", sa.Integer(), nullable=False),
        sa.Column("excluded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["orphacode"],
            ["condition.orphacode"],
            name=op.f("fk_patient_resource_condition_orphacode_condition"),
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["patient_resource.id"],
            name=op.f("fk_patient_resource_condition_resource_id_patient_resource"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "resource_id", "orphacode", name=op.f("pk_patient_resource_condition")
        ),
    )


def downgrade() -> None:
    op.drop_table("patient_resource_condition")
    op.drop_table("patient_resource")
