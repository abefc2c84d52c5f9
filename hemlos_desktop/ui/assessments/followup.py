"""Group follow-up in the Assessments area: scope, period, the figures split by gender, and
export as CSV, XLSX or a PDF report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import i18n
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.instrument import Instrument
from hemlos_desktop.models.people import Role
from hemlos_desktop.services import assessments, instruments
from hemlos_desktop.services.assessments import FollowupScope
from hemlos_desktop.services.followup_stats import FollowupFigures, figures_table
from hemlos_desktop.services.users import list_teams, list_users
from hemlos_desktop.ui.assessments.chart_table import ChartTableModel
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.operations import run_query
from hemlos_desktop.ui.widgets.dates import from_qdate, to_qdate


class FollowupView(QWidget):
    """Group follow-up: scope, period, the figures table split by gender, CSV/XLSX export."""

    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._figures: FollowupFigures | None = None
        self._instrument: Instrument | None = None
        self.scope_label = QLabel(self)
        self.scope = QComboBox(self)
        self.scope_label.setBuddy(self.scope)
        self.which_label = QLabel(self)
        self.which = QComboBox(self)
        self.which_label.setBuddy(self.which)
        self.start_label = QLabel(self)
        self.start = QDateEdit(self)
        self.start.setCalendarPopup(True)
        self.start_label.setBuddy(self.start)
        self.end_label = QLabel(self)
        self.end = QDateEdit(self)
        self.end.setCalendarPopup(True)
        self.end_label.setBuddy(self.end)
        today = dt.date.today()
        self.start.setDate(to_qdate(today.replace(month=1, day=1)))
        self.end.setDate(to_qdate(today))
        self.show_button = QPushButton(self)
        self.csv_button = QPushButton(self)
        self.xlsx_button = QPushButton(self)
        self.pdf_button = QPushButton(self)
        self._shown: tuple[FollowupScope, int | None, dt.date, dt.date] | None = None
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table_model = ChartTableModel(parent=self)
        self.table = QTableView(self)
        self.table.setModel(self.table_model)
        self.table.verticalHeader().setVisible(False)

        form = QFormLayout()
        form.addRow(self.scope_label, self.scope)
        form.addRow(self.which_label, self.which)
        period = QHBoxLayout()
        period.addWidget(self.start)
        period.addWidget(self.end_label)
        period.addWidget(self.end)
        period.addStretch(1)
        form.addRow(self.start_label, period)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.xlsx_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self._connect_signals()
        self.retranslate_ui()
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.scope.currentIndexChanged.connect(self._on_scope_changed)
        self.show_button.clicked.connect(self._on_show_clicked)
        self.csv_button.clicked.connect(lambda: self._on_export_clicked("csv"))
        self.xlsx_button.clicked.connect(lambda: self._on_export_clicked("xlsx"))
        self.pdf_button.clicked.connect(self._on_pdf_clicked)

    def retranslate_ui(self) -> None:
        self.scope_label.setText(_("&Whom:"))
        self.scope.setAccessibleName(_("Whom the figures cover"))
        current = self.scope.currentData()
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem(_("Whole register"), FollowupScope.ALL.value)
        self.scope.addItem(_("A team"), FollowupScope.TEAM.value)
        self.scope.addItem(_("A caseworker"), FollowupScope.CASEWORKER.value)
        self.scope.setCurrentIndex(max(0, self.scope.findData(current)))
        self.scope.blockSignals(False)
        self.which_label.setText(_("&Team or caseworker:"))
        self.which.setAccessibleName(_("Team or caseworker"))
        self.start_label.setText(_("&Period from:"))
        self.start.setAccessibleName(_("Period from"))
        self.end_label.setText(i18n.pgettext("period", "to"))
        self.end.setAccessibleName(_("Period to"))
        self.show_button.setText(_("S&how figures"))
        self.show_button.setAccessibleName(_("Show the follow-up figures"))
        self.csv_button.setText(_("Export &CSV…"))
        self.csv_button.setAccessibleName(_("Export the figures as CSV"))
        self.xlsx_button.setText(_("Export &XLSX…"))
        self.xlsx_button.setAccessibleName(_("Export the figures as XLSX"))
        self.pdf_button.setText(_("P&DF…"))
        self.pdf_button.setAccessibleName(_("Save the follow-up report as PDF"))
        self.table.setAccessibleName(_("Follow-up figures by area and gender"))
        self._on_scope_changed()
        self._show_figures()

    def _on_scope_changed(self, _index: int = 0) -> None:
        scope = FollowupScope(self.scope.currentData() or FollowupScope.ALL.value)
        self.which.clear()
        db = self._context.db
        if scope is FollowupScope.TEAM:
            for team in list_teams(db):
                self.which.addItem(team.name, team.id)
        elif scope is FollowupScope.CASEWORKER:
            for user in list_users(db):
                if user.active and user.role is not Role.READ_ONLY:
                    self.which.addItem(user.display_name, user.id)
        self.which.setEnabled(scope is not FollowupScope.ALL)
        self.which_label.setEnabled(scope is not FollowupScope.ALL)

    def figures(self) -> FollowupFigures | None:
        return self._figures

    def _on_show_clicked(self) -> None:
        ctx = self._context
        scope = FollowupScope(self.scope.currentData() or FollowupScope.ALL.value)
        scope_id = self.which.currentData() if scope is not FollowupScope.ALL else None
        start, end = from_qdate(self.start.date()), from_qdate(self.end.date())
        found = run_query(
            self,
            lambda: (
                instruments.current_instrument(ctx.db),
                assessments.group_followup(
                    ctx.db,
                    ctx.actor,
                    period_start=start,
                    period_end=end,
                    scope=scope,
                    scope_id=scope_id,
                ),
            ),
        )
        if found is None:
            return
        self._instrument, self._figures = found.value
        self._shown = (scope, scope_id, start, end)
        self._show_figures()
        self._update_buttons()

    def _show_figures(self) -> None:
        if self._figures is None or self._instrument is None:
            self.summary.setText(_("Choose whom and a period, then show the figures."))
            self.table_model.set_table([], [])
            return
        headers, rows = figures_table(self._instrument, self._figures, i18n.current_language())
        tr = i18n.active()
        text_rows = [
            [
                ""
                if cell is None
                else tr.format_decimal(cell, 2)
                if isinstance(cell, float)
                else str(cell)
                for cell in row
            ]
            for row in rows
        ]
        self.table_model.set_table(headers, text_rows)
        self.table.resizeColumnsToContents()
        total = self._figures.qualification["total"]
        self.summary.setText(
            _("Clients rated in the period: {clients}; followed up: {followed}.").format(
                clients=total.clients, followed=total.followed_up
            )
        )

    def _update_buttons(self) -> None:
        has = self._figures is not None
        self.csv_button.setEnabled(has)
        self.xlsx_button.setEnabled(has)
        self.pdf_button.setEnabled(has)

    def ask_export_path(self, kind: str) -> Path | None:
        """The file to write (tests replace this)."""
        pattern = _("CSV files (*.csv)") if kind == "csv" else _("Excel workbooks (*.xlsx)")
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Export follow-up figures"), f"followup.{kind}", pattern
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == f".{kind}" else path.with_suffix(f".{kind}")

    def _on_export_clicked(self, kind: str) -> None:
        if self._figures is None:
            return
        path = self.ask_export_path(kind)
        if path is None:
            return
        ctx = self._context
        figures, lang = self._figures, i18n.current_language()
        exported = run_query(
            self,
            lambda: assessments.export_followup(
                ctx.db, ctx.actor, path, figures, lang=lang, kind=kind
            ),
        )
        if exported is None:
            return
        self.summary.setText(_("Exported to {file}.").format(file=path.name))

    def ask_pdf_language(self) -> str | None:
        """The language of the report, "sv" or "da" (tests replace this)."""
        choices = [("sv", _("Swedish")), ("da", _("Danish"))]
        current = 1 if i18n.current_language() == "da" else 0
        label, ok = QInputDialog.getItem(
            self,
            _("Follow-up report"),
            _("Language of the report:"),
            [text for _code, text in choices],
            current,
            False,
        )
        if not ok:
            return None
        return next((code for code, text in choices if text == label), None)

    def ask_pdf_path(self, language: str) -> Path | None:
        """The PDF file to write (tests replace this)."""
        name, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save the follow-up report"),
            f"followup-{language}.pdf",
            _("PDF documents (*.pdf)"),
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")

    def _on_pdf_clicked(self) -> None:
        if self._shown is None:
            return
        language = self.ask_pdf_language()
        if language is None:
            return
        path = self.ask_pdf_path(language)
        if path is None:
            return
        scope, scope_id, start, end = self._shown
        ctx = self._context
        from hemlos_desktop.services.followup_report import export_followup_pdf

        saved = run_query(
            self,
            lambda: export_followup_pdf(
                ctx.db,
                ctx.actor,
                path,
                period_start=start,
                period_end=end,
                scope=scope,
                scope_id=scope_id,
                language=language,
                municipality=ctx.settings.municipality_name,
                municipality_logo=ctx.settings.municipality_logo,
            ),
        )
        if saved is None:
            return
        self.summary.setText(_("Saved the report to {file}.").format(file=path.name))
