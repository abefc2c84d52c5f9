"""The journal: drafts saved while typing, signing, and visible corrections.

A signed entry is never changed. A correction is a new entry that points at the signed entry
it corrects; both stay readable side by side.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import BindParameter, Update, bindparam, or_, select, update
from sqlalchemy.orm import Session, aliased

from hemlos_desktop.errors import HemlosError, NotFoundError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.base import utcnow
from hemlos_desktop.models.client import Client, JournalCategory, JournalEntry, JournalStatus
from hemlos_desktop.models.people import User
from hemlos_desktop.models.text import LONG_TEXT_MAX, clean_block
from hemlos_desktop.models.validation import FieldError, ValidationFailed, too_long
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import (
    Actor,
    load_visible_client,
    require_write,
    visible_clients_clause,
)
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.storage import Database


class SignedEntryError(HemlosError):
    def title(self) -> str:
        return _("The entry is signed")

    def message(self) -> str:
        return _("A signed journal entry cannot be changed.")

    def advice(self) -> str:
        return _("Write a correction instead; it is shown beside the original entry.")


@dataclass(frozen=True)
class JournalEntryInfo:
    id: int
    client_id: int
    entry_date: dt.date
    category: JournalCategory
    text: str
    status: JournalStatus
    author: str
    author_id: int | None
    signed_at: dt.datetime | None
    corrects_id: int | None
    corrected_by_ids: tuple[int, ...]
    updated_at: dt.datetime

    @property
    def signed(self) -> bool:
        return self.status is JournalStatus.SIGNED


@dataclass(frozen=True)
class DraftInfo:
    id: int
    client_id: int
    entry_date: dt.date
    category: JournalCategory
    text: str
    corrects_id: int | None
    updated_at: dt.datetime


def _validate(entry_date: dt.date | None, text: str, today: dt.date) -> list[FieldError]:
    errors: list[FieldError] = []
    if entry_date is None:
        errors.append(FieldError("entry_date", _("Enter the date of the entry.")))
    elif entry_date > today:
        errors.append(FieldError("entry_date", _("The date of the entry is in the future.")))
    if len(text) > LONG_TEXT_MAX:
        errors.append(FieldError("text", too_long(LONG_TEXT_MAX)))
    return errors


def _own_draft(session: Session, actor: Actor, draft_id: int) -> JournalEntry:
    entry = session.get(JournalEntry, draft_id)
    if entry is None:
        raise NotFoundError("journal entry")
    if entry.status == JournalStatus.SIGNED.value:
        raise SignedEntryError("signed entry")
    if entry.author_id != actor.user_id:
        raise NotFoundError("draft of another user")
    return entry


def save_draft(
    db: Database,
    actor: Actor,
    client_id: int,
    *,
    draft_id: int | None,
    entry_date: dt.date,
    category: JournalCategory,
    text: str,
    corrects_id: int | None = None,
) -> Outcome[int]:
    """Save what is typed so far (creating the draft the first time); the value is its id.

    Drafts keep the text exactly as typed (even an over-long text is kept; signing refuses it).
    """
    require_write(actor)
    if draft_id is not None and _update_own_draft(
        db, actor, client_id, draft_id, entry_date=entry_date, category=category, text=text
    ):
        return Outcome(draft_id, ChangeSet.of(ChangeKind.JOURNAL, client_id))
    with db.begin() as session:
        load_visible_client(session, actor, client_id)
        if draft_id is None:
            entry = JournalEntry(
                client_id=client_id,
                author_id=actor.user_id,
                status=JournalStatus.DRAFT.value,
                corrects_id=corrects_id,
            )
            session.add(entry)
        else:
            entry = _own_draft(session, actor, draft_id)
            if entry.client_id != client_id:
                raise NotFoundError("draft of another client")
        entry.entry_date = entry_date
        entry.category = category.value
        entry.text = text
        session.flush()
        return Outcome(entry.id, ChangeSet.of(ChangeKind.JOURNAL, client_id))


def _update_own_draft(
    db: Database,
    actor: Actor,
    client_id: int,
    draft_id: int,
    *,
    entry_date: dt.date,
    category: JournalCategory,
    text: str,
) -> bool:
    """The autosave's fast path: one UPDATE that changes the row only if it is the actor's own
    unsigned draft of a client they may see. False when nothing matched; the caller then takes
    the full path, which raises the precise error."""
    params = {
        "p_draft_id": draft_id,
        "p_client_id": client_id,
        "p_author_id": actor.user_id,
        "p_entry_date": entry_date,
        "p_category": category.value,
        "p_text": text,
    }
    with db.begin_core() as conn:
        result = conn.execute(_draft_update_statement(actor), params)
        return bool(result.rowcount == 1)


@lru_cache(maxsize=16)
def _draft_update_statement(actor: Actor) -> Update:
    """Built once per actor: a reused statement skips SQLAlchemy's construction and cache key."""
    client_id: BindParameter[int] = bindparam("p_client_id")
    visible = select(Client.id).where(Client.id == client_id, visible_clients_clause(actor))
    return (
        update(JournalEntry)
        .where(
            JournalEntry.id == bindparam("p_draft_id"),
            JournalEntry.client_id == client_id,
            JournalEntry.author_id == bindparam("p_author_id"),
            JournalEntry.status == JournalStatus.DRAFT.value,
            JournalEntry.client_id.in_(visible),
        )
        .values(
            entry_date=bindparam("p_entry_date"),
            category=bindparam("p_category"),
            text=bindparam("p_text"),
        )
    )


def sign_entry(
    db: Database, actor: Actor, draft_id: int, *, today: dt.date | None = None
) -> Outcome[None]:
    """Make a draft final: author and time recorded; the text can never change again."""
    require_write(actor)
    today = today or dt.date.today()
    with db.begin() as session:
        entry = _own_draft(session, actor, draft_id)
        load_visible_client(session, actor, entry.client_id)
        text = clean_block(entry.text)
        errors = _validate(entry.entry_date, text, today)
        if not text.strip():
            errors.append(FieldError("text", _("Write the note before signing it.")))
        if errors:
            raise ValidationFailed(errors)
        entry.text = text
        entry.status = JournalStatus.SIGNED.value
        entry.signed_at = utcnow()
        entry.signed_by_id = actor.user_id
        audit.record(session, actor, AuditAction.SIGN, client_id=entry.client_id, detail="journal")
        return Outcome(None, ChangeSet.of(ChangeKind.JOURNAL, entry.client_id))


def start_correction(db: Database, actor: Actor, entry_id: int) -> Outcome[int]:
    """Begin a correction of a signed entry; the value is the new draft's id."""
    require_write(actor)
    with db.read() as session:
        original = session.get(JournalEntry, entry_id)
        if original is None:
            raise NotFoundError("journal entry")
        load_visible_client(session, actor, original.client_id)
        if original.status != JournalStatus.SIGNED.value:
            raise NotFoundError("only signed entries are corrected")
        client_id, category = original.client_id, JournalCategory(original.category)
    return save_draft(
        db,
        actor,
        client_id,
        draft_id=None,
        entry_date=dt.date.today(),
        category=category,
        text="",
        corrects_id=entry_id,
    )


def discard_draft(db: Database, actor: Actor, draft_id: int) -> Outcome[None]:
    require_write(actor)
    with db.begin() as session:
        entry = _own_draft(session, actor, draft_id)
        client_id = entry.client_id
        session.delete(entry)
    return Outcome(None, ChangeSet.of(ChangeKind.JOURNAL, client_id))


def list_entries(
    db: Database,
    actor: Actor,
    client_id: int,
    *,
    limit: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[JournalEntryInfo]:
    """Signed entries (and the actor's own drafts), newest first, with their corrections."""
    author = aliased(User)
    with db.read() as session:
        load_visible_client(session, actor, client_id)
        stmt = (
            select(JournalEntry, author.display_name)
            .outerjoin(author, author.id == JournalEntry.author_id)
            .where(
                JournalEntry.client_id == client_id,
                or_(
                    JournalEntry.status == JournalStatus.SIGNED.value,
                    JournalEntry.author_id == actor.user_id,
                ),
            )
            .order_by(JournalEntry.entry_date.desc(), JournalEntry.id.desc())
        )
        if since is not None:
            stmt = stmt.where(JournalEntry.entry_date >= since)
        if until is not None:
            stmt = stmt.where(JournalEntry.entry_date <= until)
        if limit is not None:
            stmt = stmt.limit(limit)
        rows = list(session.execute(stmt))
        ids = [entry.id for entry, _name in rows]
        corrections: dict[int, list[int]] = {}
        if ids:
            for cid, target in session.execute(
                select(JournalEntry.id, JournalEntry.corrects_id).where(
                    JournalEntry.corrects_id.in_(ids),
                    JournalEntry.status == JournalStatus.SIGNED.value,
                )
            ):
                if target is not None:
                    corrections.setdefault(target, []).append(cid)
        return [
            JournalEntryInfo(
                id=entry.id,
                client_id=entry.client_id,
                entry_date=entry.entry_date,
                category=JournalCategory(entry.category),
                text=entry.text,
                status=JournalStatus(entry.status),
                author=name or "",
                author_id=entry.author_id,
                signed_at=entry.signed_at,
                corrects_id=entry.corrects_id,
                corrected_by_ids=tuple(sorted(corrections.get(entry.id, []))),
                updated_at=entry.updated_at,
            )
            for entry, name in rows
        ]


def open_drafts(db: Database, actor: Actor, client_id: int | None = None) -> list[DraftInfo]:
    """The actor's unsigned drafts (after a crash they are all still here)."""
    with db.read() as session:
        stmt = select(JournalEntry).where(
            JournalEntry.author_id == actor.user_id,
            JournalEntry.status == JournalStatus.DRAFT.value,
        )
        if client_id is not None:
            stmt = stmt.where(JournalEntry.client_id == client_id)
        return [
            DraftInfo(
                e.id,
                e.client_id,
                e.entry_date,
                JournalCategory(e.category),
                e.text,
                e.corrects_id,
                e.updated_at,
            )
            for e in session.scalars(stmt.order_by(JournalEntry.updated_at.desc()))
        ]
