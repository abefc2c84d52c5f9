"""One program per data folder: the OS lock, also across real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hemlos_desktop.errors import AnotherInstanceError
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.instance import InstanceLock, instance_key, is_locked

HOLD_LOCK = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from hemlos_desktop.storage import DataLocation\n"
    "from hemlos_desktop.storage.instance import InstanceLock\n"
    "lock = InstanceLock(DataLocation(Path(sys.argv[1])))\n"
    "lock.acquire()\n"
    "print('locked', flush=True)\n"
    "time.sleep(60)\n"
)


def test_second_lock_in_same_process_is_refused(location: DataLocation) -> None:
    with InstanceLock(location):
        assert is_locked(location)
        with pytest.raises(AnotherInstanceError):
            InstanceLock(location).acquire()
    assert not is_locked(location)
    with InstanceLock(location) as again:
        assert again.held


def test_instance_key_is_stable_and_hides_the_path(tmp_path: Path) -> None:
    folder = tmp_path / "Anna Andersson"
    key = instance_key(folder)
    assert key == instance_key(folder)
    assert key != instance_key(tmp_path / "other")
    assert "Anna" not in key and str(tmp_path) not in key
    assert key.startswith("hemlos-desktop-")


@pytest.mark.slow
def test_lock_of_a_killed_process_is_released(location: DataLocation) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(location.folder)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "locked"
        assert is_locked(location)
        with pytest.raises(AnotherInstanceError):
            InstanceLock(location).acquire()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 5
    while is_locked(location) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not is_locked(location)
    assert location.lock_file.exists()  # the file stays; only the OS lock mattered
