"""Printing a plan from the Plans page opens the print/export dialog on the plan."""

from __future__ import annotations

import datetime as dt

import pytest
from clientworld import World, pnr
from pytestqt.qtbot import QtBot

from hemlos_desktop.services import plans
from hemlos_desktop.settings import Settings
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.plans.page import PlansPage
from hemlos_desktop.ui.reports.export_dialog import PdfExportDialog


def test_print_opens_the_dialog_with_the_plan_chosen(
    world: World, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = world.add("Anna", "Berg", number=pnr(dt.date(1985, 3, 12)))
    plans.create_draft(
        world.db, world.actors["admin"], cid, start=dt.date(2026, 1, 5), template_id="housing_first"
    )
    context = UiContext(
        db=world.db, actor=world.actors["admin"], notifier=ChangeNotifier(), settings=Settings()
    )
    page = PlansPage(context=context)
    qtbot.addWidget(page)
    page.open_client(cid)
    chosen: list[str] = []

    def fake_exec(dialog: PdfExportDialog) -> int:
        chosen.append(str(dialog.form.kind_combo.currentData()))
        return 0

    monkeypatch.setattr(PdfExportDialog, "exec", fake_exec)
    assert page.print_button.isEnabled()
    page.print_button.click()
    assert chosen == ["plan"]
