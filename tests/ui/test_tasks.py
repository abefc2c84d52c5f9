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


def test_background_results_come_back_on_the_gui_thread_while_the_owner_lives(
    qtbot: QtBot,
) -> None:
    from PySide6.QtCore import QObject

    from hemlos_desktop.ui.tasks import run_in_background, wait_for_background_work

    main = threading.get_ident()
    delivered: list[tuple[int, int]] = []
    failures: list[BaseException] = []
    owner = QObject()
    run_in_background(
        owner,
        threading.get_ident,
        lambda worker: delivered.append((worker, threading.get_ident())),
        failures.append,
    )
    qtbot.waitUntil(lambda: bool(delivered))
    [(worker, receiver)] = delivered
    assert worker != main and receiver == main

    # Errors come back too.
    run_in_background(owner, lambda: 1 // 0, delivered.append, failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], ZeroDivisionError)

    # An owner destroyed meanwhile (a closed view) hears nothing.
    gone = QObject()
    release = threading.Event()
    run_in_background(gone, lambda: release.wait(5), delivered.append, failures.append)
    gone.deleteLater()
    qtbot.wait(20)
    release.set()
    wait_for_background_work()
    qtbot.wait(50)
    assert len(delivered) == 1 and len(failures) == 1
