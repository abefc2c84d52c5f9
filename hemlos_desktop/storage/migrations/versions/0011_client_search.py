"""Search and list at scale: the client search index, a sort column and list indexes.

Adds ``clients.sort_name`` (the surname, or the alias of a person known only by one) with the
indexes the client list's sort orders walk, the ``corrects_id`` lookups' statistics, and the
FTS5 trigram index ``client_search`` with the triggers that keep it in step (see
``storage.search_index``).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hemlos_desktop.storage import search_index

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every sort order of the client list: the column, the name order and the visibility rule's
# columns, from one index each (a copy: a migration never changes with the models).
_VISIBILITY = ("id", "team_id", "responsible_user_id", "protected_identity", "merged_into_id")
_NAME_ORDER = ("sort_name", "first_name_fold")


def _covering(*keys: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*keys, *_NAME_ORDER, *_VISIBILITY)))


_LIST_INDEXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ix_clients_sort_name", _covering()),
    ("ix_clients_number_sort", _covering("id_number")),
    ("ix_clients_birth_sort", _covering("birth_date")),
    ("ix_clients_gender_sort", _covering("gender")),
    ("ix_clients_status_sort", _covering("status")),
    ("ix_clients_housing_sort", _covering("current_housing_code")),
    ("ix_clients_team_sort", _covering("team_id")),
    ("ix_clients_responsible_sort", _covering("responsible_user_id")),
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
    # The search index is the laptop's (SQLite FTS5); a team server does not search this way.
    if op.get_bind().dialect.name == "sqlite":
        search_index.create(op.execute)
    op.execute("ANALYZE")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        search_index.drop(op.execute)
    for name, _columns in _LIST_INDEXES:
        op.drop_index(name, table_name="clients")
    for name, column in _REPLACED:
        op.create_index(name, "clients", [column], unique=False)
    with op.batch_alter_table("clients") as batch_op:
        batch_op.drop_column("sort_name")
