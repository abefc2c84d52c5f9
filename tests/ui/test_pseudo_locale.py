"""Layouts survive long words: every string lengthened by ~40 % (the pseudo-locale) still fits."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QListWidget, QWidget
from pytestqt.qtbot import QtBot

from hemlos_desktop import i18n
from hemlos_desktop.ui.about import AboutDialog
from hemlos_desktop.ui.main_window import MainWindow
from hemlos_desktop.ui.shortcuts import ShortcutsDialog

WindowFactory = Callable[..., MainWindow]


def test_pseudo_keeps_placeholders_and_lengthens() -> None:
    text = "Version {version} of &Help"
    long = i18n.pseudo(text)
    assert long.startswith("[") and long.endswith("]")
    assert "{version}" in long and "&Help" in long
    assert len(long) >= len(text) * 1.35
    assert i18n.pseudo("") == ""


def test_pseudo_applies_to_the_active_gettext() -> None:
    i18n.set_language("sv")
    i18n.set_pseudo(True)
    try:
        assert i18n.gettext("Clients") == i18n.pseudo("Klienter")
        assert i18n.pseudo_enabled()
    finally:
        i18n.set_pseudo(False)
    assert i18n.gettext("Clients") == "Klienter"


def cut_off_texts(root: QWidget) -> list[str]:
    """Visible labels and buttons whose text does not fit in the space they were given."""
    problems: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel) and widget.text():
            if widget.wordWrap():
                needed = widget.heightForWidth(widget.width())
                if needed > widget.height():
                    problems.append(f"label {widget.text()[:40]!r}: {needed}>{widget.height()}")
            elif widget.sizeHint().width() > widget.width():
                problems.append(
                    f"label {widget.text()[:40]!r}: {widget.sizeHint().width()}>{widget.width()}"
                )
        elif isinstance(widget, QAbstractButton) and widget.text():
            if widget.sizeHint().width() > widget.width():
                problems.append(f"button {widget.text()!r}")
        elif isinstance(widget, QListWidget):
            metrics = widget.fontMetrics()
            room = widget.viewport().width() - widget.iconSize().width() - 8
            for row in range(widget.count()):
                text = widget.item(row).text()
                if metrics.horizontalAdvance(text) > room:
                    problems.append(f"list item {text!r}")
    return problems


@pytest.mark.parametrize("language", ["en", "sv", "da"])
def test_main_window_fits_pseudo_strings(
    qtbot: QtBot, make_window: WindowFactory, language: str
) -> None:
    i18n.set_pseudo(True)
    window = make_window(language=language, demo=True)
    for key in window.pages:
        window.show_area(key)
        QApplication.processEvents()
        assert cut_off_texts(window) == [], key


@pytest.mark.parametrize("language", ["sv", "da"])
def test_dialogs_fit_pseudo_strings(
    qtbot: QtBot, make_window: WindowFactory, language: str
) -> None:
    i18n.set_pseudo(True)
    window = make_window(language=language)
    window.action_about.trigger()
    window.action_shortcuts.trigger()
    for kind in (AboutDialog, ShortcutsDialog):
        dialog = window.findChild(kind)
        assert dialog is not None
        qtbot.waitUntil(dialog.isVisible)
        assert cut_off_texts(dialog) == []
        dialog.reject()


def test_the_check_finds_a_cut_off_label(qtbot: QtBot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    label = QLabel(i18n.pseudo("A rather long label that cannot fit"), holder)
    label.setGeometry(0, 0, 60, 20)
    holder.show()
    assert cut_off_texts(holder)
