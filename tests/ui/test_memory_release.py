"""Memory freed by the work of a view goes back to the system once the program pauses."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from hemlos_desktop.ui import memory_release
from hemlos_desktop.ui.memory_release import release_free_memory
from hemlos_desktop.ui.operations import run_query
from hemlos_desktop.ui.tasks import run_in_background

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@linux_only
def test_freed_memory_with_live_objects_between_goes_back_to_the_system() -> None:
    kept: list[bytes] = []

    def allocate_and_free() -> None:
        # 2 KiB objects (the C allocator's, not Python's small-object arenas), one in fifty
        # kept: the free pages lie between live ones, which the allocator keeps by itself.
        made = [bytes(2048) + bytes([i % 256]) for i in range(80_000)]
        kept.extend(made[::50])
        del made

    worker = threading.Thread(target=allocate_and_free)
    worker.start()
    worker.join()
    before = _rss_mib()
    assert release_free_memory()
    after = _rss_mib()
    assert before - after > 60, (before, after)  # about 150 MiB were freed
    assert len(kept) == 1600


def test_a_read_for_a_view_releases_memory_after_a_pause(qtbot: QtBot) -> None:
    before = memory_release.releases()
    outcome = run_query(None, lambda: 42)
    assert outcome is not None and outcome.value == 42
    assert memory_release.releases() == before  # not at once: after the pause
    if sys.platform.startswith("linux"):
        qtbot.waitUntil(lambda: memory_release.releases() >= before + 1, timeout=3000)


def test_background_work_delivered_releases_memory_after_a_pause(qtbot: QtBot) -> None:
    before = memory_release.releases()
    results: list[int] = []
    owner = memory_release.QCoreApplication.instance()
    assert owner is not None
    run_in_background(owner, lambda: 7, results.append, lambda error: None)
    qtbot.waitUntil(lambda: results == [7], timeout=3000)
    if sys.platform.startswith("linux"):
        qtbot.waitUntil(lambda: memory_release.releases() >= before + 1, timeout=3000)


def test_calls_in_quick_succession_release_once(qtbot: QtBot) -> None:
    before = memory_release.releases()
    for _ in range(20):
        memory_release.schedule_memory_release()
    qtbot.wait(memory_release.RELEASE_DELAY_MS + 300)
    expected = 1 if sys.platform.startswith("linux") else 0
    assert memory_release.releases() == before + expected
