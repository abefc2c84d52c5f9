"""Sync with the team server — what exists and the design the next stage builds.

Exists: the outbox (``storage/change_capture.py``, ``models/sync.py``) and :func:`outbox_status`.

Design of ``hemlos-desktop sync`` (not built yet):

* Identity: records travel by ``uid``; integer ids never leave a machine. References in a
  change are uids; applying a change translates them to the receiving side's ids.
* Push: unsent outbox rows in ``seq`` order, in batches, into a server table keyed by
  ``(machine_uid, seq)`` with ``ON CONFLICT DO NOTHING``; the server applies a change only when
  its row was new, in the same server transaction. The laptop marks rows sent only after the
  server committed: a kill at any instant leaves either "not sent" (sent again, ignored as a
  duplicate) or "sent". Row-level security checks every applied row as the person's own role.
* Pull: the server numbers what it accepted (``server_seq``); the laptop keeps the last number it
  applied in ``database_info`` and asks for what came after, from other machines, that its user
  may see. Applied with Core statements, so received changes are not captured again.
* Merge: each pushed field carries the server number of the value it was based on. Different
  fields of one record merge by themselves; the same field changed on both sides since the
  base keeps both values as a conflict (who, when, which machine) until someone decides.
  Immutable records never conflict; drafts never leave the laptop.
* A joined laptop gets a fresh machine uid from ``join`` (a copied database file must not share
  its sequence with the original).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from hemlos_desktop.models.sync import SyncChange
from hemlos_desktop.storage import Database


@dataclass(frozen=True)
class OutboxStatus:
    """How much this laptop has to send: changes waiting, and when the oldest was made."""

    unsent: int
    oldest: dt.datetime | None


def outbox_status(db: Database) -> OutboxStatus:
    with db.read() as session:
        count, oldest = session.execute(
            select(func.count(), func.min(SyncChange.changed_at)).where(
                SyncChange.sent_at.is_(None)
            )
        ).one()
    return OutboxStatus(unsent=int(count), oldest=oldest)
