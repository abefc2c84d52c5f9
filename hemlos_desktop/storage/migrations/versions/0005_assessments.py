"""Independence ratings: instrument versions used, assessments, area ratings.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "instrument_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by_id"],
            ["users.id"],
            name=op.f("fk_instrument_versions_imported_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instrument_versions")),
        sa.UniqueConstraint(
            "instrument_id", "version", name=op.f("uq_instrument_versions_instrument_id_version")
        ),
    )
    with op.batch_alter_table("instrument_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_instrument_versions_instrument_id"), ["instrument_id"], unique=False
        )

    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("instrument_version_id", sa.Integer(), nullable=False),
        sa.Column("rated_on", sa.Date(), nullable=False),
        sa.Column("rater_id", sa.Integer(), nullable=True),
        sa.Column("client_took_part", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'signed')", name=op.f("ck_assessments_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_assessments_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["assessments.id"],
            name=op.f("fk_assessments_corrects_id_assessments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["instrument_version_id"],
            ["instrument_versions.id"],
            name=op.f("fk_assessments_instrument_version_id_instrument_versions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["rater_id"],
            ["users.id"],
            name=op.f("fk_assessments_rater_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("uid", name=op.f("uq_assessments_uid")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessments_client_rated", ["client_id", "rated_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assessments_corrects_id"), ["corrects_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assessments_instrument_version_id"),
            ["instrument_version_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_assessments_rater_id"), ["rater_id"], unique=False)

    op.create_table(
        "assessment_areas",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("area_key", sa.String(length=64), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("not_assessed_reason", sa.String(length=400), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "level IS NULL OR level BETWEEN 1 AND 99", name=op.f("ck_assessment_areas_level_range")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_areas_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "area_key", name=op.f("pk_assessment_areas")),
    )


def downgrade() -> None:
    op.drop_table("assessment_areas")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessments_rater_id"))
        batch_op.drop_index(batch_op.f("ix_assessments_instrument_version_id"))
        batch_op.drop_index(batch_op.f("ix_assessments_corrects_id"))
        batch_op.drop_index("ix_assessments_client_rated")

    op.drop_table("assessments")
    with op.batch_alter_table("instrument_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_instrument_versions_instrument_id"))

    op.drop_table("instrument_versions")
