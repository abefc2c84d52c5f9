"""Migration 0017: the Swedish and Danish name keys of the clients already in a register."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from hemlos_desktop.models.text import name_sort_key
from hemlos_desktop.storage import Database, DataLocation, migrate, open_database

pytestmark = pytest.mark.real_migrations  # these tests are about the migrations themselves

CLIENT = (
    "INSERT INTO clients (id, uid, id_kind, id_search, first_name, last_name,"
    " alias, description, name_search, first_name_fold, last_name_fold, sort_name, gender,"
    " language, phone, email, address, status, protected_identity,"
    " retention_hold, retention_hold_reason, created_at, updated_at)"
    " VALUES (:id, :uid, 'none', '', :first, :last, :alias, '', '', '', '', '',"
    " 'woman', '', '', '', '', 'active', 0, 0, '',"
    " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
)
PEOPLE = [
    (1, "Kim", "Öberg", ""),
    (2, "Kim", "Aagaard", ""),
    (3, "Kim", "Åberg", ""),
    (4, "Kim", "Nilsson", ""),
    (5, "", "", "Ärlig Pelle"),  # known only by an alias
    (6, "Kim", "Ørsted", ""),
]


def test_existing_clients_get_their_keys_and_the_list_reads_them_in_order(
    location: DataLocation,
) -> None:
    location.folder.mkdir(parents=True)
    old = Database(location)
    try:
        migrate.upgrade_to_head(old, target="0016")
        with old.engine.begin() as conn:
            for id_, first, last, alias in PEOPLE:
                conn.execute(
                    text(CLIENT),
                    {"id": id_, "uid": f"c{id_}", "first": first, "last": last, "alias": alias},
                )
    finally:
        old.dispose()
    db = open_database(location)
    try:
        with db.engine.connect() as conn:
            for lang, expected in (("sv", [2, 4, 3, 5, 1, 6]), ("da", [4, 5, 1, 6, 3, 2])):
                keys = dict(conn.execute(text(f"SELECT id, sort_key_{lang} FROM clients")).all())
                for id_, first, last, alias in PEOPLE:
                    assert keys[id_] == name_sort_key(first, last, alias, lang)
                listed = f"SELECT id FROM clients ORDER BY sort_key_{lang}, first_name_fold, id"
                assert [row[0] for row in conn.execute(text(listed))] == expected
                plan = " ".join(
                    str(row[3]) for row in conn.execute(text(f"EXPLAIN QUERY PLAN {listed}"))
                )
                assert f"ix_clients_sort_{lang}" in plan and "TEMP B-TREE" not in plan
    finally:
        db.dispose()
