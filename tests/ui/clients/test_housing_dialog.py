"""The housing period dialog: each rule's message beside its field, the input kept."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from hemlos_desktop import i18n
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.housing_rules import PeriodInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.services import housing as housing_service
from hemlos_desktop.services.changes import ChangeKind, ChangeSet
from hemlos_desktop.services.clients import register_client
from hemlos_desktop.services.users import ensure_local_actor
from hemlos_desktop.settings import Settings
from hemlos_desktop.storage import Database
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.clients.housing_dialog import HousingPeriodDialog
from hemlos_desktop.ui.context import UiContext

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

TODAY = dt.date(2026, 11, 2)


@pytest.fixture
def ctx(db: Database) -> UiContext:
    return UiContext(
        db=db, actor=ensure_local_actor(db), notifier=ChangeNotifier(), settings=Settings()
    )


@pytest.fixture
def client_id(ctx: UiContext) -> int:
    data = ClientInput(
        id_kind=IdKind.PERSONNUMMER, id_text="19121212-1212", first_name="Karin", last_name="Björk"
    )
    return register_client(ctx.db, ctx.actor, data, today=TODAY).value


def dialog(qtbot: QtBot, ctx: UiContext, client_id: int, **kwargs: object) -> HousingPeriodDialog:
    widget = HousingPeriodDialog(context=ctx, client_id=client_id, today=TODAY, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(widget)
    return widget


def fill(
    widget: HousingPeriodDialog,
    code: int,
    start: dt.date,
    end: dt.date | None,
    place: str = "",
) -> None:
    widget.code_combo.setCurrentIndex(code - 1)
    widget.start_edit.setDate(QDate(start.year, start.month, start.day))
    widget.ongoing_check.setChecked(end is None)
    if end is not None:
        widget.end_edit.setDate(QDate(end.year, end.month, end.day))
    widget.place_edit.setText(place)


def test_codes_with_labels_in_each_language(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = dialog(qtbot, ctx, client_id)
    assert widget.code_combo.count() == 6
    assert widget.code_combo.itemText(2) == "3 – Training flat"
    i18n.set_language("da")
    widget.retranslate_ui()
    assert widget.code_combo.itemText(2).startswith("3 – ")
    assert widget.code_combo.itemText(2) != "3 – Training flat"


def test_save_new_period_notifies(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = dialog(qtbot, ctx, client_id)
    fill(widget, 2, dt.date(2026, 1, 1), None, "Härbärget")
    with qtbot.waitSignal(ctx.notifier.sig_changed) as blocker:
        widget.buttons.button(widget.buttons.StandardButton.Save).click()
    assert blocker.args[0] == ChangeSet.of(ChangeKind.HOUSING, client_id)
    assert widget.result() == widget.DialogCode.Accepted
    [period] = housing_service.list_periods(ctx.db, ctx.actor, client_id)
    assert (period.code, period.end_date, period.place) == (2, None, "Härbärget")


def test_end_before_start_beside_end_field(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = dialog(qtbot, ctx, client_id)
    fill(widget, 1, dt.date(2026, 5, 1), dt.date(2026, 4, 1), "Kept place")
    assert not widget.save()
    assert widget.errors["end_date"].text() == "The end date is before the start date."
    assert not widget.errors["end_date"].isHidden()
    assert widget.errors["start_date"].isHidden()
    assert widget.place_edit.text() == "Kept place"
    assert widget.end_edit.date() == QDate(2026, 4, 1)
    assert housing_service.list_periods(ctx.db, ctx.actor, client_id) == []


def test_future_start_beside_start_field(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = dialog(qtbot, ctx, client_id)
    fill(widget, 1, TODAY + dt.timedelta(days=1), None)
    assert not widget.save()
    assert widget.errors["start_date"].text() == "The start date is in the future."
    assert widget.start_edit.date() == QDate(2026, 11, 3)


def test_overlap_beside_start_field(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    housing_service.save_period(
        ctx.db,
        ctx.actor,
        client_id,
        PeriodInput(1, dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        today=TODAY,
    )
    widget = dialog(qtbot, ctx, client_id)
    fill(widget, 4, dt.date(2025, 6, 1), None, "Andrahand")
    widget.note_edit.setPlainText("A note")
    assert not widget.save()
    assert "overlaps" in widget.errors["start_date"].text()
    assert widget.note_edit.toPlainText() == "A note"
    assert widget.code_combo.currentIndex() == 3
    # Fixing the date clears the message and saves.
    fill(widget, 4, dt.date(2026, 1, 1), None, "Andrahand")
    assert widget.save()
    assert widget.errors["start_date"].isHidden()


def test_edit_existing_period(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    housing_service.save_period(
        ctx.db, ctx.actor, client_id, PeriodInput(1, dt.date(2025, 1, 1), None), today=TODAY
    )
    [period] = housing_service.list_periods(ctx.db, ctx.actor, client_id)
    widget = dialog(qtbot, ctx, client_id, period=period)
    assert widget.windowTitle() == "Change housing period"
    assert widget.ongoing_check.isChecked() and not widget.end_edit.isEnabled()
    fill(widget, 3, dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert widget.save()
    [changed] = housing_service.list_periods(ctx.db, ctx.actor, client_id)
    assert (changed.id, changed.code, changed.end_date) == (period.id, 3, dt.date(2025, 6, 30))
