"""The team area's records travel, and users added on a laptop get their server role.

Responsibilities, releases, agenda items and meeting actions get a ``uid``, filled for the
existing rows (the database is backed up before any upgrade, as for every revision). Units,
partners, eviction cases and review meetings have had one from the start; competences and
meeting participants are link rows, identified by the uids of the records they join.

On PostgreSQL (the team server) the team tables get row-level security that mirrors the
program's team rules (``services.team_org``, ``services.team_meetings``, ``services.actor``):

* units and partners: read by the team's members (and administrators and auditors), changed
  by administrators and the team's lead;
* competences: read by everyone signed in (like users), changed by administrators and a lead
  of one of the member's teams;
* responsibilities, releases and eviction cases follow their client;
* review meetings, their participants and agenda items: read by the team, changed by the
  people who run the team's meetings (administrators, the team's lead, its boendelots);
  meeting actions also by the member they are assigned to (who marks them done).

``server_logins`` (one row per user, synced) carries a user's PostgreSQL password verifier
(SCRAM-SHA-256, computed on the laptop) and LOGIN/NOLOGIN to the server. There a trigger calls
``hemlos_apply_login``, which creates or alters the role of the same name (a member of
``hemlos_users``) when an administrator's change arrives, or a user's change of their own
password, and then empties the verifier; a trigger on ``sync_log`` (revision 0018) empties it in
the log of accepted changes too: it is kept only where PostgreSQL keeps it.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_UID_TABLES = ("client_responsibilities", "client_releases", "agenda_items", "meeting_actions")
GROUP_ROLE = "hemlos_users"

# The same random (version 4) UUID in SQL as revision 0012 uses.
_SQLITE_UUID = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || "
    "substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || "
    "lower(hex(randomblob(6)))"
)
_POSTGRES_UUID = "gen_random_uuid()::text"

FUNCTIONS = """
CREATE FUNCTION hemlos_may_see_team(p_team_id integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT hemlos_user_id() IS NOT NULL AND (
        hemlos_user_role() IN ('admin', 'read_only')
        OR p_team_id IN (
            SELECT tm.team_id FROM team_members tm WHERE tm.user_id = hemlos_user_id()
        )
    )
$$;

CREATE FUNCTION hemlos_may_manage_team(p_team_id integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT coalesce(
        hemlos_user_role() = 'admin'
        OR (hemlos_user_role() = 'team_lead' AND p_team_id IN (
            SELECT tm.team_id FROM team_members tm WHERE tm.user_id = hemlos_user_id()
        )),
        false
    )
$$;

CREATE FUNCTION hemlos_may_manage_member(p_user_id integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT coalesce(
        hemlos_user_role() = 'admin'
        OR (hemlos_user_role() = 'team_lead' AND EXISTS (
            SELECT 1 FROM team_members theirs JOIN team_members mine
                ON mine.team_id = theirs.team_id
            WHERE theirs.user_id = p_user_id AND mine.user_id = hemlos_user_id()
        )),
        false
    )
$$;

CREATE FUNCTION hemlos_may_lead_meetings(p_team_id integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT coalesce(
        hemlos_user_role() = 'admin'
        OR (hemlos_user_role() IN ('team_lead', 'caseworker') AND EXISTS (
            SELECT 1 FROM team_members tm
            WHERE tm.team_id = p_team_id AND tm.user_id = hemlos_user_id()
                AND (hemlos_user_role() = 'team_lead' OR tm.team_role = 'coordinator')
        )),
        false
    )
$$;

CREATE FUNCTION hemlos_meeting_team(p_meeting_id integer) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT team_id FROM review_meetings WHERE id = p_meeting_id
$$;

CREATE FUNCTION hemlos_item_team(p_item_id integer) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT m.team_id FROM agenda_items i JOIN review_meetings m ON m.id = i.meeting_id
    WHERE i.id = p_item_id
$$;
"""

LOGIN_FUNCTIONS = r"""
CREATE FUNCTION hemlos_apply_login(p_user_id integer, p_verifier text, p_login boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    v_name text;
    v_exists boolean;
BEGIN
    SELECT username INTO v_name FROM users WHERE id = p_user_id;
    IF v_name IS NULL THEN
        RAISE EXCEPTION 'no such user' USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT hemlos_is_admin() AND NOT (
        v_name = session_user AND hemlos_user_id() = p_user_id AND p_login AND p_verifier <> ''
    ) THEN
        RAISE EXCEPTION 'only administrators change server roles'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF v_name IN ('postgres', 'public', 'hemlos_users') OR v_name LIKE 'pg\_%' THEN
        RAISE EXCEPTION 'reserved role name' USING ERRCODE = 'reserved_name';
    END IF;
    IF p_verifier <> '' AND p_verifier !~
        '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' THEN
        RAISE EXCEPTION 'not a SCRAM-SHA-256 verifier' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = v_name) INTO v_exists;
    IF v_exists THEN
        -- Only roles of this program: never a cluster's other roles (IT's own, a superuser).
        IF NOT EXISTS (
            SELECT FROM pg_auth_members m
            JOIN pg_roles g ON g.oid = m.roleid
            JOIN pg_roles r ON r.oid = m.member
            WHERE g.rolname = 'hemlos_users' AND r.rolname = v_name AND NOT r.rolsuper
        ) THEN
            RAISE EXCEPTION 'the role is not a Hemlös Desktop user'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        EXECUTE format(
            'ALTER ROLE %I %s', v_name, CASE WHEN p_login THEN 'LOGIN' ELSE 'NOLOGIN' END
        );
        IF p_verifier <> '' THEN
            EXECUTE format('ALTER ROLE %I PASSWORD %L', v_name, p_verifier);
        END IF;
    ELSE
        IF p_verifier = '' THEN
            RAISE EXCEPTION 'a new role needs a password' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        EXECUTE format(
            'CREATE ROLE %I %s PASSWORD %L IN ROLE hemlos_users',
            v_name, CASE WHEN p_login THEN 'LOGIN' ELSE 'NOLOGIN' END, p_verifier
        );
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), v_name);
    END IF;
END
$$;

CREATE FUNCTION hemlos_server_login_arrived() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    PERFORM hemlos_apply_login(NEW.user_id, coalesce(NEW.verifier, ''), NEW.login);
    NEW.verifier := '';
    RETURN NEW;
END
$$;

CREATE TRIGGER server_logins_apply BEFORE INSERT OR UPDATE ON server_logins
    FOR EACH ROW EXECUTE FUNCTION hemlos_server_login_arrived();

-- The log of accepted changes (read by every laptop that pulls) keeps no verifier either.
CREATE FUNCTION hemlos_sync_log_forget_verifier() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
    IF NEW.table_name = 'server_logins' AND jsonb_exists(NEW.fields::jsonb, 'verifier') THEN
        NEW.fields := jsonb_set(NEW.fields::jsonb, '{verifier}', '""'::jsonb)::text;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER sync_log_forget_verifier BEFORE INSERT ON sync_log
    FOR EACH ROW EXECUTE FUNCTION hemlos_sync_log_forget_verifier();
"""

DROP_FUNCTIONS = """
DROP TRIGGER IF EXISTS sync_log_forget_verifier ON sync_log;
DROP FUNCTION IF EXISTS hemlos_sync_log_forget_verifier();
DROP TRIGGER IF EXISTS server_logins_apply ON server_logins;
DROP FUNCTION IF EXISTS hemlos_server_login_arrived();
DROP FUNCTION IF EXISTS hemlos_apply_login(integer, text, boolean);
DROP FUNCTION IF EXISTS hemlos_item_team(integer);
DROP FUNCTION IF EXISTS hemlos_meeting_team(integer);
DROP FUNCTION IF EXISTS hemlos_may_lead_meetings(integer);
DROP FUNCTION IF EXISTS hemlos_may_manage_member(integer);
DROP FUNCTION IF EXISTS hemlos_may_manage_team(integer);
DROP FUNCTION IF EXISTS hemlos_may_see_team(integer);
"""

# Readable when its client is (the clients' own row rule applies inside), as revision 0018 reads
# a client's records: worked out per statement, fast for one row and for all of them.
_VISIBLE_CLIENT = "EXISTS (SELECT 1 FROM clients c WHERE c.id = client_id)"
_WRITE_CLIENT = "hemlos_may_write() AND hemlos_may_see_client(client_id)"

# table -> (who reads, who writes)
RULES: dict[str, tuple[str, str]] = {
    "team_units": ("hemlos_may_see_team(team_id)", "hemlos_may_manage_team(team_id)"),
    "team_partners": ("hemlos_may_see_team(team_id)", "hemlos_may_manage_team(team_id)"),
    "member_competences": ("hemlos_user_id() IS NOT NULL", "hemlos_may_manage_member(user_id)"),
    "client_responsibilities": (_VISIBLE_CLIENT, _WRITE_CLIENT),
    "client_releases": (_VISIBLE_CLIENT, _WRITE_CLIENT),
    "eviction_cases": (_VISIBLE_CLIENT, _WRITE_CLIENT),
    "review_meetings": ("hemlos_may_see_team(team_id)", "hemlos_may_lead_meetings(team_id)"),
    "meeting_participants": (
        "hemlos_may_see_team(hemlos_meeting_team(meeting_id))",
        "hemlos_may_lead_meetings(hemlos_meeting_team(meeting_id))",
    ),
    "agenda_items": (
        "hemlos_may_see_team(hemlos_meeting_team(meeting_id))",
        "hemlos_may_lead_meetings(hemlos_meeting_team(meeting_id))",
    ),
    "meeting_actions": (
        "hemlos_may_see_team(hemlos_item_team(item_id))",
        "hemlos_may_lead_meetings(hemlos_item_team(item_id)) "
        "OR (hemlos_may_write() AND assigned_user_id = hemlos_user_id())",
    ),
    # Administrators see and send every user's; a user sends their own (a new password).
    "server_logins": (
        "hemlos_is_admin() OR user_id = hemlos_user_id()",
        "hemlos_is_admin() OR user_id = hemlos_user_id()",
    ),
}


def _add_uids() -> None:
    uuid_sql = _POSTGRES_UUID if op.get_bind().dialect.name == "postgresql" else _SQLITE_UUID
    for table in NEW_UID_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("uid", sa.String(length=36), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET uid = {uuid_sql} WHERE uid IS NULL"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("uid", existing_type=sa.String(length=36), nullable=False)
            batch_op.create_unique_constraint(batch_op.f(f"uq_{table}_uid"), ["uid"])


def _server_rules() -> None:
    op.execute(FUNCTIONS)
    op.execute(LOGIN_FUNCTIONS)
    for table, (read, write) in RULES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_read ON {table} FOR SELECT USING ({read})")
        # One rule per kind of writing (as 0018 does): reading is checked by the rule above only.
        op.execute(f"CREATE POLICY {table}_add ON {table} FOR INSERT WITH CHECK ({write})")
        op.execute(
            f"CREATE POLICY {table}_change ON {table} FOR UPDATE USING ({write}) "
            f"WITH CHECK ({write})"
        )
        op.execute(f"CREATE POLICY {table}_remove ON {table} FOR DELETE USING ({write})")
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {GROUP_ROLE}")


def upgrade() -> None:
    _add_uids()
    op.create_table(
        "server_logins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("verifier", sa.Text(), nullable=False),
        sa.Column("login", sa.Boolean(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_server_logins_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_logins")),
        sa.UniqueConstraint("uid", name=op.f("uq_server_logins_uid")),
        sa.UniqueConstraint("user_id", name=op.f("uq_server_logins_user_id")),
    )
    if op.get_bind().dialect.name == "postgresql":
        _server_rules()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in RULES:
            for policy in ("read", "add", "change", "remove"):
                op.execute(f"DROP POLICY IF EXISTS {table}_{policy} ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
            op.execute(f"REVOKE ALL ON {table} FROM {GROUP_ROLE}")
        op.execute(DROP_FUNCTIONS)
    op.drop_table("server_logins")
    for table in reversed(NEW_UID_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_uid"), type_="unique")
            batch_op.drop_column("uid")
