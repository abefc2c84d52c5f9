"""Closing a case is a status with a reason, not housing code 6; housing periods record the
kind of place within their code.

- ``clients.closure_reason`` (a ClosureReason; None for cases closed before reasons existed).
- ``housing_periods.place_kind`` (a HousingPlaceKind, indexed for the goals' counts).
- A code-6 ("case closed") period that is a client's latest period becomes the closure of the
  case on its start date (unless the case is closed already); the periods themselves go, and
  the housing codes are 1-5 from now on. An earlier code-6 period, followed by later housing
  (the case was reopened), is removed the same way. The client's current housing code is
  worked out again from the periods that remain.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _close_code_6_cases(conn: sa.Connection) -> None:
    latest = conn.execute(
        sa.text(
            "SELECT p.client_id, p.start_date FROM housing_periods p WHERE p.code = 6"
            " AND NOT EXISTS (SELECT 1 FROM housing_periods q WHERE q.client_id = p.client_id"
            " AND q.code <> 6 AND q.start_date > p.start_date)"
        )
    ).fetchall()
    for client_id, start in latest:
        conn.execute(
            sa.text(
                "UPDATE clients SET status = 'closed', closed_on = COALESCE(closed_on, :d)"
                " WHERE id = :c"
            ),
            {"d": start, "c": client_id},
        )
    conn.execute(sa.text("DELETE FROM housing_periods WHERE code = 6"))
    conn.execute(
        sa.text(
            "UPDATE clients SET current_housing_code = ("
            " SELECT p.code FROM housing_periods p WHERE p.client_id = clients.id"
            " ORDER BY (p.end_date IS NULL) DESC, p.start_date DESC LIMIT 1),"
            " current_housing_since = ("
            " SELECT p.start_date FROM housing_periods p WHERE p.client_id = clients.id"
            " ORDER BY (p.end_date IS NULL) DESC, p.start_date DESC LIMIT 1)"
            " WHERE current_housing_code = 6"
        )
    )


CODE_RANGE = "ck_housing_periods_code_range"


def upgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closure_reason", sa.String(length=30), nullable=True))
    _close_code_6_cases(op.get_bind())
    with op.batch_alter_table("housing_periods", schema=None, recreate="always") as batch_op:
        batch_op.add_column(sa.Column("place_kind", sa.String(length=30), nullable=True))
        batch_op.drop_constraint(op.f(CODE_RANGE), type_="check")
        batch_op.create_check_constraint(op.f(CODE_RANGE), "code BETWEEN 1 AND 5")
        batch_op.create_index(batch_op.f("ix_housing_periods_place_kind"), ["place_kind"])


def downgrade() -> None:
    with op.batch_alter_table("housing_periods", schema=None, recreate="always") as batch_op:
        batch_op.drop_index(batch_op.f("ix_housing_periods_place_kind"))
        batch_op.drop_constraint(op.f(CODE_RANGE), type_="check")
        batch_op.create_check_constraint(op.f(CODE_RANGE), "code BETWEEN 1 AND 6")
        batch_op.drop_column("place_kind")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("closure_reason")
