"""Work around a reference-count bug of PySide6/shiboken6 6.12 on Python 3.11.

Every call of a Qt method that returns ``void`` (``QPainter.drawLine``, ``QLabel.setText``, ...)
takes one reference from ``None`` without having given one. Python 3.12 and later make ``None``
immortal, so nothing happens there; on 3.11 ``None`` reaches zero after a few thousand calls and
the interpreter aborts with "none_dealloc: deallocating None". A chart repaint makes hundreds of
such calls. Until the dependency is fixed (or the program requires Python 3.12), give ``None``
a reference count that cannot run out, which is what Python 3.12 does anyway.
"""

from __future__ import annotations

import ctypes
import sys

_RESERVE = 1 << 40


def keep_none_alive() -> None:
    """Make ``None`` effectively immortal on Python < 3.12 (no-op on later versions)."""
    if sys.version_info >= (3, 12):
        return
    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field
    if refcount.value < _RESERVE:
        refcount.value += _RESERVE
