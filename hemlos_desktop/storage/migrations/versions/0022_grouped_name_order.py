"""Names in the language's order within the client list's groups.

Sorted by gender, status, housing, team or responsible person, the clients of each group are
listed by name in Swedish or Danish order (``clients.sort_key_sv`` / ``sort_key_da``, revision
0017) instead of the neutral key. One index per column and language, the column first, then
the name order, then the columns the visibility rule reads, so that each order is still read
from an index alone (as ``ix_clients_<column>_sort`` does for English).

Revision ID: 0022
Revises: 0019
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A copy: a migration never changes with the models.
_LANGUAGES = ("sv", "da")
_COLUMNS = ("gender", "status", "current_housing_code", "team_id", "responsible_user_id")
_VISIBILITY = ("id", "team_id", "responsible_user_id", "protected_identity", "merged_into_id")


def _index_columns(column: str, lang: str) -> list[str]:
    return list(dict.fromkeys((column, f"sort_key_{lang}", "first_name_fold", *_VISIBILITY)))


def upgrade() -> None:
    for column in _COLUMNS:
        for lang in _LANGUAGES:
            op.create_index(
                f"ix_clients_{column}_sort_{lang}",
                "clients",
                _index_columns(column, lang),
                unique=False,
            )
    op.execute("ANALYZE")


def downgrade() -> None:
    for column in _COLUMNS:
        for lang in _LANGUAGES:
            op.drop_index(f"ix_clients_{column}_sort_{lang}", table_name="clients")
