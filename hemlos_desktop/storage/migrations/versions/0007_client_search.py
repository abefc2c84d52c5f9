"""Search and list at scale: the client search index, a sort column and list indexes.

Adds ``clients.sort_name`` (the surname, or the alias of a person known only by one) with the
indexes the client list's sort orders walk, the ``corrects_id`` lookups' statistics, and the
FTS5 trigram index ``client_search`` with the triggers that keep it in step (see
``storage.search_index``).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hemlos_desktop.storage import search_index

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every sort order of the client list: the column, then the name order, from one index each.
_LIST_INDEXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "ix_clients_sort_name",
        (
            "sort_name",
            "first_name_fold",
            "id",
            "team_id",
            "responsible_user_id",
            "protected_identity",
            "merged_into_id",
        ),
    ),
    ("ix_clients_birth_sort", ("birth_date", "sort_name", "first_name_fold")),
    ("ix_clients_gender_sort", ("gender", "sort_name", "first_name_fold")),
    ("ix_clients_status_sort", ("status", "sort_name", "first_name_fold")),
    ("ix_clients_housing_sort", ("current_housing_code", "sort_name", "first_name_fold")),
    ("ix_clients_team_sort", ("team_id", "sort_name", "first_name_fold")),
    ("ix_clients_responsible_sort", ("responsible_user_id", "sort_name", "first_name_fold")),
)
_REPLACED = (
    ("ix_clients_birth_date", "birth_date"),
    ("ix_clients_gender", "gender"),
    ("ix_clients_status", "status"),
    ("ix_clients_current_housing_code", "current_housing_code"),
    ("ix_clients_team_id", "team_id"),
    ("ix_clients_responsible_user_id", "responsible_user_id"),
)


def upgrade() -> None:
    op.add_column(
        "clients", sa.Column("sort_name", sa.String(length=400), nullable=False, server_default="")
    )
    op.execute(
        "UPDATE clients SET sort_name = "
        "CASE WHEN last_name_fold = '' THEN name_search ELSE last_name_fold END"
    )
    for name, _column in _REPLACED:
        op.drop_index(name, table_name="clients")
    for name, columns in _LIST_INDEXES:
        op.create_index(name, "clients", list(columns), unique=False)
    search_index.create(op.execute)
    op.execute("ANALYZE")


def downgrade() -> None:
    search_index.drop(op.execute)
    for name, _columns in _LIST_INDEXES:
        op.drop_index(name, table_name="clients")
    for name, column in _REPLACED:
        op.create_index(name, "clients", [column], unique=False)
    with op.batch_alter_table("clients") as batch_op:
        batch_op.drop_column("sort_name")
