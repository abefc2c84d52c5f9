"""Nothing typed is lost when the database will not take it: the journal note being written is
kept in a file outside the database (``storage.kept_notes``: sealed with the database's key, the
user's only, a random name) and goes back into the database as a draft when the client's journal
opens again and the database takes it.

Use cases: :func:`keep_outside` (the window closes while saves fail), :func:`kept_notes` (the
actor's kept notes for a client) and :func:`take_back` (one kept note into the database; the
file is deleted only after the draft is committed). No access-log entry: keeping a draft the
database refused reads nothing, and taking it back is the same as the autosave of a draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.models.client import JournalCategory
from hemlos_desktop.services import journal
from hemlos_desktop.services.actor import Actor, require_write
from hemlos_desktop.services.changes import Outcome
from hemlos_desktop.storage import Database, kept_notes
from hemlos_desktop.storage.crypto import KeyStore


@dataclass(frozen=True)
class KeptNote:
    """A journal note kept outside the database."""

    name: str  # the file's (random) name
    client_id: int
    user_id: int
    draft_id: int | None  # the draft it was saved to before, if any
    entry_date: dt.date
    category: JournalCategory
    corrects_id: int | None
    text: str
    kept_at: dt.datetime  # UTC


def keep_outside(  # noqa: PLR0913 - the fields of a journal draft
    db: Database,
    actor: Actor,
    client_id: int,
    *,
    draft_id: int | None,
    entry_date: dt.date,
    category: JournalCategory,
    text: str,
    corrects_id: int | None = None,
) -> str:
    """Keep the note in a file outside the database (never touches the database); returns the
    file's name. Raises DiskFullError or ReadOnlyStorageError when even that is impossible."""
    require_write(actor)
    data: dict[str, Any] = {
        "client_id": client_id,
        "user_id": actor.user_id,
        "draft_id": draft_id,
        "entry_date": entry_date.isoformat(),
        "category": category.value,
        "corrects_id": corrects_id,
        "text": text,
        "kept_at": dt.datetime.now(dt.UTC).isoformat(),
    }
    return kept_notes.write(db.location, db.data_key, data)


def _note(name: str, data: dict[str, Any]) -> KeptNote | None:
    try:
        return KeptNote(
            name=name,
            client_id=int(data["client_id"]),
            user_id=int(data["user_id"]),
            draft_id=None if data.get("draft_id") is None else int(data["draft_id"]),
            entry_date=dt.date.fromisoformat(str(data["entry_date"])),
            category=JournalCategory(str(data["category"])),
            corrects_id=None if data.get("corrects_id") is None else int(data["corrects_id"]),
            text=str(data["text"]),
            kept_at=dt.datetime.fromisoformat(str(data["kept_at"])),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _earlier_keys(db: Database) -> list[bytes]:
    """The database's keys before the current one, oldest first (none for a plain database
    or a key file that cannot be read: those notes are then skipped, never deleted)."""
    if db.data_key is None:
        return []
    try:
        return KeyStore.load(db.location).previous_keys(db.data_key)
    except (HemlosError, OSError, ValueError):
        return []


def kept_notes_of(db: Database, actor: Actor, client_id: int | None = None) -> list[KeptNote]:
    """The actor's kept notes (for one client, or all), oldest first."""
    kept = kept_notes.read_all(db.location, db.data_key, lambda: _earlier_keys(db))
    notes = (_note(f.name, f.data) for f in kept)
    return [
        note
        for note in notes
        if note is not None
        and note.user_id == actor.user_id
        and (client_id is None or note.client_id == client_id)
    ]


def take_back(db: Database, actor: Actor, note: KeptNote) -> Outcome[int]:
    """Put a kept note back into the database as a draft (the same draft when it is still the
    actor's open draft, else a new one); the file goes only once the draft is committed.
    Raises the database's known errors while it still will not take it (the file stays)."""
    require_write(actor)
    draft_id = note.draft_id
    if draft_id is not None:
        open_ids = {d.id for d in journal.open_drafts(db, actor, note.client_id)}
        if draft_id not in open_ids:
            draft_id = None  # signed or discarded since: the kept text becomes a new draft
    saved = journal.save_draft(
        db,
        actor,
        note.client_id,
        draft_id=draft_id,
        entry_date=note.entry_date,
        category=note.category,
        text=note.text,
        corrects_id=note.corrects_id,
    )
    kept_notes.remove(db.location, note.name)
    return saved
