"""Freed memory goes back to the operating system a moment after the work that freed it.

With glibc (Linux), memory that Python and SQLite free stays in the allocator's arenas (one for
each thread that allocated) and still counts as the process's resident memory; the allocator
gives back on its own only what lies at the top of the main arena. The client list searches on
worker threads, and at 200,000 clients a third of the resident memory after a few searches and
case files was such freed memory. ``malloc_trim(0)`` returns the free pages of every arena: about
10 ms when there is much to return, well under a millisecond otherwise. Other C libraries
(Windows, macOS, musl) have no such call, and there this does nothing.

The places where work ends (``run_query``, ``run_operation``, background work delivered to the
GUI thread, a page of the client list read) call :func:`schedule_memory_release`; once nothing
has called it for :data:`RELEASE_DELAY_MS`, the free pages are returned
(:func:`release_free_memory`). The delay keeps it out of the way of typing and
scrolling: it runs when the person pauses.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QTimer

RELEASE_DELAY_MS = 400

_Trim = Callable[[int], int]


class _Libc:
    loaded = False
    trim: _Trim | None = None


def _malloc_trim() -> _Trim | None:
    if not _Libc.loaded:
        _Libc.loaded = True
        if sys.platform.startswith("linux"):
            import ctypes  # here: the start does not wait for it

            try:
                function = ctypes.CDLL("libc.so.6").malloc_trim
            except (OSError, AttributeError):  # not glibc
                return None
            function.argtypes = [ctypes.c_size_t]
            function.restype = ctypes.c_int
            _Libc.trim = function
    return _Libc.trim


def release_free_memory() -> bool:
    """Give the allocator's free pages back to the system; True if anything could be asked."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


class _Release:
    timer: QTimer | None = None
    releases = 0  # how many times memory was released (tests read it)


def _released() -> None:
    if release_free_memory():
        _Release.releases += 1


def schedule_memory_release() -> None:
    """Release freed memory once the program has been idle for a moment (GUI thread only)."""
    app = QCoreApplication.instance()
    if app is None:
        return
    timer = _Release.timer
    if timer is None or not shiboken6.isValid(timer):
        timer = QTimer(app)
        timer.setSingleShot(True)
        timer.setInterval(RELEASE_DELAY_MS)
        timer.timeout.connect(_released)
        _Release.timer = timer
    timer.start()


def releases() -> int:
    return _Release.releases
