"""The data folder: where the database, its backups and its key slots live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from hemlos_desktop import APP_ID
from hemlos_desktop.errors import DataFolderError

DATABASE_FILE = "hemlos.db"
# Key slots: the database key wrapped by each user's password and by the recovery key. Backups
# and restores carry this file together with the database.
KEYSLOT_FILE = "hemlos.keys"
# Count of failed unlock attempts (no personal data); machine-local, never backed up.
UNLOCK_ATTEMPTS_FILE = "hemlos.attempts"
BACKUP_FOLDER = "backups"
# Held with an OS lock by the program that has the data folder open (see storage.instance).
LOCK_FILE = "hemlos.lock"
ENV_DATA_DIR = "HEMLOS_DATA_DIR"


def default_data_dir() -> Path:
    return platformdirs.user_data_path(APP_ID, appauthor=False)


def demo_data_dir() -> Path:
    """The demo database lives in a folder of its own, never beside real records."""
    return platformdirs.user_data_path(APP_ID + "-demo", appauthor=False)


def log_dir() -> Path:
    return platformdirs.user_log_path(APP_ID, appauthor=False)


def config_dir() -> Path:
    return platformdirs.user_config_path(APP_ID, appauthor=False)


def site_config_dirs() -> list[Path]:
    """Folders where municipal IT may put a system-wide ``settings.json``."""
    joined = platformdirs.site_config_dir(APP_ID, appauthor=False, multipath=True)
    return [Path(part) for part in joined.split(os.pathsep) if part]


@dataclass(frozen=True)
class DataLocation:
    """A data folder and the files the program keeps in it."""

    folder: Path

    @property
    def database(self) -> Path:
        return self.folder / DATABASE_FILE

    @property
    def keyslots(self) -> Path:
        return self.folder / KEYSLOT_FILE

    @property
    def unlock_attempts(self) -> Path:
        return self.folder / UNLOCK_ATTEMPTS_FILE

    @property
    def backups(self) -> Path:
        return self.folder / BACKUP_FOLDER

    @property
    def lock_file(self) -> Path:
        return self.folder / LOCK_FILE

    @classmethod
    def resolve(
        cls, explicit: str | os.PathLike[str] | None = None, *, fallback: Path | None = None
    ) -> DataLocation:
        """``--data-dir`` first, then ``HEMLOS_DATA_DIR``, then the configured or default folder."""
        if explicit:
            return cls(Path(explicit).expanduser())
        env = os.environ.get(ENV_DATA_DIR)
        if env:
            return cls(Path(env).expanduser())
        return cls(fallback if fallback is not None else default_data_dir())

    def ensure(self) -> None:
        """Create the folder if needed; raise DataFolderError when it cannot be used."""
        from hemlos_desktop.storage.files import ensure_private_dir

        try:
            ensure_private_dir(self.folder)
        except OSError as exc:
            raise DataFolderError(f"cannot create data folder (errno {exc.errno})") from exc
        if not self.folder.is_dir() or not os.access(self.folder, os.R_OK | os.X_OK):
            raise DataFolderError("data folder is not a readable folder")
