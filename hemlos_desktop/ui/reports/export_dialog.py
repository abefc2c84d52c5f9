"""Export or print one client's document (case summary) as PDF, in Swedish or Danish.

The document's language is chosen here and is independent of the UI language. There is no
page preview inside the program (Qt's PDF module is not part of PySide6 Essentials); "Open
after saving" shows the saved file in the system's PDF viewer instead.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.services.batch_export import batch_file_name
from hemlos_desktop.services.pdf_export import (
    DEFAULT_KIND,
    DOCUMENT_KINDS,
    PdfOptions,
    export_pdf,
)
from hemlos_desktop.services.print_files import new_print_folder
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.errors import show_error
from hemlos_desktop.ui.language import LANGUAGE_NAMES
from hemlos_desktop.ui.operations import run_query
from hemlos_desktop.ui.reports.printing import PrintOutcome, open_in_viewer, print_pdf_file
from hemlos_desktop.ui.widgets.dates import date_entry_format, from_qdate, to_qdate
from hemlos_desktop.ui.widgets.print_language import PRINT_LANGUAGES, session_print_language

log = logging.getLogger(__name__)

PDF_LANGUAGES = PRINT_LANGUAGES
DEFAULT_JOURNAL_MONTHS = 6


def default_pdf_language() -> str:
    """The UI language (a document is printed in the language the user works in)."""
    return session_print_language()


class PdfOptionsForm(QWidget):
    """Kind, language, full numbers and journal period: the choices of one PDF."""

    def __init__(self, *, today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        today = today or dt.date.today()
        self.kind_combo = QComboBox()
        for name, kind in DOCUMENT_KINDS.items():
            self.kind_combo.addItem(_(kind.label), name)
        self.language_combo = QComboBox()
        for code in PDF_LANGUAGES:
            self.language_combo.addItem(LANGUAGE_NAMES[code], code)
        self.language_combo.setCurrentIndex(PDF_LANGUAGES.index(default_pdf_language()))
        self.full_numbers_check = QCheckBox()
        self.journal_check = QCheckBox()
        self.journal_from_edit = QDateEdit(to_qdate(today - dt.timedelta(days=182)))
        self.journal_to_edit = QDateEdit(to_qdate(today))
        for edit in (self.journal_from_edit, self.journal_to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_entry_format())
            edit.setEnabled(False)
        self.kind_label = QLabel()
        self.language_label = QLabel()
        self.period_label = QLabel()
        self.to_label = QLabel()
        period = QHBoxLayout()
        period.addWidget(self.journal_from_edit)
        period.addWidget(self.to_label)
        period.addWidget(self.journal_to_edit)
        period.addStretch(1)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.kind_label, self.kind_combo)
        form.addRow(self.language_label, self.language_combo)
        form.addRow("", self.full_numbers_check)
        form.addRow("", self.journal_check)
        form.addRow(self.period_label, period)
        self.kind_label.setBuddy(self.kind_combo)
        self.language_label.setBuddy(self.language_combo)
        self.period_label.setBuddy(self.journal_from_edit)
        self.kind_combo.setVisible(len(DOCUMENT_KINDS) > 1)
        self.kind_label.setVisible(len(DOCUMENT_KINDS) > 1)
        self._connect_signals()
        self.retranslate_ui()

    def _connect_signals(self) -> None:
        self.journal_check.toggled.connect(self._on_journal_toggled)

    def retranslate_ui(self) -> None:
        self.kind_label.setText(_("&Document:"))
        self.language_label.setText(_("&Language of the document:"))
        self.full_numbers_check.setText(_("Print identity numbers in &full"))
        self.full_numbers_check.setToolTip(
            _("Otherwise the last four digits are hidden. Showing them is logged.")
        )
        self.journal_check.setText(_("Include signed &journal entries"))
        self.period_label.setText(_("Journal &period:"))
        self.to_label.setText(_("to"))
        self.kind_combo.setAccessibleName(_("Document"))
        self.language_combo.setAccessibleName(_("Language of the document"))
        self.journal_from_edit.setAccessibleName(_("Journal entries from"))
        self.journal_to_edit.setAccessibleName(_("Journal entries up to"))
        for index in range(self.kind_combo.count()):
            name = self.kind_combo.itemData(index)
            self.kind_combo.setItemText(index, _(DOCUMENT_KINDS[name].label))

    def _on_journal_toggled(self, checked: bool) -> None:
        self.journal_from_edit.setEnabled(checked)
        self.journal_to_edit.setEnabled(checked)

    def kind(self) -> str:
        return str(self.kind_combo.currentData() or DEFAULT_KIND)

    def options(self, *, municipality: str, municipality_logo: str = "") -> PdfOptions:
        journal = self.journal_check.isChecked()
        start = from_qdate(self.journal_from_edit.date()) if journal else None
        end = from_qdate(self.journal_to_edit.date()) if journal else None
        if start is not None and end is not None and start > end:
            start, end = end, start
        return PdfOptions(
            language=str(self.language_combo.currentData()),
            show_full_numbers=self.full_numbers_check.isChecked(),
            journal_from=start,
            journal_to=end,
            municipality=municipality,
            municipality_logo=municipality_logo,
        )


class PdfExportDialog(QDialog):
    """Save one client's document as PDF or print it (A4)."""

    def __init__(
        self,
        *,
        context: UiContext,
        client_id: int,
        today: dt.date | None = None,
        kind: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._client_id = client_id
        self.form = PdfOptionsForm(today=today)
        if kind is not None:
            index = self.form.kind_combo.findData(kind)
            if index >= 0:
                self.form.kind_combo.setCurrentIndex(index)
        self.open_check = QCheckBox()
        self.open_check.setChecked(True)
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton()
        self.print_button = QPushButton()
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.save_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.open_check)
        layout.addWidget(self.buttons)
        self.saved_path: Path | None = None
        self._connect_signals()
        self.retranslate_ui()

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self._on_save_clicked)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Export or print PDF"))
        self.setAccessibleName(_("Export or print PDF"))
        self.save_button.setText(_("&Save as PDF…"))
        self.print_button.setText(_("&Print…"))
        self.open_check.setText(_("&Open the PDF after saving"))
        self.form.retranslate_ui()

    def options(self) -> PdfOptions:
        settings = self._context.settings
        return self.form.options(
            municipality=settings.municipality_name,
            municipality_logo=settings.municipality_logo,
        )

    def default_file_name(self) -> str:
        return batch_file_name(self._client_id, self.options().language, self.form.kind())

    def save_to(self, path: Path, *, action: AuditAction = AuditAction.EXPORT) -> bool:
        """Write the PDF to ``path`` (logged as ``action``); show a known error and return
        False on failure."""
        ctx, client_id = self._context, self._client_id
        options, kind = self.options(), self.form.kind()
        failed: list[HemlosError] = []  # shown once the wait cursor is gone
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            saved = run_query(
                self,
                lambda: export_pdf(
                    ctx.db, ctx.actor, client_id, path, options, kind=kind, action=action
                ),
                on_error=failed.append,
            )
        finally:
            QApplication.restoreOverrideCursor()
        if saved is None:
            show_error(self, failed[0])
            return False
        if action is AuditAction.EXPORT:
            self.saved_path = path
        return True

    def _on_save_clicked(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save as PDF"), self.default_file_name(), _("PDF document (*.pdf)")
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.casefold() != ".pdf":
            path = path.with_suffix(".pdf")
        if self.save_to(path):
            if self.open_check.isChecked():
                open_in_viewer(path)
            self.accept()

    def make_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setDocName(_("Case summary"))
        return printer

    def print_to(self, printer: QPrinter) -> PrintOutcome:
        """Make the PDF (logged as printed) and hand it to the chosen printer."""
        folder = new_print_folder()  # removed below, or at the end and the next start
        path = folder / self.default_file_name()
        if not self.save_to(path, action=AuditAction.PRINT):
            shutil.rmtree(folder, ignore_errors=True)
            return PrintOutcome.FAILED
        outcome = print_pdf_file(path, printer=printer.printerName(), copies=printer.copyCount())
        if outcome is PrintOutcome.SENT:
            # The print system has its own copy; the one with personal data goes at once.
            shutil.rmtree(folder, ignore_errors=True)
        return outcome

    def _on_print_clicked(self) -> None:
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        outcome = self.print_to(printer)
        if outcome is PrintOutcome.FAILED:
            QMessageBox.warning(
                self,
                _("Print"),
                _(
                    "The PDF could not be sent to the printer. Save it as PDF and print it from "
                    "your PDF viewer."
                ),
            )
            return
        if outcome is PrintOutcome.OPENED:
            QMessageBox.information(
                self,
                _("Print"),
                _("The PDF is open in your PDF viewer. Print it from there on A4 paper."),
            )
        self.accept()


def open_pdf_dialog(
    parent: QWidget | None, context: UiContext, client_id: int, *, kind: str | None = None
) -> Path | None:
    """Show the export/print dialog for one client (the case overview calls this; the Plans
    page with ``kind="plan"``); returns the saved file, if one was saved."""
    dialog = PdfExportDialog(context=context, client_id=client_id, kind=kind, parent=parent)
    dialog.exec()
    return dialog.saved_path
