"""The client list's name order in Swedish and in Danish: a stored, indexed key per language.

Adds ``clients.sort_key_sv`` and ``clients.sort_key_da`` (``models.text.name_sort_key``: Å Ä Ö
after Z in Swedish; Æ Ø Å after Z and "aa" as "å" in Danish), fills them from the names in
Python (the same function the pickers, exports and PDFs sort by, so SQLite and PostgreSQL get
the same keys) and indexes each with the columns the list reads, as ``ix_clients_sort_name``
does for English.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hemlos_desktop.models.text import name_sort_key

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A copy: a migration never changes with the models.
_LANGUAGES = ("sv", "da")
_VISIBILITY = ("id", "team_id", "responsible_user_id", "protected_identity", "merged_into_id")
_BATCH = 5000


def upgrade() -> None:
    for lang in _LANGUAGES:
        op.add_column(
            "clients",
            sa.Column(f"sort_key_{lang}", sa.String(length=400), nullable=False, server_default=""),
        )
    bind = op.get_bind()
    clients = sa.table(
        "clients",
        sa.column("id", sa.Integer),
        sa.column("first_name", sa.String),
        sa.column("last_name", sa.String),
        sa.column("alias", sa.String),
        *(sa.column(f"sort_key_{lang}", sa.String) for lang in _LANGUAGES),
    )
    update = (
        clients.update()
        .where(clients.c.id == sa.bindparam("row_id"))
        .values({f"sort_key_{lang}": sa.bindparam(f"key_{lang}") for lang in _LANGUAGES})
    )
    last_id = 0
    while True:
        rows = bind.execute(
            sa.select(clients.c.id, clients.c.first_name, clients.c.last_name, clients.c.alias)
            .where(clients.c.id > last_id)
            .order_by(clients.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        bind.execute(
            update,
            [
                {
                    "row_id": row.id,
                    **{
                        f"key_{lang}": name_sort_key(
                            row.first_name or "", row.last_name or "", row.alias or "", lang
                        )
                        for lang in _LANGUAGES
                    },
                }
                for row in rows
            ],
        )
        last_id = rows[-1].id
    for lang in _LANGUAGES:
        op.create_index(
            f"ix_clients_sort_{lang}",
            "clients",
            [f"sort_key_{lang}", "first_name_fold", *_VISIBILITY],
            unique=False,
        )
    op.execute("ANALYZE")


def downgrade() -> None:
    for lang in _LANGUAGES:
        op.drop_index(f"ix_clients_sort_{lang}", table_name="clients")
    with op.batch_alter_table("clients") as batch_op:
        for lang in _LANGUAGES:
            batch_op.drop_column(f"sort_key_{lang}")
