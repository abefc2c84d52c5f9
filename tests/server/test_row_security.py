"""Row-level security on the team server: connecting as a person's own PostgreSQL role (the
same as `psql` with their credentials) shows and allows exactly what the program's rules do."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from pgcluster import PgDatabase
from roleworld import Conn, Person, connect_as, staffed_store

from hemlos_desktop.models.client import Client, JournalEntry
from hemlos_desktop.models.people import Role

# username -> their role and teams
PEOPLE = {
    "anna": Person(Role.CASEWORKER, ("A",)),
    "bo": Person(Role.CASEWORKER, ("B",)),
    "lena": Person(Role.TEAM_LEAD, ("A",)),
    "revisor": Person(Role.READ_ONLY),
}
# first name -> (team, responsible, protected identity)
CLIENTS = {
    "Alva": ("A", None, False),
    "Bertil": ("B", None, False),
    "Cecilia": ("B", "anna", False),  # another team's client that anna is responsible for
    "Dagny": ("A", "bo", True),  # protected: only bo, though the client is in anna's team
    "Edvin": ("A", "anna", True),  # protected: only anna
}


@pytest.fixture
def store(pg_database: PgDatabase) -> PgDatabase:
    with staffed_store(pg_database, PEOPLE) as made:
        s, teams, users = made.session, made.teams, made.users
        for first, (team, responsible, protected) in CLIENTS.items():
            client = Client(
                id_kind="none",
                first_name=first,
                team_id=teams[team].id,
                responsible_user_id=users[responsible].id if responsible else None,
                protected_identity=protected,
            )
            s.add(client)
            s.flush()
            s.add(
                JournalEntry(
                    client_id=client.id,
                    entry_date=dt.date(2026, 12, 1),
                    category="contact",
                    text=f"Note about {first}",
                    status="signed",
                )
            )
    return pg_database


def _names(conn: Conn) -> set[str]:
    return {str(row[0]) for row in conn.execute("SELECT first_name FROM clients")}


def _notes(conn: Conn) -> set[str]:
    return {str(row[0]) for row in conn.execute("SELECT text FROM journal_entries")}


@pytest.mark.parametrize(
    ("user", "visible"),
    [
        ("anna", {"Alva", "Cecilia", "Edvin"}),
        ("bo", {"Bertil", "Cecilia", "Dagny"}),
        ("lena", {"Alva"}),
        ("revisor", {"Alva", "Bertil", "Cecilia"}),
        ("ida", {"Alva", "Bertil", "Cecilia"}),  # administrators too: no protected identities
    ],
)
def test_each_person_sees_only_the_clients_the_rules_allow(
    store: PgDatabase, user: str, visible: set[str]
) -> None:
    with connect_as(store, user) as conn:
        assert _names(conn) == visible
        assert _notes(conn) == {f"Note about {name}" for name in visible}


def test_a_caseworker_cannot_change_or_add_what_they_may_not_see(store: PgDatabase) -> None:
    with connect_as(store, "anna") as conn:
        changed = conn.execute("UPDATE clients SET phone = '1' WHERE first_name = 'Bertil'")
        assert changed.rowcount == 0
        assert (
            conn.execute("UPDATE clients SET phone = '2' WHERE first_name = 'Alva'").rowcount == 1
        )
        team_b = conn.execute("SELECT id FROM teams WHERE name = 'B'").fetchone()
        assert team_b is not None
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO clients (id_kind, id_search, first_name, last_name, alias, "
                "description, name_search, first_name_fold, last_name_fold, gender, language, "
                "phone, email, address, team_id, status, protected_identity, uid, created_at, "
                "updated_at) VALUES ('none', '', 'Ny', '', '', '', '', '', '', 'not_stated', '', "
                "'', '', '', %s, 'active', false, gen_random_uuid()::text, now(), now())",
                (team_b[0],),
            )
        # Nor make themselves an administrator, nor write in someone else's access log.
        assert conn.execute("UPDATE users SET role = 'admin' WHERE username = 'anna'").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO audit_log (id, at, username, action, detail, prev_hash, hash, uid) "
                "VALUES (1, now(), 'bo', 'view', '', '', '', gen_random_uuid()::text)"
            )
        # Local bookkeeping of the laptops is not the server's business.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM sync_field_clocks")


def test_an_auditor_reads_but_writes_nothing(store: PgDatabase) -> None:
    with connect_as(store, "revisor") as conn:
        assert conn.execute("UPDATE clients SET phone = '1'").rowcount == 0
        assert conn.execute("DELETE FROM journal_entries").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO journal_entries (client_id, entry_date, category, text, status, "
                "uid, created_at, updated_at) SELECT id, now(), 'contact', 'x', 'signed', "
                "gen_random_uuid()::text, now(), now() FROM clients LIMIT 1"
            )
        # The one thing they add: their own access-log entries.
        conn.execute(
            "INSERT INTO audit_log (id, at, username, action, detail, prev_hash, hash, uid) "
            "VALUES (1, now(), 'revisor', 'view', '', '', '', gen_random_uuid()::text)"
        )
    with store.connect() as admin:
        logged = admin.execute("SELECT username FROM audit_log").fetchall()
    assert logged == [("revisor",)]


def test_a_role_without_an_active_user_sees_nothing(store: PgDatabase) -> None:
    with store.connect() as admin:
        admin.execute("UPDATE users SET active = false WHERE username = 'anna'")
    with connect_as(store, "anna") as conn:
        assert _names(conn) == set()
        assert _notes(conn) == set()
