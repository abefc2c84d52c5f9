"""Importing and exporting the client register from the GUI (file dialogs, check, progress)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.i18n import current_language, ngettext
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services import client_io
from hemlos_desktop.services.changes import Outcome
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.operations import Progress, run_long_operation

MAX_LINES_SHOWN = 500


class ImportReportDialog(QDialog):
    """Shows the result of checking an import file; OK imports when the file is clean."""

    def __init__(self, *, report: client_io.ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import clients"))
        self.setAccessibleName(_("Import clients"))
        summary = QLabel()
        summary.setWordWrap(True)
        details = QPlainTextEdit()
        details.setReadOnly(True)
        details.setAccessibleName(_("Details of the check"))
        lines: list[str] = []
        if report.problems:
            summary.setText(
                ngettext(
                    "Nothing can be imported: {count} problem in the file. Correct the file "
                    "and try again.",
                    "Nothing can be imported: {count} problems in the file. Correct the file "
                    "and try again.",
                    len(report.problems),
                ).format(count=len(report.problems))
            )
            lines = [str(p) for p in report.problems[:MAX_LINES_SHOWN]]
        else:
            text = ngettext(
                "{count} client will be imported.",
                "{count} clients will be imported.",
                report.imported,
            ).format(count=report.imported)
            if report.skipped:
                text += " " + ngettext(
                    "{count} is already registered and will be skipped.",
                    "{count} are already registered and will be skipped.",
                    len(report.skipped),
                ).format(count=len(report.skipped))
            summary.setText(text)
            lines = [f"line {s.line}: " + s.text() for s in report.skipped[:MAX_LINES_SHOWN]]
        details.setPlainText("\n".join(lines))
        details.setVisible(bool(lines))
        buttons = QDialogButtonBox()
        if report.problems or report.imported == 0:
            buttons.addButton(QDialogButtonBox.StandardButton.Close)
        else:
            ok = buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
            ok.setDefault(True)
            buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(details, 1)
        layout.addWidget(buttons)
        self.resize(640, 420 if lines else 160)


def import_clients_interactive(
    parent: QWidget, context: UiContext, path: Path | None = None
) -> client_io.ImportReport | None:
    """Ask for a file, check it, show the result, and import after the user agrees."""
    if path is None:
        name, _filter = QFileDialog.getOpenFileName(
            parent,
            _("Import clients"),
            "",
            _("Client lists (*.csv *.xlsx);;All files (*)"),
        )
        if not name:
            return None
        path = Path(name)
    # The check reads and checks every row (seconds for a big register): in the background,
    # with progress and Cancel, so the window keeps answering.
    checked = run_long_operation(
        parent,
        context,
        Progress(_("Import clients"), _("Checking the file…")),
        lambda progress, _cancelled: client_io.import_clients(
            context.db, context.actor, path, dry_run=True, progress=progress
        ),
    )
    if checked is None:
        return None
    check = checked.value
    if ImportReportDialog(report=check, parent=parent).exec() != QDialog.DialogCode.Accepted:
        return check if check.problems else None
    imported = run_long_operation(
        parent,
        context,
        Progress(_("Import clients"), _("Importing clients…")),
        lambda progress, _cancelled: client_io.import_clients(
            context.db, context.actor, path, progress=progress, checked=check.checked
        ),
        on_cancel=lambda: QMessageBox.information(
            parent, _("Import clients"), _("The import was cancelled; nothing was imported.")
        ),
    )
    if imported is None:
        return None
    report = imported.value
    QMessageBox.information(
        parent,
        _("Import clients"),
        ngettext("{count} client imported.", "{count} clients imported.", report.imported).format(
            count=report.imported
        ),
    )
    return report


def export_clients_interactive(
    parent: QWidget, context: UiContext, path: Path | None = None, lang: str | None = None
) -> int | None:
    """Ask for a file name and write the clients the user may see (CSV or XLSX)."""
    if path is None:
        name, chosen = QFileDialog.getSaveFileName(
            parent,
            _("Export clients"),
            "clients.csv",
            _("CSV file (*.csv);;Excel workbook (*.xlsx)"),
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.casefold() not in (".csv", ".xlsx"):
            path = path.with_suffix(".xlsx" if "xlsx" in chosen else ".csv")
    language = lang or current_language()
    exported = run_long_operation(
        parent,
        context,
        Progress(_("Export clients"), _("Exporting clients…")),
        lambda _progress, _cancelled: Outcome(
            client_io.export_clients(context.db, context.actor, path, lang=language)
        ),
    )
    count = None if exported is None else exported.value
    if count is not None:
        QMessageBox.information(
            parent,
            _("Export clients"),
            ngettext("{count} client exported.", "{count} clients exported.", count).format(
                count=count
            ),
        )
    return count
