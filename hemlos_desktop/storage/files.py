"""Atomic file writes (temporary name, flush, fsync, rename), private file modes, and the
temporary folders of PDFs on their way to the printer.

Every file the program writes is the user's only: atomic writes make 0600 files (``mkstemp``),
folders the program creates are 0700."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from hemlos_desktop.storage.errors import classify


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (no-op where directories cannot be opened, as on Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_binary(path: Path) -> Iterator[BinaryIO]:
    """Write ``path`` so that it either appears complete or not at all.

    The data goes to a temporary file in the same folder, is flushed and fsynced, and is then
    renamed over ``path``; on any failure the temporary file is removed and ``path`` is untouched.
    """
    try:
        ensure_private_dir(path.parent)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    except OSError as exc:
        raise (classify(exc) or exc) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            known = classify(exc)
            if known is not None:
                raise known from exc
        raise


@contextlib.contextmanager
def atomic_text(
    path: Path, *, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[TextIO]:
    """Text version of :func:`atomic_binary`."""
    with atomic_binary(path) as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline=newline)
        yield text
        text.flush()
        text.detach()


def write_bytes_atomic(path: Path, data: bytes) -> None:
    with atomic_binary(path) as handle:
        handle.write(data)


def write_text_atomic(path: Path, text: str) -> None:
    with atomic_text(path) as handle:
        handle.write(text)


# -- files the program writes are the user's only ----------------------------------------------

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def make_private(path: Path) -> None:
    """Readable and writable by the user only (0600; best effort, no-op on Windows)."""
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.chmod(path, PRIVATE_FILE_MODE)


def ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` and its missing parents with mode 0700 (existing ones are left)."""
    missing: list[Path] = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for part in reversed(missing):
        try:
            part.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            continue
        if os.name == "posix":  # mkdir's mode is reduced by the umask
            with contextlib.suppress(OSError):
                os.chmod(part, PRIVATE_DIR_MODE)


# -- temporary PDFs for printing ----------------------------------------------------------------

TEMP_PREFIX = "hemlos-"
"""Every folder the program makes in the system's temporary folder starts with this."""
PRINT_FOLDER_PREFIX = f"{TEMP_PREFIX}print-"


def new_print_folder() -> Path:
    """A private temporary folder for one PDF on its way to the printer."""
    return Path(tempfile.mkdtemp(prefix=PRINT_FOLDER_PREFIX))


def remove_print_folders(*, older_than_seconds: float = 0, temp_dir: Path | None = None) -> int:
    """Remove the print folders this user left in the temporary folder (a PDF handed to a
    viewer or the system's print command); returns how many. Run at start and at the end."""
    import shutil
    import time

    base = temp_dir if temp_dir is not None else Path(tempfile.gettempdir())
    removed = 0
    now = time.time()
    for folder in base.glob(f"{PRINT_FOLDER_PREFIX}*"):
        try:
            info = folder.stat()
        except OSError:
            continue
        if not folder.is_dir() or now - info.st_mtime < older_than_seconds:
            continue
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed
