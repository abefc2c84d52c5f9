"""Known errors of encryption at rest: unlocking, the key file, encrypted database files.

None of them says whether the user name or the password was wrong, and none carries personal
data in its ``detail`` (that text is safe to log).
"""

from __future__ import annotations

from hemlos_desktop.errors import HemlosError, StorageError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import ngettext


class UnlockError(HemlosError):
    """Base of every refused unlock (wrong secret, damaged key file, waiting time)."""

    def title(self) -> str:
        return _("The database could not be unlocked")


class WrongPasswordError(UnlockError):
    """The password does not open this user's key slot (or there is no such user)."""

    def title(self) -> str:
        return _("Wrong user name or password")

    def message(self) -> str:
        return _("The user name or password is wrong.")

    def advice(self) -> str:
        return _(
            "Check the user name and that Caps Lock is off, then try again. If you have "
            "forgotten your password, ask your administrator to set a new one."
        )


class NoSuchUserSlot(WrongPasswordError):
    """No key slot for this user name. Shown exactly like a wrong password."""


class KeySlotTamperedError(UnlockError):
    """The key file, or one key slot in it, was changed or damaged."""

    def title(self) -> str:
        return _("The key file is damaged")

    def message(self) -> str:
        return _(
            "The key file beside the database has been changed or damaged, so it cannot "
            "unlock the database."
        )

    def advice(self) -> str:
        return _(
            "Nothing has been changed. Restore the key file (hemlos.keys) from the newest "
            "backup, or ask your administrator to unlock with the recovery key and set new "
            "passwords."
        )


class WrongRecoveryKeyError(UnlockError):
    def title(self) -> str:
        return _("Wrong recovery key")

    def message(self) -> str:
        return _("This recovery key does not fit the database.")

    def advice(self) -> str:
        return _(
            "Check that the recovery key sheet belongs to this database and that every group "
            "is typed as printed."
        )


class RecoveryKeyTypoError(UnlockError):
    """The typed recovery key is malformed: a wrong length, character or check group."""

    reason: str = "length"
    count: int = 0
    expected: int = 0
    group: int = 0

    LENGTH = "length"
    CHARACTER = "character"
    CHECKSUM = "checksum"

    def __init__(self, reason: str, *, count: int = 0, expected: int = 0, group: int = 0) -> None:
        super().__init__(f"recovery key typo ({reason})")
        self.reason = reason
        self.count = count
        self.expected = expected
        self.group = group

    def title(self) -> str:
        return _("Typing error in the recovery key")

    def message(self) -> str:
        if self.reason == self.LENGTH:
            return ngettext(
                "The recovery key should have {expected} characters, but {count} character "
                "was typed.",
                "The recovery key should have {expected} characters, but {count} characters "
                "were typed.",
                self.count,
            ).format(expected=self.expected, count=self.count)
        if self.reason == self.CHARACTER:
            return _(
                "Group {group} of the recovery key contains a character that is not used."
            ).format(group=self.group)
        return _("The recovery key contains a typing error.")

    def advice(self) -> str:
        return _(
            "Compare each group with the printed sheet. Only digits and the letters A to Z "
            "without U are used; O, I and L are read as 0, 1 and 1."
        )


class UnlockThrottledError(UnlockError):
    """Too many failed attempts: the next attempt is allowed after ``seconds``."""

    seconds: float = 1.0

    def __init__(self, seconds: float) -> None:
        super().__init__(f"unlock delayed {seconds:.1f} s")
        self.seconds = seconds

    def title(self) -> str:
        return _("Please wait")

    def message(self) -> str:
        whole = max(1, round(self.seconds + 0.49))
        return ngettext(
            "There were too many wrong attempts. Try again in {seconds} second.",
            "There were too many wrong attempts. Try again in {seconds} seconds.",
            whole,
        ).format(seconds=whole)


class KeyFileMissingError(StorageError):
    def title(self) -> str:
        return _("The key file is missing")

    def message(self) -> str:
        return _(
            "The database is encrypted, but its key file (hemlos.keys) is not in the data folder."
        )

    def advice(self) -> str:
        return _(
            "Put the key file back beside the database, or restore it from the backup made "
            "together with the database. Without the key file the database cannot be opened, "
            "not even with the recovery key."
        )


class KeyFileExistsError(StorageError):
    def title(self) -> str:
        return _("A key file already exists")

    def message(self) -> str:
        return _("The data folder already has a key file, so no new one was made.")

    def advice(self) -> str:
        return _("Nothing has been changed. Log in with an existing user instead.")


class NewerKeyFileError(StorageError):
    def title(self) -> str:
        return _("The key file is from a newer version")

    def message(self) -> str:
        return _("The key file was made by a newer version of Hemlös Desktop.")

    def advice(self) -> str:
        return _("Nothing has been changed. Install the newer version of the program to open it.")


class DuplicateSlotError(HemlosError):
    def title(self) -> str:
        return _("The user name is taken")

    def message(self) -> str:
        return _("There is already a user with this user name.")

    def advice(self) -> str:
        return _("Choose another user name.")


class LastPasswordSlotError(HemlosError):
    def title(self) -> str:
        return _("The last user cannot be removed")

    def message(self) -> str:
        return _("At least one user must be able to unlock the database with a password.")

    def advice(self) -> str:
        return _("Add another user first, then remove this one.")


class KeyRequiredError(StorageError):
    """An encrypted database was opened without its key."""

    def title(self) -> str:
        return _("The database is encrypted")

    def message(self) -> str:
        return _("The database is encrypted and can only be opened after logging in.")

    def advice(self) -> str:
        return _("Log in with your user name and password.")


class PlainDatabaseError(StorageError):
    """A key was given for a database file that is not encrypted."""

    def title(self) -> str:
        return _("The database is not encrypted")

    def message(self) -> str:
        return _("The database file is not encrypted, although the data folder has a key file.")

    def advice(self) -> str:
        return _(
            "Nothing has been changed. The database file may have been replaced by an old copy. "
            "Contact your IT department."
        )


class EncryptionFailedError(StorageError):
    def title(self) -> str:
        return _("The database could not be encrypted")

    def message(self) -> str:
        return _("The encrypted copy of the database failed its check and was not used.")

    def advice(self) -> str:
        return _(
            "The original file is untouched. Check that there is free space on the disk, then "
            "try again, or contact your IT department."
        )


class NotEncryptedError(StorageError):
    """A plain database from before encryption: it is only opened to be encrypted."""

    def title(self) -> str:
        return _("The database is not encrypted yet")

    def message(self) -> str:
        return _(
            "This database was made before encryption and is not protected. It is only opened "
            "to encrypt it."
        )

    def advice(self) -> str:
        return _(
            "Start the program to set up the administrator and encrypt the database, or run "
            "hemlos-desktop init --admin NAME."
        )


class NoDatabaseError(StorageError):
    """No database in the data folder, and the command may not create one."""

    def title(self) -> str:
        return _("No database in this folder")

    def message(self) -> str:
        return _("There is no database in the data folder. Commands never create one.")

    def advice(self) -> str:
        return _(
            "Check the data folder, or set up a new database by starting the program or with "
            "hemlos-desktop init --admin NAME."
        )
