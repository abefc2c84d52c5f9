"""The Team area through real widgets on an encrypted demo database, signed in through the real
dialog: a team lead runs a weekly case review and prints the minutes in Swedish and Danish; the
board, eviction list and goals dashboard; a caseworker's view."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from hemlos_desktop import i18n
from hemlos_desktop.demo.data import DEMO_PASSWORD, DEMO_TODAY, create_demo_database
from hemlos_desktop.models.audit import AuditEntry
from hemlos_desktop.models.goal_defs import GoalKey
from hemlos_desktop.services.session import SignedIn, open_with_key
from hemlos_desktop.settings import Settings
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.login import LoginDialog
from hemlos_desktop.ui.team import TeamPage

pytestmark = [pytest.mark.usefixtures("fast_kdf"), pytest.mark.qt_log_ignore("propagateSizeHints")]
SHOTS = os.environ.get("TEAM_SHOTS")


@pytest.fixture
def demo(tmp_path: Path) -> DataLocation:
    location = DataLocation(tmp_path / "demo")
    create_demo_database(location, clients=240, seed=5, params=TEST_PARAMS)
    return location


def sign_in(qtbot: QtBot, location: DataLocation, username: str) -> SignedIn:
    dialog = LoginDialog(location=location, params=TEST_PARAMS)
    qtbot.addWidget(dialog)
    dialog.user_edit.setText(username)
    dialog.password_edit.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.sig_unlocked):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.data_key is not None
    return open_with_key(location, dialog.username, dialog.data_key)


@pytest.fixture
def lead_page(qtbot: QtBot, demo: DataLocation) -> Iterator[TeamPage]:
    signed = sign_in(qtbot, demo, "lead")
    context = UiContext(
        db=signed.db, actor=signed.actor, notifier=ChangeNotifier(), settings=Settings()
    )
    page = TeamPage(context=context, today=DEMO_TODAY)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    yield page
    signed.db.dispose()


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_lead_runs_a_weekly_case_review(
    qtbot: QtBot, lead_page: TeamPage, tmp_path: Path, qtmodeltester: object
) -> None:
    page = lead_page
    assert page.team_combo.currentText() == "Boendelots Södermalm"
    board = page.board
    assert board.model.rowCount() >= 4
    assert sum(m.active for m in board.model.rows()) > 10
    assert "active clients" in board.summary.text()
    assert "active" in board.chart.accessibleDescription()
    for model in (board.model, board.competences):
        qtmodeltester.check(model)  # type: ignore[attr-defined]
    if SHOTS:
        page.grab().save(str(Path(SHOTS) / "team-board.png"))

    page.tabs.setCurrentIndex(1)
    meeting = page.meeting
    assert meeting.meeting_combo.count() == 1  # last week's review from the demo data
    assert meeting.detail is not None and meeting.detail.minutes_done
    meeting.create_meeting(DEMO_TODAY, [m.user_id for m in board.model.rows()], "Vecka 45")
    assert meeting.meeting_combo.count() == 2
    detail = meeting.detail
    assert detail is not None and detail.title == "Vecka 45" and len(detail.items) >= 3
    qtmodeltester.check(meeting.agenda)  # type: ignore[attr-defined]
    first, second = detail.items[0], detail.items[1]
    meeting.agenda_table.selectRow(0)
    meeting.down_button.click()
    assert [i.id for i in meeting.detail.items[:2]] == [second.id, first.id]  # type: ignore[union-attr]
    meeting.add_topic("Semesterschema")
    assert meeting.detail.items[-1].topic == "Semesterschema"  # type: ignore[union-attr]
    meeting.agenda_table.selectRow(1)
    assert meeting.current_item().id == first.id  # type: ignore[union-attr]
    meeting.decision_edit.setPlainText("Ansök om bistånd till hyresskulden.")
    meeting.action_text.setText("Skriv ansökan")
    meeting.action_who.setCurrentIndex(meeting.action_who.findText("Wilma Sandberg"))
    meeting.add_action_button.click()
    item = meeting.current_item()
    assert item is not None and item.decision.startswith("Ansök om bistånd")
    assert [(a.text, a.assigned_name) for a in item.actions] == [
        ("Skriv ansökan", "Wilma Sandberg")
    ]
    qtmodeltester.check(meeting.action_model)  # type: ignore[attr-defined]
    # An action without text is refused next to the form; nothing typed is lost.
    meeting.decision_edit.setPlainText("Ansök om bistånd till hyresskulden. Ring hyresvärden.")
    meeting.action_text.setText("")
    meeting.add_action_button.click()
    assert meeting.error_label.error() == "Describe the action."
    assert meeting.decision_edit.toPlainText().endswith("Ring hyresvärden.")
    if SHOTS:
        page.grab().save(str(Path(SHOTS) / "team-meeting.png"))

    sv, da = tmp_path / "protokoll.pdf", tmp_path / "referat.pdf"
    assert meeting.print_to(sv, minutes=True, language="sv")
    assert meeting.print_to(da, minutes=True, language="da")
    assert meeting.print_to(tmp_path / "dagordning.pdf", minutes=False, language="sv")
    sv_text, da_text = _pdf_text(sv), _pdf_text(da)
    assert "Ärendegenomgång: protokoll" in sv_text and "Skriv ansökan" in sv_text
    assert "Sagsgennemgang: referat" in da_text and "Afgørelse" in da_text
    # A meeting's action is a task ("Handling", "Åtgärd"), not a plan's "Indsats"/"Insats".
    assert "Handling" in da_text and "Indsats" not in da_text
    assert "Åtgärd" in sv_text and "Insats" not in sv_text
    header = meeting.action_model.headerData(0, Qt.Orientation.Horizontal)
    assert header == "Action"
    assert "Semesterschema" in sv_text
    assert "Ärendegenomgång: dagordning" in _pdf_text(tmp_path / "dagordning.pdf")
    with page._context.db.read() as s:  # noqa: SLF001 - the test reads the log the page wrote
        prints = s.scalars(select(AuditEntry.detail).where(AuditEntry.action == "print")).all()
    assert len(prints) == 3 and prints[0].startswith("meeting minutes:")


def test_evictions_and_goals_with_drill_down(
    qtbot: QtBot, lead_page: TeamPage, qtmodeltester: object
) -> None:
    page = lead_page
    page.tabs.setCurrentIndex(2)
    view = page.evictions
    rows = view.model.rows()
    assert rows and all(r.open for r in rows)
    days = [r.days_left for r in rows if r.days_left is not None]
    assert days == sorted(days)
    assert any(r.urgent for r in rows)
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]
    view.open_only.setChecked(False)
    assert any(not r.open for r in view.model.rows())
    opened: list[int] = []
    page.sig_open_client.connect(opened.append)
    view.table.setCurrentIndex(view.model.index(0, 0))
    view.table.activated.emit(view.model.index(0, 0))
    assert opened == [view.model.rows()[0].client_id]

    page.tabs.setCurrentIndex(3)
    goals = page.goals
    goals.from_edit.setDate(goals.from_edit.date().addYears(-3))
    goals.show_button.click()
    qtmodeltester.check(goals.model)  # type: ignore[attr-defined]
    figures = {f.key: f for f in goals.model.rows()}
    assert set(figures) == set(GoalKey)
    lease = figures[GoalKey.LEASE_KEPT]
    assert lease.total is not None and lease.total >= 1
    row = list(figures).index(GoalKey.LEASE_KEPT)
    goals.table.setCurrentIndex(goals.model.index(row, 0))
    assert "lease kept" in goals.definition.text()
    dialog = goals.drill_down(goals.model.index(row, 6))
    assert dialog is not None and dialog.model.rowCount() == int(lease.total)
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
    dialog.close()


def test_caseworker_sees_her_own_row_only(qtbot: QtBot, demo: DataLocation) -> None:
    signed = sign_in(qtbot, demo, "worker")
    try:
        context = UiContext(
            db=signed.db, actor=signed.actor, notifier=ChangeNotifier(), settings=Settings()
        )
        page = TeamPage(context=context, today=DEMO_TODAY)
        qtbot.addWidget(page)
        assert not page.setup_button.isVisibleTo(page)
        assert [m.name for m in page.board.model.rows()] == ["Wilma Sandberg"]
        page.tabs.setCurrentIndex(1)
        meeting = page.meeting
        assert meeting.meeting_combo.count() == 1  # she reads last week's minutes
        assert meeting.detail is not None and meeting.detail.items
        assert not meeting.new_button.isVisibleTo(page)  # only leads run meetings
        assert meeting.decision_edit.isReadOnly()
    finally:
        signed.db.dispose()


def test_the_meeting_list_follows_a_language_switch(lead_page: TeamPage) -> None:
    """The meeting list was written once: after a switch to Danish it still said "protokoll
    klart" (or "minutes finished") and wrote the dates the old language's way."""
    lead_page.tabs.setCurrentIndex(1)
    combo = lead_page.meeting.meeting_combo
    assert combo.count() == 1  # last week's review from the demo data, its minutes finished
    texts = [combo.itemText(row) for row in range(combo.count())]
    assert any(text.endswith(" · minutes finished") for text in texts)
    try:
        i18n.set_language("da")
        lead_page.retranslate_ui()
        finished = i18n.gettext("minutes finished")
        assert finished != "minutes finished"
        danish = [combo.itemText(row) for row in range(combo.count())]
        assert len(danish) == len(texts)
        assert not any("minutes finished" in text for text in danish)
        assert any(text.endswith(f" · {finished}") for text in danish)
        meetings = lead_page.meeting._meetings
        assert danish[0].startswith(f"{meetings[0].meeting_date:%d.%m.%Y}")
    finally:
        i18n.set_language("en")
        lead_page.retranslate_ui()


def test_team_tables_fit_their_headers_after_a_language_switch(lead_page: TeamPage) -> None:
    """Columns fitted to English headers cut the Danish ones ("Mænd" showed as "Mænc")."""
    tables = []
    for tab, view in ((2, lead_page.evictions), (3, lead_page.goals)):
        lead_page.tabs.setCurrentIndex(tab)
        assert view.table.model().rowCount() > 0
        tables.append(view.table)
    try:
        i18n.set_language("da")
        lead_page.retranslate_ui()
        for table in tables:
            header = table.horizontalHeader()
            for column in range(1, header.count() - 1):  # not the stretched first and last
                text = table.model().headerData(column, Qt.Orientation.Horizontal)
                room = header.sectionSize(column)
                assert room >= header.sectionSizeHint(column), (table.objectName(), text, room)
    finally:
        i18n.set_language("en")
        lead_page.retranslate_ui()


@pytest.mark.parametrize("language", ["sv", "da", "en"])
def test_the_eviction_table_fits_its_headers_in_each_language(
    lead_page: TeamPage, language: str
) -> None:
    """ "Dage tilbage" and "Begrundelse" were seen cut: every header fits its column, with the
    cases listed and with none."""
    view = lead_page.evictions
    lead_page.tabs.setCurrentIndex(2)
    try:
        i18n.set_language(language)
        lead_page.retranslate_ui()
        for team_id in (view._team_id, None):
            view.load(team_id)
            header = view.table.horizontalHeader()
            for column in range(header.count()):
                text = str(view.model.headerData(column, Qt.Orientation.Horizontal))
                words = header.fontMetrics().horizontalAdvance(text)
                room = header.sectionSize(column)
                assert room >= words, (language, team_id, text, room)
                assert room >= header.sectionSizeHint(column), (language, team_id, text, room)
    finally:
        i18n.set_language("en")
        lead_page.retranslate_ui()
