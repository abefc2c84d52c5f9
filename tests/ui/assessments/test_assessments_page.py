"""The Assessments page: keyboard coding and signing, history and charts, follow-up, import,
the case-overview panel, and every language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hemlos_desktop import i18n
from hemlos_desktop.models.assessment_rules import AreaRating, RatingDraft
from hemlos_desktop.models.client import Gender
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.instrument import SODERMALM_ID
from hemlos_desktop.models.people import Role
from hemlos_desktop.resources import resource_path
from hemlos_desktop.services import assessments
from hemlos_desktop.services.clients import register_client
from hemlos_desktop.services.users import ensure_local_actor
from hemlos_desktop.settings import Settings
from hemlos_desktop.storage import Database
from hemlos_desktop.ui.assessments.overview import install_overview_panel
from hemlos_desktop.ui.assessments.page import AssessmentsPage
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.clients.case_overview import CaseOverviewWidget
from hemlos_desktop.ui.context import UiContext

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

KEYS = ("housing", "income", "substance_use", "daily_living", "occupation")


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
    )
    return register_client(ctx.db, ctx.actor, data).value


def rate(ctx: UiContext, client_id: int, day: dt.date, *levels: int) -> int:
    draft = RatingDraft(
        SODERMALM_ID,
        1,
        day,
        True,
        tuple(AreaRating(k, lv) for k, lv in zip(KEYS, levels, strict=True)),
    )
    return assessments.sign_draft(ctx.db, ctx.actor, client_id, draft).value


def make_page(qtbot: QtBot, ctx: UiContext) -> AssessmentsPage:
    page = AssessmentsPage(context=ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_code_and_sign_a_full_rating_by_keyboard(
    qtbot: QtBot, ctx: UiContext, client_id: int
) -> None:
    rate(ctx, client_id, dt.date(2026, 1, 10), 1, 1, 2, 1, 1)
    page = make_page(qtbot, ctx)
    page.ratings.confirm_sign = lambda: True  # type: ignore[method-assign]
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.picker.search.setFocus()
    qtbot.keyClicks(page.picker.search, "Karin")
    qtbot.keyClick(page.picker.search, Qt.Key.Key_Return)
    # The picker searches off the GUI thread; Enter chooses the client when the answer comes.
    qtbot.waitUntil(lambda: page.ratings.client_id is not None)
    assert page.ratings.client_id == client_id
    assert page.ratings.form is not None
    assert QApplication.focusWidget() is page.ratings.form.rows["housing"].selector
    for digit in (Qt.Key.Key_3, Qt.Key.Key_2, Qt.Key.Key_4, Qt.Key.Key_2, Qt.Key.Key_3):
        qtbot.keyClick(QApplication.focusWidget(), digit)
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    history = page.ratings.history()
    assert [a.signed for a in history] == [True, True]
    assert history[-1].levels() == dict(zip(KEYS, (3, 2, 4, 2, 3), strict=True))
    assert page.ratings.history_model is not None
    assert page.ratings.history_model.rowCount() == 2
    assert [s.name for s in page.ratings.radar.series] == ["First", "Latest"]
    assert len(page.ratings.line.table_rows()) == 2
    assert page.ratings.status.text() == "The rating is signed."


def test_save_draft_then_correct(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    first = rate(ctx, client_id, dt.date(2026, 1, 10), 1, 1, 1, 1, 1)
    page = make_page(qtbot, ctx)
    page.ratings.set_client(client_id)
    page.ratings.history_view.selectRow(0)
    assert page.ratings.correct_button.isEnabled()
    page.ratings.correct_button.click()
    drafts = [a for a in page.ratings.history() if not a.signed]
    assert [d.corrects_id for d in drafts] == [first]
    assert page.ratings.form is not None
    page.ratings.form.rows["housing"].selector.set_level(2)
    page.ratings.save_button.click()
    page.ratings.confirm_sign = lambda: True  # type: ignore[method-assign]
    page.ratings.sign_button.click()
    rows = {a.id: a for a in page.ratings.history()}
    assert rows[first].superseded
    assert len(page.ratings.radar.series) == 1


def test_followup_view_and_export(
    qtbot: QtBot, ctx: UiContext, client_id: int, tmp_path: Path, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    rate(ctx, client_id, dt.date(2026, 1, 10), 1, 1, 1, 1, 1)
    rate(ctx, client_id, dt.date(2026, 6, 10), 3, 3, 3, 3, 3)
    page = make_page(qtbot, ctx)
    view = page.followup
    view.start.setDate(view.start.date().fromString("2026-01-01", "yyyy-MM-dd"))
    view.end.setDate(view.end.date().fromString("2026-11-01", "yyyy-MM-dd"))
    view.show_button.click()
    figures = view.figures()
    assert figures is not None
    assert figures.qualification["woman"].moved_out == 1
    assert view.table_model.rowCount() == 5 * 5 + 5
    qtmodeltester.check(view.table_model)
    view.ask_export_path = lambda kind: tmp_path / f"f.{kind}"  # type: ignore[method-assign]
    view.csv_button.click()
    view.xlsx_button.click()
    assert (tmp_path / "f.csv").exists() and (tmp_path / "f.xlsx").exists()
    view.scope.setCurrentIndex(2)
    assert view.which.count() >= 1 and view.which.isEnabled()


def test_history_model_passes_the_model_tester(
    qtbot: QtBot, ctx: UiContext, client_id: int, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    rate(ctx, client_id, dt.date(2026, 1, 10), 1, 1, 1, 1, 1)
    page = make_page(qtbot, ctx)
    page.ratings.set_client(client_id)
    assert page.ratings.history_model is not None
    qtmodeltester.check(page.ratings.history_model)


def test_import_is_for_administrators_only(
    qtbot: QtBot, ctx: UiContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = make_page(qtbot, ctx)
    assert ctx.actor.role is Role.ADMIN and page.import_button.isVisibleTo(page)
    source = resource_path("instruments") / "sodermalm-independence.toml"
    adapted = tmp_path / "adapted.toml"
    adapted.write_text(
        source.read_text(encoding="utf-8").replace("version = 2", "version = 3", 1),
        encoding="utf-8",
    )
    page.choose_instrument_file = lambda: adapted  # type: ignore[method-assign]
    shown: list[str] = []
    monkeypatch.setattr(
        "hemlos_desktop.ui.assessments.page.QMessageBox.information",
        lambda *args: shown.append(args[2]),
    )
    page.import_button.click()
    assert "version 3" in shown[0]
    assert "version 3" in page.instrument_label.text()
    worker = UiContext(
        db=ctx.db,
        actor=ctx.actor.__class__(**{**ctx.actor.__dict__, "role": Role.CASEWORKER}),
        notifier=ctx.notifier,
        settings=ctx.settings,
    )
    other = make_page(qtbot, worker)
    assert not other.import_button.isVisibleTo(other)


@pytest.mark.parametrize("lang", ["sv", "da", "en"])
def test_page_and_panel_in_every_language(
    qtbot: QtBot, ctx: UiContext, client_id: int, lang: str, tmp_path: Path
) -> None:
    rate(ctx, client_id, dt.date(2025, 3, 1), 1, 1, 2, 1, 1)
    rate(ctx, client_id, dt.date(2025, 9, 1), 2, 2, 2, 1, 2)
    rate(ctx, client_id, dt.date(2026, 5, 1), 4, 3, 2, 3, 3)
    i18n.set_language(lang)
    try:
        page = make_page(qtbot, ctx)
        page.picker.select_client(client_id)
        page.retranslate_ui()
        tab = {"sv": "Gruppuppföljning", "da": "Gruppeopfølgning", "en": "Group follow-up"}
        assert page.tabs.tabText(1) == tab[lang]
        assert len(page.ratings.radar.series) == 3
        page.grab().save(str(tmp_path / f"page-{lang}.png"))
        overview = CaseOverviewWidget(context=ctx, client_id=client_id)
        qtbot.addWidget(overview)
        panel = install_overview_panel(overview, ctx)
        overview.resize(900, 1000)
        overview.show()
        text = panel.panel.qualification.text()  # type: ignore[attr-defined]
        # Every area was 2 or lower before: rising above it is progress, not "not yet".
        assert text.startswith({"sv": "Framsteg", "da": "Fremskridt", "en": "Progress"}[lang])
        assert overview.panels()[-1].title() != ""
    finally:
        i18n.set_language("en")


def test_read_only_user_sees_ratings_but_cannot_code(
    qtbot: QtBot, ctx: UiContext, client_id: int
) -> None:
    rate(ctx, client_id, dt.date(2026, 1, 10), 1, 1, 2, 1, 1)
    auditor = UiContext(
        db=ctx.db,
        actor=ctx.actor.__class__(**{**ctx.actor.__dict__, "role": Role.READ_ONLY}),
        notifier=ctx.notifier,
        settings=ctx.settings,
    )
    page = make_page(qtbot, auditor)
    page.picker.select_client(client_id)
    assert page.ratings.history_model is not None
    assert page.ratings.history_model.rowCount() == 1
    assert not page.ratings.sign_button.isEnabled()
    assert not page.ratings.save_button.isEnabled()
    assert page.ratings.form is not None and not page.ratings.form.isEnabled()
    assert not page.import_button.isVisibleTo(page)


def test_a_saved_draft_reopens(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    page = make_page(qtbot, ctx)
    page.picker.select_client(client_id)
    assert page.ratings.form is not None
    page.ratings.form.rows["income"].selector.set_level(4)
    page.ratings.save_button.click()
    assert page.ratings.status.text() == "Draft saved."
    again = make_page(qtbot, ctx)
    again.picker.select_client(client_id)
    assert again.ratings.form is not None
    assert again.ratings.form.draft().levels()["income"] == 4
    assert again.ratings.mode_label.text() == "Your saved draft is open."


def test_switching_language_retranslates_the_open_page(
    qtbot: QtBot, ctx: UiContext, client_id: int
) -> None:
    rate(ctx, client_id, dt.date(2025, 3, 1), 1, 1, 2, 1, 1)
    rate(ctx, client_id, dt.date(2026, 5, 1), 4, 3, 2, 3, 3)
    page = make_page(qtbot, ctx)
    page.picker.select_client(client_id)
    assert [s.name for s in page.ratings.radar.series] == ["First", "Latest"]
    i18n.set_language("sv")
    try:
        page.retranslate_ui()
        assert [s.name for s in page.ratings.radar.series] == ["Första", "Senaste"]
        assert page.ratings.area_choice.itemText(0) == "Boende"
        assert page.ratings.new_button.text() == "&Ny skattning"
    finally:
        i18n.set_language("en")


def test_followup_pdf_button_writes_the_report(
    qtbot: QtBot, ctx: UiContext, client_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader

    from hemlos_desktop.ui.assessments import page as page_module

    rate(ctx, client_id, dt.date(2026, 1, 10), 1, 1, 1, 1, 1)
    rate(ctx, client_id, dt.date(2026, 6, 10), 3, 3, 3, 3, 3)
    page = make_page(qtbot, ctx)
    view = page.followup
    assert not view.pdf_button.isEnabled()
    assert view.pdf_button.accessibleName() == "Save the follow-up report as PDF"
    view.start.setDate(view.start.date().fromString("2026-01-01", "yyyy-MM-dd"))
    view.end.setDate(view.end.date().fromString("2026-11-01", "yyyy-MM-dd"))
    view.show_button.click()
    assert view.pdf_button.isEnabled()
    monkeypatch.setattr(view, "ask_pdf_language", lambda: "da")
    monkeypatch.setattr(
        page_module.QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *args, **kw: (str(tmp_path / "rapport"), "")),
    )
    view.pdf_button.click()
    out = tmp_path / "rapport.pdf"
    assert out.exists()
    text = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert "Opfølgning af selvstændighedsvurderinger" in text and "Hele registret" in text
    assert "Björk" not in text
    assert "rapport.pdf" in view.summary.text()
    # Cancelling the language question writes nothing more.
    monkeypatch.setattr(view, "ask_pdf_language", lambda: None)
    out.unlink()
    view.pdf_button.click()
    assert not out.exists()
