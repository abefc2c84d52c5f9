"""Plan goals name the rating instrument's areas by the instrument's own keys, and
``clients.merged_into_id`` gets an index (purge deletes clients; without the index every
deleted row scanned the whole table for people merged into it).

Plan snapshots written before this revision said ``substance`` and ``adl``; the instrument
says ``substance_use`` and ``daily_living``. Only the key inside the JSON changes: the text of
every plan version stays as agreed.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_KEYS = {"substance": "substance_use", "adl": "daily_living"}
OLD_KEYS = {new: old for old, new in NEW_KEYS.items()}


def _rename_areas(names: dict[str, str]) -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, snapshot FROM plan_versions")).fetchall()
    for version_id, snapshot in rows:
        data = json.loads(snapshot)
        changed = False
        for goal in data.get("goals", []):
            area = goal.get("rating_area")
            if area in names:
                goal["rating_area"] = names[area]
                changed = True
        if changed:
            conn.execute(
                sa.text("UPDATE plan_versions SET snapshot = :s WHERE id = :i"),
                {"s": json.dumps(data, ensure_ascii=False, separators=(",", ":")), "i": version_id},
            )


def upgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clients_merged_into_id"), ["merged_into_id"])
    _rename_areas(NEW_KEYS)


def downgrade() -> None:
    _rename_areas(OLD_KEYS)
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clients_merged_into_id"))
