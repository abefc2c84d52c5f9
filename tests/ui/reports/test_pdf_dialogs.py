"""The PDF export/print dialog and the batch export dialog."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clientworld import World
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from hemlos_desktop import i18n
from hemlos_desktop.models.audit import AuditEntry
from hemlos_desktop.settings import Settings
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.reports import batch_dialog, export_dialog, printing
from hemlos_desktop.ui.reports.printing import PrintOutcome


@pytest.fixture
def context(world: World, qtbot: QtBot) -> UiContext:
    return UiContext(
        db=world.db,
        actor=world.actors["admin"],
        notifier=ChangeNotifier(),
        settings=Settings(municipality_name="Malmö stad"),
    )


def logged(world: World) -> list[tuple[str, str]]:
    with world.db.read() as s:
        return [(e.action, e.detail) for e in s.scalars(select(AuditEntry))]


def test_options_follow_the_controls(context: UiContext, world: World, qtbot: QtBot) -> None:
    cid = world.add("Åsa", "Öberg")
    dialog = export_dialog.PdfExportDialog(
        context=context, client_id=cid, today=dt.date(2026, 3, 5)
    )
    qtbot.addWidget(dialog)
    form = dialog.form
    assert form.options(municipality="").journal_from is None
    form.language_combo.setCurrentIndex(1)
    form.full_numbers_check.setChecked(True)
    form.journal_check.setChecked(True)
    assert form.journal_from_edit.isEnabled()
    options = dialog.options()
    assert options.language == "da"
    assert options.show_full_numbers
    assert options.journal_to == dt.date(2026, 3, 5)
    assert options.municipality == "Malmö stad"
    assert dialog.default_file_name() == f"summary-{cid}-da.pdf"


def test_save_writes_and_logs_export(
    context: UiContext, world: World, qtbot: QtBot, tmp_path: Path
) -> None:
    cid = world.add("Åsa", "Öberg")
    dialog = export_dialog.PdfExportDialog(context=context, client_id=cid)
    qtbot.addWidget(dialog)
    assert dialog.save_to(tmp_path / "s.pdf")
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    assert dialog.saved_path == tmp_path / "s.pdf"
    assert ("export", "pdf summary en") in logged(world)  # the session's language


def test_print_sends_the_pdf_and_logs_print(
    context: UiContext, world: World, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = world.add("Åsa", "Öberg")
    sent: list[tuple[bytes, str, int]] = []

    def fake_print(path: Path, *, printer: str, copies: int = 1) -> PrintOutcome:
        sent.append((path.read_bytes()[:4], printer, copies))
        return PrintOutcome.SENT

    monkeypatch.setattr(export_dialog, "print_pdf_file", fake_print)
    dialog = export_dialog.PdfExportDialog(context=context, client_id=cid)
    qtbot.addWidget(dialog)
    printer = dialog.make_printer()
    assert printer.pageLayout().pageSize().id().name == "A4"
    assert dialog.print_to(printer) is PrintOutcome.SENT
    assert sent and sent[0][0] == b"%PDF"
    assert ("print", "pdf summary en") in logged(world)


def test_lp_command_asks_for_a4(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printing.shutil, "which", lambda name: "/usr/bin/lp")
    command = printing.lp_command(Path("/tmp/x.pdf"), printer="Skrivare", copies=2)
    assert command == ["/usr/bin/lp", "-d", "Skrivare", "-n", "2", "-o", "media=A4", "/tmp/x.pdf"]
    monkeypatch.setattr(printing.shutil, "which", lambda name: None)
    assert printing.lp_command(Path("/tmp/x.pdf"), printer="", copies=1) is None


def test_dialog_texts_are_translated(context: UiContext, world: World, qtbot: QtBot) -> None:
    i18n.set_language("da")
    dialog = batch_dialog.BatchExportDialog(context=context, client_ids=[1, 2])
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() != "Export PDFs to a folder"
    assert "2" in dialog.selection_radio.text()


@pytest.mark.slow
def test_batch_from_the_selection_with_one_failure(
    context: UiContext,
    world: World,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good = world.add("Åsa", "Öberg")
    texts: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: texts.append(text))

    def fake_exec(dialog: batch_dialog.BatchExportDialog) -> int:
        dialog.folder_edit.setText(str(tmp_path / "out"))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(batch_dialog.BatchExportDialog, "exec", fake_exec)
    parent = QWidget()
    qtbot.addWidget(parent)
    report = batch_dialog.open_batch_export(parent, context, [good, 999_999])
    assert report is not None
    assert [p.name for p in report.written] == [f"summary-{good}-en.pdf"]
    assert [f.client_id for f in report.failures] == [999_999]
    assert "999999" in texts[0]


def test_cancel_in_the_progress_dialog_keeps_the_partial_report(
    context: UiContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hemlos_desktop.services.batch_export import BatchReport
    from hemlos_desktop.services.pdf_export import PdfOptions
    from hemlos_desktop.ui.tasks import Cancelled

    def fake_batch(*args: object, progress: object, cancelled: object, **kw: object) -> BatchReport:
        progress(1, 3)  # type: ignore[operator]
        assert cancelled()  # type: ignore[operator]
        return BatchReport(tmp_path, (tmp_path / "summary-1-sv.pdf",), (), True, 3, 2)

    def fake_run(parent: object, title: str, label: str, work: object) -> object:
        def progress(done: int, total: int) -> None:
            raise Cancelled

        return work(progress, lambda: True)  # type: ignore[operator]

    monkeypatch.setattr(batch_dialog, "export_batch", fake_batch)
    from hemlos_desktop.ui import operations

    monkeypatch.setattr(operations, "run_with_progress", fake_run)  # the runner's progress
    report = batch_dialog.run_batch_export(
        None, context, [1, 2, 3], tmp_path, PdfOptions("sv"), kind="summary"
    )
    assert report is not None and report.cancelled
    assert "2" in batch_dialog.report_text(report)
