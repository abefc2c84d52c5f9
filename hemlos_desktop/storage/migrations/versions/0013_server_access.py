"""The team server's access rules: PostgreSQL roles and row-level security (PostgreSQL only).

Each person signs in to the server as a PostgreSQL role of the same name as their user (a
member of the group role ``hemlos_users``). Row-level security mirrors the program's own rule
(``services.actor.visible_clients_clause``): administrators and auditors see every team, team
leads and caseworkers the clients of their teams and those they are responsible for; a client
with a protected identity is seen only by the person responsible. An auditor (role
``read_only``) changes nothing; the one thing they add is their own access-log entries, because
their reading must be logged too. The functions are ``SECURITY DEFINER`` so the rules can read
users and teams without being subject to the rules themselves.

On SQLite (the laptops) this revision does nothing.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUP_ROLE = "hemlos_users"
# Records that belong to a client directly.
CLIENT_TABLES = (
    "client_target_groups",
    "housing_periods",
    "journal_entries",
    "outreach_contacts",
    "assessments",
    "plans",
)
# Records that belong to a client through a parent record: table -> (parent, column).
CHILD_TABLES = {
    "assessment_areas": ("assessments", "assessment_id"),
    "plan_versions": ("plans", "plan_id"),
}
# Shared by the whole team store: everyone reads, administrators write.
SHARED_TABLES = ("teams", "users", "team_members", "instrument_versions")
READABLE_ONLY = ("database_info", "alembic_version")

FUNCTIONS = """
CREATE FUNCTION hemlos_user_id() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT id FROM users WHERE username = session_user AND active
$$;

CREATE FUNCTION hemlos_user_role() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT role FROM users WHERE username = session_user AND active
$$;

CREATE FUNCTION hemlos_may_write() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT coalesce(hemlos_user_role() IN ('admin', 'team_lead', 'caseworker'), false)
$$;

CREATE FUNCTION hemlos_is_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT coalesce(hemlos_user_role() = 'admin', false)
$$;

CREATE FUNCTION hemlos_client_visible(
    p_team_id integer, p_responsible_user_id integer, p_protected boolean
) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT hemlos_user_id() IS NOT NULL
        AND (NOT p_protected OR p_responsible_user_id = hemlos_user_id())
        AND (
            hemlos_user_role() IN ('admin', 'read_only')
            OR p_responsible_user_id = hemlos_user_id()
            OR p_team_id IN (
                SELECT tm.team_id FROM team_members tm WHERE tm.user_id = hemlos_user_id()
            )
        )
$$;

CREATE FUNCTION hemlos_may_see_client(p_client_id integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT coalesce((
        SELECT hemlos_client_visible(c.team_id, c.responsible_user_id, c.protected_identity)
        FROM clients c WHERE c.id = p_client_id
    ), false)
$$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS hemlos_may_see_client(integer);
DROP FUNCTION IF EXISTS hemlos_client_visible(integer, integer, boolean);
DROP FUNCTION IF EXISTS hemlos_is_admin();
DROP FUNCTION IF EXISTS hemlos_may_write();
DROP FUNCTION IF EXISTS hemlos_user_role();
DROP FUNCTION IF EXISTS hemlos_user_id();
"""


def _policies() -> list[str]:
    statements: list[str] = []

    def rls(table: str, read: str, write: str) -> None:
        statements.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        statements.append(f"CREATE POLICY {table}_read ON {table} FOR SELECT USING ({read})")
        statements.append(
            f"CREATE POLICY {table}_write ON {table} FOR ALL USING ({write}) WITH CHECK ({write})"
        )
        statements.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {GROUP_ROLE}")

    visible = "hemlos_client_visible(team_id, responsible_user_id, protected_identity)"
    rls("clients", visible, f"hemlos_may_write() AND {visible}")
    for table in CLIENT_TABLES:
        rule = "hemlos_may_see_client(client_id)"
        rls(table, rule, f"hemlos_may_write() AND {rule}")
    for table, (parent, column) in CHILD_TABLES.items():
        rule = f"hemlos_may_see_client((SELECT p.client_id FROM {parent} p WHERE p.id = {column}))"
        rls(table, rule, f"hemlos_may_write() AND {rule}")
    # Derived from plan versions on each machine; on the server it follows its version.
    due_rule = (
        "hemlos_may_see_client((SELECT p.client_id FROM plan_versions v "
        "JOIN plans p ON p.id = v.plan_id WHERE v.id = version_id))"
    )
    rls("plan_due_items", due_rule, f"hemlos_may_write() AND {due_rule}")
    for table in SHARED_TABLES:
        rls(table, "hemlos_user_id() IS NOT NULL", "hemlos_is_admin()")
    # The access log: administrators and auditors read it all, others their own entries;
    # everyone adds their own entries and nobody changes or removes one.
    statements.append("ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY")
    statements.append(
        "CREATE POLICY audit_log_read ON audit_log FOR SELECT USING ("
        "hemlos_user_role() IN ('admin', 'read_only') OR username = session_user)"
    )
    statements.append(
        "CREATE POLICY audit_log_add ON audit_log FOR INSERT "
        "WITH CHECK (hemlos_user_id() IS NOT NULL AND username = session_user)"
    )
    statements.append(f"GRANT SELECT, INSERT ON audit_log TO {GROUP_ROLE}")
    for table in READABLE_ONLY:
        statements.append(f"GRANT SELECT ON {table} TO {GROUP_ROLE}")
    statements.append(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {GROUP_ROLE}")
    statements.append(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO {GROUP_ROLE}"
    )
    return statements


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # Roles belong to the whole PostgreSQL cluster; the group may exist from another store.
    op.execute(
        "DO $$ BEGIN "
        f"IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{GROUP_ROLE}') THEN "
        f"CREATE ROLE {GROUP_ROLE} NOLOGIN; END IF; END $$"
    )
    op.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {GROUP_ROLE}")
    op.execute(FUNCTIONS)
    for statement in _policies():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    tables = [
        "clients",
        *CLIENT_TABLES,
        *CHILD_TABLES,
        "plan_due_items",
        *SHARED_TABLES,
        "audit_log",
    ]
    for table in tables:
        op.execute(f"DROP POLICY IF EXISTS {table}_read ON {table}")
        op.execute(f"DROP POLICY IF EXISTS {table}_write ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute(f"REVOKE ALL ON {table} FROM {GROUP_ROLE}")
    op.execute("DROP POLICY IF EXISTS audit_log_add ON audit_log")
    for table in READABLE_ONLY:
        op.execute(f"REVOKE ALL ON {table} FROM {GROUP_ROLE}")
    op.execute(f"REVOKE USAGE ON ALL SEQUENCES IN SCHEMA public FROM {GROUP_ROLE}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {GROUP_ROLE}")
    op.execute(DROP_FUNCTIONS)
