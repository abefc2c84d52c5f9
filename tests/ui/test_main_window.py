"""The main window shell: navigation, shortcuts, live language switch, settings, dialogs."""

from __future__ import annotations

from collections.abc import Callable

from office import Office
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QListWidget,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from hemlos_desktop.settings import SettingsStore
from hemlos_desktop.ui.about import AboutDialog
from hemlos_desktop.ui.main_window import MainWindow
from hemlos_desktop.ui.pages import AREAS
from hemlos_desktop.ui.shortcuts import ShortcutsDialog

WindowFactory = Callable[..., MainWindow]


def _nav(window: QWidget) -> QListWidget:
    nav = window.findChild(QListWidget, "navigation")
    assert nav is not None
    return nav


def test_every_area_reachable_by_ctrl_number(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    for index, area in reversed(list(enumerate(AREAS, start=1))):
        qtbot.keyClick(
            window, Qt.Key(Qt.Key.Key_0.value + index), Qt.KeyboardModifier.ControlModifier
        )
        assert window.current_area().key == area.key
        assert window.pages[area.key].isVisible()


def test_every_area_reachable_from_the_navigation_list(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    nav = _nav(window)
    nav.setFocus()
    nav.setCurrentRow(0)
    for area in AREAS:
        assert window.current_area().key == area.key
        qtbot.keyClick(nav, Qt.Key.Key_Down)
    for row, area in enumerate(AREAS):
        rect = nav.visualItemRect(nav.item(row))
        qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert window.current_area().key == area.key


def test_tab_moves_from_navigation_into_the_page(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.show_area("plans")
    nav = _nav(window)
    nav.setFocus()
    qtbot.waitUntil(nav.hasFocus)
    qtbot.keyClick(nav, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused is not None
    assert window.pages["plans"].isAncestorOf(focused)


def test_language_switch_from_the_menu_retranslates_live(make_window: WindowFactory) -> None:
    window = make_window(language="en", demo=True)
    assert window.menu_file.title() == "&File"
    assert "demo database" in window.windowTitle()
    window.language_actions["da"].trigger()
    assert window.menu_file.title() == "&Filer"
    assert window.menu_help.title() == "&Hjælp"
    assert "demodatabase" in window.windowTitle()
    assert _nav(window).item(0).text() == "Borgere"
    assert window.area_actions["clients"].text() == "Borgere"
    window.language_actions["sv"].trigger()
    assert _nav(window).item(0).text() == "Klienter"
    assert window.language_actions["sv"].isChecked()
    assert not window.language_actions["da"].isChecked()


def test_language_and_geometry_survive_a_restart(
    make_window: WindowFactory, settings_store: SettingsStore
) -> None:
    window = make_window(language="en")
    window.resize(700, 530)  # within the offscreen screen (800x600)
    window.language_actions["da"].trigger()
    window.show_area("team")
    size = window.size()
    window.close()

    saved = settings_store.load()
    assert saved.language == "da"
    assert saved.window_geometry
    assert saved.last_page == "team"

    again = make_window(language=saved.language)
    assert again.size() == size
    assert again.current_area().key == "team"
    assert again.menu_file.title() == "&Filer"


def test_about_dialog_opens(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.action_about.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert "Hemlös Desktop" in dialog.windowTitle()
    assert str(window.context.db.location.folder) in " ".join(
        label.text() for label in dialog.findChildren(QLabel)
    )
    # Licences from the installed packages' metadata (from source: made on the fly).
    licences = dialog.licences.toPlainText()
    for component in ("PySide6", "LGPL-3.0", "reportlab", "BSD", "sqlcipher3", "DejaVu fonts"):
        assert component in licences
    assert "https://download.qt.io/" in licences
    dialog.reject()


def test_keyboard_shortcuts_dialog_lists_the_shortcuts(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(language="sv")
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == "Kortkommandon"
    table = dialog.findChild(QTableWidget)
    assert table is not None
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["Klienter"] == "Ctrl+1"
    assert rows["Rapporter"] == "Ctrl+5"
    assert rows["Kortkommandon"] == "F1"
    assert "Avsluta" in rows
    dialog.reject()


def test_every_action_and_control_is_named(make_window: WindowFactory) -> None:
    window = make_window(language="sv")
    for action in window.findChildren(QAction):
        if action.isSeparator() or action.menu() is not None:
            continue
        if action.objectName().startswith("_q_"):  # Qt's own (a line edit's clear button)
            continue
        assert action.text().strip(), f"action without text: {action.objectName()!r}"
    for menu_action in window.menuBar().actions():
        assert menu_action.text().strip()
    unnamed = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        text = widget.text() if isinstance(widget, QAbstractButton | QLabel) else ""
        if not (text.strip() or widget.accessibleName().strip()):
            unnamed.append(type(widget).__name__ + ":" + widget.objectName())
    assert not unnamed, f"focusable controls without a name: {unnamed}"


def test_a_case_files_panels_follow_a_live_language_switch(office: Office) -> None:
    """The feature panels of an open case file (rating, plan, who does what) re-translate with
    the window, captions and group titles alike."""
    from hemlos_desktop.ui.clients import ClientsPage
    from hemlos_desktop.ui.clients.case_overview import CaseOverviewWidget

    window = office.sign_in("lead", language="sv")
    page = window.pages["clients"]
    assert isinstance(page, ClientsPage)
    page.open_client(office.client_ids["Nilsson"])
    overview = page.tabs.currentWidget()
    assert isinstance(overview, CaseOverviewWidget)
    swedish = [box.title() for box in overview.panels()]
    assert "Genomförandeplan" in swedish
    window.language_actions["en"].trigger()
    office.qtbot.waitUntil(lambda: overview.panels()[0].title() == "Independence rating")
    english = [box.title() for box in overview.panels()]
    assert english == [
        "Independence rating",
        "Individual plan",
        "Who does what and eviction cases",
    ]
    texts = " ".join(label.text() for label in overview.panels_area.findChildren(QLabel))
    assert "Plan" in texts and "Nästa uppföljning" not in texts and "Ingen plan" not in texts
