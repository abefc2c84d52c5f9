"""The sync engine: the server's log of accepted changes and field states; on each laptop the
base of every synced field and the conflicts kept until someone decides.

On PostgreSQL the log is protected by row-level security: everyone adds the changes they send
(as themselves), reads the changes of the records they may see (and those they sent), and
nobody changes or removes one; the access log's entries are read by administrators and
auditors only.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUP_ROLE = "hemlos_users"
_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

FUNCTIONS = """
CREATE FUNCTION hemlos_may_see_client_uid(p_client_uid text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT coalesce((
        SELECT hemlos_client_visible(c.team_id, c.responsible_user_id, c.protected_identity)
        FROM clients c WHERE c.uid = p_client_uid
    ), hemlos_user_id() IS NOT NULL)
$$;

CREATE FUNCTION hemlos_my_team_ids() RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT team_id FROM team_members WHERE user_id = hemlos_user_id()
$$;

CREATE FUNCTION hemlos_sync_known(p_machine text, p_seqs integer[]) RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT seq FROM sync_log WHERE machine_uid = p_machine AND seq = ANY (p_seqs)
$$;

CREATE FUNCTION hemlos_sync_head() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT coalesce(max(server_seq), 0) FROM sync_log
$$;

CREATE FUNCTION hemlos_forget_client_changes(p_client_uid text) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    DELETE FROM sync_log
    WHERE client_uid = p_client_uid AND table_name <> 'audit_log'
      AND NOT (table_name = 'clients' AND op = 'delete')
      AND hemlos_may_write()
      AND NOT EXISTS (SELECT 1 FROM clients c WHERE c.uid = p_client_uid)
$$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS hemlos_sync_known(text, integer[]);
DROP FUNCTION IF EXISTS hemlos_my_team_ids();
DROP FUNCTION IF EXISTS hemlos_forget_client_changes(text);
DROP FUNCTION IF EXISTS hemlos_sync_head();
DROP FUNCTION IF EXISTS hemlos_may_see_client_uid(text);
"""

# Reading: the same rule as 0013's per-row functions, written so that PostgreSQL works out who
# is asking once per statement (the sub-selects without a reference to the row) and compares
# each row's own values; a record of a client is readable when its client is (the clients'
# own rule applies inside). Fast for one row and for all of them (joining reads everything).
_ME = "(SELECT hemlos_user_id())"
_CLIENT_RULE = (
    f"{_ME} IS NOT NULL AND (NOT protected_identity OR responsible_user_id = {_ME}) AND ("
    "(SELECT hemlos_user_role()) IN ('admin', 'read_only') "
    f"OR responsible_user_id = {_ME} "
    "OR team_id IN (SELECT hemlos_my_team_ids()))"
)
_OF_CLIENT = "EXISTS (SELECT 1 FROM clients c WHERE c.id = client_id)"
FAST_READ = {
    "clients": _CLIENT_RULE,
    "client_target_groups": _OF_CLIENT,
    "housing_periods": _OF_CLIENT,
    "journal_entries": _OF_CLIENT,
    "outreach_contacts": _OF_CLIENT,
    "assessments": _OF_CLIENT,
    "plans": _OF_CLIENT,
    "assessment_areas": "EXISTS (SELECT 1 FROM assessments a WHERE a.id = assessment_id)",
    "plan_versions": "EXISTS (SELECT 1 FROM plans p WHERE p.id = plan_id)",
}
SLOW_READ = {
    "clients": "hemlos_client_visible(team_id, responsible_user_id, protected_identity)",
    "assessment_areas": (
        "hemlos_may_see_client((SELECT p.client_id FROM assessments p WHERE p.id = assessment_id))"
    ),
    "plan_versions": (
        "hemlos_may_see_client((SELECT p.client_id FROM plans p WHERE p.id = plan_id))"
    ),
}

_READ_LOG = (
    "pushed_by = session_user OR ("
    "hemlos_user_id() IS NOT NULL AND status = 'applied' AND CASE "
    "WHEN table_name = 'audit_log' THEN hemlos_user_role() IN ('admin', 'read_only') "
    "WHEN client_uid IS NULL THEN true "
    "ELSE hemlos_may_see_client_uid(client_uid) END)"
)


def upgrade() -> None:
    op.create_table(
        "sync_log",
        sa.Column("server_seq", _SEQ, autoincrement=True, nullable=False),
        sa.Column("machine_uid", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("record_uid", sa.String(length=80), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("base", sa.Text(), nullable=False),
        sa.Column("held", sa.Text(), nullable=False),
        sa.Column("immutable", sa.Boolean(), nullable=False),
        sa.Column("client_uid", sa.String(length=36), nullable=True),
        sa.Column("user_uid", sa.String(length=36), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("pushed_by", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("server_seq", name=op.f("pk_sync_log")),
        sa.UniqueConstraint("machine_uid", "seq", name=op.f("uq_sync_log_machine_uid_seq")),
    )
    op.create_table(
        "sync_field_state",
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("record_uid", sa.String(length=80), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("server_seq", _SEQ, nullable=False),
        sa.Column("machine_uid", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint(
            "table_name", "record_uid", "field", name=op.f("pk_sync_field_state")
        ),
    )
    op.create_table(
        "sync_field_base",
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("record_uid", sa.String(length=80), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("server_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "table_name", "record_uid", "field", name=op.f("pk_sync_field_base")
        ),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=80), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("record_uid", sa.String(length=80), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("client_uid", sa.String(length=36), nullable=True),
        sa.Column("current_value", sa.Text(), nullable=False),
        sa.Column("current_username", sa.String(length=64), nullable=False),
        sa.Column("current_machine", sa.String(length=36), nullable=False),
        sa.Column("current_at", sa.DateTime(), nullable=False),
        sa.Column("held_value", sa.Text(), nullable=False),
        sa.Column("held_username", sa.String(length=64), nullable=False),
        sa.Column("held_machine", sa.String(length=36), nullable=False),
        sa.Column("held_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=False),
        sa.Column("resolution", sa.String(length=12), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
        sa.UniqueConstraint("uid", name=op.f("uq_sync_conflicts_uid")),
    )
    op.create_index(
        op.f("ix_sync_conflicts_record_uid"), "sync_conflicts", ["record_uid"], unique=False
    )
    op.create_index(
        op.f("ix_sync_conflicts_client_uid"), "sync_conflicts", ["client_uid"], unique=False
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTIONS)
    op.execute("ALTER TABLE sync_log ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY sync_log_read ON sync_log FOR SELECT USING ({_READ_LOG})")
    op.execute(
        "CREATE POLICY sync_log_add ON sync_log FOR INSERT "
        "WITH CHECK (pushed_by = session_user AND hemlos_user_id() IS NOT NULL)"
    )
    op.execute(f"GRANT SELECT, INSERT ON sync_log TO {GROUP_ROLE}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON sync_field_state TO {GROUP_ROLE}")
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {GROUP_ROLE}")
    for table, rule in FAST_READ.items():
        op.execute(f"ALTER POLICY {table}_read ON {table} USING ({rule})")
        # 0013's write rule was FOR ALL, which reading has to pass too (row by row); the
        # same rule for each kind of writing leaves reading to the rule above.
        write = "hemlos_may_write() AND " + SLOW_READ.get(table, "hemlos_may_see_client(client_id)")
        op.execute(f"DROP POLICY {table}_write ON {table}")
        op.execute(f"CREATE POLICY {table}_add ON {table} FOR INSERT WITH CHECK ({write})")
        op.execute(
            f"CREATE POLICY {table}_change ON {table} FOR UPDATE USING ({write}) "
            f"WITH CHECK ({write})"
        )
        op.execute(f"CREATE POLICY {table}_remove ON {table} FOR DELETE USING ({write})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in FAST_READ:
            rule = SLOW_READ.get(table, "hemlos_may_see_client(client_id)")
            op.execute(f"ALTER POLICY {table}_read ON {table} USING ({rule})")
            for kind in ("add", "change", "remove"):
                op.execute(f"DROP POLICY {table}_{kind} ON {table}")
            write = f"hemlos_may_write() AND {rule}"
            op.execute(
                f"CREATE POLICY {table}_write ON {table} FOR ALL USING ({write}) "
                f"WITH CHECK ({write})"
            )
        op.execute("DROP POLICY IF EXISTS sync_log_add ON sync_log")
        op.execute("DROP POLICY IF EXISTS sync_log_read ON sync_log")
        op.execute(DROP_FUNCTIONS)
    op.drop_index(op.f("ix_sync_conflicts_client_uid"), table_name="sync_conflicts")
    op.drop_index(op.f("ix_sync_conflicts_record_uid"), table_name="sync_conflicts")
    op.drop_table("sync_conflicts")
    op.drop_table("sync_field_base")
    op.drop_table("sync_field_state")
    op.drop_table("sync_log")
