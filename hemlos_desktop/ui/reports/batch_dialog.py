"""Batch export: the documents of the selected clients or of a whole team, into a folder.

The work runs in worker processes (``services.batch_export``) driven from a worker thread by
:func:`hemlos_desktop.ui.tasks.run_with_progress`, so the window stays responsive; the
progress dialog's Cancel stops before the clients not yet started. The worker processes start
as the dialog opens: their start (about a second) passes while the user chooses the folder.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import ngettext
from hemlos_desktop.services.batch_export import (
    BatchReport,
    BatchWorkers,
    export_batch,
    team_client_ids,
)
from hemlos_desktop.services.changes import Outcome
from hemlos_desktop.services.pdf_export import PdfOptions
from hemlos_desktop.services.users import list_teams
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.operations import Progress, run_long_operation
from hemlos_desktop.ui.reports.export_dialog import PdfOptionsForm
from hemlos_desktop.ui.tasks import Cancelled

log = logging.getLogger(__name__)

MAX_FAILURES_SHOWN = 20


class BatchExportDialog(QDialog):
    """Choose the clients (selection or team), the document's options and the folder."""

    def __init__(
        self, *, context: UiContext, client_ids: Sequence[int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._client_ids = list(client_ids)
        self.selection_radio = QRadioButton()
        self.team_radio = QRadioButton()
        self._source = QButtonGroup(self)
        self._source.addButton(self.selection_radio)
        self._source.addButton(self.team_radio)
        self.team_combo = QComboBox()
        for team in list_teams(context.db):
            self.team_combo.addItem(team.name, team.id)
        self.form = PdfOptionsForm()
        self.folder_edit = QLineEdit()
        self.folder_button = QPushButton()
        self.folder_label = QLabel()
        self.folder_label.setBuddy(self.folder_edit)
        if self._client_ids:
            self.selection_radio.setChecked(True)
        else:
            self.selection_radio.setEnabled(False)
            self.team_radio.setChecked(True)
        self.team_combo.setEnabled(self.team_radio.isChecked())
        self.team_radio.setEnabled(self.team_combo.count() > 0)
        team_row = QHBoxLayout()
        team_row.addWidget(self.team_radio)
        team_row.addWidget(self.team_combo, 1)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.folder_button)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.folder_label, folder_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.selection_radio)
        layout.addLayout(team_row)
        layout.addWidget(self.form)
        layout.addLayout(form)
        layout.addWidget(self.note_label)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self.retranslate_ui()
        self._update_ok()

    def _connect_signals(self) -> None:
        self.team_radio.toggled.connect(self._on_source_toggled)
        self.folder_button.clicked.connect(self._on_choose_folder_clicked)
        self.folder_edit.textChanged.connect(self._on_folder_changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Export PDFs to a folder"))
        self.setAccessibleName(_("Export PDFs to a folder"))
        self.selection_radio.setText(
            ngettext(
                "The &selected client ({count})",
                "The &selected clients ({count})",
                len(self._client_ids),
            ).format(count=len(self._client_ids))
        )
        self.team_radio.setText(_("All clients of a &team:"))
        self.team_combo.setAccessibleName(_("Team"))
        self.folder_label.setText(_("&Folder:"))
        self.folder_edit.setAccessibleName(_("Folder"))
        self.folder_button.setText(_("&Choose…"))
        self.note_label.setText(
            _("File names hold only the internal number, e.g. summary-1234-sv.pdf.")
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Export"))
        self.form.retranslate_ui()

    def _on_source_toggled(self, checked: bool) -> None:
        self.team_combo.setEnabled(checked)

    def _on_choose_folder_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, _("Choose a folder"), self.folder_edit.text()
        )
        if folder:
            self.folder_edit.setText(folder)

    def _on_folder_changed(self, _text: str) -> None:
        self._update_ok()

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.folder_edit.text().strip()))

    def folder(self) -> Path:
        return Path(self.folder_edit.text().strip())

    def team_id(self) -> int | None:
        if not self.team_radio.isChecked():
            return None
        data = self.team_combo.currentData()
        return int(data) if data is not None else None

    def client_ids(self) -> list[int]:
        team = self.team_id()
        if team is None:
            return list(self._client_ids)
        return team_client_ids(self._context.db, self._context.actor, team)

    def options(self) -> PdfOptions:
        settings = self._context.settings
        return self.form.options(
            municipality=settings.municipality_name,
            municipality_logo=settings.municipality_logo,
        )

    def kind(self) -> str:
        return self.form.kind()


def run_batch_export(
    parent: QWidget | None,
    context: UiContext,
    client_ids: Sequence[int],
    folder: Path,
    options: PdfOptions,
    *,
    kind: str,
    key: bytes | None = None,
    workers: BatchWorkers | None = None,
) -> BatchReport | None:
    """Run the batch with a progress dialog; the report (also after Cancel), or None when a
    known error stopped it (already shown). The workers open the database with ``key``, by
    default the key the window's own database was opened with; ``workers`` are processes
    started beforehand (:func:`start_workers`), then the caller closes them."""
    if key is None:
        key = context.db.data_key

    def work(
        progress: Callable[[int, int], None], cancelled: Callable[[], bool]
    ) -> Outcome[BatchReport]:
        def report(done: int, total: int) -> None:
            try:
                progress(done, total)
            except Cancelled:
                pass  # export_batch sees cancelled() and stops before the rest

        # The window's database may still be checking itself in the background; the
        # workers rely on that check (a damaged file stops the batch here, with its message).
        context.db.wait_for_check()
        return Outcome(
            export_batch(
                context.db.location,
                context.actor,
                client_ids,
                folder,
                options,
                kind=kind,
                key=key,
                checked=True,
                pool=workers,
                progress=report,
                cancelled=cancelled,
            )
        )

    done = run_long_operation(
        parent, context, Progress(_("Export PDFs"), _("Making the PDF files…")), work
    )
    return None if done is None else done.value


def report_text(report: BatchReport) -> str:
    lines = [
        ngettext(
            "{count} PDF written to {folder}.",
            "{count} PDFs written to {folder}.",
            len(report.written),
        ).format(count=len(report.written), folder=report.folder)
    ]
    if report.cancelled:
        lines.append(
            ngettext(
                "Cancelled: {count} client was not exported.",
                "Cancelled: {count} clients were not exported.",
                report.skipped,
            ).format(count=report.skipped)
        )
    if report.failures:
        lines.append(
            ngettext(
                "{count} client could not be exported:",
                "{count} clients could not be exported:",
                len(report.failures),
            ).format(count=len(report.failures))
        )
        lines.extend(
            _("Client {number}: {reason}").format(number=f.client_id, reason=f.reason)
            for f in report.failures[:MAX_FAILURES_SHOWN]
        )
    return "\n".join(lines)


def open_batch_export(
    parent: QWidget | None,
    context: UiContext,
    client_ids: Sequence[int],
    *,
    key: bytes | None = None,
) -> BatchReport | None:
    """The batch export for the Clients page: ``client_ids`` is the current selection (may be
    empty: then a team is chosen). The workers open an encrypted database with the key of
    ``context.db`` unless ``key`` is given."""
    try:
        workers: BatchWorkers | None = start_workers(context, key=key)
    except OSError:
        # No process could be started now (a limit of the system): the batch starts its own
        # when Export is pressed, or reports why it cannot.
        log.warning("batch export: the worker processes could not be started ahead")
        workers = None
    try:
        dialog = BatchExportDialog(context=context, client_ids=client_ids, parent=parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        ids = dialog.client_ids()
        if not ids:
            QMessageBox.information(parent, _("Export PDFs"), _("There are no clients to export."))
            return None
        report = run_batch_export(
            parent,
            context,
            ids,
            dialog.folder(),
            dialog.options(),
            kind=dialog.kind(),
            key=key,
            workers=workers,
        )
    finally:
        if workers is not None:
            workers.close(wait=False)
    if report is not None:
        box = QMessageBox.warning if report.failures else QMessageBox.information
        box(parent, _("Export PDFs"), report_text(report))
    return report


def start_workers(context: UiContext, *, key: bytes | None = None) -> BatchWorkers:
    """Start the batch's worker processes now, for the window's database (``key``, by default
    the window's own). Starting returns at once; each process gets ready in the background.
    The workers rely on the window's integrity check, which the batch waits for before it
    hands them any work."""
    workers = BatchWorkers(
        context.db.location, context.db.data_key if key is None else key, checked=True
    )
    workers.start()
    return workers
