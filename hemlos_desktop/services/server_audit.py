"""The access logs of every laptop, verified on the team server, one machine's chain at a time.

Each laptop numbers its access-log entries without gaps and chains them by hash
(``services/audit.py``). The sync takes every entry to the server as it was captured
(``sync_log`` rows of table ``audit_log``, keyed by the machine and its outbox sequence), with
the numbers the hash covers (``hash_user_id``, ``hash_client_id``: the laptop's own ids; the
user and client also travel as uids). Here each machine's entries are checked in their order:
numbers without gaps, each entry's hash recomputed, each linked to the one before. A laptop
upgraded from before the team server sent its log from the first entry captured; its chain is
checked from there (anchored on that entry's link), and the report says where it starts.

Needs a connection that may read ``sync_log`` (the IT administrator's, as for ``server
upgrade``). Reports name machines, numbers and times, never a client.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from hemlos_desktop.i18n import N_
from hemlos_desktop.models.audit import GENESIS_HASH, entry_hash
from hemlos_desktop.storage import server

# The problems (English keys in --json; shown translated).
MISSING = N_("an entry is missing")
REPEATED = N_("an entry is repeated or out of order")
MISMATCH = N_("the entry was changed or does not follow the one before")
UNCHECKABLE = N_("the entry lacks the numbers its hash covers")


@dataclass(frozen=True)
class MachineChain:
    """One laptop's access log as the server holds it."""

    machine_uid: str
    entries: int  # entries the server holds from this machine
    verified: int  # entries checked before the first problem (all of them when intact)
    first_id: int | None  # the laptop's number of the first entry held
    last_id: int | None
    last_at: dt.datetime | None
    ok: bool
    first_bad_id: int | None = None
    problem: str = ""

    @property
    def from_start(self) -> bool:
        """Whether the server holds the log from its very first entry."""
        return self.first_id == 1


def verify_server_logs(url: str) -> list[MachineChain]:
    """Check every machine's chain on the server at ``url`` (ServerUnreachableError etc.)."""
    engine = server.server_engine(url)
    try:
        with server.connect(engine) as conn:
            return verify_machine_chains(conn)
    finally:
        engine.dispose()


def verify_machine_chains(conn: Connection) -> list[MachineChain]:
    rows = conn.execution_options(stream_results=True, yield_per=2000).execute(
        text(
            "SELECT machine_uid, fields FROM sync_log WHERE table_name = 'audit_log' "
            "ORDER BY machine_uid, seq"
        )
    )
    return [
        _verify(machine, (_fields(row[1]) for row in group))
        for machine, group in itertools.groupby(rows, key=lambda row: str(row[0]))
    ]


def _fields(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else dict(value)


def _verify(machine: str, entries: Iterator[dict[str, Any]]) -> MachineChain:
    count = verified = 0
    first_id: int | None = None
    last_id: int | None = None
    last_at: dt.datetime | None = None
    bad_id: int | None = None
    problem = ""
    expected_prev: str | None = None
    for fields in entries:
        count += 1
        entry_id = int(fields["id"])
        at = dt.datetime.fromisoformat(str(fields["at"]))
        if first_id is None:
            first_id = entry_id
            expected_prev = GENESIS_HASH if entry_id == 1 else str(fields.get("prev_hash", ""))
        if problem:
            last_id, last_at = entry_id, at
            continue
        expected_id = first_id if last_id is None else last_id + 1
        last_id, last_at = entry_id, at
        if entry_id != expected_id:
            bad_id, problem = (
                (expected_id, MISSING)
                if entry_id > expected_id
                else (
                    entry_id,
                    REPEATED,
                )
            )
            continue
        numbers = _hash_numbers(fields)
        if numbers is None:
            bad_id, problem = entry_id, UNCHECKABLE
            continue
        digest = entry_hash(
            entry_id=entry_id,
            at=at,
            user_id=numbers[0],
            username=str(fields.get("username", "")),
            client_id=numbers[1],
            action=str(fields.get("action", "")),
            detail=str(fields.get("detail", "")),
            prev_hash=str(fields.get("prev_hash", "")),
        )
        if fields.get("prev_hash") != expected_prev or digest != fields.get("hash"):
            bad_id, problem = entry_id, MISMATCH
            continue
        expected_prev = digest
        verified += 1
    return MachineChain(
        machine_uid=machine,
        entries=count,
        verified=verified,
        first_id=first_id,
        last_id=last_id,
        last_at=last_at,
        ok=not problem,
        first_bad_id=bad_id,
        problem=problem,
    )


def _hash_numbers(fields: dict[str, Any]) -> tuple[int | None, int | None] | None:
    """The laptop's user and client numbers the hash covers; None when they were not sent."""
    numbers: list[int | None] = []
    for name in ("user_id", "client_id"):
        if f"hash_{name}" in fields:
            value = fields[f"hash_{name}"]
            numbers.append(None if value is None else int(value))
        elif fields.get(name) is None:
            numbers.append(None)
        else:
            return None
    return numbers[0], numbers[1]
