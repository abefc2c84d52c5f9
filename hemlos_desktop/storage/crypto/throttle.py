"""Slowing down repeated failed unlocks.

A small file beside the key file counts failed attempts (only a number and a time, nothing
personal). From the third failure on, the next attempt waits 1, 2, 4, ... seconds, at most 30,
counted from the last failure. A successful unlock removes the file. The file never blocks a
start: a damaged one counts as no failures, and a clock set back waits at most the cap.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.storage.crypto.errors import UnlockThrottledError
from hemlos_desktop.storage.files import write_text_atomic

log = logging.getLogger(__name__)

FREE_ATTEMPTS = 2
MAX_DELAY_SECONDS = 30.0

Clock = Callable[[], float]
Sleep = Callable[[float], None]


def delay_after(failures: int) -> float:
    """Seconds to wait after ``failures`` failed attempts in a row: 0, 0, 1, 2, 4, ... 30."""
    if failures <= FREE_ATTEMPTS:
        return 0.0
    return min(MAX_DELAY_SECONDS, 2.0 ** min(failures - FREE_ATTEMPTS - 1, 16))


class UnlockThrottle:
    """The persistent failure counter for one data folder."""

    def __init__(self, path: Path, *, clock: Clock = time.time, sleep: Sleep = time.sleep) -> None:
        self.path = path
        self._clock = clock
        self._sleep = sleep

    def _read(self) -> tuple[int, float]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            failures, last = data["failures"], data["last_failure"]
            if type(failures) is int and isinstance(last, int | float) and failures >= 0:
                return failures, float(last)
        except FileNotFoundError:
            return 0, 0.0
        except (OSError, ValueError, KeyError, TypeError):
            pass
        log.warning("unlock attempt counter unreadable; starting from zero")
        return 0, 0.0

    @property
    def failures(self) -> int:
        return self._read()[0]

    def remaining(self) -> float:
        """Seconds before the next attempt is allowed (0 when it may happen now)."""
        failures, last = self._read()
        delay = delay_after(failures)
        if delay <= 0:
            return 0.0
        elapsed = max(0.0, self._clock() - last)
        return max(0.0, delay - elapsed)

    def before_attempt(self, *, wait: bool) -> None:
        """Sleep out the delay (``wait``) or raise UnlockThrottledError with the time left."""
        remaining = self.remaining()
        if remaining <= 0:
            return
        if not wait:
            raise UnlockThrottledError(remaining)
        self._sleep(remaining)

    def record_failure(self) -> None:
        failures, _last = self._read()
        data = {"version": 1, "failures": failures + 1, "last_failure": self._clock()}
        try:
            write_text_atomic(self.path, json.dumps(data) + "\n")
        except (OSError, HemlosError):
            log.warning("could not record a failed unlock attempt")

    def reset(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
