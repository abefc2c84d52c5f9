"""One program per data folder: an OS-level lock on a file in the data folder.

The lock is a byte-range/flock lock held on an open file (``fcntl.flock`` on Unix,
``msvcrt.locking`` on Windows). The operating system drops it when the process ends, however it
ends (a kill, a power cut of the process), so a stale lock can never keep the user out.

The GUI holds the lock while it runs; command-line commands that write (``restore``) take it
too and refuse to run while someone holds it; read-only commands (``check``, ``backup``) do not
need it. The Qt part (bringing the running window to the front) lives in ``ui.instance``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from pathlib import Path
from types import TracebackType
from typing import IO

from hemlos_desktop import APP_ID
from hemlos_desktop.errors import AnotherInstanceError
from hemlos_desktop.storage.errors import classify
from hemlos_desktop.storage.paths import DataLocation

log = logging.getLogger(__name__)


def instance_key(folder: Path) -> str:
    """A name for the data folder that is safe to publish (no user or path in it).

    Used for the local socket of the running GUI; the same folder always gives the same name.
    """
    try:
        resolved = folder.expanduser().resolve()
    except OSError:
        resolved = folder.expanduser().absolute()
    digest = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:20]
    return f"{APP_ID}-{digest}"


def _try_lock(handle: IO[bytes]) -> bool:
    """Take the lock without waiting; False when another process holds it."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        if exc.errno in (11, 13, 35):  # EAGAIN / EACCES / EWOULDBLOCK on some systems
            return False
        raise
    return True


def _unlock(handle: IO[bytes]) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class InstanceLock:
    """The data folder's lock. ``acquire()`` raises AnotherInstanceError when it is held.

    Usable as a context manager. The lock file itself is left in place (it holds no data);
    only the OS lock on it matters.
    """

    def __init__(self, location: DataLocation) -> None:
        self.location = location
        self._handle: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> None:
        if self._handle is not None:
            return
        self.location.ensure()
        try:
            handle = open(self.location.lock_file, "a+b")  # noqa: SIM115 - kept open while held
        except OSError as exc:
            raise (classify(exc) or exc) from exc
        try:
            locked = _try_lock(handle)
        except OSError as exc:
            handle.close()
            raise (classify(exc) or exc) from exc
        if not locked:
            handle.close()
            raise AnotherInstanceError("data folder lock held")
        self._handle = handle
        log.debug("data folder lock taken")

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        try:
            _unlock(handle)
        except OSError:
            log.debug("unlocking the data folder failed; closing releases it", exc_info=True)
        finally:
            handle.close()

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def is_locked(location: DataLocation) -> bool:
    """True when another process (or another lock object) holds the data folder's lock."""
    if not location.lock_file.exists():
        return False
    probe = InstanceLock(location)
    try:
        probe.acquire()
    except AnotherInstanceError:
        return True
    probe.release()
    return False
