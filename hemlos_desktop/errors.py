"""Known errors: each says, translated, what happened and what to do next.

Messages never contain personal data; they are safe to log and to show. Bugs are not
modelled here: they reach the excepthook (``hemlos_desktop.app``) and the crash dialog.
"""

from __future__ import annotations

from hemlos_desktop.i18n import gettext as _


class HemlosError(Exception):
    """Base of all known errors. ``exit_code`` is used by the command line."""

    exit_code = 1

    def __init__(self, detail: str = "") -> None:
        # ``detail`` is technical and free of personal data (an SQLite error code, a count).
        super().__init__(detail or type(self).__name__)
        self.detail = detail

    def title(self) -> str:
        return _("Something went wrong")

    def message(self) -> str:
        return _("The action could not be completed.")

    def advice(self) -> str:
        return ""

    def full_text(self) -> str:
        return "\n\n".join(part for part in (self.message(), self.advice()) if part)


class InvalidInputError(HemlosError):
    """User input that breaks a rule; ``field`` names the form field it belongs to."""

    def __init__(self, text: str, *, field: str = "") -> None:
        super().__init__("invalid input" + (f" in {field}" if field else ""))
        self.text = text
        self.field = field

    def title(self) -> str:
        return _("Please check the input")

    def message(self) -> str:
        return self.text


class StorageError(HemlosError):
    """Problems with the database file or the data folder."""


class DatabaseLockedError(StorageError):
    def title(self) -> str:
        return _("The database is busy")

    def message(self) -> str:
        return _("Another program is using the database file right now.")

    def advice(self) -> str:
        return _(
            "Wait a moment and try again. If this keeps happening, close other programs "
            "that may have the file open, such as a backup or synchronisation tool."
        )


class DiskFullError(StorageError):
    def title(self) -> str:
        return _("The disk is full")

    def message(self) -> str:
        return _("There is no room left on the disk, so the change could not be saved.")

    def advice(self) -> str:
        return _(
            "Your text is still in the form. Free some space (empty the waste basket, move "
            "large files), then try again."
        )


class ReadOnlyStorageError(StorageError):
    def title(self) -> str:
        return _("The data folder is read-only")

    def message(self) -> str:
        return _("The program may not write to the data folder or the database file.")

    def advice(self) -> str:
        return _(
            "Check that the folder is not on write-protected media and that you have "
            "permission to write there, or ask your IT department."
        )


class CorruptDatabaseError(StorageError):
    def title(self) -> str:
        return _("The database file is damaged")

    def message(self) -> str:
        return _("The database file is damaged or is not a Hemlös Desktop database.")

    def advice(self) -> str:
        return _(
            "Nothing has been changed or overwritten. Restore the newest backup, or contact "
            "your IT department and keep the damaged file for them."
        )


class DatabaseMissingError(StorageError):
    def title(self) -> str:
        return _("The database file is missing")

    def message(self) -> str:
        return _("The database file was moved or deleted while the program was running.")

    def advice(self) -> str:
        return _("Your text is still in the form. Put the file back, or restore a backup.")


class DatabaseFileMissingError(CorruptDatabaseError):
    """At start: the key file is there but the database file is not. Never replaced by a new,
    empty database (only the set-up makes one); the newest good backup is offered."""

    def title(self) -> str:
        return _("The database file is missing")

    def message(self) -> str:
        return _(
            "The data folder has its key file (hemlos.keys) but no database file (hemlos.db). "
            "No new, empty database was made."
        )

    def advice(self) -> str:
        return _(
            "Restore the newest good backup, or put the database file back. Your IT "
            "department can help if you do not know where it went."
        )


class NewerSchemaError(StorageError):
    def title(self) -> str:
        return _("The database is from a newer version")

    def message(self) -> str:
        return _("This database was made by a newer version of Hemlös Desktop.")

    def advice(self) -> str:
        return _("Nothing has been changed. Install the newer version of the program to open it.")


class MigrationFailedError(StorageError):
    def title(self) -> str:
        return _("The database could not be upgraded")

    def message(self) -> str:
        return _("Upgrading the database to this version of the program failed.")

    def advice(self) -> str:
        return _(
            "The original file is untouched and a copy was saved in the backups folder. "
            "Contact your IT department."
        )


class DataFolderError(StorageError):
    def title(self) -> str:
        return _("The data folder cannot be used")

    def message(self) -> str:
        return _("The data folder does not exist and cannot be created, or cannot be read.")

    def advice(self) -> str:
        return _("Choose another folder with --data-dir, or ask your IT department.")


class AnotherInstanceError(HemlosError):
    def title(self) -> str:
        return _("Hemlös Desktop is already running")

    def message(self) -> str:
        return _("Hemlös Desktop is already open on this data folder.")

    def advice(self) -> str:
        return _("Switch to the open window, or close it before starting the program again.")


class NotFoundError(HemlosError):
    def title(self) -> str:
        return _("Not found")

    def message(self) -> str:
        return _("The record was not found. It may have been removed.")


class AccessDeniedError(HemlosError):
    def title(self) -> str:
        return _("Access denied")

    def message(self) -> str:
        return _("You do not have permission to do this.")
