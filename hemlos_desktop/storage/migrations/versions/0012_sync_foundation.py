"""Team-server foundation: a global uid on every synced record, the change outbox, field clocks.

Records keep their compact integer ids (local to one machine); what identifies a record between
machines is its ``uid`` (a UUID). Most tables have had one from the start; the access log,
instrument versions and plan versions get theirs here, filled for the existing rows.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_UID_TABLES = ("audit_log", "instrument_versions", "plan_versions")

# A random (version 4) UUID in SQL, so that large tables are filled without a round trip per row.
_SQLITE_UUID = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || "
    "substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || "
    "lower(hex(randomblob(6)))"
)
_POSTGRES_UUID = "gen_random_uuid()::text"


def upgrade() -> None:
    uuid_sql = _POSTGRES_UUID if op.get_bind().dialect.name == "postgresql" else _SQLITE_UUID
    for table in NEW_UID_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("uid", sa.String(length=36), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET uid = {uuid_sql} WHERE uid IS NULL"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("uid", existing_type=sa.String(length=36), nullable=False)
            batch_op.create_unique_constraint(batch_op.f(f"uq_{table}_uid"), ["uid"])

    op.create_table(
        "sync_changes",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("record_uid", sa.String(length=80), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("immutable", sa.Boolean(), nullable=False),
        sa.Column("client_uid", sa.String(length=36), nullable=True),
        sa.Column("user_uid", sa.String(length=36), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("machine_uid", sa.String(length=36), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_changes")),
    )
    op.create_index("ix_sync_changes_unsent", "sync_changes", ["sent_at", "seq"], unique=False)
    op.create_index("ix_sync_changes_client_uid", "sync_changes", ["client_uid"], unique=False)
    op.create_table(
        "sync_field_clocks",
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("record_uid", sa.String(length=80), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "table_name", "record_uid", "field", name=op.f("pk_sync_field_clocks")
        ),
    )


def downgrade() -> None:
    op.drop_table("sync_field_clocks")
    op.drop_index("ix_sync_changes_client_uid", table_name="sync_changes")
    op.drop_index("ix_sync_changes_unsent", table_name="sync_changes")
    op.drop_table("sync_changes")
    for table in reversed(NEW_UID_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_uid"), type_="unique")
            batch_op.drop_column("uid")
