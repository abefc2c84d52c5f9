"""The Reports area: find a client for a case summary; batch export is offered."""

from __future__ import annotations

import datetime as dt

import pytest
from clientworld import World, pnr
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hemlos_desktop.settings import Settings
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.reports import export_dialog
from hemlos_desktop.ui.reports.page import ReportsPage


def test_search_then_open_the_summary_dialog(
    world: World, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna = world.add("Anna", "Söderström", number=pnr(dt.date(1985, 3, 12)))
    world.add("Erik", "Berg", number=pnr(dt.date(1979, 7, 4)))
    context = UiContext(
        db=world.db, actor=world.actors["admin"], notifier=ChangeNotifier(), settings=Settings()
    )
    page = ReportsPage(context=context)
    qtbot.addWidget(page)
    opened: list[int] = []
    monkeypatch.setattr(
        export_dialog, "open_pdf_dialog", lambda parent, ctx, cid: opened.append(cid)
    )
    qtbot.keyClicks(page.search_edit, "soderstrom")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    # The picker searches off the GUI thread; Enter chooses the first match when it comes.
    qtbot.waitUntil(page.summary_button.isEnabled)
    assert page.matches.count() == 1
    assert "19850312-****" in page.matches.item(0).text()
    assert page.summary_button.isEnabled()
    page.summary_button.click()
    assert opened == [anna]
