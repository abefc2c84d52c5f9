"""Bulk capture: clients written with Core statements (the import's path) leave the same
outbox rows and field clocks as the same clients written as ORM objects and captured at the
flush (the per-object path)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

from clientworld import World, pnr
from sqlalchemy import select, text

from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import ClientTargetGroup, Gender, TargetGroup
from hemlos_desktop.models.client_rules import CleanClient, ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.sync import SyncChange, SyncFieldClock
from hemlos_desktop.services import audit
from hemlos_desktop.services.client_bulk import insert_checked_clients
from hemlos_desktop.services.clients import clean_or_raise, new_client
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.change_capture import SYNCED_TABLES, write_captured

TODAY = dt.date(2026, 11, 2)
# Values that differ from run to run whatever the path: times and the hashes that cover them.
_TIMELY = frozenset({"created_at", "updated_at", "at", "hash", "prev_hash"})


def _inputs(world: World) -> list[ClientInput]:
    """A varied batch: numbers and none, teams and none, target groups, a protected person."""
    rows: list[ClientInput] = []
    for n in range(40):
        numbered = n % 5 != 0
        rows.append(
            ClientInput(
                id_kind=IdKind.PERSONNUMMER if numbered else IdKind.NONE,
                id_text=pnr(dt.date(1950, 1, 1) + dt.timedelta(days=n)) if numbered else "",
                first_name=f"Förnamn{n}" if numbered else "",
                last_name=("Åberg", "Öberg", "Mørch", "Nilsson")[n % 4] if numbered else "",
                alias="" if numbered else f"Kalle {n}",
                gender=(Gender.WOMAN, Gender.MAN, Gender.OTHER)[n % 3],
                language=("sv", "da", "")[n % 3],
                address=f"Gatan {n}",
                phone=f"070-{n:03d}" if n % 2 else "",
                target_groups=frozenset(
                    g
                    for i, g in enumerate(
                        (TargetGroup.SUBSTANCE_ABUSE, TargetGroup.YOUNG_ADULT, TargetGroup.OVER_65)
                    )
                    if (n >> i) & 1
                ),
                team_id=(world.team_a, world.team_b, None)[n % 3],
                responsible_user_id=(None, world.actors["anna"].user_id)[n % 2],
                protected_identity=n == 7,
            )
        )
    return rows


def _per_object(world: World, cleans: list[CleanClient], actor_name: str) -> None:
    """The clients as ORM objects in the same batches, captured after each flush and written
    at the commit (the import's former path)."""
    actor = world.actors[actor_name]
    half = len(cleans) // 2
    with world.db.begin() as session:
        for batch in (cleans[:half], cleans[half:]):
            clients = [new_client(actor, clean) for clean in batch]
            session.add_all(clients)
            session.flush()
            session.add_all(
                ClientTargetGroup(client_id=client.id, target_group=group.value)
                for client, clean in zip(clients, batch, strict=True)
                for group in sorted(clean.data.target_groups)
            )
            audit.record_many(session, actor, AuditAction.IMPORT, [c.id for c in clients])


def _bulk(world: World, cleans: list[CleanClient], actor_name: str) -> None:
    """As the import writes them: in batches, the outbox written after each (its field clocks
    at the commit)."""
    half = len(cleans) // 2
    with world.db.begin() as session:
        for batch in (cleans[:half], cleans[half:]):
            insert_checked_clients(session, world.actors[actor_name], batch)
            write_captured(session, world.db)


def _labels(world: World) -> dict[str, str]:
    """Every record's uid -> table and id (the same in both databases; uids are random)."""
    labels: dict[str, str] = {}
    with world.db.read() as session:
        for table in SYNCED_TABLES:
            try:
                rows = session.execute(text(f"SELECT uid, id FROM {table}")).all()
            except Exception:  # a link table without a uid or an id of its own
                continue
            labels.update({str(uid): f"{table}#{row_id}" for uid, row_id in rows if uid})
    return labels


def _label(value: Any, labels: dict[str, str]) -> Any:
    if isinstance(value, str):
        return "/".join(labels.get(part, part) for part in value.split("/"))
    return value


def _outbox(world: World) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """(the outbox rows without their numbers and times, the field clocks), uids as labels."""
    labels = _labels(world)
    with world.db.read() as session:
        changes = session.scalars(select(SyncChange).order_by(SyncChange.seq)).all()
        position = {change.seq: n for n, change in enumerate(changes)}
        rows = []
        for change in changes:
            fields = {
                name: "<time>" if name in _TIMELY else _label(value, labels)
                for name, value in json.loads(change.fields).items()
            }
            rows.append(
                (
                    change.table_name,
                    _label(change.record_uid, labels),
                    change.op,
                    # As text: true and 1 are different values to the server.
                    json.dumps(fields, sort_keys=True),
                    change.immutable,
                    _label(change.client_uid, labels),
                    _label(change.user_uid, labels),
                    change.username,
                    change.sent_at,
                )
            )
        clocks = sorted(
            (
                clock.table_name,
                _label(clock.record_uid, labels),
                clock.field,
                clock.version,
                position[clock.last_seq],
            )
            for clock in session.scalars(select(SyncFieldClock))
        )
    return rows, clocks


def _world(folder: Path) -> World:
    return World(open_workspace(DataLocation(folder)))


def test_bulk_inserts_capture_what_the_per_object_path_captures(tmp_path: Path) -> None:
    ours, theirs = _world(tmp_path / "bulk"), _world(tmp_path / "objects")
    try:
        for world in (ours, theirs):
            # An earlier change in the log, so the new entries chain on to something.
            world.add("Redan", "Här", number=pnr(dt.date(1940, 1, 1), "105"))
        for actor_name in ("admin", "anna"):
            if actor_name == "admin":
                inputs = _inputs(ours)
            else:  # a caseworker's import: the author's team and responsibility by default
                inputs = [ClientInput(IdKind.NONE, alias=f"Ny {n}") for n in range(8)]
            _bulk(ours, [clean_or_raise(data, TODAY) for data in inputs], actor_name)
            _per_object(theirs, [clean_or_raise(data, TODAY) for data in inputs], actor_name)
        bulk_rows, bulk_clocks = _outbox(ours)
        object_rows, object_clocks = _outbox(theirs)
    finally:
        ours.db.dispose()
        theirs.db.dispose()
    assert len(bulk_rows) == len(object_rows) > 2 * 40
    for mine, reference in zip(bulk_rows, object_rows, strict=True):
        assert mine == reference
    # Neither path writes field clocks for records it inserts (models/sync.py).
    assert bulk_clocks == object_clocks == []
    # Every column of a new client travels, references as uids.
    client = next(
        json.loads(row[3]) for row in bulk_rows if row[0] == "clients" and '"teams#' in row[3]
    )
    assert client["team_id"].startswith("teams#")
    assert {"sort_key_sv", "sort_key_da", "retention_hold", "protected_identity"} <= set(client)


def test_the_import_writes_the_same_rows_as_one_client_registered_by_hand(
    world: World, tmp_path: Path
) -> None:
    """The bulk row of a client equals the row the register form writes for the same input."""
    from hemlos_desktop.models.client import Client
    from hemlos_desktop.services.clients import register_client

    data = _inputs(world)[3]  # team A, Anna responsible, a number, target groups
    other = dataclasses.replace(data, id_text=_inputs(world)[4].id_text)
    by_hand = register_client(world.db, world.actors["anna"], data, today=TODAY).value
    with world.db.begin() as session:
        (imported,) = insert_checked_clients(
            session, world.actors["anna"], [clean_or_raise(other, TODAY)]
        )
    columns = [c for c in Client.__table__.columns if c.name not in {"id", "uid", "id_number"}]
    with world.db.read() as session:
        one, two = (
            session.execute(select(*columns).where(Client.id == client_id)).one()._asdict()
            for client_id in (by_hand, imported)
        )
    for row in (one, two):
        for name in ("created_at", "updated_at", "id_search", "birth_date"):
            row.pop(name)
    assert one == two
