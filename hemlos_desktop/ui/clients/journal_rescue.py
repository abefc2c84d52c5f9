"""The journal's last line of defence: when the window closes and the database will not take the
note being typed (disk full, a write lock held for long), ask, and keep the note in a file
outside the database (``services.journal_rescue``); when the client's journal opens again, put
kept notes back into the database as drafts. At quit, where nobody can be asked, the note is
kept without asking."""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtWidgets import QMessageBox, QWidget

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import ngettext
from hemlos_desktop.models.client import JournalCategory
from hemlos_desktop.services import journal_rescue
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.errors import show_error
from hemlos_desktop.ui.operations import run_operation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NoteInEditor:
    """What the journal's editor holds, as it would be saved."""

    client_id: int
    draft_id: int | None
    entry_date: dt.date
    category: JournalCategory
    text: str
    corrects_id: int | None


class KeepingJournal(Protocol):
    """What this module needs of the journal widget."""

    @property
    def context(self) -> UiContext: ...

    @property
    def client_id(self) -> int: ...

    def has_unsaved_text(self) -> bool: ...

    def note_in_editor(self) -> NoteInEditor: ...

    def try_save(self) -> HemlosError | None: ...

    def mark_kept_outside(self) -> None: ...

    def autosave_suspended(self) -> AbstractContextManager[None]: ...


def ask_to_keep(parent: QWidget, error: HemlosError) -> bool:
    """Ask whether to keep the note outside the database and close (True) or stay (False)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("The note is not saved"))
    box.setText(_("The note you are writing could not be saved in the database."))
    box.setInformativeText(
        "\n\n".join(
            (
                error.message(),
                _(
                    "Keep it in a file on this computer, outside the database? It comes back "
                    "as a draft the next time you open this client's journal."
                ),
            )
        )
    )
    keep = box.addButton(_("&Keep the note and close"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("&Stay in the program"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setAccessibleName(_("The note is not saved"))
    box.exec()
    return box.clickedButton() is keep


def keep_outside(journal: KeepingJournal) -> HemlosError | None:
    """Keep the editor's note in a file outside the database; the error if even that failed."""
    note = journal.note_in_editor()
    ctx = journal.context
    try:
        journal_rescue.keep_outside(
            ctx.db,
            ctx.actor,
            note.client_id,
            draft_id=note.draft_id,
            entry_date=note.entry_date,
            category=note.category,
            text=note.text,
            corrects_id=note.corrects_id,
        )
    except HemlosError as error:
        log.error("a journal note could not be kept outside the database: %s", type(error).__name__)
        return error
    log.warning("a journal note the database refused was kept outside it")
    journal.mark_kept_outside()
    return None


def before_window_closes(journal: KeepingJournal, parent: QWidget) -> bool:
    """Save before the window closes; if the database refuses, ask and keep the note outside
    it. False: the window stays open (the user chose to, or the note could not be kept)."""
    if not journal.has_unsaved_text():
        return True
    error = journal.try_save()
    if error is None:
        return True
    with journal.autosave_suspended():
        if not ask_to_keep(parent, error):
            return False
        failed = keep_outside(journal)
    if failed is None:
        return True
    show_error(parent, failed)
    return False


def before_quit(journal: KeepingJournal) -> None:
    """The program quits: save, or keep the note outside the database without asking."""
    if journal.has_unsaved_text() and journal.try_save() is not None:
        keep_outside(journal)


def take_back_kept(journal: KeepingJournal, parent: QWidget) -> int:
    """Put this client's kept notes back into the database as drafts; the number taken back.
    A note the database still refuses stays in its file (and is tried again next time)."""
    ctx = journal.context
    try:
        notes = journal_rescue.kept_notes_of(ctx.db, ctx.actor, journal.client_id)
    except HemlosError:
        return 0
    taken = 0
    for note in notes:
        done = run_operation(
            parent,
            ctx,
            lambda note=note: journal_rescue.take_back(ctx.db, ctx.actor, note),  # type: ignore[misc]
            on_error=lambda error: log.warning(
                "a kept note is not back yet: %s", type(error).__name__
            ),
        )
        taken += done is not None
    return taken


def taken_back_text(count: int) -> str:
    return ngettext(
        "{count} note that could not be saved when the program closed is back as a draft.",
        "{count} notes that could not be saved when the program closed are back as drafts.",
        count,
    ).format(count=count)
