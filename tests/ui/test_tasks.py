"""Long work runs off the GUI thread; progress, errors and cancel reach the GUI."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from hemlos_desktop.errors import DiskFullError
from hemlos_desktop.ui.tasks import run_with_progress


def test_result_comes_back_and_work_ran_in_another_thread(qtbot: QtBot) -> None:
    main = threading.get_ident()

    def work(progress, cancelled):  # type: ignore[no-untyped-def]
        for i in range(5):
            progress(i, 5)
        return threading.get_ident()

    worker_thread = run_with_progress(None, "t", "l", work)
    assert worker_thread is not None and worker_thread != main


def test_known_errors_are_raised_in_the_gui_thread(qtbot: QtBot) -> None:
    def work(progress, cancelled):  # type: ignore[no-untyped-def]
        raise DiskFullError("test")

    with pytest.raises(DiskFullError):
        run_with_progress(None, "t", "l", work)


def test_cancel_stops_the_work(qtbot: QtBot) -> None:
    steps: list[int] = []

    def work(progress, cancelled):  # type: ignore[no-untyped-def]
        for i in range(400):
            progress(i, 400)
            steps.append(i)
            time.sleep(0.005)
        return "finished"

    def press_cancel() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QProgressDialog):
                widget.findChild(QPushButton).click()

    QTimer.singleShot(400, press_cancel)
    assert run_with_progress(None, "t", "l", work) is None
    assert len(steps) < 400
