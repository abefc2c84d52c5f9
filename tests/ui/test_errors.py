"""Known errors: translated in sv and da, shown in a message box with what to do next."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

import hemlos_desktop
from hemlos_desktop import i18n
from hemlos_desktop.errors import HemlosError, InvalidInputError
from hemlos_desktop.ui import errors as ui_errors


def _all_error_classes() -> list[type[HemlosError]]:
    # Import every non-UI module so errors defined beside their feature are found too.
    for info in pkgutil.walk_packages(hemlos_desktop.__path__, "hemlos_desktop."):
        if ".migrations" in info.name or info.name.startswith("hemlos_desktop.ui"):
            continue
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
    found: list[type[HemlosError]] = []
    todo = [HemlosError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(set(found), key=lambda c: c.__module__ + c.__qualname__)


def _instance(cls: type[HemlosError]) -> HemlosError:
    """An instance without knowing each subclass's constructor (they may add arguments)."""
    error = cls.__new__(cls)
    if issubclass(cls, InvalidInputError):
        # Input errors carry the caller's already translated text.
        InvalidInputError.__init__(error, i18n.gettext("Please check the input"), field="test")
    else:
        HemlosError.__init__(error, "technical detail")
    return error


ERROR_CLASSES = _all_error_classes()


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("language", ["sv", "da"])
def test_every_known_error_is_translated(cls: type[HemlosError], language: str) -> None:
    i18n.set_language("en")
    english = _instance(cls)
    texts_en = (english.title(), english.message(), english.advice())
    i18n.set_language(language)
    try:
        error = _instance(cls)
        title, message, advice = error.title(), error.message(), error.advice()
    finally:
        i18n.set_language("en")
    assert title and message, cls.__name__
    assert title != texts_en[0], f"{cls.__name__}.title() is not translated to {language}"
    assert message != texts_en[1], f"{cls.__name__}.message() is not translated to {language}"
    if texts_en[2]:
        assert advice != texts_en[2], f"{cls.__name__}.advice() is not translated to {language}"
    # No technical detail leaks into what people read.
    assert "technical detail" not in error.full_text()


def test_there_are_known_errors_to_check() -> None:
    names = {cls.__name__ for cls in ERROR_CLASSES}
    assert {"DatabaseLockedError", "DiskFullError", "CorruptDatabaseError"} <= names


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda c: c.__name__)
def test_show_error_shows_title_message_and_advice(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, cls: type[HemlosError]
) -> None:
    i18n.set_language("da")
    shown: list[QMessageBox] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box)
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    try:
        error = _instance(cls)
        ui_errors.show_error(None, error)
        assert len(shown) == 1
        box = shown[0]
        assert box.windowTitle() == error.title()
        assert box.text() == error.message()
        assert box.informativeText() == error.advice()
        assert box.icon() == QMessageBox.Icon.Warning
    finally:
        i18n.set_language("en")


def test_excepthook_logs_the_bug_without_its_message_and_shows_the_crash_dialog(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(ui_errors, "show_crash_dialog", lambda parent: shown.append("crash"))
    try:
        raise ValueError("Anna Andersson 19121212-1212 lives at Storgatan 1")
    except ValueError as exc:
        with caplog.at_level("ERROR"):
            ui_errors._excepthook(type(exc), exc, exc.__traceback__)
    assert shown == ["crash"]
    logged = caplog.text
    assert "unexpected error ValueError" in logged
    assert "test_errors.py" in logged  # where it happened
    assert "Anna" not in logged and "1212" not in logged and "Storgatan" not in logged


def test_excepthook_shows_known_errors_translated(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    shown: list[HemlosError] = []
    monkeypatch.setattr(ui_errors, "show_error", lambda parent, error: shown.append(error))
    exc = sqlite3.OperationalError("database is locked")
    ui_errors._excepthook(type(exc), exc, None)
    assert [type(e).__name__ for e in shown] == ["DatabaseLockedError"]


def test_qt_messages_go_to_the_log(caplog: pytest.LogCaptureFixture) -> None:
    from PySide6.QtCore import QtMsgType

    with caplog.at_level("DEBUG", logger="qt"):
        ui_errors._qt_message_handler(QtMsgType.QtWarningMsg, None, "something odd")
        ui_errors._qt_message_handler(
            QtMsgType.QtWarningMsg, None, "This plugin does not support propagateSizeHints()"
        )
    levels = {r.getMessage(): r.levelname for r in caplog.records if r.name == "qt"}
    assert levels["something odd"] == "WARNING"
    assert levels["This plugin does not support propagateSizeHints()"] == "DEBUG"
