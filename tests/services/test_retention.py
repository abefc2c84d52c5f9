"""Retention purge: preview, hold, complete removal, a log entry without personal data."""

from __future__ import annotations

import datetime as dt

import pytest
from clientworld import World, pnr

from hemlos_desktop.errors import AccessDeniedError
from hemlos_desktop.models.client import ClientStatus, ContactKind, ContactOutcome, JournalCategory
from hemlos_desktop.services import audit, clients, contacts, journal, retention
from hemlos_desktop.services.contacts import ContactInput

TODAY = dt.date(2026, 11, 24)


def closed_client(world: World, name: str, closed_on: dt.date, serial: str = "982") -> int:
    cid = world.add(name, "Purgeson", number=pnr(dt.date(1970, 1, 2), serial))
    draft = journal.save_draft(
        world.db, world.actors["admin"], cid, draft_id=None, entry_date=dt.date(2018, 1, 1),
        category=JournalCategory.CONTACT, text=f"Canary note about {name}",
    ).value  # fmt: skip
    journal.sign_entry(world.db, world.actors["admin"], draft)
    clients.set_status(world.db, world.actors["admin"], cid, ClientStatus.CLOSED, on=closed_on)
    return cid


def test_preview_hold_and_purge(world: World) -> None:
    admin = world.actors["admin"]
    old = closed_client(world, "Zxqvold", dt.date(2020, 6, 1), "982")
    recent = closed_client(world, "Zxqvnew", dt.date(2023, 6, 1), "984")
    held = closed_client(world, "Zxqvheld", dt.date(2019, 1, 1), "986")
    retention.set_hold(world.db, admin, held, hold=True, reason="ongoing appeal")
    person = world.add("", "", alias="Okänd vid stationen")
    contacts.add_contact(
        world.db, admin, person,
        ContactInput(dt.date(2020, 1, 1), ContactKind.STREET, ContactOutcome.BRIEF),
    )  # fmt: skip
    preview = {c.client_id: c for c in retention.preview(world.db, admin, today=TODAY)}
    assert set(preview) == {old, held, person}
    assert preview[old].purge_on == dt.date(2025, 6, 1)
    assert preview[held].held and recent not in preview

    result = retention.purge(world.db, admin, today=TODAY).value
    assert result.purged == 2 and result.held_kept == 1
    remaining = clients.search_ids(world.db, admin, clients.ClientQuery())
    assert set(remaining) == {recent, held}
    world.db.dispose()
    raw = world.db.path.read_bytes()
    for wal in world.db.path.parent.glob("*.db-wal"):
        raw += wal.read_bytes()
    assert b"Zxqvold" not in raw and "Okänd vid".encode() not in raw
    rows = audit.list_entries(world.db, admin, audit.AuditQuery())
    purge_rows = [r for r in rows if r.action is audit.AuditAction.PURGE]
    assert len(purge_rows) == 1 and purge_rows[0].client_id is None
    assert audit.verify_chain(world.db).ok


def test_rules_are_configurable_and_admin_only(world: World) -> None:
    old = closed_client(world, "Ada", dt.date(2023, 6, 1))
    with pytest.raises(AccessDeniedError):
        retention.preview(world.db, world.actors["lead"], today=TODAY)
    retention.set_rules(
        world.db, world.actors["admin"], retention.RetentionRules(closed_case_years=2)
    )
    assert [
        c.client_id for c in retention.preview(world.db, world.actors["admin"], today=TODAY)
    ] == [old]
    retention.set_rules(
        world.db, world.actors["admin"], retention.RetentionRules(closed_case_years=0)
    )
    assert retention.preview(world.db, world.actors["admin"], today=TODAY) == []


def test_central_settings_give_the_rules_until_the_database_has_its_own(world: World) -> None:
    admin = world.actors["admin"]
    closed = closed_client(world, "Zxqvthree", dt.date(2023, 6, 1), "982")
    it_rules = retention.RetentionRules.with_overrides({"closed_case_years": 2})
    assert it_rules == retention.RetentionRules(closed_case_years=2, unidentified_contact_years=5)
    assert retention.get_rules(world.db, defaults=it_rules) == it_rules
    due = retention.preview(world.db, admin, today=TODAY, defaults=it_rules)
    assert [c.client_id for c in due] == [closed]
    assert retention.preview(world.db, admin, today=TODAY) == []  # the program's 5 years
    # Once an administrator sets rules in the database, they win over the settings.
    retention.set_rules(world.db, admin, retention.RetentionRules(closed_case_years=10))
    assert retention.get_rules(world.db, defaults=it_rules).closed_case_years == 10
    assert retention.preview(world.db, admin, today=TODAY, defaults=it_rules) == []


def test_a_big_purge_goes_in_chunks_with_progress_and_reads_an_index(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Purge was quadratic (every deleted client scanned the table for people merged into
    it): the lookup by ``merged_into_id`` uses its index, and the work is reported chunk by
    chunk, all in one transaction."""
    admin = world.actors["admin"]
    for i in range(5):
        closed_client(world, f"Zxq{i}", dt.date(2019, 1, 1), f"{980 + 2 * i:03d}")
    monkeypatch.setattr(retention, "PURGE_CHUNK", 2)
    steps: list[tuple[int, int]] = []
    result = retention.purge(
        world.db, admin, today=TODAY, progress=lambda done, total: steps.append((done, total))
    ).value
    assert result.purged == 5
    assert steps == [(2, 5), (4, 5), (5, 5)]
    conn = world.db.raw_connection(read_only=True)
    try:
        plan = " ".join(
            str(row[3])
            for row in conn.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM clients WHERE merged_into_id IN (?, ?)", (1, 2)
            )
        )
        on_delete = " ".join(
            str(row[3])
            for row in conn.execute(
                "EXPLAIN QUERY PLAN SELECT 1 FROM clients WHERE merged_into_id = ?", (1,)
            )
        )
    finally:
        conn.close()
    assert "ix_clients_merged_into_id" in plan and "ix_clients_merged_into_id" in on_delete
