"""Keyboard walks: mnemonics that do not clash with the menus, shortcuts from the area list."""

from __future__ import annotations

import re

import pytest
from office import Office
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from hemlos_desktop.ui.clients import ClientsPage
from hemlos_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

MNEMONIC = re.compile(r"&([^&\s])")


def mnemonic(text: str) -> str | None:
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).casefold() if found else None


def menu_letters(window: MainWindow) -> dict[str, str]:
    letters: dict[str, str] = {}
    for action in window.menuBar().actions():
        letter = mnemonic(action.text())
        if letter:
            letters[letter] = action.text()
    return letters


@pytest.mark.parametrize("language", ["sv", "da", "en"])
def test_search_and_show_number_letters_are_not_menu_letters(
    qtbot: QtBot, office: Office, language: str
) -> None:
    """Alt with the underlined letter reaches the search field and the number buttons, not a
    menu of the same letter."""
    window = office.sign_in("worker", language=language)
    window.show_area("clients")
    page = window.pages["clients"]
    assert isinstance(page, ClientsPage)
    page.client_list.search_now()
    page.client_list.select_client(office.client_ids["Öberg"])
    menus = menu_letters(window)
    texts = [page.client_list.search_label.text(), page.client_list.reveal_button.text()]
    page.open_client(office.client_ids["Öberg"])
    overview = page.findChild(QAbstractButton, "showNumber")
    assert overview is not None
    texts.append(overview.text())
    for text in texts:
        letter = mnemonic(text)
        assert letter is not None and letter not in menus, (text, menus)


def test_ctrl_f_and_ctrl_n_work_from_the_area_list(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = office.sign_in("worker")
    window.show_area("clients")
    page = window.pages["clients"]
    assert isinstance(page, ClientsPage)
    navigation = window.findChild(QWidget, "navigation")
    assert navigation is not None
    navigation.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is navigation)
    qtbot.keyClick(navigation, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.client_list.search_edit.hasFocus()
    navigation.setFocus()
    opened: list[bool] = []
    monkeypatch.setattr(page, "register_client", lambda: opened.append(True))
    qtbot.keyClick(navigation, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened == [True]
