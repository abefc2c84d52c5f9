"""A normal start: ``python -m hemlos_desktop --demo`` shows the window and prints no warnings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hemlos_desktop.ui.startup_probe import ENV_EXIT_AFTER_SHOW, MARKER, READY_MARKER


def _start(data_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    # The demo accounts sign in from the environment, as the command line does (no dialog).
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HEMLOS_USER="admin",
        HEMLOS_PASSWORD="demo",
        **{ENV_EXIT_AFTER_SHOW: "1"},
    )
    return subprocess.run(
        [sys.executable, "-m", "hemlos_desktop", "--demo", "--data-dir", str(data_dir), *extra],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.slow
def test_demo_start_shows_the_window_without_warnings(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    first = _start(data)  # creates the demo database
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    assert MARKER in first.stdout
    assert (data / "hemlos.db").is_file()

    again = _start(data, "--lang", "da")  # opens the existing one
    assert again.returncode == 0, again.stderr
    assert again.stderr == ""
    # The window is painted first; the register is opened into it afterwards.
    lines = [line.split() for line in again.stdout.splitlines()]
    times = {words[0]: float(words[1]) for words in lines if len(words) == 2}
    assert times[MARKER] <= times[READY_MARKER]
