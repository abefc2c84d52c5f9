"""A second start on the same data folder: the first window comes to the front, or a message."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest
from pytestqt.qtbot import QtBot

from hemlos_desktop import app as app_module
from hemlos_desktop.errors import AnotherInstanceError, HemlosError
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.instance import is_locked
from hemlos_desktop.ui import errors as ui_errors
from hemlos_desktop.ui.instance import SingleInstance, StartOutcome, ask_running_instance

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


def test_first_start_takes_the_folder(qtbot: QtBot, location: DataLocation) -> None:
    first = SingleInstance(location=location)
    try:
        assert first.start() is StartOutcome.FIRST
        assert is_locked(location)
    finally:
        first.release()
    assert not is_locked(location)
    assert not ask_running_instance(first.name, timeout_ms=200)


@pytest.mark.slow
def test_second_gui_start_raises_the_first_and_exits_0(
    qtbot: QtBot, location: DataLocation
) -> None:
    first = SingleInstance(location=location)
    assert first.start() is StartOutcome.FIRST
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    try:
        with qtbot.waitSignal(first.sig_activation_requested, timeout=20000):
            proc = subprocess.Popen(
                [sys.executable, "-m", "hemlos_desktop", "--lang", "en"]
                + ["--data-dir", str(location.folder)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert not location.database.exists()  # the second start never opened the database
    finally:
        first.release()


@pytest.mark.slow
def test_folder_held_without_answer_gives_message_and_exit_1(
    qtbot: QtBot,
    location: DataLocation,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    location.ensure()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(location.folder)], stdout=subprocess.PIPE, text=True
    )
    shown: list[HemlosError] = []
    monkeypatch.setattr(ui_errors, "show_error", lambda _parent, exc: shown.append(exc))
    monkeypatch.setattr(ui_errors, "install_excepthook", lambda: None)
    monkeypatch.setattr(ui_errors, "install_qt_message_handler", lambda: None)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(AnotherInstanceError):
            SingleInstance(location=location).start()
        args = argparse.Namespace(lang="en", data_dir=str(location.folder), demo=False)
        assert app_module.run_gui(args) == 1
    finally:
        holder.kill()
        holder.wait()
    assert [type(e) for e in shown] == [AnotherInstanceError]
    assert "already open on this data folder" in capsys.readouterr().err


def test_read_only_data_folder_gives_message_and_exit_1(
    qtbot: QtBot,
    location: DataLocation,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from fs_helpers import read_only

    from hemlos_desktop.errors import ReadOnlyStorageError
    from hemlos_desktop.services.workspace import open_workspace

    open_workspace(location).dispose()
    shown: list[HemlosError] = []
    monkeypatch.setattr(ui_errors, "show_error", lambda _parent, exc: shown.append(exc))
    monkeypatch.setattr(ui_errors, "install_excepthook", lambda: None)
    monkeypatch.setattr(ui_errors, "install_qt_message_handler", lambda: None)
    args = argparse.Namespace(lang="en", data_dir=str(location.folder), demo=False)
    with read_only(location.database, location.folder):
        assert app_module.run_gui(args) == 1
    assert [type(e) for e in shown] == [ReadOnlyStorageError]
    assert "may not write" in capsys.readouterr().err
