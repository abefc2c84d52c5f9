"""Automatic backups (the daily one while the program runs and the one on closing) are written
to the access log, one entry each, under the person signed in; a failed one is logged too,
by the kind of failure only."""

from __future__ import annotations

import datetime as dt

import pytest
from clientworld import World

from hemlos_desktop import app as app_module
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.services import audit, backups
from hemlos_desktop.settings import Settings

NOW = dt.datetime(2026, 11, 24, 10, 15, 0)


def _backup_entries(world: World) -> list[audit.AuditRow]:
    rows = audit.list_entries(world.db, world.actors["admin"], audit.AuditQuery())
    return [row for row in rows if row.action is AuditAction.BACKUP]


def test_each_automatic_backup_is_one_entry_under_the_signed_in_person(world: World) -> None:
    worker = world.actors["anna"]  # a caseworker may not back up by hand; the program may
    made = backups.back_up_if_due(world.db, now=NOW, signed_in=worker).value
    assert made is not None and made.path.exists()
    assert backups.back_up_if_due(world.db, now=NOW, signed_in=worker).value is None  # not due
    entries = _backup_entries(world)
    assert [(e.username, e.detail, e.client_id) for e in entries] == [
        ("anna", "automatic backup", None)
    ]
    backups.back_up_if_due(world.db, now=NOW + dt.timedelta(days=1), signed_in=worker)
    assert len(_backup_entries(world)) == 2
    assert audit.verify_chain(world.db).ok


def test_the_backup_on_closing_is_logged(world: World, tmp_path: object) -> None:
    app_module.back_up_on_exit(world.db, Settings(), world.actors["lead"])
    [entry] = _backup_entries(world)
    assert (entry.username, entry.detail) == ("lead", "automatic backup")


def test_a_failed_automatic_backup_is_logged_by_its_kind(world: World) -> None:
    # The data folder's backup folder is a plain file: no backup can be written there.
    world.db.location.backups.write_text("not a folder")
    with pytest.raises(OSError):
        backups.back_up_if_due(world.db, now=NOW, signed_in=world.actors["anna"])
    [entry] = _backup_entries(world)
    assert entry.username == "anna"
    assert entry.detail.startswith("automatic backup failed: ")
    kind = entry.detail.removeprefix("automatic backup failed: ")
    assert kind.isidentifier() and kind.endswith("Error")
