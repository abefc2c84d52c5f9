"""The case overview: header, reveal number, housing duration, panels, refresh, closing."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from hemlos_desktop import i18n
from hemlos_desktop.models.client import Gender, TargetGroup
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.housing_rules import PeriodInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.services import housing as housing_service
from hemlos_desktop.services import journal as journal_service
from hemlos_desktop.services.changes import ChangeKind, ChangeSet
from hemlos_desktop.services.clients import register_client
from hemlos_desktop.services.users import ensure_local_actor
from hemlos_desktop.settings import Settings
from hemlos_desktop.storage import Database
from hemlos_desktop.ui import operations
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.clients import case_overview as overview_module
from hemlos_desktop.ui.clients.case_overview import CaseOverviewWidget, duration_words
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
        id_kind=IdKind.PERSONNUMMER,
        id_text="19121212-1212",
        first_name="Karin",
        last_name="Björk",
        gender=Gender.WOMAN,
        target_groups=frozenset({TargetGroup.SUBSTANCE_ABUSE}),
        protected_identity=True,
    )
    cid = register_client(ctx.db, ctx.actor, data, today=TODAY).value
    housing_service.save_period(
        ctx.db,
        ctx.actor,
        cid,
        PeriodInput(1, dt.date(2025, 1, 1), dt.date(2026, 7, 31)),
        today=TODAY,
    )
    housing_service.save_period(
        ctx.db, ctx.actor, cid, PeriodInput(3, dt.date(2026, 8, 1), None, "Malmö"), today=TODAY
    )
    return cid


def make(qtbot: QtBot, ctx: UiContext, client_id: int) -> CaseOverviewWidget:
    widget = CaseOverviewWidget(context=ctx, client_id=client_id, today=TODAY)
    qtbot.addWidget(widget)
    return widget


def test_header(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    assert widget.name_label.text() == "Björk, Karin" or "Karin" in widget.name_label.text()
    assert widget.number_label.text() == "19121212-****"
    assert widget.facts["age"].text() == "113 years"
    assert widget.facts["gender"].text() == "Woman"
    assert widget.facts["housing"].text() == "3 – Training flat for 3 months"
    assert widget.facts["groups"].text() == "Substance abuse"
    assert widget.facts["status"].text() == "Active"
    assert not widget.protected_label.isHidden()
    assert [p.code for p in widget.timeline.periods()] == [1, 3]


def test_show_number(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    widget.show_number_button.click()
    assert widget.number_label.text() == "19121212-1212"
    assert widget.show_number_button.isHidden()


def test_duration_words() -> None:
    assert duration_words(0) == "since today"
    assert duration_words(1) == "for 1 day"
    assert duration_words(12) == "for 12 days"
    assert duration_words(92) == "for 3 months"
    assert duration_words(800) == "for 2 years"
    i18n.set_language("sv")
    assert duration_words(92) != "for 3 months"


def test_add_panel(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    assert widget.panels() == []
    box = widget.add_panel("Ratings", QLabel("ratings here"))
    assert widget.panels() == [box]
    assert box.title() == "Ratings"
    assert box.parent() is widget.panels_area


def test_refreshes_for_this_client_only(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    housing_service.save_period(
        ctx.db,
        ctx.actor,
        client_id,
        PeriodInput(2, dt.date(2024, 1, 1), dt.date(2024, 6, 1)),
        today=TODAY,
    )
    ctx.notifier.publish(ChangeSet.of(ChangeKind.HOUSING, client_id + 100))
    assert len(widget.timeline.periods()) == 2
    ctx.notifier.publish(ChangeSet.of(ChangeKind.HOUSING, client_id))
    assert len(widget.timeline.periods()) == 3
    housing_service.delete_period(ctx.db, ctx.actor, client_id, widget.timeline.periods()[0].id)
    ctx.notifier.publish(ChangeSet.all())  # "many changed"
    assert len(widget.timeline.periods()) == 2


def test_refresh_keeps_the_journal_editor(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    qtbot.keyClicks(widget.journal.editor, "Half a sentence")
    ctx.notifier.publish(ChangeSet.all())
    assert widget.journal.editor.toPlainText() == "Half a sentence"


def test_add_edit_delete_period_from_overview(
    qtbot: QtBot, ctx: UiContext, client_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    widget = make(qtbot, ctx, client_id)
    focused = widget.timeline.focused_period()
    assert focused is not None and focused.code == 3
    assert widget.edit_period_button.isEnabled() and widget.delete_period_button.isEnabled()
    dialog = widget.open_period_dialog(focused.id)
    qtbot.addWidget(dialog)
    dialog.place_edit.setText("Lund")
    assert dialog.save()
    assert widget.timeline.periods()[-1].place == "Lund"  # refreshed through the notifier
    add = widget.open_period_dialog()
    qtbot.addWidget(add)
    assert add.windowTitle() == "Add housing period"
    monkeypatch.setattr(widget, "_confirm", lambda *_a: True)
    widget.delete_period_button.click()
    assert [p.code for p in widget.timeline.periods()] == [1]
    assert widget.facts["housing"].text().startswith("1 – ")


def test_close_saves_the_draft(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    widget.show()
    qtbot.keyClicks(widget.journal.editor, "Written just before closing")
    widget.close()
    drafts = journal_service.open_drafts(ctx.db, ctx.actor, client_id)
    assert [d.text for d in drafts] == ["Written just before closing"]
    reopened = make(qtbot, ctx, client_id)
    assert reopened.journal.editor.toPlainText() == "Written just before closing"


def test_save_pending(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    qtbot.keyClicks(widget.journal.editor, "Tab is removed")
    assert widget.save_pending()
    drafts = journal_service.open_drafts(ctx.db, ctx.actor, client_id)
    assert [d.text for d in drafts] == ["Tab is removed"]


def test_retranslate(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    i18n.set_language("da")
    widget.retranslate_ui()
    assert widget.housing_box.title() != "Housing"
    assert widget.facts["gender"].text() != "Woman"


def test_error_on_reveal_is_shown(
    qtbot: QtBot, ctx: UiContext, client_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hemlos_desktop.errors import DatabaseLockedError

    shown: list[object] = []
    monkeypatch.setattr(overview_module, "show_error", lambda _p, e: shown.append(e))
    # Actions run through the operation runner, which shows known errors itself.
    monkeypatch.setattr(operations, "show_error", lambda _p, e: shown.append(e))

    def locked(*_a: object) -> str:
        raise DatabaseLockedError("locked")

    monkeypatch.setattr(overview_module.clients_service, "reveal_number", locked)
    widget = make(qtbot, ctx, client_id)
    widget.show_number_button.click()
    assert len(shown) == 1
    assert widget.number_label.text() == "19121212-****"


def test_read_only_user_gets_no_editing(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    from dataclasses import replace

    from hemlos_desktop.models.people import Role

    reader = replace(ctx, actor=replace(ctx.actor, role=Role.READ_ONLY))
    widget = make(qtbot, reader, client_id)
    assert widget.journal.editor.isReadOnly()
    assert not widget.journal.new_button.isEnabled()
    assert not widget.add_period_button.isEnabled()
    assert not widget.edit_period_button.isEnabled()
    assert not widget.contacts.add_button.isEnabled()


def test_client_without_housing(qtbot: QtBot, ctx: UiContext) -> None:
    cid = register_client(
        ctx.db,
        ctx.actor,
        ClientInput(id_kind=IdKind.CPR, id_text="120385-1234", first_name="Søs", last_name="Ib"),
        today=TODAY,
    ).value
    widget = make(qtbot, ctx, cid)
    assert widget.facts["housing"].text() == "No housing period recorded"
    assert widget.number_label.text() == "120385-****"
    assert widget.timeline.focused_period() is None
    assert not widget.edit_period_button.isEnabled()
