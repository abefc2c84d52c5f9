"""Retention purge (gallring / sletning): records are removed a set time after the case ended.

Rules per record kind are set by the municipality (stored in the database, so every laptop of
a database follows the same rules). A preview lists what would go; a hold keeps a record past
its date; the purge removes the data completely (rows, then VACUUM so no trace stays in free
pages) and leaves one log entry that holds no personal data.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from hemlos_desktop.errors import AccessDeniedError, NotFoundError
from hemlos_desktop.i18n import N_
from hemlos_desktop.models.audit import AuditAction, PurgedClient
from hemlos_desktop.models.base import DatabaseInfo, utcnow
from hemlos_desktop.models.client import Client, ClientStatus, OutreachContact
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.people import Role
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.storage import Database

RULES_KEY = "retention_rules"


@dataclass(frozen=True)
class RetentionRules:
    """Years to keep each kind of record; 0 means never purge that kind."""

    closed_case_years: int = 5
    unidentified_contact_years: int = 5


RULE_LABELS = {
    "closed_case_years": N_("Closed cases: years after the case was closed"),
    "unidentified_contact_years": N_(
        "People never identified: years after the last outreach contact"
    ),
}


@dataclass(frozen=True)
class PurgeCandidate:
    client_id: int
    reason: str  # "closed_case" | "unidentified"
    since: dt.date  # the date the retention time runs from
    purge_on: dt.date
    held: bool


def _require_admin(actor: Actor) -> None:
    if actor.role is not Role.ADMIN:
        raise AccessDeniedError("retention is administered by administrators")


def get_rules(db: Database) -> RetentionRules:
    with db.read() as session:
        return _rules(session)


def _rules(session: Session) -> RetentionRules:
    row = session.get(DatabaseInfo, RULES_KEY)
    if row is None:
        return RetentionRules()
    try:
        values = json.loads(row.value)
        return RetentionRules(
            closed_case_years=int(values.get("closed_case_years", 5)),
            unidentified_contact_years=int(values.get("unidentified_contact_years", 5)),
        )
    except (ValueError, TypeError, AttributeError):
        return RetentionRules()


def set_rules(db: Database, actor: Actor, rules: RetentionRules) -> Outcome[None]:
    _require_admin(actor)
    for years in (rules.closed_case_years, rules.unidentified_contact_years):
        if not 0 <= years <= 100:
            raise ValueError("years out of range")
    value = json.dumps(
        {
            "closed_case_years": rules.closed_case_years,
            "unidentified_contact_years": rules.unidentified_contact_years,
        }
    )
    with db.begin() as session:
        row = session.get(DatabaseInfo, RULES_KEY)
        if row is None:
            session.add(DatabaseInfo(key=RULES_KEY, value=value))
        else:
            row.value = value
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="retention rules")
    return Outcome(None, ChangeSet.of(ChangeKind.RETENTION))


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def preview(db: Database, actor: Actor, *, today: dt.date | None = None) -> list[PurgeCandidate]:
    """Records whose retention time has run out on ``today`` (held ones included, marked)."""
    _require_admin(actor)
    today = today or dt.date.today()
    found: list[PurgeCandidate] = []
    with db.read() as session:
        rules = _rules(session)
        if rules.closed_case_years:
            rows = session.execute(
                select(Client.id, Client.closed_on, Client.retention_hold).where(
                    Client.status == ClientStatus.CLOSED.value,
                    Client.closed_on.is_not(None),
                    Client.merged_into_id.is_(None),
                    Client.id_kind != IdKind.NONE.value,
                )
            )
            for cid, closed_on, held in rows:
                if closed_on is None:
                    continue
                purge_on = _add_years(closed_on, rules.closed_case_years)
                if purge_on <= today:
                    found.append(PurgeCandidate(cid, "closed_case", closed_on, purge_on, held))
        if rules.unidentified_contact_years:
            last_contact = (
                select(
                    OutreachContact.client_id.label("cid"),
                    func.max(OutreachContact.contact_date).label("last"),
                )
                .group_by(OutreachContact.client_id)
                .subquery()
            )
            unidentified = session.execute(
                select(Client.id, Client.created_at, last_contact.c.last, Client.retention_hold)
                .outerjoin(last_contact, last_contact.c.cid == Client.id)
                .where(Client.id_kind == IdKind.NONE.value, Client.merged_into_id.is_(None))
            )
            for cid, created_at, last, held in unidentified:
                since = last or created_at.date()
                purge_on = _add_years(since, rules.unidentified_contact_years)
                if purge_on <= today:
                    found.append(PurgeCandidate(cid, "unidentified", since, purge_on, held))
    return sorted(found, key=lambda c: (c.purge_on, c.client_id))


def set_hold(
    db: Database, actor: Actor, client_id: int, *, hold: bool, reason: str = ""
) -> Outcome[None]:
    _require_admin(actor)
    with db.begin() as session:
        client = session.get(Client, client_id)
        if client is None:
            raise NotFoundError("client")
        client.retention_hold = hold
        client.retention_hold_reason = reason.strip()[:200] if hold else ""
        audit.record(
            session, actor, AuditAction.CHANGE, client_id=client_id, detail="retention hold"
        )
    return Outcome(None, ChangeSet.of(ChangeKind.RETENTION, client_id))


@dataclass(frozen=True)
class PurgeResult:
    purged: int
    held_kept: int


def purge(db: Database, actor: Actor, *, today: dt.date | None = None) -> Outcome[PurgeResult]:
    """Remove every record whose time has run out and that is not held; then VACUUM."""
    candidates = preview(db, actor, today=today)
    ids = [c.client_id for c in candidates if not c.held]
    held = sum(1 for c in candidates if c.held)
    if ids:
        with db.begin() as session:
            # Unidentified people merged into a purged client go with it.
            merged = list(session.scalars(select(Client.id).where(Client.merged_into_id.in_(ids))))
            for start in range(0, len(ids + merged), 500):
                chunk = (ids + merged)[start : start + 500]
                session.execute(delete(Client).where(Client.id.in_(chunk)))
            moment = utcnow()
            session.add_all(
                PurgedClient(client_id=client_id, purged_at=moment) for client_id in ids + merged
            )
            audit.record(
                session, actor, AuditAction.PURGE, detail=f"{len(ids) + len(merged)} records"
            )
        vacuum(db)
    changes = ChangeSet.all() if ids else ChangeSet.of(ChangeKind.RETENTION)
    return Outcome(PurgeResult(purged=len(ids), held_kept=held), changes)


def vacuum(db: Database) -> None:
    """Rewrite the file so deleted data leaves no trace in free pages or the WAL."""
    with db.engine.connect() as conn:
        driver = conn.connection.dbapi_connection
        assert driver is not None
        driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        driver.execute("VACUUM")
        driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def reapply_purges(session: Session, purged: dict[int, dt.datetime]) -> int:
    """Purge again, in a restored database, the clients purged after its backup was taken.

    Returns how many records were removed; the numbers are kept so a later restore does the
    same. The caller runs :func:`vacuum` after the transaction when anything was removed.
    """
    if not purged:
        return 0
    known = set(session.scalars(select(PurgedClient.client_id)))
    ids = sorted(purged)
    removed = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        removed += len(list(session.scalars(select(Client.id).where(Client.id.in_(chunk)))))
        session.execute(delete(Client).where(Client.id.in_(chunk)))
    session.add_all(
        PurgedClient(client_id=client_id, purged_at=purged[client_id])
        for client_id in ids
        if client_id not in known
    )
    return removed
